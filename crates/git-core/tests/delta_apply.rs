//! Delta apply: well-formed deltas, and the `malformed` module for every rejection
//! (gitformat-pack "Deltified representation", git's patch-delta.c and
//! t/t5303-pack-corruption-resilience.sh).

use git_core::delta::{apply, apply_into, header, DeltaError, DeltaHeader, SizeField, DELTA_SIZE_MIN};

/// Encodes a header varint (test-side, independent of the library's writer).
fn varint(mut v: u64, out: &mut Vec<u8>) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn delta(base: u64, result: u64, ops: &[u8]) -> Vec<u8> {
    let mut d = Vec::new();
    varint(base, &mut d);
    varint(result, &mut d);
    d.extend_from_slice(ops);
    d
}

#[test]
fn header_reads_both_sizes() {
    let d = delta(300, 1 << 40, &[1, b'x']);
    assert_eq!(header(&d), Ok(DeltaHeader { base_size: 300, result_size: 1 << 40, header_len: 2 + 6 }));
}

#[test]
fn copy_and_insert() {
    let base = b"0123456789abcdef";
    // copy offset 4 size 6, insert "XY", copy offset 0 size 2
    let d = delta(16, 10, &[0x91, 4, 6, 2, b'X', b'Y', 0x90, 2]);
    assert_eq!(apply(base, &d, 100).expect("applies"), b"456789XY01");
}

#[test]
fn copy_size_zero_means_0x10000() {
    let base: Vec<u8> = (0..0x10000u32 + 5).map(|i| (i % 251) as u8).collect();
    // offset 5 (one offset byte), no size bytes.
    let d = delta(base.len() as u64, 0x10000, &[0x81, 5]);
    let out = apply(&base, &d, u64::MAX).expect("applies");
    assert_eq!(out.len(), 0x10000);
    assert_eq!(&out[..], &base[5..]);
}

#[test]
fn all_offset_and_size_bytes() {
    let base: Vec<u8> = (0..0x20_0000u32).map(|i| (i % 253) as u8).collect();
    // offset 0x01_0203 (bytes 03 02 01 00 -> byte 3 zero, omitted), size 0x01_0101 (three bytes)
    let d = delta(base.len() as u64, 0x01_0101, &[0x80 | 0x07 | 0x70, 0x03, 0x02, 0x01, 0x01, 0x01, 0x01]);
    let out = apply(&base, &d, u64::MAX).expect("applies");
    assert_eq!(&out[..], &base[0x01_0203..0x01_0203 + 0x01_0101]);
}

#[test]
fn apply_into_reuses_the_buffer() {
    let mut out = b"stale contents".to_vec();
    apply_into(b"abc", &delta(3, 3, &[0x90, 3]), 3, &mut out).expect("applies");
    assert_eq!(out, b"abc");
    apply_into(b"abc", &[3, 0x80, 0x80, 0], 3, &mut out).expect("empty result");
    assert_eq!(DELTA_SIZE_MIN, 4);
    assert!(out.is_empty());
}

mod malformed {
    use super::*;

    #[test]
    fn empty_and_truncated_header() {
        assert_eq!(header(&[]), Err(DeltaError::HeaderTruncated { field: SizeField::Base, len: 0 }));
        assert_eq!(header(&[0x85]), Err(DeltaError::HeaderTruncated { field: SizeField::Base, len: 1 }));
        assert_eq!(header(&[0x05]), Err(DeltaError::HeaderTruncated { field: SizeField::Result, len: 1 }));
        assert_eq!(header(&[0x05, 0xff]), Err(DeltaError::HeaderTruncated { field: SizeField::Result, len: 2 }));
    }

    #[test]
    fn varint_overflow() {
        // 10 groups: 9*7 = 63 bits, then a group with value 2 at shift 63 loses a bit.
        let mut d = vec![0xff; 9];
        d.push(0x02);
        assert_eq!(header(&d), Err(DeltaError::VarintOverflow { field: SizeField::Base }));
        // u64::MAX itself is fine.
        let mut ok = vec![0xff; 9];
        ok.push(0x01);
        ok.push(0x00);
        assert_eq!(header(&ok).map(|h| h.base_size), Ok(u64::MAX));
        // Endless continuation bytes are bounded.
        let mut long = vec![0x80; 40];
        long.push(0);
        assert_eq!(header(&long), Err(DeltaError::VarintOverflow { field: SizeField::Base }));
        let mut second = vec![0x01];
        second.extend(vec![0xff; 11]);
        assert_eq!(header(&second), Err(DeltaError::VarintOverflow { field: SizeField::Result }));
        // Redundant zero groups are read up to bit 78: the 12th group (shift 77) still is, the
        // 13th (shift 84) is not; the second varint starts after them.
        let mut zeros = vec![0x85];
        zeros.extend(vec![0x80; 10]);
        zeros.extend([0x00, 0x07]);
        assert_eq!(header(&zeros).map(|h| (h.base_size, h.result_size, h.header_len)), Ok((5, 7, 13)));
        let mut more = vec![0x85];
        more.extend(vec![0x80; 11]);
        more.extend([0x00, 0x07]);
        assert_eq!(header(&more), Err(DeltaError::VarintOverflow { field: SizeField::Base }));
    }

    #[test]
    fn shorter_than_git_minimum() {
        // git's patch_delta rejects deltas under DELTA_SIZE_MIN (4) bytes, even a valid-looking one.
        assert_eq!(apply(b"", &[0, 0], 10), Err(DeltaError::TooShort { len: 2 }));
        assert_eq!(apply(b"", &[0, 0, 0], 10), Err(DeltaError::TooShort { len: 3 }));
        assert_eq!(apply(b"", &[0x80, 0, 0x80, 0], 10), Ok(Vec::new()));
    }

    #[test]
    fn base_size_mismatch() {
        let d = delta(4, 3, &[0x90, 3]);
        assert_eq!(apply(b"abc", &d, 10), Err(DeltaError::BaseSizeMismatch { declared: 4, actual: 3 }));
    }

    #[test]
    fn cap_is_checked_before_allocating() {
        let d = delta(3, u64::MAX, &[0x90, 3]);
        assert_eq!(apply(b"abc", &d, 1 << 20), Err(DeltaError::ResultTooLarge { size: u64::MAX, limit: 1 << 20 }));
        let d = delta(3, 4, &[0x90, 3, 1, b'x']);
        assert_eq!(apply(b"abc", &d, 3), Err(DeltaError::ResultTooLarge { size: 4, limit: 3 }));
        assert_eq!(apply(b"abc", &d, 4).expect("at the cap"), b"abcx");
    }

    #[test]
    fn copy_past_base() {
        let base = vec![7u8; 120];
        let d = delta(120, 100, &[0x91, 50, 100]);
        let err = apply(&base, &d, 1000).expect_err("past base");
        assert_eq!(err, DeltaError::CopyOutOfBase { offset: 50, size: 100, base_len: 120 });
        assert_eq!(err.to_string(), "copy of 100 bytes at offset 50 runs past the base of 120 bytes");
    }

    #[test]
    fn copy_offset_plus_size_overflow() {
        // offset 0xffffffff, size 0xffffff: no u32 overflow in u64, still out of base.
        let d = delta(3, 3, &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(
            apply(b"abc", &d, 1 << 30),
            Err(DeltaError::CopyOutOfBase { offset: 0xffff_ffff, size: 0xff_ffff, base_len: 3 })
        );
    }

    #[test]
    fn copy_to_the_base_end_and_one_past() {
        // offset 1, size 2 ends at the base's end; size 3 runs one byte past it.
        let d = delta(3, 2, &[0x91, 1, 2]);
        assert_eq!(apply(b"abc", &d, 10).expect("to the end"), b"bc");
        let d = delta(3, 3, &[0x91, 1, 3]);
        assert_eq!(apply(b"abc", &d, 10), Err(DeltaError::CopyOutOfBase { offset: 1, size: 3, base_len: 3 }));
    }

    #[test]
    fn copy_operands_truncated() {
        let d = delta(3, 3, &[0x91, 0]);
        assert_eq!(apply(b"abc", &d, 10), Err(DeltaError::CopyTruncated { pos: 2, needed: 2, left: 1 }));
    }

    #[test]
    fn reserved_opcode_zero() {
        let d = delta(3, 3, &[0x00, 0x90, 3]);
        let err = apply(b"abc", &d, 10).expect_err("reserved");
        assert_eq!(err, DeltaError::ReservedOpcode { pos: 2 });
    }

    #[test]
    fn insert_past_end_of_delta() {
        let d = delta(3, 5, &[5, b'a', b'b']);
        assert_eq!(apply(b"abc", &d, 10), Err(DeltaError::InsertTruncated { pos: 2, size: 5, left: 2 }));
    }

    #[test]
    fn result_longer_than_declared() {
        let d = delta(3, 2, &[0x90, 3]);
        assert_eq!(apply(b"abc", &d, 10), Err(DeltaError::ResultOverrun { pos: 2, size: 1, declared: 2 }));
        let d = delta(3, 2, &[0x90, 2, 1, b'x']);
        assert_eq!(apply(b"abc", &d, 10), Err(DeltaError::ResultOverrun { pos: 4, size: 1, declared: 2 }));
    }

    #[test]
    fn result_shorter_than_declared() {
        let d = delta(3, 4, &[0x90, 3]);
        assert_eq!(apply(b"abc", &d, 10), Err(DeltaError::ResultShort { got: 3, declared: 4 }));
    }

    /// t5303 corrupts deltas by truncating them or flipping bytes; every variant of a good delta
    /// must either apply to the declared size or fail with an error, never panic.
    #[test]
    fn t5303_style_truncations_and_flips() {
        let base: Vec<u8> = (0..400u32).map(|i| (i * 7 % 256) as u8).collect();
        let good = delta(400, 150, &[0x91, 10, 100, 20, b'z', b'z', b'z', b'z', b'z', b'z', b'z', b'z', b'z', b'z', b'z', b'z', b'z', b'z', b'z', b'z', b'z', b'z', b'z', b'z', 0x93, 0x2c, 0x01, 30]);
        assert_eq!(apply(&base, &good, 1000).expect("good").len(), 150);
        for cut in 0..good.len() {
            assert!(apply(&base, &good[..cut], 1000).is_err(), "truncated to {cut} must fail");
        }
        for i in 0..good.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut bad = good.clone();
                bad[i] ^= flip;
                if let Ok(out) = apply(&base, &bad, 1000) {
                    assert_eq!(out.len() as u64, header(&bad).expect("header").result_size);
                }
            }
        }
    }
}
