//! Partial clones: --filter=blob:none and --filter=tree:0, then checkouts of older commits that
//! fetch the missing objects lazily (wants of single blob/tree ids, no haves).

use artifacts_conformance::fixture::seeded_repo;
use artifacts_conformance::*;

git_matrix!(blob_none_then_old_checkout, tree0_then_old_checkout);

fn missing(w: &WorkRepo) -> Vec<String> {
    w.git(&["rev-list", "--objects", "--all", "--missing=print"])
        .lines()
        .filter_map(|l| l.strip_prefix('?'))
        .map(str::to_owned)
        .collect()
}

fn blob_none_then_old_checkout(c: &GitClient) {
    let (url, src) = seeded_repo("blobnone");
    let w = WorkRepo::clone_with(c, &url, &["--filter=blob:none"]);
    assert_eq!(w.git(&["config", "remote.origin.promisor"]).trim(), "true");
    // base.log changes in every commit up to v1 and never after: v1~3's version is not HEAD's
    let old_blob = w.rev("v1~3:base.log");
    assert_ne!(old_blob, w.rev("HEAD:base.log"));
    let gone = missing(&w);
    assert!(gone.contains(&old_blob), "the old blob came with a blob:none clone");
    // the checkout of HEAD fetched its blobs; v1's are fetched now, one lazy fetch
    w.git(&["checkout", "-q", "v1~3"]);
    let want = String::from_utf8(src.cat_file("blob", "v1~3:base.log")).unwrap();
    assert_eq!(std::fs::read_to_string(w.path().join("base.log")).unwrap(), want);
    assert!(!missing(&w).contains(&old_blob));
    assert!(missing(&w).len() < gone.len());
    // a single blob by id, as `git cat-file` asks for it
    let other = w.rev("origin/release:release.log");
    assert_eq!(w.git(&["cat-file", "blob", &other]).as_bytes(), src.cat_file("blob", &other));
    assert_fsck_strict(w.path());
}

fn tree0_then_old_checkout(c: &GitClient) {
    let (url, src) = seeded_repo("tree0");
    let w = WorkRepo::clone_with(c, &url, &["--filter=tree:0", "--no-checkout"]);
    assert_eq!(w.count("refs/remotes/origin/main"), src.count("main"), "all commits are there");
    let root = src.rev("v1^{tree}");
    assert!(missing(&w).contains(&root), "v1's root tree came with a tree:0 clone");
    w.git(&["checkout", "-q", "v1"]);
    let want = String::from_utf8(src.cat_file("blob", "v1:base.log")).unwrap();
    assert_eq!(std::fs::read_to_string(w.path().join("base.log")).unwrap(), want);
    assert_eq!(w.rev("HEAD^{tree}"), root);
    w.git(&["checkout", "-q", "main"]);
    assert_eq!(std::fs::read_to_string(w.path().join("src/lib.rs")).unwrap(), "pub fn a() {}\n");
    assert_fsck_strict(w.path());
}
