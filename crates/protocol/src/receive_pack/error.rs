//! Why a pushed pack was not accepted; the text becomes the `unpack <reason>` line of the report.

use alloc::string::String;
use git_core::ObjectId;
use host_abi::StoreError;
use pack::parser::ParseError;
use pack::resolve::ResolveError;

/// The pack could not be unpacked and checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnpackError {
    #[error("{0}")]
    Parse(#[from] ParseError),
    #[error("{0}")]
    Resolve(#[from] ResolveError),
    #[error("pack has {got} objects, limit {limit}")]
    TooManyObjects { got: u64, limit: u64 },
    #[error("pack parser made no progress at offset {offset}")]
    Stalled { offset: u64 },
    #[error("SHA1 COLLISION FOUND WITH {0} !")]
    Collision(ObjectId),
    #[error("fsck error in packed object {id}: {message}")]
    Fsck { id: ObjectId, message: String },
    #[error("reading stored object {id}: {message}")]
    Read { id: ObjectId, message: String },
    #[error("storage failure: {0}")]
    Store(#[from] StoreError),
    #[error("missing necessary objects: {0} is named but not present")]
    Missing(ObjectId),
    #[error("eof before pack header was fully read")]
    NoPack,
    #[error("{0}")]
    Other(String),
}
