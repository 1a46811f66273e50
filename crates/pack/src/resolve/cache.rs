//! A cache of recently resolved objects, bounded by bytes, least recently used out first. It
//! shares the contents with the objects handed out ([`super::Resolved::data`]): caching costs no
//! copy.
//!
//! Recency is a queue of `(stamp, id)` uses: each use appends, and the entry's current stamp tells
//! its latest use from stale ones, which eviction skips. The queue is compacted when stale uses
//! outnumber live ones, so it stays within twice the entries plus a constant.

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
}

impl Cache {
    pub(crate) fn new(limit: usize) -> Self {
        Cache { map: OidMap::new(), order: VecDeque::new(), bytes: 0, limit, tick: 0 }
    }

    pub(crate) fn get(&mut self, id: &ObjectId) -> Option<(ObjectKind, &[u8])> {
        let slot = self.map.get_mut(id)?;
        self.tick += 1;
        slot.stamp = self.tick;
        self.order.push_back((self.tick, *id));
        if self.order.len() > 2 * self.map.len() + 16 {
            let map = &self.map;
            self.order.retain(|(stamp, id)| map.get(id).is_some_and(|s| s.stamp == *stamp));
        }
        let slot = self.map.get(id)?;
        Some((slot.kind, slot.data.as_slice()))
    }

    pub(crate) fn contains(&self, id: &ObjectId) -> bool {
        self.map.contains_key(id)
    }

    /// Keeps `data` if it fits at all, evicting the least recently used.
    pub(crate) fn insert(&mut self, id: ObjectId, kind: ObjectKind, data: Arc<Vec<u8>>) {
        if data.len() > self.limit || self.map.contains_key(&id) {
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
        self.bytes
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
        assert!(!c.contains(&id(6)));
    }
}
