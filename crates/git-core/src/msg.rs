//! Error messages written without `core::fmt`. The errors of the core crates derive
//! `core::error::Error` with thiserror but carry no `#[error("...")]` attributes: each implements
//! [`Describe`], appending its text piece by piece through the few out-of-line writers of [`Msg`],
//! and gets `Display` from [`display_via_describe!`](crate::display_via_describe). The Wasm module
//! turns errors into text (ERR pkt-lines, report-status, side-band messages, the log import) only
//! through [`render`], so it carries neither the formatting machinery of `core::fmt` (`Formatter`,
//! `fmt::write`, integer `Display`) nor one generated `Display` impl per error type.

use crate::oid::ObjectId;
use alloc::string::String;

/// A value that can write itself as one line of human-readable text.
pub trait Describe {
    /// Append the text to `m`.
    fn describe(&self, m: &mut Msg<'_>);
}

/// The text being written: a `String` to append to. Every writer returns `self` to chain.
pub struct Msg<'a> {
    out: &'a mut String,
}

const HEX: &[u8; 16] = b"0123456789abcdef";

impl<'a> Msg<'a> {
    /// Append to `out`.
    pub fn new(out: &'a mut String) -> Self {
        Msg { out }
    }

    /// Text as is.
    #[inline(never)]
    pub fn s(&mut self, s: &str) -> &mut Self {
        self.out.push_str(s);
        self
    }

    /// An unsigned number in decimal, as `{}` prints it.
    #[inline(never)]
    pub fn u(&mut self, n: u64) -> &mut Self {
        let mut buf = [0u8; 20];
        // Only ASCII digits were written.
        self.out.push_str(core::str::from_utf8(decimal(n, &mut buf)).unwrap_or(""));
        self
    }

    /// A signed number in decimal, as `{}` prints it.
    pub fn i(&mut self, n: i64) -> &mut Self {
        if n < 0 {
            self.out.push('-');
        }
        self.u(n.unsigned_abs())
    }

    /// One byte as two lowercase hex digits, as `{:02x}` prints it.
    #[inline(never)]
    pub fn hex(&mut self, b: u8) -> &mut Self {
        self.out.push(char::from(HEX[usize::from(b >> 4)]));
        self.out.push(char::from(HEX[usize::from(b & 15)]));
        self
    }

    /// Bytes as `[b0, b1, ...]` with two lowercase hex digits each, as `{:02x?}` prints a byte
    /// array (the Wasm module is built with `-Zfmt-debug=none`, where `{:?}` prints nothing, and a
    /// checksum mismatch must still name both checksums there).
    #[inline(never)]
    pub fn hex_list(&mut self, bytes: &[u8]) -> &mut Self {
        self.out.push('[');
        for (i, &b) in bytes.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            self.hex(b);
        }
        self.out.push(']');
        self
    }

    /// Bytes from the client as text: printable ASCII as is, anything else (and `"`, `\`) as
    /// `\xNN`, so that a message never carries control bytes or invalid UTF-8.
    #[inline(never)]
    pub fn escaped(&mut self, bytes: &[u8]) -> &mut Self {
        for &b in bytes {
            if (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\' {
                self.out.push(char::from(b));
            } else {
                self.out.push_str("\\x");
                self.hex(b);
            }
        }
        self
    }

    /// Bytes as UTF-8 with invalid sequences replaced by U+FFFD, as `String::from_utf8_lossy`.
    pub fn lossy(&mut self, bytes: &[u8]) -> &mut Self {
        push_lossy(self.out, bytes);
        self
    }

    /// An object id in lowercase hex.
    #[inline(never)]
    pub fn id(&mut self, id: &ObjectId) -> &mut Self {
        let mut buf = [0u8; 40];
        self.out.push_str(id.hex_into(&mut buf));
        self
    }

    /// A nested value's text.
    pub fn d(&mut self, d: &dyn Describe) -> &mut Self {
        d.describe(self);
        self
    }
}

/// `n` in decimal ASCII digits, written at the end of `buf`: the one integer formatter of the
/// module (messages and loose-object headers).
pub(crate) fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut start = buf.len();
    loop {
        start -= 1;
        // n % 10 < 10: the cast cannot truncate.
        buf[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[start..]
}

/// Append `bytes` to `out` as UTF-8, each maximal invalid sequence replaced by one U+FFFD: the
/// output of `String::from_utf8_lossy`, from `core::str::from_utf8`'s error positions instead of
/// its chunk iterator (which would be a second UTF-8 decoder in the Wasm module).
#[inline(never)]
pub fn push_lossy(out: &mut String, mut bytes: &[u8]) {
    // One call site of `from_utf8`: on invalid input, the loop's next turn decodes the valid
    // prefix alone (which cannot fail), then goes on after the replaced sequence at `resume`.
    let mut end = bytes.len();
    let mut resume: Option<usize> = None;
    loop {
        match core::str::from_utf8(bytes.get(..end).unwrap_or_default()) {
            Ok(s) => {
                out.push_str(s);
                let Some(at) = resume.take() else { return };
                out.push(char::REPLACEMENT_CHARACTER);
                bytes = bytes.get(at..).unwrap_or_default();
                end = bytes.len();
            }
            Err(e) => {
                end = e.valid_up_to();
                // `None`: the input ends inside a sequence, replaced as a whole.
                resume = Some(e.error_len().map_or(bytes.len(), |n| end + n));
            }
        }
    }
}

/// `bytes` as a `String`, invalid UTF-8 replaced as [`push_lossy`] does.
pub fn lossy(bytes: &[u8]) -> String {
    let mut out = String::new();
    push_lossy(&mut out, bytes);
    out
}

/// The text of `d`.
pub fn render(d: &dyn Describe) -> String {
    let mut out = String::new();
    d.describe(&mut Msg::new(&mut out));
    out
}

/// A message written by a closure, for text that is no error type of its own.
pub struct With<F>(F);

/// The message `f` writes: `msgs.error(&with(|m| { m.s("no such ref ").lossy(name); }))`.
pub fn with<F: Fn(&mut Msg<'_>)>(f: F) -> With<F> {
    With(f)
}

impl<F: Fn(&mut Msg<'_>)> Describe for With<F> {
    fn describe(&self, m: &mut Msg<'_>) {
        (self.0)(m);
    }
}

impl<T: Describe + ?Sized> Describe for &T {
    fn describe(&self, m: &mut Msg<'_>) {
        (**self).describe(m);
    }
}

impl<T: Describe + ?Sized> Describe for alloc::boxed::Box<T> {
    fn describe(&self, m: &mut Msg<'_>) {
        (**self).describe(m);
    }
}

/// Text as is.
impl Describe for str {
    fn describe(&self, m: &mut Msg<'_>) {
        m.s(self);
    }
}

/// Never called: for sources that cannot fail.
impl Describe for core::convert::Infallible {
    fn describe(&self, _: &mut Msg<'_>) {
        match *self {}
    }
}

/// Implements `core::fmt::Display` for types through their [`Describe`] text, so that native code
/// and tests keep `to_string()` and `{}`.
#[macro_export]
macro_rules! display_via_describe {
    ($($t:ty),+ $(,)?) => {
        $(
            impl ::core::fmt::Display for $t {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.write_str(&$crate::msg::render(self))
                }
            }
        )+
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::ToString;
    use alloc::vec::Vec;

    fn text(f: impl Fn(&mut Msg<'_>)) -> String {
        render(&with(f))
    }

    #[test]
    fn unsigned_numbers_as_display() {
        for n in [0, 1, 9, 10, 99, 100, 12345, u64::from(u32::MAX), u64::MAX - 1, u64::MAX] {
            assert_eq!(text(|m| { m.u(n); }), format!("{n}"));
        }
        assert_eq!(text(|m| { m.u(u64::MAX); }), "18446744073709551615");
    }

    #[test]
    fn signed_numbers_as_display() {
        for n in [0, 1, -1, -10, 42, i64::MAX, i64::MIN, i64::MIN + 1] {
            assert_eq!(text(|m| { m.i(n); }), format!("{n}"));
        }
        assert_eq!(text(|m| { m.i(-7200); }), "-7200");
    }

    #[test]
    fn hex_as_debug_hex() {
        let all: Vec<u8> = (0..=255).collect();
        for b in 0..=255u8 {
            assert_eq!(text(|m| { m.hex(b); }), format!("{b:02x}"));
        }
        for s in [&b""[..], b"PACK", &[0, 1, 0x0f, 0x10, 0xff], &[7u8; 20], &all] {
            assert_eq!(text(|m| { m.hex_list(s); }), format!("{s:02x?}"));
        }
    }

    #[test]
    fn escaping_keeps_printable_ascii_only() {
        assert_eq!(text(|m| { m.escaped(b"00a\"\\\n\x00\x7f\xff ~"); }), "00a\\x22\\x5c\\x0a\\x00\\x7f\\xff ~");
    }

    #[test]
    fn lossy_replaces_invalid_utf8() {
        assert_eq!(text(|m| { m.lossy(b"ref\xffs/\xc3\xa9"); }), "ref\u{fffd}s/\u{e9}");
        // Truncated, overlong, surrogate and out-of-range sequences, and an input ending inside one.
        for case in [
            &b"\xe2\x82"[..], b"a\xe2\x82", b"\xc0\xaf", b"\xed\xa0\x80x", b"\xf4\x90\x80\x80", b"\xf0\x9f\x98",
            b"\xf0\x9f\x98\x80\xff\xfe", b"", b"\x80\x80", b"\xe2\x28\xa1",
        ] {
            assert_eq!(super::lossy(case), String::from_utf8_lossy(case), "{case:?}");
        }
    }

    proptest::proptest! {
        /// The same text as `String::from_utf8_lossy` for any bytes, mostly from the ranges where
        /// multi-byte sequences start and continue.
        #[test]
        fn lossy_matches_core(bytes in proptest::collection::vec(
            proptest::prop_oneof![0x80u8..0xc0, 0xc0u8..=0xff, 0u8..0x80], 0..24)) {
            proptest::prop_assert_eq!(super::lossy(&bytes), String::from_utf8_lossy(&bytes));
        }
    }

    #[test]
    fn ids_nesting_and_chaining() {
        let id = ObjectId::Sha1([0xab; 20]);
        let inner = with(|m| {
            m.s("inner ").u(7);
        });
        let t = text(|m| {
            m.s("id ").id(&id).s(": ").d(&inner).s(" end");
        });
        assert_eq!(t, format!("id {id}: inner 7 end"));
        assert_eq!(id.to_string(), "ab".repeat(20));
    }
}
