//! Applying a delta to its base (gitformat-pack "Deltified representation"; the checks of git's
//! `patch-delta.c`).

use super::error::DeltaError;
use super::header::header;
use alloc::vec::Vec;

/// The smallest delta git applies (git's `delta.h`): two one-byte sizes and one instruction.
pub const DELTA_SIZE_MIN: usize = 4;

/// Applies `delta` to `base`, replacing the contents of `out` with the result.
///
/// `max_result` caps the declared result size; it is checked before anything is allocated.
/// On error `out` holds an unspecified prefix of the result.
///
/// Like git's `patch_delta`, deltas shorter than [`DELTA_SIZE_MIN`] bytes are rejected.
pub fn apply_into(base: &[u8], delta: &[u8], max_result: u64, out: &mut Vec<u8>) -> Result<(), DeltaError> {
    if delta.len() < DELTA_SIZE_MIN {
        return Err(DeltaError::TooShort { len: delta.len() });
    }
    let hdr = header(delta)?;
    let base_len = base.len() as u64;
    if hdr.base_size != base_len {
        return Err(DeltaError::BaseSizeMismatch { declared: hdr.base_size, actual: base_len });
    }
    if hdr.result_size > max_result {
        return Err(DeltaError::ResultTooLarge { size: hdr.result_size, limit: max_result });
    }
    let declared = hdr.result_size;
    out.clear();
    // A size that does not fit in usize, or that cannot be allocated: one error.
    let Some(want) = usize::try_from(declared).ok().filter(|want| out.try_reserve_exact(*want).is_ok()) else {
        return Err(DeltaError::OutOfMemory { size: declared });
    };

    let mut pos = hdr.header_len;
    while let Some(&cmd) = delta.get(pos) {
        let op_pos = pos;
        pos += 1;
        // Both instructions name a chunk (of the base, or of the delta itself) to append: the
        // chunk is found per instruction, the overrun check and the append are shared.
        let chunk = if cmd & 0x80 != 0 {
            let (offset, size, next) = read_copy(delta, pos, cmd, op_pos)?;
            pos = next;
            // `read_copy` gives an offset below 2^32 and a size below 2^24, so the sum does not
            // overflow a u64. Where usize is 32 bits an end past 2^32 wraps below the offset: an
            // empty-or-reversed range `get` refuses, as it refuses an end past the base.
            let Some(chunk) = base.get(offset as usize..(offset + size) as usize) else {
                return Err(DeltaError::CopyOutOfBase { offset, size, base_len });
            };
            chunk
        } else if cmd != 0 {
            let size = usize::from(cmd);
            let left = delta.len() - pos;
            let Some(chunk) = delta.get(pos..pos + size) else {
                return Err(DeltaError::InsertTruncated { pos: op_pos, size, left });
            };
            pos += size;
            chunk
        } else {
            return Err(DeltaError::ReservedOpcode { pos: op_pos });
        };
        let room = (want - out.len()) as u64;
        let size = chunk.len() as u64;
        if size > room {
            return Err(DeltaError::ResultOverrun { pos: op_pos, size: size - room, declared });
        }
        out.extend_from_slice(chunk);
    }
    if out.len() as u64 != declared {
        return Err(DeltaError::ResultShort { got: out.len() as u64, declared });
    }
    Ok(())
}

/// Applies `delta` to `base` into a new buffer; see [`apply_into`].
pub fn apply(base: &[u8], delta: &[u8], max_result: u64) -> Result<Vec<u8>, DeltaError> {
    let mut out = Vec::new();
    apply_into(base, delta, max_result, &mut out)?;
    Ok(out)
}

/// Decodes the operand bytes of a copy instruction whose opcode `cmd` was at `op_pos`; `pos` is
/// the first operand byte. Bits 0-3 of `cmd` select offset bytes, bits 4-6 size bytes, each
/// little-endian; a size of 0 means 0x10000 (gitformat-pack).
fn read_copy(delta: &[u8], mut pos: usize, cmd: u8, op_pos: usize) -> Result<(u64, u64, usize), DeltaError> {
    let needed = (cmd & 0x7f).count_ones() as usize;
    let left = delta.len() - pos;
    if needed > left {
        return Err(DeltaError::CopyTruncated { pos: op_pos, needed, left });
    }
    // Operand byte `bit` goes to bits 8 * bit of one word: the offset is its low 32 bits, the size
    // the 24 above.
    let mut operands: u64 = 0;
    for bit in 0..7u32 {
        if cmd & (1 << bit) != 0 {
            // Present: `needed` operand bytes follow (checked above).
            operands |= u64::from(delta.get(pos).copied().unwrap_or(0)) << (8 * bit);
            pos += 1;
        }
    }
    let offset = operands & 0xffff_ffff;
    let mut size = operands >> 32;
    if size == 0 {
        size = 0x10000;
    }
    Ok((offset, size, pos))
}
