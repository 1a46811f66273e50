//! The store as the pack resolver's [`BaseSource`]: thin-pack bases and objects of this pack that
//! left the resolver's cache are read back whole from storage; a read-back starts from an object of
//! the stored delta chain the resolver still holds, if any, rather than the chain's root.

use crate::odb::{ObjectReader, ReadLimits};
use crate::service::ExchangeError;
use alloc::vec::Vec;
use git_core::ObjectId;
use host_abi::Store;
use pack::resolve::{BaseInfo, BaseSource, Held, NothingHeld};

/// A store and the buffers to read whole objects from it.
pub struct StoreSource<'a, S: Store> {
    pub store: &'a mut S,
    pub reader: &'a mut ObjectReader,
    pub limits: ReadLimits,
}

impl<S: Store> BaseSource for StoreSource<'_, S> {
    type Error = ExchangeError;

    fn object_by_id(&mut self, id: &ObjectId, out: &mut Vec<u8>) -> Result<Option<BaseInfo>, ExchangeError> {
        // One read path: nothing held is the same walk down to the chain's whole root.
        self.object_with_held(id, &mut NothingHeld, out)
    }

    fn object_with_held(
        &mut self,
        id: &ObjectId,
        held: &mut dyn Held,
        out: &mut Vec<u8>,
    ) -> Result<Option<BaseInfo>, ExchangeError> {
        let Some(header) = self.store.object_header(id)? else {
            held.take(None);
            return Ok(None);
        };
        let kind = self.reader.read_with_held(self.store, id, &self.limits, held, out)?;
        Ok(kind.map(|kind| BaseInfo { kind, depth: header.depth }))
    }
}
