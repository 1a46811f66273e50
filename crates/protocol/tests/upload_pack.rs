//! upload-pack against the real git: the same requests (as git, libgit2 and isomorphic-git send
//! them) go to `git upload-pack --stateless-rpc` and to `UploadPack` over a MemStore filled from
//! the same repository; the non-pack lines must match git's, and the packs must index with
//! `git index-pack --strict` and carry the same objects as git's.

mod support;

use protocol::service::{ProtocolVersion, Service};
use protocol::UploadPack;
use std::collections::BTreeSet;
use support::*;

fn ours(store: &mut host_abi::MemStore, v: ProtocolVersion, req: &[u8]) -> Vec<u8> {
    let mut up = UploadPack::new(v);
    drive(&mut up, store, req).expect("exchange")
}

/// Lines before the pack, without lines naming the agent.
fn strip(lines: &[String]) -> Vec<String> {
    lines.iter().filter(|l| !l.starts_with("agent=")).cloned().collect()
}

/// git 2.47's upload-pack writes `wanted-refs` before `shallow-info`; gitprotocol-v2 (and git's
/// own fetch-pack, which reads shallow-info first) wants shallow-info first. Put git's lines in
/// the spec's order.
fn spec_order(lines: Vec<String>) -> Vec<String> {
    let (Some(w), Some(s)) = (
        lines.iter().position(|l| l == "wanted-refs"),
        lines.iter().position(|l| l == "shallow-info"),
    ) else {
        return lines;
    };
    if w > s {
        return lines;
    }
    let mut out = lines[..w].to_vec();
    out.extend_from_slice(&lines[s..]);
    let end = out.iter().position(|l| l == "packfile").expect("packfile");
    let mut tail = out.split_off(end);
    out.extend_from_slice(&lines[w..s]);
    out.append(&mut tail);
    out
}

/// Compare our response with git's for a v2 fetch: same section lines, same object set.
fn compare_v2_fetch(fx: &Fixture, store: &mut host_abi::MemStore, lines: &[&str], thin: bool) -> Response {
    let req = request(lines);
    let theirs = parse_response(&git_upload_pack(fx.path(), &req, true), true, true);
    let mine = parse_response(&ours(store, ProtocolVersion::V2, &req), true, true);
    assert_eq!(strip(&mine.lines), spec_order(strip(&theirs.lines)), "section lines differ");
    assert!(mine.errors.is_empty(), "errors: {}", mine.errors);
    if thin && !theirs.pack.is_empty() {
        // index-pack --fix-thin appends bases of its choosing: compare counts and coverage.
        assert_eq!(mine.pack[8..12], theirs.pack[8..12], "entry counts differ");
        let b = index_pack(fx.path(), &theirs.pack, true);
        let a = index_pack(fx.path(), &mine.pack, true);
        assert!(a.len() >= u32::from_be_bytes([mine.pack[8], mine.pack[9], mine.pack[10], mine.pack[11]]) as usize);
        assert!(!b.is_empty());
    } else if !theirs.pack.is_empty() {
        let a = index_pack(fx.path(), &mine.pack, thin);
        let b = index_pack(fx.path(), &theirs.pack, thin);
        if a != b {
            for id in a.symmetric_difference(&b) {
                let t = git_str(fx.path(), &["cat-file", "-t", &id.to_string()]);
                eprintln!("{} {id} {t}", if a.contains(id) { "ours only" } else { "git only" });
            }
            panic!("object sets differ for {lines:?}");
        }
        assert!(!a.is_empty());
    } else {
        assert!(mine.pack.is_empty());
    }
    mine
}

#[test]
fn v2_advertisement_and_v0_refs() {
    let fx = fixture();
    let mut store = load_store(fx.path());
    let mut out = Vec::new();
    protocol::advertise_refs(&mut store, Service::UploadPack, ProtocolVersion::V2, &mut out).expect("adv");
    let r = parse_response(&out, false, true);
    assert_eq!(r.lines[0], "version 2");
    assert!(r.lines.contains(&"ls-refs=unborn".to_string()));
    assert!(r.lines.contains(&"fetch=shallow wait-for-done filter ref-in-want sideband-all".to_string()));
    assert_eq!(r.lines.last().map(String::as_str), Some("0000"));

    // v0: the ref lines equal git's own advertisement (capabilities compared separately).
    let mut out = Vec::new();
    protocol::advertise_refs(&mut store, Service::UploadPack, ProtocolVersion::V0, &mut out).expect("adv");
    let ours = parse_response(&out, false, false);
    assert_eq!(ours.lines[0], "# service=git-upload-pack");
    assert_eq!(ours.lines[1], "0000");
    let git = parse_response(
        &git_env(fx.path(), &["upload-pack", "--stateless-rpc", "--advertise-refs", "."], &[], None),
        false,
        false,
    );
    let refs = |lines: &[String]| -> Vec<String> {
        lines.iter().map(|l| l.split('\0').next().unwrap_or("").to_string()).collect()
    };
    assert_eq!(refs(&ours.lines[2..]), refs(&git.lines));
    let caps = ours.lines[2].split('\0').nth(1).expect("caps").to_string();
    assert!(caps.contains("symref=HEAD:refs/heads/main"));
    assert!(caps.contains("multi_ack_detailed") && caps.contains("no-done") && caps.contains("filter"));

    // v1 adds "version 1" after the service header.
    let mut out = Vec::new();
    protocol::advertise_refs(&mut store, Service::UploadPack, ProtocolVersion::V1, &mut out).expect("adv");
    assert_eq!(parse_response(&out, false, false).lines[2], "version 1");
}

#[test]
fn empty_repository_advertisement() {
    let mut store = host_abi::MemStore::new();
    let mut out = Vec::new();
    protocol::advertise_refs(&mut store, Service::UploadPack, ProtocolVersion::V0, &mut out).expect("adv");
    let r = parse_response(&out, false, false);
    assert!(r.lines[2].starts_with("0000000000000000000000000000000000000000 capabilities^{}\0multi_ack"));
    let mut out = Vec::new();
    protocol::advertise_refs(&mut store, Service::ReceivePack, ProtocolVersion::V2, &mut out).expect("adv");
    let r = parse_response(&out, false, false);
    assert_eq!(r.lines[0], "# service=git-receive-pack", "push never speaks v2");
    assert!(r.lines[2].contains("capabilities^{}\0report-status"));
    // ls-refs with unborn.
    let req = request(&["command=ls-refs", "0001", "symrefs", "unborn", "0000"]);
    let r = parse_response(&ours(&mut store, ProtocolVersion::V2, &req), false, true);
    assert_eq!(r.lines, ["unborn HEAD symref-target:refs/heads/main", "0000"]);
}

#[test]
fn v2_ls_refs_matches_git() {
    let fx = fixture();
    let mut store = load_store(fx.path());
    for args in [
        &["symrefs", "peel", "unborn"][..],
        &["peel", "ref-prefix refs/tags/"][..],
        &["symrefs", "ref-prefix HEAD", "ref-prefix refs/heads/"][..],
        &[][..],
    ] {
        let mut lines = vec!["command=ls-refs", "agent=git/2.47.0", "object-format=sha1", "0001"];
        lines.extend_from_slice(args);
        lines.push("0000");
        let req = request(&lines);
        let theirs = parse_response(&git_upload_pack(fx.path(), &req, true), false, true);
        let mine = parse_response(&ours(&mut store, ProtocolVersion::V2, &req), false, true);
        assert_eq!(mine.lines, theirs.lines, "ls-refs {args:?}");
    }
}

#[test]
fn v2_clone_and_incremental_fetch() {
    let fx = fixture();
    let mut store = load_store(fx.path());
    let main = fx.rev("main");
    let side = fx.rev("side");
    let want_main = format!("want {main}");
    let want_side = format!("want {side}");
    // A clone: no haves.
    let r = compare_v2_fetch(
        &fx,
        &mut store,
        &["command=fetch", "object-format=sha1", "0001", "thin-pack", "ofs-delta", &want_main, &want_side, "done", "0000"],
        false,
    );
    assert!(r.progress.contains("Enumerating objects"), "progress: {}", r.progress);
    let all = rev_list_objects(fx.path(), &[&main, &side]);
    assert_eq!(index_pack(fx.path(), &r.pack, false), all);

    // A negotiation round without done: acknowledgments + ready, then the pack.
    let have = format!("have {}", fx.rev("main~4"));
    let unknown = "have 1111111111111111111111111111111111111111";
    compare_v2_fetch(&fx, &mut store, &["command=fetch", "0001", "ofs-delta", &want_main, &have, unknown, "0000"], false);
    // With done and a thin pack.
    let r = compare_v2_fetch(
        &fx,
        &mut store,
        &["command=fetch", "0001", "thin-pack", "ofs-delta", &want_main, &have, "done", "0000"],
        true,
    );
    let expect = rev_list_objects(fx.path(), &[&main, "--not", &fx.rev("main~4")]);
    let n = u32::from_be_bytes([r.pack[8], r.pack[9], r.pack[10], r.pack[11]]) as usize;
    assert_eq!(n, expect.len(), "entry count equals rev-list --objects");
    // wait-for-done: acknowledgments but never ready.
    let r = compare_v2_fetch(&fx, &mut store, &["command=fetch", "0001", &want_main, &have, "wait-for-done", "0000"], false);
    assert!(!r.lines.contains(&"ready".to_string()));
}

#[test]
fn v2_filters_match_git() {
    let fx = fixture();
    let mut store = load_store(fx.path());
    let want = format!("want {}", fx.rev("main"));
    for f in ["filter blob:none", "filter blob:limit=1k", "filter tree:0", "filter tree:1", "filter tree:2", "filter combine:blob:none+tree:3"] {
        compare_v2_fetch(&fx, &mut store, &["command=fetch", "0001", "ofs-delta", &want, f, "done", "0000"], false);
    }
    // Lazy fetch of a blob by id with a filter that would drop it.
    let blob = format!("want {}", fx.rev("main:big.bin"));
    let r = compare_v2_fetch(&fx, &mut store, &["command=fetch", "0001", &blob, "filter blob:none", "done", "0000"], false);
    assert_eq!(index_pack(fx.path(), &r.pack, false).len(), 1);
}

#[test]
fn v2_shallow_and_want_ref() {
    let fx = fixture();
    let mut store = load_store(fx.path());
    let want = format!("want {}", fx.rev("main"));
    compare_v2_fetch(&fx, &mut store, &["command=fetch", "0001", "ofs-delta", &want, "deepen 1", "done", "0000"], false);
    compare_v2_fetch(&fx, &mut store, &["command=fetch", "0001", "ofs-delta", &want, "deepen 3", "done", "0000"], false);
    compare_v2_fetch(
        &fx,
        &mut store,
        &["command=fetch", "0001", "ofs-delta", "want-ref refs/heads/main", "deepen 2", "done", "0000"],
        false,
    );
    compare_v2_fetch(&fx, &mut store, &["command=fetch", "0001", &want, "deepen-since 1700008000", "done", "0000"], false);
    compare_v2_fetch(&fx, &mut store, &["command=fetch", "0001", &want, "deepen-not v1", "done", "0000"], false);
    // Deepen an existing shallow clone by 2 relative to its boundary, and unshallow it.
    let shallow = format!("shallow {}", fx.rev("main~1"));
    let have = format!("have {}", fx.rev("main"));
    compare_v2_fetch(
        &fx,
        &mut store,
        &["command=fetch", "0001", "ofs-delta", &want, &shallow, &have, "deepen 2", "deepen-relative", "done", "0000"],
        false,
    );
    compare_v2_fetch(
        &fx,
        &mut store,
        &["command=fetch", "0001", "ofs-delta", &want, &shallow, &have, "deepen 2147483647", "done", "0000"],
        false,
    );
}

#[test]
fn v2_include_tag_and_object_info() {
    let fx = fixture();
    let mut store = load_store(fx.path());
    let want = format!("want {}", fx.rev("main"));
    compare_v2_fetch(&fx, &mut store, &["command=fetch", "0001", "include-tag", &want, "done", "0000"], false);
    let blob = fx.rev("main:big.bin");
    let req = request(&["command=object-info", "0001", "size", &format!("oid {blob}"), "0000"]);
    let r = parse_response(&ours(&mut store, ProtocolVersion::V2, &req), false, true);
    let size = git_str(fx.path(), &["cat-file", "-s", &blob]);
    assert_eq!(r.lines, ["size".to_string(), format!("{blob} {size}"), "0000".to_string()]);
}

#[test]
fn v0_multi_ack_detailed_rounds_match_git() {
    let fx = fixture();
    let mut store = load_store(fx.path());
    let main = fx.rev("main");
    // isomorphic-git's capabilities; two rounds like a stateless-rpc client.
    let first = format!("want {main} multi_ack_detailed no-done side-band-64k ofs-delta agent=git/isomorphic-git@1.27.1");
    let have_old = format!("have {}", fx.rev("main~6"));
    let have_unknown = "have 2222222222222222222222222222222222222222";
    for (lines, sideband) in [
        (vec![first.as_str(), "0000", have_unknown, "0000"], true),
        (vec![first.as_str(), "0000", have_unknown, &have_old, "0000"], true),
        (vec![first.as_str(), "0000", &have_old, "done"], true),
        (vec![first.as_str(), "0000", "done"], true),
    ] {
        let req = request(&lines);
        let theirs = parse_response(&git_upload_pack(fx.path(), &req, false), sideband, false);
        let mine = parse_response(&ours(&mut store, ProtocolVersion::V0, &req), sideband, false);
        assert_eq!(mine.lines, theirs.lines, "request {lines:?}");
        if !theirs.pack.is_empty() {
            assert_eq!(index_pack(fx.path(), &mine.pack, false), index_pack(fx.path(), &theirs.pack, false));
        } else {
            assert!(mine.pack.is_empty());
        }
    }
}

#[test]
fn v0_libgit2_and_plain_clients() {
    let fx = fixture();
    let mut store = load_store(fx.path());
    let main = fx.rev("main");
    let haves: Vec<String> = (2..6).map(|i| format!("have {}", fx.rev(&format!("main~{i}")))).collect();
    // libgit2: multi_ack_detailed side-band-64k thin-pack ofs-delta, haves then done.
    let first = format!("want {main} multi_ack_detailed side-band-64k thin-pack ofs-delta include-tag");
    let mut lines: Vec<&str> = vec![&first, "0000"];
    lines.extend(haves.iter().map(String::as_str));
    lines.push("done");
    let req = request(&lines);
    let theirs = parse_response(&git_upload_pack(fx.path(), &req, false), true, false);
    let mine = parse_response(&ours(&mut store, ProtocolVersion::V0, &req), true, false);
    assert_eq!(mine.lines, theirs.lines);
    assert_eq!(mine.pack[8..12], theirs.pack[8..12], "entry counts differ");
    index_pack(fx.path(), &mine.pack, true);
    // No multi_ack, no side-band: the pack follows raw.
    let first = format!("want {main}");
    let mut lines: Vec<&str> = vec![&first, "0000"];
    lines.extend(haves.iter().map(String::as_str));
    lines.push("done");
    let req = request(&lines);
    let theirs = parse_response(&git_upload_pack(fx.path(), &req, false), false, false);
    let mine = parse_response(&ours(&mut store, ProtocolVersion::V0, &req), false, false);
    assert_eq!(mine.lines, theirs.lines);
    assert_eq!(&mine.pack[..4], b"PACK", "{:?}", String::from_utf8_lossy(&mine.pack[..40.min(mine.pack.len())]));
    assert_eq!(index_pack(fx.path(), &mine.pack, false), index_pack(fx.path(), &theirs.pack, false));
    // Shallow clone over v0: shallow lines + flush first.
    let first = format!("want {main} multi_ack_detailed side-band-64k ofs-delta");
    let req = request(&[&first, "deepen 2", "0000", "done"]);
    let theirs = parse_response(&git_upload_pack(fx.path(), &req, false), true, false);
    let mine = parse_response(&ours(&mut store, ProtocolVersion::V0, &req), true, false);
    assert_eq!(mine.lines, theirs.lines);
    assert_eq!(index_pack(fx.path(), &mine.pack, false), index_pack(fx.path(), &theirs.pack, false));
}

/// Stateless-RPC shallow clone as git's fetch-pack does it: the first request ends right after
/// the wants' flush and must be answered with the shallow list alone (git's upload-pack dies at
/// the end of input without a NAK; a stray NAK would be read as the start of the next response).
/// Then a v0 lazy fetch of a single blob by id (partial clone), which git serves with
/// `uploadpack.allowAnySHA1InWant`.
#[test]
fn v0_stateless_shallow_round_and_blob_want_match_git() {
    let fx = fixture();
    let mut store = load_store(fx.path());
    let main = fx.rev("main");
    let first = format!("want {main} multi_ack_detailed no-done side-band-64k thin-pack ofs-delta deepen-since deepen-not");
    let mut req = request(&[&first, "deepen 1"]);
    req.extend_from_slice(b"0000");
    // git exits non-zero at the end of this input (it expected haves), after writing its answer.
    let theirs = {
        use std::io::Write;
        let mut c = std::process::Command::new("git")
            .args(["upload-pack", "--stateless-rpc", "."])
            .current_dir(fx.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn git upload-pack");
        c.stdin.take().expect("stdin").write_all(&req).expect("write request");
        c.wait_with_output().expect("git upload-pack").stdout
    };
    let mine = ours(&mut store, ProtocolVersion::V0, &req);
    let (m, t) = (parse_response(&mine, false, false), parse_response(&theirs, false, false));
    assert_eq!(m.lines, t.lines);
    assert_eq!(m.lines, [format!("shallow {main}"), "0000".to_string()], "the shallow list and its flush alone, no NAK");
    assert!(mine.ends_with(b"0000") && theirs.ends_with(b"0000"));

    let listing = git_str(fx.path(), &["ls-tree", "-r", "main~3"]);
    let blob_id = listing
        .lines()
        .find(|l| l.contains(" blob "))
        .and_then(|l| l.split_whitespace().nth(2))
        .expect("a blob in main~3")
        .to_string();
    let first = format!("want {blob_id} multi_ack_detailed no-done side-band-64k ofs-delta filter");
    let req = request(&[&first, "filter blob:none", "0000", "done"]);
    let theirs_raw = git_env(
        fx.path(),
        &["-c", "uploadpack.allowAnySHA1InWant=true", "-c", "uploadpack.allowFilter=true", "upload-pack", "--stateless-rpc", "."],
        &[],
        Some(&req),
    );
    let theirs = parse_response(&theirs_raw, true, false);
    let mine = parse_response(&ours(&mut store, ProtocolVersion::V0, &req), true, false);
    assert!(mine.errors.is_empty(), "errors: {}", mine.errors);
    assert_eq!(mine.lines, theirs.lines);
    let got = index_pack(fx.path(), &mine.pack, false);
    assert_eq!(got, index_pack(fx.path(), &theirs.pack, false));
    assert_eq!(got.len(), 1, "exactly the wanted blob");
}

/// A v0 fetch into a shallow clone that does not deepen: the client sends its `shallow` lines
/// without `deepen`, so git answers no shallow list and no flush before the ACK/NAK lines
/// (upload-pack.c `receive_needs`/`send_shallow_list`); a flush there makes git's fetch-pack die
/// with "expected ACK/NAK, got a flush packet". Both a negotiation round and the final `done`
/// request, as git's stateless fetch-pack sends them.
#[test]
fn v0_fetch_into_shallow_clone_without_deepen_matches_git() {
    let fx = fixture();
    let mut store = load_store(fx.path());
    let main = fx.rev("main");
    let boundary = fx.rev("main~2");
    let first = format!("want {main} multi_ack_detailed no-done side-band-64k thin-pack ofs-delta deepen-since deepen-not");
    let shallow = format!("shallow {boundary}");
    let have = format!("have {boundary}");
    for lines in [
        vec![first.as_str(), &shallow, "0000", &have, "0000"],
        vec![first.as_str(), &shallow, "0000", &have, "done"],
    ] {
        let req = request(&lines);
        let theirs = parse_response(&git_upload_pack(fx.path(), &req, false), true, false);
        let mine = parse_response(&ours(&mut store, ProtocolVersion::V0, &req), true, false);
        assert!(mine.errors.is_empty(), "errors: {}", mine.errors);
        assert_eq!(mine.lines, theirs.lines, "request {lines:?}");
        assert!(mine.lines.first().is_some_and(|l| l.starts_with("ACK ")), "ACK first, no flush: {:?}", mine.lines);
        if theirs.pack.is_empty() {
            assert!(mine.pack.is_empty());
        } else {
            // Thin packs: index-pack --fix-thin appends bases of each side's choosing.
            assert_eq!(mine.pack[8..12], theirs.pack[8..12], "entry counts differ");
            let got = index_pack(fx.path(), &mine.pack, true);
            assert!(got.contains(&oid(&main)) && got.contains(&oid(&fx.rev("main~1"))));
            assert!(!got.contains(&oid(&boundary)), "the client's shallow commit is not sent");
        }
    }
}

#[test]
fn protocol_errors_are_err_lines() {
    let fx = fixture();
    let mut store = load_store(fx.path());
    let main = fx.rev("main");
    let missing = "want 3333333333333333333333333333333333333333 side-band-64k";
    let r = parse_response(&ours(&mut store, ProtocolVersion::V0, &request(&[missing, "0000", "done"])), false, false);
    assert_eq!(r.lines, ["ERR upload-pack: not our ref 3333333333333333333333333333333333333333"]);
    let want = format!("want {main}");
    let req = request(&["command=fetch", "0001", &want, "deepen 1", "deepen-since 1", "done", "0000"]);
    let r = parse_response(&ours(&mut store, ProtocolVersion::V2, &req), false, true);
    assert_eq!(r.lines, ["ERR git upload-pack: deepen and deepen-since (or deepen-not) cannot be used together"]);
    let req = request(&["command=fetch", "0001", "want-ref refs/heads/nope", "done", "0000"]);
    let r = parse_response(&ours(&mut store, ProtocolVersion::V2, &req), false, true);
    assert_eq!(r.lines, ["ERR unknown ref refs/heads/nope"]);
    // An empty v0 request (no wants) gets an empty response.
    assert!(ours(&mut store, ProtocolVersion::V0, b"0000").is_empty());
    let _: BTreeSet<u8> = BTreeSet::new();
}

#[test]
fn request_over_cap_is_an_exchange_error() {
    let mut store = host_abi::MemStore::new();
    let mut up = UploadPack::new(ProtocolVersion::V0);
    let chunk = vec![b'0'; 1 << 20];
    let mut result = Ok(());
    for _ in 0..11 {
        result = protocol::Exchange::handle_input(&mut up, &mut store, &chunk);
        if result.is_err() {
            break;
        }
    }
    // "0000" repeated is a stream of flushes; the cap still applies.
    assert!(matches!(result, Err(protocol::ExchangeError::RequestTooLarge { limit: 10485760, .. })), "{result:?}");
}

/// A v0 negotiation round of a fetch that deepens a shallow clone (`git fetch --deepen=1`): git's
/// upload-pack registers the client's shallow commits and the new boundary as shallow before it
/// reads the haves, hiding their parents from `got_oid` and `ok_to_give_up`, and `send_unshallow`
/// adds the unshallowed commits' parents to the wants: with those parents out of the client's
/// reach git sends no `ready`, and neither may we. Then the final `done` request.
#[test]
fn v0_deepen_negotiation_matches_git() {
    let fx = fixture();
    let mut store = load_store(fx.path());
    let main = fx.rev("main");
    let boundary = fx.rev("main~2");
    let first = format!("want {main} multi_ack_detailed no-done side-band-64k thin-pack ofs-delta deepen-relative");
    let shallow = format!("shallow {boundary}");
    let have = format!("have {boundary}");
    for lines in [
        vec![first.as_str(), &shallow, "deepen 1", "0000", &have, "0000"],
        vec![first.as_str(), &shallow, "deepen 1", "0000", &have, "done"],
    ] {
        let req = request(&lines);
        let theirs = parse_response(&git_upload_pack(fx.path(), &req, false), true, false);
        let mine = parse_response(&ours(&mut store, ProtocolVersion::V0, &req), true, false);
        assert!(mine.errors.is_empty(), "errors: {}", mine.errors);
        assert_eq!(mine.lines, theirs.lines, "request {lines:?}");
        assert!(mine.lines.contains(&format!("unshallow {boundary}")), "{:?}", mine.lines);
        if lines.last() == Some(&"0000") {
            assert!(!mine.lines.iter().any(|l| l.ends_with(" ready")), "no ready: {:?}", mine.lines);
            assert!(mine.pack.is_empty(), "no pack before done");
        } else {
            assert_eq!(mine.pack[8..12], theirs.pack[8..12], "entry counts differ");
            let got = index_pack(fx.path(), &mine.pack, true);
            assert!(got.contains(&oid(&fx.rev("main~3"))), "the unshallowed commit's parent is sent");
        }
    }
}
