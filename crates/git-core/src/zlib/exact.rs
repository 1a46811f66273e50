//! Inflate a whole zlib stream whose inflated size is declared (a stored object, a pack entry).

use super::{InflateError, Inflater};
use alloc::vec::Vec;

/// Inflate `input`, which must hold a whole zlib stream of exactly `declared` inflated bytes.
/// A `declared` over `cap` fails before allocating. Bytes after the stream are ignored; use
/// [`inflate_exact_into`] to learn where the stream ended.
pub fn inflate_exact(input: &[u8], declared: u64, cap: u64) -> Result<Vec<u8>, InflateError> {
    let mut out = Vec::new();
    inflate_exact_into(input, declared, cap, &mut out)?;
    Ok(out)
}

/// Like [`inflate_exact`], appending to `out`; returns the number of input bytes the zlib stream
/// used. On error `out` holds what it held before.
pub fn inflate_exact_into(input: &[u8], declared: u64, cap: u64, out: &mut Vec<u8>) -> Result<usize, InflateError> {
    let start = out.len();
    let result = inflate_exact_inner(input, declared, cap, out);
    if result.is_err() {
        out.truncate(start);
    }
    result
}

fn inflate_exact_inner(input: &[u8], declared: u64, cap: u64, out: &mut Vec<u8>) -> Result<usize, InflateError> {
    if declared > cap {
        return Err(InflateError::OverCap { declared, cap });
    }
    let limit = usize::try_from(declared).map_err(|_| InflateError::OverCap { declared, cap: usize::MAX as u64 })?;
    // One byte more than declared: the inflater offers `limit` + 1 bytes of room to tell
    // "exactly limit" from "too long", and that room must not reallocate (and double) the buffer.
    out.reserve_exact(limit.saturating_add(1));
    let mut inflater = Inflater::new();
    let progress = inflater.inflate(input, out, limit)?;
    let got = inflater.total_out_bytes();
    if !progress.done {
        return Err(InflateError::Truncated { consumed: progress.consumed as u64, inflated: got });
    }
    if got != declared {
        return Err(InflateError::TooShort { got, declared });
    }
    Ok(progress.consumed)
}
