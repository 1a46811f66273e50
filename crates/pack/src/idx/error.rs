//! Why an idx file was rejected.

use crate::hex_list::HexList;

/// An idx v2 file that is not well formed (gitformat-pack).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdxError {
    #[error("idx is {len} bytes, shorter than the {min} bytes of header, fan-out and trailers")]
    TooShort { len: usize, min: usize },
    #[error("bad idx magic {}, expected ff 74 4f 63", HexList(.got))]
    Magic { got: [u8; 4] },
    #[error("unsupported idx version {version}, expected 2")]
    Version { version: u32 },
    #[error("idx fan-out decreases at entry {index}: {value} after {previous}")]
    FanOut { index: usize, value: u32, previous: u32 },
    #[error("idx for {count} objects should be {expected} bytes plus 8 per large offset, got {len}")]
    Size { count: u32, expected: u64, len: usize },
    #[error("idx ids are not strictly ascending at position {index}")]
    Unsorted { index: u32 },
    #[error("idx position {index} names large offset {large} of a table of {count}")]
    LargeOffset { index: u32, large: u32, count: u64 },
    #[error("idx checksum {} does not match its contents' SHA-1 {}", HexList(.got), HexList(.expected))]
    Checksum { got: [u8; 20], expected: [u8; 20] },
}
