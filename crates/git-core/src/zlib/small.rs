//! A small zlib encoder: what [`super::deflate_into`] is on `wasm32`, where code size matters more
//! than compression ratio (the Wasm engine deflates only on rare paths: re-storing an object whose
//! delta chain is too deep, re-compressing an object whose stored delta base is not sent).
//! Natively `miniz_oxide` at the requested level is used instead; this one is compiled everywhere
//! so that it is tested natively.
//!
//! The stream (RFC 1950): header `78 01`, one final deflate block (RFC 1951) with the fixed Huffman
//! codes (section 3.2.6) over greedy LZ77 matches found through a one-entry-per-bucket hash table
//! of 3-byte prefixes, then the Adler-32 of the data, big-endian. When that block would be larger
//! than the data stored as-is (incompressible input), or at level 0, the data goes in stored
//! blocks (section 3.2.4) instead, so the stream is never more than 5 bytes per 65,535 plus 6
//! larger than the input.

use alloc::vec::Vec;

/// Distance limit of deflate (a 32 KiB window).
const WINDOW: usize = 32 * 1024;
/// Match lengths of deflate.
const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 258;
/// Hash table buckets (log2); one candidate position each.
const HASH_BITS: u32 = 13;
/// Largest stored block.
const STORED_MAX: usize = 0xffff;

/// Appends a zlib stream of `data` to `out`: fixed-Huffman LZ77, or stored blocks at `level` 0 or
/// when that is smaller.
pub fn deflate_into(data: &[u8], level: u8, out: &mut Vec<u8>) {
    let start = out.len();
    // CMF 0x78: deflate, 32 KiB window; FLG 0x01: no dictionary, "fastest" level, check bits
    // making 0x7801 a multiple of 31.
    out.extend_from_slice(&[0x78, 0x01]);
    let stored_len = stored_size(data.len());
    if level > 0 {
        fixed_block(data, out);
        if out.len() - start - 2 > stored_len {
            out.truncate(start + 2);
            stored_blocks(data, out);
        }
    } else {
        stored_blocks(data, out);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
}

/// Bytes of `n` bytes of data in stored blocks (a block is 5 bytes of header; at least one block).
fn stored_size(n: usize) -> usize {
    n + 5 * n.div_ceil(STORED_MAX).max(1)
}

fn stored_blocks(data: &[u8], out: &mut Vec<u8>) {
    // One block per STORED_MAX bytes, the last with BFINAL=1 (BTYPE=00); no data is one empty
    // final block (LEN=0, NLEN=0xffff). An index loop: no chunk iterator code in the module.
    let mut start = 0usize;
    loop {
        let end = data.len().min(start.saturating_add(STORED_MAX));
        let chunk = data.get(start..end).unwrap_or_default();
        let len = chunk.len() as u16;
        out.push(u8::from(end == data.len()));
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
        if end == data.len() {
            break;
        }
        start = end;
    }
}

/// Adler-32 (RFC 1950 section 8.2).
pub fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65_521;
    let (mut a, mut b) = (1u32, 0u32);
    // 5552 bytes is the most that cannot overflow u32 before the reduction (zlib's NMAX): reduced
    // after every 5552 bytes and at the end (one loop, no slice splitting).
    let mut unreduced = 0;
    for &x in data {
        a += u32::from(x);
        b += a;
        unreduced += 1;
        if unreduced == 5552 {
            a %= MOD;
            b %= MOD;
            unreduced = 0;
        }
    }
    ((b % MOD) << 16) | (a % MOD)
}

/// Writes bits least significant first, as deflate packs them.
struct Bits<'a> {
    out: &'a mut Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits<'_> {
    /// Appends the low `n` bits of `v` (n <= 32).
    fn put(&mut self, v: u32, n: u32) {
        self.acc |= u64::from(v) << self.n;
        self.n += n;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// Appends a Huffman code of `n` bits (codes are defined most significant bit first).
    fn code(&mut self, code: u32, n: u32) {
        self.put(code.reverse_bits() >> (32 - n), n);
    }

    /// A literal/length symbol of the fixed code (RFC 1951 section 3.2.6).
    fn symbol(&mut self, sym: u32) {
        match sym {
            0..=143 => self.code(0x30 + sym, 8),
            144..=255 => self.code(0x190 + (sym - 144), 9),
            256..=279 => self.code(sym - 256, 7),
            _ => self.code(0xc0 + (sym - 280), 8),
        }
    }

    fn flush(&mut self) {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.acc = 0;
        self.n = 0;
    }
}

/// Length 3..=258 as (symbol, extra bits value, extra bit count) (RFC 1951 section 3.2.5).
fn length_code(len: usize) -> (u32, u32, u32) {
    if len >= MAX_MATCH {
        return (285, 0, 0);
    }
    let x = (len - MIN_MATCH) as u32;
    if x < 8 {
        return (257 + x, 0, 0);
    }
    // x in 8..=254: four codes per power of two, e = log2(x) - 2 extra bits.
    let log = 31 - x.leading_zeros();
    let e = log - 2;
    let sub = (x >> e) & 3;
    (257 + 4 * (log - 1) + sub, x - ((4 + sub) << e), e)
}

/// Distance 1..=32768 as (code, extra bits value, extra bit count) (RFC 1951 section 3.2.5).
fn distance_code(dist: usize) -> (u32, u32, u32) {
    let x = (dist - 1) as u32;
    if x < 4 {
        return (x, 0, 0);
    }
    // Two codes per power of two, e = log2(x) - 1 extra bits.
    let log = 31 - x.leading_zeros();
    let e = log - 1;
    let sub = (x >> e) & 1;
    (2 * log + sub, x - ((2 + sub) << e), e)
}

fn hash(data: &[u8], i: usize) -> usize {
    let v = u32::from(data[i]) | u32::from(data[i + 1]) << 8 | u32::from(data[i + 2]) << 16;
    (v.wrapping_mul(0x9e37_79b1) >> (32 - HASH_BITS)) as usize
}

/// One final fixed-Huffman block of `data`.
fn fixed_block(data: &[u8], out: &mut Vec<u8>) {
    let mut bits = Bits { out, acc: 0, n: 0 };
    // BFINAL=1, BTYPE=01 (fixed Huffman codes).
    bits.put(0b011, 3);
    // Position + 1 (modulo 2^32) of the last 3-byte prefix with each hash; 0 for none. `u32` and
    // `resize` rather than `vec![0usize; n]`: the module already has `Vec<u32>::resize`, and no other
    // `from_elem::<usize>`. A position that wrapped only yields a candidate inside the window whose
    // bytes the loop below compares, so it costs ratio at most, never correctness.
    #[allow(clippy::slow_vector_initialization)] // deliberately `resize`, as said above
    let mut head: Vec<u32> = Vec::new();
    head.resize(1 << HASH_BITS, 0);
    let mut i = 0;
    while i < data.len() {
        let mut best = 0;
        let mut dist = 0;
        if i + MIN_MATCH <= data.len() {
            let h = hash(data, i);
            let cand = head[h];
            let here = (i as u32).wrapping_add(1);
            head[h] = here;
            // The distance back to the candidate, 1..=WINDOW when it is usable.
            let back = here.wrapping_sub(cand) as usize;
            if cand > 0 && back.wrapping_sub(1) < WINDOW {
                let c = i - back;
                let max = (data.len() - i).min(MAX_MATCH);
                // An index loop: no zip/take_while adapter code in the module.
                while best < max && data[c + best] == data[i + best] {
                    best += 1;
                }
                dist = i - c;
            }
        }
        if best >= MIN_MATCH {
            let (sym, extra, n) = length_code(best);
            bits.symbol(sym);
            bits.put(extra, n);
            let (code, extra, n) = distance_code(dist);
            bits.code(code, 5);
            bits.put(extra, n);
            // Index the positions inside the match, so later data can refer to them.
            for j in i + 1..(i + best).min(data.len().saturating_sub(MIN_MATCH - 1)) {
                head[hash(data, j)] = (j as u32).wrapping_add(1);
            }
            i += best;
        } else {
            bits.symbol(u32::from(data[i]));
            i += 1;
        }
    }
    bits.symbol(256);
    bits.flush();
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The block encoder before its hash table became `Vec<u32>` (test-only copy): the output must
    /// not change.
    fn old_fixed_block(data: &[u8], out: &mut Vec<u8>) {
        let mut bits = Bits { out, acc: 0, n: 0 };
        bits.put(0b011, 3);
        let mut head = alloc::vec![0usize; 1 << HASH_BITS];
        let mut i = 0;
        while i < data.len() {
            let mut best = 0;
            let mut dist = 0;
            if i + MIN_MATCH <= data.len() {
                let h = hash(data, i);
                let cand = head[h];
                head[h] = i + 1;
                if cand > 0 && i - (cand - 1) <= WINDOW {
                    let c = cand - 1;
                    let max = (data.len() - i).min(MAX_MATCH);
                    while best < max && data[c + best] == data[i + best] {
                        best += 1;
                    }
                    dist = i - c;
                }
            }
            if best >= MIN_MATCH {
                let (sym, extra, n) = length_code(best);
                bits.symbol(sym);
                bits.put(extra, n);
                let (code, extra, n) = distance_code(dist);
                bits.code(code, 5);
                bits.put(extra, n);
                for j in i + 1..(i + best).min(data.len().saturating_sub(MIN_MATCH - 1)) {
                    head[hash(data, j)] = j + 1;
                }
                i += best;
            } else {
                bits.symbol(u32::from(data[i]));
                i += 1;
            }
        }
        bits.symbol(256);
        bits.flush();
    }

    fn assert_same_block(data: &[u8]) {
        let (mut new, mut old) = (Vec::new(), Vec::new());
        fixed_block(data, &mut new);
        old_fixed_block(data, &mut old);
        assert_eq!(new, old, "block of {} bytes", data.len());
    }

    #[test]
    fn fixed_block_matches_old_encoder_beyond_the_window() {
        // Repeats both nearer and farther than the 32 KiB window, so stale candidates are met.
        let mut data = Vec::new();
        let mut x = 1u32;
        while data.len() < 3 * WINDOW {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let byte = (x >> 16) as u8;
            data.push(byte);
            if byte < 40 {
                let back = (x as usize >> 3) % (data.len() + 1);
                let from = data.len() - back;
                let n = (usize::from(byte) * 7).min(back);
                data.extend_from_within(from..from + n);
            }
        }
        assert_same_block(&data);
        data.truncate(WINDOW + 1);
        let copy = data.clone();
        data.extend_from_slice(&copy);
        assert_same_block(&data);
    }

    proptest! {
        #[test]
        fn fixed_block_matches_old_encoder(
            data in prop::collection::vec(prop::sample::select(alloc::vec![0u8, 1, 2, b'a']), 0..3000),
        ) {
            assert_same_block(&data);
        }
    }

    #[test]
    fn length_and_distance_codes_match_rfc1951_tables() {
        // (value, symbol, extra value, extra bits) from RFC 1951 section 3.2.5.
        for (len, want) in [
            (3, (257, 0, 0)),
            (10, (264, 0, 0)),
            (11, (265, 0, 1)),
            (12, (265, 1, 1)),
            (13, (266, 0, 1)),
            (19, (269, 0, 2)),
            (34, (272, 3, 2)),
            (35, (273, 0, 3)),
            (227, (284, 0, 5)),
            (257, (284, 30, 5)),
            (258, (285, 0, 0)),
        ] {
            assert_eq!(length_code(len), want, "length {len}");
        }
        for (dist, want) in [
            (1, (0, 0, 0)),
            (4, (3, 0, 0)),
            (5, (4, 0, 1)),
            (6, (4, 1, 1)),
            (7, (5, 0, 1)),
            (9, (6, 0, 2)),
            (24577, (29, 0, 13)),
            (32768, (29, 8191, 13)),
        ] {
            assert_eq!(distance_code(dist), want, "distance {dist}");
        }
    }

    #[test]
    fn adler32_known_value() {
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
        assert_eq!(adler32(b""), 1);
    }
}
