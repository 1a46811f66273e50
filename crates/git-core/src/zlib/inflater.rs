#![cfg_attr(target_arch = "wasm32", allow(dead_code))]
//! A streaming inflater whose state the caller owns (sans-I/O): feed compressed bytes in any
//! chunking, get the inflated bytes appended to a caller buffer.

use super::InflateError;
#[cfg(not(target_arch = "wasm32"))]
use alloc::boxed::Box;
use alloc::vec::Vec;
#[cfg(not(target_arch = "wasm32"))]
use miniz_oxide::inflate::core::inflate_flags::{
    TINFL_FLAG_HAS_MORE_INPUT, TINFL_FLAG_PARSE_ZLIB_HEADER, TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF,
};
#[cfg(not(target_arch = "wasm32"))]
use miniz_oxide::inflate::core::{decompress, DecompressorOxide};
#[cfg(not(target_arch = "wasm32"))]
use miniz_oxide::inflate::TINFLStatus;

/// What one call of [`StreamInflate::inflate`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Input bytes used. When `done`, the bytes after them belong to whatever follows the stream.
    pub consumed: usize,
    /// The zlib stream ended (adler32 verified).
    pub done: bool,
}

/// A streaming zlib inflater. [`Inflater`] is the core's (miniz_oxide); a host may implement this
/// with a faster library and hand it to the pack parser.
pub trait StreamInflate {
    /// Inflate more of the current stream. The output is appended to `out`; between calls of one
    /// stream the caller leaves `out` as this call left it. More than `limit` inflated bytes in the
    /// stream is [`InflateError::TooLong`]. Once the stream is done, calls consume nothing.
    fn inflate(&mut self, input: &[u8], out: &mut Vec<u8>, limit: usize) -> Result<Progress, InflateError>;
    /// Forget the current stream; the next call starts a new one.
    fn reset(&mut self);
    /// Bytes inflated so far in the current stream.
    fn total_out(&self) -> u64;
    /// Compressed bytes consumed so far in the current stream.
    fn total_in(&self) -> u64;
}

#[cfg(not(target_arch = "wasm32"))]
/// The core inflater over miniz_oxide's decompressor (about 11 KB of state, allocated once).
///
/// It inflates straight into the caller's buffer (no 32 KiB ring and copy): the stream's output so
/// far serves as the deflate window, which is why the buffer must not change between calls.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub struct Inflater {
    state: Box<DecompressorOxide>,
    /// `out.len()` when the stream started.
    base: usize,
    produced: usize,
    consumed: u64,
    started: bool,
    done: bool,
}

#[cfg(not(target_arch = "wasm32"))]
impl Default for Inflater {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl core::fmt::Debug for Inflater {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Inflater")
            .field("produced", &self.produced)
            .field("consumed", &self.consumed)
            .field("done", &self.done)
            .finish()
    }
}

#[cfg(not(target_arch = "wasm32"))]
/// The smallest amount of output room offered per decompress call.
const MIN_ROOM: usize = 4096;

#[cfg(not(target_arch = "wasm32"))]
impl Inflater {
    /// A fresh inflater.
    pub fn new() -> Self {
        Inflater { state: Box::default(), base: 0, produced: 0, consumed: 0, started: false, done: false }
    }

    /// Forget the current stream.
    pub fn reset(&mut self) {
        self.state.init();
        self.base = 0;
        self.produced = 0;
        self.consumed = 0;
        self.started = false;
        self.done = false;
    }

    /// True once the current stream ended.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Bytes inflated so far in the current stream.
    pub fn total_out_bytes(&self) -> u64 {
        self.produced as u64
    }

    /// See [`StreamInflate::inflate`].
    pub fn inflate(&mut self, mut input: &[u8], out: &mut Vec<u8>, limit: usize) -> Result<Progress, InflateError> {
        if self.done {
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
        let flags =
            TINFL_FLAG_PARSE_ZLIB_HEADER | TINFL_FLAG_HAS_MORE_INPUT | TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
        let mut consumed = 0usize;
        // Room offered beyond what is produced: grows while the output keeps filling it, so a small
        // input never costs a large zeroed buffer, and the stream may go one byte past `limit` so
        // that "exactly limit" and "more than limit" can be told apart.
        let mut room = input.len().saturating_mul(4).clamp(MIN_ROOM, 1 << 20);
        let hard_end = limit.saturating_add(1);
        loop {
            let want = self.produced.saturating_add(room).min(hard_end);
            let end = self.base.saturating_add(want);
            if end > out.capacity() {
                // Grow like Vec (doubling) but never past the most this stream may write
                // (`limit` + 1): a Vec's own doubling would leave up to twice an object's size
                // allocated once its last bytes arrive.
                let most = self.base.saturating_add(hard_end);
                let target = end.max(out.capacity().saturating_mul(2)).min(most).max(end);
                out.reserve_exact(target.saturating_sub(out.len()));
            }
            out.resize(end, 0);
            let window = out.get_mut(self.base..).unwrap_or_default();
            let (status, used, written) = decompress(&mut self.state, input, window, self.produced, flags);
            self.produced = self.produced.saturating_add(written);
            out.truncate(self.base.saturating_add(self.produced));
            consumed = consumed.saturating_add(used);
            self.consumed = self.consumed.saturating_add(used as u64);
            input = input.get(used..).unwrap_or_default();
            if self.produced > limit {
                return Err(InflateError::TooLong { limit: limit as u64 });
            }
            match status {
                TINFLStatus::Done => {
                    self.done = true;
                    return Ok(Progress { consumed, done: true });
                }
                TINFLStatus::NeedsMoreInput => return Ok(Progress { consumed, done: false }),
                TINFLStatus::HasMoreOutput => {
                    if want >= hard_end {
                        // Wanted to write beyond limit + 1: certainly too long.
                        return Err(InflateError::TooLong { limit: limit as u64 });
                    }
                    room = room.saturating_mul(2);
                }
                TINFLStatus::Adler32Mismatch => {
                    return Err(InflateError::Checksum { inflated: self.produced as u64 })
                }
                _ => return Err(InflateError::Corrupt { inflated: self.produced as u64 }),
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl StreamInflate for Inflater {
    fn inflate(&mut self, input: &[u8], out: &mut Vec<u8>, limit: usize) -> Result<Progress, InflateError> {
        Inflater::inflate(self, input, out, limit)
    }
    fn reset(&mut self) {
        Inflater::reset(self)
    }
    fn total_out(&self) -> u64 {
        self.produced as u64
    }
    fn total_in(&self) -> u64 {
        self.consumed
    }
}
