//! The pack a fetch answers with, produced entry by entry (gitformat-pack; gitprotocol-pack
//! "Packfile Data"). Stored bytes are copied as they are: a whole object's zlib stream is sent
//! whole; a stored delta is sent as a delta when its base is in this pack (OFS_DELTA once the base
//! is written and `ofs-delta` was asked, else REF_DELTA) or, with `thin-pack`, when the client has
//! the base; otherwise the object is rebuilt and deflated. A delta's base in this pack is always
//! written before it.

use crate::odb::{ObjectReader, ReadLimits};
use crate::service::ExchangeError;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;
use git_core::{Hasher, ObjectId, ObjectKind};
use host_abi::{Store, StoredEncoding};

const OFS_DELTA: u8 = 6;
const REF_DELTA: u8 = 7;

/// Counters for the closing "Total" progress line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PackStats {
    /// Entries written.
    pub total: u64,
    /// Entries written as deltas.
    pub deltas: u64,
    /// Entries copied from storage without re-compression.
    pub reused: u64,
}

/// A pack being written.
pub struct PackStream {
    order: Vec<ObjectId>,
    next: usize,
    /// Objects in this pack → offset once written.
    offsets: BTreeMap<ObjectId, Option<u64>>,
    client_has: BTreeSet<ObjectId>,
    thin: bool,
    ofs: bool,
    offset: u64,
    hasher: Hasher,
    started: bool,
    finished: bool,
    pending: Vec<ObjectId>,
    raw: Vec<u8>,
    whole: Vec<u8>,
    reader: ObjectReader,
    limits: ReadLimits,
    /// Counters.
    pub stats: PackStats,
}

/// Pack entry header: type and inflated size (gitformat-pack "Object entries").
fn entry_header(out: &mut Vec<u8>, kind: u8, size: u64) {
    let mut size = size;
    let mut b = (kind << 4) | (size & 15) as u8;
    size >>= 4;
    while size > 0 {
        out.push(b | 0x80);
        b = (size & 0x7f) as u8;
        size >>= 7;
    }
    out.push(b);
}

/// OFS_DELTA negative offset encoding (gitformat-pack "offset encoding").
fn ofs_encode(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 10];
    let mut pos = buf.len() - 1;
    buf[pos] = (n & 0x7f) as u8;
    n >>= 7;
    while n > 0 && pos > 0 {
        n -= 1;
        pos -= 1;
        buf[pos] = 0x80 | (n & 0x7f) as u8;
        n >>= 7;
    }
    out.extend_from_slice(&buf[pos..]);
}

impl PackStream {
    /// A pack of `order` (each id once). `client_has` are possible thin-pack bases.
    pub fn new(order: Vec<ObjectId>, client_has: BTreeSet<ObjectId>, thin: bool, ofs: bool) -> Self {
        let offsets = order.iter().map(|id| (*id, None)).collect();
        PackStream {
            order,
            next: 0,
            offsets,
            client_has,
            thin,
            ofs,
            offset: 0,
            hasher: Hasher::new(),
            started: false,
            finished: false,
            pending: Vec::new(),
            raw: Vec::new(),
            whole: Vec::new(),
            reader: ObjectReader::default(),
            limits: ReadLimits::default(),
            stats: PackStats::default(),
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// True for a pack without entries.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// True once the trailer was produced.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    fn emit(&mut self, out: &[u8], start: usize) {
        let bytes = out.get(start..).unwrap_or(&[]);
        self.hasher.update(bytes);
        self.offset += bytes.len() as u64;
    }

    /// Append the next piece of the pack (the header, one entry, or the trailer) to `out`.
    /// Returns `false` once the trailer has been written.
    pub fn next_chunk<S: Store>(&mut self, store: &mut S, out: &mut Vec<u8>) -> Result<bool, ExchangeError> {
        let start = out.len();
        if !self.started {
            self.started = true;
            out.extend_from_slice(b"PACK\0\0\0\x02");
            out.extend_from_slice(&(self.order.len() as u32).to_be_bytes());
            self.emit(out, start);
            return Ok(true);
        }
        if self.pending.is_empty() {
            while let Some(id) = self.order.get(self.next).copied() {
                self.next += 1;
                if self.offsets.get(&id).is_some_and(Option::is_none) {
                    self.pending.push(id);
                    break;
                }
            }
        }
        let Some(id) = self.pending.last().copied() else {
            if self.finished {
                return Ok(false);
            }
            self.finished = true;
            let hasher = core::mem::take(&mut self.hasher);
            let sum = hasher
                .finish()
                .map_err(|_| ExchangeError::Corrupt { id: ObjectId::ZERO_SHA1, what: "pack checksum collision" })?;
            out.extend_from_slice(sum.as_bytes());
            return Ok(true);
        };
        let Some(h) = store.object_read(&id, &mut self.raw)? else {
            return Err(ExchangeError::Corrupt { id, what: "object to send missing from the store" });
        };
        let here = self.offset;
        match h.encoding {
            StoredEncoding::Full => {
                entry_header(out, h.kind.number(), h.size);
                out.extend_from_slice(&self.raw);
                self.stats.reused += 1;
            }
            StoredEncoding::Delta { base } => match self.offsets.get(&base).copied() {
                Some(None) if (self.pending.len() as u64) < u64::from(self.limits.max_delta_depth) => {
                    // Base in this pack but not written yet: write it first.
                    self.pending.push(base);
                    return Ok(true);
                }
                Some(Some(base_at)) if self.ofs => {
                    entry_header(out, OFS_DELTA, h.payload_size);
                    ofs_encode(out, here - base_at);
                    out.extend_from_slice(&self.raw);
                    self.stats.deltas += 1;
                    self.stats.reused += 1;
                }
                Some(Some(_)) => self.ref_delta(out, &base, h.payload_size),
                _ if self.thin && self.client_has.contains(&base) => self.ref_delta(out, &base, h.payload_size),
                _ => {
                    let kind: ObjectKind = self
                        .reader
                        .read(store, &id, &self.limits, &mut self.whole)?
                        .ok_or(ExchangeError::Corrupt { id, what: "object to send missing from the store" })?;
                    entry_header(out, kind.number(), self.whole.len() as u64);
                    git_core::zlib::deflate_into(&self.whole, git_core::zlib::DEFAULT_LEVEL, out);
                }
            },
        }
        self.pending.pop();
        self.offsets.insert(id, Some(here));
        self.stats.total += 1;
        self.emit(out, start);
        Ok(true)
    }

    fn ref_delta(&mut self, out: &mut Vec<u8>, base: &ObjectId, payload: u64) {
        entry_header(out, REF_DELTA, payload);
        out.extend_from_slice(base.as_bytes());
        out.extend_from_slice(&self.raw);
        self.stats.deltas += 1;
        self.stats.reused += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        let mut v = Vec::new();
        entry_header(&mut v, 3, 15);
        assert_eq!(v, [0x3f]);
        v.clear();
        entry_header(&mut v, 1, 100);
        assert_eq!(v, [0x80 | 0x10 | 4, 6]);
        v.clear();
        ofs_encode(&mut v, 127);
        assert_eq!(v, [127]);
        v.clear();
        ofs_encode(&mut v, 128);
        assert_eq!(v, [0x80, 0]);
    }
}
