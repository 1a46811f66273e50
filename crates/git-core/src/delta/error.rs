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

impl crate::msg::Describe for SizeField {
    fn describe(&self, m: &mut crate::msg::Msg<'_>) {
        m.s(match self {
            SizeField::Base => "base",
            SizeField::Result => "result",
        });
    }
}

crate::display_via_describe!(SizeField);

/// The end of the text of a size varint over 64 bits, here and in the pack parser's error: one
/// copy of it in the module.
pub static VARINT_OVERFLOW: &str = " size varint does not fit in 64 bits";

/// A delta that cannot be applied to the given base. Positions are byte offsets into the delta.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeltaError {
    TooShort { len: usize },
    HeaderTruncated { field: SizeField, len: usize },
    VarintOverflow { field: SizeField },
    BaseSizeMismatch { declared: u64, actual: u64 },
    ResultTooLarge { size: u64, limit: u64 },
    OutOfMemory { size: u64 },
    ReservedOpcode { pos: usize },
    CopyTruncated { pos: usize, needed: usize, left: usize },
    CopyOutOfBase { offset: u64, size: u64, base_len: u64 },
    InsertTruncated { pos: usize, size: usize, left: usize },
    ResultOverrun { pos: usize, size: u64, declared: u64 },
    ResultShort { got: u64, declared: u64 },
}

impl crate::msg::Describe for DeltaError {
    fn describe(&self, m: &mut crate::msg::Msg<'_>) {
        match self {
            DeltaError::TooShort { len } => {
                m.s("delta of ").u(*len as u64).s(" bytes is shorter than the minimum of 4 bytes")
            }
            DeltaError::HeaderTruncated { field, len } => m
                .s("delta header is truncated: the ")
                .d(field)
                .s(" size varint runs past the end of the ")
                .u(*len as u64)
                .s("-byte delta"),
            DeltaError::VarintOverflow { field } => {
                m.s("delta header ").d(field).s(VARINT_OVERFLOW)
            }
            // The two of the same shape share one call sequence.
            DeltaError::BaseSizeMismatch { declared: a, actual: b } | DeltaError::ResultTooLarge { size: a, limit: b } => {
                let (before, between) = match self {
                    DeltaError::BaseSizeMismatch { .. } => ("delta expects a base of ", " bytes, got "),
                    _ => ("delta result of ", " bytes exceeds the limit of "),
                };
                m.s(before).u(*a).s(between).u(*b).s(" bytes")
            }
            DeltaError::OutOfMemory { size } => m.s("cannot allocate ").u(*size).s(" bytes for the delta result"),
            DeltaError::ReservedOpcode { pos } => m.s("delta opcode 0x00 at byte ").u(*pos as u64).s(" is reserved"),
            DeltaError::CopyTruncated { pos, needed, left } => m
                .s("copy instruction at byte ")
                .u(*pos as u64)
                .s(" is truncated: it needs ")
                .u(*needed as u64)
                .s(" more bytes, ")
                .u(*left as u64)
                .s(" left"),
            DeltaError::CopyOutOfBase { offset, size, base_len } => m
                .s("copy of ")
                .u(*size)
                .s(" bytes at offset ")
                .u(*offset)
                .s(" runs past the base of ")
                .u(*base_len)
                .s(" bytes"),
            DeltaError::InsertTruncated { pos, size, left } => m
                .s("insert of ")
                .u(*size as u64)
                .s(" bytes at byte ")
                .u(*pos as u64)
                .s(" runs past the end of the delta (")
                .u(*left as u64)
                .s(" bytes left)"),
            DeltaError::ResultOverrun { pos, size, declared } => m
                .s("instruction at byte ")
                .u(*pos as u64)
                .s(" writes ")
                .u(*size)
                .s(" bytes past the declared result size of ")
                .u(*declared)
                .s(" bytes"),
            DeltaError::ResultShort { got, declared } => {
                m.s("delta produced ").u(*got).s(" bytes, its header declares ").u(*declared)
            }
        };
    }
}
crate::display_via_describe!(DeltaError);
