//! Running git clients: isolated config, stderr captured into failure messages.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

pub const GIT_247: &str = "/usr/local/bin/git";
pub const GIT_239: &str = "/usr/bin/git";

/// A git CLI client: a binary plus `-c` settings (e.g. `protocol.version`).
#[derive(Clone, Debug)]
pub struct GitClient {
    pub name: String,
    pub bin: PathBuf,
    pub config: Vec<(String, String)>,
    /// Expected `git --version` prefix, checked once so a wrong binary fails loudly.
    pub version: &'static str,
}

/// A HOME with a fixed .gitconfig, so no user or system setting leaks in.
pub fn test_home() -> &'static Path {
    static HOME: OnceLock<PathBuf> = OnceLock::new();
    HOME.get_or_init(|| {
        let home = tempfile::Builder::new().prefix("artifacts-conformance-home-").tempdir().unwrap().keep();
        std::fs::write(
            home.join(".gitconfig"),
            "[user]\n\tname = Conformance\n\temail = conformance@example.com\n\
             [init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n\
             [core]\n\tautocrlf = false\n[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n\
             [fetch]\n\twriteCommitGraph = false\n",
        )
        .unwrap();
        home
    })
}

/// git 2.47 with default settings, for local work (fixtures, fsck, mirrors).
pub fn tool_git() -> GitClient {
    GitClient { name: "git-2.47".into(), bin: GIT_247.into(), config: vec![], version: "git version 2.47" }
}

impl GitClient {
    pub fn git247(protocol: u8) -> GitClient {
        GitClient {
            name: format!("git-2.47-v{protocol}"),
            bin: GIT_247.into(),
            config: vec![("protocol.version".into(), protocol.to_string())],
            version: "git version 2.47",
        }
    }

    /// Debian's git 2.39 with its defaults (protocol v2 for fetch).
    pub fn git239() -> GitClient {
        GitClient { name: "git-2.39".into(), bin: GIT_239.into(), config: vec![], version: "git version 2.39" }
    }

    pub fn all() -> Vec<GitClient> {
        vec![Self::git247(0), Self::git247(1), Self::git247(2), Self::git239()]
    }

    /// The protocol version this client fetches with.
    pub fn fetch_protocol(&self) -> u8 {
        self.config
            .iter()
            .find(|(k, _)| k == "protocol.version")
            .map(|(_, v)| v.parse().unwrap())
            .unwrap_or(2)
    }

    fn check_version(&self) {
        let out = Command::new(&self.bin)
            .arg("--version")
            .output()
            .unwrap_or_else(|e| panic!("{}: cannot run {}: {e}", self.name, self.bin.display()));
        let v = String::from_utf8_lossy(&out.stdout);
        assert!(v.starts_with(self.version), "{} is {v:?}, expected {}", self.bin.display(), self.version);
    }

    pub fn command(&self, dir: &Path) -> Command {
        static CHECKED: OnceLock<()> = OnceLock::new();
        CHECKED.get_or_init(|| {
            tool_git().check_version();
            GitClient::git239().check_version();
        });
        let mut c = Command::new(&self.bin);
        c.current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", test_home())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("LC_ALL", "C")
            .env("TZ", "UTC")
            .stdin(Stdio::null());
        for (k, v) in &self.config {
            c.arg("-c").arg(format!("{k}={v}"));
        }
        c
    }

    /// Runs git; panics with the command, status and stderr unless it succeeds. Returns stdout.
    pub fn run(&self, dir: &Path, args: &[&str]) -> String {
        self.run_env(dir, args, &[])
    }

    pub fn run_env(&self, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
        let out = self.output_env(dir, args, env);
        check(&self.name, args, &out);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs git and returns (stdout, stderr); panics unless it succeeds.
    pub fn run_full(&self, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (String, String) {
        let out = self.output_env(dir, args, env);
        check(&self.name, args, &out);
        (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
    }

    /// Runs git, whatever its exit status.
    pub fn output(&self, dir: &Path, args: &[&str]) -> Output {
        self.output_env(dir, args, &[])
    }

    pub fn output_env(&self, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut c = self.command(dir);
        c.args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap_or_else(|e| panic!("{}: cannot run git {args:?}: {e}", self.name))
    }

    /// Runs git expecting failure; returns stderr. Panics if it succeeds.
    pub fn run_fail(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.output(dir, args);
        assert!(
            !out.status.success(),
            "{}: git {args:?} should have failed but succeeded\nstdout:\n{}\nstderr:\n{}",
            self.name,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// `git rev-parse <rev>` in `dir`.
    pub fn rev(&self, dir: &Path, rev: &str) -> String {
        self.run(dir, &["rev-parse", "--verify", "--end-of-options", rev]).trim().to_owned()
    }

    /// All refs of a local repository: name -> id.
    pub fn refs(&self, dir: &Path) -> BTreeMap<String, String> {
        parse_refs(&self.run(dir, &["for-each-ref", "--format=%(refname) %(objectname)"]))
    }
}

pub fn check(name: &str, args: &[&str], out: &Output) {
    if !out.status.success() {
        let server_log = if std::env::var("CONFORMANCE_SHOW_SERVER_LOG").is_ok() {
            crate::server::shared().log()
        } else {
            String::new()
        };
        panic!(
            "{name}: git {args:?} failed ({})\nstdout:\n{}\nstderr:\n{}{server_log}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn parse_refs(s: &str) -> BTreeMap<String, String> {
    s.lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(name, id)| (name.to_owned(), id.to_owned()))
        .collect()
}

/// `git fsck --strict` on a local repository (bare or not); panics with fsck's output on error.
pub fn assert_fsck_strict(dir: &Path) {
    let out = tool_git().output(dir, &["fsck", "--strict", "--no-progress", "--no-dangling"]);
    assert!(
        out.status.success() && !String::from_utf8_lossy(&out.stderr).contains("error"),
        "git fsck --strict failed in {}:\nstdout:\n{}\nstderr:\n{}",
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A `git clone --mirror` of a server repository, checked with `git fsck --strict`.
pub struct Mirror {
    pub dir: tempfile::TempDir,
    /// Every ref the server advertised, name -> id (HEAD excluded).
    pub refs: BTreeMap<String, String>,
}

impl Mirror {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
    pub fn git(&self, args: &[&str]) -> String {
        tool_git().run(self.path(), args)
    }
}

/// Mirrors `url` with git 2.47 (protocol v2), runs `git fsck --strict` on it and returns its refs.
/// An empty repository yields an empty ref map.
pub fn mirror_and_fsck(url: &str) -> Mirror {
    let dir = tempfile::Builder::new().prefix("mirror-").tempdir().unwrap();
    let git = tool_git();
    // cloning into an existing empty directory is allowed
    git.run(dir.path(), &["clone", "-q", "--mirror", url, "."]);
    assert_fsck_strict(dir.path());
    // every object the refs reach must be present: rev-list --objects walks them all
    git.run(dir.path(), &["rev-list", "--objects", "--all", "--quiet"]);
    let refs = git.refs(dir.path());
    Mirror { dir, refs }
}

/// `git ls-remote <url>` with git 2.47: name -> id, HEAD included when advertised.
pub fn ls_remote(url: &str) -> BTreeMap<String, String> {
    let out = tool_git().run(Path::new("/"), &["ls-remote", url]);
    out.lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(id, name)| (name.to_owned(), id.to_owned()))
        .collect()
}
