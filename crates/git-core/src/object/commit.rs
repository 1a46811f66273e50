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

/// What a history walk needs of a commit: its tree, its parents and the committer time (0 without
/// a date, as [`Signature::time`]), read the way [`CommitRef::parse`] reads them but without
/// splitting identities or finding the message (git's `parse_commit_buffer` reads no more for a
/// walk). `None` if the `tree`, `parent`, `author` and `committer` lines are not there in order.
pub fn walk_info(data: &[u8]) -> Option<(ObjectId, Parents<'_>, i64)> {
    let (tree, _, mut rest) = take_id_line(data, b"tree ")?;
    let parents_start = rest;
    while rest.starts_with(b"parent ") {
        (_, _, rest) = take_id_line(rest, b"parent ")?;
    }
    let parents = Parents { rest: parents_start.get(..parents_start.len() - rest.len())? };
    let (_, rest) = take_line(rest.strip_prefix(b"author ")?)?;
    let (committer, _) = take_line(rest.strip_prefix("committer ".as_bytes())?)?;
    let time = super::signature::parse_date(committer).map_or(0, |(t, _, _)| i64::try_from(t).unwrap_or(i64::MAX));
    Some((tree, parents, time))
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

impl Parents<'_> {
    /// All the parents, in order, in a `Vec`. Being inherent, this is what `parents.collect()`
    /// calls (an inherent method goes before the `Iterator` one): one push loop on the
    /// `Vec<ObjectId>` every walk uses, instead of the generic `FromIterator` code for this
    /// iterator (measured: -399 bytes of Wasm).
    pub fn collect(self) -> Vec<ObjectId> {
        let mut out = Vec::new();
        for id in self {
            out.push(id);
        }
        out
    }
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

#[cfg(test)]
mod tests {
    use super::{walk_info, CommitRef};

    /// Dates the full parser reads as 0 (none, no zone) or with a stray '>' read the same way.
    #[test]
    fn walk_info_dates_like_the_parser() {
        let tree = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n";
        let parent = "parent 0123456789abcdef0123456789abcdef01234567\n";
        for committer in ["C <c@x>", "C <c@x> 1700000000", "C <c@x> 1700000000 +0100", "C <c@x>> 17 -0500",
                          "C <c@x> 99999999999999999999999 +0000", "C <c@x>  12\t+1"] {
            let data = alloc::format!("{tree}{parent}{parent}author A <a@x> 1 +0000\ncommitter {committer}\n\nmsg\n");
            let c = CommitRef::parse(data.as_bytes()).expect("parses");
            let (t, parents, time) = walk_info(data.as_bytes()).expect("walk info");
            assert_eq!((t, time), (c.tree(), c.committer().time), "{committer}");
            assert_eq!(parents.clone().count(), 2);
            let all: alloc::vec::Vec<crate::ObjectId> = parents.collect();
            assert_eq!(all, [crate::ObjectId::from_hex(&parent.as_bytes()[7..47]).expect("hex"); 2]);
        }
        assert!(walk_info(b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\ncommitter C <c@x> 1 +0000\n").is_none());
        assert!(walk_info(b"parent 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n").is_none());
    }
}
