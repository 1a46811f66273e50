//! Writing idx v2, byte for byte as `git index-pack` does for the same pack.

use super::{IdxEntry, IDX_MAGIC};
use crate::trailer::TrailerHash;
use alloc::vec::Vec;

/// Offsets from 2^31 up go to the large offset table (git's `need_large_offset`).
const LARGE: u64 = 0x8000_0000;

/// Appends the idx v2 of a pack with these entries (sorted here by id) and `pack_checksum` to `out`.
pub fn write_idx(entries: &mut [IdxEntry], pack_checksum: &[u8; 20], out: &mut Vec<u8>) {
    entries.sort_by_key(|e| e.id);
    let start = out.len();
    out.reserve(8 + 1024 + entries.len() * 28 + 40);
    out.extend_from_slice(&IDX_MAGIC);
    out.extend_from_slice(&2u32.to_be_bytes());
    let mut fan = [0u32; 256];
    for e in entries.iter() {
        fan[usize::from(e.id.first_byte())] += 1;
    }
    let mut total = 0u32;
    for n in fan {
        total = total.wrapping_add(n);
        out.extend_from_slice(&total.to_be_bytes());
    }
    for e in entries.iter() {
        out.extend_from_slice(e.id.as_bytes());
    }
    for e in entries.iter() {
        out.extend_from_slice(&e.crc32.to_be_bytes());
    }
    let mut large = Vec::new();
    for e in entries.iter() {
        if e.offset >= LARGE {
            let index = (large.len() as u32) | 0x8000_0000;
            large.push(e.offset);
            out.extend_from_slice(&index.to_be_bytes());
        } else {
            out.extend_from_slice(&(e.offset as u32).to_be_bytes());
        }
    }
    for offset in large {
        out.extend_from_slice(&offset.to_be_bytes());
    }
    out.extend_from_slice(pack_checksum);
    let mut hash = TrailerHash::default();
    hash.update(out.get(start..).unwrap_or_default());
    out.extend_from_slice(&hash.finish());
}
