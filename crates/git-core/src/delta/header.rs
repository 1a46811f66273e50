//! The delta header: two little-endian base-128 varints, the base size then the result size
//! (gitformat-pack "Deltified representation"; git's `get_delta_hdr_size`).

use super::error::{DeltaError, SizeField};
use alloc::vec::Vec;

/// The two sizes at the start of a delta.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeltaHeader {
    /// Size the base object must have.
    pub base_size: u64,
    /// Size of the object the delta reconstructs.
    pub result_size: u64,
    /// Bytes the header occupies; instructions start here.
    pub header_len: usize,
}

/// Reads the header of `delta`. Reads at most two varints; does not look at instructions.
pub fn header(delta: &[u8]) -> Result<DeltaHeader, DeltaError> {
    // The two varints in one loop (base size, then result size): no per-varint `Result`.
    let mut sizes = [0u64; 2];
    let mut pos = 0;
    // By index: no enumerate adapter in the module.
    #[allow(clippy::needless_range_loop)]
    for i in 0..2 {
        let field = if i == 0 { SizeField::Base } else { SizeField::Result };
        let size = &mut sizes[i];
        let mut shift: u32 = 0;
        loop {
            let Some(&byte) = delta.get(pos) else {
                return Err(DeltaError::HeaderTruncated { field, len: delta.len() });
            };
            pos += 1;
            let bits = u64::from(byte & 0x7f);
            // Any set bit at or beyond bit 64 is lost precision: reject rather than wrap. Redundant
            // zero continuation groups (git never writes them) are refused past 78 bits, which
            // bounds the loop.
            if (bits != 0 && (shift >= 64 || (bits << shift) >> shift != bits)) || (bits == 0 && shift >= 64 + 7 * 2) {
                return Err(DeltaError::VarintOverflow { field });
            }
            if bits != 0 {
                *size |= bits << shift;
            }
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
    }
    Ok(DeltaHeader { base_size: sizes[0], result_size: sizes[1], header_len: pos })
}

/// Appends `value` as a delta header varint.
pub(crate) fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}
