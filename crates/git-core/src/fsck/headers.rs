//! The header block of commits and tags must end in a blank line or at least a newline, and carry
//! no NUL (fsck.c `verify_headers`; fsck-msgids `nulInHeader`, `unterminatedHeader`).

use super::{FsckError, FsckOptions, FsckReport, MsgId};

/// `Ok(true)` if the headers are sound and checking may go on; `Ok(false)` if a finding was
/// ignored by configuration but parsing must still stop (git stops in both cases).
pub(super) fn verify_headers(data: &[u8], options: &FsckOptions, report: &mut FsckReport) -> Result<bool, FsckError> {
    let mut i = 0;
    while let Some(&b) = data.get(i) {
        if b == 0 {
            let mut detail = alloc::string::String::from("unterminated header: NUL at offset ");
            crate::msg::Msg::new(&mut detail).u(i as u64);
            options.report_owned(MsgId::NulInHeader, detail, report)?;
            return Ok(false);
        }
        if b == b'\n' && data.get(i + 1) == Some(&b'\n') {
            return Ok(true);
        }
        i += 1;
    }
    if data.last() == Some(&b'\n') {
        return Ok(true);
    }
    options.report(MsgId::UnterminatedHeader, "unterminated header", report)?;
    Ok(false)
}

/// The start both commits and tags share: sound headers ([`verify_headers`]), then
/// `<word> <hex id>\n` (a commit's `tree`, a tag's `object`; fsck-msgids `missing`/`bad` if
/// not). Whether checking goes on (`false` where git stops), and the reports' result: a pair
/// of a bool and an error pointer, returned as two values (a `Result<bool, _>` goes through
/// memory). The caller goes on after the first line of `data`, taken there.
pub(super) fn first_id_line(
    data: &[u8],
    word: &str,
    missing: MsgId,
    bad: MsgId,
    options: &FsckOptions,
    report: &mut FsckReport,
) -> (bool, Result<(), FsckError>) {
    match verify_headers(data, options, report) {
        Ok(true) => {}
        Ok(false) => return (false, Ok(())),
        Err(e) => return (false, Err(e)),
    }
    // The space by pattern, not a `strip_prefix` of its own for a one-byte array.
    let Some(buf) = data.strip_prefix(word.as_bytes()).and_then(|rest| match rest {
        [b' ', buf @ ..] => Some(buf),
        _ => None,
    }) else {
        return (false, expected_line(missing, word, options, report));
    };
    (true, id_line(buf, bad, word, options, report))
}

/// git's `parse_oid_hex` followed by a check for `\n`: 40 hex digits of either case, then
/// newline (the object parser's reader, so the module carries one). The id is a link
/// ([`FsckReport::links`]); anything else is git's "invalid '<word>' line format - bad sha1".
pub(super) fn id_line(buf: &[u8], id: MsgId, word: &str, options: &FsckOptions, report: &mut FsckReport) -> Result<(), FsckError> {
    match crate::object::take_id_line(buf, b"") {
        Some((link, _, _)) => {
            report.links.insert(link);
            Ok(())
        }
        None => options.report_parts(id, "invalid '", word.as_bytes(), "' line format - bad sha1", report),
    }
}

/// The rest of `buf` after its first newline (empty if none).
pub(super) fn after_line(buf: &[u8]) -> &[u8] {
    crate::object::take_line(buf).map_or(&[], |(_, rest)| rest)
}

/// git's "invalid format - expected '<word>' line", its text pieces stored once.
pub(super) fn expected_line(id: MsgId, word: &str, options: &FsckOptions, report: &mut FsckReport) -> Result<(), FsckError> {
    options.report_parts(id, "invalid format - expected '", word.as_bytes(), "' line", report)
}

/// git's "invalid format - <what>".
pub(super) fn invalid_format(id: MsgId, what: &str, options: &FsckOptions, report: &mut FsckReport) -> Result<(), FsckError> {
    options.report_parts(id, "invalid format - ", what.as_bytes(), "", report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id_line_ok(buf: &[u8]) -> bool {
        let mut report = FsckReport::default();
        let ok = id_line(buf, MsgId::BadTreeSha1, "tree", &FsckOptions::default(), &mut report).is_ok();
        assert_eq!(report.links.len(), usize::from(ok), "the id is a link exactly when it is read");
        ok
    }

    #[test]
    fn hex_id_lines() {
        let hex = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
        assert!(id_line_ok(alloc::format!("{hex}\n").as_bytes()));
        assert!(id_line_ok(alloc::format!("{}\nmore", hex.to_ascii_uppercase()).as_bytes()));
        for bad in [alloc::string::String::from(hex), alloc::format!("{hex} \n"), alloc::format!("{}g\n", &hex[..39]), alloc::format!("{}\n", &hex[..39])] {
            assert!(!id_line_ok(bad.as_bytes()), "{bad}");
        }
    }
}
