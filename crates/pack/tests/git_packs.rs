//! Packs made by `git pack-objects` parse and resolve to exactly what git reports; packs and idx
//! files we write are accepted by `git index-pack --strict`, `git verify-pack` and libgit2.

mod common;

use common::*;
use git_core::{ObjectId, ObjectKind};
use pack::idx::{write_idx, Idx, IdxEntry};
use pack::resolve::{Representation, Resolved, ResolverOptions};
use pack::writer::PackWriter;
use pack::EntryKind;
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

struct Fixture {
    dir: tempfile::TempDir,
    objects: HashMap<ObjectId, (ObjectKind, Vec<u8>)>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = make_repo(80);
        let objects = all_objects(dir.path());
        Fixture { dir, objects }
    })
}

fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("pack-test").tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("tempdir")
}

fn pack_objects(args: &[&str], stdin: &[u8]) -> Vec<u8> {
    let mut all = vec!["pack-objects", "--stdout", "-q"];
    all.extend_from_slice(args);
    git(fixture().dir.path(), &all, stdin)
}

/// Checks a git-made, self-contained pack: ids, kinds, contents, offsets, delta depth and base
/// agree with `git verify-pack -v`, and our idx equals git's byte for byte.
fn check_git_pack(pack: &[u8], expect_kind: Option<fn(&EntryKind) -> bool>) -> Vec<Resolved> {
    check_pack_against(pack, &fixture().objects, expect_kind)
}

fn check_pack_against(
    pack: &[u8],
    objects: &HashMap<ObjectId, (ObjectKind, Vec<u8>)>,
    expect_kind: Option<fn(&EntryKind) -> bool>,
) -> Vec<Resolved> {
    let mut source = MapSource::default();
    let resolved = parse_resolve(pack, 64 << 10, &mut source, ResolverOptions::default());
    let tmp = scratch();
    let (git_idx, lines) = git_index(tmp.path(), pack, &[]);
    assert_eq!(resolved.len(), lines.len(), "object count");
    let by_id: HashMap<ObjectId, &Resolved> = resolved.iter().map(|r| (r.id, r)).collect();
    let mut deltas = 0;
    for line in &lines {
        let r = by_id.get(&line.id).unwrap_or_else(|| panic!("{} missing from our result", line.id));
        assert_eq!(r.kind, line.kind, "{}", line.id);
        assert_eq!(r.offset, line.offset, "{}", line.id);
        assert_eq!(r.depth, line.depth, "{}", line.id);
        let (kind, data) = &objects[&line.id];
        assert_eq!((r.kind, &*r.data), (*kind, data), "contents of {}", line.id);
        match (r.representation, line.base) {
            (Representation::Full, None) => {}
            (Representation::Delta { base, .. }, Some(git_base)) => {
                assert_eq!(base, git_base, "base of {}", line.id);
                deltas += 1;
            }
            other => panic!("representation of {} differs from git: {other:?}", line.id),
        }
        // The compressed bytes are the entry's zlib stream: they inflate to the object or delta.
        let payload_size = match r.representation {
            Representation::Full => r.data.len() as u64,
            Representation::Delta { delta_size, .. } => delta_size,
        };
        git_core::zlib::inflate_exact(&r.compressed, payload_size, 1 << 30).expect("stored stream inflates");
    }
    assert!(deltas > 0, "the fixture pack has deltas");
    // Our idx for git's pack equals git's idx.
    let mut entries: Vec<IdxEntry> = resolved.iter().map(|r| IdxEntry { id: r.id, offset: r.offset, crc32: r.crc32 }).collect();
    let mut checksum = [0u8; 20];
    checksum.copy_from_slice(&pack[pack.len() - 20..]);
    let mut ours = Vec::new();
    write_idx(&mut entries, &checksum, &mut ours);
    assert_eq!(ours, git_idx, "idx bytes equal git index-pack's");
    let idx = Idx::parse(&git_idx).expect("git's idx reads");
    assert_eq!(idx.len() as usize, resolved.len());
    for r in &resolved {
        let e = idx.lookup(&r.id).expect("lookup");
        assert_eq!((e.offset, e.crc32), (r.offset, r.crc32));
    }
    if let Some(pred) = expect_kind {
        let mut parser = pack::parser::PackParser::new(Default::default());
        let mut rest = pack;
        let mut matched = 0;
        while !rest.is_empty() {
            let n = parser.handle_bytes(rest).expect("parse");
            rest = &rest[n..];
            while let Some(ev) = parser.poll_event() {
                if let pack::Event::Entry(e) = ev {
                    matched += usize::from(pred(&e.kind));
                }
            }
        }
        assert!(matched > 0, "the pack has entries of the expected delta type");
    }
    resolved
}

#[test]
fn git_pack_with_ofs_deltas() {
    let pack = pack_objects(&["--all", "--revs", "--delta-base-offset"], b"");
    check_git_pack(&pack, Some(|k| matches!(k, EntryKind::OfsDelta { .. })));
}

#[test]
fn git_pack_with_ref_deltas() {
    let pack = pack_objects(&["--all", "--revs"], b"");
    let resolved = check_git_pack(&pack, Some(|k| matches!(k, EntryKind::RefDelta { .. })));
    assert!(resolved.iter().any(|r| r.kind == ObjectKind::Tag), "tags are in the pack");
}

#[test]
fn git_pack_with_deep_chains() {
    let dir = scratch();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/make-chain.sh");
    let out = std::process::Command::new("bash").arg(&script).arg(dir.path()).output().expect("bash");
    assert!(out.status.success(), "make-chain.sh failed: {}", String::from_utf8_lossy(&out.stderr));
    let objects = all_objects(dir.path());
    let pack = git(dir.path(), &["pack-objects", "--stdout", "-q", "--delta-base-offset", "--depth=250", "--window=250"], &out.stdout);
    let resolved = check_pack_against(&pack, &objects, None);
    let max = resolved.iter().map(|r| r.depth).max().unwrap_or(0);
    assert!(max >= 100, "deep chains present (max depth {max})");
    // The same chains as REF_DELTA.
    let refs = git(dir.path(), &["pack-objects", "--stdout", "-q", "--depth=250", "--window=250"], &out.stdout);
    check_pack_against(&refs, &objects, Some(|k| matches!(k, EntryKind::RefDelta { .. })));
    // A tiny cache forces bases back through the source; results are the same.
    let mut source = MapSource::default();
    let small = ResolverOptions { cache_bytes: 4096, ..Default::default() };
    let again = parse_resolve(&pack, 1 << 20, &mut source, small);
    assert_eq!(again, resolved);
    assert!(source.reads > 0, "bases were read back from the source");
}

#[test]
fn git_thin_pack_resolves_against_the_source() {
    let f = fixture();
    for ofs in [true, false] {
        let mut args = vec!["--revs", "--thin"];
        if ofs {
            args.push("--delta-base-offset");
        }
        let pack = pack_objects(&args, b"main\n^main~15\n");
        let wanted = git(f.dir.path(), &["rev-list", "--objects", "main", "^main~15"], b"");
        let wanted: Vec<ObjectId> =
            String::from_utf8(wanted).expect("utf8").lines().map(|l| ObjectId::from_hex(&l.as_bytes()[..40]).expect("hex")).collect();
        // Without bases the pack cannot be resolved.
        let mut empty = MapSource::default();
        let err = try_parse_resolve(&pack, 4096, &mut empty, ResolverOptions::default()).unwrap_err();
        assert!(err.contains("unresolved deltas"), "{err}");
        // With the objects outside the pack as bases it resolves to exactly the wanted objects.
        let mut source = MapSource::default();
        for (id, v) in &f.objects {
            if !wanted.contains(id) {
                source.objects.insert(*id, v.clone());
            }
        }
        let resolved = parse_resolve(&pack, 4096, &mut source, ResolverOptions::default());
        let mut got: Vec<ObjectId> = resolved.iter().map(|r| r.id).collect();
        let mut want = wanted.clone();
        got.sort();
        want.sort();
        assert_eq!(got, want);
        for r in &resolved {
            assert_eq!((r.kind, &*r.data), (f.objects[&r.id].0, &f.objects[&r.id].1));
        }
        assert!(
            resolved.iter().any(|r| matches!(r.representation, Representation::Delta { base, .. } if !wanted.contains(&base))),
            "some delta has a base outside the pack"
        );
    }
}

/// An object is held once: what the resolver hands out shares its contents with the cache of
/// possible bases (no copy), each thin base is read from the source once and then served from
/// the cache, and the cache stays within its limit.
#[test]
fn resolved_objects_share_their_contents_with_the_cache() {
    use pack::parser::{PackParser, ParserOptions};
    use pack::resolve::Resolver;
    use pack::Event;
    let f = fixture();
    let pack = pack_objects(&["--revs", "--thin", "--delta-base-offset"], b"main\n^main~15\n");
    let wanted = git(f.dir.path(), &["rev-list", "--objects", "main", "^main~15"], b"");
    let wanted: std::collections::HashSet<ObjectId> =
        String::from_utf8(wanted).expect("utf8").lines().map(|l| ObjectId::from_hex(&l.as_bytes()[..40]).expect("hex")).collect();
    let mut source = MapSource::default();
    for (id, v) in &f.objects {
        if !wanted.contains(id) {
            source.objects.insert(*id, v.clone());
        }
    }
    let limit = 1 << 20;
    let mut parser = PackParser::new(ParserOptions::default());
    let mut resolver = Resolver::new(ResolverOptions { cache_bytes: limit, ..Default::default() });
    let mut handed_out = 0;
    let mut rest = &pack[..];
    while !rest.is_empty() {
        let used = parser.handle_bytes(rest).expect("parse");
        rest = &rest[used..];
        while let Some(ev) = parser.poll_event() {
            if let Event::Entry(e) = ev {
                resolver.handle_entry(e);
                while let Some(obj) = resolver.poll_object(&mut source).expect("resolve") {
                    // Ours and the cache's: the same allocation.
                    assert_eq!(std::sync::Arc::strong_count(&obj.data), 2, "{} is shared with the cache", obj.id);
                    assert!(resolver.cache_bytes() <= limit);
                    source.objects.insert(obj.id, (obj.kind, obj.data.to_vec()));
                    handed_out += 1;
                }
            }
        }
    }
    parser.handle_end().expect("end");
    let summary = resolver.finish().expect("resolved");
    assert_eq!(handed_out, wanted.len());
    assert!(summary.external_bases > 0, "the thin pack has bases outside it");
    assert_eq!(source.reads, summary.external_bases, "each thin base read once, then served from the cache");
}

/// Writes the resolved objects as a new pack: whole objects as they were, deltas alternately as
/// OFS_DELTA and REF_DELTA, and one REF_DELTA moved before its base.
fn rewrite(resolved: &[Resolved]) -> (Vec<u8>, Vec<IdxEntry>, [u8; 20]) {
    let mut order: Vec<&Resolved> = resolved.iter().collect();
    // Move the first delta whose base is in the pack to the front: its base comes later.
    let ids: HashMap<ObjectId, usize> = resolved.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    if let Some(pos) = order.iter().position(|r| matches!(r.representation, Representation::Delta { base, .. } if ids.contains_key(&base))) {
        let d = order.remove(pos);
        order.insert(0, d);
    }
    let mut out = Vec::new();
    let mut w = PackWriter::new(order.len() as u32, true, &mut out);
    let mut offsets: HashMap<ObjectId, u64> = HashMap::new();
    for (i, r) in order.iter().enumerate() {
        let off = match r.representation {
            Representation::Full => w.write_full(r.id, r.kind, r.size(), &r.compressed, &mut out),
            Representation::Delta { base, delta_size } => match offsets.get(&base) {
                Some(&bo) if i % 2 == 0 => w.write_ofs_delta(r.id, bo, delta_size, &r.compressed, &mut out),
                _ => w.write_ref_delta(r.id, base, delta_size, &r.compressed, &mut out),
            },
        }
        .expect("write");
        offsets.insert(r.id, off);
    }
    let fin = w.finish(&mut out).expect("finish");
    assert_eq!(fin.len, out.len() as u64);
    (out, fin.entries, fin.checksum)
}

#[test]
fn packs_we_write_pass_git_index_pack_strict_and_libgit2() {
    let f = fixture();
    let git_pack = pack_objects(&["--all", "--revs", "--delta-base-offset"], b"");
    let mut source = MapSource::default();
    let resolved = parse_resolve(&git_pack, 1 << 16, &mut source, ResolverOptions::default());
    let (ours, mut entries, checksum) = rewrite(&resolved);

    let tmp = scratch();
    let (git_idx, lines) = git_index(tmp.path(), &ours, &["--strict"]);
    assert_eq!(lines.len(), resolved.len());
    let mut idx = Vec::new();
    write_idx(&mut entries, &checksum, &mut idx);
    assert_eq!(idx, git_idx, "our idx equals git index-pack's for our pack");
    git(tmp.path(), &["verify-pack", "test.idx"], b"");

    // We read our own pack back.
    let mut source = MapSource::default();
    let again = parse_resolve(&ours, 777, &mut source, ResolverOptions::default());
    assert_eq!(again.len(), resolved.len());
    assert!(again.iter().all(|r| f.objects[&r.id] == (r.kind, r.data.to_vec())));

    // libgit2 reads every object with our pack and our idx in objects/pack.
    let repo_dir = scratch();
    let repo = git2::Repository::init_bare(repo_dir.path()).expect("init");
    let hex: String = checksum.iter().map(|b| format!("{b:02x}")).collect();
    let pack_dir = repo_dir.path().join("objects/pack");
    std::fs::write(pack_dir.join(format!("pack-{hex}.pack")), &ours).expect("pack");
    std::fs::write(pack_dir.join(format!("pack-{hex}.idx")), &idx).expect("idx");
    let odb = repo.odb().expect("odb");
    for r in &resolved {
        let oid = git2::Oid::from_bytes(r.id.as_bytes()).expect("oid");
        let obj = odb.read(oid).expect("libgit2 reads the object");
        assert_eq!(obj.data(), &r.data[..]);
        assert_eq!(obj.kind().str(), r.kind.name());
    }
    // And git itself, with the pack installed, checks the whole repository.
    let git_dir = scratch();
    git(git_dir.path(), &["init", "-q", "--bare", "."], b"");
    std::fs::write(git_dir.path().join(format!("objects/pack/pack-{hex}.pack")), &ours).expect("pack");
    std::fs::write(git_dir.path().join(format!("objects/pack/pack-{hex}.idx")), &idx).expect("idx");
    let count = git(git_dir.path(), &["cat-file", "--batch-all-objects", "--batch-check"], b"");
    assert_eq!(String::from_utf8_lossy(&count).lines().count(), resolved.len());
    let _ = Path::new("");
}

#[test]
fn idx_large_offsets_round_trip() {
    // Offsets from 2^31 go to the 8-byte table (git's need_large_offset).
    let mut entries: Vec<IdxEntry> = (0..300u32)
        .map(|i| {
            let id = git_core::hash_object(ObjectKind::Blob, &i.to_be_bytes()).expect("hash");
            let offset = if i % 3 == 0 { (1u64 << 31) + u64::from(i) * 1000 } else { 12 + u64::from(i) * 100 };
            IdxEntry { id, offset, crc32: i.wrapping_mul(2654435761) }
        })
        .collect();
    let mut out = Vec::new();
    write_idx(&mut entries, &[7; 20], &mut out);
    let idx = Idx::parse(&out).expect("parse");
    assert_eq!(idx.len(), 300);
    assert_eq!(idx.pack_checksum(), [7; 20]);
    assert_eq!(idx.iter().collect::<Vec<_>>(), entries, "sorted, offsets and crcs kept");
    assert_eq!(out.len(), 8 + 1024 + 300 * 28 + 100 * 8 + 40);
    for e in &entries {
        assert_eq!(idx.lookup(&e.id), Some(*e));
    }
    assert_eq!(idx.lookup(&ObjectId::ZERO_SHA1), None);
}
