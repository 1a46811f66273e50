//! Hand-made receive-pack requests over raw HTTP, for what real clients never send: a REF_DELTA
//! before its base, stale old ids (compare-and-swap), atomic and non-atomic batches where one
//! command fails on the server, a corrupt pack.

use artifacts_conformance::fixture::seeded_repo;
use artifacts_conformance::pack::*;
use artifacts_conformance::*;

/// commit, tree, blob B as a REF_DELTA on blob A, then A itself: the delta's base comes later.
#[test]
fn ref_delta_before_its_base() {
    let (url, src) = seeded_repo("deltaorder");
    let old = src.rev("main");
    let a: String = (0..200).map(|i| format!("base line {i}\n")).collect();
    let b = format!("{}INSERTED\n{}", &a[..1000], &a[1000..]);
    let id_a = src.hash_object_literally("blob", a.as_bytes());
    let id_b = src.hash_object_literally("blob", b.as_bytes());
    assert_eq!(id_a, object_id("blob", a.as_bytes()));
    let mut tree = b"100644 a.txt\0".to_vec();
    tree.extend_from_slice(&hex_to_bytes(&id_a));
    tree.extend_from_slice(b"100644 b.txt\0");
    tree.extend_from_slice(&hex_to_bytes(&id_b));
    let tree_id = src.hash_object_literally("tree", &tree);
    let commit_id = src.git(&["commit-tree", &tree_id, "-p", &old, "-m", "delta before base"]).trim().to_owned();
    let commit = src.cat_file("commit", &commit_id);
    let d = delta(
        a.len(),
        b.len(),
        &[DeltaOp::Copy { offset: 0, len: 1000 }, DeltaOp::Insert(b"INSERTED\n"), DeltaOp::Copy { offset: 1000, len: a.len() - 1000 }],
    );
    let mut p = PackBuilder::default();
    p.full("commit", &commit).full("tree", &tree).ref_delta(&id_a, &d).full("blob", a.as_bytes());
    let body = receive_pack_request(&[(&old, &commit_id, "refs/heads/main")], "report-status agent=conformance", Some(&p.finish()));
    let report = post_receive_pack(&url, &body);
    assert_eq!(report, vec!["unpack ok".to_string(), "ok refs/heads/main".into()]);
    let m = mirror_and_fsck(&url);
    assert_eq!(m.refs.get("refs/heads/main"), Some(&commit_id));
    assert_eq!(m.git(&["cat-file", "blob", "main:b.txt"]), b);
    assert_eq!(m.git(&["cat-file", "blob", "main:a.txt"]), a);
}

/// A command whose old id is not the ref's current value is refused; the ref keeps its value.
#[test]
fn stale_old_id_is_refused() {
    let (url, src) = seeded_repo("cas");
    let (main, topic, release) = (src.rev("main"), src.rev("topic"), src.rev("release"));
    let body = receive_pack_request(&[(&release, &topic, "refs/heads/main")], "report-status", Some(&empty_pack()));
    let report = post_receive_pack(&url, &body);
    assert_eq!(report[0], "unpack ok");
    assert!(report[1].starts_with("ng refs/heads/main "), "{report:?}");
    assert_eq!(ls_remote(&url).get("refs/heads/main"), Some(&main));
    // creating a ref that already exists (old id zero) is refused too
    let body = receive_pack_request(&[(ZERO_ID, &topic, "refs/heads/release")], "report-status", Some(&empty_pack()));
    let report = post_receive_pack(&url, &body);
    assert!(report[1].starts_with("ng refs/heads/release "), "{report:?}");
    assert_eq!(ls_remote(&url).get("refs/heads/release"), Some(&release));
    mirror_and_fsck(&url);
}

/// One good and one stale command: with `atomic` neither applies; without it the good one does.
#[test]
fn atomic_and_non_atomic_batches_on_the_server() {
    let (url, src) = seeded_repo("batch");
    let (main, topic, release) = (src.rev("main"), src.rev("topic"), src.rev("release"));
    let before = mirror_and_fsck(&url).refs;
    let commands = [(main.as_str(), topic.as_str(), "refs/heads/main"), (main.as_str(), topic.as_str(), "refs/heads/release")];
    let body = receive_pack_request(&commands, "report-status atomic", Some(&empty_pack()));
    let report = post_receive_pack(&url, &body);
    assert_eq!(report[0], "unpack ok");
    assert!(report[1..].iter().all(|l| l.starts_with("ng ")), "{report:?}");
    assert_eq!(report.len(), 3, "{report:?}");
    assert_eq!(mirror_and_fsck(&url).refs, before, "an atomic batch moved a ref");

    let body = receive_pack_request(&commands, "report-status", Some(&empty_pack()));
    let report = post_receive_pack(&url, &body);
    assert_eq!(report[0], "unpack ok");
    assert!(report.contains(&"ok refs/heads/main".to_string()), "{report:?}");
    assert!(report.iter().any(|l| l.starts_with("ng refs/heads/release ")), "{report:?}");
    let after = mirror_and_fsck(&url).refs;
    assert_eq!(after.get("refs/heads/main"), Some(&topic));
    assert_eq!(after.get("refs/heads/release"), Some(&release));
}

/// A deletion needs no pack; a create and a delete in one request.
#[test]
fn delete_and_create_without_pack_data() {
    let (url, src) = seeded_repo("nopack");
    let (topic, v1) = (src.rev("topic"), src.rev("v1^{commit}"));
    let body = receive_pack_request(
        &[(&topic, ZERO_ID, "refs/heads/topic"), (ZERO_ID, &v1, "refs/heads/from-tag")],
        "report-status delete-refs",
        Some(&empty_pack()),
    );
    let report = post_receive_pack(&url, &body);
    assert_eq!(report, vec!["unpack ok".to_string(), "ok refs/heads/topic".into(), "ok refs/heads/from-tag".into()]);
    let refs = mirror_and_fsck(&url).refs;
    assert!(!refs.contains_key("refs/heads/topic"));
    assert_eq!(refs.get("refs/heads/from-tag"), Some(&v1));
    // a delete-only request carries no pack at all
    let body = receive_pack_request(&[(&v1, ZERO_ID, "refs/heads/from-tag")], "report-status delete-refs", None);
    assert_eq!(post_receive_pack(&url, &body), vec!["unpack ok".to_string(), "ok refs/heads/from-tag".into()]);
    assert!(!ls_remote(&url).contains_key("refs/heads/from-tag"));
}

/// A pack whose trailer does not match is refused as a whole: unpack error, every command ng.
#[test]
fn corrupt_pack_is_refused() {
    let (url, src) = seeded_repo("corrupt");
    let old = src.rev("main");
    let id = src.hash_object_literally("blob", b"some content\n");
    let mut tree = b"100644 f\0".to_vec();
    tree.extend_from_slice(&hex_to_bytes(&id));
    let tree_id = src.hash_object_literally("tree", &tree);
    let commit_id = src.git(&["commit-tree", &tree_id, "-p", &old, "-m", "x"]).trim().to_owned();
    let mut p = PackBuilder::default();
    p.full("commit", &src.cat_file("commit", &commit_id)).full("tree", &tree).full("blob", b"some content\n");
    let mut pack = p.finish();
    let n = pack.len();
    pack[n - 1] ^= 0xff;
    let body = receive_pack_request(&[(&old, &commit_id, "refs/heads/main")], "report-status", Some(&pack));
    let report = post_receive_pack(&url, &body);
    assert!(report[0].starts_with("unpack ") && report[0] != "unpack ok", "{report:?}");
    assert!(report[1].starts_with("ng refs/heads/main"), "{report:?}");
    assert_eq!(ls_remote(&url).get("refs/heads/main"), Some(&old));
    mirror_and_fsck(&url);
}
