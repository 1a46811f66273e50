//! An in-memory [`Store`] for tests and tools. Not used by either host in production.

use crate::{ObjectHeader, RefUpdate, RefValue, Store, StoreError};
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use git_core::ObjectId;

/// Objects and refs in B-trees.
#[derive(Default, Clone, Debug)]
pub struct MemStore {
    /// Objects by id.
    pub objects: BTreeMap<ObjectId, (ObjectHeader, Vec<u8>)>,
    /// Refs by name.
    pub refs: BTreeMap<String, RefValue>,
}

impl MemStore {
    /// An empty store whose HEAD points at `refs/heads/main`.
    pub fn new() -> Self {
        let mut s = Self::default();
        s.refs.insert(String::from("HEAD"), RefValue::Symbolic(String::from("refs/heads/main")));
        s
    }
}

impl Store for MemStore {
    fn object_header(&mut self, id: &ObjectId) -> Result<Option<ObjectHeader>, StoreError> {
        Ok(self.objects.get(id).map(|(h, _)| *h))
    }

    fn object_read(&mut self, id: &ObjectId, out: &mut Vec<u8>) -> Result<Option<ObjectHeader>, StoreError> {
        out.clear();
        Ok(self.objects.get(id).map(|(h, d)| {
            out.extend_from_slice(d);
            *h
        }))
    }

    fn object_write(&mut self, id: &ObjectId, header: &ObjectHeader, data: &[u8]) -> Result<(), StoreError> {
        self.objects.entry(*id).or_insert_with(|| (*header, data.to_vec()));
        Ok(())
    }

    fn object_delete(&mut self, id: &ObjectId) -> Result<(), StoreError> {
        self.objects.remove(id);
        Ok(())
    }

    fn refs_list(&mut self, prefix: &str, out: &mut Vec<(String, RefValue)>) -> Result<(), StoreError> {
        out.extend(
            self.refs.iter().filter(|(n, _)| n.starts_with(prefix)).map(|(n, v)| (n.clone(), v.clone())),
        );
        Ok(())
    }

    fn ref_read(&mut self, name: &str) -> Result<Option<RefValue>, StoreError> {
        Ok(self.refs.get(name).cloned())
    }

    fn refs_update(&mut self, updates: &[RefUpdate]) -> Result<(), StoreError> {
        for (index, u) in updates.iter().enumerate() {
            let current = match self.refs.get(&u.name) {
                Some(RefValue::Direct(id)) => Some(*id),
                Some(RefValue::Symbolic(_)) => return Err(StoreError::Conflict { index }),
                None => None,
            };
            if current != u.old {
                return Err(StoreError::Conflict { index });
            }
        }
        for u in updates {
            match u.new {
                Some(id) => {
                    self.refs.insert(u.name.clone(), RefValue::Direct(id));
                }
                None => {
                    self.refs.remove(&u.name);
                }
            }
        }
        Ok(())
    }
}
