//! Encoding delta instructions (gitformat-pack "Instruction to copy from base object" and
//! "Instruction to add new data").

use alloc::vec::Vec;

/// Largest copy a single instruction carries in deltas we write. The format allows 24-bit sizes,
/// but git's `diff-delta.c` never writes more than 0x10000 and some readers assume it.
pub const MAX_COPY: usize = 0x10000;

/// Largest insert a single instruction carries (7-bit opcode; 0 is reserved).
pub const MAX_INSERT: usize = 0x7f;

/// Appends copy instructions for `size` bytes of the base at `offset`, split at [`MAX_COPY`].
/// The caller guarantees every chunk's offset fits in 32 bits.
pub(crate) fn push_copy(out: &mut Vec<u8>, mut offset: u64, mut size: usize) {
    while size > 0 {
        let chunk = size.min(MAX_COPY);
        let op_at = out.len();
        out.push(0x80);
        let mut cmd = 0x80u8;
        let mut off = offset;
        for bit in 0..4 {
            let byte = (off & 0xff) as u8;
            if byte != 0 {
                cmd |= 1 << bit;
                out.push(byte);
            }
            off >>= 8;
        }
        // 0x10000 is encoded as size 0, i.e. no size bytes.
        let enc = if chunk == MAX_COPY { 0 } else { chunk };
        for bit in 0..2 {
            let byte = ((enc >> (8 * bit)) & 0xff) as u8;
            if byte != 0 {
                cmd |= 0x10 << bit;
                out.push(byte);
            }
        }
        if let Some(op) = out.get_mut(op_at) {
            *op = cmd;
        }
        offset += chunk as u64;
        size -= chunk;
    }
}

/// Appends insert instructions carrying `data`, split at [`MAX_INSERT`].
pub(crate) fn push_insert(out: &mut Vec<u8>, data: &[u8]) {
    for chunk in data.chunks(MAX_INSERT) {
        out.push(chunk.len() as u8);
        out.extend_from_slice(chunk);
    }
}

/// Bytes a copy of `size` bytes at `offset` costs, as [`push_copy`] would write it.
pub(crate) fn copy_cost(offset: u64, size: usize) -> usize {
    let mut cost = 0;
    let mut off = offset;
    let mut left = size;
    while left > 0 {
        let chunk = left.min(MAX_COPY);
        let off_bytes = (0..4).filter(|i| (off >> (8 * i)) & 0xff != 0).count();
        let enc = if chunk == MAX_COPY { 0 } else { chunk };
        let size_bytes = (0..2).filter(|i| (enc >> (8 * i)) & 0xff != 0).count();
        cost += 1 + off_bytes + size_bytes;
        off += chunk as u64;
        left -= chunk;
    }
    cost
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_cost_matches_what_push_copy_writes() {
        for offset in [0u64, 1, 0xff, 0x100, 0x1_0000, 0xff00_00ff, 0xffff_ffff - 0x2_0000] {
            for size in [1usize, 0xff, 0x100, 0xffff, MAX_COPY, MAX_COPY + 1, 3 * MAX_COPY + 5] {
                let mut out = Vec::new();
                push_copy(&mut out, offset, size);
                assert_eq!(out.len(), copy_cost(offset, size), "offset {offset:#x} size {size:#x}");
            }
        }
        let mut out = Vec::new();
        push_copy(&mut out, 0, MAX_COPY);
        assert_eq!(out, [0x80], "offset 0, size 0x10000: opcode only");
        push_insert(&mut out, &[7; 130]);
        assert_eq!(out.len(), 1 + 1 + 127 + 1 + 3);
        assert_eq!(out[1], 127);
        assert_eq!(out[129], 3);
    }
}
