//! Commit checks, in fsck.c `fsck_commit` order: headers, `tree`, `parent`s, exactly one
//! `author`, `committer`, no NUL (fsck-msgids `missingTree`, `badTreeSha1`, `badParentSha1`,
//! `missingAuthor`, `multipleAuthors`, `missingCommitter`, `nulInCommit`, and the identity ids).

use super::headers::{after_line, hex_id_line, verify_headers};
use super::ident::check_ident;
use super::{FsckError, FsckOptions, FsckReport, MsgId};

pub(super) fn check_commit(data: &[u8], options: &FsckOptions, report: &mut FsckReport) -> Result<(), FsckError> {
    if !verify_headers(data, options, report)? {
        return Ok(());
    }
    let Some(mut buf) = data.strip_prefix(b"tree ") else {
        return options.report(MsgId::MissingTree, "invalid format - expected 'tree' line", report);
    };
    if !hex_id_line(buf) {
        options.report(MsgId::BadTreeSha1, "invalid 'tree' line format - bad sha1", report)?;
    }
    buf = after_line(buf);
    while let Some(rest) = buf.strip_prefix(b"parent ") {
        if !hex_id_line(rest) {
            options.report(MsgId::BadParentSha1, "invalid 'parent' line format - bad sha1", report)?;
        }
        buf = after_line(rest);
    }
    let mut authors = 0;
    while let Some(rest) = buf.strip_prefix(b"author ") {
        authors += 1;
        let (after, ok) = check_ident(rest, options, report)?;
        if !ok {
            return Ok(());
        }
        buf = after;
    }
    if authors == 0 {
        options.report(MsgId::MissingAuthor, "invalid format - expected 'author' line", report)?;
    } else if authors > 1 {
        options.report(MsgId::MultipleAuthors, "invalid format - multiple 'author' lines", report)?;
    }
    let Some(rest) = buf.strip_prefix(b"committer ") else {
        return options.report(MsgId::MissingCommitter, "invalid format - expected 'committer' line", report);
    };
    let (_, ok) = check_ident(rest, options, report)?;
    if !ok {
        return Ok(());
    }
    if data.contains(&0) {
        options.report(MsgId::NulInCommit, "NUL byte in the commit object body", report)?;
    }
    Ok(())
}
