//! Tree entry modes. Git writes them in octal without leading zeros (`40000`, `100644`), but reads
//! any run of octal digits (tree-walk.c `get_mode`), so the raw bytes are kept for exact round trips.

use crate::ObjectKind;

/// A tree entry's mode: the octal digits as written and their value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EntryMode<'a> {
    raw: &'a [u8],
    value: u32,
}

/// What a mode means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// `40000`: a subtree.
    Tree,
    /// `100644`: a regular file.
    Blob,
    /// `100755`: an executable file.
    BlobExecutable,
    /// `120000`: a symbolic link; the blob holds the target.
    Symlink,
    /// `160000`: a submodule commit.
    Gitlink,
    /// Anything else, e.g. the legacy `100664` (fsck-msgids `badFilemode`).
    Other,
}

impl EntryMode<'static> {
    /// `40000`.
    pub const TREE: Self = EntryMode { raw: b"40000", value: 0o40000 };
    /// `100644`.
    pub const BLOB: Self = EntryMode { raw: b"100644", value: 0o100644 };
    /// `100755`.
    pub const BLOB_EXECUTABLE: Self = EntryMode { raw: b"100755", value: 0o100755 };
    /// `120000`.
    pub const SYMLINK: Self = EntryMode { raw: b"120000", value: 0o120000 };
    /// `160000`.
    pub const GITLINK: Self = EntryMode { raw: b"160000", value: 0o160000 };
}

const S_IFMT: u32 = 0o170000;
const S_IFDIR: u32 = 0o040000;
const S_IFGITLINK: u32 = 0o160000;

impl<'a> EntryMode<'a> {
    /// Read octal digits the way git's `parse_mode` (object.h) does: one or more `0`-`7`, the
    /// value accumulated in a C `unsigned int` and then stored in 16 bits, so `1100644` reads as
    /// `100644`. `None` if empty or a byte is not an octal digit.
    pub fn from_octal(raw: &'a [u8]) -> Option<Self> {
        if raw.is_empty() {
            return None;
        }
        let mut value: u32 = 0;
        for b in raw {
            if !(b'0'..=b'7').contains(b) {
                return None;
            }
            value = (value << 3).wrapping_add(u32::from(b - b'0'));
        }
        Some(EntryMode { raw, value: value & 0xffff })
    }
    /// A mode whose digits the caller has read already (the tree parser's single pass).
    pub(crate) fn from_parts(raw: &'a [u8], value: u32) -> Self {
        EntryMode { raw, value }
    }
    /// The digits as written.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.raw
    }
    /// The numeric mode, as git sees it (16 bits).
    pub fn value(&self) -> u32 {
        self.value
    }
    /// True if written with a leading zero (fsck-msgids `zeroPaddedFilemode`).
    pub fn is_zero_padded(&self) -> bool {
        self.raw.first() == Some(&b'0')
    }
    /// The meaning of the mode.
    pub fn kind(&self) -> EntryKind {
        match self.value {
            0o40000 => EntryKind::Tree,
            0o100644 => EntryKind::Blob,
            0o100755 => EntryKind::BlobExecutable,
            0o120000 => EntryKind::Symlink,
            0o160000 => EntryKind::Gitlink,
            _ => EntryKind::Other,
        }
    }
    /// True for a subtree, judged by the file-type bits as git's `S_ISDIR` does.
    pub fn is_tree(&self) -> bool {
        self.value & S_IFMT == S_IFDIR
    }
    /// True for a submodule entry (`S_ISGITLINK`).
    pub fn is_gitlink(&self) -> bool {
        self.value & S_IFMT == S_IFGITLINK
    }
    /// True for a symbolic link (`S_ISLNK`).
    pub fn is_symlink(&self) -> bool {
        self.value & S_IFMT == 0o120000
    }
    /// The kind of object the entry names, as git's `object_type(mode)`: tree for directories,
    /// `None` for gitlinks (a commit in another repository, never walked), blob otherwise.
    pub fn object_kind(&self) -> Option<ObjectKind> {
        if self.is_tree() {
            Some(ObjectKind::Tree)
        } else if self.is_gitlink() {
            None
        } else {
            Some(ObjectKind::Blob)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        let m = EntryMode::from_octal(b"040000").expect("octal");
        assert!(m.is_zero_padded());
        assert_eq!(m.kind(), EntryKind::Tree);
        assert_eq!(m.object_kind(), Some(ObjectKind::Tree));
        assert_eq!(EntryMode::from_octal(b"100664").expect("octal").kind(), EntryKind::Other);
        assert_eq!(EntryMode::GITLINK.object_kind(), None);
        assert_eq!(EntryMode::SYMLINK.object_kind(), Some(ObjectKind::Blob));
        assert_eq!(EntryMode::from_octal(b"1008"), None);
        assert_eq!(EntryMode::from_octal(b""), None);
        assert_eq!(EntryMode::from_octal(b"1100644").expect("octal").kind(), EntryKind::Blob);
    }
}
