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

    /// Feeds bytes.
    pub(crate) fn update(&mut self, mut data: &[u8]) {
        let used = (self.len % 64) as usize;
        self.len += data.len() as u64;
        if used > 0 {
            let take = data.len().min(64 - used);
            self.buf[used..used + take].copy_from_slice(&data[..take]);
            data = &data[take..];
            if used + take < 64 {
                return;
            }
            let block = self.buf;
            self.block(&block);
        }
        // Whole blocks straight from `data`, the rest into `buf` (an index loop: no ChunksExact).
        while let Some((block, rest)) = data.split_first_chunk::<64>() {
            self.block(block);
            data = rest;
        }
        self.buf[..data.len()].copy_from_slice(data);
    }

    fn block(&mut self, block: &[u8; 64]) {
        if block::process(&mut self.ihv, block, self.detect) {
            self.collision = true;
        }
    }

    /// The digest, and whether a block (including the padding) completed a collision attack.
    pub(crate) fn finish(mut self) -> ([u8; 20], bool) {
        let bits = self.len.wrapping_mul(8);
        let used = (self.len % 64) as usize;
        let mut block = [0u8; 64];
        block[..used].copy_from_slice(&self.buf[..used]);
        block[used] = 0x80;
        if used >= 56 {
            self.block(&block);
            block = [0; 64];
        }
        block[56..].copy_from_slice(&bits.to_be_bytes());
        self.block(&block);
        let mut out = [0u8; 20];
        for i in 0..5 {
            out[4 * i..4 * i + 4].copy_from_slice(&self.ihv[i].to_be_bytes());
        }
        (out, self.collision)
    }
}
