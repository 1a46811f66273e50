//! How the resolver reaches objects it does not hold: bases outside the pack (thin packs) and
//! objects of this pack it already handed out and no longer caches.

use alloc::vec::Vec;
use git_core::{ObjectId, ObjectKind};

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
    type Error: core::fmt::Display;
    /// The whole contents of object `id` into `out` (cleared first), or `None` if absent.
    fn object_by_id(&mut self, id: &ObjectId, out: &mut Vec<u8>) -> Result<Option<BaseInfo>, Self::Error>;
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
