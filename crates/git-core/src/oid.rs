//! Object ids. Today git's SHA-1 format only; the `ObjectFormat` / non-exhaustive `ObjectId` pair
//! leaves room for SHA-256 (`object-format=sha256`, gitprotocol-capabilities) without changing callers.

use core::fmt;

/// The hash function a repository uses (gitprotocol-capabilities `object-format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ObjectFormat {
    /// SHA-1 with collision detection, 20-byte ids.
    Sha1,
}

impl ObjectFormat {
    /// Raw id length in bytes.
    pub const fn raw_len(self) -> usize {
        match self {
            ObjectFormat::Sha1 => 20,
        }
    }
    /// Hex id length in characters.
    pub const fn hex_len(self) -> usize {
        self.raw_len() * 2
    }
    /// The name used on the wire (`object-format=sha1`).
    pub const fn name(self) -> &'static str {
        match self {
            ObjectFormat::Sha1 => "sha1",
        }
    }
}

/// An object id. Ordered bytewise, as git sorts ids in pack indexes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ObjectId {
    /// A SHA-1 id.
    Sha1([u8; 20]),
}

/// A hex id that is not well formed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HexError {
    Length { got: usize, expected: usize },
    Digit { byte: u8, pos: usize },
}

impl crate::msg::Describe for HexError {
    fn describe(&self, m: &mut crate::msg::Msg<'_>) {
        match self {
            HexError::Length { got, expected } => {
                m.s("object id has ").u(*got as u64).s(" hex digits, expected ").u(*expected as u64)
            }
            HexError::Digit { byte, pos } => {
                m.s("object id has a non-hex byte 0x").hex(*byte).s(" at position ").u(*pos as u64)
            }
        };
    }
}
crate::display_via_describe!(HexError);

/// A raw id of the wrong length.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OidError {
    Length { got: usize, expected: usize },
}

impl crate::msg::Describe for OidError {
    fn describe(&self, m: &mut crate::msg::Msg<'_>) {
        let OidError::Length { got, expected } = self;
        m.s("raw object id has ").u(*got as u64).s(" bytes, expected ").u(*expected as u64);
    }
}
crate::display_via_describe!(OidError);

const HEX: &[u8; 16] = b"0123456789abcdef";

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

impl ObjectId {
    /// The all-zero SHA-1 id git uses for "no object" (ref creation/deletion, `capabilities^{}`).
    pub const ZERO_SHA1: ObjectId = ObjectId::Sha1([0; 20]);

    /// The null id of a format.
    pub const fn null(format: ObjectFormat) -> Self {
        match format {
            ObjectFormat::Sha1 => ObjectId::ZERO_SHA1,
        }
    }

    /// True for the all-zero id.
    pub fn is_null(&self) -> bool {
        // Compared with the null id: the comparison every `==` of ids uses, no loop of its own.
        *self == ObjectId::ZERO_SHA1
    }

    /// This id's format.
    pub const fn format(&self) -> ObjectFormat {
        match self {
            ObjectId::Sha1(_) => ObjectFormat::Sha1,
        }
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            ObjectId::Sha1(b) => b,
        }
    }

    /// From raw bytes (20 for SHA-1).
    pub fn from_bytes(raw: &[u8]) -> Result<Self, OidError> {
        let arr: [u8; 20] = raw.try_into().map_err(|_| OidError::Length { got: raw.len(), expected: 20 })?;
        Ok(ObjectId::Sha1(arr))
    }

    /// Parse a full-length hex id (either case accepted; git writes lower case).
    pub fn from_hex(hex: &[u8]) -> Result<Self, HexError> {
        if hex.len() != 40 {
            return Err(HexError::Length { got: hex.len(), expected: 40 });
        }
        let mut out = [0u8; 20];
        // One digit per step (the high one first), so the digit check exists once in the code.
        for (i, &b) in hex.iter().enumerate() {
            let Some(v) = hex_val(b) else { return Err(HexError::Digit { byte: b, pos: i }) };
            out[i / 2] = (out[i / 2] << 4) | v;
        }
        Ok(ObjectId::Sha1(out))
    }

    /// Lower-case hex into `buf`; returns the written prefix as `&str`.
    pub fn hex_into<'b>(&self, buf: &'b mut [u8; 40]) -> &'b str {
        for (i, b) in self.as_bytes().iter().enumerate() {
            buf[2 * i] = HEX[(b >> 4) as usize];
            buf[2 * i + 1] = HEX[(b & 15) as usize];
        }
        // Only ASCII hex digits were written.
        core::str::from_utf8(&buf[..]).unwrap_or("")
    }

    /// Lower-case hex as a fixed array.
    pub fn to_hex(&self) -> [u8; 40] {
        let mut buf = [0u8; 40];
        self.hex_into(&mut buf);
        buf
    }

    /// True if `prefix` (hex, 1..=40 digits, any case) is a prefix of this id's hex form.
    pub fn starts_with_hex(&self, prefix: &[u8]) -> bool {
        if prefix.len() > 40 {
            return false;
        }
        let hex = self.to_hex();
        hex.iter().zip(prefix).all(|(a, b)| *a == b.to_ascii_lowercase())
    }

    /// The first byte, for fan-out tables (gitformat-pack idx v2).
    pub fn first_byte(&self) -> u8 {
        self.as_bytes()[0]
    }
}

/// A hex prefix of an id (abbreviated object name), 4..=40 digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prefix {
    hex: [u8; 40],
    len: usize,
}

impl Prefix {
    /// Parse an abbreviation; git requires at least 4 digits.
    pub fn from_hex(hex: &[u8]) -> Result<Self, HexError> {
        if hex.len() < 4 || hex.len() > 40 {
            return Err(HexError::Length { got: hex.len(), expected: 40 });
        }
        let mut out = [0u8; 40];
        for (i, b) in hex.iter().enumerate() {
            if hex_val(*b).is_none() {
                return Err(HexError::Digit { byte: *b, pos: i });
            }
            out[i] = b.to_ascii_lowercase();
        }
        Ok(Prefix { hex: out, len: hex.len() })
    }
    /// Does `id` start with this prefix?
    pub fn matches(&self, id: &ObjectId) -> bool {
        id.starts_with_hex(&self.hex[..self.len])
    }
    /// Number of hex digits.
    pub fn len(&self) -> usize {
        self.len
    }
    /// Never true: a prefix has at least 4 digits.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 40];
        f.write_str(self.hex_into(&mut buf))
    }
}

impl fmt::Debug for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObjectId({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn hex_round_trip_and_errors() {
        let hex = b"e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";
        let id = ObjectId::from_hex(hex).expect("valid");
        assert_eq!(id.to_string().as_bytes(), hex);
        assert_eq!(ObjectId::from_hex(&hex[..39]), Err(HexError::Length { got: 39, expected: 40 }));
        let mut bad = *hex;
        bad[5] = b'g';
        assert_eq!(ObjectId::from_hex(&bad), Err(HexError::Digit { byte: b'g', pos: 5 }));
        assert!(ObjectId::ZERO_SHA1.is_null());
        assert!(!id.is_null());
        for i in 0..20 {
            let mut raw = [0u8; 20];
            raw[i] = 1;
            assert!(!ObjectId::from_bytes(&raw).expect("20 bytes").is_null(), "byte {i}");
        }
        assert!(id.starts_with_hex(b"E69DE"));
        assert!(Prefix::from_hex(b"e69d").expect("prefix").matches(&id));
        assert!(Prefix::from_hex(b"e69").is_err());
        assert_eq!(ObjectId::from_bytes(&[1; 19]), Err(OidError::Length { got: 19, expected: 20 }));
    }
}
