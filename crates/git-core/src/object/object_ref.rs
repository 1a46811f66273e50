//! Any of the four objects, parsed according to its kind.

use super::{CommitParseError, CommitRef, TagParseError, TagRef, TreeParseError, TreeRef};
use crate::ObjectKind;
use alloc::vec::Vec;

/// A parsed object borrowing its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectRef<'a> {
    Commit(CommitRef<'a>),
    Tree(TreeRef<'a>),
    /// A blob is its bytes.
    Blob(&'a [u8]),
    Tag(TagRef<'a>),
}

/// An object whose data cannot be read as its kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("bad commit: {0}")]
    Commit(#[from] CommitParseError),
    #[error("bad tree: {0}")]
    Tree(#[from] TreeParseError),
    #[error("bad tag: {0}")]
    Tag(#[from] TagParseError),
}

impl<'a> ObjectRef<'a> {
    /// Parse `data` (no loose-object header) as an object of `kind`.
    pub fn parse(kind: ObjectKind, data: &'a [u8]) -> Result<Self, ParseError> {
        Ok(match kind {
            ObjectKind::Commit => ObjectRef::Commit(CommitRef::parse(data)?),
            ObjectKind::Tree => ObjectRef::Tree(TreeRef::parse(data)?),
            ObjectKind::Blob => ObjectRef::Blob(data),
            ObjectKind::Tag => ObjectRef::Tag(TagRef::parse(data)?),
        })
    }
    /// The object's kind.
    pub fn kind(&self) -> ObjectKind {
        match self {
            ObjectRef::Commit(_) => ObjectKind::Commit,
            ObjectRef::Tree(_) => ObjectKind::Tree,
            ObjectRef::Blob(_) => ObjectKind::Blob,
            ObjectRef::Tag(_) => ObjectKind::Tag,
        }
    }
    /// Write the object's data exactly as parsed.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        match self {
            ObjectRef::Commit(c) => c.write_to(out),
            ObjectRef::Tree(t) => t.write_to(out),
            ObjectRef::Blob(b) => out.extend_from_slice(b),
            ObjectRef::Tag(t) => t.write_to(out),
        }
    }
}
