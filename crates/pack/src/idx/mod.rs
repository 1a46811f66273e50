//! Pack index version 2 (gitformat-pack "Version 2 pack-*.idx files support packs larger than
//! 4 GiB"): magic `\377tOc`, version 2, a 256-entry fan-out, sorted ids, crc32s, 4-byte offsets
//! (MSB set: index into the 8-byte large offset table), the pack checksum and the idx checksum.

mod error;
mod read;
mod write;

pub use error::IdxError;
pub use read::Idx;
pub use write::write_idx;

use git_core::ObjectId;

/// The idx v2 magic number.
pub const IDX_MAGIC: [u8; 4] = [0xff, b't', b'O', b'c'];

/// One object of a pack, as an index records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdxEntry {
    pub id: ObjectId,
    /// Offset of its entry in the pack.
    pub offset: u64,
    /// crc32 of its entry's bytes.
    pub crc32: u32,
}
