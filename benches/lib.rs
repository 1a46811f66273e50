//! Shared helpers for benchmarks: the delta fixture (successive released versions of real npm
//! packages, repacked by git) and the (base, target, git's delta) pairs read back from git's pack.
//!
//! Benchmarks need `git`, `npm` (first run only; tarballs are cached) and `tar`; a missing tool
//! is a loud failure, never a skipped benchmark.

use git_core::zlib::inflate_exact;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Path of the delta fixture repository, building it with `benches/scripts/delta-fixture.sh` if
/// needed. `DELTA_FIXTURE_DIR` overrides where it lives.
pub fn delta_fixture() -> PathBuf {
    let root = workspace_root();
    let script = root.join("benches/scripts/delta-fixture.sh");
    let mut cmd = Command::new("bash");
    cmd.arg(&script);
    if let Some(dir) = std::env::var_os("DELTA_FIXTURE_DIR") {
        cmd.arg(dir);
    }
    let out = cmd.stderr(Stdio::inherit()).output().unwrap_or_else(|e| panic!("running {}: {e}", script.display()));
    assert!(out.status.success(), "{} failed", script.display());
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

/// One delta git chose: `target` stored as a delta against `base`.
pub struct GitDelta {
    /// Object type name (`blob`, `tree`, ...).
    pub kind: String,
    pub base: Vec<u8>,
    pub target: Vec<u8>,
    /// git's delta, inflated from the pack.
    pub git_delta: Vec<u8>,
    /// Bytes the entry takes in git's pack (entry header, base reference, compressed delta).
    pub git_in_pack: u64,
}

struct Entry {
    id: String,
    kind: String,
    size: u64,
    in_pack: u64,
    offset: u64,
    base: String,
}

/// Every deltified object in `repo`'s single pack with its base and git's delta.
pub fn git_delta_pairs(repo: &Path) -> Vec<GitDelta> {
    let pack_dir = repo.join(".git/objects/pack");
    let idx = std::fs::read_dir(&pack_dir)
        .unwrap_or_else(|e| panic!("{}: {e}", pack_dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "idx"))
        .unwrap_or_else(|| panic!("no .idx in {}", pack_dir.display()));
    let pack = std::fs::read(idx.with_extension("pack")).expect("read pack");
    let vp = Command::new("git").arg("verify-pack").arg("-v").arg(&idx).output().expect("git verify-pack");
    assert!(vp.status.success(), "git verify-pack failed");
    let entries: Vec<Entry> = String::from_utf8_lossy(&vp.stdout)
        .lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            (f.len() == 7 && f[0].len() == 40).then(|| Entry {
                id: f[0].into(),
                kind: f[1].into(),
                size: f[2].parse().expect("size"),
                in_pack: f[3].parse().expect("size-in-pack"),
                offset: f[4].parse().expect("offset"),
                base: f[6].into(),
            })
        })
        .collect();
    assert!(!entries.is_empty(), "git made no deltas in {}", repo.display());
    let mut ids: Vec<&str> = entries.iter().flat_map(|e| [e.id.as_str(), e.base.as_str()]).collect();
    ids.sort_unstable();
    ids.dedup();
    let contents = cat_file_batch(repo, &ids);
    entries
        .iter()
        .map(|e| GitDelta {
            kind: e.kind.clone(),
            base: contents[&e.base].clone(),
            target: contents[&e.id].clone(),
            git_delta: read_delta(&pack, e.offset, e.size),
            git_in_pack: e.in_pack,
        })
        .collect()
}

/// Inflates the delta payload of the pack entry at `offset` (gitformat-pack: type and size
/// varint, then a negative offset for OFS_DELTA or a 20-byte id for REF_DELTA).
fn read_delta(pack: &[u8], offset: u64, size: u64) -> Vec<u8> {
    let mut pos = offset as usize;
    let first = pack[pos];
    let kind = (first >> 4) & 7;
    let mut byte = first;
    pos += 1;
    while byte & 0x80 != 0 {
        byte = pack[pos];
        pos += 1;
    }
    match kind {
        6 => {
            while pack[pos] & 0x80 != 0 {
                pos += 1;
            }
            pos += 1;
        }
        7 => pos += 20,
        other => panic!("entry at {offset} has type {other}, not a delta"),
    }
    inflate_exact(&pack[pos..], size, 1 << 30).expect("inflate git's delta")
}

/// Contents of `ids` via one `git cat-file --batch`.
fn cat_file_batch(repo: &Path, ids: &[&str]) -> std::collections::HashMap<String, Vec<u8>> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("git cat-file --batch");
    let mut stdin = child.stdin.take().expect("stdin");
    let input: String = ids.iter().map(|id| format!("{id}\n")).collect();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut map = std::collections::HashMap::new();
    for id in ids {
        let mut header = String::new();
        out.read_line(&mut header).expect("batch header");
        let f: Vec<&str> = header.split_whitespace().collect();
        assert!(f.len() == 3 && f[0] == *id, "unexpected cat-file header {header:?}");
        let size: usize = f[2].parse().expect("size");
        let mut data = vec![0; size + 1];
        out.read_exact(&mut data).expect("object body");
        data.pop();
        map.insert((*id).to_string(), data);
    }
    writer.join().expect("writer thread").expect("write ids");
    assert!(child.wait().expect("cat-file").success());
    map
}

/// Concatenated target contents of `pairs`, repeated up to `len` bytes: realistic source text
/// for hashing and compression benchmarks.
pub fn realistic_bytes(pairs: &[GitDelta], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        for p in pairs.iter().filter(|p| p.kind == "blob") {
            out.extend_from_slice(&p.target);
            if out.len() >= len {
                break;
            }
        }
    }
    out.truncate(len);
    out
}

/// Criterion settings shared by the bench targets: short runs, each benchmark function well
/// under a minute (`cargo bench -p artifacts-benches`).
pub mod short {
    use std::time::Duration;
    /// Samples per benchmark (criterion's minimum).
    pub const SAMPLES: usize = 10;
    /// Warm-up time per benchmark.
    pub const WARM_UP: Duration = Duration::from_millis(500);
    /// Measurement time per benchmark.
    pub const MEASURE: Duration = Duration::from_secs(3);
}
