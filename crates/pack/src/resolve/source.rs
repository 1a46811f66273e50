//! How the resolver reaches objects it does not hold: bases outside the pack (thin packs) and
//! objects of this pack it already handed out and no longer caches.

use alloc::sync::Arc;
use alloc::vec::Vec;
use git_core::{ObjectId, ObjectKind};

/// The objects the resolver holds while it reads one back: a source that stores objects as deltas
/// may start rebuilding from one of them (an object of the stored chain) instead of the chain's
/// whole root. Their contents hash to their ids, so they equal what the store holds.
pub trait Held {
    /// Whether `id`'s contents are held (no side effect).
    fn holds(&self, id: &ObjectId) -> bool;
    /// `id`'s contents if held, and the resolver drops its one object larger than its cache (handed
    /// over here if it is `id`): call once per read, before allocating for it.
    fn take(&mut self, id: Option<&ObjectId>) -> Option<Arc<Vec<u8>>>;
}

/// Holds nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct NothingHeld;

impl Held for NothingHeld {
    fn holds(&self, _id: &ObjectId) -> bool {
        false
    }
    fn take(&mut self, _id: Option<&ObjectId>) -> Option<Arc<Vec<u8>>> {
        None
    }
}

/// What the caller knows of a base object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BaseInfo {
    /// The object's kind.
    pub kind: ObjectKind,
    /// Its delta depth as stored (0 when stored whole or unknown).
    pub depth: u32,
}

/// Objects by id: the receive-pack backs this with its store, tests with a map.
///
/// Every object the resolver hands out must be readable here before the next call to
/// [`super::Resolver::poll_object`] (the resolver reads earlier pack objects back by id).
pub trait BaseSource {
    /// Why a read failed (storage error); shown in [`super::ResolveError::Source`].
    type Error: git_core::msg::Describe;
    /// The whole contents of object `id` into `out` (cleared first), or `None` if absent.
    fn object_by_id(&mut self, id: &ObjectId, out: &mut Vec<u8>) -> Result<Option<BaseInfo>, Self::Error>;

    /// As [`BaseSource::object_by_id`], for an object of this pack the resolver reads back: the
    /// source may start from an object `held` holds (see [`Held`]). It must call
    /// [`Held::take`] once before allocating for the read (the default does, then reads by id).
    fn object_with_held(
        &mut self,
        id: &ObjectId,
        held: &mut dyn Held,
        out: &mut Vec<u8>,
    ) -> Result<Option<BaseInfo>, Self::Error> {
        held.take(None);
        self.object_by_id(id, out)
    }
}

/// A source with no objects: for packs that must be self-contained (not thin).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoBases;

impl BaseSource for NoBases {
    type Error = core::convert::Infallible;
    fn object_by_id(&mut self, _id: &ObjectId, _out: &mut Vec<u8>) -> Result<Option<BaseInfo>, Self::Error> {
        Ok(None)
    }
}
