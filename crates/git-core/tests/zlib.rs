//! zlib against real git: loose objects written by `git hash-object -w` inflate to what
//! `git cat-file` reports; streams we deflate are read back by git; every failure names its cause.

use git_core::zlib::{self, InflateError, Inflater, StreamInflate};
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new("git").args(args).current_dir(dir).output().expect("git must be installed");
    assert!(out.status.success(), "git {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn sample(n: usize) -> Vec<u8> {
    // Compressible but not trivial: text lines with a counter.
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
fn inflates_git_loose_objects_exactly() {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q", "."]);
    for size in [0usize, 1, 100, 70_000, 300_000] {
        let data = sample(size);
        let file = dir.path().join("f");
        std::fs::write(&file, &data).expect("write");
        let id = String::from_utf8(git(dir.path(), &["hash-object", "-w", "f"])).expect("utf8");
        let id = id.trim();
        let loose = std::fs::read(dir.path().join(".git/objects").join(&id[..2]).join(&id[2..])).expect("loose");
        let header = format!("blob {size}\0");
        let whole = zlib::inflate_exact(&loose, (header.len() + size) as u64, 1 << 30).expect("inflate");
        assert_eq!(&whole[..header.len()], header.as_bytes());
        assert_eq!(&whole[header.len()..], &data[..]);

        // The stream length is reported exactly, even with bytes following it.
        let mut followed = loose.clone();
        followed.extend_from_slice(b"PACK-garbage-after");
        let mut out = Vec::new();
        let used = zlib::inflate_exact_into(&followed, whole.len() as u64, 1 << 30, &mut out).expect("inflate");
        assert_eq!(used, loose.len());
        assert_eq!(out, whole);

        // Any chunking, down to one byte, gives the same output and the same end.
        for chunk in [1usize, 7, 4096] {
            let mut inf = Inflater::new();
            let mut out = Vec::new();
            let mut pos = 0;
            loop {
                let end = (pos + chunk).min(followed.len());
                let p = inf.inflate(&followed[pos..end], &mut out, whole.len()).expect("stream");
                pos += p.consumed;
                if p.done {
                    break;
                }
                assert_eq!(p.consumed, end - pos + p.consumed, "a not-done call consumes all it is given");
            }
            assert_eq!(pos, loose.len(), "chunk {chunk}");
            assert_eq!(out, whole, "chunk {chunk}");
            assert_eq!(inf.total_in(), loose.len() as u64);
            // After the end nothing more is consumed.
            assert_eq!(inf.inflate(b"xyz", &mut out, whole.len()).expect("done").consumed, 0);
        }
    }
}

#[test]
fn deflated_streams_are_read_by_git() {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q", "."]);
    for level in [0u8, 1, zlib::DEFAULT_LEVEL, 9] {
        let data = sample(50_000 + level as usize);
        let mut object = format!("blob {}\0", data.len()).into_bytes();
        object.extend_from_slice(&data);
        let id = git_core::hash_object(git_core::ObjectKind::Blob, &data).expect("hash").to_string();
        let z = zlib::deflate(&object, level);
        assert_eq!(zlib::inflate_exact(&z, object.len() as u64, 1 << 20).expect("round trip"), object);
        let d = dir.path().join(".git/objects").join(&id[..2]);
        std::fs::create_dir_all(&d).expect("mkdir");
        std::fs::write(d.join(&id[2..]), &z).expect("write loose");
        assert_eq!(git(dir.path(), &["cat-file", "blob", &id]), data, "level {level}");
        git(dir.path(), &["fsck", "--strict"]);
    }
    // deflate_into appends.
    let mut out = b"prefix".to_vec();
    zlib::deflate_into(b"hello", zlib::DEFAULT_LEVEL, &mut out);
    assert_eq!(&out[..6], b"prefix");
    assert_eq!(zlib::inflate_exact(&out[6..], 5, 5).expect("inflate"), b"hello");
    // Incompressible data grows by at most a few bytes per 64 KiB block.
    let noise: Vec<u8> = (0..200_000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    let z = zlib::deflate(&noise, 9);
    assert_eq!(zlib::inflate_exact(&z, noise.len() as u64, 1 << 20).expect("inflate"), noise);
}

mod malformed {
    use super::*;

    fn stream() -> (Vec<u8>, Vec<u8>) {
        let data = sample(10_000);
        let z = zlib::deflate(&data, 6);
        (data, z)
    }

    #[test]
    fn declared_size_too_small_and_too_large() {
        let (data, z) = stream();
        let n = data.len() as u64;
        assert_eq!(zlib::inflate_exact(&z, n - 1, 1 << 20), Err(InflateError::TooLong { limit: n - 1 }));
        assert_eq!(zlib::inflate_exact(&z, n + 1, 1 << 20), Err(InflateError::TooShort { got: n, declared: n + 1 }));
        let e = zlib::inflate_exact(&z, n - 1, 1 << 20).unwrap_err();
        assert_eq!(e.to_string(), "inflated past the declared 9999 bytes");
        // Exactly declared passes, including zero.
        assert_eq!(zlib::inflate_exact(&z, n, n).expect("exact"), data);
        let empty = zlib::deflate(b"", 6);
        assert_eq!(zlib::inflate_exact(&empty, 0, 0).expect("empty"), b"");
        assert_eq!(zlib::inflate_exact(&empty, 1, 10), Err(InflateError::TooShort { got: 0, declared: 1 }));
    }

    #[test]
    fn over_cap_fails_before_allocating() {
        let (_, z) = stream();
        let e = zlib::inflate_exact(&z, u64::MAX, 1 << 20).unwrap_err();
        assert_eq!(e, InflateError::OverCap { declared: u64::MAX, cap: 1 << 20 });
        assert!(e.to_string().contains("over the limit of 1048576 bytes"), "{e}");
    }

    #[test]
    fn truncated_at_every_length() {
        let (data, z) = stream();
        for cut in 0..z.len() {
            let e = zlib::inflate_exact(&z[..cut], data.len() as u64, 1 << 20).unwrap_err();
            assert!(matches!(e, InflateError::Truncated { consumed, .. } if consumed == cut as u64), "cut {cut}: {e}");
        }
    }

    #[test]
    fn corrupted_bytes_are_errors_never_panics() {
        let (data, z) = stream();
        let mut corrupt_seen = false;
        for i in 0..z.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut bad = z.clone();
                bad[i] ^= flip;
                match zlib::inflate_exact(&bad, data.len() as u64, 1 << 20) {
                    Ok(out) => assert_eq!(out, data, "a flip at {i} that inflates must be harmless"),
                    Err(InflateError::Corrupt { .. }) => corrupt_seen = true,
                    Err(_) => {}
                }
            }
        }
        assert!(corrupt_seen);
        // A bad zlib header.
        assert_eq!(zlib::inflate_exact(b"\x78\x00abc", 3, 10), Err(InflateError::Corrupt { inflated: 0 }));
    }

    #[test]
    fn adler32_mismatch() {
        let (data, mut z) = stream();
        let last = z.len() - 1;
        z[last] ^= 1;
        assert_eq!(
            zlib::inflate_exact(&z, data.len() as u64, 1 << 20),
            Err(InflateError::Checksum { inflated: data.len() as u64 })
        );
    }

    #[test]
    fn output_buffer_changed_between_calls() {
        let (data, z) = stream();
        let mut inf = Inflater::new();
        let mut out = Vec::new();
        let p = inf.inflate(&z[..z.len() / 2], &mut out, data.len()).expect("first half");
        assert!(!p.done);
        out.push(0);
        let e = inf.inflate(&z[z.len() / 2..], &mut out, data.len()).unwrap_err();
        assert!(matches!(e, InflateError::OutputChanged { .. }), "{e}");
        // reset() makes the inflater usable again.
        inf.reset();
        let mut out = Vec::new();
        assert!(inf.inflate(&z, &mut out, data.len()).expect("whole").done);
        assert_eq!(out, data);
    }

    #[test]
    fn limit_applies_in_streaming_mode() {
        // A highly compressible stream: 1 MiB of zeros in about 1 KiB.
        let zeros = vec![0u8; 1 << 20];
        let z = zlib::deflate(&zeros, 9);
        let mut inf = Inflater::new();
        let mut out = Vec::new();
        let e = inf.inflate(&z, &mut out, 1000).unwrap_err();
        assert_eq!(e, InflateError::TooLong { limit: 1000 });
        assert!(out.len() <= 1001, "output stops at the limit, got {}", out.len());
    }
}

#[test]
fn empty_stored_blocks_inflate_like_zlib() {
    // zlib accepts empty stored blocks (python: zlib.decompress gives b""); so must we.
    let mut s = vec![0x78, 0x01];
    for _ in 0..3 {
        s.extend_from_slice(&[0, 0, 0, 0xff, 0xff]);
    }
    s.extend_from_slice(&[1, 0, 0, 0xff, 0xff, 0, 0, 0, 1]);
    assert_eq!(zlib::inflate_exact(&s, 0, 0).expect("valid stream"), b"");
    let mut inf = Inflater::new();
    let mut out = Vec::new();
    for (i, b) in s.iter().enumerate() {
        let p = inf.inflate(std::slice::from_ref(b), &mut out, 0).expect("valid stream");
        assert_eq!(p.done, i == s.len() - 1);
    }
}

/// Buffers end at most one byte past the declared size: a Vec growing by doubling would hold up
/// to twice a large object once its last bytes arrive (inflate_exact reserved `size` and the
/// inflater then offers `size + 1` bytes of room; streaming growth doubled past the limit).
#[test]
fn output_buffers_do_not_grow_past_the_limit() {
    let size = 3_000_000usize;
    let data = sample(size);
    let z = zlib::deflate(&data, 6);
    let mut out = Vec::new();
    zlib::inflate_exact_into(&z, size as u64, 1 << 30, &mut out).expect("inflate");
    assert_eq!(out, data);
    assert!(out.capacity() <= size + 1, "inflate_exact: capacity {} for {size} bytes", out.capacity());
    // Streaming in 64 KiB pieces, as the pack parser feeds entries.
    let mut inf = Inflater::new();
    let mut out = Vec::new();
    for piece in z.chunks(64 * 1024) {
        inf.inflate(piece, &mut out, size).expect("streaming inflate");
    }
    assert!(inf.is_done());
    assert_eq!(out, data);
    assert!(out.capacity() <= size + 1, "streaming: capacity {} for {size} bytes", out.capacity());
}
