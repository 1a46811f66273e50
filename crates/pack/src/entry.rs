//! What the parser reports: the pack header, entries, the trailer (gitformat-pack).

use alloc::vec::Vec;
use git_core::{ObjectId, ObjectKind};

/// An entry's type (gitformat-pack "Object types").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// A whole object of this kind (types 1-4).
    Full(ObjectKind),
    /// Type 6: a delta against the entry at this absolute offset, earlier in the pack.
    OfsDelta { base_offset: u64 },
    /// Type 7: a delta against the object with this id (in the pack, or elsewhere for thin packs).
    RefDelta { base: ObjectId },
}

impl EntryKind {
    /// The type number of the entry header.
    pub fn type_number(&self) -> u8 {
        match self {
            EntryKind::Full(kind) => kind.number(),
            EntryKind::OfsDelta { .. } => crate::OFS_DELTA,
            EntryKind::RefDelta { .. } => crate::REF_DELTA,
        }
    }
    /// True for OFS_DELTA and REF_DELTA.
    pub fn is_delta(&self) -> bool {
        !matches!(self, EntryKind::Full(_))
    }
}

/// One pack entry, inflated, with the bytes it arrived as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Offset of the entry's first header byte from the start of the pack.
    pub offset: u64,
    /// Length of the entry header: type and size varint, plus the OFS offset or REF base id.
    pub header_len: u32,
    /// The entry's type.
    pub kind: EntryKind,
    /// The inflated size the header declared (and `data` has): the object's size for a full entry,
    /// the delta's size for a delta.
    pub size: u64,
    /// The inflated payload: object contents or delta instructions.
    pub data: Vec<u8>,
    /// The entry's zlib stream exactly as it appeared in the pack.
    pub compressed: Vec<u8>,
    /// crc32 of the whole entry: header, base reference and compressed bytes (what idx v2 stores);
    /// 0 from a parser that keeps none ([`crate::NoCrc32`]).
    pub crc32: u32,
}

impl Entry {
    /// Bytes the entry takes in the pack.
    pub fn pack_len(&self) -> u64 {
        u64::from(self.header_len).saturating_add(self.compressed.len() as u64)
    }
}

/// What the parser produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// The 12-byte pack header was read. Versions 2 and 3 are accepted (they are the same format).
    Header { version: u32, count: u32 },
    /// One entry.
    Entry(Entry),
    /// The trailer matched the SHA-1 of the pack; nothing may follow.
    End { checksum: [u8; 20] },
}
