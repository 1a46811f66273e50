//! Tag checks, in fsck.c `fsck_tag_standalone` order (fsck-msgids `missingObject`,
//! `badObjectSha1`, `missingTypeEntry`, `missingType`, `badType`, `missingTagEntry`, `missingTag`,
//! `badTagName`, `missingTaggerEntry`, the identity ids, `badGpgsig`, `badHeaderContinuation`,
//! `extraHeaderEntry`).

use super::headers::{expected_line, first_id_line, invalid_format};
use super::ident::check_ident;
use super::refname::{check_refname_format, RefnameFlags};
use super::{FsckError, FsckOptions, FsckReport, MsgId};
use crate::object::take_line;
use crate::ObjectKind;

pub(super) fn check_tag(data: &[u8], options: &FsckOptions, report: &mut FsckReport) -> Result<(), FsckError> {
    let (go_on, result) = first_id_line(data, "object", MsgId::MissingObject, MsgId::BadObjectSha1, options, report);
    result?;
    if !go_on {
        return Ok(());
    }
    let mut buf = super::headers::after_line(data);
    let Some(rest) = buf.strip_prefix(b"type ") else {
        return expected_line(MsgId::MissingTypeEntry, "type", options, report);
    };
    let Some((kind, after)) = take_line(rest) else {
        return invalid_format(MsgId::MissingType, "unexpected end after 'type' line", options, report);
    };
    // One of the four names (the object header's reader: no second table).
    if ObjectKind::from_name(kind).is_err() {
        options.report(MsgId::BadType, "invalid 'type' value", report)?;
    }
    buf = after;
    let Some(rest) = buf.strip_prefix(b"tag ") else {
        return expected_line(MsgId::MissingTagEntry, "tag", options, report);
    };
    let Some((name, after)) = take_line(rest) else {
        return invalid_format(MsgId::MissingTag, "unexpected end after 'type' line", options, report);
    };
    // git checks `refs/tags/<name>`: the prefix adds two valid components and ends in `/`, so
    // that is `name` checked as one or more components, except that `@` alone is only refused as
    // a whole ref name (no allocation for the prefixed name).
    if !(check_refname_format(name, RefnameFlags::ALLOW_ONELEVEL) || name == b"@") {
        options.report_value(MsgId::BadTagName, "invalid 'tag' name: ", name, report)?;
    }
    buf = after;
    match buf.strip_prefix(b"tagger ") {
        None => {
            // Early tags have no tagger line.
            expected_line(MsgId::MissingTaggerEntry, "tagger", options, report)?;
        }
        Some(rest) => {
            let (ok, result) = check_ident(rest, options, report);
            result?;
            if !ok {
                return Ok(());
            }
            buf = super::headers::after_line(rest);
        }
    }
    if let Some(rest) = buf.strip_prefix(b"gpgsig ").or_else(|| buf.strip_prefix(b"gpgsig-sha256 ")) {
        let Some((_, after)) = take_line(rest) else {
            return invalid_format(MsgId::BadGpgsig, "unexpected end after 'gpgsig' or 'gpgsig-sha256' line", options, report);
        };
        buf = after;
        while buf.first() == Some(&b' ') {
            let Some((_, after)) = take_line(buf) else {
                return invalid_format(MsgId::BadHeaderContinuation, "unexpected end in 'gpgsig' or 'gpgsig-sha256' continuation line", options, report);
            };
            buf = after;
        }
    }
    if !buf.is_empty() && buf.first() != Some(&b'\n') {
        invalid_format(MsgId::ExtraHeaderEntry, "extra header(s) after 'tagger'", options, report)?;
    }
    Ok(())
}
