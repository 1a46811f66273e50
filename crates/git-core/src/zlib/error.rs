//! The one error type of inflating.

/// A zlib stream could not be inflated to what its caller declared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InflateError {
    /// The deflate data is invalid (bad zlib header, bad block, distance too far back).
    #[error("zlib stream is corrupt after {inflated} inflated bytes")]
    Corrupt { inflated: u64 },
    /// The stream inflated completely but its adler32 trailer does not match.
    #[error("zlib stream's adler32 checksum does not match its {inflated} inflated bytes")]
    Checksum { inflated: u64 },
    /// More output than allowed.
    #[error("inflated past the declared {limit} bytes")]
    TooLong { limit: u64 },
    /// The stream ended with fewer bytes than declared.
    #[error("zlib stream ended after {got} inflated bytes, declared {declared}")]
    TooShort { got: u64, declared: u64 },
    /// The input ended before the zlib stream did.
    #[error("zlib stream truncated: input ended after {consumed} compressed bytes and {inflated} inflated bytes")]
    Truncated { consumed: u64, inflated: u64 },
    /// A declared size over the caller's allocation cap.
    #[error("declared inflated size {declared} bytes is over the limit of {cap} bytes")]
    OverCap { declared: u64, cap: u64 },
    /// The caller changed the output buffer between two calls of one stream.
    #[error("output buffer changed between calls: expected {expected} bytes, found {found}")]
    OutputChanged { expected: u64, found: u64 },
}
