//! Creating a delta from a base to a target (gitformat-pack "Deltified representation"), in the
//! manner of git's `diff-delta.c`: the base's [`WINDOW`]-byte blocks are indexed by fingerprint;
//! the target is scanned with a rolling fingerprint; each hit is verified, extended forwards as
//! far as the bytes agree and backwards into the pending literal bytes, and the longest wins.
//! Copies are written in pieces of at most [`MAX_COPY`] bytes, literals of at most
//! [`super::MAX_INSERT`].

use super::apply::DELTA_SIZE_MIN;
use super::header::write_varint;
use super::index::DeltaIndex;
use super::ops::{copy_cost, push_copy, push_insert, MAX_COPY};
use super::rolling::{fingerprint, roll, WINDOW};
use alloc::vec::Vec;

/// Candidates verified per target position before settling for the best so far (git's
/// `HASH_LIMIT` bounds bucket length for the same reason: repetitive bases).
const MAX_CANDIDATES: usize = 64;

/// A match this long is taken without looking at further candidates.
const GOOD_ENOUGH: usize = 4096;

/// Why no delta was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreateError {
    IndexMismatch { indexed: usize, base: usize },
    EmptyTarget,
    TooLarge { limit: usize },
}

impl crate::msg::Describe for CreateError {
    fn describe(&self, m: &mut crate::msg::Msg<'_>) {
        match self {
            CreateError::IndexMismatch { indexed, base } => m
                .s("delta index was built for a base of ")
                .u(*indexed as u64)
                .s(" bytes, got a base of ")
                .u(*base as u64)
                .s(" bytes"),
            CreateError::EmptyTarget => {
                m.s("the target is empty: git cannot read a delta with an empty result (store it whole)")
            }
            CreateError::TooLarge { limit } => m.s("delta grew past the limit of ").u(*limit as u64).s(" bytes"),
        };
    }
}
crate::display_via_describe!(CreateError);

/// A delta that turns `base` into `target`.
///
/// For an empty target this is the 4-byte delta with no instructions: valid per gitformat-pack
/// and accepted by `git index-pack`, but git's object lookup (`packed_object_info`) treats a
/// delta result size of 0 as corrupt, so [`create_into`] — the pack writer's entry point —
/// refuses empty targets.
pub fn create(base: &[u8], target: &[u8]) -> Vec<u8> {
    let mut index = DeltaIndex::new();
    index.build(base);
    let mut out = Vec::new();
    if target.is_empty() {
        write_header(&mut out, base.len(), 0);
        return out;
    }
    // Cannot fail: the index was built for this base, the target is not empty, no limit.
    let _ = create_into(&index, base, target, usize::MAX, &mut out);
    out
}

/// Writes the two header sizes; an empty result is padded to git's [`DELTA_SIZE_MIN`] with
/// redundant varint continuation groups (which git's `get_delta_hdr_size` reads).
fn write_header(out: &mut Vec<u8>, base_len: usize, target_len: usize) {
    out.clear();
    write_varint(out, base_len as u64);
    write_varint(out, target_len as u64);
    if target_len == 0 && out.len() < DELTA_SIZE_MIN {
        let pad = DELTA_SIZE_MIN - out.len();
        out.truncate(out.len() - 1);
        let new_len = out.len() + pad;
        out.resize(new_len, 0x80);
        out.push(0);
    }
}

/// Writes a delta turning `base` into `target` into `out` (replacing its contents), using an
/// `index` built from the same `base`. Stops with [`CreateError::TooLarge`] as soon as the delta
/// exceeds `max_len` bytes (as git's `create_delta` with `max_delta_size`); `out` then holds an
/// unspecified partial delta.
pub fn create_into(
    index: &DeltaIndex,
    base: &[u8],
    target: &[u8],
    max_len: usize,
    out: &mut Vec<u8>,
) -> Result<(), CreateError> {
    if index.base_len() != base.len() {
        return Err(CreateError::IndexMismatch { indexed: index.base_len(), base: base.len() });
    }
    if target.is_empty() {
        return Err(CreateError::EmptyTarget);
    }
    write_header(out, base.len(), target.len());

    let mut literal_from = 0; // start of pending literal bytes
    let mut i = 0; // window start in target
    let mut h = match target.get(..WINDOW) {
        Some(w) => fingerprint(w),
        None => 0,
    };
    while i + WINDOW <= target.len() {
        let (best_off, best_len) = longest_match(index, base, target, i, h);
        if best_len >= WINDOW {
            // Extend backwards into pending literals.
            let mut back = 0;
            while i - back > literal_from
                && back < best_off
                && target.get(i - back - 1) == base.get(best_off - back - 1)
            {
                back += 1;
            }
            let (start, off) = (i - back, best_off - back);
            let len = clamp_to_offset_range(off, best_len + back);
            if len == 0 || copy_cost(off as u64, len) >= len {
                i += 1;
            } else {
                push_insert(out, target.get(literal_from..start).unwrap_or_default());
                push_copy(out, off as u64, len);
                i = start + len;
                literal_from = i;
                if out.len() > max_len {
                    return Err(CreateError::TooLarge { limit: max_len });
                }
                if let Some(w) = target.get(i..i + WINDOW) {
                    h = fingerprint(w);
                }
                continue;
            }
        } else {
            i += 1;
        }
        if let (Some(&gone), Some(&new)) = (target.get(i - 1), target.get(i + WINDOW - 1)) {
            h = roll(h, gone, new);
        }
        if i - literal_from > 4096 && out.len() + (i - literal_from) > max_len {
            return Err(CreateError::TooLarge { limit: max_len });
        }
    }
    push_insert(out, target.get(literal_from..).unwrap_or_default());
    if out.len() > max_len {
        return Err(CreateError::TooLarge { limit: max_len });
    }
    Ok(())
}

/// Best (offset, length) in `base` for the target window at `at` with fingerprint `h`;
/// length 0 if no indexed block matches.
#[inline]
fn longest_match(index: &DeltaIndex, base: &[u8], target: &[u8], at: usize, h: u32) -> (usize, usize) {
    let Some(want) = target.get(at..) else { return (0, 0) };
    let mut best = (0, 0);
    for off in index.candidates(h).take(MAX_CANDIDATES) {
        let Some(have) = base.get(off..) else { continue };
        if have.len() <= best.1 || have.get(..WINDOW) != want.get(..WINDOW) {
            continue;
        }
        let len = common_prefix(have, want);
        if len > best.1 {
            best = (off, len);
            if len >= GOOD_ENOUGH {
                break;
            }
        }
    }
    best
}

/// Length of the common prefix of `a` and `b`, compared eight bytes at a time.
#[inline]
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    for (ca, cb) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        let (Ok(x), Ok(y)) = (<[u8; 8]>::try_from(ca), <[u8; 8]>::try_from(cb)) else { break };
        let diff = u64::from_le_bytes(x) ^ u64::from_le_bytes(y);
        if diff != 0 {
            return i + (diff.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < n && a.get(i) == b.get(i) {
        i += 1;
    }
    i
}

/// Copy offsets are at most 32 bits: trims `len` so every [`MAX_COPY`] piece starting at `off`
/// has an encodable offset.
#[inline]
fn clamp_to_offset_range(off: usize, len: usize) -> usize {
    const LIMIT: u64 = 1 << 32;
    let off = off as u64;
    if off + len as u64 <= LIMIT {
        return len;
    }
    if off >= LIMIT {
        return 0;
    }
    // Pieces start at off, off + MAX_COPY, ...: keep those starting below the limit.
    let pieces = (LIMIT - off).div_ceil(MAX_COPY as u64);
    len.min((pieces * MAX_COPY as u64) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_stay_32_bit() {
        let limit = 1usize << 32;
        assert_eq!(clamp_to_offset_range(0, 1000), 1000);
        assert_eq!(clamp_to_offset_range(limit, 10), 0);
        // A piece may start just below 2^32 and run past it; the next piece may not start.
        assert_eq!(clamp_to_offset_range(limit - 10, 3 * MAX_COPY), MAX_COPY);
        assert_eq!(clamp_to_offset_range(limit - MAX_COPY - 1, 3 * MAX_COPY), 2 * MAX_COPY);
    }

    #[test]
    fn common_prefix_lengths() {
        let a = b"abcdefghijklmnopqrstuvwxyz";
        for n in 0..a.len() {
            let mut b = *a;
            b[n] ^= 1;
            assert_eq!(common_prefix(a, &b), n);
        }
        assert_eq!(common_prefix(a, &a[..20]), 20);
    }
}
