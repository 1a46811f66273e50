//! gitoxide (the `gix` crate, blocking reqwest http transport) as a client: bare clones over
//! protocol v1 and v2, a shallow clone, a fetch after the server moved on. gix cannot push.

use artifacts_conformance::fixture::seeded_repo;
use artifacts_conformance::*;
use std::path::Path;
use std::sync::atomic::AtomicBool;

static INTERRUPT: AtomicBool = AtomicBool::new(false);

fn gix_clone(url: &str, dir: &Path, protocol: u8, shallow: Option<u32>) -> gix::Repository {
    let open = gix::open::Options::isolated().config_overrides([format!("protocol.version={protocol}")]);
    let mut prep = gix::clone::PrepareFetch::new(url, dir, gix::create::Kind::Bare, Default::default(), open)
        .unwrap_or_else(|e| panic!("gix prepare clone {url}: {e:?}"));
    if let Some(depth) = shallow {
        prep = prep.with_shallow(gix::remote::fetch::Shallow::DepthAtRemote(depth.try_into().unwrap()));
    }
    let (repo, _outcome) = prep
        .fetch_only(gix::progress::Discard, &INTERRUPT)
        .unwrap_or_else(|e| panic!("gix clone {url} (protocol v{protocol}): {e:?}"));
    repo
}

fn gix_fetch(dir: &Path) {
    let repo = gix::open(dir).unwrap();
    // a bare clone (like git's) records no fetch refspec: update the branches and tags directly
    let remote = repo
        .find_remote("origin")
        .unwrap()
        .with_refspecs(["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"], gix::remote::Direction::Fetch)
        .unwrap();
    remote
        .connect(gix::remote::Direction::Fetch)
        .unwrap_or_else(|e| panic!("gix connect: {e:?}"))
        .prepare_fetch(gix::progress::Discard, Default::default())
        .unwrap_or_else(|e| panic!("gix prepare_fetch: {e:?}"))
        .receive(gix::progress::Discard, &INTERRUPT)
        .unwrap_or_else(|e| panic!("gix fetch: {e:?}"));
}

fn clone_fetch(protocol: u8) {
    let (url, src) = seeded_repo(&format!("gix-v{protocol}"));
    let dir = tempfile::tempdir().unwrap();
    let repo = gix_clone(&url, dir.path(), protocol, None);
    let head = repo.head_id().expect("gix clone has a HEAD").detach().to_string();
    assert_eq!(head, src.rev("main"));
    let git = tool_git();
    assert_fsck_strict(dir.path());
    let refs = git.refs(dir.path());
    for b in ["main", "topic", "release"] {
        assert_eq!(refs.get(&format!("refs/heads/{b}")), Some(&src.rev(b)), "{b}");
    }
    assert_eq!(refs.get("refs/tags/v1"), Some(&src.rev("refs/tags/v1")));
    let objects = git.run(dir.path(), &["rev-list", "--objects", "--all"]).lines().count();
    assert_eq!(objects, src.git(&["rev-list", "--objects", "--all"]).lines().count());

    // the server moves on; gix fetches with haves
    let tip = src.commits(4, "more");
    src.git(&["checkout", "-q", "-b", "new-branch"]);
    let nb = src.commits(2, "nb");
    src.git(&["push", "-q", "origin", "main", "new-branch"]);
    gix_fetch(dir.path());
    let refs = git.refs(dir.path());
    assert_eq!(refs.get("refs/heads/main"), Some(&tip));
    assert_eq!(refs.get("refs/heads/new-branch"), Some(&nb));
    assert_fsck_strict(dir.path());
}

#[test]
fn gix_clone_fetch_v1() {
    clone_fetch(1);
}

#[test]
fn gix_clone_fetch_v2() {
    clone_fetch(2);
}

#[test]
fn gix_shallow_clone() {
    let (url, src) = seeded_repo("gix-shallow");
    let dir = tempfile::tempdir().unwrap();
    gix_clone(&url, dir.path(), 2, Some(1));
    let git = tool_git();
    assert_eq!(git.run(dir.path(), &["rev-list", "--count", "main"]).trim(), "1");
    let shallow = std::fs::read_to_string(dir.path().join("shallow")).expect("no shallow file");
    assert!(shallow.contains(&src.rev("main")), "{shallow}");
    assert_fsck_strict(dir.path());
}
