//! The [`Store`] trait: objects, refs. Output is not here: the state machines write output into
//! caller buffers (`poll_output`), and the Wasm driver forwards it through the `emit` import.

use crate::StoreError;
use alloc::string::String;
use alloc::vec::Vec;
use git_core::{ObjectId, ObjectKind};

/// How an object's bytes are stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoredEncoding {
    /// The zlib stream of the whole object's contents (a pack entry of its own type).
    Full,
    /// The zlib stream of a delta (gitformat-pack "Deltified representation") against `base`.
    Delta { base: ObjectId },
}

/// What the store knows about an object without reading its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ObjectHeader {
    /// The object's kind (for a delta: the kind of the object it produces).
    pub kind: ObjectKind,
    /// The object's inflated size.
    pub size: u64,
    /// Whole or delta.
    pub encoding: StoredEncoding,
    /// Inflated size of the stored zlib stream (the object size for `Full`, the delta size for `Delta`).
    pub payload_size: u64,
    /// Delta chain length: 0 for `Full`, base depth + 1 for `Delta`.
    pub depth: u32,
}

/// A ref's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefValue {
    /// Points at an object.
    Direct(ObjectId),
    /// Points at another ref (HEAD -> refs/heads/main); the target may not exist (unborn).
    Symbolic(String),
}

/// One compare-and-swap of a ref (gitprotocol-pack "Reference Update Request").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefUpdate {
    /// Full ref name (`refs/heads/main`).
    pub name: String,
    /// The value the ref must have now; `None`: it must not exist.
    pub old: Option<ObjectId>,
    /// The value to set; `None`: delete the ref.
    pub new: Option<ObjectId>,
}

/// Storage of one repository. Every method is one synchronous host call (one Wasm import).
pub trait Store {
    /// Import `object_header`: kind, size and encoding of an object, `None` if absent.
    fn object_header(&mut self, id: &ObjectId) -> Result<Option<ObjectHeader>, StoreError>;

    /// Import `object_read`: the header and the stored zlib bytes (appended to `out`, which is cleared
    /// first), `None` if absent.
    fn object_read(&mut self, id: &ObjectId, out: &mut Vec<u8>) -> Result<Option<ObjectHeader>, StoreError>;

    /// Import `object_write`: store an object. Writing an id that exists is a no-op (the engine has
    /// checked the contents are identical before calling). Hosts chunk large values themselves.
    fn object_write(&mut self, id: &ObjectId, header: &ObjectHeader, data: &[u8]) -> Result<(), StoreError>;

    /// Import `object_delete`: drop an object written by a push that then failed, so a rejected push
    /// leaves nothing behind. Deleting an absent id is not an error.
    fn object_delete(&mut self, id: &ObjectId) -> Result<(), StoreError>;

    /// Import `refs_list`: every ref whose name starts with `prefix` (`""` for all), including `HEAD`
    /// and other symbolic refs, in byte order of name.
    fn refs_list(&mut self, prefix: &str, out: &mut Vec<(String, RefValue)>) -> Result<(), StoreError>;

    /// Import `ref_read`: one ref's value, `None` if absent.
    fn ref_read(&mut self, name: &str) -> Result<Option<RefValue>, StoreError>;

    /// Import `refs_update`: apply every update or none. Each update moves its ref only if the ref
    /// still has `old` (compare-and-swap); on a mismatch nothing changes and the error names the
    /// index of the first failing update.
    fn refs_update(&mut self, updates: &[RefUpdate]) -> Result<(), StoreError>;
}
