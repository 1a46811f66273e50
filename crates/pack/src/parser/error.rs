//! Why a pack stream was rejected. Offsets are from the start of the pack.

use crate::hex_list::HexList;
use git_core::zlib::InflateError;

/// Which part of the pack the input ended in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Header,
    EntryHeader,
    EntryData,
    Trailer,
}

impl core::fmt::Display for Section {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Section::Header => "pack header",
            Section::EntryHeader => "entry header",
            Section::EntryData => "entry data",
            Section::Trailer => "pack trailer",
        })
    }
}

/// A pack stream that is not a valid pack (gitformat-pack), or over a limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("bad pack signature {}, expected \"PACK\"", HexList(.got))]
    Signature { got: [u8; 4] },
    #[error("unsupported pack version {version}, expected 2 or 3")]
    Version { version: u32 },
    #[error("entry at offset {offset} has invalid type {type_number}")]
    EntryType { offset: u64, type_number: u8 },
    #[error("entry at offset {offset}: size varint does not fit in 64 bits")]
    SizeOverflow { offset: u64 },
    #[error("entry at offset {offset} declares {size} bytes, limit {limit}")]
    TooLarge { offset: u64, size: u64, limit: u64 },
    #[error("entry at offset {offset}: OFS_DELTA base offset does not fit in 64 bits")]
    OfsOverflow { offset: u64 },
    #[error("entry at offset {offset}: OFS_DELTA base distance {distance} points at itself or before the first entry")]
    OfsOutOfRange { offset: u64, distance: u64 },
    #[error("entry at offset {offset}: {source}")]
    Inflate { offset: u64, source: InflateError },
    #[error("entry at offset {offset}: compressed stream of {got} bytes for {size} inflated bytes is over the limit of {limit}")]
    CompressedTooLong { offset: u64, size: u64, got: u64, limit: u64 },
    #[error("pack trailer {} does not match the pack's SHA-1 {}", HexList(.got), HexList(.expected))]
    Trailer { got: [u8; 20], expected: [u8; 20] },
    #[error("input ended in the {section} at offset {offset} after {entries} of {count} entries")]
    Truncated { section: Section, offset: u64, entries: u32, count: u32 },
    #[error("{extra} bytes of trailing data after the pack trailer at offset {offset}")]
    TrailingData { offset: u64, extra: u64 },
    #[error("the parser already failed: {0}")]
    AfterError(alloc::boxed::Box<ParseError>),
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn byte_arrays_are_named() {
        let e = ParseError::Signature { got: *b"PACX" };
        assert_eq!(e.to_string(), "bad pack signature [50, 41, 43, 58], expected \"PACK\"");
        let mut expected = [0u8; 20];
        expected[19] = 0xab;
        let e = ParseError::Trailer { got: [0xff; 20], expected };
        assert_eq!(
            e.to_string(),
            alloc::format!("pack trailer {:02x?} does not match the pack's SHA-1 {:02x?}", [0xffu8; 20], expected)
        );
    }
}
