//! Our SHA-1, with the collision detection of Marc Stevens and Dan Shumow ("Speeding up detection
//! of SHA-1 collision attacks using unavoidable attack conditions", USENIX Security 2017), the
//! algorithm of their sha1collisiondetection library that git ships as sha1dc. Written for size:
//! rolled loops, the 32 disturbance vectors derived from two 16-word seeds, the unavoidable bit
//! conditions as a table. Unlike the reference there is no "safe hash" mode: a detected attack is
//! reported and the digest is not to be used.
//!
//! - [`compress`]: the 80 steps, forwards and backwards;
//! - [`dv`]: the disturbance vectors and their message differences;
//! - [`ubc`]: the unavoidable-bit-condition filter;
//! - [`block`]: one block with the collision check.

mod block;
mod compress;
mod dv;
mod ubc;

#[cfg(test)]
mod tests;

use compress::{State, INITIAL};

/// An incremental SHA-1, with or without collision detection.
#[derive(Clone)]
pub(crate) struct Sha1 {
    ihv: State,
    buf: [u8; 64],
    /// Bytes fed so far; `len % 64` of them wait in `buf`.
    len: u64,
    detect: bool,
    collision: bool,
}

impl Sha1 {
    /// A fresh hasher; `detect` turns the collision check on.
    pub(crate) fn new(detect: bool) -> Self {
        Sha1 { ihv: INITIAL, buf: [0; 64], len: 0, detect, collision: false }
    }

    /// Feeds bytes. Whole blocks go straight from `data` when none is partly buffered; other
    /// bytes one at a time into `buf` (at most 63 per call before a block completes). Checked
    /// `get_mut` and `split_first*`, no slice indexing: no bounds-check panic paths.
    pub(crate) fn update(&mut self, mut data: &[u8]) {
        let mut used = (self.len % 64) as usize;
        self.len += data.len() as u64;
        loop {
            if used == 0 {
                while let Some((block, rest)) = data.split_first_chunk::<64>() {
                    self.block(block);
                    data = rest;
                }
            }
            let Some((&b, rest)) = data.split_first() else { return };
            data = rest;
            if let Some(slot) = self.buf.get_mut(used) {
                *slot = b;
            }
            used += 1;
            if used == 64 {
                let block = self.buf;
                self.block(&block);
                used = 0;
            }
        }
    }

    /// Bytes fed so far.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    fn block(&mut self, block: &[u8; 64]) {
        if block::process(&mut self.ihv, block, self.detect) {
            self.collision = true;
        }
    }

    /// The digest, and whether a block (including the padding) completed a collision attack.
    pub(crate) fn finish(mut self) -> ([u8; 20], bool) {
        // The padding (FIPS 180-4 5.1.1): 0x80, zeros up to 56 bytes mod 64, the bit length
        // big-endian; fed through `update` like the data.
        static PAD: [u8; 64] = {
            let mut pad = [0u8; 64];
            pad[0] = 0x80;
            pad
        };
        let bits = self.len.wrapping_mul(8);
        // 0x80 and `(55 - len) mod 64` zeros.
        let pad = 1 + (119 - (self.len % 64) as usize) % 64;
        self.update(PAD.get(..pad).unwrap_or(&PAD));
        self.update(&bits.to_be_bytes());
        let mut out = [0u8; 20];
        // An index loop (`as_chunks_mut` is newer than the crate's MSRV, 1.85).
        for i in 0..5 {
            if let (Some(o), Some(w)) = (out.get_mut(4 * i..4 * i + 4), self.ihv.get(i)) {
                o.copy_from_slice(&w.to_be_bytes());
            }
        }
        (out, self.collision)
    }
}
