//! Why entries could not be turned into objects.

use alloc::string::String;
use git_core::delta::DeltaError;
use git_core::{CollisionError, ObjectId};

/// Delta resolution failed (gitformat-pack "Deltified representation"; git's `index-pack` checks).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("OFS_DELTA at offset {offset} names base offset {base_offset}, where no entry starts")]
    NoEntryAtOffset { offset: u64, base_offset: u64 },
    #[error("delta at offset {offset} does not apply to base {base}: {source}")]
    Delta { offset: u64, base: ObjectId, source: DeltaError },
    #[error("entry at offset {offset}: {source}")]
    Collision { offset: u64, source: CollisionError },
    #[error("object {id} at offset {offset} appears again with different contents (SHA-1 collision)")]
    DuplicateMismatch { id: ObjectId, offset: u64 },
    #[error("delta at offset {offset} reproduces object {id} already in the pack")]
    DeltaReproduces { id: ObjectId, offset: u64 },
    #[error("deltas waiting for their bases hold {bytes} bytes, limit {limit}")]
    PendingTooLarge { bytes: u64, limit: u64 },
    #[error("pack has {count} unresolved deltas; the first, at offset {offset}, needs base {base}")]
    UnresolvedDeltas { count: u64, offset: u64, base: String },
    #[error("reading base {id} from the caller failed: {message}")]
    Source { id: ObjectId, message: String },
    #[error("base {id} of the delta at offset {offset} was resolved but the caller no longer has it")]
    BaseVanished { id: ObjectId, offset: u64 },
    #[error("finish called with {count} entries not yet polled")]
    NotDrained { count: u64 },
}
