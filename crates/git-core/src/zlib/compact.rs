//! A small streaming zlib inflater (RFC 1950 around RFC 1951), the Wasm module's [`Inflater`]
//! (a fraction of `miniz_oxide`'s code; natively it is only tested against it).
//!
//! Decoding is canonical-Huffman, codes of up to 9 bits through one table lookup, longer ones bit
//! by bit, in atomic steps: a block header (with the
//! whole dynamic code description), one literal or length/distance pair, a run of stored bytes,
//! the adler32 trailer. Input is appended to `pending` (2 KiB at a time); a step that runs out of bits is retried
//! from its start when more input arrives, and the bytes before the last finished step are
//! dropped. Bits are read only as the step needs them, so the stream's end is found exactly and
//! no byte after the adler32 trailer is consumed.
//!
//! [`Inflater`]: super::Inflater

use super::small::adler32;
use super::{InflateError, Progress};
use alloc::vec::Vec;

/// Input bytes moved into `pending` at a time.
const PIECE: usize = 2048;

/// Longest code length (RFC 1951 3.2.7).
const MAX_BITS: usize = 15;

/// Code lengths up to this many bits are decoded with one table lookup.
const FAST_BITS: u32 = 9;

/// A canonical Huffman code: how many codes of each length, the symbols in code order, and a
/// table indexed by the next [`FAST_BITS`] input bits giving `symbol << 4 | length` for every
/// code of at most that length (0: a longer code, decoded bit by bit from `count`/`symbol`).
#[derive(Clone)]
struct Huffman {
    count: [u16; MAX_BITS + 1],
    symbol: Vec<u16>,
    fast: Vec<u16>,
}

impl Huffman {
    /// From code lengths (0: unused). Over-subscribed lengths are an error.
    fn new(lengths: &[u8]) -> Option<Huffman> {
        let mut count = [0u16; MAX_BITS + 1];
        for &l in lengths {
            *count.get_mut(usize::from(l))? += 1;
        }
        count[0] = 0;
        let mut left: i32 = 1;
        let mut offs = [0u16; MAX_BITS + 2];
        // `next[len]`: the first canonical code of that length (RFC 1951 3.2.2).
        let mut next = [0u32; MAX_BITS + 1];
        let mut code = 0u32;
        for len in 1..=MAX_BITS {
            left = (left << 1) - i32::from(count[len]);
            if left < 0 {
                return None;
            }
            offs[len + 1] = offs[len] + count[len];
            code = (code + u32::from(count[len - 1])) << 1;
            next[len] = code;
        }
        let mut symbol = alloc::vec![0u16; lengths.len()];
        let mut fast = alloc::vec![0u16; 1 << FAST_BITS];
        for (sym, &l) in lengths.iter().enumerate() {
            if l == 0 {
                continue;
            }
            let len = usize::from(l);
            let slot = offs.get_mut(len)?;
            *symbol.get_mut(usize::from(*slot))? = sym as u16;
            *slot += 1;
            let c = next[len];
            next[len] += 1;
            if u32::from(l) <= FAST_BITS {
                // Codes are sent most significant bit first; the table is indexed by the input
                // bits as they come (least significant first), so by the reversed code, for
                // every value of the bits after it.
                let rev = (c.reverse_bits() >> (32 - u32::from(l))) as usize;
                let entry = (sym as u16) << 4 | u16::from(l);
                let mut i = rev;
                while i < fast.len() {
                    fast[i] = entry;
                    i += 1 << len;
                }
            }
        }
        Some(Huffman { count, symbol, fast })
    }

    fn fixed() -> (Huffman, Huffman) {
        let mut lengths = [8u8; 288];
        lengths[144..256].fill(9);
        lengths[256..280].fill(7);
        let lit = Huffman::new(&lengths).unwrap_or_else(Huffman::empty);
        let dist = Huffman::new(&[5u8; 30]).unwrap_or_else(Huffman::empty);
        (lit, dist)
    }

    fn empty() -> Huffman {
        Huffman { count: [0; MAX_BITS + 1], symbol: Vec::new(), fast: alloc::vec![0; 1 << FAST_BITS] }
    }
}

/// Why a step stopped.
enum Stop {
    /// The input ended inside the step.
    More,
    /// The stream is invalid.
    Corrupt,
    /// Output past the limit.
    TooLong,
}

/// Reads bits LSB first from `data` starting at bit `pos`.
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Bits<'_> {
    /// The next bits (at least 25 when 4 bytes are left) and how many of them are input.
    #[inline]
    fn peek(&self) -> (u32, u32) {
        let at = self.pos >> 3;
        let shift = (self.pos & 7) as u32;
        if let Some(&[a, b, c, d]) = self.data.get(at..at.wrapping_add(4)) {
            return (u32::from_le_bytes([a, b, c, d]) >> shift, 32 - shift);
        }
        let rest = self.data.get(at..).unwrap_or_default();
        let mut v = 0u32;
        for (i, &byte) in rest.iter().enumerate() {
            v |= u32::from(byte) << (8 * i);
        }
        ((v >> shift), (rest.len() as u32 * 8).saturating_sub(shift))
    }

    fn bit(&mut self) -> Result<u32, Stop> {
        self.bits(1)
    }

    /// The next `n` bits (n <= 16).
    #[inline]
    fn bits(&mut self, n: u32) -> Result<u32, Stop> {
        let (v, avail) = self.peek();
        if n > avail {
            return Err(Stop::More);
        }
        self.pos += n as usize;
        Ok(v & ((1u32 << n) - 1))
    }

    fn align(&mut self) {
        self.pos = (self.pos + 7) & !7;
    }

    #[inline]
    fn decode(&mut self, h: &Huffman) -> Result<usize, Stop> {
        let (v, avail) = self.peek();
        let entry = h.fast.get((v & ((1 << FAST_BITS) - 1)) as usize).copied().unwrap_or(0);
        if entry != 0 {
            let len = u32::from(entry & 15);
            if len > avail {
                return Err(Stop::More);
            }
            self.pos += len as usize;
            return Ok(usize::from(entry >> 4));
        }
        // A code longer than FAST_BITS (or none): canonical decoding, bit by bit (RFC 1951 3.2.2).
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..=MAX_BITS {
            if len as u32 > avail {
                return Err(Stop::More);
            }
            code |= ((v >> (len - 1)) & 1) as i32;
            let count = i32::from(h.count[len]);
            if code - first < count {
                self.pos += len;
                return h.symbol.get((index + code - first) as usize).map(|&s| usize::from(s)).ok_or(Stop::Corrupt);
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err(Stop::Corrupt)
    }
}

const LEN_BASE: [u16; 29] =
    [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA: [u8; 29] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
    8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] =
    [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
/// Order of the code length code lengths (RFC 1951 3.2.7).
const CL_ORDER: [usize; 19] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

#[derive(Clone)]
enum Phase {
    Header,
    Block,
    Stored { left: u16 },
    Codes { lit: Huffman, dist: Huffman },
    Trailer,
    Done,
}

/// The compact streaming inflater; same contract as the `miniz_oxide` one (see
/// [`super::StreamInflate::inflate`]).
pub struct CompactInflater {
    phase: Phase,
    last: bool,
    pending: Vec<u8>,
    /// Bit position in `pending` where the next step starts.
    pos: usize,
    base: usize,
    produced: usize,
    consumed: u64,
    started: bool,
}

impl Default for CompactInflater {
    fn default() -> Self {
        Self::new()
    }
}

impl core::fmt::Debug for CompactInflater {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CompactInflater")
            .field("produced", &self.produced)
            .field("consumed", &self.consumed)
            .field("done", &self.is_done())
            .finish()
    }
}

impl CompactInflater {
    /// A fresh inflater.
    pub fn new() -> Self {
        CompactInflater {
            phase: Phase::Header,
            last: false,
            pending: Vec::new(),
            pos: 0,
            base: 0,
            produced: 0,
            consumed: 0,
            started: false,
        }
    }

    /// Forget the current stream.
    pub fn reset(&mut self) {
        *self = Self::new();
    }

    /// True once the current stream ended.
    pub fn is_done(&self) -> bool {
        matches!(self.phase, Phase::Done)
    }

    /// Bytes inflated so far in the current stream.
    pub fn total_out(&self) -> u64 {
        self.produced as u64
    }

    /// Compressed bytes consumed so far in the current stream.
    pub fn total_in(&self) -> u64 {
        self.consumed
    }

    /// See [`super::StreamInflate::inflate`].
    pub fn inflate(&mut self, input: &[u8], out: &mut Vec<u8>, limit: usize) -> Result<Progress, InflateError> {
        if self.is_done() {
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
        // The input goes into `pending` a piece at a time, so a pack parser offering a small
        // entry its whole buffer (up to 64 KiB past the entry) costs a copy of about the entry.
        let mut taken = 0usize;
        loop {
            let end = taken.saturating_add(PIECE).min(input.len());
            // `pending[before..]` is `input[taken..end]`.
            let before = self.pending.len();
            self.pending.extend_from_slice(input.get(taken..end).unwrap_or_default());
            let result = self.run(out, limit);
            self.produced = out.len() - self.base;
            match result {
                Ok(()) => {
                    // Done: the stream ends at byte `pos / 8` of `pending` (the trailer is
                    // byte-aligned), never before `before` (the last step needed more bytes).
                    let used = taken.saturating_add((self.pos >> 3).saturating_sub(before));
                    self.consumed = self.consumed.saturating_add(used as u64);
                    self.pending = Vec::new();
                    self.pos = 0;
                    return Ok(Progress { consumed: used, done: true });
                }
                Err(Stop::More) => {
                    // Keep only the bytes of the unfinished step.
                    let keep_from = self.pos >> 3;
                    self.pending.drain(..keep_from);
                    self.pos &= 7;
                    taken = end;
                    if taken >= input.len() {
                        self.consumed = self.consumed.saturating_add(input.len() as u64);
                        return Ok(Progress { consumed: input.len(), done: false });
                    }
                }
                Err(Stop::TooLong) => return Err(InflateError::TooLong { limit: limit as u64 }),
                Err(Stop::Corrupt) => {
                    return Err(if matches!(self.phase, Phase::Trailer) {
                        InflateError::Checksum { inflated: self.produced as u64 }
                    } else {
                        InflateError::Corrupt { inflated: self.produced as u64 }
                    })
                }
            }
        }
    }

    /// Runs steps until the stream ends (`Ok`) or one stops. A step that stops leaves `pos`,
    /// `phase` and `out` as they were before it, except that a stored run keeps what it copied.
    fn run(&mut self, out: &mut Vec<u8>, limit: usize) -> Result<(), Stop> {
        loop {
            let mut bits = Bits { data: &self.pending, pos: self.pos };
            match &self.phase {
                Phase::Header => {
                    let cmf = bits.bits(8)?;
                    let flg = bits.bits(8)?;
                    if cmf & 15 != 8 || cmf >> 4 > 7 || flg & 0x20 != 0 || (cmf << 8 | flg) % 31 != 0 {
                        return Err(Stop::Corrupt);
                    }
                    self.phase = Phase::Block;
                }
                Phase::Block => {
                    let last = bits.bit()? == 1;
                    match bits.bits(2)? {
                        0 => {
                            bits.align();
                            let len = bits.bits(16)?;
                            let nlen = bits.bits(16)?;
                            if len != !nlen & 0xffff {
                                return Err(Stop::Corrupt);
                            }
                            self.phase = Phase::Stored { left: len as u16 };
                        }
                        1 => {
                            let (lit, dist) = Huffman::fixed();
                            self.phase = Phase::Codes { lit, dist };
                        }
                        2 => {
                            let (lit, dist) = dynamic(&mut bits)?;
                            self.phase = Phase::Codes { lit, dist };
                        }
                        _ => return Err(Stop::Corrupt),
                    }
                    self.last = last;
                }
                Phase::Stored { left } => {
                    let left = usize::from(*left);
                    let at = bits.pos >> 3;
                    let avail = self.pending.len().saturating_sub(at);
                    let n = left.min(avail);
                    if out.len() - self.base + n > limit {
                        return Err(Stop::TooLong);
                    }
                    out.extend_from_slice(self.pending.get(at..at + n).ok_or(Stop::Corrupt)?);
                    self.pos = (at + n) << 3;
                    if n < left {
                        self.phase = Phase::Stored { left: (left - n) as u16 };
                        return Err(Stop::More);
                    }
                    self.phase = self.after_block();
                    continue;
                }
                Phase::Codes { lit, dist } => {
                    // Symbols one after another; `pos` moves after each whole one.
                    loop {
                        let sym = bits.decode(lit)?;
                        let have = out.len() - self.base;
                        if sym < 256 {
                            if have >= limit {
                                return Err(Stop::TooLong);
                            }
                            out.push(sym as u8);
                        } else if sym == 256 {
                            break;
                        } else {
                            let i = sym - 257;
                            let len = usize::from(*LEN_BASE.get(i).ok_or(Stop::Corrupt)?)
                                + bits.bits(u32::from(LEN_EXTRA[i]))? as usize;
                            let d = bits.decode(dist)?;
                            let distance = usize::from(*DIST_BASE.get(d).ok_or(Stop::Corrupt)?)
                                + bits.bits(u32::from(DIST_EXTRA[d]))? as usize;
                            if distance > have {
                                return Err(Stop::Corrupt);
                            }
                            if have + len > limit {
                                return Err(Stop::TooLong);
                            }
                            copy_back(out, distance, len);
                        }
                        self.pos = bits.pos;
                    }
                    self.pos = bits.pos;
                    self.phase = self.after_block();
                    continue;
                }
                Phase::Trailer => {
                    bits.align();
                    let mut want = 0u32;
                    for _ in 0..4 {
                        want = want << 8 | bits.bits(8)?;
                    }
                    if want != adler32(out.get(self.base..).unwrap_or_default()) {
                        return Err(Stop::Corrupt);
                    }
                    self.pos = bits.pos;
                    self.phase = Phase::Done;
                    return Ok(());
                }
                Phase::Done => return Ok(()),
            }
            self.pos = bits.pos;
        }
    }

    fn after_block(&self) -> Phase {
        if self.last {
            Phase::Trailer
        } else {
            Phase::Block
        }
    }
}

/// Appends `len` bytes copied from `distance` bytes back (which the caller checked is inside `out`);
/// overlapping copies repeat the pattern, as deflate means them to.
fn copy_back(out: &mut Vec<u8>, distance: usize, len: usize) {
    let from = out.len() - distance;
    if distance >= len {
        out.extend_from_within(from..from + len);
    } else {
        out.reserve(len);
        for k in 0..len {
            let b = out.get(from + k).copied().unwrap_or(0);
            out.push(b);
        }
    }
}

/// A dynamic block's code description (RFC 1951 3.2.7), read whole.
fn dynamic(bits: &mut Bits<'_>) -> Result<(Huffman, Huffman), Stop> {
    let nlen = bits.bits(5)? as usize + 257;
    let ndist = bits.bits(5)? as usize + 1;
    let ncode = bits.bits(4)? as usize + 4;
    if nlen > 286 || ndist > 30 {
        return Err(Stop::Corrupt);
    }
    let mut cl = [0u8; 19];
    for &i in CL_ORDER.iter().take(ncode) {
        cl[i] = bits.bits(3)? as u8;
    }
    let clh = Huffman::new(&cl).ok_or(Stop::Corrupt)?;
    let mut lengths = [0u8; 286 + 30];
    let mut n = 0;
    while n < nlen + ndist {
        let sym = bits.decode(&clh)?;
        let (value, repeat) = match sym {
            0..=15 => (sym as u8, 1),
            16 => (*lengths.get(n.checked_sub(1).ok_or(Stop::Corrupt)?).ok_or(Stop::Corrupt)?, 3 + bits.bits(2)?),
            17 => (0, 3 + bits.bits(3)?),
            _ => (0, 11 + bits.bits(7)?),
        };
        for _ in 0..repeat {
            *lengths.get_mut(n).filter(|_| n < nlen + ndist).ok_or(Stop::Corrupt)? = value;
            n += 1;
        }
    }
    if lengths[256] == 0 {
        return Err(Stop::Corrupt);
    }
    let lit = Huffman::new(&lengths[..nlen]).ok_or(Stop::Corrupt)?;
    let dist = Huffman::new(&lengths[nlen..nlen + ndist]).ok_or(Stop::Corrupt)?;
    Ok((lit, dist))
}
