//! git's ref name rules (git-check-ref-format; refs.c `check_refname_format`), used for a tag's
//! name (fsck-msgids `badTagName`) and for the refs a push updates (receive-pack.c `update`).
//! The refspec-pattern and sanitizing modes are left out: a server never needs them.

/// The `flags` of refs.c `check_refname_format` a server uses (refs.h `REFNAME_*`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RefnameFlags {
    /// `REFNAME_ALLOW_ONELEVEL`: accept a name of one component (no `/`), like `main`.
    pub allow_onelevel: bool,
}

impl RefnameFlags {
    /// No flags: the name needs at least two components (fsck's check of `refs/tags/<name>`).
    pub const NONE: RefnameFlags = RefnameFlags { allow_onelevel: false };
    /// `REFNAME_ALLOW_ONELEVEL`.
    pub const ALLOW_ONELEVEL: RefnameFlags = RefnameFlags { allow_onelevel: true };
}

/// Bytes refs.c `refname_disposition` forbids anywhere in a ref name: controls (NUL included: it
/// ends a C string in git), space, `~^:?[\\`, DEL, and `*` (only allowed in refspec patterns,
/// so never here). One bit per byte value below 128, in two words; bytes of 0x80 and above are
/// fine.
const FORBIDDEN: [u64; 2] = {
    let mut mask = [0u64; 2];
    let mut b = 0;
    while b < 128 {
        let bad = b < 0x20 || b == 0x7f || matches!(b as u8, b' ' | b':' | b'?' | b'[' | b'\\' | b'^' | b'~' | b'*');
        if bad {
            mask[b / 64] |= 1 << (b % 64);
        }
        b += 1;
    }
    mask
};

fn forbidden(b: u8) -> bool {
    FORBIDDEN.get(usize::from(b) / 64).is_some_and(|w| w >> (b % 64) & 1 != 0)
}

/// True if `name` is a valid ref name: not `@`, not ending with `.`, at least two components
/// unless `flags.allow_onelevel`, and every component (refs.c `check_refname_component`)
/// non-empty (so no leading, trailing or doubled `/`), not starting with `.`, not ending with
/// `.lock`, without `..`, `@{` or a forbidden byte.
pub fn check_refname_format(name: &[u8], flags: RefnameFlags) -> bool {
    if name == b"@" || name.last() == Some(&b'.') {
        return false;
    }
    let (mut count, mut start, mut last) = (0usize, 0usize, 0u8);
    // One pass; the end of the name ends the last component as a `/` would.
    for i in 0..=name.len() {
        let b = name.get(i).copied().unwrap_or(b'/');
        if b == b'/' {
            let comp = name.get(start..i).unwrap_or(&[]);
            if matches!(comp.first(), None | Some(b'.')) || comp.ends_with(b".lock") {
                return false;
            }
            count += 1;
            start = i + 1;
        } else if forbidden(b) || (b == b'.' && last == b'.') || (b == b'{' && last == b'@') {
            return false;
        }
        last = b;
    }
    flags.allow_onelevel || count >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_git_check_ref_format() {
        for ok in [&b"refs/tags/v1.0"[..], b"refs/tags/a@b", b"refs/tags/caf\xc3\xa9"] {
            assert!(check_refname_format(ok, RefnameFlags::NONE), "{ok:?}");
        }
        for bad in [
            &b"refs/tags/"[..],
            b"refs/tags/a..b",
            b"refs/tags/.hidden",
            b"refs/tags/x.lock",
            b"refs/tags/a b",
            b"refs/tags/a@{1}",
            b"refs/tags/end.",
            b"refs/tags/a//b",
            b"refs/tags/star*",
            b"tags",
        ] {
            assert!(!check_refname_format(bad, RefnameFlags::NONE), "{bad:?}");
        }
    }

    #[test]
    fn valid_names() {
        for ok in [&b"heads/main"[..], b"tags/v1.0", b"heads/a-b_c", b"heads/\xc3\xa9t\xc3\xa9", b"heads/a@b", b"heads/x.y"] {
            assert!(check_refname_format(ok, RefnameFlags::NONE), "{:?}", core::str::from_utf8(ok));
        }
        assert!(check_refname_format(b"main", RefnameFlags::ALLOW_ONELEVEL));
        assert!(!check_refname_format(b"main", RefnameFlags::NONE), "one level");
    }

    #[test]
    fn invalid_names() {
        for bad in [
            &b""[..], b"@", b"heads/a..b", b"heads/.hidden", b"heads/x.lock", b"heads/x.", b"heads//x", b"/heads/x",
            b"heads/x/", b"heads/a b", b"heads/a~1", b"heads/a^", b"heads/a:b", b"heads/a?", b"heads/a*", b"heads/a[",
            b"heads/a\\b", b"heads/a@{1}", b"heads/\x01", b"heads/\x7f", b"heads/a\tb", b"heads/a\0b",
        ] {
            assert!(!check_refname_format(bad, RefnameFlags::ALLOW_ONELEVEL), "{:?}", bad);
        }
    }

    #[test]
    fn tag_names_checked_without_the_prefix() {
        // fsck's tag check (tag.rs) relies on this: `refs/tags/<name>` is valid exactly when
        // `name` is, as one or more components, or is `@`.
        let names: [&[u8]; 22] = [
            b"", b"@", b"v1", b"a/b", b"a//b", b"/a", b"a/", b".a", b"a.", b"a..b", b"a.lock", b"a@{1}", b"{x",
            b"@{", b"a\\b", b"a b", b".", b"..", b"a/.b", b"x/y.lock/z", b"\xff", b"-",
        ];
        for name in names {
            let full = [&b"refs/tags/"[..], name].concat();
            let short = check_refname_format(name, RefnameFlags::ALLOW_ONELEVEL) || name == b"@";
            assert_eq!(check_refname_format(&full, RefnameFlags::NONE), short, "{name:?}");
        }
    }

    #[test]
    fn one_level_names() {
        // git check-ref-format --allow-onelevel: a single valid component passes, the component
        // rules still apply.
        for ok in [&b"main"[..], b"HEAD", b"x.y", b"a@b"] {
            assert!(check_refname_format(ok, RefnameFlags::ALLOW_ONELEVEL), "{ok:?}");
            assert!(!check_refname_format(ok, RefnameFlags::NONE), "{ok:?}");
        }
        for bad in [&b"@"[..], b".main", b"main.", b"main.lock", b"ma..in", b"main/", b"/main"] {
            assert!(!check_refname_format(bad, RefnameFlags::ALLOW_ONELEVEL), "{bad:?}");
        }
    }
}
