//! Identities in `author`, `committer` and `tagger` lines: `Name <email> <seconds> <+hhmm>`.
//!
//! Split the way git's `split_ident_line` (ident.c) does, which is lenient: a missing or malformed
//! date leaves `time`/`tz` at zero. The strict checks (`badDate`, `badTimezone`, ...) belong to
//! [`crate::fsck`] and follow fsck-msgids.

use alloc::vec::Vec;

/// A parsed identity. `raw` is the whole value after the keyword and its space, without the
/// newline; [`Signature::write_to`] writes it back unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signature<'a> {
    /// The name before ` <`, trailing white space removed (may be empty).
    pub name: &'a [u8],
    /// The bytes between `<` and the first following `>`.
    pub email: &'a [u8],
    /// Seconds since the epoch, 0 if absent; values beyond `i64::MAX` saturate.
    pub time: i64,
    /// The timezone as written, read as a signed decimal: `-0130` is `-130`. 0 if absent.
    pub tz: i32,
    /// True if the timezone was written with a `-` sign (so `-0000` differs from `+0000`).
    pub tz_negative: bool,
    /// True if both a date and a timezone were found.
    pub has_date: bool,
    /// The exact bytes of the identity.
    pub raw: &'a [u8],
}

/// An identity line git cannot split (ident.c `split_ident_line` returns -1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    NoEmailStart { len: usize },
    NoEmailEnd { len: usize },
}

impl crate::msg::Describe for SignatureError {
    fn describe(&self, m: &mut crate::msg::Msg<'_>) {
        match self {
            SignatureError::NoEmailStart { len } => m.s("identity has no '<' starting the email (").u(*len as u64).s(" bytes)"),
            SignatureError::NoEmailEnd { len } => m.s("identity has no '>' ending the email (").u(*len as u64).s(" bytes)"),
        };
    }
}
crate::display_via_describe!(SignatureError);

/// git's `isspace()` (git-compat-util.h over ctype.c's `sane_ctype`): space, `\t`, `\n`, `\r`.
/// Unlike C's, it leaves out `\v` and `\f`.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The ASCII digits at the start of `s`: how many, and their value, saturating at `u64::MAX`
/// (git's strtoumax saturates too). One index loop for both (no `take_while` adapter, no second
/// pass over the digits).
pub(crate) fn leading_decimal(s: &[u8]) -> (usize, u64) {
    let (mut n, mut v) = (0, 0u64);
    while let Some(d) = s.get(n).filter(|b| b.is_ascii_digit()) {
        v = crate::mul::saturating_mul(v, 10).saturating_add(u64::from(d - b'0'));
        n += 1;
    }
    (n, v)
}

impl<'a> Signature<'a> {
    /// Split an identity (the bytes after `author ` up to, not including, the newline).
    pub fn parse(raw: &'a [u8]) -> Result<Self, SignatureError> {
        let lt = raw.iter().position(|b| *b == b'<').ok_or(SignatureError::NoEmailStart { len: raw.len() })?;
        let before = &raw[..lt];
        let name_end = before.iter().rposition(|b| !is_space(*b)).map_or(0, |p| p + 1);
        let after_lt = &raw[lt + 1..];
        let gt = after_lt.iter().position(|b| *b == b'>').ok_or(SignatureError::NoEmailEnd { len: raw.len() })?;
        let email = &after_lt[..gt];
        let mut sig = Signature {
            name: &before[..name_end],
            email,
            time: 0,
            tz: 0,
            tz_negative: false,
            has_date: false,
            raw,
        };
        let Some((time, negative, tz)) = parse_date(raw) else { return Ok(sig) };
        let tz_abs = i32::try_from(tz.min(i32::MAX as u64)).unwrap_or(i32::MAX);
        sig.time = i64::try_from(time).unwrap_or(i64::MAX);
        sig.tz = if negative { -tz_abs } else { tz_abs };
        sig.tz_negative = negative;
        sig.has_date = true;
        Ok(sig)
    }

    /// The timezone offset in seconds east of UTC (`+0130` is 5400), read as git does (hhmm).
    pub fn tz_offset_seconds(&self) -> i64 {
        let abs = i64::from(self.tz.unsigned_abs());
        let secs = (abs / 100) * 3600 + (abs % 100) * 60;
        if self.tz_negative {
            -secs
        } else {
            secs
        }
    }

    /// Write the identity exactly as parsed.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.raw);
    }
}

/// The date of an identity: seconds, then whether the zone is negative and its `hhmm` digits, both
/// required (split_ident_line: the date follows the *last* '>', which tolerates a stray '>' in the
/// email). `None` if there is no date.
pub(crate) fn parse_date(raw: &[u8]) -> Option<(u64, bool, u64)> {
    let last_gt = raw.iter().rposition(|b| *b == b'>')?;
    let rest = skip_spaces(raw.get(last_gt + 1..)?);
    let (n, time) = leading_decimal(rest);
    if n == 0 {
        return None;
    }
    let (negative, tz) = match skip_spaces(rest.get(n..)?) {
        [b'+', tail @ ..] => (false, tail),
        [b'-', tail @ ..] => (true, tail),
        _ => return None,
    };
    let (m, tz) = leading_decimal(tz);
    if m == 0 {
        return None;
    }
    Some((time, negative, tz))
}

fn skip_spaces(mut s: &[u8]) -> &[u8] {
    while let [b, tail @ ..] = s {
        if !is_space(*b) {
            break;
        }
        s = tail;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_git() {
        let s = Signature::parse(b"A U Thor <a@example.com> 1700000000 -0130").expect("valid");
        assert_eq!(s.name, b"A U Thor");
        assert_eq!(s.email, b"a@example.com");
        assert_eq!(s.time, 1_700_000_000);
        assert_eq!(s.tz, -130);
        assert!(s.tz_negative);
        assert_eq!(s.tz_offset_seconds(), -5400);
        let s = Signature::parse(b"<e> x").expect("no date is fine");
        assert_eq!((s.name, s.email, s.has_date), (&b""[..], &b"e"[..], false));
        let s = Signature::parse(b"n <e> 99999999999999999999999 -0000").expect("saturates");
        assert_eq!((s.time, s.tz, s.tz_negative), (i64::MAX, 0, true));
        assert_eq!(Signature::parse(b"no email"), Err(SignatureError::NoEmailStart { len: 8 }));
        assert_eq!(Signature::parse(b"n <e"), Err(SignatureError::NoEmailEnd { len: 4 }));
    }

    /// The one-loop reader against the two it replaced (kept here): the digit count, then the
    /// saturating value of those digits.
    fn old_digits_and_value(s: &[u8]) -> (usize, u64) {
        let n = s.iter().take_while(|b| b.is_ascii_digit()).count();
        let mut v: u64 = 0;
        for d in &s[..n] {
            v = v.saturating_mul(10).saturating_add(u64::from(d.wrapping_sub(b'0')));
        }
        (n, v)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(100_000))]
        #[test]
        fn leading_decimal_as_before(s in proptest::collection::vec(proptest::prop_oneof![
            8 => b'0'..=b'9',
            1 => proptest::prelude::any::<u8>(),
        ], 0..30)) {
            proptest::prop_assert_eq!(leading_decimal(&s), old_digits_and_value(&s), "{:?}", s);
        }
    }

    /// git's isspace() (ctype.c) has space, tab, LF and CR only: a `\v` or `\f` is not skipped
    /// before the date or the zone, nor trimmed from the end of the name.
    #[test]
    fn vertical_tab_and_form_feed_are_not_space() {
        let s = Signature::parse(b"n <e> \t\r1700000000\n +0100").expect("valid");
        assert_eq!((s.time, s.tz, s.has_date), (1_700_000_000, 100, true));
        for odd in [0x0bu8, 0x0c] {
            let line = [&b"n"[..], &[odd], b" <e> ", &[odd], b"1700000000 +0100"].concat();
            let s = Signature::parse(&line).expect("valid");
            assert_eq!((s.name, s.has_date, s.time), (&[b'n', odd][..], false, 0), "{odd:#x}");
            let line = [&b"n <e> 1700000000"[..], &[odd], b"+0100"].concat();
            assert_eq!(parse_date(&line), None, "{odd:#x}");
        }
    }
}
