//! The Wasm module's `CompactInflater` against `miniz_oxide`'s `Inflater` (the native one): the
//! same output, the same stream end, the same kind of error, for streams of every deflate level,
//! every block type, git's own loose objects, any chunking, and corrupted input.

use git_core::zlib::{self, CompactInflater, InflateError, Inflater, StreamInflate};
use proptest::prelude::*;
use std::path::Path;
use std::process::Command;

/// Feeds `data` in `chunk`-byte pieces; returns (output, bytes consumed, done) or the error.
fn run<I: StreamInflate>(inf: &mut I, data: &[u8], chunk: usize, limit: usize) -> Result<(Vec<u8>, usize, bool), InflateError> {
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        let end = (pos + chunk.max(1)).min(data.len());
        let p = inf.inflate(&data[pos..end], &mut out, limit)?;
        pos += p.consumed;
        if p.done {
            assert_eq!(inf.total_in(), pos as u64);
            assert_eq!(inf.total_out(), out.len() as u64);
            return Ok((out, pos, true));
        }
        assert_eq!(pos, end, "a call that is not done consumes all its input");
        if end == data.len() {
            return Ok((out, pos, false));
        }
    }
}

fn same(data: &[u8], chunk: usize, limit: usize) {
    let a = run(&mut Inflater::new(), data, chunk, limit);
    let b = run(&mut CompactInflater::new(), data, chunk, limit);
    match (&a, &b) {
        (Ok(x), Ok(y)) => assert_eq!(x, y, "chunk {chunk}"),
        (Err(x), Err(y)) => assert_eq!(core::mem::discriminant(x), core::mem::discriminant(y), "{x} / {y}"),
        _ => panic!("miniz {a:?} vs compact {b:?} (chunk {chunk}, limit {limit})"),
    }
}

fn sample(n: usize, seed: u64) -> Vec<u8> {
    let mut v = Vec::with_capacity(n);
    let mut x = seed | 1;
    while v.len() < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        if x % 3 == 0 {
            v.extend_from_slice(format!("line {} of text, ", x % 977).as_bytes());
        } else {
            v.push((x >> 32) as u8);
        }
    }
    v.truncate(n);
    v
}

#[test]
fn every_level_and_block_type() {
    for n in [0usize, 1, 2, 100, 1000, 40_000, 70_000, 200_000] {
        let data = sample(n, n as u64 + 7);
        for level in 0..=9u8 {
            let mut z = miniz_oxide::deflate::compress_to_vec_zlib(&data, level);
            let (out, used, done) = run(&mut CompactInflater::new(), &z, 1 << 20, n).expect("valid");
            assert!(done);
            assert_eq!(used, z.len());
            assert_eq!(out, data, "n {n} level {level}");
            z.extend_from_slice(b"after");
            for chunk in [1usize, 3, 64, 5000] {
                if n <= 40_000 || chunk >= 64 {
                    same(&z, chunk, n);
                }
            }
            // Limits: exactly enough, one short.
            same(&z, 4096, n.saturating_sub(1));
        }
        // The module's own (fixed-Huffman / stored) deflater.
        let mut z = Vec::new();
        zlib::small::deflate_into(&data, 6, &mut z);
        assert_eq!(run(&mut CompactInflater::new(), &z, 777, n).expect("valid").0, data);
    }
}

#[test]
fn stream_end_found_inside_a_large_input() {
    // A pack parser offers an entry its whole buffer: the stream, then up to 64 KiB more.
    for n in [0usize, 10, 3000, 9000] {
        let data = sample(n, 11);
        for level in [0u8, 1, 6] {
            let z = miniz_oxide::deflate::compress_to_vec_zlib(&data, level);
            let mut input = z.clone();
            input.extend_from_slice(&sample(70_000, 12));
            for first in [0usize, 1, z.len() / 2, z.len().saturating_sub(1)] {
                let mut inf = CompactInflater::new();
                let mut out = Vec::new();
                let p = inf.inflate(&input[..first], &mut out, n).expect("first part");
                assert!(!p.done && p.consumed == first);
                let p = inf.inflate(&input[first..], &mut out, n).expect("rest");
                assert!(p.done, "n {n} level {level} first {first}");
                assert_eq!(first + p.consumed, z.len(), "n {n} level {level} first {first}");
                assert_eq!(out, data);
            }
        }
    }
}

#[test]
fn git_loose_objects() {
    let dir = tempfile::tempdir().expect("tempdir");
    let git = |args: &[&str]| {
        let out = Command::new("git").args(args).current_dir(dir.path()).output().expect("git must be installed");
        assert!(out.status.success());
        out.stdout
    };
    git(&["init", "-q", "."]);
    for (i, size) in [0usize, 5, 3000, 100_000].into_iter().enumerate() {
        let data = sample(size, i as u64);
        std::fs::write(dir.path().join("f"), &data).expect("write");
        let id = String::from_utf8(git(&["hash-object", "-w", "f"])).expect("utf8");
        let id = id.trim();
        let path: &Path = &dir.path().join(".git/objects").join(&id[..2]).join(&id[2..]);
        let loose = std::fs::read(path).expect("loose");
        let (out, used, _) = run(&mut CompactInflater::new(), &loose, 1000, 1 << 30).expect("valid");
        assert_eq!(used, loose.len());
        assert_eq!(&out[out.len() - size..], &data[..]);
        assert!(out.starts_with(format!("blob {size}\0").as_bytes()));
    }
}

#[test]
fn errors_name_their_cause() {
    let data = sample(5000, 3);
    let z = miniz_oxide::deflate::compress_to_vec_zlib(&data, 6);
    let mut bad = z.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    assert!(matches!(run(&mut CompactInflater::new(), &bad, 100, 1 << 20), Err(InflateError::Checksum { .. })));
    assert!(matches!(run(&mut CompactInflater::new(), &z, 100, 10), Err(InflateError::TooLong { limit: 10 })));
    assert!(matches!(run(&mut CompactInflater::new(), b"\x78\x9d", 1, 10), Err(InflateError::Corrupt { .. })));
    // Truncated: not done, everything consumed.
    let (_, used, done) = run(&mut CompactInflater::new(), &z[..z.len() / 2], 10, 1 << 20).expect("partial");
    assert!(!done);
    assert_eq!(used, z.len() / 2);
    // The output buffer must not change between calls.
    let mut inf = CompactInflater::new();
    let mut out = Vec::new();
    inf.inflate(&z[..10], &mut out, 1 << 20).expect("start");
    out.push(0);
    assert!(matches!(inf.inflate(&z[10..], &mut out, 1 << 20), Err(InflateError::OutputChanged { .. })));
    // Reset starts a new stream; a done stream consumes nothing.
    inf.reset();
    let mut out = Vec::new();
    let p = inf.inflate(&z, &mut out, 1 << 20).expect("whole");
    assert!(p.done && p.consumed == z.len() && out == data);
    assert_eq!(inf.inflate(&z, &mut out, 1 << 20).expect("done").consumed, 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn matches_miniz(data in proptest::collection::vec(any::<u8>(), 0..3000), text in 0usize..4000, level in 0u8..=10, chunk in 1usize..300, seed: u64) {
        let mut input = data;
        input.extend_from_slice(&sample(text, seed));
        let mut z = miniz_oxide::deflate::compress_to_vec_zlib(&input, level.min(9));
        z.extend_from_slice(&seed.to_le_bytes());
        let out = run(&mut CompactInflater::new(), &z, chunk, input.len()).expect("valid");
        prop_assert_eq!(&out.0, &input);
        same(&z, chunk, input.len());
    }

    #[test]
    fn corrupted_like_miniz(text in 1usize..3000, seed: u64, flips in proptest::collection::vec((any::<usize>(), 0u8..8), 1..4), chunk in 1usize..200) {
        let input = sample(text, seed);
        let mut z = miniz_oxide::deflate::compress_to_vec_zlib(&input, (seed % 10) as u8);
        for (at, bit) in flips {
            let i = at % z.len();
            z[i] ^= 1 << bit;
        }
        // Never a panic; when both succeed, the same bytes and the same end.
        let a = run(&mut Inflater::new(), &z, chunk, 1 << 16);
        let b = run(&mut CompactInflater::new(), &z, chunk, 1 << 16);
        if let (Ok(x), Ok(y)) = (&a, &b) {
            if x.2 && y.2 {
                prop_assert_eq!(x, y);
            }
        }
    }
}

/// Speed against miniz (prints only; run with `--release --ignored --nocapture`).
#[test]
#[ignore]
fn speed() {
    let data = sample(20 << 20, 5);
    let z = miniz_oxide::deflate::compress_to_vec_zlib(&data, 6);
    for round in 0..2 {
        let t = std::time::Instant::now();
        let a = run(&mut Inflater::new(), &z, 65536, data.len()).expect("miniz");
        let m = t.elapsed();
        let t = std::time::Instant::now();
        let b = run(&mut CompactInflater::new(), &z, 65536, data.len()).expect("compact");
        let c = t.elapsed();
        assert_eq!(a, b);
        println!("round {round}: miniz {m:?}, compact {c:?} for {} MB", data.len() >> 20);
    }
}
