//! Packs (gitformat-pack): a sans-I/O streaming parser, delta resolution against the pack and the
//! store, a streaming pack writer and an idx v2 writer/reader.
//!
//! * [`parser::PackParser`] turns bytes, in any chunking, into [`Event`]s: the header, each entry
//!   inflated with its exact compressed bytes and crc32, and the verified trailer.
//! * [`resolve::Resolver`] turns entries into objects with ids, resolving OFS_DELTA and REF_DELTA
//!   (bases earlier or later in the pack, or outside it: thin packs) without recursion, with bounded
//!   memory, asking the caller for bases it no longer holds.
//! * [`writer::PackWriter`] writes a pack from already-compressed entries.
//! * [`idx`] writes and reads pack index version 2.
#![no_std]
#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used)]

extern crate alloc;
#[cfg(test)]
extern crate std;

mod crc;
mod entry;
mod entry_header;
pub mod idx;
pub mod parser;
pub mod resolve;
mod trailer;
pub mod writer;

pub use crc::{crc32, BitCrc32, Crc32, EntryCrc, NoCrc32, SmallCrc32};
pub use entry::{Entry, EntryKind, Event};
pub use entry_header::{encode_entry_header, encode_ofs_offset, MAX_ENTRY_HEADER_LEN};
pub use trailer::TRAILER_LEN;

/// The first four bytes of every pack (gitformat-pack "pack-*.pack files have the following format").
pub const PACK_SIGNATURE: [u8; 4] = *b"PACK";
/// Length of the pack header: signature, version, object count.
pub const PACK_HEADER_LEN: usize = 12;
/// Entry type number of an OFS_DELTA (gitformat-pack "Object types").
pub const OFS_DELTA: u8 = 6;
/// Entry type number of a REF_DELTA.
pub const REF_DELTA: u8 = 7;
