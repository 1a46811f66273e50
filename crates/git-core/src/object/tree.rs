//! Trees: a sequence of `<octal mode> SP <name> NUL <20-byte id>` entries, read like git's
//! `decode_tree_entry` (tree-walk.c). Iteration does not allocate.

use super::mode::EntryMode;
use crate::ObjectId;
use alloc::vec::Vec;

/// Raw id length of the (only) supported object format, SHA-1.
const RAW_ID_LEN: usize = 20;

/// One tree entry, borrowing the tree's bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TreeEntry<'a> {
    /// The mode, raw digits preserved.
    pub mode: EntryMode<'a>,
    /// The file name (one path component in a well-formed tree; any bytes but NUL).
    pub name: &'a [u8],
    /// The object the entry names.
    pub id: ObjectId,
}

impl TreeEntry<'_> {
    /// Write the entry exactly as parsed.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        write_tree_entry(self.mode.as_bytes(), self.name, &self.id, out);
    }
}

/// Append one entry `<mode> SP <name> NUL <raw id>`. Callers building a tree must write entries
/// in git's order (names compared as if trees ended with `/`) for it to pass fsck.
pub fn write_tree_entry(mode: &[u8], name: &[u8], id: &ObjectId, out: &mut Vec<u8>) {
    out.extend_from_slice(mode);
    out.push(b' ');
    out.extend_from_slice(name);
    out.push(0);
    out.extend_from_slice(id.as_bytes());
}

/// A tree entry that cannot be read; `offset` is where the entry starts in the tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TreeParseError {
    Truncated { offset: usize, remaining: usize },
    MalformedMode { offset: usize, byte: u8 },
    EmptyName { offset: usize },
}

impl crate::msg::Describe for TreeParseError {
    fn describe(&self, m: &mut crate::msg::Msg<'_>) {
        match self {
            TreeParseError::Truncated { offset, remaining } => {
                m.s("tree entry at offset ").u(*offset as u64).s(" is truncated: ").u(*remaining as u64).s(" bytes left")
            }
            TreeParseError::MalformedMode { offset, byte } => m
                .s("tree entry at offset ")
                .u(*offset as u64)
                .s(" has a malformed mode (byte 0x")
                .hex(*byte)
                .s(" is not an octal digit)"),
            TreeParseError::EmptyName { offset } => m.s("tree entry at offset ").u(*offset as u64).s(" has an empty name"),
        };
    }
}
crate::display_via_describe!(TreeParseError);

/// Iterator over a tree's entries. After the first error it yields nothing more.
#[derive(Clone, Debug)]
pub struct TreeIter<'a> {
    rest: &'a [u8],
    offset: usize,
}

impl<'a> TreeIter<'a> {
    /// Iterate over the entries of a tree's data.
    pub fn new(data: &'a [u8]) -> Self {
        TreeIter { rest: data, offset: 0 }
    }
    /// Offset of the next entry in the tree data.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The entry at the start of `rest` and its length. One pass over the mode (tree-walk.c
    /// `get_mode`: octal digits up to a space, at least one, the value kept in 16 bits as
    /// [`EntryMode::from_octal`] does), then the name up to NUL and the raw id.
    fn entry(&self) -> Result<(TreeEntry<'a>, usize), TreeParseError> {
        let buf = self.rest;
        let offset = self.offset;
        let mut value: u32 = 0;
        let mut sp = 0;
        let name_and_id = loop {
            let Some(&b) = buf.get(sp) else { break None };
            // A space ends the mode, but not as its first byte (an empty mode is malformed).
            if b == b' ' && sp > 0 {
                break buf.get(sp + 1..);
            }
            if !(b'0'..=b'7').contains(&b) {
                return Err(TreeParseError::MalformedMode { offset, byte: b });
            }
            value = (value << 3).wrapping_add(u32::from(b - b'0'));
            sp += 1;
        };
        // The name (any bytes but NUL, not empty) and the raw id after its NUL; every way of
        // running out of bytes is `Truncated`.
        let after = name_and_id.unwrap_or(&[]);
        let nul = after.iter().position(|b| *b == 0);
        if nul == Some(0) {
            return Err(TreeParseError::EmptyName { offset });
        }
        let Some(nul) = nul else {
            return Err(TreeParseError::Truncated { offset, remaining: buf.len() });
        };
        let Some(raw) = after.get(nul + 1..nul + 1 + RAW_ID_LEN).and_then(|r| <[u8; RAW_ID_LEN]>::try_from(r).ok()) else {
            return Err(TreeParseError::Truncated { offset, remaining: buf.len() });
        };
        let mode = EntryMode::from_parts(buf.get(..sp).unwrap_or(&[]), value & 0xffff);
        let name = after.get(..nul).unwrap_or(&[]);
        Ok((TreeEntry { mode, name, id: ObjectId::Sha1(raw) }, sp + 1 + nul + 1 + RAW_ID_LEN))
    }
}

impl<'a> Iterator for TreeIter<'a> {
    type Item = Result<TreeEntry<'a>, TreeParseError>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        match self.entry() {
            Ok((entry, len)) => {
                self.rest = self.rest.get(len..).unwrap_or(&[]);
                self.offset += len;
                Some(Ok(entry))
            }
            Err(e) => {
                self.rest = &[];
                Some(Err(e))
            }
        }
    }
}

/// A tree whose entries have all been checked to be readable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TreeRef<'a> {
    data: &'a [u8],
}

impl<'a> TreeRef<'a> {
    /// Check every entry of a tree's data (no allocation).
    pub fn parse(data: &'a [u8]) -> Result<Self, TreeParseError> {
        for entry in TreeIter::new(data) {
            entry?;
        }
        Ok(TreeRef { data })
    }
    /// The entries. Parsing already succeeded, so every item is `Ok`.
    pub fn iter(&self) -> TreeIter<'a> {
        TreeIter::new(self.data)
    }
    /// The entries without the `Result` wrapper.
    pub fn entries(&self) -> impl Iterator<Item = TreeEntry<'a>> + 'a {
        TreeIter::new(self.data).filter_map(Result::ok)
    }
    /// True for the empty tree.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
    /// The tree's data.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.data
    }
    /// Write the tree exactly as parsed.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        for entry in self.entries() {
            entry.write_to(out);
        }
    }
}

#[cfg(test)]
impl<'a> TreeIter<'a> {
    pub(super) fn entry_old(&self) -> Result<(TreeEntry<'a>, usize), TreeParseError> {
        let buf = self.rest;
        let offset = self.offset;
        let truncated = TreeParseError::Truncated { offset, remaining: buf.len() };
        let mut sp = None;
        for (i, b) in buf.iter().enumerate() {
            if *b == b' ' {
                sp = Some(i);
                break;
            }
            if !(b'0'..=b'7').contains(b) {
                return Err(TreeParseError::MalformedMode { offset, byte: *b });
            }
        }
        let sp = sp.ok_or(truncated.clone())?;
        let mode = EntryMode::from_octal(buf.get(..sp).unwrap_or(&[]))
            .ok_or(TreeParseError::MalformedMode { offset, byte: b' ' })?;
        let after = buf.get(sp + 1..).unwrap_or(&[]);
        let nul = after.iter().position(|b| *b == 0).ok_or(truncated.clone())?;
        if nul == 0 {
            return Err(TreeParseError::EmptyName { offset });
        }
        let name = after.get(..nul).unwrap_or(&[]);
        let raw = after.get(nul + 1..nul + 1 + RAW_ID_LEN).ok_or(truncated.clone())?;
        let id = ObjectId::from_bytes(raw).map_err(|_| truncated)?;
        Ok((TreeEntry { mode, name, id }, sp + 1 + nul + 1 + RAW_ID_LEN))
    }
}


#[cfg(test)]
mod tests {
    use super::*;
    use crate::object::EntryKind;
    use alloc::vec;

    #[test]
    fn round_trip_and_errors() {
        let id = ObjectId::from_bytes(&[7; 20]).expect("20 bytes");
        let mut data = vec![];
        write_tree_entry(b"100644", b"a", &id, &mut data);
        write_tree_entry(b"040000", b"d", &id, &mut data);
        let tree = TreeRef::parse(&data).expect("valid");
        let entries: Vec<_> = tree.entries().collect();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].mode.kind(), EntryKind::Tree);
        assert_eq!(entries[1].name, b"d");
        let mut out = vec![];
        tree.write_to(&mut out);
        assert_eq!(out, data);
        assert_eq!(
            TreeRef::parse(&data[..data.len() - 1]),
            Err(TreeParseError::Truncated { offset: 29, remaining: 28 })
        );
        assert_eq!(TreeRef::parse(b"10x644 a\0"), Err(TreeParseError::MalformedMode { offset: 0, byte: b'x' }));
        let mut empty_name = b"100644 \0".to_vec();
        empty_name.extend_from_slice(&[1; 20]);
        assert_eq!(TreeRef::parse(&empty_name), Err(TreeParseError::EmptyName { offset: 0 }));
    }
}

/// The single-pass entry reader against the earlier two-pass one (kept above, test-only): the
/// same entries, lengths and errors on structured and random trees.
#[cfg(test)]
mod differential {
    use super::*;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    fn same(data: &[u8]) {
        let it = TreeIter::new(data);
        assert_eq!(it.entry(), it.entry_old(), "{data:?}");
        let mut a = TreeIter::new(data);
        let mut b = TreeIter::new(data);
        loop {
            let (x, y) = (a.next(), b.entry_old_next());
            assert_eq!(x, y, "{data:?}");
            if x.is_none() {
                break;
            }
        }
    }

    impl<'a> TreeIter<'a> {
        fn entry_old_next(&mut self) -> Option<Result<TreeEntry<'a>, TreeParseError>> {
            if self.rest.is_empty() {
                return None;
            }
            match self.entry_old() {
                Ok((entry, len)) => {
                    self.rest = self.rest.get(len..).unwrap_or(&[]);
                    self.offset += len;
                    Some(Ok(entry))
                }
                Err(e) => {
                    self.rest = &[];
                    Some(Err(e))
                }
            }
        }
    }

    /// Bytes mostly from the tree alphabet (octal digits, space, NUL, a few others).
    fn tree_like() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(
            prop_oneof![
                4 => b'0'..=b'7',
                2 => Just(b' '),
                2 => Just(0u8),
                1 => any::<u8>(),
                1 => Just(b'8'),
            ],
            0..80,
        )
    }

    #[test]
    fn structured() {
        for mode in [&b""[..], b"0", b"100644", b"40000", b"1100644", b"7777777777777", b"10x644", b"8"] {
            for name in [&b""[..], b"a", b"a b", b"\xff"] {
                for id_len in [0usize, 1, 19, 20, 21, 45] {
                    for nul in [false, true] {
                        for sp in [false, true] {
                            let mut d = mode.to_vec();
                            if sp {
                                d.push(b' ');
                            }
                            d.extend_from_slice(name);
                            if nul {
                                d.push(0);
                            }
                            d.extend(core::iter::repeat_n(7u8, id_len));
                            same(&d);
                        }
                    }
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200_000))]
        #[test]
        fn random_tree_like(d in tree_like()) {
            same(&d);
        }
        #[test]
        fn random_bytes(d in proptest::collection::vec(any::<u8>(), 0..64)) {
            same(&d);
        }
    }
}
