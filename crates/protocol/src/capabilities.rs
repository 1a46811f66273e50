//! Capability lists (gitprotocol-capabilities). In protocol v0/v1 the server lists them after a NUL
//! on its first ref line; the client answers with the ones it uses on its first `want` line
//! (`want <oid> multi_ack_detailed side-band-64k agent=git/2.47.0`) or after a NUL on its first
//! push command. Values follow `=`; names and values contain no spaces.

/// The `agent` value this server sends (gitprotocol-capabilities "agent").
pub const AGENT: &str = "artifacts/0.1.0";

/// A space-separated capability list, borrowed from a request line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct CapList<'a> {
    raw: &'a [u8],
}

impl<'a> CapList<'a> {
    /// Wrap the raw list (a trailing `\n` is ignored).
    pub fn new(raw: &'a [u8]) -> Self {
        CapList { raw: raw.strip_suffix(b"\n").unwrap_or(raw) }
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.raw
    }

    /// Each capability as (name, value after `=`).
    pub fn iter(&self) -> impl Iterator<Item = (&'a [u8], Option<&'a [u8]>)> + 'a {
        self.raw.split(|b| *b == b' ').filter(|c| !c.is_empty()).map(|c| match c.iter().position(|b| *b == b'=') {
            Some(eq) => (&c[..eq], c.get(eq + 1..)),
            None => (c, None),
        })
    }

    /// True if `name` is present (with or without a value).
    pub fn has(&self, name: &[u8]) -> bool {
        self.entry(name).is_some()
    }

    /// The value of the first `name=value`.
    pub fn value(&self, name: &[u8]) -> Option<&'a [u8]> {
        self.entry(name).flatten()
    }

    /// The first capability named `name`, as [`iter`](Self::iter) yields it: `Some(None)` without
    /// a value, `Some(Some(value))` with one. Plain index loops, one copy for `has` and `value`
    /// (the iterator chain of `iter` is larger in the Wasm module).
    #[inline(never)]
    fn entry(&self, name: &[u8]) -> Option<Option<&'a [u8]>> {
        let raw = self.raw;
        let mut start = 0;
        while start < raw.len() {
            let mut end = start;
            while end < raw.len() && raw[end] != b' ' {
                end += 1;
            }
            let mut eq = start;
            while eq < end && raw[eq] != b'=' {
                eq += 1;
            }
            // Empty words (runs of spaces) are skipped, as `iter` skips them.
            if end > start && raw[start..eq] == *name {
                return Some(raw.get(eq + 1..end).filter(|_| eq < end));
            }
            start = end + 1;
        }
        None
    }
}

/// The index of `word` in `table` (exact match), through one shared out-of-line loop. A `match` on
/// byte-string literals compiles to a byte-by-byte comparison chain per literal: in the Wasm module
/// that is about ten bytes of code per character of every keyword.
#[inline(never)]
pub(crate) fn lookup(table: &[&[u8]], word: &[u8]) -> Option<usize> {
    table.iter().position(|k| *k == word)
}

/// Split a line at its first NUL: (before, capabilities after). Without a NUL the list is empty.
pub fn split_nul(line: &[u8]) -> (&[u8], CapList<'_>) {
    match line.iter().position(|b| *b == 0) {
        Some(nul) => (&line[..nul], CapList::new(line.get(nul + 1..).unwrap_or(&[]))),
        None => (line, CapList::default()),
    }
}

/// Split a v0 first-want line's rest `<oid> cap1 cap2` into the id part and the capabilities
/// (gitprotocol-pack "first-want = PKT-LINE("want" SP obj-id SP capability-list)").
pub fn split_want(rest: &[u8]) -> (&[u8], CapList<'_>) {
    let rest = rest.strip_suffix(b"\n").unwrap_or(rest);
    match rest.iter().position(|b| *b == b' ') {
        Some(sp) => (&rest[..sp], CapList::new(rest.get(sp + 1..).unwrap_or(&[]))),
        None => (rest, CapList::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_list() {
        let (id, caps) = split_want(b"1234 multi_ack_detailed side-band-64k agent=git/2.47.0\n");
        assert_eq!(id, b"1234");
        assert!(caps.has(b"side-band-64k"));
        assert!(!caps.has(b"side-band"));
        assert_eq!(caps.value(b"agent"), Some(&b"git/2.47.0"[..]));
        assert_eq!(caps.iter().count(), 3);
        let (before, caps) = split_nul(b"a b refs/heads/main\0report-status quiet");
        assert_eq!(before, b"a b refs/heads/main");
        assert!(caps.has(b"quiet"));
        for raw in [&b"a=1  b c=  =x d==2 a=3 e"[..], b" ", b"", b"x y\n", b"ab=1 a"] {
            let caps = CapList::new(raw);
            for name in [&b"a"[..], b"b", b"c", b"d", b"e", b"", b"x", b"y", b"ab", b"z", b"a=1"] {
                let first = caps.iter().find(|(n, _)| *n == name);
                assert_eq!(caps.has(name), first.is_some(), "{raw:?} {name:?}");
                assert_eq!(caps.value(name), first.and_then(|(_, v)| v), "{raw:?} {name:?}");
            }
        }
        let caps = CapList::new(b"a=1  b c=  =x d==2 a=3");
        assert_eq!(caps.value(b"a"), Some(&b"1"[..]));
        assert_eq!(caps.value(b"c"), Some(&b""[..]));
        assert_eq!(caps.value(b"d"), Some(&b"=2"[..]));
        assert_eq!(caps.value(b"b"), None);
        assert!(caps.has(b"b") && caps.has(b"") && !caps.has(b"z"));
        let (_, none) = split_nul(b"no caps");
        assert_eq!(none.iter().count(), 0);
    }
}
