//! Why an idx file was rejected.

/// An idx v2 file that is not well formed (gitformat-pack).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdxError {
    TooShort { len: usize, min: usize },
    Magic { got: [u8; 4] },
    Version { version: u32 },
    FanOut { index: usize, value: u32, previous: u32 },
    Size { count: u32, expected: u64, len: usize },
    Unsorted { index: u32 },
    LargeOffset { index: u32, large: u32, count: u64 },
    Checksum { got: [u8; 20], expected: [u8; 20] },
}

impl git_core::msg::Describe for IdxError {
    fn describe(&self, m: &mut git_core::msg::Msg<'_>) {
        match self {
            IdxError::TooShort { len, min } => m
                .s("idx is ")
                .u(*len as u64)
                .s(" bytes, shorter than the ")
                .u(*min as u64)
                .s(" bytes of header, fan-out and trailers"),
            IdxError::Magic { got } => m.s("bad idx magic ").hex_list(got).s(", expected ff 74 4f 63"),
            IdxError::Version { version } => m.s("unsupported idx version ").u(u64::from(*version)).s(", expected 2"),
            IdxError::FanOut { index, value, previous } => m
                .s("idx fan-out decreases at entry ")
                .u(*index as u64)
                .s(": ")
                .u(u64::from(*value))
                .s(" after ")
                .u(u64::from(*previous)),
            IdxError::Size { count, expected, len } => m
                .s("idx for ")
                .u(u64::from(*count))
                .s(" objects should be ")
                .u(*expected)
                .s(" bytes plus 8 per large offset, got ")
                .u(*len as u64),
            IdxError::Unsorted { index } => {
                m.s("idx ids are not strictly ascending at position ").u(u64::from(*index))
            }
            IdxError::LargeOffset { index, large, count } => m
                .s("idx position ")
                .u(u64::from(*index))
                .s(" names large offset ")
                .u(u64::from(*large))
                .s(" of a table of ")
                .u(*count),
            IdxError::Checksum { got, expected } => m
                .s("idx checksum ")
                .hex_list(got)
                .s(" does not match its contents' SHA-1 ")
                .hex_list(expected),
        };
    }
}
git_core::display_via_describe!(IdxError);
