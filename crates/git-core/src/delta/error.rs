//! Why a delta could not be applied (the checks of git's `patch-delta.c`, gitformat-pack
//! "Deltified representation").

/// Which header size a varint error concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeField {
    /// The first varint: the size of the base object.
    Base,
    /// The second varint: the size of the reconstructed object.
    Result,
}

impl core::fmt::Display for SizeField {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            SizeField::Base => "base",
            SizeField::Result => "result",
        })
    }
}

/// A delta that cannot be applied to the given base. Positions are byte offsets into the delta.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeltaError {
    #[error("delta of {len} bytes is shorter than the minimum of 4 bytes")]
    TooShort { len: usize },
    #[error("delta header is truncated: the {field} size varint runs past the end of the {len}-byte delta")]
    HeaderTruncated { field: SizeField, len: usize },
    #[error("delta header {field} size varint does not fit in 64 bits")]
    VarintOverflow { field: SizeField },
    #[error("delta expects a base of {declared} bytes, got {actual} bytes")]
    BaseSizeMismatch { declared: u64, actual: u64 },
    #[error("delta result of {size} bytes exceeds the limit of {limit} bytes")]
    ResultTooLarge { size: u64, limit: u64 },
    #[error("cannot allocate {size} bytes for the delta result")]
    OutOfMemory { size: u64 },
    #[error("delta opcode 0x00 at byte {pos} is reserved")]
    ReservedOpcode { pos: usize },
    #[error("copy instruction at byte {pos} is truncated: it needs {needed} more bytes, {left} left")]
    CopyTruncated { pos: usize, needed: usize, left: usize },
    #[error("copy of {size} bytes at offset {offset} runs past the base of {base_len} bytes")]
    CopyOutOfBase { offset: u64, size: u64, base_len: u64 },
    #[error("insert of {size} bytes at byte {pos} runs past the end of the delta ({left} bytes left)")]
    InsertTruncated { pos: usize, size: usize, left: usize },
    #[error("instruction at byte {pos} writes {size} bytes past the declared result size of {declared} bytes")]
    ResultOverrun { pos: usize, size: u64, declared: u64 },
    #[error("delta produced {got} bytes, its header declares {declared}")]
    ResultShort { got: u64, declared: u64 },
}
