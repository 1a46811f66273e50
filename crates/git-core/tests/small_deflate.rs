//! The small zlib encoder (`git_core::zlib::small`, what `deflate` is on wasm32): its streams
//! inflate to the input through our inflater, through zlib-rs (flate2) and through git, and stay
//! within the stored-size bound.

use flate2::read::ZlibDecoder;
use git_core::zlib::{self, small};
use proptest::prelude::*;
use std::io::Read;
use std::path::Path;
use std::process::Command;

fn small_deflate(data: &[u8], level: u8) -> Vec<u8> {
    let mut out = Vec::new();
    small::deflate_into(data, level, &mut out);
    out
}

fn flate2_inflate(z: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    ZlibDecoder::new(z).read_to_end(&mut out).expect("zlib-rs inflates the stream");
    out
}

fn check(data: &[u8], level: u8) -> Vec<u8> {
    let z = small_deflate(data, level);
    assert_eq!(zlib::inflate_exact(&z, data.len() as u64, 1 << 30).expect("our inflater"), data);
    assert_eq!(flate2_inflate(&z), data);
    let blocks = data.len().div_ceil(65_535).max(1);
    assert!(z.len() <= data.len() + 5 * blocks + 6, "{} bytes for {}", z.len(), data.len());
    z
}

fn text(n: usize) -> Vec<u8> {
    let mut v = Vec::new();
    let mut i = 0u64;
    while v.len() < n {
        v.extend_from_slice(format!("line {i} of the sample, {}\n", i * 2654435761 % 1000).as_bytes());
        i += 1;
    }
    v.truncate(n);
    v
}

#[test]
fn round_trips_and_compresses() {
    for n in [0usize, 1, 2, 3, 4, 257, 258, 259, 1000, 65_535, 65_536, 200_000] {
        check(&text(n), 0);
        check(&text(n), 6);
    }
    // Text compresses (fixed codes, greedy matches): well under half.
    let t = text(100_000);
    let z = check(&t, 6);
    assert!(z.len() < t.len() / 3, "{} bytes for {}", z.len(), t.len());
    // Runs use overlapping matches of the maximum length: 13 bits (length 258, distance 1) each.
    let zeros = vec![0u8; 1 << 20];
    let z = check(&zeros, 6);
    assert!(z.len() < (1 << 20) / 258 * 13 / 8 + 20, "{} bytes for 1 MiB of zeros", z.len());
    // Incompressible data falls back to stored blocks.
    let noise: Vec<u8> = (0..200_000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    check(&noise, 6);
    // Level 0 is stored blocks: exactly the bound.
    assert_eq!(small_deflate(&t, 0).len(), t.len() + 5 * 2 + 6);
    // Appends.
    let mut out = b"prefix".to_vec();
    small::deflate_into(b"hello hello hello", 6, &mut out);
    assert_eq!(&out[..6], b"prefix");
    assert_eq!(flate2_inflate(&out[6..]), b"hello hello hello");
}

#[test]
fn adler32_matches_flate2_trailer() {
    for data in [text(0), text(10), text(100_000), vec![0xff; 70_000]] {
        let z = small_deflate(&data, 6);
        let trailer = u32::from_be_bytes(z[z.len() - 4..].try_into().expect("4 bytes"));
        assert_eq!(trailer, small::adler32(&data));
        // And zlib-rs checks the trailer: a corrupted one is refused.
        let mut bad = z.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert!(ZlibDecoder::new(&bad[..]).read_to_end(&mut Vec::new()).is_err());
    }
}

#[test]
fn git_reads_loose_objects_it_wrote() {
    let dir = tempfile::tempdir().expect("tempdir");
    let git = |args: &[&str]| {
        let out = Command::new("git").args(args).current_dir(dir.path()).output().expect("git must be installed");
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    git(&["init", "-q", "."]);
    for (i, data) in [text(0), text(70_000), vec![7u8; 100_000]].into_iter().enumerate() {
        let mut object = format!("blob {}\0", data.len()).into_bytes();
        object.extend_from_slice(&data);
        let id = git_core::hash_object(git_core::ObjectKind::Blob, &data).expect("hash").to_string();
        let d: &Path = &dir.path().join(".git/objects").join(&id[..2]);
        std::fs::create_dir_all(d).expect("mkdir");
        std::fs::write(d.join(&id[2..]), small_deflate(&object, 6)).expect("write loose");
        assert_eq!(git(&["cat-file", "blob", &id]), data, "object {i}");
    }
    git(&["fsck", "--strict"]);
}

proptest! {
    #[test]
    fn any_input_round_trips(
        data in proptest::collection::vec(prop_oneof![3 => 0u8..4, 1 => any::<u8>()], 0..5000),
        level in 0u8..10,
    ) {
        let z = small_deflate(&data, level);
        prop_assert_eq!(zlib::inflate_exact(&z, data.len() as u64, 1 << 20).expect("our inflater"), data.clone());
        prop_assert_eq!(flate2_inflate(&z), data);
    }
}
