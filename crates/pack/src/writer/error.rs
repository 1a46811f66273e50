//! Misuse of the pack writer.

/// The entries written do not make a valid pack.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    TooManyEntries { count: u32, index: u64 },
    TooFewEntries { count: u32, written: u32 },
    BadBaseOffset { base_offset: u64, offset: u64 },
    EntryOpen { written: u64 },
    NoEntryOpen,
}

impl git_core::msg::Describe for WriteError {
    fn describe(&self, m: &mut git_core::msg::Msg<'_>) {
        match self {
            WriteError::TooManyEntries { count, index } => m
                .s("pack header declared ")
                .u(u64::from(*count))
                .s(" entries; entry ")
                .u(*index)
                .s(" is one too many"),
            WriteError::TooFewEntries { count, written } => m
                .s("pack header declared ")
                .u(u64::from(*count))
                .s(" entries, ")
                .u(u64::from(*written))
                .s(" were written"),
            WriteError::BadBaseOffset { base_offset, offset } => m
                .s("OFS_DELTA base offset ")
                .u(*base_offset)
                .s(" is not an entry written before offset ")
                .u(*offset),
            WriteError::EntryOpen { written } => {
                m.s("an entry is still open: ").u(*written).s(" of its compressed bytes were written")
            }
            WriteError::NoEntryOpen => m.s("no entry is open"),
        };
    }
}
git_core::display_via_describe!(WriteError);
