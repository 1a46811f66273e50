//! Names a file system may treat as `.git`, `.gitmodules`, `.gitattributes`, `.gitignore` or
//! `.mailmap`: HFS+ ignores some Unicode code points and folds case (git's utf8.c
//! `is_hfs_dotgit` and friends); NTFS folds case, drops trailing dots and spaces, stops at `:`
//! (alternate data streams) and has 8.3 short names like `GIT~1` (path.c `is_ntfs_dotgit`).
//! Used for fsck-msgids `hasDotgit` and to find `.gitmodules` / `.gitattributes` blobs.

/// One UTF-8 character as git's `pick_one_utf8_char` reads it; `None` for an invalid sequence.
/// Returns the code point and its length. git's rules are RFC 3629's (no overlong forms, no
/// surrogates, nothing above U+10FFFF), which `core::str::from_utf8` already implements, plus
/// U+FFFE and U+FFFF refused.
fn utf8_char(s: &[u8]) -> Option<(u32, usize)> {
    let len = match s.first()? {
        0..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => return None,
    };
    let c = u32::from(core::str::from_utf8(s.get(..len)?).ok()?.chars().next()?);
    if c == 0xfffe || c == 0xffff {
        return None;
    }
    Some((c, len))
}

/// git's `next_hfs_char`: the next character of `s` from `pos`, skipping those HFS+ ignores, and
/// the position after it; 0 at the end or for invalid UTF-8 (after which the caller stops). The
/// position in and out by value: two results, no slice in memory.
fn next_hfs_char(s: &[u8], mut pos: usize) -> (u32, usize) {
    loop {
        let rest = s.get(pos..).unwrap_or_default();
        if rest.is_empty() {
            return (0, pos);
        }
        let Some((c, len)) = utf8_char(rest) else {
            return (0, s.len());
        };
        pos += len;
        match c {
            0x200c..=0x200f | 0x202a..=0x202e | 0x206a..=0x206f | 0xfeff => continue,
            _ => return (c, pos),
        }
    }
}

fn is_hfs_dot(name: &[u8], needle: &[u8]) -> bool {
    let (c, mut pos) = next_hfs_char(name, 0);
    if c != u32::from(b'.') {
        return false;
    }
    for &n in needle {
        let c;
        (c, pos) = next_hfs_char(name, pos);
        if c > 127 || (c as u8).to_ascii_lowercase() != n {
            return false;
        }
    }
    let (c, _) = next_hfs_char(name, pos);
    c == 0 || c == u32::from(b'/')
}

/// HFS+ would treat `name` as `.git`.
pub fn is_hfs_dotgit(name: &[u8]) -> bool {
    is_hfs_dot(name, DOTGIT.name)
}
/// HFS+ would treat `name` as `.gitmodules`.
pub fn is_hfs_dotgitmodules(name: &[u8]) -> bool {
    is_hfs_dot(name, GITMODULES.name)
}
/// HFS+ would treat `name` as `.gitattributes`.
pub fn is_hfs_dotgitattributes(name: &[u8]) -> bool {
    is_hfs_dot(name, GITATTRIBUTES.name)
}

/// A special file fsck looks for: its name after the dot, and the hash-like prefix of the NTFS
/// short name Windows may give it (path.c `is_ntfs_dot_generic` callers).
pub(super) struct DotName {
    name: &'static [u8],
    short_prefix: &'static [u8; 6],
}

/// `.git`, checked by the same steps (path.c `is_ntfs_dotgit`), told apart by its short name's
/// length: it has no fall-back short name (the prefix is never read).
pub(super) const DOTGIT: DotName = DotName { name: b"git", short_prefix: b"\0\0\0\0\0\0" };
pub(super) const GITMODULES: DotName = DotName { name: b"gitmodules", short_prefix: b"gi7eba" };
pub(super) const GITATTRIBUTES: DotName = DotName { name: b"gitattributes", short_prefix: b"gi7d29" };
pub(super) const GITIGNORE: DotName = DotName { name: b"gitignore", short_prefix: b"gi250a" };
pub(super) const MAILMAP: DotName = DotName { name: b"mailmap", short_prefix: b"maba30" };

/// NTFS, or HFS+ if `hfs`, would treat `name` as this special file.
pub(super) fn is_dot_name(name: &[u8], which: &DotName, hfs: bool) -> bool {
    hfs && is_hfs_dot(name, which.name) || is_ntfs_dot_name(name, which)
}

/// NTFS would treat `name` as `.git` (also `git~1`, `.git.`, `.git `, `.git::$INDEX_ALLOCATION`),
/// a backslash or slash ending the name.
pub fn is_ntfs_dotgit(name: &[u8]) -> bool {
    is_ntfs_dot_name(name, &DOTGIT)
}

/// NTFS would treat `name` as this special file: path.c `is_ntfs_dot_generic`, `.<name>` or a
/// short name, then only dots and spaces up to the end or a `:`. For `.git` the same steps are
/// `is_ntfs_dotgit`: its short name is `git~1` only, there is no fall-back short name, and
/// either slash ends the name too.
pub(super) fn is_ntfs_dot_name(name: &[u8], which: &DotName) -> bool {
    let at = |i: usize| name.get(i).copied().unwrap_or(0);
    let dotgit_name = which.name;
    let len = dotgit_name.len();
    // `.git` is the one name shorter than a six-character short name.
    let short = len.min(6);
    let is_git = short < 6;
    // Where the name's tail starts: after the name, a short name or the fall-back short name.
    let from = 'from: {
        if at(0) == b'.' && name.get(1..1 + len).is_some_and(|s| s.eq_ignore_ascii_case(dotgit_name)) {
            break 'from len + 1;
        }
        // A regular short name: the first six characters (`git`), then ~1 to ~4 (~1).
        let last_digit = if is_git { b'1' } else { b'4' };
        if name.get(..short).is_some_and(|s| dotgit_name.get(..short).is_some_and(|d| s.eq_ignore_ascii_case(d)))
            && at(short) == b'~'
            && (b'1'..=last_digit).contains(&at(short + 1))
        {
            break 'from short + 2;
        }
        if is_git {
            return false;
        }
        // The fall-back short name: a hash-like prefix, then ~ and digits, in eight characters.
        let mut saw_tilde = false;
        let mut i = 0;
        while i < 8 {
            let c = at(i);
            if c == 0 {
                return false;
            } else if saw_tilde {
                if !c.is_ascii_digit() {
                    return false;
                }
            } else if c == b'~' {
                i += 1;
                if !(b'1'..=b'9').contains(&at(i)) {
                    return false;
                }
                saw_tilde = true;
            } else if i >= 6 || c & 0x80 != 0 || c.to_ascii_lowercase() != which.short_prefix.get(i).copied().unwrap_or(0) {
                return false;
            }
            i += 1;
        }
        8
    };
    // Then only dots and spaces up to the end or a stop byte.
    for &c in name.get(from..).unwrap_or(&[]) {
        match c {
            b':' => return true,
            b'/' | b'\\' if is_git => return true,
            b' ' | b'.' => {}
            _ => return false,
        }
    }
    true
}

/// NTFS would treat `name` as `.gitmodules` (also `gitmod~1`, `gi7eba~1`, trailing dots/spaces).
pub fn is_ntfs_dotgitmodules(name: &[u8]) -> bool {
    is_ntfs_dot_name(name, &GITMODULES)
}
/// NTFS would treat `name` as `.gitattributes`.
pub fn is_ntfs_dotgitattributes(name: &[u8]) -> bool {
    is_ntfs_dot_name(name, &GITATTRIBUTES)
}

/// The NTFS checks before `.git` joined the generic one (test-only), for the differential test.
#[cfg(test)]
mod reference {
/// A special file fsck looks for: its name after the dot, and the hash-like prefix of the NTFS
/// short name Windows may give it (path.c `is_ntfs_dot_generic` callers).
pub(super) struct DotName {
    name: &'static [u8],
    short_prefix: &'static [u8; 6],
}

pub(super) const GITMODULES: DotName = DotName { name: b"gitmodules", short_prefix: b"gi7eba" };
pub(super) const GITATTRIBUTES: DotName = DotName { name: b"gitattributes", short_prefix: b"gi7d29" };
pub(super) const GITIGNORE: DotName = DotName { name: b"gitignore", short_prefix: b"gi250a" };
pub(super) const MAILMAP: DotName = DotName { name: b"mailmap", short_prefix: b"maba30" };

/// NTFS would treat `name` as this special file.
pub(super) fn is_ntfs_dot_name(name: &[u8], which: &DotName) -> bool {
    is_ntfs_dot(name, which.name, which.short_prefix)
}

/// NTFS would treat `name` as `.git` (also `git~1`, `.git.`, `.git `, `.git::$INDEX_ALLOCATION`),
/// a backslash or slash ending the name.
pub(super) fn is_ntfs_dotgit(name: &[u8]) -> bool {
    let at = |i: usize| name.get(i).copied().unwrap_or(0);
    let rest = if at(0) == b'.' {
        if !name.get(1..4).is_some_and(|s| s.eq_ignore_ascii_case(b"git")) {
            return false;
        }
        4
    } else if at(0) == b'g' || at(0) == b'G' {
        if !name.get(1..3).is_some_and(|s| s.eq_ignore_ascii_case(b"it")) || at(3) != b'~' || at(4) != b'1' {
            return false;
        }
        5
    } else {
        return false;
    };
    for &c in name.get(rest..).unwrap_or(&[]) {
        match c {
            b'/' | b'\\' | b':' => return true,
            b'.' | b' ' => {}
            _ => return false,
        }
    }
    true
}

/// path.c `is_ntfs_dot_generic`: `.<dotgit_name>` or its short names, then only dots and spaces
/// up to the end or a `:`.
fn is_ntfs_dot(name: &[u8], dotgit_name: &[u8], shortname_prefix: &[u8; 6]) -> bool {
    let at = |i: usize| name.get(i).copied().unwrap_or(0);
    let only_spaces_and_periods = |from: usize| {
        for &c in name.get(from..).unwrap_or(&[]) {
            match c {
                b':' => return true,
                b' ' | b'.' => {}
                _ => return false,
            }
        }
        true
    };
    let len = dotgit_name.len();
    if at(0) == b'.' && name.get(1..1 + len).is_some_and(|s| s.eq_ignore_ascii_case(dotgit_name)) {
        return only_spaces_and_periods(len + 1);
    }
    // A regular short name: the first six characters, then ~1 to ~4.
    if name.get(..6).is_some_and(|s| dotgit_name.get(..6).is_some_and(|d| s.eq_ignore_ascii_case(d)))
        && at(6) == b'~'
        && (b'1'..=b'4').contains(&at(7))
    {
        return only_spaces_and_periods(8);
    }
    // The fall-back short name: a hash-like prefix, then ~ and digits, in eight characters.
    let mut saw_tilde = false;
    let mut i = 0;
    while i < 8 {
        let c = at(i);
        if c == 0 {
            return false;
        } else if saw_tilde {
            if !c.is_ascii_digit() {
                return false;
            }
        } else if c == b'~' {
            i += 1;
            if !(b'1'..=b'9').contains(&at(i)) {
                return false;
            }
            saw_tilde = true;
        } else if i >= 6 || c & 0x80 != 0 || c.to_ascii_lowercase() != shortname_prefix.get(i).copied().unwrap_or(0) {
            return false;
        }
        i += 1;
    }
    only_spaces_and_periods(8)
}

}

#[cfg(test)]
mod tests {
    use super::*;

    /// pick_one_utf8_char's checks, byte by byte as utf8.c writes them (the reference).
    fn git_utf8_char(s: &[u8]) -> Option<(u32, usize)> {
        let at = |i: usize| u32::from(s.get(i).copied().unwrap_or(0));
        let cont = |i: usize| at(i) & 0xc0 == 0x80;
        let b0 = at(0);
        if b0 < 0x80 {
            Some((b0, 1))
        } else if b0 & 0xe0 == 0xc0 {
            if !cont(1) || b0 & 0xfe == 0xc0 {
                return None;
            }
            Some((((b0 & 0x1f) << 6) | (at(1) & 0x3f), 2))
        } else if b0 & 0xf0 == 0xe0 {
            if !cont(1)
                || !cont(2)
                || (b0 == 0xe0 && at(1) & 0xe0 == 0x80)
                || (b0 == 0xed && at(1) & 0xe0 == 0xa0)
                || (b0 == 0xef && at(1) == 0xbf && at(2) & 0xfe == 0xbe)
            {
                return None;
            }
            Some((((b0 & 0x0f) << 12) | ((at(1) & 0x3f) << 6) | (at(2) & 0x3f), 3))
        } else if b0 & 0xf8 == 0xf0 {
            if !cont(1) || !cont(2) || !cont(3) || (b0 == 0xf0 && at(1) & 0xf0 == 0x80) || (b0 == 0xf4 && at(1) > 0x8f) || b0 > 0xf4
            {
                return None;
            }
            Some((((b0 & 0x07) << 18) | ((at(1) & 0x3f) << 12) | ((at(2) & 0x3f) << 6) | (at(3) & 0x3f), 4))
        } else {
            None
        }
    }

    /// Every first and second byte, with third and fourth bytes from each interesting class:
    /// the same verdict and code point as git's byte rules.
    #[test]
    fn utf8_char_follows_git() {
        let tails = [0x00u8, 0x41, 0x7f, 0x80, 0x8c, 0x8f, 0x90, 0x9f, 0xa0, 0xaa, 0xbb, 0xbe, 0xbf, 0xc0, 0xff];
        let mut checked = 0;
        for b0 in 0..=255u8 {
            for b1 in 0..=255u8 {
                for b2 in tails {
                    for b3 in tails {
                        let seq = [b0, b1, b2, b3];
                        for len in 1..=4 {
                            let s = &seq[..len];
                            if s[0] == 0 {
                                continue; // names never hold NUL; both read it as the end
                            }
                            assert_eq!(utf8_char(s), git_utf8_char(s), "{s:x?}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 10_000_000);
    }

    /// The joined NTFS check against the separate ones it replaced, on every short name of the
    /// interesting bytes and on random names.
    #[test]
    fn ntfs_checks_match_reference() {
        fn same(name: &[u8]) {
            assert_eq!(is_ntfs_dotgit(name), reference::is_ntfs_dotgit(name), "{name:?}");
            for (new, old) in [
                (&GITMODULES, &reference::GITMODULES),
                (&GITATTRIBUTES, &reference::GITATTRIBUTES),
                (&GITIGNORE, &reference::GITIGNORE),
                (&MAILMAP, &reference::MAILMAP),
            ] {
                assert_eq!(is_ntfs_dot_name(name, new), reference::is_ntfs_dot_name(name, old), "{name:?}");
            }
        }
        let alphabet = b".gGiItT~1459:/\\ x\x80mM7eEbBaA0";
        let mut name = alloc::vec::Vec::new();
        // Every name of up to 4 bytes from the alphabet, with fixed starts in front.
        for start in [&b""[..], b".git", b"git~1", b"gi7eba~", b"gitmod~", b".gitmodules", b"GI7EBA~1", b"maba30~12"] {
            let n = alphabet.len();
            for len in 0..=4u32 {
                for k in 0..n.pow(len) {
                    name.clear();
                    name.extend_from_slice(start);
                    let mut k = k;
                    for _ in 0..len {
                        name.push(alphabet[k % n]);
                        k /= n;
                    }
                    same(&name);
                }
            }
        }
        let mut x: u32 = 7;
        for _ in 0..500_000 {
            name.clear();
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let len = (x >> 16) % 16;
            for _ in 0..len {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                name.push(alphabet[((x >> 16) as usize) % alphabet.len()]);
            }
            same(&name);
        }
    }

    #[test]
    fn spellings_git_treats_as_dotgit() {
        for yes in [&b".git"[..], b".GIT", b".Git", b".g\xe2\x80\x8cit", b"\xef\xbb\xbf.git", b".git\xff"] {
            assert!(is_hfs_dotgit(yes), "hfs {yes:?}");
        }
        for no in [&b".gitx"[..], b"git", b".gi", b"..git"] {
            assert!(!is_hfs_dotgit(no), "hfs {no:?}");
        }
        for yes in [&b".git"[..], b"git~1", b"GIT~1", b".git.", b".git ", b".git::$INDEX_ALLOCATION", b".git\\x"] {
            assert!(is_ntfs_dotgit(yes), "ntfs {yes:?}");
        }
        for no in [&b"git~2"[..], b".gitx", b".gi", b"git"] {
            assert!(!is_ntfs_dotgit(no), "ntfs {no:?}");
        }
        for yes in [&b".gitmodules"[..], b".GITMODULES ..", b"gitmod~1", b"GI7EBA~1", b"gi7eba~9", b".gitmodules:x"] {
            assert!(is_ntfs_dotgitmodules(yes), "ntfs {yes:?}");
        }
        for no in [&b".gitmodulesx"[..], b"gitmod~5", b"gi7eba~0", b"gi7ebb~1"] {
            assert!(!is_ntfs_dotgitmodules(no), "ntfs {no:?}");
        }
    }
}
