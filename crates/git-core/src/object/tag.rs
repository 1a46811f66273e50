//! Annotated tags: `object`, `type`, `tag`, optional `tagger`, extra headers, a blank line, the
//! message, which may end in an embedded signature (git-mktag, gitformat-signature). Read like git's
//! `parse_tag_buffer` (tag.c).

use super::commit::identity_line;
use super::header::{split_headers, take_id_line, take_line, ExtraHeaders};
use super::signature::{Signature, SignatureError};
use crate::{ObjectId, ObjectKind};
use alloc::vec::Vec;

/// A tag borrowing its bytes. `parse` followed by `write_to` reproduces the input exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TagRef<'a> {
    target: ObjectId,
    target_hex: &'a [u8],
    target_kind: ObjectKind,
    name: &'a [u8],
    tagger: Option<Signature<'a>>,
    extra: &'a [u8],
    message: Option<&'a [u8]>,
}

/// A tag that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TagParseError {
    UnterminatedHeader,
    BadObject,
    MissingType,
    BadType,
    MissingTagName,
    BadTagger(SignatureError),
}

impl crate::msg::Describe for TagParseError {
    fn describe(&self, m: &mut crate::msg::Msg<'_>) {
        match self {
            TagParseError::UnterminatedHeader => m.s("tag header is not terminated: no blank line and no final newline"),
            TagParseError::BadObject => m.s("tag does not start with 'object <40 hex digits>\\n'"),
            TagParseError::MissingType => m.s("tag has no 'type <kind>\\n' line after object"),
            TagParseError::BadType => m.s("tag type is not commit, tree, blob or tag"),
            TagParseError::MissingTagName => m.s("tag has no 'tag <name>\\n' line after type"),
            TagParseError::BadTagger(e) => m.s("tag tagger identity: ").d(e),
        };
    }
}
crate::display_via_describe!(TagParseError);

/// Lines that start an embedded signature at the end of a tag message (gitformat-signature; git's
/// `parse_signed_buffer` in gpg-interface.c).
const SIGNATURE_STARTS: [&[u8]; 4] = [
    b"-----BEGIN PGP SIGNATURE-----",
    b"-----BEGIN PGP MESSAGE-----",
    b"-----BEGIN SIGNED MESSAGE-----",
    b"-----BEGIN SSH SIGNATURE-----",
];

impl<'a> TagRef<'a> {
    /// Parse a tag's data (no `tag <size>\0` header).
    pub fn parse(data: &'a [u8]) -> Result<Self, TagParseError> {
        let (headers, message) = split_headers(data).ok_or(TagParseError::UnterminatedHeader)?;
        let (target, target_hex, rest) = take_id_line(headers, b"object ").ok_or(TagParseError::BadObject)?;
        let (kind, rest) = rest
            .strip_prefix(b"type ")
            .and_then(take_line)
            .ok_or(TagParseError::MissingType)?;
        let target_kind = ObjectKind::from_name(kind).map_err(|_| TagParseError::BadType)?;
        let (name, rest) = rest.strip_prefix(b"tag ").and_then(take_line).ok_or(TagParseError::MissingTagName)?;
        let (tagger, extra) = match identity_line(rest, b"tagger ") {
            Some(found) => {
                let (sig, extra) = found.map_err(TagParseError::BadTagger)?;
                (Some(sig), extra)
            }
            None => (None, rest),
        };
        Ok(TagRef { target, target_hex, target_kind, name, tagger, extra, message })
    }

    /// The tagged object.
    pub fn target(&self) -> ObjectId {
        self.target
    }
    /// The tagged object's kind, as the `type` line states it.
    pub fn target_kind(&self) -> ObjectKind {
        self.target_kind
    }
    /// The tag's name (the `tag` line).
    pub fn name(&self) -> &'a [u8] {
        self.name
    }
    /// The tagger; very old tags have none (fsck-msgids `missingTaggerEntry`).
    pub fn tagger(&self) -> Option<&Signature<'a>> {
        self.tagger.as_ref()
    }
    /// Headers after `tagger` (or `tag`), in order.
    pub fn extra_headers(&self) -> ExtraHeaders<'a> {
        ExtraHeaders::new(self.extra)
    }
    /// The message after the blank line, including any embedded signature; empty if none.
    pub fn message(&self) -> &'a [u8] {
        self.message.unwrap_or(&[])
    }
    /// True if the headers are followed by a blank line.
    pub fn has_message_separator(&self) -> bool {
        self.message.is_some()
    }
    /// The message split into the text and the embedded signature that ends it, if any: the
    /// signature starts at the last line that begins with a known `-----BEGIN ...` marker.
    pub fn split_signature(&self) -> (&'a [u8], Option<&'a [u8]>) {
        let msg = self.message();
        let mut found = None;
        let mut start = 0;
        while start < msg.len() {
            let rest = msg.get(start..).unwrap_or(&[]);
            if SIGNATURE_STARTS.iter().any(|m| rest.starts_with(m)) {
                found = Some(start);
            }
            start = match rest.iter().position(|b| *b == b'\n') {
                Some(nl) => start + nl + 1,
                None => msg.len(),
            };
        }
        match found {
            Some(at) => (msg.get(..at).unwrap_or(msg), msg.get(at..)),
            None => (msg, None),
        }
    }

    /// Write the tag exactly as parsed.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"object ");
        out.extend_from_slice(self.target_hex);
        out.extend_from_slice(b"\ntype ");
        out.extend_from_slice(self.target_kind.name().as_bytes());
        out.extend_from_slice(b"\ntag ");
        out.extend_from_slice(self.name);
        out.push(b'\n');
        if let Some(tagger) = &self.tagger {
            out.extend_from_slice(b"tagger ");
            tagger.write_to(out);
            out.push(b'\n');
        }
        out.extend_from_slice(self.extra);
        if let Some(message) = self.message {
            out.push(b'\n');
            out.extend_from_slice(message);
        }
    }
}
