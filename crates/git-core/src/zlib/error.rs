//! The one error type of inflating.

/// A zlib stream could not be inflated to what its caller declared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InflateError {
    /// The deflate data is invalid (bad zlib header, bad block, distance too far back).
    Corrupt { inflated: u64 },
    /// The stream inflated completely but its adler32 trailer does not match.
    Checksum { inflated: u64 },
    /// More output than allowed.
    TooLong { limit: u64 },
    /// The stream ended with fewer bytes than declared.
    TooShort { got: u64, declared: u64 },
    /// The input ended before the zlib stream did.
    Truncated { consumed: u64, inflated: u64 },
    /// A declared size over the caller's allocation cap.
    OverCap { declared: u64, cap: u64 },
    /// The caller changed the output buffer between two calls of one stream.
    OutputChanged { expected: u64, found: u64 },
}

impl crate::msg::Describe for InflateError {
    fn describe(&self, m: &mut crate::msg::Msg<'_>) {
        match self {
            // The two of the same shape share one call sequence.
            InflateError::Corrupt { inflated } | InflateError::Checksum { inflated } => {
                let before = match self {
                    InflateError::Corrupt { .. } => "zlib stream is corrupt after ",
                    _ => "zlib stream's adler32 checksum does not match its ",
                };
                m.s(before).u(*inflated).s(" inflated bytes")
            }
            InflateError::TooLong { limit } => m.s("inflated past the declared ").u(*limit).s(" bytes"),
            InflateError::TooShort { got, declared } => {
                m.s("zlib stream ended after ").u(*got).s(" inflated bytes, declared ").u(*declared)
            }
            InflateError::Truncated { consumed, inflated } => m
                .s("zlib stream truncated: input ended after ")
                .u(*consumed)
                .s(" compressed bytes and ")
                .u(*inflated)
                .s(" inflated bytes"),
            InflateError::OverCap { declared, cap } => m
                .s("declared inflated size ")
                .u(*declared)
                .s(" bytes is over the limit of ")
                .u(*cap)
                .s(" bytes"),
            InflateError::OutputChanged { expected, found } => m
                .s("output buffer changed between calls: expected ")
                .u(*expected)
                .s(" bytes, found ")
                .u(*found),
        };
    }
}
crate::display_via_describe!(InflateError);
