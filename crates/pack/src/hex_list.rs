//! Byte arrays in error messages, printed the way `{:02x?}` prints them (`[50, 41, 43, 4b]`) but
//! through `Display`: the Wasm module is built with `-Zfmt-debug=none`, which makes every `{:?}`
//! print nothing, and a checksum mismatch must still name both checksums there.

use core::fmt;

/// Displays `[b0, b1, ...]` with each byte as two lowercase hex digits.
pub(crate) struct HexList<'a>(pub(crate) &'a [u8]);

impl fmt::Display for HexList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        f.write_str("[")?;
        for (i, &b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            let pair = [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]];
            f.write_str(core::str::from_utf8(&pair).map_err(|_| fmt::Error)?)?;
        }
        f.write_str("]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::ToString;

    #[test]
    fn same_as_debug_hex() {
        let all: alloc::vec::Vec<u8> = (0..=255).collect();
        for s in [&b""[..], b"PACK", &[0, 1, 0x0f, 0x10, 0xff], &[7u8; 20], &all] {
            assert_eq!(HexList(s).to_string(), format!("{s:02x?}"));
        }
    }
}
