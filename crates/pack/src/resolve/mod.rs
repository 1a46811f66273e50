//! Delta resolution: entries in, objects with ids out (what git's `index-pack` does, streaming).
//!
//! Feed each [`Entry`](crate::Entry) with [`Resolver::handle_entry`], then call
//! [`Resolver::poll_object`] until it returns `None`; store each object it returns before polling
//! again (the resolver reads earlier objects back through the [`BaseSource`] when they have left
//! its cache). After the last entry, [`Resolver::finish`] reports deltas that never found their
//! base ("unresolved deltas", which is also how REF_DELTA cycles end, git t5309).
//!
//! * OFS_DELTA: the base is the entry at an earlier offset (gitformat-pack).
//! * REF_DELTA: the base is found by id in this pack (earlier), through the [`BaseSource`] (thin
//!   packs), or later in this pack: the delta waits, keyed by its base, and is resolved when the
//!   base appears. Waking is iterative (an explicit stack), so chains of any depth (git's
//!   `--depth=250` and more) never recurse on the Rust stack.
//!
//! A read-back is offered what the cache holds ([`BaseSource::object_with_held`]): a source that
//! stores deltas rebuilds the object from the nearest held object of its stored chain (often the
//! large base its delta was made against) instead of from the chain's whole root.
//!
//! Memory is bounded: the cache of recent objects by `cache_bytes` (plus one larger object: a
//! large base kept while its deltas come, handed over or dropped before a read from the
//! [`BaseSource`] allocates),
//! waiting deltas by `max_pending_bytes`, each delta result by `max_object_size` (checked against the delta header
//! before allocating). Intermediate objects of a chain are handed out one by one, never held
//! together. An object is held once: the cache shares the contents it hands out
//! ([`Resolved::data`]), and a base read from the [`BaseSource`] moves into the cache.

mod cache;
mod error;
mod resolved;
mod source;

pub use error::ResolveError;
pub use resolved::{Representation, Resolved};
pub use source::{BaseInfo, BaseSource, Held, NoBases, NothingHeld};

use crate::{Entry, EntryKind};
use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;
use cache::Cache;
use git_core::{ObjectId, ObjectKind};

/// Limits of a resolver.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResolverOptions {
    /// Largest object a delta may produce.
    pub max_object_size: u64,
    /// Bytes of recently resolved objects kept for use as bases.
    pub cache_bytes: usize,
    /// Bytes of deltas (inflated and compressed) allowed to wait for a base.
    pub max_pending_bytes: u64,
}

impl Default for ResolverOptions {
    fn default() -> Self {
        ResolverOptions {
            max_object_size: crate::parser::DEFAULT_MAX_OBJECT_SIZE,
            cache_bytes: 64 << 20,
            max_pending_bytes: 256 << 20,
        }
    }
}

/// Counts of what was resolved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Objects handed out.
    pub objects: u64,
    /// Of which deltas.
    pub deltas: u64,
    /// Distinct bases read from the [`BaseSource`] that are not in the pack (thin pack bases).
    pub external_bases: u64,
    /// Entries whose id had already appeared in this pack with identical contents (not handed out again).
    pub duplicates: u64,
}

/// The resolver. See the module documentation for the protocol.
pub struct Resolver {
    options: ResolverOptions,
    /// Every entry handed in, sorted by offset (entries arrive in pack order, so this appends),
    /// with its id once resolved (the null id before: no object hashes to it).
    by_offset: Vec<(u64, ObjectId)>,
    /// Bytes of the deltas waiting for their base (in the cache's nodes, by the base's id for a
    /// REF_DELTA or by [`offset_key`] of the base's offset for an OFS_DELTA whose base entry
    /// waits itself).
    waiting_bytes: u64,
    waiting_count: u64,
    /// Entries to look at, a stack: deltas woken by their base are pushed on top (depth first);
    /// entries handed in go to the bottom, so they are taken in pack order once no delta is woken.
    /// A woken delta is looked at like any entry: its base is resolved by now.
    work: Vec<Entry>,
    /// Every object the resolver knows by id (this pack's, and the bases read from the source
    /// that are not in the pack: thin-pack bases) with its delta depth (as stored, for an
    /// external base), and the contents of the recently used ones.
    cache: Cache,
    scratch: Vec<u8>,
    summary: Summary,
}

/// The key under which OFS_DELTA entries wait for the entry at `offset`: not a SHA-1 of any
/// object (twelve 0xff bytes around the offset; finding contents that hash to it would be a
/// preimage attack). Should a REF_DELTA name this id as its base, it is woken with them and, its
/// base still unknown, parked again. The offset sits in bytes 4..12, the bytes the map hashes.
fn offset_key(offset: u64) -> ObjectId {
    let mut raw = [0xff; 20];
    let [a, b, c, d, e, f, g, h] = offset.to_le_bytes();
    // Byte by byte: no slice copy (and its bounds check) for eight bytes.
    [raw[4], raw[5], raw[6], raw[7], raw[8], raw[9], raw[10], raw[11]] = [a, b, c, d, e, f, g, h];
    ObjectId::Sha1(raw)
}

/// `e`, boxed where it is made: a `Result` of the resolver is then one pointer (or the object)
/// wide, and `?` moves 4 bytes instead of the 64-byte enum.
#[cold]
fn boxed(e: ResolveError) -> Box<ResolveError> {
    Box::new(e)
}

/// [`ResolveError::Source`]: one out-of-line constructor for the three reads from the source. It
/// takes the source's error by value, so that it is dropped here, not at each read.
#[cold]
#[inline(never)]
fn source_failed<E: git_core::msg::Describe>(id: ObjectId, e: E) -> Box<ResolveError> {
    boxed(ResolveError::Source { id, message: git_core::msg::render(&e) })
}

/// [`ResolveError::Delta`], built out of line: `resolve` only passes the parts.
#[cold]
#[inline(never)]
fn delta_failed(offset: u64, base: &ObjectId, source: git_core::delta::DeltaError) -> Box<ResolveError> {
    boxed(ResolveError::Delta { offset, base: *base, source })
}

/// [`ResolveError::Collision`], built out of line as [`delta_failed`].
#[cold]
#[inline(never)]
fn collision(offset: u64, source: git_core::CollisionError) -> Box<ResolveError> {
    boxed(ResolveError::Collision { offset, source })
}

/// The errors that name an object and an entry's offset.
enum IdError {
    BaseVanished,
    DeltaReproduces,
    DuplicateMismatch,
}

/// The [`IdError`] as a [`ResolveError`]: one out-of-line constructor for the three.
#[cold]
#[inline(never)]
fn id_error(which: IdError, id: &ObjectId, offset: u64) -> Box<ResolveError> {
    let id = *id;
    boxed(match which {
        IdError::BaseVanished => ResolveError::BaseVanished { id, offset },
        IdError::DeltaReproduces => ResolveError::DeltaReproduces { id, offset },
        IdError::DuplicateMismatch => ResolveError::DuplicateMismatch { id, offset },
    })
}

impl Resolver {
    /// A resolver with these limits.
    #[inline(always)]
    pub fn new(options: ResolverOptions) -> Self {
        Resolver {
            options,
            by_offset: Vec::new(),
            waiting_bytes: 0,
            waiting_count: 0,
            work: Vec::new(),
            cache: Cache::new(options.cache_bytes),
            scratch: Vec::new(),
            summary: Summary::default(),
        }
    }

    /// Queue an entry from the parser.
    pub fn handle_entry(&mut self, entry: Entry) {
        // Entries come in pack order: the search finds the end, and the insert appends.
        let slot = (entry.offset, ObjectId::ZERO_SHA1);
        match self.slot_index(entry.offset) {
            Ok(i) => self.by_offset[i] = slot,
            Err(i) => self.by_offset.insert(i, slot),
        }
        // Below the woken deltas; above the entries handed in earlier (taken first, FIFO).
        self.work.insert(0, entry);
    }

    fn slot_index(&self, offset: u64) -> Result<usize, usize> {
        self.by_offset.binary_search_by_key(&offset, |(o, _)| *o)
    }

    /// Deltas still waiting for a base.
    pub fn waiting(&self) -> u64 {
        self.waiting_count
    }

    /// Bytes held by the base cache.
    pub fn cache_bytes(&self) -> usize {
        self.cache.bytes()
    }

    /// Drops the one object larger than the cache's limit that the cache may keep (a large base
    /// whose deltas are likely next): call before reading large objects outside the resolver, so
    /// that memory stays within the cache's limit plus the objects being read.
    pub fn release_large(&mut self) {
        self.cache.release_large();
    }

    /// The id of the object at a pack offset, once resolved.
    pub fn id_at(&self, offset: u64) -> Option<ObjectId> {
        let id = self.by_offset.get(self.slot_index(offset).ok()?)?.1;
        (!id.is_null()).then_some(id)
    }

    /// The next resolved object, or `None` when nothing more can be resolved until more entries come.
    pub fn poll_object<S: BaseSource>(&mut self, source: &mut S) -> Result<Option<Resolved>, Box<ResolveError>> {
        let mut out = None;
        self.poll_object_into(source, &mut out)?;
        Ok(out)
    }

    /// As [`Resolver::poll_object`], the object written to `out` (its previous object dropped
    /// first): a caller that keeps one slot moves no object through a `Result`.
    pub fn poll_object_into<S: BaseSource>(
        &mut self,
        source: &mut S,
        out: &mut Option<Resolved>,
    ) -> Result<(), Box<ResolveError>> {
        *out = None;
        while out.is_none() {
            let Some(entry) = self.work.pop() else { break };
            // A delta's base id once the base is resolved (`ready`), else the key the entry waits
            // under; unused for a whole object.
            let mut key = ObjectId::ZERO_SHA1;
            let ready = match entry.kind {
                EntryKind::Full(_) => true,
                EntryKind::OfsDelta { base_offset } => {
                    let i = self
                        .slot_index(base_offset)
                        .map_err(|_| boxed(ResolveError::NoEntryAtOffset { offset: entry.offset, base_offset }))?;
                    key = self.by_offset[i].1;
                    let resolved = !key.is_null();
                    if !resolved {
                        key = offset_key(base_offset);
                    }
                    resolved
                }
                EntryKind::RefDelta { base } => {
                    key = base;
                    if self.cache.state(&base) == cache::UNKNOWN {
                        // Outside the pack (thin) or later in it.
                        self.cache.release_large();
                        let info = source
                            .object_by_id(&base, &mut self.scratch)
                            .map_err(|e| source_failed(base, e))?;
                        if let Some(info) = info {
                            self.cache.set_known(&base, info.kind, info.depth, cache::EXTERNAL);
                            self.summary.external_bases += 1;
                            self.cache_scratch(&base, info.kind);
                        }
                        info.is_some()
                    } else {
                        true
                    }
                }
            };
            if ready {
                self.resolve(&key, entry, source, out)?;
            } else {
                self.wait(&key, entry)?;
            }
        }
        Ok(())
    }

    /// After the last entry was handed in and polled: every delta must have found its base.
    // Inlined: its result is not copied out of an intermediate `Result` (called once per pack).
    #[inline(always)]
    pub fn finish(&mut self) -> Result<Summary, Box<ResolveError>> {
        let undrained = self.work.len() as u64;
        if undrained != 0 {
            return Err(boxed(ResolveError::NotDrained { count: undrained }));
        }
        if self.waiting_count != 0 {
            return Err(self.unresolved());
        }
        Ok(self.summary)
    }

    /// [`ResolveError::UnresolvedDeltas`], naming the first waiting delta: the one with the
    /// smallest offset. Entries come in pack order, so that is a REF_DELTA (an OFS_DELTA waits only
    /// on an earlier delta that waits itself, down to a REF_DELTA); its base is an id, an
    /// OFS_DELTA's an offset. Out of line: [`Resolver::finish`] is inlined into its caller.
    #[cold]
    #[inline(never)]
    fn unresolved(&self) -> Box<ResolveError> {
        let first = self.cache.first_parked();
        let mut base = alloc::string::String::new();
        let m = &mut git_core::msg::Msg::new(&mut base);
        let offset = match first {
            Some(d) => {
                match &d.kind {
                    EntryKind::RefDelta { base } => m.id(base),
                    EntryKind::OfsDelta { base_offset } => m.s("at offset ").u(*base_offset),
                    EntryKind::Full(_) => m,
                };
                d.offset
            }
            None => 0,
        };
        boxed(ResolveError::UnresolvedDeltas { count: self.waiting_count, offset, base })
    }

    /// Parks `entry` until the object `key` names is resolved (see [`Resolver::waiting`]).
    fn wait(&mut self, key: &ObjectId, entry: Entry) -> Result<(), Box<ResolveError>> {
        let bytes = (entry.data.len() + entry.compressed.len()) as u64;
        let total = self.waiting_bytes.saturating_add(bytes);
        if total > self.options.max_pending_bytes {
            return Err(boxed(ResolveError::PendingTooLarge { bytes: total, limit: self.options.max_pending_bytes }));
        }
        self.waiting_bytes = total;
        self.waiting_count += 1;
        self.cache.park(key, entry);
        Ok(())
    }

    /// Turns `entry` into its object (a delta applied to its resolved base `base`; `base` is
    /// unused for a whole object), records it, wakes what waited for it, and hands it out in `out`
    /// (empty) unless it duplicates an object already handed out. The entry's kind says which: no
    /// separate enum of bases moves between the two functions.
    fn resolve<S: BaseSource>(
        &mut self,
        base: &ObjectId,
        entry: Entry,
        source: &mut S,
        out: &mut Option<Resolved>,
    ) -> Result<(), Box<ResolveError>> {
        let offset = entry.offset;
        // The base by reference (not an `Option<ObjectId>` by value): `None` for a whole object.
        let (kind, data, delta_base, depth) = match entry.kind {
            EntryKind::Full(kind) => (kind, entry.data, None, 0),
            _ => {
                let base_ref = base;
                let base = *base;
                let base_depth = self.cache.depth(&base);
                let (kind, data) = match self.cache.get(&base) {
                    Some(hit) => hit,
                    None => {
                        // Left the cache (or never fit): read back, and cached again as the most
                        // recently used, since deltas against one base tend to come together. The
                        // source may start from an object of its stored chain that the cache holds.
                        let info = source
                            .object_with_held(&base, &mut self.cache, &mut self.scratch)
                            .map_err(|e| source_failed(base, e))?;
                        let Some(info) = info else { return Err(id_error(IdError::BaseVanished, &base, offset)) };
                        self.cache.release_large();
                        (info.kind, self.cache_scratch(&base, info.kind))
                    }
                };
                let mut out = Vec::new();
                git_core::delta::apply_into(&data, &entry.data, self.options.max_object_size, &mut out)
                    .map_err(|source| delta_failed(offset, &base, source))?;
                drop(data);
                (kind, out, Some(base_ref), base_depth.saturating_add(1))
            }
        };
        let id = git_core::hash_object(kind, &data).map_err(|source| collision(offset, source))?;
        let data = Arc::new(data);
        self.wake(&id, offset);
        if self.cache.state(&id) == cache::IN_PACK {
            if delta_base.is_some() {
                // git refuses this too (t5309 "failover to a duplicate object in the same pack").
                return Err(id_error(IdError::DeltaReproduces, &id, offset));
            }
            let same = match self.cache.get(&id) {
                Some((_, cached)) => cached == data,
                None => {
                    self.cache.release_large();
                    let found = source.object_by_id(&id, &mut self.scratch).map_err(|e| source_failed(id, e))?;
                    found.is_some() && self.scratch == *data
                }
            };
            if !same {
                return Err(id_error(IdError::DuplicateMismatch, &id, offset));
            }
            self.summary.duplicates += 1;
            return Ok(());
        }
        // An external base the pack turns out to hold becomes the pack's.
        self.cache.set_known(&id, kind, depth, cache::IN_PACK);
        self.cache.insert_result(&id, kind, Arc::clone(&data), delta_base);
        self.summary.objects += 1;
        self.summary.deltas += u64::from(delta_base.is_some());
        let representation = match delta_base {
            Some(base) => Representation::Delta { base: *base, delta_size: entry.size },
            None => Representation::Full,
        };
        let resolved = Resolved { id, kind, offset, crc32: entry.crc32, data, compressed: entry.compressed, representation, depth };
        // `out` is empty (see `poll_object_into`): nothing to drop.
        core::mem::forget(out.replace(resolved));
        Ok(())
    }

    /// Moves the object just read into `scratch` into the cache as `id`; shared with the caller.
    fn cache_scratch(&mut self, id: &ObjectId, kind: ObjectKind) -> Arc<Vec<u8>> {
        let data = Arc::new(core::mem::take(&mut self.scratch));
        self.cache.insert(id, kind, Arc::clone(&data));
        data
    }

    /// Records that the entry at `offset` is `id`, and moves the deltas waiting for it (by offset,
    /// then by id) to the work stack.
    fn wake(&mut self, id: &ObjectId, offset: u64) {
        if let Ok(i) = self.slot_index(offset) {
            self.by_offset[i].1 = *id;
        }
        self.unpark(&offset_key(offset));
        self.unpark(id);
    }

    /// Moves the deltas waiting under `key` to the work stack.
    fn unpark(&mut self, key: &ObjectId) {
        let mut list = self.cache.unpark(key);
        for entry in &list {
            let bytes = (entry.data.len() + entry.compressed.len()) as u64;
            self.waiting_bytes = self.waiting_bytes.saturating_sub(bytes);
        }
        self.waiting_count = self.waiting_count.saturating_sub(list.len() as u64);
        self.work.append(&mut list);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use git_core::OidMap;

    /// Stores what the resolver hands out (as deltas, like receive-pack) and counts whole reads;
    /// rebuilds a delta from its base when the resolver holds that base.
    #[derive(Default)]
    struct Store {
        objects: OidMap<(Option<ObjectId>, Vec<u8>, Vec<u8>)>,
        whole_reads: Vec<ObjectId>,
        from_held: Vec<ObjectId>,
    }

    impl Store {
        fn read(&mut self, id: &ObjectId, held: &mut dyn Held, out: &mut Vec<u8>) -> bool {
            let Some((base, delta, whole)) = self.objects.get(id).cloned() else { return false };
            match base {
                Some(base) if held.holds(&base) => {
                    let Some(data) = held.take(Some(&base)) else { return false };
                    self.from_held.push(base);
                    out.clear();
                    git_core::delta::apply_into(&data, &delta, u64::MAX, out).is_ok()
                }
                _ => {
                    held.take(None);
                    self.whole_reads.push(*id);
                    *out = whole;
                    true
                }
            }
        }
    }

    impl BaseSource for Store {
        type Error = core::convert::Infallible;
        fn object_by_id(&mut self, id: &ObjectId, out: &mut Vec<u8>) -> Result<Option<BaseInfo>, Self::Error> {
            Ok(self.read(id, &mut NothingHeld, out).then_some(BaseInfo { kind: ObjectKind::Blob, depth: 0 }))
        }
        fn object_with_held(&mut self, id: &ObjectId, held: &mut dyn Held, out: &mut Vec<u8>) -> Result<Option<BaseInfo>, Self::Error> {
            Ok(self.read(id, held, out).then_some(BaseInfo { kind: ObjectKind::Blob, depth: 0 }))
        }
    }

    /// A delta (gitformat-pack) from `base` (under 128 bytes) to `base` followed by `tail`.
    fn append_delta(base_len: usize, tail: &[u8]) -> Vec<u8> {
        let mut d = vec![base_len as u8, (base_len + tail.len()) as u8, 0x90, base_len as u8, tail.len() as u8];
        d.extend_from_slice(tail);
        d
    }

    fn entry(offset: u64, kind: EntryKind, data: Vec<u8>) -> Entry {
        Entry { offset, header_len: 2, kind, size: data.len() as u64, data, compressed: Vec::new(), crc32: 0 }
    }

    /// The offset in bytes 4..12, little-endian, 0xff around it.
    #[test]
    fn offset_key_layout() {
        let mut want = [0xff; 20];
        want[4..12].copy_from_slice(&[8, 7, 6, 5, 4, 3, 2, 1]);
        assert_eq!(offset_key(0x0102_0304_0506_0708), ObjectId::Sha1(want));
        assert_ne!(offset_key(12), offset_key(13));
    }

    #[test]
    fn read_back_is_offered_the_large_base_it_derives_from() {
        // A cache of 16 bytes: `a` (40 bytes) takes the large slot; `b` (a delta of `a`, 42 bytes)
        // does not replace it, so `c` (a delta of `b`) reads `b` back: from `a`, still held.
        let mut r = Resolver::new(ResolverOptions { cache_bytes: 16, ..Default::default() });
        let a = vec![b'a'; 40];
        r.handle_entry(entry(12, EntryKind::Full(ObjectKind::Blob), a.clone()));
        r.handle_entry(entry(100, EntryKind::OfsDelta { base_offset: 12 }, append_delta(40, b"b\n")));
        r.handle_entry(entry(200, EntryKind::OfsDelta { base_offset: 100 }, append_delta(42, b"c\n")));
        let mut store = Store::default();
        let mut got = Vec::new();
        while let Some(obj) = r.poll_object(&mut store).expect("test") {
            let (base, delta) = match obj.representation {
                Representation::Delta { base, .. } => (Some(base), r_delta(&obj)),
                Representation::Full => (None, Vec::new()),
            };
            store.objects.insert(obj.id, (base, delta, obj.data.to_vec()));
            got.push(obj);
        }
        r.finish().expect("test");
        assert_eq!(got.len(), 3);
        let ids: Vec<ObjectId> = got.iter().map(|o| o.id).collect();
        assert_eq!(got[2].data.as_slice(), [&a[..], b"b\nc\n"].concat().as_slice());
        assert_eq!(got[2].id, git_core::hash_object(ObjectKind::Blob, &got[2].data).expect("test"));
        assert_eq!(store.from_held, vec![ids[0]], "`b` rebuilt from `a`, held in the large slot");
        assert!(store.whole_reads.is_empty(), "nothing read whole: {:?}", store.whole_reads);
        assert_eq!(r.cache_bytes(), 42, "`a` handed over, `b` now in the large slot");
    }

    #[test]
    fn poll_object_into_replaces_and_clears_the_slot() {
        let mut r = Resolver::new(ResolverOptions::default());
        let a = vec![b'a'; 10];
        // A REF_DELTA whose base (`a`) comes after it waits; `a` wakes it.
        let a_id = git_core::hash_object(ObjectKind::Blob, &a).expect("test");
        r.handle_entry(entry(12, EntryKind::RefDelta { base: a_id }, append_delta(10, b"x\n")));
        let mut store = Store::default();
        let mut slot = None;
        r.poll_object_into(&mut store, &mut slot).expect("test");
        assert!(slot.is_none(), "the delta waits for its base");
        assert_eq!(r.waiting(), 1);
        r.handle_entry(entry(40, EntryKind::Full(ObjectKind::Blob), a.clone()));
        r.poll_object_into(&mut store, &mut slot).expect("test");
        assert_eq!(slot.as_ref().map(|o| (o.offset, o.id)), Some((40, a_id)));
        r.poll_object_into(&mut store, &mut slot).expect("test");
        let b = [&a[..], b"x\n"].concat();
        assert_eq!(slot.as_ref().map(|o| (o.offset, o.data.to_vec())), Some((12, b)), "the woken delta replaces `a`");
        r.poll_object_into(&mut store, &mut slot).expect("test");
        assert!(slot.is_none(), "nothing more: the slot is emptied");
        assert_eq!(r.finish().expect("test").objects, 2);
    }

    /// The stored delta of `obj` (the test's deltas append two bytes to their base).
    fn r_delta(obj: &Resolved) -> Vec<u8> {
        let len = obj.data.len();
        append_delta(len - 2, &obj.data[len - 2..])
    }
}
