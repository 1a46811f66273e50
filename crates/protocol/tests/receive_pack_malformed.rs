//! receive-pack on malformed input: bad command lines, bad pkt-lines, truncated or garbage packs,
//! misuse of the driver contract. Every case answers the client (ERR line, band 3, or an
//! `unpack <reason>` report) and leaves the store as it was.

mod support;

use host_abi::{MemStore, RefValue};
use protocol::receive_pack::{HeadLimits, Limits};
use protocol::{Exchange, ExchangeError, ReceivePack};
use support::*;

const ZERO: &str = "0000000000000000000000000000000000000000";
const ID: &str = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";

fn pkt(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    protocol::pktline::write_data(&mut out, text.as_bytes()).expect("short");
    out
}

fn run(store: &mut MemStore, request: &[u8]) -> String {
    let mut rp = ReceivePack::default();
    let out = drive(&mut rp, store, request).expect("answered in-band");
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn bad_command_lines_get_an_err_line() {
    for (line, expect) in [
        (format!("{ZERO} {ID}\0report-status\n"), "ERR protocol error: expected old/new/ref, got"),
        (format!("{ZERO}  {ID} refs/heads/x\0report-status\n"), "expected old/new/ref"),
        (format!("zzzz {ID} refs/heads/x\n"), "expected old/new/ref"),
        ("shallow nothex\n".to_string(), "ERR protocol error: expected shallow sha, got 'nothex'"),
        (format!("{ZERO} {ID} refs/heads/x\0object-format=sha256\n"), "ERR unsupported object format 'sha256'"),
    ] {
        let mut req = pkt(&line);
        req.extend_from_slice(b"0000");
        let mut store = MemStore::new();
        let before = store.refs.clone();
        let out = run(&mut store, &req);
        assert!(out.contains(expect), "{line:?} -> {out:?}");
        assert_eq!(store.refs, before);
        assert!(store.objects.is_empty());
    }
}

#[test]
fn protocol_errors_after_side_band_go_to_band_3() {
    let mut req = pkt(&format!("{ZERO} {ID} refs/heads/x\0report-status side-band-64k\n"));
    req.extend_from_slice(b"0001");
    let out = run(&mut MemStore::new(), &req);
    assert!(out.contains("\x03protocol error: unexpected delim packet"), "{out:?}");
    assert!(out.ends_with("0000"));
    // The other special packet shares the error exit; its name must still be its own.
    let mut req = pkt(&format!("{ZERO} {ID} refs/heads/x\0report-status side-band-64k\n"));
    req.extend_from_slice(b"0002");
    let out = run(&mut MemStore::new(), &req);
    assert!(out.contains("\x03protocol error: unexpected response-end packet in the command list"), "{out:?}");
}

#[test]
fn bad_pkt_lines_and_truncated_heads() {
    for req in [&b"zzzz"[..], b"0003", b"fff1", b"0100short"] {
        let out = run(&mut MemStore::new(), req);
        assert!(out.starts_with("00") && out.contains("ERR protocol error"), "{req:?} -> {out:?}");
    }
    // A head cut before its flush.
    let req = pkt(&format!("{ZERO} {ID} refs/heads/x\0report-status\n"));
    let out = run(&mut MemStore::new(), &req);
    assert!(out.contains("the request ended inside the command list"), "{out:?}");
    // An empty body is a valid push of nothing: an empty answer.
    assert_eq!(run(&mut MemStore::new(), b""), "");
}

#[test]
fn head_limits_are_enforced() {
    let limits = Limits { head: HeadLimits { max_commands: 2, ..HeadLimits::default() }, ..Limits::default() };
    let mut req = Vec::new();
    for i in 0..3 {
        req.extend_from_slice(&pkt(&format!("{ID} {ZERO} refs/heads/b{i}\n")));
    }
    req.extend_from_slice(b"0000");
    let mut rp = ReceivePack::new(limits);
    let out = drive(&mut rp, &mut MemStore::new(), &req).expect("in-band");
    assert!(String::from_utf8_lossy(&out).contains("too many commands: got 3, limit 2"), "{out:?}");
}

fn push_with(pack: &[u8]) -> (String, MemStore) {
    let mut req = pkt(&format!("{ZERO} {ID} refs/heads/x\0report-status\n"));
    req.extend_from_slice(b"0000");
    req.extend_from_slice(pack);
    let mut store = MemStore::new();
    let out = run(&mut store, &req);
    (out, store)
}

#[test]
fn missing_truncated_and_garbage_packs_fail_the_unpack() {
    let (out, store) = push_with(b"");
    assert!(out.contains("unpack eof before pack header was fully read"), "{out:?}");
    assert!(out.contains("ng refs/heads/x unpacker error"), "{out:?}");
    assert!(store.objects.is_empty());

    let (out, _) = push_with(b"this is not a pack at all, just garbage bytes");
    assert!(out.starts_with("00") && out.contains("unpack ") && !out.contains("unpack ok"), "{out:?}");
    assert!(out.contains("ng refs/heads/x unpacker error"), "{out:?}");

    // A real pack, cut at every 97th byte: never accepted, never leaves objects behind.
    let fx = fixture();
    let pack = git_env(fx.path(), &["pack-objects", "--stdout", "--revs", "-q"], &[], Some(b"main\n"));
    for cut in (0..pack.len()).step_by(97) {
        let (out, store) = push_with(&pack[..cut]);
        assert!(!out.contains("unpack ok") && out.contains("unpacker error"), "cut at {cut}: {out:?}");
        assert!(store.objects.is_empty(), "cut at {cut}: {} objects left", store.objects.len());
    }
    // Bytes after the trailer.
    let mut long = pack.clone();
    long.extend_from_slice(b"trailing");
    let (out, store) = push_with(&long);
    assert!(out.contains("unpacker error"), "{out:?}");
    assert!(store.objects.is_empty());
    // A flipped byte inside the pack.
    let mut bad = pack.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x55;
    let (out, store) = push_with(&bad);
    assert!(out.contains("unpacker error"), "{out:?}");
    assert!(store.objects.is_empty());
    assert_eq!(store.refs.get("refs/heads/x"), None::<&RefValue>);
}

#[test]
fn driver_misuse_is_an_exchange_error() {
    let mut store = MemStore::new();
    let mut rp = ReceivePack::default();
    let mut buf = [0u8; 16];
    assert!(matches!(rp.poll_output(&mut store, &mut buf), Err(ExchangeError::Misuse(_))));
    rp.handle_input_end(&mut store).expect("end");
    assert!(matches!(rp.handle_input(&mut store, b"0000"), Err(ExchangeError::Misuse(_))));
    assert!(matches!(rp.handle_input_end(&mut store), Err(ExchangeError::Misuse(_))));
    assert_eq!(rp.poll_output(&mut store, &mut buf).expect("empty"), 0);
    assert!(Exchange::<MemStore>::is_done(&rp));
}
