//! What the resolver knows of objects by id: every object of the pack and every base read from
//! the source, with its delta depth; the deltas waiting for an object; and a cache of the contents of the recently resolved ones,
//! bounded by bytes, least recently used out first. The cache shares the contents with the
//! objects handed out ([`super::Resolved::data`]): caching costs no copy.
//!
//! Each known object has a node (ids map to node indices; nodes are never removed, as the
//! resolver never forgets an object of the pack). The cached nodes form a recency ring through
//! node 0: a use or an insert moves a node next to node 0 on its newer side, eviction takes the
//! node on its older side. One map and one vector, no separate queue of uses.
//!
//! An object larger than the whole limit cannot share it: it gets the one *large slot* instead, so
//! that the deltas against a large base (git writes a base's deltas one after another) do not each
//! read it back from storage, reconstructing its stored delta chain every time. The slot keeps a
//! base while its deltas come: a delta's result does not replace its own base there. A read from
//! the resolver's source empties the slot ([`Cache::take`], [`Cache::release_large`]) before it
//! allocates, handing its object over when the read starts from it (the object the read rebuilds
//! is often a delta of it), so the slot never adds to the peak of a read-back: memory stays within
//! `limit` plus one object.

use alloc::sync::Arc;
use alloc::vec::Vec;
use git_core::{ObjectId, ObjectKind, OidMap};

/// One object: known, or only waited for.
struct Node {
    /// Its delta depth: in the pack, or as stored for a base read from the source.
    depth: u32,
    /// [`UNKNOWN`] (only deltas wait for it), [`IN_PACK`] or [`EXTERNAL`].
    state: u8,
    kind: ObjectKind,
    /// The contents, while cached.
    data: Option<Arc<Vec<u8>>>,
    /// Neighbours in the recency ring of cached nodes (node 0 closes the ring: its `older` is the
    /// newest node, its `newer` the oldest).
    newer: u32,
    older: u32,
    /// Deltas waiting for it (its id, or the [`super::offset_key`] of its offset).
    waiting: Vec<crate::Entry>,
}

/// A node outside the ring, or the anchor of an empty ring.
const UNLINKED: Node =
    Node { depth: 0, state: UNKNOWN, kind: ObjectKind::Blob, data: None, newer: 0, older: 0, waiting: Vec::new() };

/// A [`Cache::state`]: not resolved, nor read from the source.
pub(crate) const UNKNOWN: u8 = 0;
/// A [`Cache::state`]: an object the pack produced.
pub(crate) const IN_PACK: u8 = 1;
/// A [`Cache::state`]: a base read from the source that the pack has not produced (a thin pack's
/// base).
pub(crate) const EXTERNAL: u8 = 2;

pub(crate) struct Cache {
    /// The node index of every known or awaited id.
    index: OidMap<u64>,
    /// Node 0 is the anchor of the recency ring, no object (added with the first node, so that
    /// a resolver that never sees an object allocates nothing).
    nodes: Vec<Node>,
    /// Bytes of the cached contents (not the large slot's).
    bytes: usize,
    limit: usize,
    /// The one object larger than `limit` kept, if any.
    large: Option<(ObjectId, ObjectKind, Arc<Vec<u8>>)>,
}

impl Cache {
    pub(crate) fn new(limit: usize) -> Self {
        Cache { index: OidMap::new(), nodes: Vec::new(), bytes: 0, limit, large: None }
    }

    fn find(&self, id: &ObjectId) -> Option<usize> {
        self.index.get(id).map(|i| *i as usize)
    }

    /// `id`'s node, added if new.
    fn node(&mut self, id: &ObjectId) -> usize {
        if let Some(i) = self.find(id) {
            return i;
        }
        if self.nodes.is_empty() {
            self.nodes.push(UNLINKED);
        }
        let i = self.nodes.len();
        self.index.insert(*id, i as u64);
        self.nodes.push(UNLINKED);
        i
    }

    /// What is known of `id`: [`UNKNOWN`], [`IN_PACK`] or [`EXTERNAL`].
    pub(crate) fn state(&self, id: &ObjectId) -> u8 {
        self.find(id).map_or(UNKNOWN, |i| self.nodes[i].state)
    }

    /// `id`'s delta depth (0 if unknown).
    pub(crate) fn depth(&self, id: &ObjectId) -> u32 {
        self.find(id).map_or(0, |i| self.nodes[i].depth)
    }

    /// Records `id` as [`IN_PACK`] or [`EXTERNAL`] (a known external base becomes the pack's when
    /// the pack produces it).
    pub(crate) fn set_known(&mut self, id: &ObjectId, kind: ObjectKind, depth: u32, state: u8) {
        let i = self.node(id);
        let node = &mut self.nodes[i];
        node.depth = depth;
        node.state = state;
        node.kind = kind;
    }

    /// Parks `entry` until the object `key` names is resolved.
    pub(crate) fn park(&mut self, key: &ObjectId, entry: crate::Entry) {
        let i = self.node(key);
        self.nodes[i].waiting.push(entry);
    }

    /// The deltas parked under `key`, no longer parked.
    pub(crate) fn unpark(&mut self, key: &ObjectId) -> Vec<crate::Entry> {
        match self.find(key) {
            Some(i) => core::mem::take(&mut self.nodes[i].waiting),
            None => Vec::new(),
        }
    }

    /// The parked delta with the smallest offset.
    pub(crate) fn first_parked(&self) -> Option<&crate::Entry> {
        let mut first: Option<&crate::Entry> = None;
        for node in &self.nodes {
            for d in &node.waiting {
                if first.is_none_or(|f| d.offset < f.offset) {
                    first = Some(d);
                }
            }
        }
        first
    }

    fn unlink(&mut self, i: usize) {
        let (newer, older) = (self.nodes[i].newer, self.nodes[i].older);
        self.nodes[newer as usize].older = older;
        self.nodes[older as usize].newer = newer;
    }

    fn link_newest(&mut self, i: usize) {
        let newest = self.nodes[0].older;
        self.nodes[i].newer = 0;
        self.nodes[i].older = newest;
        self.nodes[newest as usize].newer = i as u32;
        self.nodes[0].older = i as u32;
    }

    /// `id`'s kind and contents, shared (the caller may use the cache while holding them), marked
    /// as the most recently used.
    pub(crate) fn get(&mut self, id: &ObjectId) -> Option<(ObjectKind, Arc<Vec<u8>>)> {
        if let Some((large, kind, data)) = &self.large {
            if large == id {
                return Some((*kind, Arc::clone(data)));
            }
        }
        let i = self.find(id)?;
        let data = Arc::clone(self.nodes[i].data.as_ref()?);
        self.unlink(i);
        self.link_newest(i);
        Some((self.nodes[i].kind, data))
    }

    pub(crate) fn contains(&self, id: &ObjectId) -> bool {
        self.find(id).is_some_and(|i| self.nodes[i].data.is_some())
            || self.large.as_ref().is_some_and(|(large, _, _)| large == id)
    }

    /// Keeps `data`, evicting the least recently used; an object larger than the limit goes to the
    /// large slot instead (see [`Cache::insert_result`]).
    pub(crate) fn insert(&mut self, id: &ObjectId, kind: ObjectKind, data: Arc<Vec<u8>>) {
        self.insert_result(id, kind, data, None)
    }

    /// As [`Cache::insert`], for an object resolved from `base` (a delta's result): a large result
    /// does not replace `base` in the large slot (the base's other deltas are likely next).
    pub(crate) fn insert_result(&mut self, id: &ObjectId, kind: ObjectKind, data: Arc<Vec<u8>>, base: Option<&ObjectId>) {
        let i = self.node(id);
        if self.nodes[i].data.is_some() {
            return;
        }
        if data.len() > self.limit {
            let keep = match (&self.large, base) {
                (Some((large, _, _)), Some(base)) => large == base,
                _ => false,
            };
            if !keep {
                self.large = Some((*id, kind, data));
            }
            return;
        }
        while self.bytes + data.len() > self.limit {
            let oldest = self.nodes[0].newer as usize;
            if oldest == 0 {
                break;
            }
            self.unlink(oldest);
            if let Some(old) = self.nodes[oldest].data.take() {
                self.bytes -= old.len();
            }
        }
        self.bytes += data.len();
        self.nodes[i].kind = kind;
        // Not cached (checked above): nothing to drop.
        core::mem::forget(self.nodes[i].data.replace(data));
        self.link_newest(i);
    }

    pub(crate) fn bytes(&self) -> usize {
        self.bytes + self.large.as_ref().map_or(0, |(_, _, data)| data.len())
    }

    /// `id`'s contents, shared, if held; the large slot is emptied either way (its object handed
    /// over if it is `id`), as before any read-back.
    pub(crate) fn take(&mut self, id: Option<&ObjectId>) -> Option<Arc<Vec<u8>>> {
        let large = self.large.take();
        let id = id?;
        if let Some((large, _, data)) = large {
            if large == *id {
                return Some(data);
            }
        }
        self.nodes[self.find(id)?].data.clone()
    }

    /// Drops the large slot's object (before a read-back, which may need as much memory).
    pub(crate) fn release_large(&mut self) {
        self.large = None;
    }
}

impl super::Held for Cache {
    fn holds(&self, id: &ObjectId) -> bool {
        self.contains(id)
    }
    fn take(&mut self, id: Option<&ObjectId>) -> Option<Arc<Vec<u8>>> {
        Cache::take(self, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> ObjectId {
        ObjectId::Sha1([n; 20])
    }

    fn put(c: &mut Cache, n: u8, len: usize) {
        c.insert(&id(n), ObjectKind::Blob, Arc::new(alloc::vec![n; len]));
    }

    /// The cached ids' first bytes, oldest first.
    fn ring(c: &Cache) -> Vec<u8> {
        let mut out = Vec::new();
        let mut i = c.nodes[0].newer as usize;
        while i != 0 {
            let id = c.index.iter().find(|(_, n)| **n as usize == i).map(|(id, _)| id.as_bytes()[0]);
            out.push(id.expect("a node of the ring is known"));
            i = c.nodes[i].newer as usize;
        }
        out
    }

    #[test]
    fn evicts_least_recently_used() {
        let mut c = Cache::new(30);
        put(&mut c, 1, 10);
        put(&mut c, 2, 10);
        put(&mut c, 3, 10);
        // Use 1 many times (stale uses pile up and are compacted): 2 is now the oldest.
        for _ in 0..100 {
            assert_eq!(c.get(&id(1)).map(|(_, d)| d.len()), Some(10));
        }
        put(&mut c, 4, 10);
        assert!(c.contains(&id(1)) && !c.contains(&id(2)) && c.contains(&id(3)) && c.contains(&id(4)));
        assert!(c.get(&id(1)).is_some());
        put(&mut c, 5, 20);
        assert!(c.contains(&id(1)) && !c.contains(&id(3)) && !c.contains(&id(4)) && c.contains(&id(5)));
        assert_eq!(c.bytes(), 30);
        assert_eq!(ring(&c), [1, 5], "oldest first");
        put(&mut c, 6, 31);
        assert_eq!(c.bytes(), 61, "an object larger than the limit takes the large slot");
        assert!(c.contains(&id(6)) && c.contains(&id(1)) && c.contains(&id(5)));
        assert_eq!(c.get(&id(6)).map(|(_, d)| d.len()), Some(31));
        c.release_large();
        assert!(!c.contains(&id(6)) && c.contains(&id(1)));
        assert_eq!(c.bytes(), 30);
    }

    #[test]
    fn large_slot_keeps_a_base_while_its_deltas_come() {
        let mut c = Cache::new(30);
        put(&mut c, 1, 40);
        // A large delta result of base 1 leaves base 1 in the slot.
        c.insert_result(&id(2), ObjectKind::Blob, Arc::new(alloc::vec![2; 40]), Some(&id(1)));
        assert!(c.contains(&id(1)) && !c.contains(&id(2)));
        // A large result of another base, or a whole object, replaces it.
        c.insert_result(&id(3), ObjectKind::Blob, Arc::new(alloc::vec![3; 40]), Some(&id(9)));
        assert!(!c.contains(&id(1)) && c.contains(&id(3)));
        put(&mut c, 4, 50);
        assert!(!c.contains(&id(3)) && c.contains(&id(4)));
        assert_eq!(c.bytes(), 50);
        // Small objects do not touch the slot.
        put(&mut c, 5, 30);
        assert!(c.contains(&id(4)) && c.contains(&id(5)));
    }
}
