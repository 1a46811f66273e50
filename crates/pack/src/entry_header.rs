//! Encoding of entry headers (gitformat-pack "Object types", "offset encoding"), shared by the
//! writer and tests. Decoding is incremental and lives in the parser.

use alloc::vec::Vec;

/// The longest entry header: 10 bytes of type+size varint, 20 bytes of REF base id (an OFS offset
/// takes at most 10).
pub const MAX_ENTRY_HEADER_LEN: usize = 30;

/// Appends the type and size varint: `1TTTSSSS` `1SSSSSSS`... with the low 4 size bits first.
pub fn encode_entry_header(type_number: u8, size: u64, out: &mut Vec<u8>) {
    let mut byte = ((type_number & 7) << 4) | (size & 15) as u8;
    let mut rest = size >> 4;
    while rest != 0 {
        out.push(byte | 0x80);
        byte = (rest & 0x7f) as u8;
        rest >>= 7;
    }
    out.push(byte);
}

/// Appends an OFS_DELTA's negative offset (`entry offset - base offset`, at least 1) in git's
/// offset encoding: big-endian 7-bit groups, each continuation adding one (gitformat-pack).
pub fn encode_ofs_offset(distance: u64, out: &mut Vec<u8>) {
    let mut buf = [0u8; 10];
    let mut pos = buf.len() - 1;
    let mut n = distance;
    buf[pos] = (n & 0x7f) as u8;
    n >>= 7;
    while n != 0 && pos > 0 {
        n -= 1;
        pos -= 1;
        buf[pos] = 0x80 | (n & 0x7f) as u8;
        n >>= 7;
    }
    out.extend_from_slice(buf.get(pos..).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        let mut v = Vec::new();
        encode_entry_header(3, 15, &mut v);
        assert_eq!(v, [0x3f]);
        v.clear();
        encode_entry_header(1, 100, &mut v);
        assert_eq!(v, [0x80 | 0x10 | 4, 6]);
        v.clear();
        encode_ofs_offset(127, &mut v);
        assert_eq!(v, [127]);
        v.clear();
        encode_ofs_offset(128, &mut v);
        assert_eq!(v, [0x80, 0]);
    }
}
