//! The ids an object names (what connectivity must find): a commit's tree and parents, a tree's
//! entries except gitlinks (submodule commits live in another repository), a tag's target
//! (git's `fsck_walk`, connected.c via `rev-list --objects`).
//!
//! The object has passed fsck (`--strict`) by now, so its `tree`, `parent` and `object` lines are
//! known to be well formed: only those lines are read, not the whole object model (gitformat of
//! commits and tags: `tree`/`object` first, then the `parent` lines).

use git_core::object::{take_id_line, TreeIter};
use git_core::{ObjectKind, OidSet};

/// Add the ids `data` (an object of `kind`) refers to. A set: each id is checked once however many
/// objects name it, without sorting (no slice-sort code in the Wasm module). `Err` says which
/// line could not be read (fsck lets no such object through; this is the guard all the same).
pub fn push_links(kind: ObjectKind, data: &[u8], out: &mut OidSet) -> Result<(), &'static str> {
    match kind {
        ObjectKind::Commit => {
            // take_id_line: the commit parser's own reader of `<key><40 hex>\n`.
            let (tree, _, mut rest) = take_id_line(data, b"tree ").ok_or("bad commit: no 'tree <40 hex digits>' line")?;
            out.insert(tree);
            while rest.starts_with(b"parent ") {
                let (parent, _, after) = take_id_line(rest, b"parent ").ok_or("bad commit: a 'parent' line without an id")?;
                out.insert(parent);
                rest = after;
            }
        }
        ObjectKind::Tree => {
            for entry in TreeIter::new(data) {
                let entry = entry.map_err(|_| "bad tree: an entry cannot be read")?;
                if !entry.mode.is_gitlink() {
                    out.insert(entry.id);
                }
            }
        }
        ObjectKind::Blob => {}
        ObjectKind::Tag => {
            let (target, _, _) = take_id_line(data, b"object ").ok_or("bad tag: no 'object <40 hex digits>' line")?;
            out.insert(target);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use git_core::ObjectId;
    use std::format;
    use std::vec;

    fn links(kind: ObjectKind, data: &[u8]) -> Result<Vec<ObjectId>, &'static str> {
        let mut set = OidSet::new();
        push_links(kind, data, &mut set)?;
        Ok(set.iter().copied().collect())
    }

    fn id(b: u8) -> ObjectId {
        ObjectId::from_bytes(&[b; 20]).expect("20 bytes")
    }

    #[test]
    fn commit_tag_and_tree_links() {
        let (a, b, c) = (id(0xaa), id(0xbb), id(0xcc));
        let commit = format!("tree {a}\nparent {b}\nparent {c}\nauthor A <a> 1 +0000\ncommitter A <a> 1 +0000\n\nm\n");
        assert_eq!(links(ObjectKind::Commit, commit.as_bytes()), Ok(vec![a, b, c]));
        // Only the lines before the author are read.
        let root = format!("tree {a}\nauthor A <a> 1 +0000\ncommitter A <a> 1 +0000\nparentx y\n\n");
        assert_eq!(links(ObjectKind::Commit, root.as_bytes()), Ok(vec![a]));
        let tag = format!("object {b}\ntype commit\ntag v1\n\n");
        assert_eq!(links(ObjectKind::Tag, tag.as_bytes()), Ok(vec![b]));
        let mut tree = b"100644 f\0".to_vec();
        tree.extend_from_slice(a.as_bytes());
        tree.extend_from_slice(b"160000 sub\0");
        tree.extend_from_slice(c.as_bytes());
        assert_eq!(links(ObjectKind::Tree, &tree), Ok(vec![a]), "gitlinks are not followed");
        assert_eq!(links(ObjectKind::Blob, b"tree x"), Ok(vec![]));
    }

    #[test]
    fn unreadable_lines_are_errors() {
        let a = id(0xaa);
        assert!(links(ObjectKind::Commit, b"tree 123\n").is_err());
        assert!(links(ObjectKind::Commit, format!("tree {a}\nparent zz\n").as_bytes()).is_err());
        assert!(links(ObjectKind::Commit, format!("tree {a}").as_bytes()).is_err());
        assert!(links(ObjectKind::Tag, b"type commit\n").is_err());
        assert!(links(ObjectKind::Tree, b"100644 f\0short").is_err());
    }
}
