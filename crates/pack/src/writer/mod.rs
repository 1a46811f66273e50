//! A streaming pack writer (gitformat-pack): header, entries from already-compressed bytes (whole
//! objects, OFS_DELTA, REF_DELTA; nothing is recompressed), SHA-1 trailer. Output is appended to a
//! caller buffer piece by piece: an entry can be written whole, or as a header followed by its
//! compressed bytes in chunks, so a server can stream a large object without holding it twice.

mod error;

pub use error::WriteError;

use crate::idx::IdxEntry;
use crate::trailer::TrailerHash;
use crate::{encode_entry_header, encode_ofs_offset, EntryKind, OFS_DELTA, REF_DELTA};
use alloc::vec::Vec;
use git_core::{ObjectId, ObjectKind};

/// Whether ascending `sorted` holds `value` (a binary search without a generic instance of its
/// own in the Wasm module).
fn contains_sorted(sorted: &[u64], value: u64) -> bool {
    let (mut lo, mut hi) = (0, sorted.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match sorted.get(mid) {
            Some(&v) if v < value => lo = mid + 1,
            Some(&v) if v > value => hi = mid,
            found => return found.is_some(),
        }
    }
    false
}

/// What [`PackWriter::finish`] returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finished {
    /// The pack's SHA-1 trailer (also written to the output).
    pub checksum: [u8; 20],
    /// Total pack length in bytes.
    pub len: u64,
    /// (id, offset, crc32) of each entry, when recording was asked for.
    pub entries: Vec<IdxEntry>,
}

/// Writes one pack.
pub struct PackWriter {
    count: u32,
    written: u32,
    offset: u64,
    hash: TrailerHash,
    record: bool,
    entries: Vec<IdxEntry>,
    /// Entry offsets written, for OFS_DELTA checks; ascending (each entry is written past the last).
    offsets: Vec<u64>,
    /// The open entry: bytes written of it (`None`: no entry open), its id, offset and crc32.
    /// Fields of the writer rather than one `Option` of a struct: opening an entry then stores
    /// four fields instead of building and moving a struct.
    open: Option<u64>,
    open_id: ObjectId,
    open_offset: u64,
    crc: crate::crc::Crc32,
}

impl PackWriter {
    /// Starts a pack of `count` entries: appends the 12-byte header to `out`. With `record`, the
    /// writer keeps (id, offset, crc32) of each entry for an idx.
    pub fn new(count: u32, record: bool, out: &mut Vec<u8>) -> Self {
        // Signature, version 2, count.
        let [c0, c1, c2, c3] = count.to_be_bytes();
        let header = [b'P', b'A', b'C', b'K', 0, 0, 0, 2, c0, c1, c2, c3];
        let mut hash = TrailerHash::default();
        hash.update(&header);
        out.extend_from_slice(&header);
        PackWriter {
            count,
            written: 0,
            offset: header.len() as u64,
            hash,
            record,
            entries: Vec::new(),
            offsets: Vec::new(),
            open: None,
            open_id: ObjectId::ZERO_SHA1,
            open_offset: 0,
            crc: crate::crc::Crc32::new(),
        }
    }

    /// Offset the next entry will start at.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Writes the header of an entry and opens it; its compressed bytes follow with
    /// [`Self::write_compressed`] and it ends with [`Self::end_entry`]. `size` is the inflated size
    /// of the payload (object or delta). For `OfsDelta`, `base_offset` is the absolute offset of an
    /// entry already written. Returns the entry's offset.
    pub fn begin_entry(&mut self, id: &ObjectId, kind: EntryKind, size: u64, out: &mut Vec<u8>) -> Result<u64, WriteError> {
        if let Some(written) = self.open {
            return Err(WriteError::EntryOpen { written });
        }
        if self.written >= self.count {
            return Err(WriteError::TooManyEntries { count: self.count, index: u64::from(self.written) });
        }
        // The header is encoded straight into `out` (no buffer of its own), then hashed there.
        let start = out.len();
        match kind {
            EntryKind::Full(k) => encode_entry_header(k.number(), size, out),
            EntryKind::OfsDelta { base_offset } => {
                if base_offset >= self.offset || !contains_sorted(&self.offsets, base_offset) {
                    return Err(WriteError::BadBaseOffset { base_offset, offset: self.offset });
                }
                encode_entry_header(OFS_DELTA, size, out);
                encode_ofs_offset(self.offset - base_offset, out);
            }
            EntryKind::RefDelta { base } => {
                encode_entry_header(REF_DELTA, size, out);
                out.extend_from_slice(base.as_bytes());
            }
        }
        let header = out.get(start..).unwrap_or_default();
        // crc32s only for the idx being recorded (none on the way to a client).
        self.crc = crate::crc::Crc32::new();
        if self.record {
            self.crc.update(header);
        }
        self.hash.update(header);
        let offset = self.offset;
        self.offsets.push(offset);
        self.offset += header.len() as u64;
        self.open = Some(0);
        self.open_id = *id;
        self.open_offset = offset;
        Ok(offset)
    }

    /// Appends compressed bytes of the open entry.
    pub fn write_compressed(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), WriteError> {
        let written = self.open.as_mut().ok_or(WriteError::NoEntryOpen)?;
        *written += chunk.len() as u64;
        if self.record {
            self.crc.update(chunk);
        }
        self.hash.update(chunk);
        self.offset += chunk.len() as u64;
        out.extend_from_slice(chunk);
        Ok(())
    }

    /// Closes the open entry.
    pub fn end_entry(&mut self) -> Result<(), WriteError> {
        self.open.take().ok_or(WriteError::NoEntryOpen)?;
        self.written += 1;
        if self.record {
            self.entries.push(IdxEntry { id: self.open_id, offset: self.open_offset, crc32: self.crc.clone().finalize() });
        }
        Ok(())
    }

    /// A whole entry: header and compressed bytes. Returns its offset.
    pub fn write_entry(
        &mut self,
        id: ObjectId,
        kind: EntryKind,
        size: u64,
        compressed: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<u64, WriteError> {
        let offset = self.begin_entry(&id, kind, size, out)?;
        self.write_compressed(compressed, out)?;
        self.end_entry()?;
        Ok(offset)
    }

    /// A whole object: `compressed` is the zlib stream of its `size` bytes.
    pub fn write_full(&mut self, id: ObjectId, kind: ObjectKind, size: u64, compressed: &[u8], out: &mut Vec<u8>) -> Result<u64, WriteError> {
        self.write_entry(id, EntryKind::Full(kind), size, compressed, out)
    }

    /// An OFS_DELTA against the entry written at `base_offset`; `compressed` is the zlib stream of
    /// `delta_size` bytes of delta.
    pub fn write_ofs_delta(&mut self, id: ObjectId, base_offset: u64, delta_size: u64, compressed: &[u8], out: &mut Vec<u8>) -> Result<u64, WriteError> {
        self.write_entry(id, EntryKind::OfsDelta { base_offset }, delta_size, compressed, out)
    }

    /// A REF_DELTA against `base`.
    pub fn write_ref_delta(&mut self, id: ObjectId, base: ObjectId, delta_size: u64, compressed: &[u8], out: &mut Vec<u8>) -> Result<u64, WriteError> {
        self.write_entry(id, EntryKind::RefDelta { base }, delta_size, compressed, out)
    }

    /// Appends the trailer. Every declared entry must have been written.
    pub fn finish(self, out: &mut Vec<u8>) -> Result<Finished, WriteError> {
        if let Some(written) = self.open {
            return Err(WriteError::EntryOpen { written });
        }
        if self.written != self.count {
            return Err(WriteError::TooFewEntries { count: self.count, written: self.written });
        }
        let checksum = self.hash.finish();
        out.extend_from_slice(&checksum);
        Ok(Finished { checksum, len: self.offset + checksum.len() as u64, entries: self.entries })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_lookup() {
        let sorted = [12u64, 40, 41, 100, 7000];
        for v in 0..7100 {
            assert_eq!(contains_sorted(&sorted, v), sorted.binary_search(&v).is_ok(), "{v}");
        }
        assert!(!contains_sorted(&[], 0));
    }

    /// The open entry's state: bytes written so far in `EntryOpen`, crc32s of each entry recorded.
    #[test]
    fn open_entry_state() {
        let mut out = Vec::new();
        let mut w = PackWriter::new(2, true, &mut out);
        let (a, b) = (ObjectId::Sha1([1; 20]), ObjectId::Sha1([2; 20]));
        assert_eq!(w.write_compressed(b"x", &mut out), Err(WriteError::NoEntryOpen));
        assert_eq!(w.begin_entry(&a, EntryKind::Full(ObjectKind::Blob), 3, &mut out), Ok(12));
        w.write_compressed(b"xyz", &mut out).expect("open");
        assert_eq!(w.begin_entry(&b, EntryKind::Full(ObjectKind::Blob), 0, &mut out), Err(WriteError::EntryOpen { written: 3 }));
        w.end_entry().expect("open");
        assert_eq!(w.end_entry(), Err(WriteError::NoEntryOpen));
        w.write_full(b, ObjectKind::Blob, 0, b"", &mut out).expect("whole entry");
        let done = w.finish(&mut out).expect("finished");
        let crc = |bytes: &[u8]| {
            let mut c = crate::crc::Crc32::new();
            c.update(bytes);
            c.finalize()
        };
        assert_eq!(done.entries, [
            IdxEntry { id: a, offset: 12, crc32: crc(&out[12..16]) },
            IdxEntry { id: b, offset: 16, crc32: crc(&out[16..17]) },
        ]);
    }

    #[test]
    fn ofs_delta_bases_must_be_entries_written() {
        let mut out = Vec::new();
        let mut w = PackWriter::new(3, false, &mut out);
        let id = ObjectId::Sha1([1; 20]);
        let first = w.write_full(id, ObjectKind::Blob, 0, b"x", &mut out).expect("whole entry");
        assert_eq!(first, 12);
        let bad = w.write_ofs_delta(id, 13, 0, b"x", &mut out).expect_err("not an entry");
        assert_eq!(bad, WriteError::BadBaseOffset { base_offset: 13, offset: 14 });
        assert!(w.write_ofs_delta(id, 12, 0, b"x", &mut out).is_ok());
    }
}
