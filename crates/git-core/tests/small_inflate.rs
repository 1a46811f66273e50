//! The small zlib decoder (`git_core::zlib::SmallInflater`, what `Inflater` is on wasm32): streams
//! from zlib-rs (flate2) at every level and from git inflate exactly, in any chunking, with exact
//! `consumed` counts; corrupt and truncated streams are errors, never panics, and agree with
//! `miniz_oxide`'s inflater (the native `Inflater`) on what is valid.

use flate2::write::ZlibEncoder;
use flate2::Compression;
use git_core::zlib::{self, InflateError, Progress, SmallInflater};
use proptest::prelude::*;
use std::io::Write;

fn zlib_rs(data: &[u8], level: u32) -> Vec<u8> {
    let mut e = ZlibEncoder::new(Vec::new(), Compression::new(level));
    e.write_all(data).expect("deflate");
    e.finish().expect("deflate")
}

/// Inflates `z` (followed by junk) in chunks of `chunk` bytes: (output, bytes consumed).
fn inflate_chunked(z: &[u8], chunk: usize, limit: usize) -> Result<(Vec<u8>, usize), InflateError> {
    let mut inf = SmallInflater::new();
    let mut out = b"prefix".to_vec();
    let mut pos = 0;
    loop {
        let end = (pos + chunk).min(z.len());
        let Progress { consumed, done } = inf.inflate(&z[pos..end], &mut out, limit)?;
        pos += consumed;
        if done {
            assert_eq!(inf.total_out_bytes() as usize, out.len() - 6);
            assert!(out.starts_with(b"prefix"));
            return Ok((out[6..].to_vec(), pos));
        }
        assert_eq!(pos, end, "a call that does not finish consumes all it is given");
        if end == z.len() {
            return Err(InflateError::Truncated { consumed: pos as u64, inflated: 0 });
        }
    }
}

fn miniz(z: &[u8], limit: usize) -> Option<Vec<u8>> {
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(z, limit).ok()
}

fn sample(n: usize, seed: u32) -> Vec<u8> {
    let mut v = Vec::with_capacity(n);
    let mut x = seed.wrapping_mul(2654435761) | 1;
    while v.len() < n {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        match x % 4 {
            0 => v.extend_from_slice(format!("line {} of text\n", x % 97).as_bytes()),
            1 => v.push((x >> 8) as u8),
            2 => v.extend(std::iter::repeat_n(b'z', (x % 300) as usize)),
            _ => {
                if v.len() > 10 {
                    let from = (x as usize >> 4) % v.len();
                    let len = ((x >> 20) as usize % 40).min(v.len() - from);
                    let copy = v[from..from + len].to_vec();
                    v.extend_from_slice(&copy);
                }
            }
        }
    }
    v.truncate(n);
    v
}

#[test]
fn every_level_and_chunking() {
    for (n, seed) in [(0, 1), (1, 2), (100, 3), (5000, 4), (70_000, 5), (300_000, 6)] {
        let data = sample(n, seed);
        for level in [0, 1, 6, 9] {
            let mut z = zlib_rs(&data, level);
            let len = z.len();
            z.extend_from_slice(b"NEXT ENTRY");
            for chunk in [1, 2, 3, 7, 64, 1000, usize::MAX / 2] {
                if n > 5000 && chunk < 64 {
                    continue;
                }
                let (out, used) = inflate_chunked(&z, chunk, n).expect("inflates");
                assert!(out == data, "n {n} level {level} chunk {chunk}");
                assert_eq!(used, len, "n {n} level {level} chunk {chunk}");
            }
            // One byte less of room: too long.
            if n > 0 {
                assert!(matches!(inflate_chunked(&z, 4096, n - 1), Err(InflateError::TooLong { .. })));
            }
        }
        for small_level in [0, 6] {
            let mut z = Vec::new();
            zlib::small::deflate_into(&data, small_level, &mut z);
            assert_eq!(inflate_chunked(&z, 999, n).expect("inflates").0, data);
        }
    }
}

#[test]
fn exact_wrappers_use_it_on_wasm_and_agree_natively() {
    let data = sample(40_000, 9);
    let z = zlib_rs(&data, 6);
    assert_eq!(zlib::inflate_exact(&z, data.len() as u64, 1 << 20).expect("inflate"), data);
    for cut in [0, 1, 2, 5, z.len() / 2, z.len() - 4, z.len() - 1] {
        assert!(matches!(inflate_chunked(&z[..cut], 1 << 20, 1 << 20), Err(InflateError::Truncated { .. })), "cut {cut}");
    }
}

#[test]
fn bad_headers_checksums_and_codes() {
    let z = zlib_rs(b"hello hello hello", 6);
    let mut bad = z.clone();
    bad[0] = 0x79; // CM 9
    assert!(matches!(inflate_chunked(&bad, 100, 100), Err(InflateError::Corrupt { .. })));
    let mut bad = z.clone();
    let n = bad.len();
    bad[n - 1] ^= 1;
    assert!(matches!(inflate_chunked(&bad, 100, 100), Err(InflateError::Checksum { .. })));
    // Block type 3 is reserved.
    assert!(matches!(inflate_chunked(b"\x78\x01\x07\0\0\0\0", 100, 100), Err(InflateError::Corrupt { .. })));
    // A stored block whose NLEN does not match.
    assert!(matches!(inflate_chunked(b"\x78\x01\x01\x01\x00\xfe\xfe", 100, 100), Err(InflateError::Corrupt { .. })));
    // A distance before the start of the output (fixed block: length 3, distance 1 first).
    assert!(matches!(inflate_chunked(b"\x78\x01\x03\x02\x00\0\0\0\0", 100, 100), Err(InflateError::Corrupt { .. })));
}

#[test]
fn limit_stops_literals_and_copies_alike() {
    // Literals only (level 0: stored; level 1 on bytes with no repeats: literals), copies only
    // (a run of one byte: a literal, then length/distance pairs), and both mixed.
    let literals: Vec<u8> = (0..=255u8).collect();
    let run = vec![b'a'; 2000];
    let mixed = sample(5000, 11);
    for data in [&literals, &run, &mixed] {
        for level in [0, 1, 9] {
            let z = zlib_rs(data, level);
            let n = data.len();
            assert_eq!(inflate_chunked(&z, 7, n).expect("fits").0, *data, "level {level}");
            for limit in [0, 1, n / 2, n - 1] {
                let got = inflate_chunked(&z, 7, limit);
                assert!(matches!(got, Err(InflateError::TooLong { limit: l }) if l == limit as u64), "level {level} limit {limit}: {got:?}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_data_round_trips(data in proptest::collection::vec(any::<u8>(), 0..3000), level in 0u32..10, chunk in 1usize..600) {
        let z = zlib_rs(&data, level);
        let (out, used) = inflate_chunked(&z, chunk, data.len()).expect("inflates");
        prop_assert_eq!(out, data);
        prop_assert_eq!(used, z.len());
    }

    #[test]
    fn corrupt_streams_agree_with_miniz(seed in 0u32..1000, flips in proptest::collection::vec((any::<usize>(), 0u8..8), 1..4), chunk in 1usize..300) {
        let data = sample(2000, seed);
        let mut z = zlib_rs(&data, seed % 10);
        for (at, bit) in flips {
            let i = at % z.len();
            z[i] ^= 1 << bit;
        }
        let ours = inflate_chunked(&z, chunk, 1 << 16).ok().map(|(out, _)| out);
        let theirs = miniz(&z, 1 << 16);
        if let Some(ours) = &ours {
            // Whatever we accept, miniz accepts, with the same output.
            prop_assert_eq!(Some(ours), theirs.as_ref());
        }
    }

    #[test]
    fn random_bytes_never_panic(mut z in proptest::collection::vec(any::<u8>(), 0..400), chunk in 1usize..50) {
        if z.len() >= 2 {
            z[0] = 0x78;
            z[1] = 0x9c;
        }
        let ours = inflate_chunked(&z, chunk, 1 << 16).ok().map(|(out, _)| out);
        if let Some(ours) = ours {
            prop_assert_eq!(Some(ours), miniz(&z, 1 << 16));
        }
    }
}
