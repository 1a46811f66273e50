//! Misuse of the pack writer.

/// The entries written do not make a valid pack.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    #[error("pack header declared {count} entries; entry {index} is one too many")]
    TooManyEntries { count: u32, index: u64 },
    #[error("pack header declared {count} entries, {written} were written")]
    TooFewEntries { count: u32, written: u32 },
    #[error("OFS_DELTA base offset {base_offset} is not an entry written before offset {offset}")]
    BadBaseOffset { base_offset: u64, offset: u64 },
    #[error("an entry is still open: {written} of its compressed bytes were written")]
    EntryOpen { written: u64 },
    #[error("no entry is open")]
    NoEntryOpen,
}
