//! `artifacts`: serve git repositories over smart HTTP, and manage them.

use artifacts_native::cli::{self, Command};
use artifacts_native::{http, RepoName, Repos};
use std::process::ExitCode;

fn main() -> ExitCode {
    seed_id_tables();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match cli::parse(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("artifacts: {e}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    match run(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("artifacts: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<(), String> {
    match command {
        Command::Help => {
            println!("{}", cli::USAGE);
            Ok(())
        }
        Command::Serve(args) => http::serve(&args).map_err(|e| e.to_string()),
        Command::RepoCreate { data, name, default_branch } => {
            let name = RepoName::parse(&name).map_err(|e| e.to_string())?;
            let repos = Repos::new(&data).map_err(|e| e.to_string())?;
            repos.create(&name, &default_branch).map_err(|e| e.to_string())?;
            println!("created {name} (HEAD -> refs/heads/{default_branch})");
            Ok(())
        }
        Command::RepoList { data } => {
            let repos = Repos::new(&data).map_err(|e| e.to_string())?;
            for name in repos.list().map_err(|e| e.to_string())? {
                println!("{name}");
            }
            Ok(())
        }
        Command::RepoDelete { data, name } => {
            let name = RepoName::parse(&name).map_err(|e| e.to_string())?;
            let repos = Repos::new(&data).map_err(|e| e.to_string())?;
            repos.delete(&name).map_err(|e| e.to_string())?;
            println!("deleted {name}");
            Ok(())
        }
    }
}

/// Seeds the hash of the engine's id tables (`git_core::oidset`) with process-random bits, so a
/// pusher cannot grind object ids that collide in them. std's `RandomState` draws its keys from the
/// operating system's random source; hashing nothing with it yields 64 of those bits.
fn seed_id_tables() {
    use std::hash::BuildHasher;
    let seed = std::collections::hash_map::RandomState::new().hash_one(0u8);
    git_core::oidset::set_process_seed(seed);
}
