//! Tree checks, as fsck.c `fsck_tree` (fsck-msgids `badTree`, `nullSha1`, `fullPathname`,
//! `emptyName`, `hasDot`, `hasDotdot`, `hasDotgit`, `zeroPaddedFilemode`, `badFilemode`,
//! `duplicateEntries`, `treeNotSorted`, `largePathname`, `gitmodulesSymlink`,
//! `gitattributesSymlink`, `gitignoreSymlink`, `mailmapSymlink`). No allocation per entry.

use super::dotgit::{is_dot_name, DotName, DOTGIT, GITATTRIBUTES, GITIGNORE, GITMODULES, MAILMAP};
use super::{FsckError, FsckOptions, FsckReport, MsgId};
use crate::object::{TreeEntry, TreeIter};
use crate::{ObjectId, OidSet};
use alloc::vec::Vec;

const S_IFMT: u32 = 0o170000;
const S_IFLNK: u32 = 0o120000;
const S_IFDIR: u32 = 0o040000;

/// What the entries showed, one bit per finding: bit `i` stands for `FINDINGS[i]`.
const NULL_SHA1: u16 = 1;
const FULL_PATH: u16 = 1 << 1;
const EMPTY_NAME: u16 = 1 << 2;
const DOT: u16 = 1 << 3;
const DOTDOT: u16 = 1 << 4;
const HAS_DOTGIT: u16 = 1 << 5;
const ZERO_PAD: u16 = 1 << 6;
const BAD_MODES: u16 = 1 << 7;
const DUP_ENTRIES: u16 = 1 << 8;
const NOT_SORTED: u16 = 1 << 9;
const LARGE_NAME: u16 = 1 << 10;

/// The findings about the tree as a whole, in the order fsck.c `fsck_tree` reports them (data,
/// not code: one loop reports whichever bits are set). Every detail but [`NOT_SORTED`]'s is
/// "contains " and the text here (the common word stored once).
const FINDINGS: [(MsgId, &str); 11] = [
    (MsgId::NullSha1, "entries pointing to null sha1"),
    (MsgId::FullPathname, "full pathnames"),
    (MsgId::EmptyName, "empty pathname"),
    (MsgId::HasDot, "'.'"),
    (MsgId::HasDotdot, "'..'"),
    (MsgId::HasDotgit, "'.git'"),
    (MsgId::ZeroPaddedFilemode, "zero-padded file modes"),
    (MsgId::BadFilemode, "bad file modes"),
    (MsgId::DuplicateEntries, "duplicate file entries"),
    (MsgId::TreeNotSorted, "not properly sorted"),
    (MsgId::LargePathname, "excessively large pathname"),
];

/// `bit` if `cond`, else nothing.
fn bit(cond: bool, bit: u16) -> u16 {
    if cond {
        bit
    } else {
        0
    }
}

enum Order {
    Ok,
    Unordered,
    Duplicate,
}

fn is_less_than_slash(c: u8) -> bool {
    c != 0 && c < b'/'
}

/// fsck.c `verify_ordered`: names sort as if trees ended in `/`; a file and a tree of the same
/// name are duplicates even when other names sort between them (tracked in `candidates`).
fn verify_ordered<'a>(mode1: u32, name1: &'a [u8], mode2: u32, name2: &'a [u8], candidates: &mut Vec<&'a [u8]>) -> Order {
    let len = name1.len().min(name2.len());
    match name1.get(..len).cmp(&name2.get(..len)) {
        core::cmp::Ordering::Less => return Order::Ok,
        core::cmp::Ordering::Greater => return Order::Unordered,
        core::cmp::Ordering::Equal => {}
    }
    let mut c1 = name1.get(len).copied().unwrap_or(0);
    let mut c2 = name2.get(len).copied().unwrap_or(0);
    if c1 == 0 && c2 == 0 {
        return Order::Duplicate;
    }
    if c1 == 0 && mode1 & S_IFMT == S_IFDIR {
        c1 = b'/';
    }
    if c2 == 0 && mode2 & S_IFMT == S_IFDIR {
        c2 = b'/';
    }
    // The name pushed on the stack, if any (one push for git's two).
    let mut push = None;
    if c1 == 0 && is_less_than_slash(c2) {
        push = Some(name1);
    } else if c2 == b'/' && is_less_than_slash(c1) {
        while let Some(f_name) = candidates.pop() {
            let Some(p) = name2.strip_prefix(f_name) else { continue };
            match p.first() {
                None => return Order::Duplicate,
                Some(&c) if is_less_than_slash(c) => {
                    push = Some(f_name);
                    break;
                }
                Some(_) => {}
            }
        }
    }
    if let Some(name) = push {
        candidates.push(name);
    }
    if c1 < c2 {
        Order::Ok
    } else {
        Order::Unordered
    }
}

/// The special files in fsck.c `fsck_tree`'s order, with the finding if the entry is a symlink:
/// `.gitmodules` and `.gitattributes` blobs are checked later (the first two, in that order);
/// `.gitignore` and `.mailmap` only may not be symlinks.
const SPECIAL_FILES: [(DotName, MsgId, &str); 4] = [
    (GITMODULES, MsgId::GitmodulesSymlink, ".gitmodules is a symbolic link"),
    (GITATTRIBUTES, MsgId::GitattributesSymlink, ".gitattributes is a symlink"),
    (GITIGNORE, MsgId::GitignoreSymlink, ".gitignore is a symlink"),
    (MAILMAP, MsgId::MailmapSymlink, ".mailmap is a symlink"),
];

/// Adds `id` to `set`: one call for the four places that add an entry's id (the set's insert
/// would be inlined at each).
#[inline(never)]
fn add(set: &mut OidSet, id: &ObjectId) {
    set.insert(*id);
}

fn check_names(entry: &TreeEntry<'_>, flags: &mut u16, options: &FsckOptions, report: &mut FsckReport) -> Result<(), FsckError> {
    let name = entry.name;
    let mode = entry.mode.value();
    let is_link = mode & S_IFMT == S_IFLNK;
    *flags |= bit(entry.id.is_null(), NULL_SHA1)
        | bit(super::has(name, b'/'), FULL_PATH)
        | bit(name.is_empty(), EMPTY_NAME)
        | bit(name == b".", DOT)
        | bit(name == b"..", DOTDOT)
        | bit(entry.mode.is_zero_padded(), ZERO_PAD)
        | bit(name.len() > options.max_path_len, LARGE_NAME);

    // The whole name, then each part after a backslash (NTFS also splits names there), where
    // only NTFS's `.git` and `.gitmodules` count (fsck.c `fsck_tree`'s backslash loop).
    let mut rest = name;
    let mut whole = true;
    loop {
        *flags |= bit(is_dot_name(rest, &DOTGIT, whole), HAS_DOTGIT);
        for (i, (which, id, detail)) in SPECIAL_FILES.iter().enumerate() {
            if (whole || i == 0) && is_dot_name(rest, which, whole) {
                if is_link {
                    options.report(*id, detail, report)?;
                } else if i == 0 {
                    add(&mut report.gitmodules, &entry.id);
                } else if i == 1 {
                    add(&mut report.gitattributes, &entry.id);
                }
            }
        }
        let Some(pos) = rest.iter().position(|b| *b == b'\\') else { break };
        rest = rest.get(pos + 1..).unwrap_or(&[]);
        whole = false;
    }
    Ok(())
}

fn mode_is_bad(mode: u32, strict: bool) -> bool {
    match mode {
        0o100755 | 0o100644 | 0o120000 | 0o040000 | 0o160000 => false,
        // Early git honoured the group write bit; only --strict objects to it.
        0o100664 => strict,
        _ => true,
    }
}

pub(super) fn check_tree(data: &[u8], options: &FsckOptions, report: &mut FsckReport) -> Result<(), FsckError> {
    let mut iter = TreeIter::new(data);
    let mut next = iter.next();
    if let Some(Err(_)) = next {
        return options.report(MsgId::BadTree, "cannot be parsed as a tree", report);
    }
    let mut flags = 0u16;
    let mut candidates: Vec<&[u8]> = Vec::new();
    let mut previous: Option<(u32, &[u8])> = None;
    while let Some(Ok(entry)) = next {
        if !entry.mode.is_gitlink() {
            add(&mut report.links, &entry.id);
        }
        check_names(&entry, &mut flags, options, report)?;
        next = iter.next();
        if let Some(Err(_)) = next {
            // git stops before judging the mode and order of the entry it could not step past.
            options.report(MsgId::BadTree, "cannot be parsed as a tree", report)?;
            break;
        }
        let mode = entry.mode.value();
        flags |= bit(mode_is_bad(mode, options.strict), BAD_MODES);
        if let Some((o_mode, o_name)) = previous {
            flags |= match verify_ordered(o_mode, o_name, mode, entry.name, &mut candidates) {
                Order::Ok => 0,
                Order::Unordered => NOT_SORTED,
                Order::Duplicate => DUP_ENTRIES,
            };
        }
        previous = Some((mode, entry.name));
    }
    // By index: no enumerate adapter in the module.
    #[allow(clippy::needless_range_loop)]
    for i in 0..FINDINGS.len() {
        let (id, detail) = &FINDINGS[i];
        if flags & (1 << i) != 0 {
            let contains = if 1 << i == NOT_SORTED { "" } else { "contains " };
            options.report_parts(*id, contains, detail.as_bytes(), "", report)?;
        }
    }
    Ok(())
}

/// The name checks against their form before the whole name and the parts after backslashes
/// shared one loop (kept here, test-only): the same flags, findings and special blobs.
#[cfg(test)]
mod differential {
    use super::super::dotgit::{is_hfs_dotgit, is_ntfs_dotgit};
    use super::*;
    use crate::object::EntryMode;
    use alloc::format;
    use alloc::string::String;

    fn reference(entry: &TreeEntry<'_>, flags: &mut u16, options: &FsckOptions, report: &mut FsckReport) -> Result<(), FsckError> {
        let name = entry.name;
        let is_link = entry.mode.value() & S_IFMT == S_IFLNK;
        *flags |= bit(is_hfs_dotgit(name) || is_ntfs_dotgit(name), HAS_DOTGIT);
        for (i, (which, id, detail)) in SPECIAL_FILES.iter().enumerate() {
            if is_dot_name(name, which, true) {
                if is_link {
                    options.report(*id, detail, report)?;
                } else if i == 0 {
                    add(&mut report.gitmodules, &entry.id);
                } else if i == 1 {
                    add(&mut report.gitattributes, &entry.id);
                }
            }
        }
        let mut rest = name;
        while let Some(pos) = rest.iter().position(|b| *b == b'\\') {
            rest = rest.get(pos + 1..).unwrap_or(&[]);
            *flags |= bit(super::super::dotgit::is_ntfs_dotgit(rest), HAS_DOTGIT);
            if super::super::dotgit::is_ntfs_dotgitmodules(rest) {
                if is_link {
                    options.report(MsgId::GitmodulesSymlink, ".gitmodules is a symbolic link", report)?;
                } else {
                    add(&mut report.gitmodules, &entry.id);
                }
            }
        }
        Ok(())
    }

    fn outcome(r: Result<(), FsckError>, flags: u16, report: &FsckReport) -> String {
        format!("{r:?} {} {:?} {:?} {:?}", flags & HAS_DOTGIT, report.warnings, report.gitmodules.as_slice(), report.gitattributes.as_slice())
    }

    fn same(name: &[u8]) {
        let id = ObjectId::from_bytes(&[9; 20]).expect("20 bytes");
        let mut lenient = FsckOptions::lenient();
        for (i, _) in MsgId::ALL.iter().enumerate() {
            lenient.overrides.push((MsgId::ALL[i], super::super::Severity::Warn));
        }
        for mode in [EntryMode::BLOB, EntryMode::SYMLINK] {
            for options in [FsckOptions::default(), lenient.clone()] {
                let entry = TreeEntry { mode, name, id };
                let (mut f1, mut r1) = (0, FsckReport::default());
                let new = check_names(&entry, &mut f1, &options, &mut r1);
                let (mut f2, mut r2) = (0, FsckReport::default());
                let old = reference(&entry, &mut f2, &options, &mut r2);
                assert_eq!(outcome(new, f1, &r1), outcome(old, f2, &r2), "{name:?}");
            }
        }
    }

    #[test]
    fn special_names_as_before() {
        let parts = [
            &b"\\"[..], b".git", b"git~1", b".gitmodules", b"gitmod~1", b"gi7eba~2", b".gitattributes", b".gitignore",
            b".mailmap", b"x", b".", b" ", b":", b"\xe2\x80\x8c", b"G", b"~",
        ];
        let mut x: u32 = 3;
        for _ in 0..200_000 {
            let mut name = Vec::new();
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            for _ in 0..(x >> 16) % 6 {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                name.extend_from_slice(parts[((x >> 16) as usize) % parts.len()]);
            }
            same(&name);
        }
    }
}

#[cfg(test)]
mod details {
    use super::*;
    use alloc::string::String;

    fn tree(entries: &[(&str, &[u8], u8)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (mode, name, id) in entries {
            out.extend_from_slice(mode.as_bytes());
            out.push(b' ');
            out.extend_from_slice(name);
            out.push(0);
            out.extend_from_slice(&[*id; 20]);
        }
        out
    }

    /// git's texts for the tree-wide findings, whole (the shared "contains " included).
    #[test]
    fn finding_texts_are_gits() {
        let mut options = FsckOptions::lenient();
        for id in MsgId::ALL {
            options.overrides.push((id, super::super::Severity::Warn));
        }
        options.max_path_len = 3;
        type Entries<'a> = &'a [(&'a str, &'a [u8], u8)];
        let cases: [(Entries<'_>, &str); 10] = [
            (&[("100644", b"a", 0)], "contains entries pointing to null sha1"),
            (&[("100644", b"a/b", 1)], "contains full pathnames"),
            (&[("100644", b".", 1)], "contains '.'"),
            (&[("100644", b"..", 1)], "contains '..'"),
            (&[("100644", b".git", 1)], "contains '.git'"),
            (&[("0100644", b"a", 1)], "contains zero-padded file modes"),
            (&[("100000", b"a", 1), ("100644", b"b", 1)], "contains bad file modes"),
            (&[("100644", b"a", 1), ("100644", b"a", 1)], "contains duplicate file entries"),
            (&[("100644", b"b", 1), ("100644", b"a", 1)], "not properly sorted"),
            (&[("100644", b"abcd", 1)], "contains excessively large pathname"),
        ];
        for (entries, text) in cases {
            let mut report = FsckReport::default();
            check_tree(&tree(entries), &options, &mut report).expect("only warnings");
            let details: Vec<String> = report.warnings.iter().map(|f| f.detail.clone()).collect();
            assert!(details.iter().any(|d| d == text), "{text}: {details:?}");
        }
    }
}
