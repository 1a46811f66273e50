//! Command-line parsing (hand-rolled: four subcommands and six options do not justify a dependency).

use std::net::SocketAddr;
use std::path::PathBuf;

/// Usage text printed by `--help` and after an argument error.
pub const USAGE: &str = "\
usage: artifacts serve [--listen 127.0.0.1:8080] [--data ./artifacts-data] [--auto-create]
                       [--insecure-no-auth] [--max-push-size BYTES]
       artifacts repo create NAME [--default-branch main] [--data DIR]
       artifacts repo list [--data DIR]
       artifacts repo delete NAME [--data DIR]

Repository names: letters, digits, '.', '_', '-', at most 63 bytes, starting with a letter or digit.
URLs: http://HOST/NAME.git (or /NAME) for git clone, fetch and push.";

/// Default `--data`.
pub const DEFAULT_DATA: &str = "./artifacts-data";
/// Default `--listen`.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// Default `--max-push-size`: 2 GiB of (decompressed) receive-pack request body.
pub const DEFAULT_MAX_PUSH: u64 = 2 << 30;

/// A parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help,
    Serve(ServeArgs),
    RepoCreate { data: PathBuf, name: String, default_branch: String },
    RepoList { data: PathBuf },
    RepoDelete { data: PathBuf, name: String },
}

/// Options of `artifacts serve`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeArgs {
    pub listen: SocketAddr,
    pub data: PathBuf,
    pub auto_create: bool,
    pub insecure_no_auth: bool,
    pub max_push_size: u64,
}

/// The command line is not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CliError {
    #[error("missing command")]
    NoCommand,
    #[error("unknown command {0:?}")]
    UnknownCommand(String),
    #[error("unknown option {option:?} for {command}")]
    UnknownOption { command: &'static str, option: String },
    #[error("option {0} needs a value")]
    MissingValue(String),
    #[error("option {option}: {value:?} is not {expected}")]
    BadValue { option: &'static str, value: String, expected: &'static str },
    #[error("{command} needs a repository NAME")]
    MissingName { command: &'static str },
    #[error("unexpected argument {0:?}")]
    Extra(String),
}

/// Parse `args` (without the program name).
pub fn parse(args: &[String]) -> Result<Command, CliError> {
    let mut it = args.iter();
    let first = it.next().ok_or(CliError::NoCommand)?;
    match first.as_str() {
        "-h" | "--help" | "help" => Ok(Command::Help),
        "serve" => parse_serve(it.as_slice()),
        "repo" => {
            let sub = it.next().ok_or(CliError::NoCommand)?;
            parse_repo(sub, it.as_slice())
        }
        other => Err(CliError::UnknownCommand(other.to_owned())),
    }
}

/// Options and positional arguments, split; `flags` names options without a value.
struct Split {
    options: Vec<(String, String)>,
    switches: Vec<String>,
    positional: Vec<String>,
}

fn split(args: &[String], flags: &[&str], valued: &[&str], command: &'static str) -> Result<Split, CliError> {
    let mut out = Split { options: Vec::new(), switches: Vec::new(), positional: Vec::new() };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if arg == "-h" || arg == "--help" {
            out.switches.push("--help".into());
        } else if let Some(body) = arg.strip_prefix("--") {
            let (key, inline) = match body.split_once('=') {
                Some((k, v)) => (format!("--{k}"), Some(v.to_owned())),
                None => (arg.clone(), None),
            };
            if flags.contains(&key.as_str()) && inline.is_none() {
                out.switches.push(key);
            } else if valued.contains(&key.as_str()) {
                let value = match inline {
                    Some(v) => v,
                    None => it.next().cloned().ok_or_else(|| CliError::MissingValue(key.clone()))?,
                };
                out.options.push((key, value));
            } else {
                return Err(CliError::UnknownOption { command, option: arg.clone() });
            }
        } else {
            out.positional.push(arg.clone());
        }
    }
    Ok(out)
}

impl Split {
    fn value(&self, key: &str) -> Option<&str> {
        self.options.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
    fn has(&self, key: &str) -> bool {
        self.switches.iter().any(|s| s == key)
    }
    fn data(&self) -> PathBuf {
        PathBuf::from(self.value("--data").unwrap_or(DEFAULT_DATA))
    }
}

fn parse_serve(args: &[String]) -> Result<Command, CliError> {
    let s = split(
        args,
        &["--auto-create", "--insecure-no-auth"],
        &["--listen", "--data", "--max-push-size"],
        "serve",
    )?;
    if s.has("--help") {
        return Ok(Command::Help);
    }
    if let Some(extra) = s.positional.first() {
        return Err(CliError::Extra(extra.clone()));
    }
    let listen_text = s.value("--listen").unwrap_or(DEFAULT_LISTEN);
    let listen = listen_text.parse().map_err(|_| CliError::BadValue {
        option: "--listen",
        value: listen_text.to_owned(),
        expected: "an IP:PORT socket address",
    })?;
    let max_push_size = match s.value("--max-push-size") {
        None => DEFAULT_MAX_PUSH,
        Some(v) => v.parse().map_err(|_| CliError::BadValue {
            option: "--max-push-size",
            value: v.to_owned(),
            expected: "a byte count",
        })?,
    };
    Ok(Command::Serve(ServeArgs {
        listen,
        data: s.data(),
        auto_create: s.has("--auto-create"),
        insecure_no_auth: s.has("--insecure-no-auth"),
        max_push_size,
    }))
}

fn parse_repo(sub: &str, args: &[String]) -> Result<Command, CliError> {
    let (command, valued): (&'static str, &[&str]) = match sub {
        "create" => ("repo create", &["--data", "--default-branch"]),
        "list" => ("repo list", &["--data"]),
        "delete" => ("repo delete", &["--data"]),
        "-h" | "--help" => return Ok(Command::Help),
        other => return Err(CliError::UnknownCommand(format!("repo {other}"))),
    };
    let s = split(args, &[], valued, command)?;
    if s.has("--help") {
        return Ok(Command::Help);
    }
    let mut positional = s.positional.iter();
    let mut name = || positional.next().cloned().ok_or(CliError::MissingName { command });
    let cmd = match sub {
        "create" => Command::RepoCreate {
            data: s.data(),
            name: name()?,
            default_branch: s.value("--default-branch").unwrap_or("main").to_owned(),
        },
        "delete" => Command::RepoDelete { data: s.data(), name: name()? },
        _ => Command::RepoList { data: s.data() },
    };
    if let Some(extra) = positional.next() {
        return Err(CliError::Extra(extra.clone()));
    }
    Ok(cmd)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn serve_defaults_and_options() {
        let Command::Serve(a) = parse(&args("serve")).expect("parse") else { panic!("not serve") };
        assert_eq!(a.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(a.data, PathBuf::from(DEFAULT_DATA));
        assert!(!a.auto_create && !a.insecure_no_auth);
        let Command::Serve(a) =
            parse(&args("serve --listen=0.0.0.0:9 --data /d --auto-create --insecure-no-auth --max-push-size 10"))
                .expect("parse")
        else {
            panic!("not serve")
        };
        assert_eq!(a.listen.to_string(), "0.0.0.0:9");
        assert_eq!(a.data, PathBuf::from("/d"));
        assert!(a.auto_create && a.insecure_no_auth);
        assert_eq!(a.max_push_size, 10);
    }

    #[test]
    fn repo_commands() {
        assert_eq!(
            parse(&args("repo create foo --default-branch trunk --data d")),
            Ok(Command::RepoCreate { data: "d".into(), name: "foo".into(), default_branch: "trunk".into() })
        );
        assert_eq!(parse(&args("repo list")), Ok(Command::RepoList { data: DEFAULT_DATA.into() }));
        assert_eq!(
            parse(&args("repo delete foo --data=x")),
            Ok(Command::RepoDelete { data: "x".into(), name: "foo".into() })
        );
    }

    #[test]
    fn errors() {
        assert_eq!(parse(&[]), Err(CliError::NoCommand));
        assert_eq!(parse(&args("frob")), Err(CliError::UnknownCommand("frob".into())));
        assert_eq!(parse(&args("repo create")), Err(CliError::MissingName { command: "repo create" }));
        assert_eq!(parse(&args("repo create a b")), Err(CliError::Extra("b".into())));
        assert_eq!(parse(&args("serve --listen")), Err(CliError::MissingValue("--listen".into())));
        assert!(matches!(parse(&args("serve --listen nowhere")), Err(CliError::BadValue { .. })));
        assert!(matches!(parse(&args("repo list --auto-create")), Err(CliError::UnknownOption { .. })));
    }
}
