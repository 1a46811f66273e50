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
    let (base_size, a) = read_varint(delta, 0, SizeField::Base)?;
    let (result_size, b) = read_varint(delta, a, SizeField::Result)?;
    Ok(DeltaHeader { base_size, result_size, header_len: b })
}

/// Reads one size varint starting at `pos`; returns the value and the position after it.
fn read_varint(delta: &[u8], mut pos: usize, field: SizeField) -> Result<(u64, usize), DeltaError> {
    let mut value: u64 = 0;
    let mut shift: u32 = 0;
    loop {
        let byte = *delta.get(pos).ok_or(DeltaError::HeaderTruncated { field, len: delta.len() })?;
        pos += 1;
        let bits = u64::from(byte & 0x7f);
        if bits != 0 {
            // Any set bit at or beyond bit 64 is lost precision: reject rather than wrap.
            if shift >= 64 || (bits << shift) >> shift != bits {
                return Err(DeltaError::VarintOverflow { field });
            }
            value |= bits << shift;
        } else if shift >= 64 + 7 * 2 {
            // Redundant zero continuation groups; git never writes them. Bound the loop.
            return Err(DeltaError::VarintOverflow { field });
        }
        if byte & 0x80 == 0 {
            return Ok((value, pos));
        }
        shift += 7;
    }
}

/// Appends `value` as a delta header varint.
pub(crate) fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}
