//! Which refs a push may update: receive-pack.c `update()` refuses any other as a "funny refname".
//! The name rules themselves are git's `check_refname_format` (refs.c; git-check-ref-format(1)),
//! [`git_core::fsck::check_refname_format`].

use git_core::fsck::{check_refname_format, RefnameFlags};

/// A ref a client may update remotely: `refs/` followed by a valid name of at least two levels
/// (one level is enough for a deletion: `REFNAME_ALLOW_ONELEVEL` when the new id is null), as
/// receive-pack.c `update()` requires ("funny refname").
pub fn is_updatable_ref(name: &[u8], deletion: bool) -> bool {
    match name.strip_prefix(b"refs/") {
        Some(rest) => check_refname_format(rest, RefnameFlags { allow_onelevel: deletion }),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updatable_refs() {
        assert!(is_updatable_ref(b"refs/heads/main", false));
        assert!(!is_updatable_ref(b"refs/main", false));
        assert!(is_updatable_ref(b"refs/main", true), "one-level deletion allowed");
        assert!(!is_updatable_ref(b"HEAD", false));
        assert!(!is_updatable_ref(b"refs/heads/../x", false));
    }
}
