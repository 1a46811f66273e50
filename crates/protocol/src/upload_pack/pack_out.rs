//! The pack a fetch answers with, produced entry by entry (gitformat-pack; gitprotocol-pack
//! "Packfile Data"). Stored bytes are copied as they are: a whole object's zlib stream is sent
//! whole; a stored delta is sent as a delta when its base is in this pack (OFS_DELTA once the base
//! is written and `ofs-delta` was asked, else REF_DELTA) or, with `thin-pack`, when the client has
//! the base; otherwise the object is rebuilt and deflated. A delta's base in this pack is always
//! written before it.
//!
//! An entry's stored bytes are held once (read from the store whole) and go out in pieces of at
//! most [`PIECE`] bytes, one piece per [`PackStream::next_chunk`], so a large object is never
//! copied whole into the response buffers.

use super::graph::Graph;
use super::walk::Enumerated;
use super::error::{corrupt, Res};
use alloc::boxed::Box;
use alloc::vec::Vec;
use git_core::{ObjectId, ObjectKind};
use host_abi::{Store, StoredEncoding};
use pack::writer::{PackWriter, WriteError};
use pack::EntryKind;

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

/// Most stored bytes of an entry appended by one [`PackStream::next_chunk`] call.
pub const PIECE: usize = 64 * 1024;

/// Where the pack is: before its header, writing entries, after its trailer.
enum State {
    Header,
    /// Boxed: the writer (hash state, entry offsets) dwarfs the other states.
    Entries(Box<PackWriter>),
    Finished,
}

/// A pack being written. The format itself (header, entry headers, OFS_DELTA offsets, trailer) is
/// [`pack::writer::PackWriter`]'s; this decides what each entry is.
pub struct PackStream {
    /// What to send (`objects`, in order) and the client's objects (possible thin-pack bases),
    /// filled in place by [`super::walk::enumerate`] before the first chunk.
    pub objects: Enumerated,
    next: usize,
    /// Entries written → their offset (an entry of `order` not in it is not written yet).
    offsets: git_core::OidMap<u64>,
    thin: bool,
    ofs: bool,
    state: State,
    pending: Vec<ObjectId>,
    /// The open entry's stored bytes and how many of them were written (`None`: no entry open).
    sent: Option<usize>,
    raw: Vec<u8>,
    /// Counters.
    pub stats: PackStats,
}

impl PackStream {
    /// A pack of nothing yet: [`PackStream::objects`] is to be filled.
    pub fn new(thin: bool, ofs: bool) -> Self {
        PackStream {
            objects: Enumerated::default(),
            next: 0,
            offsets: git_core::OidMap::new(),
            thin,
            ofs,
            state: State::Header,
            pending: Vec::new(),
            sent: None,
            raw: Vec::new(),
            stats: PackStats::default(),
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.objects.objects.len()
    }

    /// True for a pack without entries.
    pub fn is_empty(&self) -> bool {
        self.objects.objects.is_empty()
    }

    /// True once the trailer was produced.
    pub fn is_finished(&self) -> bool {
        matches!(self.state, State::Finished)
    }

    /// Append the next piece of the pack (the header, an entry header and up to [`PIECE`] of its
    /// bytes, a further piece of an entry, or the trailer) to `out`. Returns `false` once the
    /// trailer has been written.
    /// An object sent whole after all (its stored delta's base is not sent) is rebuilt through
    /// `graph`'s reader and buffer, which the walks are done with by then.
    pub fn next_chunk<S: Store>(&mut self, store: &mut S, graph: &mut Graph, out: &mut Vec<u8>) -> Res<bool> {
        let writer = match &mut self.state {
            State::Header => {
                // The pack header counts entries in 32 bits (gitformat-pack).
                let count = u32::try_from(self.objects.objects.len())
                    .map_err(|_| WriteError::TooManyEntries { count: u32::MAX, index: u64::from(u32::MAX) })?;
                self.state = State::Entries(Box::new(PackWriter::new(count, false, out)));
                return Ok(true);
            }
            State::Entries(writer) => writer,
            State::Finished => return Ok(false),
        };
        // No entry open: the next one is begun (its header written, its stored bytes read).
        if self.sent.is_none() {
            if self.pending.is_empty() {
                while let Some(id) = self.objects.objects.as_slice().get(self.next) {
                    self.next += 1;
                    if !self.offsets.contains_key(id) {
                        self.pending.push(*id);
                        break;
                    }
                }
            }
            let Some(id) = self.pending.last().copied() else {
                if let State::Entries(writer) = core::mem::replace(&mut self.state, State::Finished) {
                    writer.finish(out)?;
                }
                return Ok(true);
            };
            let Some(h) = store.object_read(&id, &mut self.raw)? else {
                return Err(corrupt(&id, "object to send missing from the store"));
            };
            let (kind, size) = match h.encoding {
                StoredEncoding::Full => {
                    self.stats.reused += 1;
                    (EntryKind::Full(h.kind), h.size)
                }
                StoredEncoding::Delta { base } => {
                    let delta = match self.offsets.get(&base).copied() {
                        Some(base_offset) if self.ofs => Some(EntryKind::OfsDelta { base_offset }),
                        Some(_) => Some(EntryKind::RefDelta { base }),
                        None if self.objects.objects.contains(&base)
                            && (self.pending.len() as u64) < u64::from(graph.limits.max_delta_depth) =>
                        {
                            // Base in this pack but not written yet: write it first.
                            self.pending.push(base);
                            return Ok(true);
                        }
                        None if self.thin && self.objects.client_has.contains(&base) => Some(EntryKind::RefDelta { base }),
                        None => None,
                    };
                    match delta {
                        Some(kind) => {
                            self.stats.deltas += 1;
                            self.stats.reused += 1;
                            (kind, h.payload_size)
                        }
                        None => {
                            // Sent whole: rebuilt from its delta chain and deflated again.
                            let kind: ObjectKind = graph
                                .read(store, &id)?
                                .ok_or_else(|| corrupt(&id, "object to send missing from the store"))?;
                            self.raw.clear();
                            git_core::zlib::deflate_into(&graph.buf, git_core::zlib::DEFAULT_LEVEL, &mut self.raw);
                            (EntryKind::Full(kind), graph.buf.len() as u64)
                        }
                    }
                }
            };
            let offset = writer.begin_entry(&id, kind, size, out)?;
            crate::odb::release_large(&mut graph.buf);
            self.pending.pop();
            self.offsets.insert(id, offset);
            self.stats.total += 1;
        }
        // A piece of the open entry, from where the last one ended (the entry's start).
        let at = self.sent.unwrap_or(0);
        let end = at.saturating_add(PIECE).min(self.raw.len());
        writer.write_compressed(self.raw.get(at..end).unwrap_or_default(), out)?;
        if end < self.raw.len() {
            self.sent = Some(end);
        } else {
            writer.end_entry()?;
            self.sent = None;
            crate::odb::release_large(&mut self.raw);
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use host_abi::{MemStore, ObjectHeader};

    #[test]
    fn a_large_entry_goes_out_in_pieces() {
        let mut store = MemStore::new();
        // Incompressible content: its zlib stream spans several pieces.
        let mut data = Vec::new();
        let mut x: u32 = 1;
        for _ in 0..3 * PIECE {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            data.push((x >> 24) as u8);
        }
        let id = git_core::hash_object(ObjectKind::Blob, &data).expect("test");
        let z = git_core::zlib::deflate(&data, git_core::zlib::DEFAULT_LEVEL);
        let header = ObjectHeader {
            kind: ObjectKind::Blob,
            size: data.len() as u64,
            encoding: StoredEncoding::Full,
            payload_size: data.len() as u64,
            depth: 0,
        };
        store.object_write(&id, &header, &z).expect("test");
        let mut pack = PackStream::new(false, false);
        pack.objects.objects.insert(id);
        let mut graph = Graph::default();
        let (mut all, mut chunks) = (Vec::new(), 0);
        loop {
            let mut out = Vec::new();
            if !pack.next_chunk(&mut store, &mut graph, &mut out).map_err(|f| *f.0).expect("test") {
                break;
            }
            assert!(out.len() <= PIECE + 32, "a chunk holds at most one piece and an entry header");
            all.extend_from_slice(&out);
            chunks += 1;
        }
        assert!(pack.is_finished());
        // The pack header; the entry header with the first piece, then the further pieces; the
        // trailer.
        assert_eq!(chunks, 1 + z.len().div_ceil(PIECE) + 1);
        assert_eq!(&all[..4], b"PACK");
        let body = &all[12..all.len() - 20];
        assert!(body.ends_with(&z), "the stored zlib stream, whole and in order");
        assert_eq!((pack.stats.total, pack.stats.reused), (1, 1));
    }
}
