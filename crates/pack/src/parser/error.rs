//! Why a pack stream was rejected. Offsets are from the start of the pack.

use git_core::zlib::InflateError;

/// Which part of the pack the input ended in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Header,
    EntryHeader,
    EntryData,
    Trailer,
}

impl git_core::msg::Describe for Section {
    fn describe(&self, m: &mut git_core::msg::Msg<'_>) {
        m.s(match self {
            Section::Header => "pack header",
            Section::EntryHeader => "entry header",
            Section::EntryData => "entry data",
            Section::Trailer => "pack trailer",
        });
    }
}
git_core::display_via_describe!(Section);


/// A pack stream that is not a valid pack (gitformat-pack), or over a limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    Signature { got: [u8; 4] },
    Version { version: u32 },
    EntryType { offset: u64, type_number: u8 },
    SizeOverflow { offset: u64 },
    TooLarge { offset: u64, size: u64, limit: u64 },
    OfsOverflow { offset: u64 },
    OfsOutOfRange { offset: u64, distance: u64 },
    Inflate { offset: u64, source: InflateError },
    CompressedTooLong { offset: u64, size: u64, got: u64, limit: u64 },
    Trailer { got: [u8; 20], expected: [u8; 20] },
    Truncated { section: Section, offset: u64, entries: u32, count: u32 },
    TrailingData { offset: u64, extra: u64 },
    /// A call after an error; holds the first error's text.
    AfterError(alloc::string::String),
}

impl git_core::msg::Describe for ParseError {
    fn describe(&self, m: &mut git_core::msg::Msg<'_>) {
        // The errors about one entry start alike: written once.
        match self {
            ParseError::EntryType { offset, .. }
            | ParseError::SizeOverflow { offset }
            | ParseError::TooLarge { offset, .. }
            | ParseError::OfsOverflow { offset }
            | ParseError::OfsOutOfRange { offset, .. }
            | ParseError::Inflate { offset, .. }
            | ParseError::CompressedTooLong { offset, .. } => {
                m.s("entry at offset ").u(*offset);
            }
            _ => {}
        }
        match self {
            ParseError::Signature { got } => m.s("bad pack signature ").hex_list(got).s(", expected \"PACK\""),
            ParseError::Version { version } => {
                m.s("unsupported pack version ").u(u64::from(*version)).s(", expected 2 or 3")
            }
            ParseError::EntryType { type_number, .. } => m.s(" has invalid type ").u(u64::from(*type_number)),
            ParseError::SizeOverflow { .. } => m.s(":").s(git_core::delta::VARINT_OVERFLOW),
            ParseError::TooLarge { size, limit, .. } => m.s(" declares ").u(*size).s(" bytes, limit ").u(*limit),
            ParseError::OfsOverflow { .. } => m.s(": OFS_DELTA base offset does not fit in 64 bits"),
            ParseError::OfsOutOfRange { distance, .. } => m
                .s(": OFS_DELTA base distance ")
                .u(*distance)
                .s(" points at itself or before the first entry"),
            ParseError::Inflate { source, .. } => m.s(": ").d(source),
            ParseError::CompressedTooLong { size, got, limit, .. } => m
                .s(": compressed stream of ")
                .u(*got)
                .s(" bytes for ")
                .u(*size)
                .s(" inflated bytes is over the limit of ")
                .u(*limit),
            ParseError::Trailer { got, expected } => m
                .s("pack trailer ")
                .hex_list(got)
                .s(" does not match the pack's SHA-1 ")
                .hex_list(expected),
            ParseError::Truncated { section, offset, entries, count } => m
                .s("input ended in the ")
                .d(section)
                .s(" at offset ")
                .u(*offset)
                .s(" after ")
                .u(u64::from(*entries))
                .s(" of ")
                .u(u64::from(*count))
                .s(" entries"),
            ParseError::TrailingData { offset, extra } => m
                .u(*extra)
                .s(" bytes of trailing data after the pack trailer at offset ")
                .u(*offset),
            ParseError::AfterError(first) => m.s("the parser already failed: ").s(first),
        };
    }
}
git_core::display_via_describe!(ParseError);

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
