//! Tree checks, as fsck.c `fsck_tree` (fsck-msgids `badTree`, `nullSha1`, `fullPathname`,
//! `emptyName`, `hasDot`, `hasDotdot`, `hasDotgit`, `zeroPaddedFilemode`, `badFilemode`,
//! `duplicateEntries`, `treeNotSorted`, `largePathname`, `gitmodulesSymlink`,
//! `gitattributesSymlink`, `gitignoreSymlink`, `mailmapSymlink`). No allocation per entry.

use super::dotgit::{
    is_hfs_dotgit, is_hfs_dotgitattributes, is_hfs_dotgitignore, is_hfs_dotgitmodules, is_hfs_dotmailmap,
    is_ntfs_dotgit, is_ntfs_dotgitattributes, is_ntfs_dotgitignore, is_ntfs_dotgitmodules, is_ntfs_dotmailmap,
};
use super::{FsckError, FsckOptions, FsckReport, MsgId};
use crate::object::{TreeEntry, TreeIter};
use crate::ObjectId;
use alloc::vec::Vec;

const S_IFMT: u32 = 0o170000;
const S_IFLNK: u32 = 0o120000;
const S_IFDIR: u32 = 0o040000;

#[derive(Default)]
struct Flags {
    null_sha1: bool,
    full_path: bool,
    empty_name: bool,
    dot: bool,
    dotdot: bool,
    dotgit: bool,
    zero_pad: bool,
    bad_modes: bool,
    dup_entries: bool,
    not_sorted: bool,
    large_name: bool,
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
    if c1 == 0 && is_less_than_slash(c2) {
        candidates.push(name1);
    } else if c2 == b'/' && is_less_than_slash(c1) {
        while let Some(f_name) = candidates.pop() {
            let Some(p) = name2.strip_prefix(f_name) else { continue };
            match p.first() {
                None => return Order::Duplicate,
                Some(&c) if is_less_than_slash(c) => {
                    candidates.push(f_name);
                    break;
                }
                Some(_) => {}
            }
        }
    }
    if c1 < c2 {
        Order::Ok
    } else {
        Order::Unordered
    }
}

fn add_once(list: &mut Vec<ObjectId>, id: ObjectId) {
    if !list.contains(&id) {
        list.push(id);
    }
}

fn check_names(entry: &TreeEntry<'_>, flags: &mut Flags, options: &FsckOptions, report: &mut FsckReport) -> Result<(), FsckError> {
    let name = entry.name;
    let mode = entry.mode.value();
    let is_link = mode & S_IFMT == S_IFLNK;
    flags.null_sha1 |= entry.id.is_null();
    flags.full_path |= name.contains(&b'/');
    flags.empty_name |= name.is_empty();
    flags.dot |= name == b".";
    flags.dotdot |= name == b"..";
    flags.dotgit |= is_hfs_dotgit(name) || is_ntfs_dotgit(name);
    flags.zero_pad |= entry.mode.is_zero_padded();
    flags.large_name |= name.len() > options.max_path_len;

    if is_hfs_dotgitmodules(name) || is_ntfs_dotgitmodules(name) {
        if is_link {
            options.report(MsgId::GitmodulesSymlink, ".gitmodules is a symbolic link", report)?;
        } else {
            add_once(&mut report.gitmodules, entry.id);
        }
    }
    if is_hfs_dotgitattributes(name) || is_ntfs_dotgitattributes(name) {
        if is_link {
            options.report(MsgId::GitattributesSymlink, ".gitattributes is a symlink", report)?;
        } else {
            add_once(&mut report.gitattributes, entry.id);
        }
    }
    if is_link {
        if is_hfs_dotgitignore(name) || is_ntfs_dotgitignore(name) {
            options.report(MsgId::GitignoreSymlink, ".gitignore is a symlink", report)?;
        }
        if is_hfs_dotmailmap(name) || is_ntfs_dotmailmap(name) {
            options.report(MsgId::MailmapSymlink, ".mailmap is a symlink", report)?;
        }
    }
    // NTFS also splits names at backslashes.
    let mut rest = name;
    while let Some(pos) = rest.iter().position(|b| *b == b'\\') {
        rest = rest.get(pos + 1..).unwrap_or(&[]);
        flags.dotgit |= is_ntfs_dotgit(rest);
        if is_ntfs_dotgitmodules(rest) {
            if is_link {
                options.report(MsgId::GitmodulesSymlink, ".gitmodules is a symbolic link", report)?;
            } else {
                add_once(&mut report.gitmodules, entry.id);
            }
        }
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
    let mut iter = TreeIter::new(data).peekable();
    if let Some(Err(_)) = iter.peek() {
        return options.report(MsgId::BadTree, "cannot be parsed as a tree", report);
    }
    let mut flags = Flags::default();
    let mut candidates: Vec<&[u8]> = Vec::new();
    let mut previous: Option<(u32, &[u8])> = None;
    while let Some(Ok(entry)) = iter.next() {
        check_names(&entry, &mut flags, options, report)?;
        if let Some(Err(_)) = iter.peek() {
            // git stops before judging the mode and order of the entry it could not step past.
            options.report(MsgId::BadTree, "cannot be parsed as a tree", report)?;
            break;
        }
        let mode = entry.mode.value();
        flags.bad_modes |= mode_is_bad(mode, options.strict);
        if let Some((o_mode, o_name)) = previous {
            match verify_ordered(o_mode, o_name, mode, entry.name, &mut candidates) {
                Order::Ok => {}
                Order::Unordered => flags.not_sorted = true,
                Order::Duplicate => flags.dup_entries = true,
            }
        }
        previous = Some((mode, entry.name));
    }
    let findings = [
        (flags.null_sha1, MsgId::NullSha1, "contains entries pointing to null sha1"),
        (flags.full_path, MsgId::FullPathname, "contains full pathnames"),
        (flags.empty_name, MsgId::EmptyName, "contains empty pathname"),
        (flags.dot, MsgId::HasDot, "contains '.'"),
        (flags.dotdot, MsgId::HasDotdot, "contains '..'"),
        (flags.dotgit, MsgId::HasDotgit, "contains '.git'"),
        (flags.zero_pad, MsgId::ZeroPaddedFilemode, "contains zero-padded file modes"),
        (flags.bad_modes, MsgId::BadFilemode, "contains bad file modes"),
        (flags.dup_entries, MsgId::DuplicateEntries, "contains duplicate file entries"),
        (flags.not_sorted, MsgId::TreeNotSorted, "not properly sorted"),
        (flags.large_name, MsgId::LargePathname, "contains excessively large pathname"),
    ];
    for (found, id, detail) in findings {
        if found {
            options.report(id, detail, report)?;
        }
    }
    Ok(())
}
