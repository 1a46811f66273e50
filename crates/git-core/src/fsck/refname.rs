//! git's ref name rules (git-check-ref-format; refs.c `check_refname_format` without flags), used
//! for a tag's name (fsck-msgids `badTagName`).

/// How refs.c classifies each byte: 0 fine, 1 end of component, 2 `.` (no `..`), 3 `{` (no `@{`),
/// 4 forbidden (controls, space, `~^:?[\` and DEL), 5 `*`.
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

/// Length of the component at the start of `name`, or `None` if it is invalid.
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

/// True if `name` is a valid full ref name (at least two components, as `refs/tags/<name>`).
pub fn check_refname_format(name: &[u8]) -> bool {
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
    count >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_git_check_ref_format() {
        for ok in [&b"refs/tags/v1.0"[..], b"refs/tags/a@b", b"refs/tags/caf\xc3\xa9"] {
            assert!(check_refname_format(ok), "{ok:?}");
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
            assert!(!check_refname_format(bad), "{bad:?}");
        }
    }
}
