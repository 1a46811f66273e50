//! Receiving the pack (gitprotocol-pack "Packfile Data"; what git's `index-pack --strict` does for
//! receive-pack): bytes are parsed as they arrive, deltas resolved (bases earlier or later in the
//! pack, or in the store for thin packs), every new object checked by fsck and written to the store
//! as it arrived — whole, or as a delta against its base id — so memory stays bounded by the
//! resolver's cache, not by the pack.
//!
//! An incoming object whose id is already stored is not written again; its contents must be
//! identical (git: "SHA1 COLLISION FOUND"). After the last byte, [`Unpacker::finish`] runs fsck's
//! second pass (`.gitmodules`/`.gitattributes` blobs named by trees) and the connectivity check:
//! every id named by a new object is in the store. The store then holds only closed sets of
//! objects: a failed push deletes what it wrote ([`Unpacker::rollback`]).

use super::error::{UnpackError, UnpackFailure};
use super::fsck::Fsck;
use super::source::StoreSource;
use crate::odb::{ObjectReader, ReadLimits};
use alloc::vec::Vec;
use git_core::ObjectId;
use host_abi::{ObjectHeader, Store, StoredEncoding};
use pack::parser::{PackParser, ParserOptions};
use pack::resolve::{Representation, Resolved, Resolver, ResolverOptions, Summary};
use pack::Event;

/// Caps on a received pack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnpackLimits {
    /// Largest object or delta, inflated.
    pub max_object_size: u64,
    /// Objects in one pack.
    pub max_objects: u64,
    /// Longest delta chain stored; a longer one is stored whole (re-deflated) instead.
    pub max_stored_depth: u32,
    /// The resolver's cache of recent objects, in bytes.
    pub cache_bytes: usize,
    /// Deltas waiting for a base later in the pack, in bytes.
    pub max_pending_bytes: u64,
}

impl Default for UnpackLimits {
    fn default() -> Self {
        UnpackLimits {
            max_object_size: pack::parser::DEFAULT_MAX_OBJECT_SIZE,
            max_objects: 10_000_000,
            max_stored_depth: 50,
            cache_bytes: 32 << 20,
            max_pending_bytes: 256 << 20,
        }
    }
}

/// The streaming unpacker of one push.
pub struct Unpacker {
    limits: UnpackLimits,
    /// Keeps no crc32s: nothing here writes an idx.
    parser: PackParser<git_core::zlib::Inflater, pack::NoCrc32>,
    resolver: Resolver,
    reader: ObjectReader,
    fsck: Fsck,
    /// How stored objects are read back (the resolver's bases, collision checks, special blobs).
    read_limits: ReadLimits,
    /// Objects this push stored that were not stored before (deleted again on failure). The only
    /// state that grows with the pack: 20 bytes per object, bounded by `max_objects`, as git's
    /// index-pack keeps an entry per object; it does not grow with what the repository held before.
    written: Vec<ObjectId>,
    scratch: Vec<u8>,
}

/// What a completed pack brought.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Unpacked {
    /// The resolver's counts.
    pub summary: Summary,
    /// Objects newly stored.
    pub written: u64,
    /// Bytes of pack received.
    pub bytes: u64,
}

/// [`UnpackFailure::Read`] of `id`.
#[cold]
#[inline(never)]
pub(super) fn read_failed(id: ObjectId, e: &dyn git_core::msg::Describe) -> UnpackError {
    UnpackFailure::Read { id, message: git_core::msg::render(e) }.into()
}

/// [`UnpackFailure::Fsck`] of `id`.
#[cold]
#[inline(never)]
pub(super) fn fsck_failed(id: ObjectId, e: &dyn git_core::msg::Describe) -> UnpackError {
    UnpackFailure::Fsck { id, message: git_core::msg::render(e) }.into()
}

impl Unpacker {
    /// An unpacker with these caps.
    #[inline(always)]
    pub fn new(limits: UnpackLimits) -> Self {
        Unpacker {
            limits,
            parser: PackParser::with_inflater(
                ParserOptions { max_object_size: limits.max_object_size },
                git_core::zlib::Inflater::new(),
            ),
            resolver: Resolver::new(ResolverOptions {
                max_object_size: limits.max_object_size,
                cache_bytes: limits.cache_bytes,
                max_pending_bytes: limits.max_pending_bytes,
            }),
            reader: ObjectReader::default(),
            fsck: Fsck::default(),
            read_limits: ReadLimits { max_object_size: limits.max_object_size, ..ReadLimits::default() },
            written: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// Pack bytes, in any chunking. Every event is handled, and every object the resolver can
    /// produce stored, before this returns: after `Ok`, nothing waits but deltas whose base has
    /// not come. Inlined into its one caller (receive-pack's `feed_pack`).
    #[inline]
    pub fn handle_bytes<S: Store>(&mut self, store: &mut S, mut data: &[u8]) -> Result<(), UnpackError> {
        loop {
            let used = self.parser.handle_bytes(data)?;
            data = data.get(used..).unwrap_or(&[]);
            // The parser holds at most one event: it stops consuming while one waits.
            let event = self.parser.poll_event();
            let stalled = used == 0 && event.is_none();
            if let Some(event) = event {
                match event {
                    Event::Header { count, .. } => {
                        if u64::from(count) > self.limits.max_objects {
                            let limit = self.limits.max_objects;
                            return Err(UnpackFailure::TooManyObjects { got: count.into(), limit }.into());
                        }
                    }
                    Event::Entry(entry) => {
                        self.resolver.handle_entry(entry);
                        self.drain(store)?;
                    }
                    Event::End { .. } => {}
                }
            }
            if data.is_empty() {
                return Ok(());
            }
            if stalled {
                return Err(UnpackFailure::Stalled { offset: self.parser.offset() }.into());
            }
        }
    }

    /// Hand every object the resolver can produce to the store.
    #[inline(always)]
    fn drain<S: Store>(&mut self, store: &mut S) -> Result<(), UnpackError> {
        // One slot the resolver writes each object into (the previous one dropped there first).
        let mut slot = None;
        loop {
            let limits = self.read_limits;
            let mut source = StoreSource { store: &mut *store, reader: &mut self.reader, limits };
            self.resolver.poll_object_into(&mut source, &mut slot)?;
            let Some(object) = &slot else { return Ok(()) };
            self.accept(store, object)?;
        }
    }

    /// Check and store one resolved object.
    fn accept<S: Store>(&mut self, store: &mut S, object: &Resolved) -> Result<(), UnpackError> {
        if store.object_header(&object.id)?.is_some() {
            // A read as large as the resolver's read-backs: without the resolver's large object.
            self.resolver.release_large();
            let same = self
                .reader
                .read(store, &object.id, &self.read_limits, &mut self.scratch)
                .map_err(|e| read_failed(object.id, &e))?
                .is_some_and(|kind| kind == object.kind && self.scratch == *object.data);
            crate::odb::release_large(&mut self.scratch);
            if !same {
                return Err(UnpackFailure::Collision(object.id).into());
            }
            // Already stored (and checked when it was): only its special-file role may matter.
            return Ok(());
        }
        // fsck also gathers the ids the object names (checked for presence at the end).
        self.fsck.check(object.kind, &object.data).map_err(|e| fsck_failed(object.id, &e))?;
        let size = object.data.len() as u64;
        // The bytes stored: the entry's stream as received, or (`rewritten`) in `scratch`.
        let mut rewritten = false;
        let (encoding, payload_size, depth) = match object.representation {
            Representation::Full => (StoredEncoding::Full, size, 0),
            Representation::Delta { base, delta_size } => {
                let base_depth = store.object_header(&base)?.map_or(0, |h| h.depth);
                let depth = base_depth.saturating_add(1);
                if depth > self.limits.max_stored_depth {
                    // Too deep a chain: stored whole, re-deflated.
                    self.scratch.clear();
                    git_core::zlib::deflate_into(&object.data, git_core::zlib::DEFAULT_LEVEL, &mut self.scratch);
                    rewritten = true;
                    (StoredEncoding::Full, size, 0)
                } else {
                    (StoredEncoding::Delta { base }, delta_size, depth)
                }
            }
        };
        let header = ObjectHeader { kind: object.kind, size, encoding, payload_size, depth };
        let bytes = if rewritten { &self.scratch } else { &object.compressed };
        let written = store.object_write(&object.id, &header, bytes);
        crate::odb::release_large(&mut self.scratch);
        written?;
        self.written.push(object.id);
        Ok(())
    }

    /// The body ended: the pack must be complete, resolved, fsck-clean and closed. Called only
    /// after every [`Unpacker::handle_bytes`] returned `Ok` (so the parser consumed every byte
    /// received, and no event or resolvable object waits). Inlined into its one caller: the
    /// result is built where it is used, not returned through memory and copied.
    #[inline]
    pub fn finish<S: Store>(&mut self, store: &mut S) -> Result<Unpacked, UnpackError> {
        let received = self.parser.offset();
        if received < pack::PACK_HEADER_LEN as u64 {
            return Err(UnpackFailure::NoPack.into());
        }
        self.parser.handle_end()?;
        let summary = self.resolver.finish()?;
        let checked = self.fsck.second_pass(store, &mut self.reader, &self.read_limits, &mut self.scratch);
        crate::odb::release_large(&mut self.scratch);
        checked?;
        for id in self.fsck.links() {
            if store.object_header(id)?.is_none() {
                return Err(UnpackFailure::Missing(*id).into());
            }
        }
        Ok(Unpacked { summary, written: self.written.len() as u64, bytes: received })
    }

    /// Delete every object this push stored that was not stored before.
    #[inline(always)]
    pub fn rollback<S: Store>(&mut self, store: &mut S) -> Result<(), UnpackError> {
        // Newest first; after a failed delete the rest stay listed (the unpacker is dropped next).
        while let Some(id) = self.written.pop() {
            store.object_delete(&id)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use git_core::ObjectKind;
    use host_abi::MemStore;

    /// A pack of `entries` (each: type, inflated bytes, REF_DELTA base) with its trailer.
    fn pack(entries: &[(u8, &[u8], Option<ObjectId>)]) -> Vec<u8> {
        let mut out = b"PACK\0\0\0\x02".to_vec();
        out.extend_from_slice(&(entries.len() as u32).to_be_bytes());
        for (ty, data, base) in entries {
            pack::encode_entry_header(*ty, data.len() as u64, &mut out);
            if let Some(base) = base {
                out.extend_from_slice(base.as_bytes());
            }
            out.extend_from_slice(&git_core::zlib::deflate(data, 6));
        }
        let mut h = git_core::Hasher::new_checksum();
        h.update(&out);
        out.extend_from_slice(&h.finish_checksum());
        out
    }

    /// A delta over a chain deeper than `max_stored_depth` is stored whole: re-deflated into the
    /// scratch buffer, written as a full object of depth 0 that inflates to the object.
    #[test]
    fn too_deep_a_delta_is_stored_whole() {
        let base = b"the base blob, long enough to be worth a delta\n".repeat(4);
        let mut target = base.clone();
        target.extend_from_slice(b"extra\n");
        let mut delta = vec![base.len() as u8 | 0x80, (base.len() >> 7) as u8, target.len() as u8 | 0x80, (target.len() >> 7) as u8];
        delta.extend_from_slice(&[0x90, base.len() as u8, 6]);
        delta.extend_from_slice(b"extra\n");
        let base_id = git_core::hash_object(ObjectKind::Blob, &base).expect("hash");
        let target_id = git_core::hash_object(ObjectKind::Blob, &target).expect("hash");
        let bytes = pack(&[(3, &base, None), (pack::REF_DELTA, &delta, Some(base_id))]);
        for (max_stored_depth, whole) in [(0, true), (1, false)] {
            let mut store = MemStore::new();
            let mut u = Unpacker::new(UnpackLimits { max_stored_depth, ..UnpackLimits::default() });
            u.handle_bytes(&mut store, &bytes).expect("unpacks");
            let done = u.finish(&mut store).expect("complete");
            assert_eq!(done.written, 2);
            let (header, stored) = &store.objects[&target_id];
            let size = target.len() as u64;
            if whole {
                assert_eq!(header.encoding, StoredEncoding::Full);
                assert_eq!((header.size, header.payload_size, header.depth), (size, size, 0));
                assert_eq!(git_core::zlib::inflate_exact(stored, size, size).expect("inflates"), target);
            } else {
                assert_eq!(header.encoding, StoredEncoding::Delta { base: base_id });
                assert_eq!((header.payload_size, header.depth), (delta.len() as u64, 1));
            }
        }
    }
}
