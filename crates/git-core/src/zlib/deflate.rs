//! Compression.
//!
//! The default level is git's: `core.compression` / `pack.compression` default to -1, zlib's
//! `Z_DEFAULT_COMPRESSION`, which is level 6 (git-config "core.compression"). The server compresses
//! an object once and then serves those bytes on every clone and fetch, so the smaller output of
//! level 6 is worth more than the speed of level 1; it also keeps our sizes comparable with git's.
//!
//! That holds natively (`miniz_oxide`). On `wasm32` the encoder is [`super::small`] whatever the
//! level (0 still means stored): the Wasm engine deflates only on rare paths, and `miniz_oxide`'s
//! compressor was some 13 KB of a module with a 100 KB budget.

use alloc::vec::Vec;
#[cfg(not(target_arch = "wasm32"))]
use miniz_oxide::deflate::core::{compress, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus};

/// git's default compression level (zlib's `Z_DEFAULT_COMPRESSION`).
pub const DEFAULT_LEVEL: u8 = 6;
/// The highest level; higher values are treated as this.
pub const MAX_LEVEL: u8 = 9;

/// A zlib stream of `data` at `level` (0 = stored .. 9 = best; above 9 is 9).
pub fn deflate(data: &[u8], level: u8) -> Vec<u8> {
    let mut out = Vec::new();
    deflate_into(data, level, &mut out);
    out
}

/// Appends a zlib stream of `data` at `level` to `out`.
#[cfg(target_arch = "wasm32")]
pub fn deflate_into(data: &[u8], level: u8, out: &mut Vec<u8>) {
    super::small::deflate_into(data, level, out)
}

/// Appends a zlib stream of `data` at `level` to `out`.
#[cfg(not(target_arch = "wasm32"))]
pub fn deflate_into(mut data: &[u8], level: u8, out: &mut Vec<u8>) {
    let flags = create_comp_flags_from_zip_params(i32::from(level.min(MAX_LEVEL)), 1, 0);
    let mut compressor = CompressorOxide::new(flags);
    let mut len = out.len();
    // Stored blocks cost 5 bytes per 64 KiB, plus the zlib header and trailer.
    let mut room = data.len() / 2 + 64;
    loop {
        out.resize(len.saturating_add(room), 0);
        let window = out.get_mut(len..).unwrap_or_default();
        let (status, used, written) = compress(&mut compressor, data, window, TDEFLFlush::Finish);
        len = len.saturating_add(written);
        data = data.get(used..).unwrap_or_default();
        match status {
            TDEFLStatus::Okay => room = room.saturating_mul(2).max(64),
            // Done; the other states cannot occur with a valid compressor and a Finish flush.
            _ => break,
        }
    }
    out.truncate(len);
}
