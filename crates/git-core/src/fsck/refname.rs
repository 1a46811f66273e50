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

/// How refs.c classifies each byte: 0 fine, 1 end of component, 2 `.` (no `..`), 3 `{` (no `@{`),
/// 4 forbidden (controls, space, `~^:?[\` and DEL), 5 `*` (only in refspec patterns, so never
/// here). Bytes of 0x80 and above are fine.
fn disposition(b: u8) -> u8 {
    match b {
        0 | b'/' => 1,
        b'.' => 2,
        b'{' => 3,
        1..=0x1f | b' ' | b':' | b'?' | b'[' | b'\\' | b'^' | b'~' | 0x7f => 4,
        b'*' => 5,
        _ => 0,
    }
}

/// Length of the component at the start of `name`, or `None` if it is invalid (refs.c
/// `check_refname_component`): no `..`, `@{` or forbidden byte, not starting with `.`, not ending
/// with `.lock`. An empty component has length 0.
fn component(name: &[u8]) -> Option<usize> {
    let mut last = 0u8;
    let mut len = name.len();
    for (i, &b) in name.iter().enumerate() {
        match disposition(b) {
            1 => {
                len = i;
                break;
            }
            2 if last == b'.' => return None,
            3 if last == b'@' => return None,
            4 | 5 => return None,
            _ => {}
        }
        last = b;
    }
    let comp = name.get(..len)?;
    if comp.first() == Some(&b'.') || comp.ends_with(b".lock") {
        return None;
    }
    Some(len)
}

/// True if `name` is a valid ref name: not `@`, no empty component (so no leading, trailing or
/// doubled `/`), every component valid, not ending with `.`, and at least two components unless
/// `flags.allow_onelevel`. A NUL byte ends a C string in git, so it is never valid here.
pub fn check_refname_format(name: &[u8], flags: RefnameFlags) -> bool {
    if name == b"@" || name.contains(&0) {
        return false;
    }
    let mut rest = name;
    let mut count = 0;
    loop {
        let Some(len) = component(rest) else { return false };
        if len == 0 {
            return false;
        }
        count += 1;
        match rest.get(len) {
            None => {
                if rest.get(len - 1) == Some(&b'.') {
                    return false;
                }
                break;
            }
            Some(_) => rest = rest.get(len + 1..).unwrap_or(&[]),
        }
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
