//! The block index of a delta base: the fingerprint of every [`WINDOW`]-aligned block of the
//! base, in hash chains, so a target can be scanned for matching blocks (git's `diff-delta.c`
//! `create_delta_index`). The caller owns it and rebuilds it per base without reallocating.

use super::rolling::{bucket, fingerprint, WINDOW};
use alloc::vec::Vec;

/// Empty chain marker.
pub(crate) const NONE: u32 = u32::MAX;

/// Bases past this size are only indexed up to it: copy offsets are 32-bit in the delta format
/// (gitformat-pack), and chain links are `u32`.
const MAX_INDEXED: usize = (u32::MAX - 1) as usize;

/// A reusable index of one delta base. Build it with [`DeltaIndex::build`], then pass it with
/// the same base to [`super::create_into`] for any number of targets.
#[derive(Debug, Default, Clone)]
pub struct DeltaIndex {
    /// First block of each bucket's chain, or [`NONE`].
    heads: Vec<u32>,
    /// Base offset of each indexed block.
    offsets: Vec<u32>,
    /// Next block in the same bucket, or [`NONE`].
    next: Vec<u32>,
    bits: u32,
    base_len: usize,
}

impl DeltaIndex {
    /// An empty index (indexes the empty base).
    pub fn new() -> Self {
        Self::default()
    }

    /// Length of the base this index was built for.
    pub fn base_len(&self) -> usize {
        self.base_len
    }

    /// Indexes `base`, replacing any previous contents; keeps allocations.
    ///
    /// Consecutive blocks with the same fingerprint (runs of repeated content) keep only the
    /// first block: a match there extends forward over the whole run anyway.
    pub fn build(&mut self, base: &[u8]) {
        self.base_len = base.len();
        self.offsets.clear();
        self.next.clear();
        let indexed = base.get(..base.len().min(MAX_INDEXED)).unwrap_or_default();
        let blocks = indexed.len() / WINDOW;
        let mut bits = 4;
        while (1usize << bits) < blocks && bits < 31 {
            bits += 1;
        }
        self.bits = bits;
        self.heads.clear();
        self.heads.resize(1usize << bits, NONE);
        let mut prev: Option<u32> = None;
        // Walk backwards so each chain lists lower offsets first.
        for (i, block) in indexed.chunks_exact(WINDOW).enumerate().rev() {
            let h = fingerprint(block);
            if prev == Some(h) {
                // The later block of a repeated pair is replaced by this earlier one (same
                // bucket, still the chain head).
                if let Some(off) = self.offsets.last_mut() {
                    *off = (i * WINDOW) as u32;
                }
                continue;
            }
            prev = Some(h);
            let slot = bucket(h, bits);
            let id = self.offsets.len() as u32;
            self.offsets.push((i * WINDOW) as u32);
            let head = self.heads.get(slot).copied().unwrap_or(NONE);
            self.next.push(head);
            if let Some(s) = self.heads.get_mut(slot) {
                *s = id;
            }
        }
    }

    /// Base offsets of the indexed blocks whose fingerprint falls in `h`'s bucket.
    pub(crate) fn candidates(&self, h: u32) -> Candidates<'_> {
        let cur = if self.heads.is_empty() { NONE } else { self.heads.get(bucket(h, self.bits)).copied().unwrap_or(NONE) };
        Candidates { index: self, cur }
    }
}

/// Iterator over a bucket's chain.
pub(crate) struct Candidates<'a> {
    index: &'a DeltaIndex,
    cur: u32,
}

impl Iterator for Candidates<'_> {
    type Item = usize;
    #[inline]
    fn next(&mut self) -> Option<usize> {
        if self.cur == NONE {
            return None;
        }
        let id = self.cur as usize;
        self.cur = self.index.next.get(id).copied().unwrap_or(NONE);
        self.index.offsets.get(id).map(|o| *o as usize)
    }
}
