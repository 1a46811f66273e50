//! isomorphic-git (npm, node, protocol v1, never thin packs) as a client: clone, shallow clone,
//! fetch, pushes. Commits are made with the git CLI inside isomorphic-git's clones.
//! node_modules is installed by `npm ci` from js/package-lock.json when missing.

use artifacts_conformance::fixture::seeded_repo;
use artifacts_conformance::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn js_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("js")
}

/// `npm ci` once (under flock, as several test processes may start at once).
fn ensure_installed() {
    let js = js_dir();
    if js.join("node_modules/isomorphic-git/package.json").is_file() {
        return;
    }
    let out = Command::new("flock")
        .arg(js.join(".npm-install.lock"))
        .args(["sh", "-c", "[ -f node_modules/isomorphic-git/package.json ] || npm ci --no-audit --no-fund"])
        .current_dir(&js)
        .output()
        .expect("cannot run flock/npm: node and npm are required for the isomorphic-git tests");
    assert!(out.status.success(), "npm ci failed:\n{}", String::from_utf8_lossy(&out.stderr));
}

/// Runs js/iso.js; returns stdout (a JSON line) or the error text.
fn iso(args: &[&str]) -> Result<String, String> {
    ensure_installed();
    let out = Command::new("node")
        .arg(js_dir().join("iso.js"))
        .args(args)
        .output()
        .expect("cannot run node (required for the isomorphic-git tests)");
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn iso_ok(args: &[&str]) -> String {
    iso(args).unwrap_or_else(|e| panic!("isomorphic-git {args:?} failed:\n{e}"))
}

/// A directory isomorphic-git cloned into, with the git CLI to inspect and commit.
fn iso_clone(url: &str, extra: &[&str]) -> WorkRepo {
    let w = WorkRepo::empty_dir(tool_git());
    let mut args = vec!["clone", url, w.path().to_str().unwrap()];
    args.extend_from_slice(extra);
    iso_ok(&args);
    w
}

#[test]
fn isomorphic_clone_and_fetch() {
    let (url, src) = seeded_repo("iso-clone");
    let w = iso_clone(&url, &[]);
    assert_eq!(w.rev("HEAD"), src.rev("main"));
    assert_eq!(w.rev("refs/remotes/origin/release"), src.rev("release"));
    assert_eq!(w.rev("refs/tags/v1"), src.rev("refs/tags/v1"));
    assert_eq!(std::fs::read_to_string(w.path().join("README.md")).unwrap(), "# fixture\n");
    assert_fsck_strict(w.path());

    // diverge, then fetch with haves
    w.set_clock_hours(500_000);
    w.fast_commits("local", Some("main"), 40, "local");
    let up = src.commits(5, "upstream");
    src.git(&["tag", "-a", "v9", "-m", "v9"]);
    src.git(&["push", "-q", "origin", "main", "v9"]);
    iso_ok(&["fetch", w.path().to_str().unwrap()]);
    assert_eq!(w.rev("refs/remotes/origin/main"), up);
    assert_eq!(w.rev("refs/tags/v9"), src.rev("refs/tags/v9"));
    assert_fsck_strict(w.path());
}

#[test]
fn isomorphic_shallow_clone() {
    let (url, src) = seeded_repo("iso-shallow");
    let w = iso_clone(&url, &["1"]);
    assert_eq!(w.rev("HEAD"), src.rev("main"));
    assert_eq!(w.count("HEAD"), 1);
    assert_fsck_strict(w.path());
}

#[test]
fn isomorphic_push() {
    let (url, src) = seeded_repo("iso-push");
    let w = iso_clone(&url, &[]);
    let dir = w.path().to_str().unwrap();
    // fast-forward
    let main = w.commit(&[("iso.txt", "from isomorphic-git\n")], "iso ff");
    iso_ok(&["push", dir, "main"]);
    assert_eq!(ls_remote(&url).get("refs/heads/main"), Some(&main));
    // new branch
    w.git(&["checkout", "-q", "-b", "iso-branch"]);
    let b1 = w.commits(2, "iso-branch");
    iso_ok(&["push", dir, "iso-branch"]);
    assert_eq!(ls_remote(&url).get("refs/heads/iso-branch"), Some(&b1));
    // forced non-fast-forward
    w.git(&["reset", "-q", "--hard", "HEAD~2"]);
    let b2 = w.commit(&[("rewritten.txt", "r\n")], "rewritten");
    assert!(iso(&["push", dir, "iso-branch"]).is_err(), "isomorphic-git pushed a non-fast-forward without force");
    assert_eq!(ls_remote(&url).get("refs/heads/iso-branch"), Some(&b1));
    iso_ok(&["push", dir, "iso-branch", "force"]);
    assert_eq!(ls_remote(&url).get("refs/heads/iso-branch"), Some(&b2));
    // delete
    iso_ok(&["push", dir, "iso-branch", "delete"]);
    let m = mirror_and_fsck(&url);
    assert!(!m.refs.contains_key("refs/heads/iso-branch"), "{:?}", m.refs);
    assert_eq!(m.refs.get("refs/heads/main"), Some(&main));
    assert_eq!(m.refs.get("refs/heads/release"), Some(&src.rev("release")));
}

#[test]
fn isomorphic_empty_clone_then_first_push() {
    let url = fresh_repo("iso-empty");
    let w = WorkRepo::empty_dir(tool_git());
    let out = iso_ok(&["clone", &url, w.path().to_str().unwrap()]);
    assert!(out.contains("\"head\":null"), "{out}");
    w.git(&["checkout", "-q", "-B", "main"]);
    let id = w.commit(&[("first.txt", "1\n")], "first");
    w.git(&["remote", "set-url", "origin", &url]);
    iso_ok(&["push", w.path().to_str().unwrap(), "main"]);
    let m = mirror_and_fsck(&url);
    assert_eq!(m.refs.get("refs/heads/main"), Some(&id));
    assert_eq!(ls_remote(&url).get("HEAD"), Some(&id));
}
