//! Malformed packs: every defect is an error naming what is wrong, never a panic. Cases follow
//! git's t5303-pack-corruption-resilience.sh and t5309-pack-delta-cycles.sh.

mod common;

use common::*;
use git_core::{zlib, ObjectId, ObjectKind};
use pack::parser::{PackParser, ParseError, ParserOptions, Section};
use pack::resolve::{ResolveError, Resolver, ResolverOptions};
use pack::{encode_entry_header, encode_ofs_offset, Event};

/// Raw pack bytes built by hand, so that any field can be wrong.
struct Raw(Vec<u8>);

impl Raw {
    fn new(version: u32, count: u32) -> Self {
        let mut v = b"PACK".to_vec();
        v.extend_from_slice(&version.to_be_bytes());
        v.extend_from_slice(&count.to_be_bytes());
        Raw(v)
    }
    fn offset(&self) -> u64 {
        self.0.len() as u64
    }
    /// An entry with a declared `size` and the zlib stream of `payload`.
    fn entry(&mut self, type_number: u8, size: u64, base: &[u8], payload: &[u8]) -> u64 {
        let at = self.offset();
        encode_entry_header(type_number, size, &mut self.0);
        self.0.extend_from_slice(base);
        self.0.extend_from_slice(&zlib::deflate(payload, 6));
        at
    }
    fn full(&mut self, kind: ObjectKind, data: &[u8]) -> u64 {
        self.entry(kind.number(), data.len() as u64, &[], data)
    }
    fn ofs(&mut self, base_offset: u64, delta: &[u8]) -> u64 {
        let mut rel = Vec::new();
        encode_ofs_offset(self.offset() - base_offset, &mut rel);
        self.entry(6, delta.len() as u64, &rel, delta)
    }
    fn ref_delta(&mut self, base: ObjectId, delta: &[u8]) -> u64 {
        self.entry(7, delta.len() as u64, base.as_bytes(), delta)
    }
    fn seal(mut self) -> Vec<u8> {
        let mut h = git_core::Hasher::new();
        h.update(&self.0);
        let sum = h.finish().expect("no collision");
        self.0.extend_from_slice(sum.as_bytes());
        self.0
    }
}

fn varint(mut n: usize, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A delta that turns any base of `base_len` bytes into `result`, by inserts only.
fn insert_delta(base_len: usize, result: &[u8]) -> Vec<u8> {
    let mut d = Vec::new();
    varint(base_len, &mut d);
    varint(result.len(), &mut d);
    for chunk in result.chunks(127) {
        d.push(chunk.len() as u8);
        d.extend_from_slice(chunk);
    }
    d
}

fn id(kind: ObjectKind, data: &[u8]) -> ObjectId {
    git_core::hash_object(kind, data).expect("hash")
}

/// Parses `pack` whole; the first parse error.
fn parse_err(pack: &[u8], options: ParserOptions) -> ParseError {
    let mut p = PackParser::new(options);
    let mut rest = pack;
    loop {
        match p.handle_bytes(rest) {
            Err(e) => return *e,
            Ok(n) => rest = &rest[n..],
        }
        while p.poll_event().is_some() {}
        if rest.is_empty() {
            break;
        }
    }
    *p.handle_end().expect_err("the pack is malformed")
}

fn resolve_err(pack: &[u8], options: ResolverOptions) -> String {
    let mut source = MapSource::default();
    try_parse_resolve(pack, 1 << 16, &mut source, options).expect_err("resolution fails")
}

const A: &[u8] = b"the first blob, which serves as a delta base\n";
const B: &[u8] = b"the second blob, made from the first by a delta\n";

/// A valid pack: blob A, B as OFS_DELTA on A, B2 as REF_DELTA on A.
fn good_pack() -> Vec<u8> {
    let mut raw = Raw::new(2, 3);
    let a = raw.full(ObjectKind::Blob, A);
    raw.ofs(a, &insert_delta(A.len(), B));
    raw.ref_delta(id(ObjectKind::Blob, A), &insert_delta(A.len(), b"third\n"));
    raw.seal()
}

#[test]
fn the_hand_made_pack_is_valid_for_git_and_us() {
    let pack = good_pack();
    let dir = tempfile::tempdir().expect("tmp");
    let (_, lines) = git_index(dir.path(), &pack, &["--strict"]);
    assert_eq!(lines.len(), 3);
    let mut source = MapSource::default();
    let objs = parse_resolve(&pack, 5, &mut source, ResolverOptions::default());
    assert_eq!(objs.len(), 3);
    assert_eq!(*objs[1].data, B);
    // Version 3 is accepted like version 2 (git's pack_version_ok).
    let mut v3 = Raw::new(3, 1);
    v3.full(ObjectKind::Blob, A);
    assert_eq!(parse_resolve(&v3.seal(), 64, &mut source, ResolverOptions::default()).len(), 1);
    // An empty pack.
    assert!(parse_resolve(&Raw::new(2, 0).seal(), 64, &mut source, ResolverOptions::default()).is_empty());
}

#[test]
fn truncated_at_every_byte() {
    let repo = make_repo(6);
    let git_pack = git(repo.path(), &["pack-objects", "--stdout", "-q", "--all", "--revs", "--delta-base-offset"], b"");
    for pack in [good_pack(), git_pack] {
        for cut in 0..pack.len() {
            let e = parse_err(&pack[..cut], ParserOptions::default());
            let ParseError::Truncated { offset, section, .. } = e else { panic!("cut {cut}: {e}") };
            assert_eq!(offset, cut as u64);
            let expected = if cut < 12 {
                Section::Header
            } else if cut >= pack.len() - 20 {
                Section::Trailer
            } else {
                section
            };
            assert_eq!(section, expected, "cut {cut}");
        }
    }
}

#[test]
fn bad_signature_and_version() {
    let mut pack = good_pack();
    pack[3] = b'X';
    assert_eq!(parse_err(&pack, ParserOptions::default()), ParseError::Signature { got: *b"PACX" });
    let mut v4 = Raw::new(4, 1);
    v4.full(ObjectKind::Blob, A);
    let e = parse_err(&v4.seal(), ParserOptions::default());
    assert_eq!(e, ParseError::Version { version: 4 });
    assert_eq!(e.to_string(), "unsupported pack version 4, expected 2 or 3");
}

#[test]
fn wrong_entry_count_both_ways() {
    // One more declared than present: the input ends where an entry should start.
    let mut raw = Raw::new(2, 2);
    raw.full(ObjectKind::Blob, A);
    let e = parse_err(&raw.seal(), ParserOptions::default());
    // The trailer is taken for the second entry: it fails as one, or the input ends inside it.
    assert!(
        matches!(e, ParseError::Truncated { entries: 1, count: 2, .. } | ParseError::Inflate { offset: 70, .. } | ParseError::EntryType { offset: 70, .. }),
        "{e}"
    );
    // Without the trailer the input ends where the second entry should start.
    let mut raw = Raw::new(2, 2);
    raw.full(ObjectKind::Blob, A);
    let e = parse_err(&raw.0, ParserOptions::default());
    assert!(matches!(e, ParseError::Truncated { section: Section::EntryHeader, entries: 1, count: 2, .. }), "{e}");
    // One fewer declared: the last entry is read as the trailer, which then does not match.
    let mut raw = Raw::new(2, 1);
    raw.full(ObjectKind::Blob, A);
    raw.full(ObjectKind::Blob, B);
    let e = parse_err(&raw.seal(), ParserOptions::default());
    assert!(matches!(e, ParseError::Trailer { .. } | ParseError::TrailingData { .. }), "{e}");
}

#[test]
fn bad_trailer_and_trailing_garbage() {
    let mut pack = good_pack();
    let last = pack.len() - 1;
    pack[last] ^= 0x40;
    let e = parse_err(&pack, ParserOptions::default());
    assert!(matches!(e, ParseError::Trailer { .. }), "{e}");
    let mut pack = good_pack();
    pack.extend_from_slice(b"xyz");
    let e = parse_err(&pack, ParserOptions::default());
    assert!(matches!(e, ParseError::TrailingData { extra: 3, .. }), "{e}");
    assert!(e.to_string().starts_with("3 bytes of trailing data"), "{e}");
}

#[test]
fn corrupted_bytes_anywhere_are_errors() {
    // t5303: corrupting any single byte is detected (inflate, sizes, checksum or trailer).
    let pack = good_pack();
    for i in 0..pack.len() {
        for flip in [0x01u8, 0x80] {
            let mut bad = pack.clone();
            bad[i] ^= flip;
            let mut source = MapSource::default();
            let r = try_parse_resolve(&bad, 1 << 16, &mut source, ResolverOptions::default());
            assert!(r.is_err(), "flip {flip:#x} at byte {i} went unnoticed");
        }
    }
    // A corrupt zlib stream names the entry and inflating.
    let mut raw = Raw::new(2, 1);
    let at = raw.full(ObjectKind::Blob, A);
    let mut bytes = raw.0.clone();
    let z = at as usize + 2 + 3; // inside the deflate data
    bytes[z] ^= 0xff;
    let e = parse_err(&Raw(bytes).seal(), ParserOptions::default());
    assert!(matches!(e, ParseError::Inflate { offset: 12, .. }), "{e}");
}

#[test]
fn declared_size_mismatch_both_ways() {
    for (declared, expect_long) in [(A.len() as u64 - 1, true), (A.len() as u64 + 1, false)] {
        let mut raw = Raw::new(2, 1);
        raw.entry(3, declared, &[], A);
        let e = parse_err(&raw.seal(), ParserOptions::default());
        let ParseError::Inflate { source, .. } = &e else { panic!("{e}") };
        match source {
            zlib::InflateError::TooLong { limit } => assert!(expect_long && *limit == declared),
            zlib::InflateError::TooShort { got, declared: d } => {
                assert!(!expect_long && *got == A.len() as u64 && *d == declared)
            }
            other => panic!("{other}"),
        }
    }
}

#[test]
fn invalid_types_size_overflow_and_cap() {
    for t in [0u8, 5] {
        let mut raw = Raw::new(2, 1);
        raw.entry(t, 3, &[], b"abc");
        assert_eq!(parse_err(&raw.seal(), ParserOptions::default()), ParseError::EntryType { offset: 12, type_number: t });
    }
    let mut bytes = Raw::new(2, 1).0;
    bytes.extend_from_slice(&[0xbf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    assert_eq!(parse_err(&Raw(bytes).seal(), ParserOptions::default()), ParseError::SizeOverflow { offset: 12 });
    let e = parse_err(&good_pack(), ParserOptions { max_object_size: 10 });
    assert_eq!(e, ParseError::TooLarge { offset: 12, size: A.len() as u64, limit: 10 });
    assert_eq!(e.to_string(), format!("entry at offset 12 declares {} bytes, limit 10", A.len()));
}

#[test]
fn ofs_delta_offsets_out_of_range() {
    // At itself (distance 0), before the start of the pack, inside the pack header.
    for pick in 0..3 {
        let mut raw = Raw::new(2, 2);
        raw.full(ObjectKind::Blob, A);
        let at = raw.offset();
        let distance = [0, at + 1000, at - 5][pick];
        let mut rel = Vec::new();
        encode_ofs_offset(distance, &mut rel);
        raw.entry(6, 3, &rel, b"abc");
        let e = parse_err(&raw.seal(), ParserOptions::default());
        assert_eq!(e, ParseError::OfsOutOfRange { offset: at, distance }, "{e}");
    }
    // An offset overflowing 64 bits.
    let mut bytes = Raw::new(2, 1).0;
    bytes.push(0x63);
    bytes.extend_from_slice(&[0xff; 12]);
    assert!(matches!(parse_err(&Raw(bytes).seal(), ParserOptions::default()), ParseError::OfsOverflow { .. }));
    // Pointing into the middle of an earlier entry: no entry starts there.
    let mut raw = Raw::new(2, 2);
    let a = raw.full(ObjectKind::Blob, A);
    raw.ofs(a + 1, &insert_delta(A.len(), B));
    let e = resolve_err(&raw.seal(), ResolverOptions::default());
    assert!(e.contains("names base offset 13, where no entry starts"), "{e}");
}

#[test]
fn ref_delta_cycle_is_unresolved() {
    // t5309 "index-pack detects REF_DELTA cycles": A is a delta on B, B a delta on A.
    let (ida, idb) = (id(ObjectKind::Blob, A), id(ObjectKind::Blob, B));
    let mut raw = Raw::new(2, 2);
    raw.ref_delta(idb, &insert_delta(B.len(), A));
    raw.ref_delta(ida, &insert_delta(A.len(), B));
    let e = resolve_err(&raw.seal(), ResolverOptions::default());
    assert!(e.starts_with("pack has 2 unresolved deltas; the first, at offset 12, needs base"), "{e}");
}

#[test]
fn delta_to_a_missing_base() {
    let missing = id(ObjectKind::Blob, b"not in the pack");
    let mut raw = Raw::new(2, 1);
    raw.ref_delta(missing, &insert_delta(15, A));
    let e = resolve_err(&raw.seal(), ResolverOptions::default());
    assert_eq!(e, format!("pack has 1 unresolved deltas; the first, at offset 12, needs base {missing}"));
}

/// Parses and resolves `pack` fed whole, storing objects in `source`; contents and summary.
fn resolve_all(pack: &[u8], source: &mut MapSource) -> Result<(Vec<Vec<u8>>, pack::resolve::Summary), String> {
    let mut parser = PackParser::new(ParserOptions::default());
    let mut resolver = Resolver::new(ResolverOptions::default());
    let mut got = Vec::new();
    let mut rest = pack;
    loop {
        let n = parser.handle_bytes(rest).map_err(|e| e.to_string())?;
        rest = &rest[n..];
        while let Some(ev) = parser.poll_event() {
            if let Event::Entry(e) = ev {
                resolver.handle_entry(e);
                while let Some(o) = resolver.poll_object(source).map_err(|e| e.to_string())? {
                    source.objects.insert(o.id, (o.kind, o.data.to_vec()));
                    got.push(o.data.to_vec());
                }
            }
        }
        if rest.is_empty() {
            break;
        }
    }
    parser.handle_end().map_err(|e| e.to_string())?;
    let summary = resolver.finish().map_err(|e| e.to_string())?;
    Ok((got, summary))
}

#[test]
fn base_later_in_the_pack() {
    // t5309 "index-pack works with a single delta (A->B)": a REF_DELTA before its base, and a
    // chain hanging off it.
    let ida = id(ObjectKind::Blob, A);
    let mut raw = Raw::new(2, 3);
    raw.ref_delta(ida, &insert_delta(A.len(), B));
    raw.ref_delta(id(ObjectKind::Blob, B), &insert_delta(B.len(), b"chained\n"));
    raw.full(ObjectKind::Blob, A);
    let pack = raw.seal();
    let dir = tempfile::tempdir().expect("tmp");
    git_index(dir.path(), &pack, &["--strict"]);
    let (got, summary) = resolve_all(&pack, &mut MapSource::default()).expect("resolves");
    assert_eq!(got, vec![A.to_vec(), B.to_vec(), b"chained\n".to_vec()]);
    assert_eq!((summary.objects, summary.deltas, summary.duplicates), (3, 2, 0));
}

#[test]
fn ofs_deltas_on_a_waiting_delta_wait_with_it() {
    // A REF_DELTA before its base, OFS_DELTAs on it (which wait for its offset), then the base:
    // all resolve once the base comes, each delta after its own base; without the base, the
    // unresolved deltas are named by the earliest.
    let ida = id(ObjectKind::Blob, A);
    let mut raw = Raw::new(2, 4);
    let b = raw.ref_delta(ida, &insert_delta(A.len(), B));
    let c = raw.ofs(b, &insert_delta(B.len(), b"chained\n"));
    raw.ofs(c, &insert_delta(8, b"twice\n"));
    raw.full(ObjectKind::Blob, A);
    let pack = raw.seal();
    let dir = tempfile::tempdir().expect("tmp");
    git_index(dir.path(), &pack, &["--strict"]);
    let (got, summary) = resolve_all(&pack, &mut MapSource::default()).expect("resolves");
    assert_eq!(got, vec![A.to_vec(), B.to_vec(), b"chained\n".to_vec(), b"twice\n".to_vec()]);
    assert_eq!((summary.objects, summary.deltas, summary.duplicates), (4, 3, 0));

    let mut raw = Raw::new(2, 3);
    let b = raw.ref_delta(ida, &insert_delta(A.len(), B));
    let c = raw.ofs(b, &insert_delta(B.len(), b"chained\n"));
    raw.ofs(c, &insert_delta(8, b"twice\n"));
    let e = resolve_err(&raw.seal(), ResolverOptions::default());
    assert_eq!(e, format!("pack has 3 unresolved deltas; the first, at offset 12, needs base {ida}"));
}

#[test]
fn duplicate_whole_objects_are_allowed() {
    // t5308 "index-pack will allow duplicate objects by default".
    let mut raw = Raw::new(2, 4);
    for _ in 0..2 {
        raw.full(ObjectKind::Blob, A);
        raw.full(ObjectKind::Blob, b"");
    }
    let pack = raw.seal();
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("d.pack"), &pack).expect("write");
    let out = git_status(dir.path(), &["index-pack", "d.pack"], b"");
    assert!(out.status.success(), "git index-pack accepts duplicates: {}", String::from_utf8_lossy(&out.stderr));
    let (got, summary) = resolve_all(&pack, &mut MapSource::default()).expect("resolves");
    assert_eq!(got.len(), 2);
    assert_eq!(summary.duplicates, 2);
}

#[test]
fn cycle_broken_by_a_duplicate_is_refused() {
    // t5309 "failover to a duplicate object in the same pack": A->B, B->A, then A whole. git
    // refuses it; so do we (a delta may not reproduce an object already in the pack).
    let (ida, idb) = (id(ObjectKind::Blob, A), id(ObjectKind::Blob, B));
    let mut raw = Raw::new(2, 3);
    raw.ref_delta(idb, &insert_delta(B.len(), A));
    raw.ref_delta(ida, &insert_delta(A.len(), B));
    raw.full(ObjectKind::Blob, A);
    let pack = raw.seal();
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("r.pack"), &pack).expect("write");
    let out = git_status(dir.path(), &["index-pack", "r.pack"], b"");
    assert!(!out.status.success(), "git refuses recoverable.pack");
    let e = resolve_all(&pack, &mut MapSource::default()).unwrap_err();
    assert!(e.contains(&format!("reproduces object {ida}")), "{e}");
}

#[test]
fn delta_that_does_not_apply() {
    // t5303 "... delta base size mismatch": the delta expects a longer base.
    let mut raw = Raw::new(2, 2);
    let a = raw.full(ObjectKind::Blob, A);
    raw.ofs(a, &insert_delta(A.len() + 5, B));
    let e = resolve_err(&raw.seal(), ResolverOptions::default());
    assert!(e.contains("does not apply to base") && e.contains("expects a base of"), "{e}");
}

#[test]
fn waiting_deltas_are_capped() {
    let missing = id(ObjectKind::Blob, b"later");
    let mut raw = Raw::new(2, 3);
    for _ in 0..3 {
        raw.ref_delta(missing, &insert_delta(5, A));
    }
    let e = resolve_err(&raw.seal(), ResolverOptions { max_pending_bytes: 100, ..Default::default() });
    assert!(e.starts_with("deltas waiting for their bases hold") && e.ends_with("limit 100"), "{e}");
}

#[test]
fn endless_empty_deflate_blocks_are_refused() {
    // A zlib stream of empty stored blocks never produces output; its length is capped.
    let mut bytes = Raw::new(2, 1).0;
    encode_entry_header(3, 0, &mut bytes);
    bytes.extend_from_slice(&[0x78, 0x01]);
    for _ in 0..20_000 {
        bytes.extend_from_slice(&[0x00, 0x00, 0x00, 0xff, 0xff]);
    }
    let e = parse_err(&Raw(bytes).seal(), ParserOptions::default());
    assert!(matches!(e, ParseError::CompressedTooLong { size: 0, .. }), "{e}");
}

#[test]
fn errors_are_sticky() {
    let mut pack = good_pack();
    pack[0] = b'X';
    let mut p = PackParser::new(ParserOptions::default());
    assert!(p.handle_bytes(&pack).is_err());
    assert!(matches!(p.handle_bytes(&pack[12..]).map_err(|e| *e), Err(ParseError::AfterError(_))));
    assert!(matches!(p.handle_end().map_err(|e| *e), Err(ParseError::AfterError(_))));
    let _ = ResolveError::NotDrained { count: 0 }.to_string();
}
