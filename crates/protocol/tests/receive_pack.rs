//! receive-pack replayed through the state machine on a MemStore: requests are real command lines
//! plus packs made by the real git (`git pack-objects`, thin or not), or hand-built packs for
//! orders git never writes. Responses are parsed as git's send-pack reads them.

mod support;

use git_core::{ObjectId, ObjectKind};
use host_abi::{MemStore, ObjectHeader, RefValue, Store, StoredEncoding};
use protocol::odb::{ObjectReader, ReadLimits};
use protocol::ReceivePack;
use support::*;

const ZERO: &str = "0000000000000000000000000000000000000000";

/// A push request: command lines (capabilities after NUL on the first), flush, pack.
fn push_request(commands: &[(&str, &str, &str)], caps: &str, pack: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, (old, new, name)) in commands.iter().enumerate() {
        let line = if i == 0 { format!("{old} {new} {name}\0{caps}\n") } else { format!("{old} {new} {name}\n") };
        protocol::pktline::write_data(&mut out, line.as_bytes()).expect("short");
    }
    out.extend_from_slice(b"0000");
    out.extend_from_slice(pack);
    out
}

/// `git pack-objects --stdout --revs` of `revs` (lines like `main`, `^old`), thin if asked.
fn pack_of(repo: &std::path::Path, revs: &str, thin: bool) -> Vec<u8> {
    let mut args = vec!["pack-objects", "--stdout", "--revs", "-q"];
    if thin {
        args.push("--thin");
    }
    git_env(repo, &args, &[], Some(format!("{revs}\n").as_bytes()))
}

/// Demultiplex a side-band response: (band 1 bytes, band 2 text, band 3 text); it must end
/// with a flush.
fn demux(mut data: &[u8]) -> (Vec<u8>, String, String) {
    use protocol::pktline::{decode, Decoded, PktLine};
    let (mut one, mut two, mut three) = (Vec::new(), String::new(), String::new());
    let mut flushed = false;
    while !data.is_empty() {
        let Decoded::Complete { line, consumed } = decode(data).expect("pkt-line") else { panic!("truncated") };
        data = &data[consumed..];
        match line {
            PktLine::Data(d) => match d[0] {
                1 => one.extend_from_slice(&d[1..]),
                2 => two.push_str(&String::from_utf8_lossy(&d[1..])),
                3 => three.push_str(&String::from_utf8_lossy(&d[1..])),
                b => panic!("bad band {b}"),
            },
            PktLine::Flush => flushed = true,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(flushed, "side-band response ends with a flush");
    (one, two, three)
}

/// Text pkt-lines (flush as "0000").
fn pkt_lines(mut data: &[u8]) -> Vec<String> {
    let mut lines = Vec::new();
    while !data.is_empty() {
        match protocol::pktline::decode(data).expect("report pkt-line") {
            protocol::pktline::Decoded::Complete { line, consumed } => {
                lines.push(match line.text() {
                    Some(t) => String::from_utf8_lossy(t).into_owned(),
                    None => "0000".into(),
                });
                data = &data[consumed..];
            }
            protocol::pktline::Decoded::Incomplete { .. } => panic!("truncated report"),
        }
    }
    lines
}

/// The report lines of a side-band response, and its band 2 text.
fn report(response: &[u8]) -> (Vec<String>, String) {
    let (one, two, three) = demux(response);
    assert!(three.is_empty(), "no fatal error: {three}");
    (pkt_lines(&one), two)
}

fn run(store: &mut MemStore, request: &[u8]) -> (Vec<String>, String) {
    let mut rp = ReceivePack::default();
    let response = drive(&mut rp, store, request).expect("exchange");
    report(&response)
}

fn direct(store: &MemStore, name: &str) -> Option<ObjectId> {
    match store.refs.get(name) {
        Some(RefValue::Direct(id)) => Some(*id),
        _ => None,
    }
}

/// Every object is readable back whole and hashes to its id.
fn assert_readable(store: &mut MemStore) {
    let ids: Vec<ObjectId> = store.objects.keys().copied().collect();
    let mut reader = ObjectReader::default();
    let mut buf = Vec::new();
    for id in ids {
        let kind = reader.read(store, &id, &ReadLimits::default(), &mut buf).expect("read").expect("present");
        assert_eq!(git_core::hash_object(kind, &buf).expect("hash"), id);
    }
}

fn ids_of(repo: &std::path::Path, args: &[&str]) -> std::collections::BTreeSet<ObjectId> {
    rev_list_objects(repo, args)
}

#[test]
fn push_into_an_empty_repository() {
    let fx = fixture();
    let main = fx.rev("main");
    let pack = pack_of(fx.path(), "main", false);
    let mut store = MemStore::new();
    let req = push_request(&[(ZERO, &main, "refs/heads/main")], "report-status side-band-64k agent=git/2.47.0", &pack);
    let (lines, progress) = run(&mut store, &req);
    assert_eq!(lines, ["unpack ok", "ok refs/heads/main", "0000"]);
    assert!(progress.contains("Received"), "progress unless quiet: {progress:?}");
    assert_eq!(direct(&store, "refs/heads/main"), Some(oid(&main)));
    let expected = ids_of(fx.path(), &["main"]);
    let got: std::collections::BTreeSet<ObjectId> = store.objects.keys().copied().collect();
    assert_eq!(got, expected, "exactly the objects of main");
    assert!(
        store.objects.values().any(|(h, _)| matches!(h.encoding, StoredEncoding::Delta { .. })),
        "deltas are stored as received"
    );
    assert_readable(&mut store);
}

#[test]
fn thin_pack_update_with_quiet_and_report_status_v2() {
    let fx = fixture();
    let mut store = load_store(fx.path());
    let old = fx.rev("main");
    let grow = std::fs::read_to_string(fx.path().join("grow.txt")).expect("read");
    std::fs::write(fx.path().join("grow.txt"), format!("{grow}one more line at the end\n")).expect("write");
    git(fx.path(), &["commit", "-q", "-am", "grow again"]);
    let new = fx.rev("main");
    let pack = pack_of(fx.path(), &format!("main\n^{old}"), true);
    let req = push_request(&[(&old, &new, "refs/heads/main")], "report-status-v2 side-band-64k quiet", &pack);
    let before = store.objects.len();
    let (lines, progress) = run(&mut store, &req);
    assert_eq!(lines, ["unpack ok", "ok refs/heads/main", "0000"]);
    assert!(progress.is_empty(), "quiet: {progress:?}");
    assert_eq!(direct(&store, "refs/heads/main"), Some(oid(&new)));
    assert_eq!(store.objects.len(), before + 3, "commit, tree, blob");
    let blob = oid(&git_str(fx.path(), &["rev-parse", "main:grow.txt"]));
    assert!(
        matches!(store.objects[&blob].0.encoding, StoredEncoding::Delta { .. }),
        "the thin delta is kept as a delta against the stored base"
    );
    assert_readable(&mut store);
}

#[test]
fn stale_old_id_is_rejected_and_nothing_moves() {
    let fx = fixture();
    let mut store = load_store(fx.path());
    let main = fx.rev("main");
    let side = fx.rev("side");
    // The client thinks main is at side's commit.
    let req = push_request(
        &[(&side, &fx.rev("main~1"), "refs/heads/main"), (ZERO, &main, "refs/heads/copy")],
        "report-status side-band-64k",
        &pack_of(fx.path(), "", false),
    );
    let (lines, progress) = run(&mut store, &req);
    assert_eq!(lines, ["unpack ok", "ng refs/heads/main failed to update ref", "ok refs/heads/copy", "0000"]);
    assert!(
        progress.contains(&format!("error: cannot lock ref 'refs/heads/main': is at {main} but expected {side}\n")),
        "{progress}"
    );
    assert_eq!(direct(&store, "refs/heads/main"), Some(oid(&main)));
    assert_eq!(direct(&store, "refs/heads/copy"), Some(oid(&main)));
}

#[test]
fn atomic_failure_moves_nothing() {
    let fx = fixture();
    let mut store = load_store(fx.path());
    let main = fx.rev("main");
    let side = fx.rev("side");
    let req = push_request(
        &[(&main, &side, "refs/heads/main"), (&main, &side, "refs/heads/side"), (ZERO, &main, "refs/heads/new")],
        "report-status atomic side-band-64k",
        &pack_of(fx.path(), "", false),
    );
    let (lines, _) = run(&mut store, &req);
    assert_eq!(
        lines,
        [
            "unpack ok",
            "ng refs/heads/main atomic transaction failed",
            "ng refs/heads/side atomic transaction failed",
            "ng refs/heads/new atomic transaction failed",
            "0000"
        ]
    );
    assert_eq!(direct(&store, "refs/heads/main"), Some(oid(&main)));
    assert_eq!(direct(&store, "refs/heads/side"), Some(oid(&side)));
    assert_eq!(direct(&store, "refs/heads/new"), None);
    // A check failure (funny name) fails the others with "atomic push failure".
    let req = push_request(
        &[(&main, &side, "refs/heads/main"), (ZERO, &main, "refs/heads/bad..name")],
        "report-status atomic side-band-64k",
        &pack_of(fx.path(), "", false),
    );
    let (lines, _) = run(&mut store, &req);
    assert_eq!(
        lines,
        ["unpack ok", "ng refs/heads/main atomic push failure", "ng refs/heads/bad..name funny refname", "0000"]
    );
    assert_eq!(direct(&store, "refs/heads/main"), Some(oid(&main)));
}

#[test]
fn ref_rules_deletions_and_non_commits() {
    let fx = fixture();
    let mut store = load_store(fx.path());
    let main = fx.rev("main");
    let side = fx.rev("side");
    let tree = fx.rev("main^{tree}");
    let tag = fx.rev("v1");
    let req = push_request(
        &[
            (&main, ZERO, "refs/heads/main"),
            (&side, ZERO, "refs/heads/side"),
            ("1111111111111111111111111111111111111111", ZERO, "refs/heads/ghost"),
            (ZERO, &tree, "refs/heads/tree"),
            (ZERO, &tree, "refs/tags/tree"),
            (ZERO, &tag, "refs/heads/tagged"),
            (ZERO, &main, "HEAD"),
            (ZERO, &main, "refs/onelevel"),
            (ZERO, &main, "refs/heads/main/sub"),
        ],
        "report-status side-band-64k",
        &pack_of(fx.path(), "", false),
    );
    let (lines, progress) = run(&mut store, &req);
    assert_eq!(
        lines,
        [
            "unpack ok",
            "ng refs/heads/main deletion of the current branch prohibited",
            "ok refs/heads/side",
            "ok refs/heads/ghost",
            "ng refs/heads/tree failed to update ref",
            "ok refs/tags/tree",
            "ng refs/heads/tagged failed to update ref",
            "ng HEAD funny refname",
            "ng refs/onelevel funny refname",
            "ng refs/heads/main/sub failed to update ref",
            "0000"
        ]
    );
    // The exact lines of receive-pack's rp_error / rp_warning.
    for line in [
        String::from("error: refusing to delete the current branch: refs/heads/main\n"),
        format!("error: trying to write non-commit object {tree} to branch 'refs/heads/tree'\n"),
        format!("error: trying to write non-commit object {tag} to branch 'refs/heads/tagged'\n"),
        String::from("warning: deleting a non-existent ref\n"),
        String::from("error: refusing to update funny ref 'HEAD' remotely\n"),
        String::from("error: refusing to update funny ref 'refs/onelevel' remotely\n"),
        String::from(
            "error: cannot lock ref 'refs/heads/main/sub': 'refs/heads/main' exists; cannot create 'refs/heads/main/sub'\n",
        ),
    ] {
        assert!(progress.contains(&line), "{line:?} not in {progress}");
    }
    assert_eq!(direct(&store, "refs/heads/main"), Some(oid(&main)));
    assert_eq!(direct(&store, "refs/heads/side"), None);
    assert_eq!(direct(&store, "refs/tags/tree"), Some(oid(&tree)));
    assert_eq!(store.refs.get("HEAD"), Some(&RefValue::Symbolic("refs/heads/main".into())));
}

#[test]
fn missing_objects_fail_connectivity_and_leave_nothing() {
    let fx = fixture();
    let main = fx.rev("main");
    // Only main's own commit and changed objects: its parent is not in the (empty) store.
    let pack = pack_of(fx.path(), &format!("main\n^{}", fx.rev("main~1")), false);
    let mut store = MemStore::new();
    let req = push_request(&[(ZERO, &main, "refs/heads/main")], "report-status side-band-64k", &pack);
    let (lines, progress) = run(&mut store, &req);
    assert_eq!(lines, ["unpack ok", "ng refs/heads/main missing necessary objects", "0000"]);
    // Exactly `error: missing necessary objects: <hex id>` on a line of its own.
    let line = progress.lines().find(|l| l.starts_with("error: missing necessary objects: ")).expect("the error line");
    let hex = &line["error: missing necessary objects: ".len()..];
    assert!(hex.len() == 40 && hex.bytes().all(|b| b.is_ascii_hexdigit()), "{line:?}");
    assert!(store.objects.is_empty(), "the push's objects were removed: {}", store.objects.len());
    assert_eq!(direct(&store, "refs/heads/main"), None);
}

#[test]
fn tree_with_dot_git_is_rejected_and_nothing_stays() {
    let fx = fixture();
    let blob = git_str(fx.path(), &["rev-parse", "main:grow.txt"]);
    let tree = String::from_utf8(git_env(
        fx.path(),
        &["mktree"],
        &[],
        Some(format!("100644 blob {blob}\t.git\n").as_bytes()),
    ))
    .expect("utf8");
    let commit = String::from_utf8(git(fx.path(), &["commit-tree", tree.trim(), "-m", "evil"])).expect("utf8");
    let commit = commit.trim();
    let pack = pack_of(fx.path(), commit, false);
    let mut store = MemStore::new();
    let req = push_request(&[(ZERO, commit, "refs/heads/evil")], "report-status side-band-64k", &pack);
    let (lines, _) = run(&mut store, &req);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].starts_with("unpack ") && lines[0] != "unpack ok", "{lines:?}");
    assert!(lines[0].contains(tree.trim()) && lines[0].contains(".git"), "names the tree and the reason: {lines:?}");
    assert_eq!(lines[1], "ng refs/heads/evil unpacker error");
    assert!(store.objects.is_empty(), "no object of the rejected push stays");
    assert_eq!(direct(&store, "refs/heads/evil"), None);
}

/// A pack entry header (type, size varint).
fn entry_header(ty: u8, mut size: u64) -> Vec<u8> {
    let mut out = vec![(ty << 4) | (size & 15) as u8];
    size >>= 4;
    while size > 0 {
        *out.last_mut().expect("byte") |= 0x80;
        out.push((size & 0x7f) as u8);
        size >>= 7;
    }
    out
}

/// A pack from raw entries (header bytes + zlib), with its trailer.
fn build_pack(entries: &[Vec<u8>]) -> Vec<u8> {
    let mut pack = b"PACK\0\0\0\x02".to_vec();
    pack.extend_from_slice(&(entries.len() as u32).to_be_bytes());
    for e in entries {
        pack.extend_from_slice(e);
    }
    let mut h = git_core::Hasher::new();
    h.update(&pack);
    pack.extend_from_slice(h.finish().expect("no collision").as_bytes());
    pack
}

#[test]
fn ref_delta_whose_base_comes_later_in_the_pack() {
    let base = b"the base blob, long enough to be worth a delta\n".repeat(4);
    let mut target = base.clone();
    target.extend_from_slice(b"extra\n");
    // Delta: source size, target size, copy(0, base.len()), insert "extra\n".
    let mut delta = vec![base.len() as u8 & 0x7f | 0x80, (base.len() >> 7) as u8, target.len() as u8 & 0x7f | 0x80, (target.len() >> 7) as u8];
    delta.extend_from_slice(&[0x80 | 0x10, base.len() as u8]);
    delta.push(6);
    delta.extend_from_slice(b"extra\n");
    let base_id = git_core::hash_object(ObjectKind::Blob, &base).expect("hash");
    let target_id = git_core::hash_object(ObjectKind::Blob, &target).expect("hash");
    let mut first = entry_header(7, delta.len() as u64);
    first.extend_from_slice(base_id.as_bytes());
    first.extend_from_slice(&git_core::zlib::deflate(&delta, 6));
    let mut second = entry_header(3, base.len() as u64);
    second.extend_from_slice(&git_core::zlib::deflate(&base, 6));
    // A tag naming the target so a ref can point at it.
    let tag = format!("object {target_id}\ntype blob\ntag t\ntagger A U Thor <a@example.com> 1700000000 +0000\n\nt\n");
    let tag_id = git_core::hash_object(ObjectKind::Tag, tag.as_bytes()).expect("hash");
    let mut third = entry_header(4, tag.len() as u64);
    third.extend_from_slice(&git_core::zlib::deflate(tag.as_bytes(), 6));
    let pack = build_pack(&[first, second, third]);
    let mut store = MemStore::new();
    let req = push_request(&[(ZERO, &tag_id.to_string(), "refs/tags/t")], "report-status side-band-64k", &pack);
    let (lines, _) = run(&mut store, &req);
    assert_eq!(lines, ["unpack ok", "ok refs/tags/t", "0000"]);
    let (header, _) = &store.objects[&target_id];
    assert_eq!(header.encoding, StoredEncoding::Delta { base: base_id });
    assert_eq!((header.size, header.payload_size, header.depth), (target.len() as u64, delta.len() as u64, 1));
    assert_readable(&mut store);
}

#[test]
fn an_existing_id_with_other_contents_is_a_collision() {
    let fx = fixture();
    let main = fx.rev("main");
    let pack = pack_of(fx.path(), "main", false);
    let mut store = MemStore::new();
    // Plant a different object under the id of main's README-like blob.
    let blob = oid(&git_str(fx.path(), &["rev-parse", "main:dir/sub0/f0.txt"]));
    let fake = git_core::zlib::deflate(b"not the same\n", 6);
    let header = ObjectHeader { kind: ObjectKind::Blob, size: 13, encoding: StoredEncoding::Full, payload_size: 13, depth: 0 };
    store.object_write(&blob, &header, &fake).expect("plant");
    let req = push_request(&[(ZERO, &main, "refs/heads/main")], "report-status side-band-64k", &pack);
    let (lines, _) = run(&mut store, &req);
    assert_eq!(lines[0], format!("unpack SHA1 COLLISION FOUND WITH {blob} !"));
    assert_eq!(store.objects.len(), 1, "only the planted object remains");
    assert_eq!(direct(&store, "refs/heads/main"), None);
}

#[test]
fn delete_only_push_without_sideband_and_push_options() {
    let fx = fixture();
    let mut store = load_store(fx.path());
    let side = fx.rev("side");
    let mut req = Vec::new();
    protocol::pktline::write_data(
        &mut req,
        format!("{side} {ZERO} refs/heads/side\0report-status delete-refs push-options\n").as_bytes(),
    )
    .expect("short");
    req.extend_from_slice(b"0000");
    protocol::pktline::write_text(&mut req, b"ci.skip").expect("short");
    req.extend_from_slice(b"0000");
    let mut rp = ReceivePack::default();
    let out = drive(&mut rp, &mut store, &req).expect("exchange");
    assert_eq!(out, b"000eunpack ok\n0017ok refs/heads/side\n0000");
    assert_eq!(rp.request().map(|r| r.push_options), Some(1), "one push option counted");
    assert_eq!(direct(&store, "refs/heads/side"), None);
}

#[test]
fn matches_what_git_receive_pack_reports() {
    // The same push against git itself gives the same report lines.
    let fx = fixture();
    let bare = tempfile::tempdir().expect("tempdir");
    git(bare.path(), &["init", "-q", "--bare", "-b", "main"]);
    let main = fx.rev("main");
    let pack = pack_of(fx.path(), "main", false);
    let req = push_request(
        &[(ZERO, &main, "refs/heads/main"), (ZERO, &main, "refs/heads/bad..name")],
        "report-status side-band-64k quiet",
        &pack,
    );
    let theirs = git_env(bare.path(), &["receive-pack", "--stateless-rpc", "."], &[], Some(&req));
    let mut store = MemStore::new();
    let (lines, _) = run(&mut store, &req);
    let (git_lines, _) = report(&theirs);
    assert_eq!(lines, git_lines);
}
