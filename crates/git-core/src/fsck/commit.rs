//! Commit checks, in fsck.c `fsck_commit` order: headers, `tree`, `parent`s, exactly one
//! `author`, `committer`, no NUL (fsck-msgids `missingTree`, `badTreeSha1`, `badParentSha1`,
//! `missingAuthor`, `multipleAuthors`, `missingCommitter`, `nulInCommit`, and the identity ids).

use super::headers::{after_line, expected_line, first_id_line, id_line, invalid_format};
use super::ident::check_ident;
use super::{FsckError, FsckOptions, FsckReport, MsgId};

pub(super) fn check_commit(data: &[u8], options: &FsckOptions, report: &mut FsckReport) -> Result<(), FsckError> {
    let (go_on, result) = first_id_line(data, "tree", MsgId::MissingTree, MsgId::BadTreeSha1, options, report);
    result?;
    if !go_on {
        return Ok(());
    }
    let mut buf = after_line(data);
    while let Some(rest) = buf.strip_prefix(b"parent ") {
        id_line(rest, MsgId::BadParentSha1, "parent", options, report)?;
        buf = after_line(rest);
    }
    let mut authors = 0;
    while let Some(rest) = buf.strip_prefix(b"author ") {
        authors += 1;
        let (ok, result) = check_ident(rest, options, report);
        result?;
        if !ok {
            return Ok(());
        }
        buf = after_line(rest);
    }
    if authors == 0 {
        expected_line(MsgId::MissingAuthor, "author", options, report)?;
    } else if authors > 1 {
        invalid_format(MsgId::MultipleAuthors, "multiple 'author' lines", options, report)?;
    }
    // A slice, as `strip_prefix`'s other callers pass: no copy of it for a 10-byte array.
    let Some(rest) = buf.strip_prefix("committer ".as_bytes()) else {
        return expected_line(MsgId::MissingCommitter, "committer", options, report);
    };
    let (ok, result) = check_ident(rest, options, report);
    result?;
    if !ok {
        return Ok(());
    }
    if super::has(data, 0) {
        options.report(MsgId::NulInCommit, "NUL byte in the commit object body", report)?;
    }
    Ok(())
}
