//! Clones with the git CLI (2.47 with protocol v0/v1/v2, 2.39): empty repositories, full
//! histories, the advertised HEAD symref.

use artifacts_conformance::fixture::seeded_repo;
use artifacts_conformance::server::fresh_repo_with_branch;
use artifacts_conformance::*;

git_matrix!(empty_clone_then_first_push, clone_full_history, ls_remote_symref);

/// Cloning a repository with no commits warns but succeeds; the first push creates main, which
/// HEAD then names, and a second clone checks it out.
fn empty_clone_then_first_push(c: &GitClient) {
    let url = fresh_repo("empty");
    assert!(ls_remote(&url).keys().all(|r| !r.starts_with("refs/")), "new repo has refs");
    let w = WorkRepo::empty_dir(c.clone());
    let (_, err) = c.run_full(w.path(), &["clone", &url, "."], &[]);
    assert!(err.contains("cloned an empty repository"), "no empty-repo warning: {err}");
    let id = w.commit(&[("hello.txt", "hello\n")], "first");
    w.git(&["push", "origin", "main"]);
    let m = mirror_and_fsck(&url);
    assert_eq!(m.refs.get("refs/heads/main"), Some(&id));
    assert_eq!(m.refs.len(), 1, "{:?}", m.refs);
    let refs = ls_remote(&url);
    assert_eq!(refs.get("HEAD"), Some(&id), "HEAD does not follow main after the first push: {refs:?}");
    let again = WorkRepo::clone_with(c, &url, &[]);
    assert_eq!(again.rev("HEAD"), id);
    assert_eq!(std::fs::read_to_string(again.path().join("hello.txt")).unwrap(), "hello\n");
    assert_fsck_strict(again.path());
}

/// A clone gets every branch and tag with the same ids and the same set of objects.
fn clone_full_history(c: &GitClient) {
    let (url, src) = seeded_repo("clone");
    let w = WorkRepo::clone_with(c, &url, &[]);
    assert_fsck_strict(w.path());
    let theirs = src.git.refs(src.path());
    let ours = w.git.refs(w.path());
    for (name, id) in &theirs {
        if let Some(b) = name.strip_prefix("refs/heads/") {
            assert_eq!(ours.get(&format!("refs/remotes/origin/{b}")), Some(id), "branch {b}");
        } else if name.starts_with("refs/tags/") {
            assert_eq!(ours.get(name), Some(id), "tag {name}");
        }
    }
    assert_eq!(w.rev("HEAD"), src.rev("main"));
    assert_eq!(w.git(&["symbolic-ref", "HEAD"]).trim(), "refs/heads/main");
    let objects = |r: &WorkRepo| r.git(&["rev-list", "--objects", "--all"]).lines().count();
    assert_eq!(objects(&w), objects(&src), "object count differs");
    let m = mirror_and_fsck(&url);
    let expected: Vec<_> = theirs.iter().filter(|(k, _)| !k.starts_with("refs/remotes/")).collect();
    assert_eq!(m.refs.iter().collect::<Vec<_>>(), expected);
}

/// HEAD is advertised as a symref to the repository's default branch (not hard-coded to main),
/// and clones check that branch out.
fn ls_remote_symref(c: &GitClient) {
    let url = fresh_repo_with_branch("symref", "trunk");
    let w = WorkRepo::init();
    let a = w.commit(&[("a", "a\n")], "a");
    w.git(&["branch", "other"]);
    let b = w.commit(&[("b", "b\n")], "b");
    w.git(&["push", "-q", &url, "main:trunk", "other"]);
    let dir = tempfile::tempdir().unwrap();
    let out = c.run(dir.path(), &["ls-remote", "--symref", &url]);
    assert!(out.contains("ref: refs/heads/trunk\tHEAD"), "no HEAD symref to trunk:\n{out}");
    assert!(out.contains(&format!("{b}\tHEAD")), "HEAD id:\n{out}");
    assert!(out.contains(&format!("{b}\trefs/heads/trunk")), "{out}");
    assert!(out.contains(&format!("{a}\trefs/heads/other")), "{out}");
    let w2 = WorkRepo::clone_with(c, &url, &[]);
    assert_eq!(w2.git(&["symbolic-ref", "HEAD"]).trim(), "refs/heads/trunk");
    assert_eq!(w2.rev("HEAD"), b);
}
