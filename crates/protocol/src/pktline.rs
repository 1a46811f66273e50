//! pkt-line framing (gitprotocol-common "pkt-line Format"): a 4-digit hex length that counts itself,
//! then the payload. `0000` flush-pkt, `0001` delim-pkt and `0002` response-end-pkt (gitprotocol-v2)
//! carry no payload; `0003` is not valid; `0004` is an empty data line. A pkt-line is at most 65520
//! bytes including the length (`LARGE_PACKET_MAX` in git's pkt-line.h).
//!
//! [`decode`] is a pure streaming decoder: it never buffers, it answers what the next line in the
//! given bytes is, or how many more bytes it needs. [`PktBuffer`] accumulates chunked input for the
//! state machines, with an explicit cap.

use alloc::vec::Vec;

/// The largest pkt-line, length prefix included (gitprotocol-common).
pub const MAX_PKT_LEN: usize = 65520;
/// The largest payload of one pkt-line.
pub const MAX_DATA_LEN: usize = MAX_PKT_LEN - 4;

/// One decoded pkt-line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PktLine<'a> {
    /// A data line (its payload; `0004` gives an empty one).
    Data(&'a [u8]),
    /// `0000`: end of a message.
    Flush,
    /// `0001`: section delimiter (gitprotocol-v2).
    Delim,
    /// `0002`: end of a response in stateless connections (gitprotocol-v2).
    ResponseEnd,
}

impl<'a> PktLine<'a> {
    /// The payload of a data line with one trailing `\n` removed (gitprotocol-common: senders
    /// should add it, receivers must not require it). `None` for special packets.
    pub fn text(&self) -> Option<&'a [u8]> {
        match self {
            PktLine::Data(d) => Some(d.strip_suffix(b"\n").unwrap_or(d)),
            _ => None,
        }
    }
}

/// The result of [`decode`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decoded<'a> {
    /// A whole line, taking the first `consumed` bytes of the input.
    Complete { line: PktLine<'a>, consumed: usize },
    /// The input ends inside a line; at least `needed` more bytes are required.
    Incomplete { needed: usize },
}

/// A malformed pkt-line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PktError {
    BadLength([u8; 4]),
    Reserved(usize),
    TooLong { got: usize, limit: usize },
}

impl git_core::msg::Describe for PktError {
    fn describe(&self, m: &mut git_core::msg::Msg<'_>) {
        match self {
            PktError::BadLength(got) => m.s("pkt-line length is not 4 hex digits: got \"").escaped(got).s("\""),
            PktError::Reserved(len) => m.s("pkt-line length ").u(*len as u64).s(" is reserved and invalid"),
            PktError::TooLong { got, limit } => {
                m.s("pkt-line too long: got ").u(*got as u64).s(" bytes, limit ").u(*limit as u64)
            }
        };
    }
}
git_core::display_via_describe!(PktError);

fn hex_digit(b: u8) -> Option<usize> {
    let d = match b {
        b'0'..=b'9' => b - b'0',
        // `| 0x20` lowercases an ASCII letter: one arm for both cases.
        b'a'..=b'f' | b'A'..=b'F' => (b | 0x20) - b'a' + 10,
        _ => return None,
    };
    Some(d as usize)
}

/// Decode the first pkt-line of `buf`. Inlined into [`PktBuffer::next_line`], its one caller in
/// the engine: the answer is not returned through memory and copied.
#[inline]
pub fn decode(buf: &[u8]) -> Result<Decoded<'_>, PktError> {
    // An array, not a slice: the error below copies it whole.
    let Some(head) = buf.first_chunk::<4>() else {
        return Ok(Decoded::Incomplete { needed: 4 - buf.len() });
    };
    let mut len = 0usize;
    for &b in head {
        let Some(d) = hex_digit(b) else { return Err(PktError::BadLength(*head)) };
        len = (len << 4) | d;
    }
    let line = match len {
        0 => PktLine::Flush,
        1 => PktLine::Delim,
        2 => PktLine::ResponseEnd,
        3 => return Err(PktError::Reserved(3)),
        _ if len > MAX_PKT_LEN => return Err(PktError::TooLong { got: len, limit: MAX_PKT_LEN }),
        _ => match buf.get(4..len) {
            Some(d) => PktLine::Data(d),
            None => return Ok(Decoded::Incomplete { needed: len - buf.len() }),
        },
    };
    Ok(Decoded::Complete { line, consumed: if len < 4 { 4 } else { len } })
}

/// Append `len` as 4 lowercase hex digits. Computed digit by digit, last first: no digit table
/// (git-core keeps its own, out of reach) in the Wasm module's data.
fn write_len(out: &mut Vec<u8>, len: usize) {
    let mut hex = [0u8; 4];
    let mut rest = len;
    let mut i = hex.len();
    while i > 0 {
        i -= 1;
        let d = (rest & 15) as u8;
        if let Some(digit) = hex.get_mut(i) {
            *digit = if d < 10 { b'0' + d } else { b'a' - 10 + d };
        }
        rest >>= 4;
    }
    out.extend_from_slice(&hex);
}

/// Append a data pkt-line carrying `data`.
pub fn write_data(out: &mut Vec<u8>, data: &[u8]) -> Result<(), PktError> {
    if data.len() > MAX_DATA_LEN {
        return Err(PktError::TooLong { got: data.len() + 4, limit: MAX_PKT_LEN });
    }
    write_len(out, data.len() + 4);
    out.extend_from_slice(data);
    Ok(())
}

/// Append a data pkt-line from several parts (no intermediate copy).
pub fn write_parts(out: &mut Vec<u8>, parts: &[&[u8]]) -> Result<(), PktError> {
    // An index loop: no map/sum adapter code in the Wasm module.
    let mut total = 0;
    let mut i = 0;
    while i < parts.len() {
        total += parts[i].len();
        i += 1;
    }
    if total > MAX_DATA_LEN {
        return Err(PktError::TooLong { got: total + 4, limit: MAX_PKT_LEN });
    }
    write_len(out, total + 4);
    for p in parts {
        out.extend_from_slice(p);
    }
    Ok(())
}

/// Append a text pkt-line: `text` followed by `\n`.
pub fn write_text(out: &mut Vec<u8>, text: &[u8]) -> Result<(), PktError> {
    write_parts(out, &[text, b"\n"])
}

/// Append `ERR <msg>\n` (gitprotocol-pack: the server aborts with an error the client prints as
/// "remote error: <msg>"). Messages longer than a pkt-line are truncated.
pub fn write_err(out: &mut Vec<u8>, msg: &[u8]) {
    let room = MAX_DATA_LEN - 5;
    let msg = msg.get(..room).unwrap_or(msg);
    // Cannot fail: the length was capped above.
    let _ = write_parts(out, &[b"ERR ", msg, b"\n"]);
}

/// Append a flush-pkt `0000`.
pub fn write_flush(out: &mut Vec<u8>) {
    out.extend_from_slice(b"0000");
}

/// Append a delim-pkt `0001` (gitprotocol-v2).
pub fn write_delim(out: &mut Vec<u8>) {
    out.extend_from_slice(b"0001");
}

/// Append a response-end-pkt `0002` (gitprotocol-v2).
pub fn write_response_end(out: &mut Vec<u8>) {
    out.extend_from_slice(b"0002");
}

/// Input that arrived in arbitrary chunks, read back line by line. Holds at most `cap` bytes of
/// unconsumed input (git's http-backend caps a negotiation request at 10 MiB).
#[derive(Debug, Clone)]
pub struct PktBuffer {
    buf: Vec<u8>,
    pos: usize,
    cap: usize,
}

/// Buffered input over its cap.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct BufferFull {
    /// Bytes that would be buffered.
    pub got: usize,
    /// The cap.
    pub limit: usize,
}

impl git_core::msg::Describe for BufferFull {
    fn describe(&self, m: &mut git_core::msg::Msg<'_>) {
        m.s("request too large: got ").u(self.got as u64).s(" bytes, limit ").u(self.limit as u64);
    }
}
git_core::display_via_describe!(BufferFull);

impl PktBuffer {
    /// An empty buffer holding at most `cap` bytes.
    pub fn new(cap: usize) -> Self {
        PktBuffer { buf: Vec::new(), pos: 0, cap }
    }

    /// Append input.
    pub fn push(&mut self, data: &[u8]) -> Result<(), BufferFull> {
        if self.pos > 0 && self.pos == self.buf.len() {
            self.buf.clear();
            self.pos = 0;
        }
        let got = self.buf.len() - self.pos + data.len();
        if got > self.cap {
            return Err(BufferFull { got, limit: self.cap });
        }
        if self.pos > 0 && self.buf.len() + data.len() > self.buf.capacity() {
            // Move the unread bytes to the front: `copy_within` and `truncate`, not `drain`
            // (whose iterator and drop guard are more code in the Wasm module).
            let unread = self.buf.len() - self.pos;
            self.buf.copy_within(self.pos.., 0);
            self.buf.truncate(unread);
            self.pos = 0;
        }
        self.buf.extend_from_slice(data);
        Ok(())
    }

    /// The next whole line, `Ok(None)` when more input is needed.
    pub fn next_line(&mut self) -> Result<Option<PktLine<'_>>, PktError> {
        // One decode: the line borrows the field `buf` while the disjoint field `pos` moves on.
        let rest = self.buf.get(self.pos..).unwrap_or(&[]);
        match decode(rest)? {
            Decoded::Incomplete { .. } => Ok(None),
            Decoded::Complete { line, consumed } => {
                self.pos += consumed;
                Ok(Some(line))
            }
        }
    }

    /// Bytes received but not consumed as lines.
    pub fn pending(&self) -> usize {
        self.buf.len() - self.pos
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut out = Vec::new();
        write_text(&mut out, b"hello").expect("short");
        write_flush(&mut out);
        write_delim(&mut out);
        write_response_end(&mut out);
        write_data(&mut out, b"").expect("short");
        write_err(&mut out, b"bad");
        assert_eq!(&out[..], b"000ahello\n0000000100020004000cERR bad\n");
        let mut pos = 0;
        let mut lines = Vec::new();
        while pos < out.len() {
            match decode(&out[pos..]).expect("valid") {
                Decoded::Complete { line, consumed } => {
                    lines.push(line);
                    pos += consumed;
                }
                Decoded::Incomplete { .. } => panic!("incomplete"),
            }
        }
        assert_eq!(
            lines,
            [
                PktLine::Data(b"hello\n"),
                PktLine::Flush,
                PktLine::Delim,
                PktLine::ResponseEnd,
                PktLine::Data(b""),
                PktLine::Data(b"ERR bad\n")
            ]
        );
        assert_eq!(lines[0].text(), Some(&b"hello"[..]));
    }

    #[test]
    fn length_digits_in_either_case_and_nothing_else() {
        let line = Decoded::Complete { line: PktLine::Data(b"abcdef"), consumed: 10 };
        assert_eq!(decode(b"000aabcdef"), Ok(line));
        assert_eq!(decode(b"000Aabcdef"), Ok(line));
        assert_eq!(decode(b"001F"), Ok(Decoded::Incomplete { needed: 27 }));
        // Bytes next to the hex ranges, and ones that lowercase (`| 0x20`) into them.
        for bad in [b'/', b':', b'`', b'g', b'@', b'G', b'F' + 0x80, b'A' - 0x20 + 0x80] {
            let head = [b'0', b'0', b'0', bad];
            assert_eq!(decode(&head), Err(PktError::BadLength(head)), "{bad:#x}");
        }
    }

    #[test]
    fn incomplete_reports_needed() {
        assert_eq!(decode(b"00"), Ok(Decoded::Incomplete { needed: 2 }));
        assert_eq!(decode(b"000ahel"), Ok(Decoded::Incomplete { needed: 3 }));
    }

    #[test]
    fn buffer_any_chunking() {
        let mut all = Vec::new();
        write_text(&mut all, b"want x").expect("short");
        write_flush(&mut all);
        write_text(&mut all, b"done").expect("short");
        for split in 1..all.len() {
            let mut b = PktBuffer::new(1000);
            let mut got = Vec::new();
            for chunk in all.chunks(split) {
                b.push(chunk).expect("cap");
                while let Some(l) = b.next_line().expect("valid") {
                    got.push(alloc::format!("{l:?}"));
                }
            }
            // The same lines, whole, however the input was cut (cuts that leave a partial line
            // behind move it to the front of the buffer before the next chunk is appended).
            assert_eq!(got, ["Data([119, 97, 110, 116, 32, 120, 10])", "Flush", "Data([100, 111, 110, 101, 10])"], "split {split}");
            assert_eq!(b.pending(), 0);
        }
    }

    #[test]
    fn length_prefixes_are_four_lowercase_hex_digits() {
        let mut out = Vec::new();
        for len in [0x0123, 0x4567, 0x89ab, 0xcdef] {
            write_len(&mut out, len);
        }
        assert_eq!(out, b"0123456789abcdef");
    }

    #[test]
    fn max_len() {
        let mut out = Vec::new();
        write_data(&mut out, &[b'a'; MAX_DATA_LEN]).expect("fits");
        assert_eq!(&out[..4], b"fff0");
        assert!(matches!(decode(&out), Ok(Decoded::Complete { consumed: MAX_PKT_LEN, .. })));
        assert_eq!(
            write_data(&mut out, &[b'a'; MAX_DATA_LEN + 1]),
            Err(PktError::TooLong { got: 65521, limit: 65520 })
        );
    }
}
