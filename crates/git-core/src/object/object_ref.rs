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
    Commit(#[from] CommitParseError),
    Tree(#[from] TreeParseError),
    Tag(#[from] TagParseError),
}

impl crate::msg::Describe for ParseError {
    fn describe(&self, m: &mut crate::msg::Msg<'_>) {
        match self {
            ParseError::Commit(e) => m.s("bad commit: ").d(e),
            ParseError::Tree(e) => m.s("bad tree: ").d(e),
            ParseError::Tag(e) => m.s("bad tag: ").d(e),
        };
    }
}
crate::display_via_describe!(ParseError);

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
