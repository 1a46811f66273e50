//! Ref name validity: git's `check_refname_format` (refs.c; git-check-ref-format(1)), without the
//! refspec-pattern and sanitizing modes a server never uses.

/// True if `name` is a valid ref name. `allow_onelevel`: accept a name without `/`
/// (`REFNAME_ALLOW_ONELEVEL`). Rules, per component between slashes: not empty, not starting with
/// `.`, not ending with `.lock`; nowhere `..`, `@{`, ASCII control bytes, DEL, space, `~ ^ : ? * [ \`;
/// the whole name not `@` and not ending with `.`. Bytes of 0x80 and above are allowed.
pub fn check_refname_format(name: &[u8], allow_onelevel: bool) -> bool {
    if name == b"@" || name.is_empty() {
        return false;
    }
    let mut components = 0usize;
    for component in name.split(|b| *b == b'/') {
        if !component_ok(component) {
            return false;
        }
        components += 1;
    }
    if name.last() == Some(&b'.') {
        return false;
    }
    allow_onelevel || components >= 2
}

fn component_ok(c: &[u8]) -> bool {
    if c.is_empty() || c.first() == Some(&b'.') || c.ends_with(b".lock") {
        return false;
    }
    let mut last = 0u8;
    for &b in c {
        let forbidden = b < 0x20
            || b == 0x7f
            || matches!(b, b' ' | b'~' | b'^' | b':' | b'?' | b'*' | b'[' | b'\\')
            || (b == b'.' && last == b'.')
            || (b == b'{' && last == b'@');
        if forbidden {
            return false;
        }
        last = b;
    }
    true
}

/// A ref a client may update remotely: `refs/` followed by a valid name of at least two levels
/// (one level is enough for a deletion), as receive-pack.c `update()` requires ("funny refname").
pub fn is_updatable_ref(name: &[u8], deletion: bool) -> bool {
    match name.strip_prefix(b"refs/") {
        Some(rest) => check_refname_format(rest, deletion),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_names() {
        for ok in [&b"heads/main"[..], b"tags/v1.0", b"heads/a-b_c", b"heads/\xc3\xa9t\xc3\xa9", b"heads/a@b", b"heads/x.y"] {
            assert!(check_refname_format(ok, false), "{:?}", core::str::from_utf8(ok));
        }
        assert!(check_refname_format(b"main", true));
        assert!(!check_refname_format(b"main", false), "one level");
    }

    #[test]
    fn invalid_names() {
        for bad in [
            &b""[..], b"@", b"heads/a..b", b"heads/.hidden", b"heads/x.lock", b"heads/x.", b"heads//x", b"/heads/x",
            b"heads/x/", b"heads/a b", b"heads/a~1", b"heads/a^", b"heads/a:b", b"heads/a?", b"heads/a*", b"heads/a[",
            b"heads/a\\b", b"heads/a@{1}", b"heads/\x01", b"heads/\x7f", b"heads/a\tb",
        ] {
            assert!(!check_refname_format(bad, true), "{:?}", bad);
        }
    }

    #[test]
    fn updatable_refs() {
        assert!(is_updatable_ref(b"refs/heads/main", false));
        assert!(!is_updatable_ref(b"refs/main", false));
        assert!(is_updatable_ref(b"refs/main", true), "one-level deletion allowed");
        assert!(!is_updatable_ref(b"HEAD", false));
        assert!(!is_updatable_ref(b"refs/heads/../x", false));
    }
}
