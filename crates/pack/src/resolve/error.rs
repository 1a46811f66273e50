//! Why entries could not be turned into objects.

use alloc::string::String;
use git_core::delta::DeltaError;
use git_core::{CollisionError, ObjectId};

/// Delta resolution failed (gitformat-pack "Deltified representation"; git's `index-pack` checks).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    NoEntryAtOffset { offset: u64, base_offset: u64 },
    Delta { offset: u64, base: ObjectId, source: DeltaError },
    Collision { offset: u64, source: CollisionError },
    DuplicateMismatch { id: ObjectId, offset: u64 },
    DeltaReproduces { id: ObjectId, offset: u64 },
    PendingTooLarge { bytes: u64, limit: u64 },
    UnresolvedDeltas { count: u64, offset: u64, base: String },
    Source { id: ObjectId, message: String },
    BaseVanished { id: ObjectId, offset: u64 },
    NotDrained { count: u64 },
}

impl git_core::msg::Describe for ResolveError {
    fn describe(&self, m: &mut git_core::msg::Msg<'_>) {
        match self {
            // The two of the same shape (two numbers) share one call sequence.
            ResolveError::NoEntryAtOffset { offset: a, base_offset: b }
            | ResolveError::PendingTooLarge { bytes: a, limit: b } => {
                let (before, between, after) = match self {
                    ResolveError::NoEntryAtOffset { .. } => {
                        ("OFS_DELTA at offset ", " names base offset ", ", where no entry starts")
                    }
                    _ => ("deltas waiting for their bases hold ", " bytes, limit ", ""),
                };
                m.s(before).u(*a).s(between).u(*b).s(after)
            }
            ResolveError::Delta { offset, base, source } => m
                .s("delta at offset ")
                .u(*offset)
                .s(" does not apply to base ")
                .id(base)
                .s(": ")
                .d(source),
            ResolveError::Collision { offset, source } => m.s("entry at offset ").u(*offset).s(": ").d(source),
            // The two of the same shape share one call sequence.
            ResolveError::DuplicateMismatch { id, offset } | ResolveError::BaseVanished { id, offset } => {
                let (before, between, after) = match self {
                    ResolveError::DuplicateMismatch { .. } => {
                        ("object ", " at offset ", " appears again with different contents (SHA-1 collision)")
                    }
                    _ => ("base ", " of the delta at offset ", " was resolved but the caller no longer has it"),
                };
                m.s(before).id(id).s(between).u(*offset).s(after)
            }
            ResolveError::DeltaReproduces { id, offset } => m
                .s("delta at offset ")
                .u(*offset)
                .s(" reproduces object ")
                .id(id)
                .s(" already in the pack"),
            ResolveError::UnresolvedDeltas { count, offset, base } => m
                .s("pack has ")
                .u(*count)
                .s(" unresolved deltas; the first, at offset ")
                .u(*offset)
                .s(", needs base ")
                .s(base),
            ResolveError::Source { id, message } => {
                m.s("reading base ").id(id).s(" from the caller failed: ").s(message)
            }
            ResolveError::NotDrained { count } => m.s("finish called with ").u(*count).s(" entries not yet polled"),
        };
    }
}
git_core::display_via_describe!(ResolveError);
