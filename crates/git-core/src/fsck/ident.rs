//! Identity lines (`author`, `committer`, `tagger`), checked byte by byte like fsck.c
//! `fsck_ident`: fsck-msgids `missingNameBeforeEmail`, `missingEmail`, `badName`,
//! `missingSpaceBeforeEmail`, `badEmail`, `missingSpaceBeforeDate`, `badDate`, `zeroPaddedDate`,
//! `badDateOverflow`, `badTimezone`.

use super::{FsckError, FsckOptions, FsckReport, MsgId};

/// Check the identity at the start of `buf` (which runs to the end of the object). Returns the
/// rest after the identity's newline.
pub(super) fn check_ident<'a>(
    buf: &'a [u8],
    options: &FsckOptions,
    report: &mut FsckReport,
) -> Result<(&'a [u8], bool), FsckError> {
    let rest = super::headers::after_line(buf);
    let ok = match ident_problem(buf) {
        None => true,
        Some((id, detail)) => {
            // git's detail is "invalid author/committer line - " and the problem; the prefix is
            // stored once.
            options.report_value(id, "invalid author/committer line - ", detail.as_bytes(), report)?;
            false
        }
    };
    Ok((rest, ok))
}

fn ident_problem(buf: &[u8]) -> Option<(MsgId, &'static str)> {
    // Out-of-range reads see NUL, as reads past a C string's end would stop there.
    let at = |i: usize| buf.get(i).copied().unwrap_or(0);
    let end = buf.len();
    if at(0) == b'<' {
        return Some((MsgId::MissingNameBeforeEmail, "missing space before email"));
    }
    let mut p = 0;
    loop {
        if p >= end || at(p) == b'\n' {
            return Some((MsgId::MissingEmail, "missing email"));
        }
        match at(p) {
            b'>' => return Some((MsgId::BadName, "bad name")),
            b'<' => break,
            _ => p += 1,
        }
    }
    if p == 0 || at(p - 1) != b' ' {
        return Some((MsgId::MissingSpaceBeforeEmail, "missing space before email"));
    }
    p += 1;
    loop {
        if p >= end || at(p) == b'<' || at(p) == b'\n' {
            return Some((MsgId::BadEmail, "bad email"));
        }
        if at(p) == b'>' {
            break;
        }
        p += 1;
    }
    p += 1;
    if at(p) != b' ' {
        return Some((MsgId::MissingSpaceBeforeDate, "missing space before date"));
    }
    p += 1;
    while at(p) == b' ' || at(p) == b'\t' {
        p += 1;
    }
    if !at(p).is_ascii_digit() {
        return Some((MsgId::BadDate, "bad date"));
    }
    if at(p) == b'0' && at(p + 1) != b' ' {
        return Some((MsgId::ZeroPaddedDate, "zero-padded date"));
    }
    let digits = buf.get(p..).unwrap_or(&[]).iter().take_while(|b| b.is_ascii_digit()).count();
    // date_overflows(): the value must fit a signed 64-bit time_t. The first digit is not 0
    // (zero-padded dates were refused above; a lone 0 is one digit), so 20 digits or more are
    // at least 10^19, past i64::MAX, and up to 19 digits fit a u64 without overflow.
    if digits > 19 || parse_decimal(buf.get(p..p + digits).unwrap_or(&[])) > i64::MAX as u64 {
        return Some((MsgId::BadDateOverflow, "date causes integer overflow"));
    }
    p += digits;
    if at(p) != b' ' {
        return Some((MsgId::BadDate, "bad date"));
    }
    p += 1;
    if (at(p) != b'+' && at(p) != b'-') || !(1..=4).all(|i| at(p + i).is_ascii_digit()) || at(p + 5) != b'\n' {
        return Some((MsgId::BadTimezone, "bad time zone"));
    }
    None
}

/// At most 19 digits, so no overflow (plain wrapping arithmetic: no 128-bit multiply in Wasm).
fn parse_decimal(digits: &[u8]) -> u64 {
    digits.iter().fold(0u64, |v, d| v.wrapping_mul(10).wrapping_add(u64::from(d.wrapping_sub(b'0'))))
}
