//! A resolved object as the resolver hands it out.

use alloc::sync::Arc;
use alloc::vec::Vec;
use git_core::{ObjectId, ObjectKind};

/// How the entry carried the object, i.e. how it can be stored and served again
/// (host-abi `StoredEncoding`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Representation {
    /// A whole object: `compressed` inflates to the object's contents.
    Full,
    /// A delta against `base` (an OFS_DELTA's base offset already turned into an id):
    /// `compressed` inflates to `delta_size` bytes of delta instructions.
    Delta { base: ObjectId, delta_size: u64 },
}

/// One object of the pack with its id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub id: ObjectId,
    pub kind: ObjectKind,
    /// Offset of its entry in the pack.
    pub offset: u64,
    /// crc32 of its entry (idx v2; 0 from a parser that keeps none).
    pub crc32: u32,
    /// The object's contents (`data.len()` is its size), shared with the resolver's cache of
    /// recent objects (possible delta bases) rather than copied.
    pub data: Arc<Vec<u8>>,
    /// The entry's zlib stream as received.
    pub compressed: Vec<u8>,
    /// Whole or delta.
    pub representation: Representation,
    /// Delta chain length: 0 for a whole object, base depth + 1 for a delta.
    pub depth: u32,
}

impl Resolved {
    /// The object's size.
    pub fn size(&self) -> u64 {
        self.data.len() as u64
    }
}
