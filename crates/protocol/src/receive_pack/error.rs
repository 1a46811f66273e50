//! Why a pushed pack was not accepted; the text becomes the `unpack <reason>` line of the report.

use alloc::boxed::Box;
use alloc::string::String;
use git_core::ObjectId;
use host_abi::StoreError;
use pack::parser::ParseError;
use pack::resolve::ResolveError;

/// The pack could not be unpacked and checked. One pointer ([`UnpackFailure`] boxed): every `?`
/// and every `Result` of the unpacker moves that, not the largest failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(transparent)]
pub struct UnpackError(pub Box<UnpackFailure>);

impl UnpackError {
    /// The failure.
    pub fn failure(&self) -> &UnpackFailure {
        &self.0
    }
}

/// What went wrong while unpacking and checking a pack.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnpackFailure {
    #[error("{0}")]
    Parse(ParseError),
    #[error("{0}")]
    Resolve(ResolveError),
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
    Store(StoreError),
    #[error("missing necessary objects: {0} is named but not present")]
    Missing(ObjectId),
    #[error("eof before pack header was fully read")]
    NoPack,
}

// The conversions are kept out of line: each is one call at the many `?` sites that need it.
impl From<UnpackFailure> for UnpackError {
    #[cold]
    #[inline(never)]
    fn from(e: UnpackFailure) -> Self {
        UnpackError(Box::new(e))
    }
}

impl From<ParseError> for UnpackError {
    #[cold]
    #[inline(never)]
    fn from(e: ParseError) -> Self {
        UnpackFailure::Parse(e).into()
    }
}

impl From<ResolveError> for UnpackError {
    #[cold]
    #[inline(never)]
    fn from(e: ResolveError) -> Self {
        UnpackFailure::Resolve(e).into()
    }
}

impl From<StoreError> for UnpackError {
    #[cold]
    #[inline(never)]
    fn from(e: StoreError) -> Self {
        UnpackFailure::Store(e).into()
    }
}
