//! Checks against the `sha1` and `sha1-checked` crates, and the SHAttered collision.

use super::Sha1;
use alloc::vec::Vec;
use proptest::prelude::*;
use sha1_checked::Digest;

/// The first 320 bytes of `shattered-1.pdf` (https://shattered.io/, git's `t/t0013/shattered-1.pdf`):
/// a PDF prefix (3 blocks) and the two near-collision blocks.
const SHATTERED_1_PREFIX: [&str; 10] = [
    "255044462d312e330a25e2e3cfd30a0a0a312030206f626a0a3c3c2f57696474",
    "682032203020522f4865696768742033203020522f547970652034203020522f",
    "537562747970652035203020522f46696c7465722036203020522f436f6c6f72",
    "53706163652037203020522f4c656e6774682038203020522f42697473506572",
    "436f6d706f6e656e7420383e3e0a73747265616d0affd8fffe00245348412d31",
    "20697320646561642121212121852fec092339759c39b1a1c63c4c97e1fffe01",
    "7346dc9166b67e118f029ab621b2560ff9ca67cca8c7f85ba84c79030c2b3de2",
    "18f86db3a90901d5df45c14f26fedfb3dc38e96ac22fe7bd728f0e45bce046d2",
    "3c570feb141398bb552ef5a0a82be331fea48037b8b5d71f0e332edf93ac3500",
    "eb4ddc0decc1a864790c782c76215660dd309791d06bd0af3f98cda4bc4629b1",
];

/// The XOR difference between the near-collision blocks of `shattered-1.pdf` and
/// `shattered-2.pdf` (bytes 192..256 and 256..320 alike): `dm[0..16]` of disturbance vector
/// II(52,0) in the reference table, as big-endian words.
const SHATTERED_DIFFERENCE: [u32; 16] = [
    0x0c000002, 0xc0000010, 0xb400001c, 0x3c000004, 0xbc00001a, 0x20000010, 0x2400001c, 0xec000014,
    0x0c000002, 0xc0000010, 0xb400001c, 0x2c000004, 0xbc000018, 0xb0000010, 0x0000000c, 0xb8000010,
];

/// `sha1sum` of either 320-byte prefix.
const PREFIX_SHA1: &str = "f92d74e3874587aaf443d1db961d4e26dde13e9c";

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

fn hex(bytes: &[u8]) -> alloc::string::String {
    bytes.iter().map(|b| alloc::format!("{b:02x}")).collect()
}

/// The 320-byte prefixes of `shattered-1.pdf` and `shattered-2.pdf`.
fn shattered() -> (Vec<u8>, Vec<u8>) {
    let one = unhex(&SHATTERED_1_PREFIX.concat());
    let mut two = one.clone();
    for block in [192, 256] {
        for (i, word) in SHATTERED_DIFFERENCE.iter().enumerate() {
            for (j, b) in word.to_be_bytes().iter().enumerate() {
                two[block + 4 * i + j] ^= b;
            }
        }
    }
    (one, two)
}

/// Ours, fed in `chunk`-byte pieces.
fn ours(data: &[u8], detect: bool, chunk: usize) -> ([u8; 20], bool) {
    let mut h = Sha1::new(detect);
    for piece in data.chunks(chunk.max(1)) {
        h.update(piece);
    }
    if data.is_empty() {
        h.update(&[]);
    }
    assert_eq!(h.len(), data.len() as u64, "bytes counted");
    h.finish()
}

/// The plain SHA-1 and `sha1-checked`'s verdict. (Its digest of a detected attack differs: it
/// runs the reference's "safe hash" mode, which we do not have; we report the attack instead.)
fn reference(data: &[u8]) -> ([u8; 20], bool) {
    let result = sha1_checked::Sha1::new().chain_update(data).try_finalize();
    if !result.has_collision() {
        assert_eq!(result.hash().as_slice(), plain(data), "sha1-checked digest");
    }
    (plain(data), result.has_collision())
}

fn plain(data: &[u8]) -> [u8; 20] {
    use sha1::Digest as _;
    sha1::Sha1::digest(data).into()
}

fn pseudo_random(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9e37_79b9) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

#[test]
fn digests_match_sha1_and_sha1_checked() {
    for len in (0..300).chain([511, 512, 513, 1000, 4096, 10_007]) {
        let data = pseudo_random(len, len as u32);
        let want = plain(&data);
        assert_eq!(reference(&data), (want, false), "len {len}");
        for chunk in [1, 7, 63, 64, 65, 1000, usize::MAX] {
            assert_eq!(ours(&data, true, chunk), (want, false), "len {len} chunk {chunk}");
            assert_eq!(ours(&data, false, chunk), (want, false), "len {len} chunk {chunk}");
        }
    }
    assert_eq!(hex(&ours(b"abc", true, 64).0), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

#[test]
fn shattered_prefixes_are_a_real_collision_and_flagged() {
    let (one, two) = shattered();
    assert_ne!(one, two);
    assert_eq!(hex(&plain(&one)), PREFIX_SHA1);
    assert_eq!(hex(&plain(&two)), PREFIX_SHA1);
    for data in [&one, &two] {
        assert_eq!(ours(data, true, 64), (plain(data), true));
        assert_eq!(ours(data, true, 5), (plain(data), true));
        assert_eq!(ours(data, false, 64), (plain(data), false));
        assert_eq!(reference(data), (plain(data), true));
    }
    // Only the two near-collision blocks are the attack: the 256-byte prefix is clean.
    assert!(!ours(&one[..256], true, 64).1);
    assert!(!reference(&one[..256]).1);
}

#[test]
fn shattered_with_a_tail_is_flagged() {
    // The PDFs continue identically after the prefix; any tail keeps the collision (and the flag).
    let (one, two) = shattered();
    for tail_len in [0usize, 1, 55, 64, 1000] {
        let tail = pseudo_random(tail_len, 7);
        let a = [one.as_slice(), &tail].concat();
        let b = [two.as_slice(), &tail].concat();
        assert_eq!(plain(&a), plain(&b));
        assert_eq!(ours(&a, true, 100), (plain(&a), true), "tail {tail_len}");
        assert_eq!(ours(&b, true, 100), (plain(&b), true), "tail {tail_len}");
    }
}

#[test]
fn flipping_a_bit_of_the_attack_blocks_is_judged_like_sha1_checked() {
    let (one, _) = shattered();
    for byte in (192..320).step_by(3) {
        for bit in [0u8, 3, 7] {
            let mut data = one.clone();
            data[byte] ^= 1 << bit;
            assert_eq!(ours(&data, true, 64), reference(&data), "byte {byte} bit {bit}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn agrees_with_sha1_checked(data in proptest::collection::vec(any::<u8>(), 0..2000), chunk in 1usize..200) {
        let want = reference(&data);
        prop_assert!(!want.1);
        prop_assert_eq!(ours(&data, true, chunk), want);
    }

    #[test]
    fn shattered_with_random_tails(tail in proptest::collection::vec(any::<u8>(), 0..300), chunk in 1usize..200) {
        let (one, two) = shattered();
        for prefix in [one, two] {
            let data = [prefix.as_slice(), &tail].concat();
            let want = reference(&data);
            prop_assert!(want.1);
            prop_assert_eq!(ours(&data, true, chunk), want);
        }
    }

    #[test]
    fn random_prefix_then_shattered_blocks(head in proptest::collection::vec(any::<u8>(), 192..=192)) {
        // The attack blocks after a different prefix: not a collision any more, for either.
        let (one, _) = shattered();
        let data = [head.as_slice(), &one[192..]].concat();
        prop_assert_eq!(ours(&data, true, 64), reference(&data));
    }
}

/// The public hasher reports a detected attack with the number of bytes it was fed.
#[test]
fn hasher_reports_the_bytes_fed_with_a_collision() {
    let (one, _) = shattered();
    let mut h = crate::hash::Hasher::new();
    h.update(&one[..100]);
    h.update(&one[100..]);
    h.update(b"tail");
    assert_eq!(h.finish(), Err(crate::hash::CollisionError { len: one.len() as u64 + 4 }));
}
