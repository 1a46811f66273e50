//! Working repositories to build histories in, with deterministic dates.

use crate::git::{tool_git, GitClient};
use std::io::Write;
use std::path::Path;
use std::process::Stdio;

/// Commit dates start here (2020-09-13) and advance one hour per commit.
pub const EPOCH: u64 = 1_600_000_000;

/// A non-bare repository in a temp dir, driven by a git client.
pub struct WorkRepo {
    pub dir: tempfile::TempDir,
    pub git: GitClient,
    tick: std::cell::Cell<u64>,
}

impl WorkRepo {
    /// `git init` with git 2.47, branch main.
    pub fn init() -> WorkRepo {
        let r = WorkRepo::empty_dir(tool_git());
        r.git(&["init", "-q", "-b", "main"]);
        r
    }

    /// `git clone <url>` with `client` (any extra args first, e.g. `--depth 1`).
    pub fn clone_with(client: &GitClient, url: &str, extra: &[&str]) -> WorkRepo {
        let r = WorkRepo::empty_dir(client.clone());
        let mut args = vec!["clone", "-q"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&[url, "."]);
        r.git(&args);
        r
    }

    pub fn empty_dir(git: GitClient) -> WorkRepo {
        let dir = tempfile::Builder::new().prefix("work-").tempdir().unwrap();
        WorkRepo { dir, git, tick: std::cell::Cell::new(0) }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs this repository's client; panics with stderr on failure.
    pub fn git(&self, args: &[&str]) -> String {
        self.git.run(self.path(), args)
    }

    pub fn rev(&self, rev: &str) -> String {
        self.git.rev(self.path(), rev)
    }

    /// Starts the commit clock at `EPOCH + hours * 3600` (for --shallow-since tests).
    pub fn set_clock_hours(&self, hours: u64) {
        self.tick.set(hours);
    }

    fn date(&self) -> String {
        let t = self.tick.get();
        self.tick.set(t + 1);
        format!("@{} +0000", EPOCH + t * 3600)
    }

    /// Writes files (path, content), stages everything and commits. Returns the commit id.
    pub fn commit(&self, files: &[(&str, &str)], msg: &str) -> String {
        for (p, content) in files {
            let path = self.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, content).unwrap();
        }
        self.git(&["add", "-A"]);
        let d = self.date();
        self.git.run_env(
            self.path(),
            &["commit", "-q", "--allow-empty", "-m", msg],
            &[("GIT_AUTHOR_DATE", &d), ("GIT_COMMITTER_DATE", &d)],
        );
        self.rev("HEAD")
    }

    /// `n` commits on the current branch, each changing `file` (one line appended) and adding a file.
    pub fn commits(&self, n: usize, tag: &str) -> String {
        let mut last = String::new();
        for i in 0..n {
            let p = self.path().join(format!("{tag}.log"));
            let mut f = std::fs::OpenOptions::new().create(true).append(true).open(p).unwrap();
            writeln!(f, "{tag} line {i}").unwrap();
            last = self.commit(&[(&format!("{tag}/{i}.txt"), &format!("{tag} {i}\n"))], &format!("{tag} {i}"));
        }
        last
    }

    /// Many commits fast, through `git fast-import`, on `branch` starting from `from` (a rev, or
    /// None for a root). Each commit adds `prefix/<i>.txt` and rewrites `prefix.txt`. Returns the tip.
    pub fn fast_commits(&self, branch: &str, from: Option<&str>, n: usize, prefix: &str) -> String {
        let mut s = String::new();
        for i in 0..n {
            let t = self.tick.get();
            self.tick.set(t + 1);
            let date = EPOCH + t * 3600;
            let msg = format!("{prefix} {i}\n");
            s += &format!("commit refs/heads/{branch}\n");
            s += &format!("committer Conformance <conformance@example.com> {date} +0000\n");
            s += &format!("data {}\n{msg}", msg.len());
            if i == 0 {
                if let Some(from) = from {
                    s += &format!("from {}\n", self.rev(from));
                }
            }
            let a = format!("{prefix} {i}\n");
            s += &format!("M 100644 inline {prefix}/{i}.txt\ndata {}\n{a}\n", a.len());
            let b: String = (0..=i).map(|k| format!("{prefix} line {k} {}\n", "x".repeat(k % 40))).collect();
            s += &format!("M 100644 inline {prefix}.txt\ndata {}\n{b}\n", b.len());
        }
        let mut c = self.git.command(self.path());
        let mut child = c.args(["fast-import", "--quiet"]).stdin(Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
        assert!(child.wait().unwrap().success(), "git fast-import failed");
        self.rev(&format!("refs/heads/{branch}"))
    }

    /// Writes a raw object with `git hash-object --literally -w` and returns its id.
    pub fn hash_object_literally(&self, kind: &str, data: &[u8]) -> String {
        let mut c = self.git.command(self.path());
        let mut child = c
            .args(["hash-object", "-t", kind, "--literally", "-w", "--stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(data).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    /// Raw bytes of an object (`git cat-file <kind> <id>`).
    pub fn cat_file(&self, kind: &str, id: &str) -> Vec<u8> {
        let out = self.git.output(self.path(), &["cat-file", kind, id]);
        assert!(out.status.success(), "cat-file {kind} {id}: {}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    }

    /// Count of commits reachable from `revs` (whitespace-separated, e.g. `main ^v1`).
    pub fn count(&self, revs: &str) -> usize {
        let mut args = vec!["rev-list", "--count"];
        args.extend(revs.split_whitespace());
        args.push("--");
        self.git(&args).trim().parse().unwrap()
    }
}

/// A repository on the server with a small but real history already pushed:
/// main (30 commits, with a merge of `topic`), `topic`, `release` branches, annotated tag v1 and
/// lightweight tag light. Returns (url, the local repository that pushed it).
pub fn seeded_repo(prefix: &str) -> (String, WorkRepo) {
    let url = crate::server::fresh_repo(prefix);
    let w = WorkRepo::init();
    w.commit(&[("README.md", "# fixture\n"), ("src/lib.rs", "pub fn a() {}\n")], "initial");
    w.commits(10, "base");
    w.git(&["tag", "-a", "v1", "-m", "version 1"]);
    w.git(&["branch", "topic"]);
    w.git(&["branch", "release"]);
    w.commits(8, "main");
    w.git(&["checkout", "-q", "topic"]);
    w.commits(5, "topic");
    w.git(&["checkout", "-q", "main"]);
    let d = format!("@{} +0000", EPOCH + 1000 * 3600);
    w.git.run_env(
        w.path(),
        &["merge", "-q", "--no-ff", "-m", "merge topic", "topic"],
        &[("GIT_AUTHOR_DATE", &d), ("GIT_COMMITTER_DATE", &d)],
    );
    w.set_clock_hours(1001);
    w.commits(5, "after");
    w.git(&["tag", "light"]);
    w.git(&["checkout", "-q", "release"]);
    w.commits(3, "release");
    w.git(&["checkout", "-q", "main"]);
    w.git(&["remote", "add", "origin", &url]);
    w.git(&["push", "-q", "origin", "main", "topic", "release", "v1", "light"]);
    (url, w)
}
