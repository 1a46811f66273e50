//! Header lines of commits and tags: splitting the header block from the message, single-line
//! keyword fields, and the free-form extra headers whose values may continue on following lines
//! that start with a space (`gpgsig`, `gpgsig-sha256`, `mergetag`; gitformat-signature).

use crate::ObjectId;
use alloc::vec::Vec;

/// The header block (each line ending in `\n`) and the message after the blank line, if any.
/// `None` if the header block is not terminated: no blank line and no final newline
/// (fsck-msgids `unterminatedHeader`).
pub(crate) fn split_headers(data: &[u8]) -> Option<(&[u8], Option<&[u8]>)> {
    let mut start = 0;
    while let Some(nl) = data.get(start..).and_then(|s| s.iter().position(|b| *b == b'\n')) {
        let end = start + nl;
        if data.get(end + 1) == Some(&b'\n') {
            return Some((data.get(..=end)?, data.get(end + 2..)));
        }
        start = end + 1;
    }
    if data.is_empty() || data.last() == Some(&b'\n') {
        Some((data, None))
    } else {
        None
    }
}

/// The first line of `buf` without its newline, and the rest. `None` if there is no newline.
pub(crate) fn take_line(buf: &[u8]) -> Option<(&[u8], &[u8])> {
    let nl = buf.iter().position(|b| *b == b'\n')?;
    Some((buf.get(..nl)?, buf.get(nl + 1..)?))
}

/// `<keyword><40 hex>\n` at the start of `buf`: the id, its hex spelling, and the rest.
pub fn take_id_line<'a>(buf: &'a [u8], keyword: &[u8]) -> Option<(ObjectId, &'a [u8], &'a [u8])> {
    let rest = buf.strip_prefix(keyword)?;
    let hex = rest.get(..40)?;
    if rest.get(40) != Some(&b'\n') {
        return None;
    }
    let id = ObjectId::from_hex(hex).ok()?;
    Some((id, hex, rest.get(41..)?))
}

/// One extra header: a line after the fixed fields, plus its continuation lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExtraHeader<'a> {
    raw: &'a [u8],
}

impl<'a> ExtraHeader<'a> {
    /// The header as written: key, space, value, continuation lines joined by `\n`; no final newline.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }
    /// The bytes before the first space (the whole first line if it has no space).
    pub fn key(&self) -> &'a [u8] {
        let first = self.raw.split(|b| *b == b'\n').next().unwrap_or(self.raw);
        match first.iter().position(|b| *b == b' ') {
            Some(sp) => &first[..sp],
            None => first,
        }
    }
    /// The value as written after `key `: continuation lines still carry their `\n ` prefix.
    pub fn value_raw(&self) -> &'a [u8] {
        let key = self.key().len();
        self.raw.get(key + 1..).unwrap_or(&[])
    }
    /// True if the value spans several lines.
    pub fn is_multiline(&self) -> bool {
        self.raw.contains(&b'\n')
    }
    /// Appends the value with the continuation prefixes removed, as git's `read_commit_extra_header_lines`
    /// / `parse_signed_commit` reconstruct it: each line ends with `\n`.
    pub fn unfold_into(&self, out: &mut Vec<u8>) {
        for (i, line) in self.value_raw().split(|b| *b == b'\n').enumerate() {
            let line = if i == 0 { line } else { line.strip_prefix(b" ").unwrap_or(line) };
            out.extend_from_slice(line);
            out.push(b'\n');
        }
    }
    /// Write the header back with its final newline.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.raw);
        out.push(b'\n');
    }
}

/// Iterator over extra headers. The block it walks is a run of whole lines (each ends in `\n`).
#[derive(Clone, Debug)]
pub struct ExtraHeaders<'a> {
    rest: &'a [u8],
}

impl<'a> ExtraHeaders<'a> {
    pub(crate) fn new(block: &'a [u8]) -> Self {
        ExtraHeaders { rest: block }
    }
}

impl<'a> Iterator for ExtraHeaders<'a> {
    type Item = ExtraHeader<'a>;
    fn next(&mut self) -> Option<ExtraHeader<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        let block = self.rest;
        let mut end = block.iter().position(|b| *b == b'\n').unwrap_or(block.len());
        while block.get(end + 1) == Some(&b' ') {
            end = match block.get(end + 1..).and_then(|s| s.iter().position(|b| *b == b'\n')) {
                Some(nl) => end + 1 + nl,
                None => block.len(),
            };
        }
        self.rest = block.get(end + 1..).unwrap_or(&[]);
        Some(ExtraHeader { raw: block.get(..end).unwrap_or(block) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn continuation_lines() {
        let block = b"encoding ISO-8859-1\ngpgsig -----BEGIN-----\n \n abc\n -----END-----\nx-odd\n";
        let hs: Vec<_> = ExtraHeaders::new(block).collect();
        assert_eq!(hs.len(), 3);
        assert_eq!(hs[0].key(), b"encoding");
        assert_eq!(hs[0].value_raw(), b"ISO-8859-1");
        assert_eq!(hs[1].key(), b"gpgsig");
        assert!(hs[1].is_multiline());
        let mut v = vec![];
        hs[1].unfold_into(&mut v);
        assert_eq!(v, b"-----BEGIN-----\n\nabc\n-----END-----\n");
        assert_eq!(hs[2].key(), b"x-odd");
        assert_eq!(hs[2].value_raw(), b"");
        let mut out = vec![];
        hs.iter().for_each(|h| h.write_to(&mut out));
        assert_eq!(out, block);
    }

    #[test]
    fn split() {
        assert_eq!(split_headers(b"a\n\nmsg"), Some((&b"a\n"[..], Some(&b"msg"[..]))));
        assert_eq!(split_headers(b"a\nb\n"), Some((&b"a\nb\n"[..], None)));
        assert_eq!(split_headers(b"a\nb"), None);
        assert_eq!(split_headers(b"a\n\n"), Some((&b"a\n"[..], Some(&b""[..]))));
    }
}
