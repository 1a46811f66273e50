//! Reading idx v2: validated once, then lookups by id and iteration without copying.

use super::{IdxEntry, IdxError, IDX_MAGIC};
use crate::trailer::TrailerHash;
use git_core::ObjectId;

const FAN: usize = 8;
const IDS: usize = FAN + 1024;

/// A validated idx v2 over borrowed bytes.
#[derive(Clone, Copy, Debug)]
pub struct Idx<'a> {
    bytes: &'a [u8],
    count: u32,
    large_count: u64,
}

fn be32(b: &[u8], at: usize) -> u32 {
    let mut w = [0u8; 4];
    if let Some(s) = b.get(at..at + 4) {
        w.copy_from_slice(s);
    }
    u32::from_be_bytes(w)
}

fn be64(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    if let Some(s) = b.get(at..at + 8) {
        w.copy_from_slice(s);
    }
    u64::from_be_bytes(w)
}

impl<'a> Idx<'a> {
    /// Validates magic, version, fan-out, size, id order, large offset references and checksum.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, IdxError> {
        let min = IDS + 40;
        if bytes.len() < min {
            return Err(IdxError::TooShort { len: bytes.len(), min });
        }
        let magic = [bytes[0], bytes[1], bytes[2], bytes[3]];
        if magic != IDX_MAGIC {
            return Err(IdxError::Magic { got: magic });
        }
        let version = be32(bytes, 4);
        if version != 2 {
            return Err(IdxError::Version { version });
        }
        let mut previous = 0u32;
        for index in 0..256 {
            let value = be32(bytes, FAN + 4 * index);
            if value < previous {
                return Err(IdxError::FanOut { index, value, previous });
            }
            previous = value;
        }
        let count = previous;
        let base = (IDS as u64) + u64::from(count) * 28 + 40;
        let len = bytes.len() as u64;
        if len < base || (len - base) % 8 != 0 {
            return Err(IdxError::Size { count, expected: base, len: bytes.len() });
        }
        let idx = Idx { bytes, count, large_count: (len - base) / 8 };
        for i in 0..count {
            let pos = i as usize;
            if i > 0 && idx.id_bytes(pos - 1) >= idx.id_bytes(pos) {
                return Err(IdxError::Unsorted { index: i });
            }
            let fan_slot = idx.id_bytes(pos).first().copied().unwrap_or(0) as usize;
            let below = if fan_slot == 0 { 0 } else { be32(bytes, FAN + 4 * (fan_slot - 1)) };
            let upto = be32(bytes, FAN + 4 * fan_slot);
            if i < below || i >= upto {
                return Err(IdxError::FanOut { index: fan_slot, value: upto, previous: below });
            }
            let raw = idx.raw_offset(pos);
            if raw & 0x8000_0000 != 0 && u64::from(raw & 0x7fff_ffff) >= idx.large_count {
                return Err(IdxError::LargeOffset { index: i, large: raw & 0x7fff_ffff, count: idx.large_count });
            }
        }
        let body = bytes.len() - 20;
        let mut hash = TrailerHash::default();
        hash.update(&bytes[..body]);
        let expected = hash.finish();
        let mut got = [0u8; 20];
        got.copy_from_slice(&bytes[body..]);
        if got != expected {
            return Err(IdxError::Checksum { got, expected });
        }
        Ok(idx)
    }

    /// Number of objects.
    pub fn len(&self) -> u32 {
        self.count
    }

    /// True for an index of no objects.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The checksum of the pack this index describes.
    pub fn pack_checksum(&self) -> [u8; 20] {
        let mut c = [0u8; 20];
        let at = self.bytes.len().saturating_sub(40);
        if let Some(s) = self.bytes.get(at..at + 20) {
            c.copy_from_slice(s);
        }
        c
    }

    fn id_bytes(&self, pos: usize) -> &'a [u8] {
        let at = IDS + 20 * pos;
        self.bytes.get(at..at + 20).unwrap_or_default()
    }

    fn raw_offset(&self, pos: usize) -> u32 {
        be32(self.bytes, IDS + 24 * self.count as usize + 4 * pos)
    }

    /// The entry at sorted position `pos`.
    pub fn entry(&self, pos: u32) -> Option<IdxEntry> {
        if pos >= self.count {
            return None;
        }
        let p = pos as usize;
        let id = ObjectId::from_bytes(self.id_bytes(p)).ok()?;
        let crc32 = be32(self.bytes, IDS + 20 * self.count as usize + 4 * p);
        let raw = self.raw_offset(p);
        let offset = if raw & 0x8000_0000 != 0 {
            let large_at = IDS + 28 * self.count as usize + 8 * (raw & 0x7fff_ffff) as usize;
            be64(self.bytes, large_at)
        } else {
            u64::from(raw)
        };
        Some(IdxEntry { id, offset, crc32 })
    }

    /// Looks `id` up (binary search within its fan-out slot).
    pub fn lookup(&self, id: &ObjectId) -> Option<IdxEntry> {
        let first = usize::from(id.first_byte());
        let mut lo = if first == 0 { 0 } else { be32(self.bytes, FAN + 4 * (first - 1)) };
        let mut hi = be32(self.bytes, FAN + 4 * first);
        let want = id.as_bytes();
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.id_bytes(mid as usize).cmp(want) {
                core::cmp::Ordering::Less => lo = mid + 1,
                core::cmp::Ordering::Greater => hi = mid,
                core::cmp::Ordering::Equal => return self.entry(mid),
            }
        }
        None
    }

    /// All entries in id order.
    pub fn iter(&self) -> impl Iterator<Item = IdxEntry> + 'a {
        let me = *self;
        (0..self.count).filter_map(move |p| me.entry(p))
    }
}
