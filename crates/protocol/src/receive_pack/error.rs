//! Why a pushed pack was not accepted; the text becomes the `unpack <reason>` line of the report.

use alloc::boxed::Box;
use alloc::string::String;
use git_core::ObjectId;
use host_abi::StoreError;
use pack::parser::ParseError;
use pack::resolve::ResolveError;

/// `missing necessary objects: `, the start of [`UnpackFailure::Missing`]'s text and of the
/// message about it. A `static`, not a literal at each use: a literal in generic code (the
/// receive-pack's `finish`) is emitted again in the crate that instantiates it, this is one copy.
/// [`super::update::reason::MISSING`] is its first words, in the same bytes.
pub(super) static MISSING_OBJECTS: &str = "missing necessary objects: ";

/// The pack could not be unpacked and checked. One pointer ([`UnpackFailure`] boxed): every `?`
/// and every `Result` of the unpacker moves that, not the largest failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(transparent)]
pub struct UnpackError(pub Box<UnpackFailure>);

impl git_core::msg::Describe for UnpackError {
    fn describe(&self, m: &mut git_core::msg::Msg<'_>) {
        m.d(&self.0);
    }
}

impl UnpackError {
    /// The failure.
    pub fn failure(&self) -> &UnpackFailure {
        &self.0
    }
}

/// What went wrong while unpacking and checking a pack.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnpackFailure {
    Parse(ParseError),
    Resolve(ResolveError),
    TooManyObjects { got: u64, limit: u64 },
    Stalled { offset: u64 },
    Collision(ObjectId),
    Fsck { id: ObjectId, message: String },
    Read { id: ObjectId, message: String },
    Store(StoreError),
    Missing(ObjectId),
    NoPack,
}

impl git_core::msg::Describe for UnpackFailure {
    // Variants of the same shape share one call sequence: fewer calls in the Wasm module.
    fn describe(&self, m: &mut git_core::msg::Msg<'_>) {
        match self {
            UnpackFailure::Parse(e) => m.d(e),
            UnpackFailure::Resolve(e) => m.d(e),
            UnpackFailure::TooManyObjects { got, limit } => m.s("pack has ").u(*got).s(" objects, limit ").u(*limit),
            UnpackFailure::Stalled { offset } => m.s("pack parser made no progress at offset ").u(*offset),
            UnpackFailure::Collision(id) | UnpackFailure::Missing(id) => {
                let (before, after) = match self {
                    UnpackFailure::Collision(_) => ("SHA1 COLLISION FOUND WITH ", " !"),
                    _ => (MISSING_OBJECTS, " is named but not present"),
                };
                m.s(before).id(id).s(after)
            }
            UnpackFailure::Fsck { id, message } | UnpackFailure::Read { id, message } => {
                let before = match self {
                    UnpackFailure::Fsck { .. } => "fsck error in packed object ",
                    _ => "reading stored object ",
                };
                m.s(before).id(id).s(": ").s(message)
            }
            UnpackFailure::Store(e) => m.s("storage failure: ").d(e),
            UnpackFailure::NoPack => m.s("eof before pack header was fully read"),
        };
    }
}
git_core::display_via_describe!(UnpackFailure);

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

/// The parser's errors come boxed; the box is given up for [`UnpackFailure::Parse`]'s (cold path).
impl From<Box<ParseError>> for UnpackError {
    #[cold]
    #[inline(never)]
    fn from(e: Box<ParseError>) -> Self {
        UnpackFailure::Parse(*e).into()
    }
}

impl From<ResolveError> for UnpackError {
    #[cold]
    #[inline(never)]
    fn from(e: ResolveError) -> Self {
        UnpackFailure::Resolve(e).into()
    }
}

/// The resolver's errors come boxed; the box is given up for [`UnpackFailure::Resolve`]'s (cold path).
impl From<Box<ResolveError>> for UnpackError {
    #[cold]
    #[inline(never)]
    fn from(e: Box<ResolveError>) -> Self {
        UnpackFailure::Resolve(*e).into()
    }
}

impl From<StoreError> for UnpackError {
    #[cold]
    #[inline(never)]
    fn from(e: StoreError) -> Self {
        UnpackFailure::Store(e).into()
    }
}
