//! Object checks as git's fsck.c runs them on pushed objects (`receive.fsckObjects`, which runs
//! `index-pack --strict`), reporting fsck-msgids ids with git's default severities.
//!
//! [`check_object`] checks one object. Checking a tree also returns the ids of blobs it names
//! `.gitmodules` / `.gitattributes` (in any spelling a case-insensitive or NTFS/HFS+ file system
//! would treat as that name); the caller checks those blobs with [`check_gitmodules_blob`] and
//! [`check_gitattributes_blob`] once it has them, since the blob may arrive before or after the
//! tree, or already be stored (git's `fsck_finish`).
//! The report also lists the ids each object names (its links: what a connectivity check must
//! find), read from the lines the checks parse anyway.

mod commit;
mod dotgit;
mod gitattributes;
mod gitmodules;
#[cfg(test)]
mod gitmodules_reference;
mod headers;
mod ident;
mod msg_id;
mod options;
mod refname;
mod submodule_url;
mod tag;
mod tree;

pub use dotgit::{
    is_hfs_dotgit, is_hfs_dotgitattributes, is_hfs_dotgitmodules, is_ntfs_dotgit, is_ntfs_dotgitattributes,
    is_ntfs_dotgitmodules,
};
pub use gitattributes::{check_gitattributes_blob, check_gitattributes_blob_into};
pub use gitmodules::{check_gitmodules_blob, check_gitmodules_blob_into};
pub use msg_id::{MsgId, Severity};
pub use options::{Finding, FsckError, FsckOptions, FsckReport};
pub use refname::{check_refname_format, RefnameFlags};
pub use submodule_url::{check_submodule_name, check_submodule_url};

use crate::ObjectKind;

/// Whether `s` holds the byte `b`: one small loop for the checks' few scans (instead of the
/// slice `contains` instance, a word-at-a-time memchr).
#[inline(never)]
#[allow(clippy::manual_contains)] // on purpose: `contains` is the instance this replaces
fn has(s: &[u8], b: u8) -> bool {
    s.iter().any(|c| *c == b)
}

/// Check one object's data (no loose-object header) the way `index-pack --strict` does.
/// `Err` carries the first finding that counts as an error; warnings are in the report.
pub fn check_object(kind: ObjectKind, data: &[u8], options: &FsckOptions) -> Result<FsckReport, FsckError> {
    let mut report = FsckReport::default();
    check_object_into(kind, data, options, &mut report)?;
    Ok(report)
}

/// [`check_object`], adding what it finds to `report` (the special blobs and links of every
/// object of a pack gathered in one report).
pub fn check_object_into(kind: ObjectKind, data: &[u8], options: &FsckOptions, report: &mut FsckReport) -> Result<(), FsckError> {
    match kind {
        ObjectKind::Commit => commit::check_commit(data, options, report),
        ObjectKind::Tree => tree::check_tree(data, options, report),
        ObjectKind::Tag => tag::check_tag(data, options, report),
        // A blob is only checked if a tree names it .gitmodules or .gitattributes.
        ObjectKind::Blob => Ok(()),
    }
}
