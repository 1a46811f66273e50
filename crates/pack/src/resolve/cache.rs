//! A cache of recently resolved objects, bounded by bytes, least recently used out first. It
//! shares the contents with the objects handed out ([`super::Resolved::data`]): caching costs no
//! copy.

use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;
use git_core::{ObjectId, ObjectKind};

struct Slot {
    kind: ObjectKind,
    data: Arc<Vec<u8>>,
    stamp: u64,
}

pub(crate) struct Cache {
    map: BTreeMap<ObjectId, Slot>,
    order: BTreeMap<u64, ObjectId>,
    bytes: usize,
    limit: usize,
    tick: u64,
}

impl Cache {
    pub(crate) fn new(limit: usize) -> Self {
        Cache { map: BTreeMap::new(), order: BTreeMap::new(), bytes: 0, limit, tick: 0 }
    }

    pub(crate) fn get(&mut self, id: &ObjectId) -> Option<(ObjectKind, &[u8])> {
        let slot = self.map.get_mut(id)?;
        self.order.remove(&slot.stamp);
        self.tick += 1;
        slot.stamp = self.tick;
        self.order.insert(self.tick, *id);
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
            let Some((_, old)) = self.order.pop_first() else { break };
            if let Some(slot) = self.map.remove(&old) {
                self.bytes -= slot.data.len();
            }
        }
        self.tick += 1;
        self.bytes += data.len();
        self.order.insert(self.tick, id);
        self.map.insert(id, Slot { kind, data, stamp: self.tick });
    }

    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }
}
