//! Commits: `tree`, `parent`*, `author`, `committer`, extra headers (`encoding`, `gpgsig`,
//! `mergetag`, anything else), a blank line, the message. Read like git's `parse_commit_buffer`
//! (commit.c); signature headers as in gitformat-signature.

use super::header::{split_headers, take_id_line, take_line, ExtraHeaders};
use super::signature::{Signature, SignatureError};
use crate::ObjectId;
use alloc::vec::Vec;

/// A commit borrowing its bytes. `parse` followed by `write_to` reproduces the input exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommitRef<'a> {
    tree: ObjectId,
    tree_hex: &'a [u8],
    parents: &'a [u8],
    author: Signature<'a>,
    committer: Signature<'a>,
    extra: &'a [u8],
    message: Option<&'a [u8]>,
}

/// A commit that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommitParseError {
    UnterminatedHeader,
    BadTree,
    BadParent { index: usize },
    MissingAuthor,
    MissingCommitter,
    BadIdentity { field: &'static str, source: SignatureError },
}

impl crate::msg::Describe for CommitParseError {
    fn describe(&self, m: &mut crate::msg::Msg<'_>) {
        match self {
            CommitParseError::UnterminatedHeader => m.s("commit header is not terminated: no blank line and no final newline"),
            CommitParseError::BadTree => m.s("commit does not start with 'tree <40 hex digits>\\n'"),
            CommitParseError::BadParent { index } => {
                m.s("commit parent line ").u(*index as u64).s(" is not 'parent <40 hex digits>\\n'")
            }
            CommitParseError::MissingAuthor => m.s("commit has no 'author' line after tree and parents"),
            CommitParseError::MissingCommitter => m.s("commit has no 'committer' line after author"),
            CommitParseError::BadIdentity { field, source } => m.s("commit ").s(field).s(" identity: ").d(source),
        };
    }
}
crate::display_via_describe!(CommitParseError);

impl<'a> CommitRef<'a> {
    /// Parse a commit's data (no `commit <size>\0` header).
    pub fn parse(data: &'a [u8]) -> Result<Self, CommitParseError> {
        let (headers, message) = split_headers(data).ok_or(CommitParseError::UnterminatedHeader)?;
        let (tree, tree_hex, mut rest) = take_id_line(headers, b"tree ").ok_or(CommitParseError::BadTree)?;
        let parents_start = rest;
        let mut index = 0;
        while rest.starts_with(b"parent ") {
            let (_, _, after) = take_id_line(rest, b"parent ").ok_or(CommitParseError::BadParent { index })?;
            rest = after;
            index += 1;
        }
        let parents = parents_start.get(..parents_start.len() - rest.len()).unwrap_or(&[]);
        let (author, rest) = identity_line(rest, b"author ")
            .ok_or(CommitParseError::MissingAuthor)?
            .map_err(|source| CommitParseError::BadIdentity { field: "author", source })?;
        let (committer, extra) = identity_line(rest, b"committer ")
            .ok_or(CommitParseError::MissingCommitter)?
            .map_err(|source| CommitParseError::BadIdentity { field: "committer", source })?;
        Ok(CommitRef { tree, tree_hex, parents, author, committer, extra, message })
    }

    /// The root tree.
    pub fn tree(&self) -> ObjectId {
        self.tree
    }
    /// The parents, in order.
    pub fn parents(&self) -> Parents<'a> {
        Parents { rest: self.parents }
    }
    /// Number of parents (0 for a root commit, 2+ for merges).
    pub fn parent_count(&self) -> usize {
        self.parents.len() / PARENT_LINE
    }
    /// The author.
    pub fn author(&self) -> &Signature<'a> {
        &self.author
    }
    /// The committer; `committer().time` is the commit date used to order walks.
    pub fn committer(&self) -> &Signature<'a> {
        &self.committer
    }
    /// Headers after `committer`, in order (`encoding`, `gpgsig`, `mergetag`, unknown ones).
    pub fn extra_headers(&self) -> ExtraHeaders<'a> {
        ExtraHeaders::new(self.extra)
    }
    /// The value of the first `encoding` header (absent means UTF-8).
    pub fn encoding(&self) -> Option<&'a [u8]> {
        self.extra_headers().find(|h| h.key() == b"encoding").map(|h| h.value_raw())
    }
    /// The message after the blank line; empty if there is none.
    pub fn message(&self) -> &'a [u8] {
        self.message.unwrap_or(&[])
    }
    /// True if the headers are followed by a blank line (even with an empty message after it).
    pub fn has_message_separator(&self) -> bool {
        self.message.is_some()
    }

    /// Write the commit exactly as parsed.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"tree ");
        out.extend_from_slice(self.tree_hex);
        out.push(b'\n');
        out.extend_from_slice(self.parents);
        out.extend_from_slice(b"author ");
        self.author.write_to(out);
        out.extend_from_slice(b"\ncommitter ");
        self.committer.write_to(out);
        out.push(b'\n');
        out.extend_from_slice(self.extra);
        if let Some(message) = self.message {
            out.push(b'\n');
            out.extend_from_slice(message);
        }
    }
}

/// `parent ` + 40 hex + `\n`.
const PARENT_LINE: usize = 7 + 40 + 1;

/// `<keyword>identity\n`: `None` if the keyword is absent, `Some(Err)` if the identity is unsplittable.
pub(super) fn identity_line<'a>(
    buf: &'a [u8],
    keyword: &[u8],
) -> Option<Result<(Signature<'a>, &'a [u8]), SignatureError>> {
    let after = buf.strip_prefix(keyword)?;
    let (line, rest) = take_line(after)?;
    Some(Signature::parse(line).map(|s| (s, rest)))
}

/// The parents of a commit, validated at parse time.
#[derive(Clone, Debug)]
pub struct Parents<'a> {
    rest: &'a [u8],
}

impl Iterator for Parents<'_> {
    type Item = ObjectId;
    fn next(&mut self) -> Option<ObjectId> {
        let (id, _, rest) = take_id_line(self.rest, b"parent ")?;
        self.rest = rest;
        Some(id)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.rest.len() / PARENT_LINE;
        (n, Some(n))
    }
}

impl ExactSizeIterator for Parents<'_> {}
