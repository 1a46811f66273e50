//! A cache of recently resolved objects, bounded by bytes, least recently used out first. It
//! shares the contents with the objects handed out ([`super::Resolved::data`]): caching costs no
//! copy.
//!
//! Recency is a queue of `(stamp, id)` uses: each use appends, and the entry's current stamp tells
//! its latest use from stale ones, which eviction skips. The queue is compacted when stale uses
//! outnumber live ones, so it stays within twice the entries plus a constant.
//!
//! An object larger than the whole limit cannot share it: it gets the one *large slot* instead, so
//! that the deltas against a large base (git writes a base's deltas one after another) do not each
//! read it back from storage, reconstructing its stored delta chain every time. The slot keeps a
//! base while its deltas come: a delta's result does not replace its own base there. A read from
//! the resolver's source empties the slot ([`Cache::take`], [`Cache::release_large`]) before it
//! allocates, handing its object over when the read starts from it (the object the read rebuilds
//! is often a delta of it), so the slot never adds to the peak of a read-back: memory stays within
//! `limit` plus one object.

use alloc::collections::VecDeque;
use alloc::sync::Arc;
use alloc::vec::Vec;
use git_core::{ObjectId, ObjectKind, OidMap};

struct Slot {
    kind: ObjectKind,
    data: Arc<Vec<u8>>,
    stamp: u64,
}

pub(crate) struct Cache {
    map: OidMap<Slot>,
    /// Uses, oldest first; a use is live if its stamp is its entry's current stamp.
    order: VecDeque<(u64, ObjectId)>,
    bytes: usize,
    limit: usize,
    tick: u64,
    /// The one object larger than `limit` kept, if any.
    large: Option<(ObjectId, ObjectKind, Arc<Vec<u8>>)>,
}

impl Cache {
    pub(crate) fn new(limit: usize) -> Self {
        Cache { map: OidMap::new(), order: VecDeque::new(), bytes: 0, limit, tick: 0, large: None }
    }

    /// `id`'s kind and contents, shared (the caller may use the cache while holding them), marked
    /// as the most recently used.
    pub(crate) fn get(&mut self, id: &ObjectId) -> Option<(ObjectKind, Arc<Vec<u8>>)> {
        if let Some((large, kind, data)) = &self.large {
            if large == id {
                return Some((*kind, Arc::clone(data)));
            }
        }
        let slot = self.map.get_mut(id)?;
        self.tick += 1;
        slot.stamp = self.tick;
        self.order.push_back((self.tick, *id));
        if self.order.len() > 2 * self.map.len() + 16 {
            let map = &self.map;
            self.order.retain(|(stamp, id)| map.get(id).is_some_and(|s| s.stamp == *stamp));
        }
        let slot = self.map.get(id)?;
        Some((slot.kind, Arc::clone(&slot.data)))
    }

    pub(crate) fn contains(&self, id: &ObjectId) -> bool {
        self.map.contains_key(id) || self.large.as_ref().is_some_and(|(large, _, _)| large == id)
    }

    /// Keeps `data`, evicting the least recently used; an object larger than the limit goes to the
    /// large slot instead (see [`Cache::insert_result`]).
    pub(crate) fn insert(&mut self, id: ObjectId, kind: ObjectKind, data: Arc<Vec<u8>>) {
        self.insert_result(id, kind, data, None)
    }

    /// As [`Cache::insert`], for an object resolved from `base` (a delta's result): a large result
    /// does not replace `base` in the large slot (the base's other deltas are likely next).
    pub(crate) fn insert_result(&mut self, id: ObjectId, kind: ObjectKind, data: Arc<Vec<u8>>, base: Option<ObjectId>) {
        if self.map.contains_key(&id) {
            return;
        }
        if data.len() > self.limit {
            let keep = match (&self.large, base) {
                (Some((large, _, _)), Some(base)) => *large == base,
                _ => false,
            };
            if !keep {
                self.large = Some((id, kind, data));
            }
            return;
        }
        while self.bytes + data.len() > self.limit {
            let Some((stamp, old)) = self.order.pop_front() else { break };
            if self.map.get(&old).is_some_and(|s| s.stamp == stamp) {
                if let Some(slot) = self.map.remove(&old) {
                    self.bytes -= slot.data.len();
                }
            }
        }
        self.tick += 1;
        self.bytes += data.len();
        self.order.push_back((self.tick, id));
        self.map.insert(id, Slot { kind, data, stamp: self.tick });
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
        self.map.get(id).map(|slot| Arc::clone(&slot.data))
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
        c.insert(id(n), ObjectKind::Blob, Arc::new(alloc::vec![n; len]));
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
        assert!(c.order.len() <= 2 * c.map.len() + 16);
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
        c.insert_result(id(2), ObjectKind::Blob, Arc::new(alloc::vec![2; 40]), Some(id(1)));
        assert!(c.contains(&id(1)) && !c.contains(&id(2)));
        // A large result of another base, or a whole object, replaces it.
        c.insert_result(id(3), ObjectKind::Blob, Arc::new(alloc::vec![3; 40]), Some(id(9)));
        assert!(!c.contains(&id(1)) && c.contains(&id(3)));
        put(&mut c, 4, 50);
        assert!(!c.contains(&id(3)) && c.contains(&id(4)));
        assert_eq!(c.bytes(), 50);
        // Small objects do not touch the slot.
        put(&mut c, 5, 30);
        assert!(c.contains(&id(4)) && c.contains(&id(5)));
    }
}
