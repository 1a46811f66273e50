//! Delta create: round trips through our apply, and acceptance by real git — each delta is put
//! in a minimal pack (PACK v2, a full blob, a REF_DELTA entry, SHA-1 trailer) and fed to
//! `git index-pack --strict --stdin`, then `git cat-file -p` must print the target
//! (gitformat-pack "Deltified representation", "Pack file").

use git_core::delta::{apply, create, create_into, header, CreateError, DeltaIndex, MAX_COPY, MAX_INSERT};
use git_core::{hash_object, Hasher, ObjectKind};
use proptest::prelude::*;
use std::io::Write;
use std::process::{Command, Stdio};

/// Pack entry header: type in bits 4-6 of the first byte, size as a little-endian varint.
fn entry_header(kind: u8, mut size: u64, out: &mut Vec<u8>) {
    let mut byte = (kind << 4) | (size & 0x0f) as u8;
    size >>= 4;
    while size != 0 {
        out.push(byte | 0x80);
        byte = (size & 0x7f) as u8;
        size >>= 7;
    }
    out.push(byte);
}

fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

/// A pack holding `base` as a blob and `target` as a REF_DELTA against it using `delta`.
fn pack_with_delta(base: &[u8], delta: &[u8]) -> Vec<u8> {
    let mut pack = b"PACK".to_vec();
    pack.extend_from_slice(&2u32.to_be_bytes());
    pack.extend_from_slice(&2u32.to_be_bytes());
    entry_header(3, base.len() as u64, &mut pack);
    pack.extend_from_slice(&deflate(base));
    entry_header(7, delta.len() as u64, &mut pack);
    let base_id = hash_object(ObjectKind::Blob, base).expect("no collision");
    pack.extend_from_slice(base_id.as_bytes());
    pack.extend_from_slice(&deflate(delta));
    let mut h = Hasher::new();
    h.update(&pack);
    let trailer = h.finish().expect("no collision");
    pack.extend_from_slice(trailer.as_bytes());
    pack
}

fn git(dir: &std::path::Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir).env("GIT_CONFIG_NOSYSTEM", "1").env("HOME", dir);
    c
}

/// Runs real git over our delta; panics (fails the test) if git is missing or disagrees.
fn assert_git_accepts(base: &[u8], target: &[u8]) {
    let delta = create(base, target);
    assert_eq!(apply(base, &delta, u64::MAX).expect("our apply"), target);
    let repo = index_pack(base, &delta);
    let id = hash_object(ObjectKind::Blob, target).expect("no collision").to_string();
    let cat = git(&repo.path()).args(["cat-file", "-p", &id]).output().expect("cat-file");
    assert!(cat.status.success(), "cat-file: {}", String::from_utf8_lossy(&cat.stderr));
    assert!(cat.stdout == target, "git reconstructed {} bytes, expected {}", cat.stdout.len(), target.len());
    // verify-pack shows the target stored as a delta (chain length 1), not a full object.
    let vp = git(&repo.path()).args(["verify-pack", "-v"]).arg(idx_of(&repo.path())).output().expect("verify-pack");
    assert!(vp.status.success());
    assert!(String::from_utf8_lossy(&vp.stdout).contains("chain length = 1: 1 object"));
}

/// The `.idx` written into `repo`.
fn idx_of(repo: &std::path::Path) -> std::path::PathBuf {
    std::fs::read_dir(repo.join("objects/pack"))
        .expect("pack dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "idx"))
        .expect("an .idx")
}

/// A bare repository in a temp dir (the guard) into which `git index-pack --strict --stdin` has
/// stored a pack of `base` and a REF_DELTA `delta` against it.
fn index_pack(base: &[u8], delta: &[u8]) -> RepoDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let st = git(tmp.path()).args(["init", "-q", "--bare", "r.git"]).status().expect("git must be installed");
    assert!(st.success());
    let repo = tmp.path().join("r.git");
    let mut child = git(&repo)
        .args(["index-pack", "--strict", "--stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("git index-pack");
    child.stdin.take().expect("stdin").write_all(&pack_with_delta(base, delta)).expect("write pack");
    let out = child.wait_with_output().expect("index-pack");
    assert!(out.status.success(), "index-pack rejected our delta: {}", String::from_utf8_lossy(&out.stderr));
    RepoDir(tmp)
}

struct RepoDir(tempfile::TempDir);
impl RepoDir {
    fn path(&self) -> std::path::PathBuf {
        self.0.path().join("r.git")
    }
}

/// Deterministic pseudo-random bytes (xorshift), so fixtures need no files.
fn noise(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// Source-like text: numbered lines.
fn text(lines: usize, salt: &str) -> Vec<u8> {
    let mut s = String::new();
    for i in 0..lines {
        s.push_str(&format!("    let value_{i} = compute({i}, \"{salt}\") + offset_{};\n", i % 17));
    }
    s.into_bytes()
}

#[test]
fn git_accepts_text_edits() {
    let base = text(2000, "a");
    let mut target = base.clone();
    target.splice(1000..1000, b"// inserted line\n".iter().copied());
    target.drain(30_000..30_500);
    target.extend_from_slice(b"appended tail\n");
    target[5] = b'X';
    let d = create(&base, &target);
    assert!(d.len() < 300, "delta of a few edits is {} bytes", d.len());
    assert_git_accepts(&base, &target);
}

#[test]
fn git_accepts_long_copies_split_at_0x10000() {
    let base = noise(7, 300_000);
    let mut target = base[10..250_000].to_vec();
    target.extend_from_slice(&base[..1000]);
    let d = create(&base, &target);
    assert!(d.len() < 64, "long copies cost {} bytes", d.len());
    assert_git_accepts(&base, &target);
}

#[test]
fn git_accepts_unrelated_and_edge_inputs() {
    assert_git_accepts(&noise(1, 5000), &noise(2, 5000)); // inserts only, split at 127
    assert_git_accepts(b"", b"new content\n");
    assert_git_accepts(&[0u8; 100_000], &[0u8; 150_000]); // repetitive base
    assert_git_accepts(b"short", b"shorter");
}

/// git's `packed_object_info` treats a delta result size of 0 as corrupt ("could not get object
/// info"), although `index-pack` accepts such a delta. `create` still writes the format-valid
/// 4-byte delta; `create_into`, which pack writers use, refuses so the empty object is stored whole.
#[test]
fn empty_target() {
    let d = create(b"old content\n", b"");
    assert_eq!(d, [12, 0x80, 0x80, 0]);
    assert_eq!(apply(b"old content\n", &d, 0).expect("applies"), b"");
    let repo = index_pack(b"old content\n", &d);
    let empty = hash_object(ObjectKind::Blob, b"").expect("no collision").to_string();
    let info = git(&repo.path()).args(["cat-file", "-s", &empty]).output().expect("cat-file");
    assert!(!info.status.success(), "git now reads empty delta results; create_into could allow them");
    let mut index = DeltaIndex::new();
    index.build(b"old content\n");
    let mut out = Vec::new();
    assert_eq!(create_into(&index, b"old content\n", b"", usize::MAX, &mut out), Err(CreateError::EmptyTarget));
}

#[test]
fn unrelated_data_costs_one_opcode_per_127_bytes() {
    let target = noise(2, 127 * 10);
    let d = create(&noise(1, 5000), &target);
    let h = header(&d).expect("header");
    assert_eq!(d.len(), h.header_len + target.len() + 10);
    assert_eq!(MAX_INSERT, 127);
    assert_eq!(MAX_COPY, 0x10000);
}

#[test]
fn index_reuse_and_errors() {
    let base = text(500, "b");
    let mut index = DeltaIndex::new();
    index.build(&base);
    let mut out = Vec::new();
    for salt in ["c", "d"] {
        let mut target = base.clone();
        target.extend_from_slice(salt.as_bytes());
        create_into(&index, &base, &target, usize::MAX, &mut out).expect("fits");
        assert_eq!(apply(&base, &out, u64::MAX).expect("apply"), target);
    }
    assert_eq!(
        create_into(&index, b"other", b"x", usize::MAX, &mut out),
        Err(CreateError::IndexMismatch { indexed: base.len(), base: 5 })
    );
    assert_eq!(
        create_into(&index, &base, &noise(3, 10_000), 100, &mut out),
        Err(CreateError::TooLarge { limit: 100 })
    );
}

/// Applies random edits (insert, delete, replace, move) to `base`.
fn edited(base: &[u8], edits: &[(u8, usize, usize, u64)]) -> Vec<u8> {
    let mut t = base.to_vec();
    for &(kind, at, len, seed) in edits {
        let at = if t.is_empty() { 0 } else { at % (t.len() + 1) };
        let end = (at + len).min(t.len());
        match kind % 4 {
            0 => {
                t.splice(at..at, noise(seed, len));
            }
            1 => {
                t.drain(at..end);
            }
            2 => {
                t.splice(at..end, noise(seed, len / 2));
            }
            _ => {
                let moved: Vec<u8> = t.drain(at..end).collect();
                let to = if t.is_empty() { 0 } else { (seed as usize) % (t.len() + 1) };
                t.splice(to..to, moved);
            }
        }
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn round_trip_random(a in proptest::collection::vec(any::<u8>(), 0..3000), b in proptest::collection::vec(any::<u8>(), 0..3000)) {
        let d = create(&a, &b);
        prop_assert_eq!(apply(&a, &d, u64::MAX).expect("applies"), b);
    }

    #[test]
    fn round_trip_edited(seed in any::<u64>(), n in 0usize..20_000, small_alphabet in any::<bool>(),
                         edits in proptest::collection::vec((any::<u8>(), any::<usize>(), 0usize..300, any::<u64>()), 0..12)) {
        let mut base = noise(seed, n);
        if small_alphabet {
            // Low entropy input: many repeated blocks and fingerprint collisions.
            base.iter_mut().for_each(|b| *b &= 0x03);
        }
        let target = edited(&base, &edits);
        let d = create(&base, &target);
        prop_assert_eq!(apply(&base, &d, u64::MAX).expect("applies"), target);
    }

    #[test]
    fn apply_never_panics(base in proptest::collection::vec(any::<u8>(), 0..300), delta in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = apply(&base, &delta, 1 << 20);
    }

    #[test]
    fn apply_never_panics_with_valid_header(base in proptest::collection::vec(any::<u8>(), 0..300),
                                            result in 0u64..600, ops in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut d = Vec::new();
        for mut v in [base.len() as u64, result] {
            while v >= 0x80 { d.push((v as u8 & 0x7f) | 0x80); v >>= 7; }
            d.push(v as u8);
        }
        d.extend_from_slice(&ops);
        if let Ok(out) = apply(&base, &d, 1 << 20) {
            prop_assert_eq!(out.len() as u64, result);
        }
    }
}
