//! The ids an object names (what connectivity must find): a commit's tree and parents, a tree's
//! entries except gitlinks (submodule commits live in another repository), a tag's target
//! (git's `fsck_walk`, connected.c via `rev-list --objects`).

use git_core::object::{ObjectRef, ParseError};
use git_core::{ObjectKind, OidSet};

/// Add the ids `data` (an object of `kind`) refers to. A set: each id is checked once however many
/// objects name it, without sorting (no slice-sort code in the Wasm module).
pub fn push_links(kind: ObjectKind, data: &[u8], out: &mut OidSet) -> Result<(), ParseError> {
    match ObjectRef::parse(kind, data)? {
        ObjectRef::Commit(c) => {
            out.insert(c.tree());
            out.extend(c.parents());
        }
        ObjectRef::Tree(t) => {
            for entry in t.iter() {
                let entry = entry?;
                if !entry.mode.is_gitlink() {
                    out.insert(entry.id);
                }
            }
        }
        ObjectRef::Blob(_) => {}
        ObjectRef::Tag(t) => {
            out.insert(t.target());
        }
    }
    Ok(())
}
