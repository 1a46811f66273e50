//! Shallow clones and fetches: --depth, --shallow-since, --shallow-exclude, --deepen, --unshallow.

use artifacts_conformance::fixture::{seeded_repo, EPOCH};
use artifacts_conformance::*;

git_matrix!(depth_deepen_unshallow, shallow_since, shallow_exclude);

fn shallow_file(w: &WorkRepo) -> Vec<String> {
    let p = w.path().join(".git/shallow");
    std::fs::read_to_string(p).map(|s| s.lines().map(str::to_owned).collect()).unwrap_or_default()
}

/// --depth 1, then --deepen=2, then --unshallow: commit counts and the shallow file at each step.
fn depth_deepen_unshallow(c: &GitClient) {
    let (url, src) = seeded_repo("depth");
    let w = WorkRepo::clone_with(c, &url, &["--depth", "1"]);
    assert_eq!(w.count("HEAD"), 1);
    assert_eq!(shallow_file(&w), vec![src.rev("main")]);
    assert_eq!(w.rev("HEAD"), src.rev("main"));
    assert_fsck_strict(w.path());

    w.git(&["fetch", "-q", "--deepen=2"]);
    assert_eq!(w.count("HEAD"), 3, "--deepen=2 from depth 1");
    assert_eq!(shallow_file(&w), vec![src.rev("main~2")]);
    assert_fsck_strict(w.path());

    // a new upstream commit fetched into a shallow clone
    let next = src.commit(&[("next.txt", "next\n")], "next");
    src.git(&["push", "-q", "origin", "main"]);
    w.git(&["fetch", "-q", "origin"]);
    assert_eq!(w.rev("refs/remotes/origin/main"), next);
    assert_eq!(w.count("refs/remotes/origin/main"), 4);

    w.git(&["fetch", "-q", "--unshallow"]);
    assert!(!w.path().join(".git/shallow").exists(), "still shallow after --unshallow");
    assert_eq!(w.count("refs/remotes/origin/main"), src.count("main"));
    assert_fsck_strict(w.path());
}

/// --shallow-since keeps exactly the commits newer than the date.
fn shallow_since(c: &GitClient) {
    let (url, src) = seeded_repo("since");
    // seeded_repo dates: the merge at hour 1000, then 5 commits at hours 1001..1005
    let since = format!("@{}", EPOCH + 1000 * 3600);
    let expected: usize = src.git(&["rev-list", "--count", &format!("--since={since}"), "main", "--"]).trim().parse().unwrap();
    assert_eq!(expected, 6);
    let w = WorkRepo::clone_with(c, &url, &[&format!("--shallow-since={since}")]);
    assert_eq!(w.count("HEAD"), expected);
    assert!(!shallow_file(&w).is_empty());
    assert_fsck_strict(w.path());
}

/// --shallow-exclude=v1 keeps the commits not reachable from v1.
fn shallow_exclude(c: &GitClient) {
    let (url, src) = seeded_repo("exclude");
    let expected = src.count("main ^v1");
    let w = WorkRepo::clone_with(c, &url, &["--shallow-exclude=v1"]);
    assert_eq!(w.count("HEAD"), expected, "--shallow-exclude=v1");
    assert!(!shallow_file(&w).is_empty());
    assert_eq!(w.rev("HEAD"), src.rev("main"));
    assert_fsck_strict(w.path());
}
