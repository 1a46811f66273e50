//! libgit2 (the `git2` crate, its own http transport, protocol v0/v1) as a client: clone, fetch
//! with divergent histories, pushes (new branch, fast-forward, forced, delete, refused stale),
//! the HEAD symref, an empty repository.

use artifacts_conformance::fixture::seeded_repo;
use artifacts_conformance::server::fresh_repo_with_branch;
use artifacts_conformance::*;
use git2::{PushOptions, RemoteCallbacks, Repository, Signature};
use std::collections::BTreeMap;
use std::path::Path;

fn sig() -> Signature<'static> {
    Signature::new("Conformance", "conformance@example.com", &git2::Time::new(1_700_000_000, 0)).unwrap()
}

/// Commits `file` = `content` on top of `HEAD` (or as root) with libgit2; returns the id.
fn commit(repo: &Repository, file: &str, content: &str, msg: &str, update: &str) -> String {
    let blob = repo.blob(content.as_bytes()).unwrap();
    let parent = repo.revparse_single(update).ok().map(|o| o.peel_to_commit().unwrap());
    let mut tb = repo.treebuilder(parent.as_ref().map(|p| p.tree().unwrap()).as_ref()).unwrap();
    tb.insert(file, blob, 0o100644).unwrap();
    let tree = repo.find_tree(tb.write().unwrap()).unwrap();
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(Some(update), &sig(), &sig(), msg, &tree, &parents).unwrap().to_string()
}

/// Pushes refspecs; returns per-ref status (None = ok, Some(reason) = rejected).
fn push(repo: &Repository, specs: &[&str]) -> Result<BTreeMap<String, Option<String>>, git2::Error> {
    let mut statuses = BTreeMap::new();
    {
        let mut cb = RemoteCallbacks::new();
        cb.push_update_reference(|name, status| {
            statuses.insert(name.to_owned(), status.map(str::to_owned));
            Ok(())
        });
        let mut opts = PushOptions::new();
        opts.remote_callbacks(cb);
        repo.find_remote("origin").unwrap().push(specs, Some(&mut opts))?;
    }
    Ok(statuses)
}

fn fetch(repo: &Repository) {
    repo.find_remote("origin").unwrap().fetch(&[] as &[&str], None, None).expect("libgit2 fetch");
}

fn rev(repo: &Repository, r: &str) -> String {
    repo.revparse_single(r).unwrap().id().to_string()
}

#[test]
fn libgit2_clone_and_divergent_fetch() {
    let (url, src) = seeded_repo("lg2-clone");
    let dir = tempfile::tempdir().unwrap();
    let repo = Repository::clone(&url, dir.path()).expect("libgit2 clone");
    assert_eq!(rev(&repo, "HEAD"), src.rev("main"));
    assert_eq!(rev(&repo, "refs/remotes/origin/release"), src.rev("release"));
    assert_eq!(rev(&repo, "refs/tags/v1"), src.rev("refs/tags/v1"));
    assert_fsck_strict(dir.path());

    // diverge: 60 local commits (more than libgit2's batch of 20 haves), 10 upstream
    for i in 0..60 {
        commit(&repo, &format!("local{i}.txt"), "local\n", &format!("local {i}"), "refs/heads/local");
    }
    let up = src.fast_commits("main", Some("main"), 10, "upstream");
    src.git(&["push", "-q", "origin", "main"]);
    fetch(&repo);
    assert_eq!(rev(&repo, "refs/remotes/origin/main"), up);
    assert_fsck_strict(dir.path());
}

#[test]
fn libgit2_push_lifecycle() {
    let (url, src) = seeded_repo("lg2-push");
    let dir = tempfile::tempdir().unwrap();
    let repo = Repository::clone(&url, dir.path()).expect("libgit2 clone");
    // fast-forward main and a new branch
    let main = commit(&repo, "lg2.txt", "one\n", "libgit2 ff", "refs/heads/main");
    let feature = commit(&repo, "feature.txt", "f\n", "feature", "refs/heads/feature");
    let st = push(&repo, &["refs/heads/main:refs/heads/main", "refs/heads/feature:refs/heads/feature"]).expect("push");
    assert_eq!(st.get("refs/heads/main"), Some(&None), "{st:?}");
    assert_eq!(st.get("refs/heads/feature"), Some(&None), "{st:?}");
    let refs = ls_remote(&url);
    assert_eq!(refs.get("refs/heads/main"), Some(&main));
    assert_eq!(refs.get("refs/heads/feature"), Some(&feature));

    // forced non-fast-forward: feature rewritten from main~1
    let base = repo.revparse_single("main~1").unwrap();
    repo.reference("refs/heads/feature", base.id(), true, "rewind").unwrap();
    let rewritten = commit(&repo, "rewrite.txt", "r\n", "rewritten", "refs/heads/feature");
    assert!(push(&repo, &["refs/heads/feature:refs/heads/feature"]).is_err(), "non-ff push without + accepted");
    push(&repo, &["+refs/heads/feature:refs/heads/feature"]).expect("forced push");
    assert_eq!(ls_remote(&url).get("refs/heads/feature"), Some(&rewritten));

    // another client moves main: libgit2's stale push fails and the server keeps the other value
    let other = WorkRepo::clone_with(&tool_git(), &url, &[]);
    let theirs = other.commit(&[("other.txt", "o\n")], "other");
    other.git(&["push", "-q", "origin", "main"]);
    commit(&repo, "mine.txt", "m\n", "mine", "refs/heads/main");
    let stale = push(&repo, &["refs/heads/main:refs/heads/main"]);
    assert!(
        stale.is_err() || matches!(stale.as_ref().unwrap().get("refs/heads/main"), Some(Some(_))),
        "stale push reported ok: {stale:?}"
    );
    assert_eq!(ls_remote(&url).get("refs/heads/main"), Some(&theirs));

    // delete
    push(&repo, &[":refs/heads/feature", ":refs/heads/topic"]).expect("delete");
    let m = mirror_and_fsck(&url);
    assert!(!m.refs.contains_key("refs/heads/feature") && !m.refs.contains_key("refs/heads/topic"), "{:?}", m.refs);
    assert_eq!(m.refs.get("refs/heads/release"), Some(&src.rev("release")));
}

#[test]
fn libgit2_empty_repository_and_symref() {
    let url = fresh_repo_with_branch("lg2-empty", "trunk");
    let dir = tempfile::tempdir().unwrap();
    let repo = Repository::clone(&url, dir.path()).expect("libgit2 clone of an empty repository");
    assert!(repo.is_empty().unwrap());
    let id = commit(&repo, "first.txt", "first\n", "first", "refs/heads/trunk");
    push(&repo, &["refs/heads/trunk:refs/heads/trunk"]).expect("first push");
    let mut remote = repo.find_remote("origin").unwrap();
    remote.connect(git2::Direction::Fetch).unwrap();
    assert_eq!(remote.default_branch().unwrap().as_str(), Some("refs/heads/trunk"));
    let heads: BTreeMap<String, String> =
        remote.list().unwrap().iter().map(|h| (h.name().to_owned(), h.oid().to_string())).collect();
    assert_eq!(heads.get("HEAD"), Some(&id));
    assert_eq!(heads.get("refs/heads/trunk"), Some(&id));
    remote.disconnect().unwrap();
    let dir2 = tempfile::tempdir().unwrap();
    let again = Repository::clone(&url, dir2.path()).unwrap();
    assert_eq!(again.head().unwrap().name(), Some("refs/heads/trunk"));
    assert_fsck_strict(Path::new(dir2.path()));
    mirror_and_fsck(&url);
}
