//! The ids an object names (what connectivity must find): a commit's tree and parents, a tree's
//! entries except gitlinks (submodule commits live in another repository), a tag's target
//! (git's `fsck_walk`, connected.c via `rev-list --objects`).

use alloc::vec::Vec;
use git_core::object::{ObjectRef, ParseError};
use git_core::{ObjectId, ObjectKind};

/// Append the ids `data` (an object of `kind`) refers to.
pub fn push_links(kind: ObjectKind, data: &[u8], out: &mut Vec<ObjectId>) -> Result<(), ParseError> {
    match ObjectRef::parse(kind, data)? {
        ObjectRef::Commit(c) => {
            out.push(c.tree());
            out.extend(c.parents());
        }
        ObjectRef::Tree(t) => {
            for entry in t.iter() {
                let entry = entry?;
                if !entry.mode.is_gitlink() {
                    out.push(entry.id);
                }
            }
        }
        ObjectRef::Blob(_) => {}
        ObjectRef::Tag(t) => out.push(t.target()),
    }
    Ok(())
}
