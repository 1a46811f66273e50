//! Identity lines (`author`, `committer`, `tagger`), checked byte by byte like fsck.c
//! `fsck_ident`: fsck-msgids `missingNameBeforeEmail`, `missingEmail`, `badName`,
//! `missingSpaceBeforeEmail`, `badEmail`, `missingSpaceBeforeDate`, `badDate`, `zeroPaddedDate`,
//! `badDateOverflow`, `badTimezone`.

use super::{FsckError, FsckOptions, FsckReport, MsgId};

/// Check the identity at the start of `buf` (which runs to the end of the object): whether
/// checking may go on (`false` also for a finding ignored by configuration: git stops there), and
/// the report's result. A pair of a bool and an error pointer, returned as two values (a
/// `Result<bool, _>` goes through memory); the caller takes the rest after the line itself.
pub(super) fn check_ident(buf: &[u8], options: &FsckOptions, report: &mut FsckReport) -> (bool, Result<(), FsckError>) {
    let problem = ident_problem(buf);
    match PROBLEMS.get(usize::from(problem)) {
        None => (true, Ok(())),
        // git's detail is "invalid author/committer line - " and the problem; the prefix is
        // stored once.
        Some((id, detail)) => (false, options.report_value(*id, "invalid author/committer line - ", detail.as_bytes(), report)),
    }
}

/// The problems [`ident_problem`] finds, by its return value (data, not code at each return).
const PROBLEMS: [(MsgId, &str); 10] = [
    (MsgId::MissingNameBeforeEmail, "missing space before email"),
    (MsgId::MissingEmail, "missing email"),
    (MsgId::BadName, "bad name"),
    (MsgId::MissingSpaceBeforeEmail, "missing space before email"),
    (MsgId::BadEmail, "bad email"),
    (MsgId::MissingSpaceBeforeDate, "missing space before date"),
    (MsgId::BadDate, "bad date"),
    (MsgId::ZeroPaddedDate, "zero-padded date"),
    (MsgId::BadDateOverflow, "date causes integer overflow"),
    (MsgId::BadTimezone, "bad time zone"),
];
const MISSING_NAME_BEFORE_EMAIL: u8 = 0;
const MISSING_EMAIL: u8 = 1;
const BAD_NAME: u8 = 2;
const MISSING_SPACE_BEFORE_EMAIL: u8 = 3;
const BAD_EMAIL: u8 = 4;
const MISSING_SPACE_BEFORE_DATE: u8 = 5;
const BAD_DATE: u8 = 6;
const ZERO_PADDED_DATE: u8 = 7;
const BAD_DATE_OVERFLOW: u8 = 8;
const BAD_TIMEZONE: u8 = 9;
/// No problem: past the end of [`PROBLEMS`].
const NONE: u8 = 10;

/// The index in [`PROBLEMS`] of the first problem, or [`NONE`].
fn ident_problem(buf: &[u8]) -> u8 {
    // Out-of-range reads see NUL, as reads past a C string's end would stop there.
    let at = |i: usize| buf.get(i).copied().unwrap_or(0);
    let end = buf.len();
    if at(0) == b'<' {
        return MISSING_NAME_BEFORE_EMAIL;
    }
    let mut p = 0;
    loop {
        if p >= end || at(p) == b'\n' {
            return MISSING_EMAIL;
        }
        match at(p) {
            b'>' => return BAD_NAME,
            b'<' => break,
            _ => p += 1,
        }
    }
    if p == 0 || at(p - 1) != b' ' {
        return MISSING_SPACE_BEFORE_EMAIL;
    }
    p += 1;
    loop {
        if p >= end || at(p) == b'<' || at(p) == b'\n' {
            return BAD_EMAIL;
        }
        if at(p) == b'>' {
            break;
        }
        p += 1;
    }
    p += 1;
    if at(p) != b' ' {
        return MISSING_SPACE_BEFORE_DATE;
    }
    p += 1;
    while at(p) == b' ' || at(p) == b'\t' {
        p += 1;
    }
    if !at(p).is_ascii_digit() {
        return BAD_DATE;
    }
    if at(p) == b'0' && at(p + 1) != b' ' {
        return ZERO_PADDED_DATE;
    }
    let (digits, date) = crate::object::leading_decimal(buf.get(p..).unwrap_or(&[]));
    // date_overflows(): the value must fit a signed 64-bit time_t. The first digit is not 0
    // (zero-padded dates were refused above; a lone 0 is one digit), so 20 digits or more are
    // at least 10^19, past i64::MAX, and up to 19 digits fit a u64 without overflow (so the
    // object parser's saturating reader gives the exact value).
    if digits > 19 || date > i64::MAX as u64 {
        return BAD_DATE_OVERFLOW;
    }
    p += digits;
    if at(p) != b' ' {
        return BAD_DATE;
    }
    p += 1;
    // The four zone digits over `1..5`: a half-open range is a simpler loop than `1..=4`.
    if (at(p) != b'+' && at(p) != b'-') || !(1..5).all(|i| at(p + i).is_ascii_digit()) || at(p + 5) != b'\n' {
        return BAD_TIMEZONE;
    }
    NONE
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The object parser's saturating reader equals plain (wrapping) arithmetic on the dates
    /// this check reads, up to 19 digits, so the overflow verdict is unchanged by sharing it.
    #[test]
    fn dates_up_to_19_digits_read_exactly() {
        let wrapping = |d: &[u8]| d.iter().fold(0u64, |v, d| v.wrapping_mul(10).wrapping_add(u64::from(d - b'0')));
        let mut x: u64 = 1;
        for _ in 0..100_000 {
            let mut digits = alloc::vec::Vec::new();
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            for i in 0..1 + (x >> 59) as usize % 19 {
                digits.push(if x >> (i % 60) & 1 == 0 { b'9' } else { b'0' + ((x >> 32) as u8).wrapping_add(i as u8) % 10 });
            }
            assert_eq!(crate::object::leading_decimal(&digits), (digits.len(), wrapping(&digits)), "{digits:?}");
        }
        assert_eq!(crate::object::leading_decimal(b"9999999999999999999 "), (19, 9_999_999_999_999_999_999));
    }

    #[test]
    fn date_overflow_and_padding() {
        let problem = |date: &str| ident_problem(alloc::format!("A <a@b> {date} +0000\n").as_bytes());
        assert_eq!(problem("9223372036854775807"), NONE);
        assert_eq!(problem("9223372036854775808"), BAD_DATE_OVERFLOW);
        assert_eq!(problem("99999999999999999999"), BAD_DATE_OVERFLOW);
        assert_eq!(problem("0"), NONE);
        assert_eq!(problem("01"), ZERO_PADDED_DATE);
        assert_eq!(problem("1x"), BAD_DATE);
    }
}
