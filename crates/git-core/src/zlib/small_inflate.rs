//! A small streaming zlib decoder (RFC 1950 / RFC 1951): what [`super::Inflater`] is on `wasm32`,
//! where `miniz_oxide`'s decompressor was some 10 KB of a module with a 100 KB budget. Natively
//! `miniz_oxide` is used; this one is compiled everywhere so that it is tested natively.
//!
//! Like the `miniz_oxide` inflater it writes straight into the caller's buffer, whose output so far
//! is the deflate window. Input is read through a 64-bit bit buffer. Each step (a block header, one
//! code length, one literal or length/distance pair, the trailer) needs at most 48 bits and is
//! taken only once all of its bits are there: when the input runs out inside a step, the bit buffer
//! is put back as it was before the step and the call returns having consumed all its input (the
//! bits stay in the buffer for the next call). Bytes the buffer read past the end of the stream
//! are given back when the stream ends, so `consumed` is exact.
//!
//! Huffman codes are decoded through a 10-bit lookup table, falling back to canonical decoding one
//! bit at a time for longer codes (as zlib's `puff.c` does). Invalid streams are refused as zlib
//! refuses them: bad header, over-subscribed or incomplete codes, a missing end-of-block code,
//! invalid length or distance symbols, distances before the start of the output, stored block
//! lengths that do not match, a wrong Adler-32.

use super::small::adler32;
use super::{InflateError, Progress, StreamInflate};
use alloc::boxed::Box;
use alloc::vec::Vec;

/// Bits of the lookup table.
const FAST: u32 = 10;
/// Length symbol `257 + s`: its base length and extra bits (RFC 1951 section 3.2.5), computed
/// rather than read from two tables (their data cost more than the arithmetic): eight lengths
/// 3..=10 without extra bits, then four symbols per extra bit count 1..=5, each starting at
/// `(4 + s % 4) << extra` past 3, and 258 alone. `None` for the unused symbols 286 and 287.
fn length_base(s: usize) -> Option<(usize, u32)> {
    match s {
        0..=7 => Some((s + 3, 0)),
        8..=27 => {
            let extra = (s / 4 - 1) as u32;
            Some((((4 + s % 4) << extra) + 3, extra))
        }
        28 => Some((258, 0)),
        _ => None,
    }
}

/// Distance symbol `d`: its base distance and extra bits (RFC 1951 section 3.2.5), computed as
/// [`length_base`]: distances 1..=4 without extra bits, then two symbols per extra bit count
/// 1..=13, each starting at `(2 + d % 2) << extra` past 1. `None` for the unused symbols 30 and 31.
fn distance_base(d: usize) -> Option<(usize, u32)> {
    match d {
        0..=3 => Some((d + 1, 0)),
        4..=29 => {
            let extra = (d / 2 - 1) as u32;
            Some((((2 + d % 2) << extra) + 1, extra))
        }
        _ => None,
    }
}
/// The order code length code lengths are sent in (section 3.2.7).
const CL_ORDER: [u8; 19] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/// A canonical Huffman code.
struct Huff {
    /// Codes of each length.
    counts: [u16; 16],
    /// Symbols by code (by length, then by symbol).
    symbols: [u16; 288],
    /// Indexed by the next `FAST` bits: `symbol << 4 | length` of a code up to `FAST` bits, or 0.
    fast: [u16; 1 << FAST],
}

struct Tables {
    lit: Huff,
    dist: Huff,
    /// Code lengths of the block being set up: literal/length codes, then distance codes.
    lens: [u8; 320],
}

/// Where in the stream the decoder is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum St {
    Zlib,
    Block,
    /// Bytes of a stored block still to copy.
    Stored(u16),
    /// A dynamic block's code length code lengths read so far.
    Cl(u16),
    /// A dynamic block's code lengths read so far.
    Lens(u16),
    Codes,
    Trailer,
    Done,
}

/// Why a step stopped.
enum Stop {
    /// The input ended inside the step.
    Input,
    Corrupt,
    Checksum,
    TooLong,
}

/// The bit buffer: `n` bits, least significant first.
#[derive(Clone, Copy)]
struct Bits {
    v: u64,
    n: u32,
}

impl Bits {
    fn take(&mut self, n: u32) -> Result<u32, Stop> {
        if self.n < n {
            return Err(Stop::Input);
        }
        let v = (self.v & ((1u64 << n) - 1)) as u32;
        self.v >>= n;
        self.n -= n;
        Ok(v)
    }

    /// Reads input bytes from `pos` while there is room for them; returns the position after them
    /// (a value, not a `&mut` slot in memory).
    fn fill(&mut self, input: &[u8], mut pos: usize) -> usize {
        while self.n <= 56 {
            let Some(&b) = input.get(pos) else { break };
            self.v |= u64::from(b) << self.n;
            self.n += 8;
            pos += 1;
        }
        pos
    }

    /// Drops the bits up to the next byte boundary.
    fn align(&mut self) {
        let r = self.n % 8;
        self.v >>= r;
        self.n -= r;
    }

    fn decode(&mut self, h: &Huff) -> Result<u16, Stop> {
        let e = h.fast[(self.v as usize) & ((1 << FAST) - 1)];
        if e != 0 {
            self.take(u32::from(e & 15))?;
            return Ok(e >> 4);
        }
        // Longer than FAST bits (or no code): canonical decoding, a bit at a time.
        let (mut code, mut first, mut index) = (0usize, 0usize, 0usize);
        for len in 1..16u32 {
            if len > self.n {
                return Err(Stop::Input);
            }
            code |= ((self.v >> (len - 1)) & 1) as usize;
            let count = usize::from(h.counts[len as usize]);
            if code < first + count {
                self.take(len)?;
                return h.symbols.get(index + code - first).copied().ok_or(Stop::Corrupt);
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err(Stop::Corrupt)
    }
}

/// Builds `h` from code lengths; `single_ok`: an incomplete code of one symbol is accepted (as zlib
/// accepts it for literal/length and distance codes).
fn build(h: &mut Huff, lens: &[u8], single_ok: bool) -> Result<(), Stop> {
    h.counts = [0; 16];
    for &l in lens {
        h.counts[usize::from(l & 15)] += 1;
    }
    h.counts[0] = 0;
    let mut left = 1i32;
    // One spare slot, so that the loop writes `offs[len + 1]` without a branch for the last length.
    let mut offs = [0u16; 17];
    let mut used = 0u16;
    for len in 1..16 {
        used += h.counts[len];
        left = (left << 1) - i32::from(h.counts[len]);
        if left < 0 {
            return Err(Stop::Corrupt);
        }
        offs[len + 1] = offs[len] + h.counts[len];
    }
    if left > 0 && !(single_ok && used <= 1 && used == h.counts[1]) {
        return Err(Stop::Corrupt);
    }
    for (sym, &l) in lens.iter().enumerate() {
        if l != 0 {
            let o = &mut offs[usize::from(l & 15)];
            h.symbols[usize::from(*o)] = sym as u16;
            *o += 1;
        }
    }
    h.fast = [0; 1 << FAST];
    let (mut code, mut index) = (0u32, 0usize);
    // Half-open (`1..=FAST` is a larger loop).
    for len in 1..FAST + 1 {
        for _ in 0..h.counts[len as usize] {
            let entry = h.symbols[index] << 4 | len as u16;
            index += 1;
            let mut i = (code.reverse_bits() >> (32 - len)) as usize;
            while i < 1 << FAST {
                h.fast[i] = entry;
                i += 1 << len;
            }
            code += 1;
        }
        code <<= 1;
    }
    Ok(())
}

/// A streaming zlib inflater with the [`StreamInflate`] contract (see the [module doc](self)).
pub struct SmallInflater {
    t: Box<Tables>,
    st: St,
    last: bool,
    bits: Bits,
    hlit: u16,
    hdist: u16,
    hclen: u16,
    /// `out.len()` when the stream started.
    base: usize,
    produced: usize,
    consumed: u64,
    started: bool,
}

impl Default for SmallInflater {
    fn default() -> Self {
        Self::new()
    }
}

impl core::fmt::Debug for SmallInflater {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SmallInflater")
    }
}

impl SmallInflater {
    /// A fresh inflater.
    pub fn new() -> Self {
        let huff = || Huff { counts: [0; 16], symbols: [0; 288], fast: [0; 1 << FAST] };
        SmallInflater {
            t: Box::new(Tables { lit: huff(), dist: huff(), lens: [0; 320] }),
            st: St::Zlib,
            last: false,
            bits: Bits { v: 0, n: 0 },
            hlit: 0,
            hdist: 0,
            hclen: 0,
            base: 0,
            produced: 0,
            consumed: 0,
            started: false,
        }
    }

    /// Forget the current stream.
    pub fn reset(&mut self) {
        self.st = St::Zlib;
        self.bits = Bits { v: 0, n: 0 };
        self.produced = 0;
        self.consumed = 0;
        self.started = false;
    }

    /// True once the current stream ended.
    pub fn is_done(&self) -> bool {
        self.st == St::Done
    }

    /// Bytes inflated so far in the current stream.
    pub fn total_out_bytes(&self) -> u64 {
        self.produced as u64
    }

    /// See [`StreamInflate::inflate`].
    pub fn inflate(&mut self, input: &[u8], out: &mut Vec<u8>, limit: usize) -> Result<Progress, InflateError> {
        if self.st == St::Done {
            return Ok(Progress { consumed: 0, done: true });
        }
        if !self.started {
            self.started = true;
            self.base = out.len();
        }
        let expected = self.base.saturating_add(self.produced);
        if out.len() != expected {
            return Err(InflateError::OutputChanged { expected: expected as u64, found: out.len() as u64 });
        }
        let mut pos = 0usize;
        let result = self.run(input, &mut pos, out, limit);
        self.produced = out.len() - self.base;
        let inflated = self.produced as u64;
        match result {
            Stop::Input => {}
            Stop::Corrupt => return Err(InflateError::Corrupt { inflated }),
            Stop::Checksum => return Err(InflateError::Checksum { inflated }),
            Stop::TooLong => return Err(InflateError::TooLong { limit: limit as u64 }),
        }
        let done = self.st == St::Done;
        if done {
            // Whole bytes left in the bit buffer follow the stream: give them back.
            pos = pos.saturating_sub((self.bits.n / 8) as usize);
            self.bits = Bits { v: 0, n: 0 };
        }
        self.consumed += pos as u64;
        Ok(Progress { consumed: pos, done })
    }

    /// Steps until the input runs out (`Stop::Input`, also when the stream is done) or an error.
    fn run(&mut self, input: &[u8], pos: &mut usize, out: &mut Vec<u8>, limit: usize) -> Stop {
        loop {
            *pos = self.bits.fill(input, *pos);
            let saved = self.bits;
            match self.step(input, pos, out, limit) {
                Ok(()) if self.st == St::Done => return Stop::Input,
                Ok(()) => {}
                Err(Stop::Input) => {
                    self.bits = saved;
                    return Stop::Input;
                }
                Err(e) => return e,
            }
        }
    }

    /// One step. State changes only once all of the step's bits were there.
    fn step(&mut self, input: &[u8], pos: &mut usize, out: &mut Vec<u8>, limit: usize) -> Result<(), Stop> {
        let b = &mut self.bits;
        let t = &mut *self.t;
        match self.st {
            St::Zlib => {
                let v = b.take(16)?;
                let (cmf, flg) = (v & 0xff, v >> 8);
                if cmf & 15 != 8 || cmf >> 4 > 7 || flg & 0x20 != 0 || (cmf << 8 | flg) % 31 != 0 {
                    return Err(Stop::Corrupt);
                }
                self.st = St::Block;
            }
            St::Block => {
                // BFINAL, then BTYPE: fields are read together, least significant first.
                let header = b.take(3)?;
                let last = header & 1 != 0;
                match header >> 1 {
                    0 => {
                        b.align();
                        // LEN, then NLEN.
                        let lens = b.take(32)?;
                        let len = lens & 0xffff;
                        if len != !(lens >> 16) & 0xffff {
                            return Err(Stop::Corrupt);
                        }
                        self.st = St::Stored(len as u16);
                    }
                    1 => {
                        // The fixed code's lengths (RFC 1951 section 3.2.6), range by range.
                        t.lens[..144].fill(8);
                        t.lens[144..256].fill(9);
                        t.lens[256..280].fill(7);
                        t.lens[280..288].fill(8);
                        t.lens[288..].fill(5);
                        (self.hlit, self.hdist) = (288, 32);
                        self.st = St::Lens(320);
                    }
                    2 => {
                        // HLIT, HDIST, HCLEN: 5, 5 and 4 bits.
                        let counts = b.take(14)?;
                        let hlit = (counts & 31) as u16 + 257;
                        let hdist = (counts >> 5 & 31) as u16 + 1;
                        let hclen = (counts >> 10) as u16 + 4;
                        if hlit > 286 || hdist > 30 {
                            return Err(Stop::Corrupt);
                        }
                        (self.hlit, self.hdist, self.hclen) = (hlit, hdist, hclen);
                        t.lens[..19].fill(0);
                        self.st = St::Cl(0);
                    }
                    _ => return Err(Stop::Corrupt),
                }
                self.last = last;
            }
            St::Stored(mut left) => {
                let start = out.len();
                let most = self.base.saturating_add(limit);
                // Bytes already in the bit buffer (byte-aligned here), then straight from the input.
                while left > 0 && b.n >= 8 {
                    if out.len() >= most {
                        return Err(Stop::TooLong);
                    }
                    out.push(b.take(8)? as u8);
                    left -= 1;
                }
                let rest = input.get(*pos..).unwrap_or_default();
                let n = usize::from(left).min(rest.len());
                if n > most - out.len() {
                    return Err(Stop::TooLong);
                }
                out.extend_from_slice(&rest[..n]);
                *pos += n;
                left -= n as u16;
                if out.len() == start && left > 0 {
                    return Err(Stop::Input);
                }
                self.st = if left == 0 { self.after_block() } else { St::Stored(left) };
            }
            St::Cl(i) => {
                if i < self.hclen {
                    t.lens[usize::from(CL_ORDER[usize::from(i)])] = b.take(3)? as u8;
                    self.st = St::Cl(i + 1);
                } else {
                    build(&mut t.lit, &t.lens[..19], false)?;
                    t.lens[..19].fill(0);
                    self.st = St::Lens(0);
                }
            }
            St::Lens(i) => {
                let (hlit, total) = (usize::from(self.hlit), usize::from(self.hlit + self.hdist));
                let i = usize::from(i);
                if i < total {
                    let sym = b.decode(&t.lit)?;
                    // (length, repeat count base, extra bits of the count); one read of the bits.
                    let (len, base, extra) = match sym {
                        16 => (*t.lens.get(i.wrapping_sub(1)).ok_or(Stop::Corrupt)?, 3, 2),
                        17 => (0, 3, 3),
                        18 => (0, 11, 7),
                        l => (l as u8, 1, 0),
                    };
                    let n = base + b.take(extra)?;
                    let end = i + n as usize;
                    if end > total {
                        return Err(Stop::Corrupt);
                    }
                    t.lens[i..end].fill(len);
                    self.st = St::Lens(end as u16);
                } else {
                    // A fixed block comes here with its lengths set (hlit 288).
                    if t.lens[256] == 0 {
                        return Err(Stop::Corrupt);
                    }
                    build(&mut t.lit, &t.lens[..hlit], true)?;
                    build(&mut t.dist, &t.lens[hlit..total], true)?;
                    self.st = St::Codes;
                }
            }
            St::Codes => {
                // Symbols until the end of the block, or until the bit buffer may not hold a whole
                // next symbol: only the first one may run out of input (and be rolled back).
                let most = self.base.saturating_add(limit);
                loop {
                    let sym = usize::from(b.decode(&t.lit)?);
                    if sym == 256 {
                        self.st = self.after_block();
                        break;
                    }
                    // A literal is one byte, a length/distance pair `len` bytes `dist` back: one
                    // limit check and one buffer growth for both.
                    let (mut len, mut dist) = (1, 0);
                    if sym > 256 {
                        let (base, extra) = length_base(sym - 257).ok_or(Stop::Corrupt)?;
                        len = base + b.take(extra)? as usize;
                        let d = usize::from(b.decode(&t.dist)?);
                        let (base, extra) = distance_base(d).ok_or(Stop::Corrupt)?;
                        dist = base + b.take(extra)? as usize;
                        if dist > out.len() - self.base {
                            return Err(Stop::Corrupt);
                        }
                    }
                    if len > most.saturating_sub(out.len()) {
                        return Err(Stop::TooLong);
                    }
                    grow(out, len, most);
                    if dist == 0 {
                        out.push(sym as u8);
                    } else {
                        // An overlapping copy repeats the last `dist` bytes. Byte by byte (at most
                        // 258, into room `grow` made): no `extend_from_within` in the module.
                        let from = out.len() - dist;
                        for k in from..from + len {
                            let byte = out[k];
                            out.push(byte);
                        }
                    }
                    *pos = b.fill(input, *pos);
                    if b.n < 48 {
                        break;
                    }
                }
            }
            St::Trailer => {
                b.align();
                let sum = b.take(32)?.swap_bytes();
                if sum != adler32(out.get(self.base..).unwrap_or_default()) {
                    return Err(Stop::Checksum);
                }
                self.st = St::Done;
            }
            St::Done => {}
        }
        Ok(())
    }

    fn after_block(&self) -> St {
        if self.last {
            St::Trailer
        } else {
            St::Block
        }
    }
}

/// Room for `n` more bytes in `out`: doubling like `Vec`, but never past `most` bytes (the stream's
/// limit), so a large object's buffer does not end up at twice its size.
fn grow(out: &mut Vec<u8>, n: usize, most: usize) {
    if out.capacity() - out.len() < n {
        let need = out.len() + n;
        let target = out.capacity().saturating_mul(2).max(4096).min(most).max(need);
        out.reserve_exact(target - out.len());
    }
}

impl StreamInflate for SmallInflater {
    fn inflate(&mut self, input: &[u8], out: &mut Vec<u8>, limit: usize) -> Result<Progress, InflateError> {
        SmallInflater::inflate(self, input, out, limit)
    }
    fn reset(&mut self) {
        SmallInflater::reset(self)
    }
    fn total_out(&self) -> u64 {
        self.produced as u64
    }
    fn total_in(&self) -> u64 {
        self.consumed
    }
}

/// The computed length and distance codes against RFC 1951's tables (section 3.2.5, the tables
/// the inflater read before), for every symbol a 5-bit or 9-bit code can carry.
#[cfg(test)]
mod tests {
    use super::*;

    const LEN_BASE: [usize; 29] =
        [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
    const LEN_EXTRA: [u32; 29] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
    const DIST_BASE: [usize; 30] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145, 8193, 12289, 16385, 24577,
    ];
    const DIST_EXTRA: [u32; 30] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

    #[test]
    fn codes_match_the_rfc_tables() {
        for s in 0..512 {
            let table = LEN_BASE.get(s).zip(LEN_EXTRA.get(s)).map(|(b, e)| (*b, *e));
            assert_eq!(length_base(s), table, "length symbol {}", s + 257);
        }
        for d in 0..512 {
            let table = DIST_BASE.get(d).zip(DIST_EXTRA.get(d)).map(|(b, e)| (*b, *e));
            assert_eq!(distance_base(d), table, "distance symbol {d}");
        }
        // The largest of each: 258 and 32768.
        assert_eq!(length_base(27).map(|(b, e)| b + (1 << e) - 1), Some(258));
        assert_eq!(distance_base(29).map(|(b, e)| b + (1 << e) - 1), Some(32768));
    }
}
