//! Decoding one entry header: the type and size varint, then the OFS_DELTA offset or the
//! REF_DELTA base id (gitformat-pack "Object types", "offset encoding").
//!
//! The parser gathers a header's bytes (at most [`MAX_HEADER_LEN`]) and decodes them from the
//! start each time more arrive: one straight pass instead of a byte-at-a-time state machine.
//! Decoding a prefix stops at the same byte, with the same error, as decoding byte by byte.

use super::{boxed, ParseError};
use alloc::boxed::Box;
use crate::EntryKind;
use git_core::{ObjectId, ObjectKind};

/// The longest header the decoder can need: a size varint runs over 64 bits by its 10th byte and
/// an OFS_DELTA offset by its 10th, a REF_DELTA id is 20 bytes.
pub(crate) const MAX_HEADER_LEN: usize = 32;

/// A decoded header.
pub(crate) struct Decoded {
    pub(crate) kind: EntryKind,
    pub(crate) size: u64,
    /// Bytes of the header.
    pub(crate) len: usize,
}

/// Decodes the header of the entry at `offset` from its first bytes `buf`: `Ok(None)` while
/// incomplete.
#[inline(always)]
pub(crate) fn decode(buf: &[u8], offset: u64) -> Result<Option<Decoded>, Box<ParseError>> {
    let Some(&first) = buf.first() else { return Ok(None) };
    let mut pos = 1;
    let type_number = (first >> 4) & 7;
    if !matches!(type_number, 1..=4 | 6 | 7) {
        return Err(boxed(ParseError::EntryType { offset, type_number }));
    }
    let mut size = u64::from(first & 15);
    let mut shift = 4u32;
    let mut byte = first;
    while byte & 0x80 != 0 {
        let Some(&b) = buf.get(pos) else { return Ok(None) };
        pos += 1;
        byte = b;
        let bits = u64::from(byte & 0x7f);
        if shift >= 64 || (shift > 57 && bits >> (64 - shift) != 0) {
            return Err(boxed(ParseError::SizeOverflow { offset }));
        }
        size |= bits << shift;
        shift += 7;
    }
    let kind = match type_number {
        6 => {
            let Some(&b) = buf.get(pos) else { return Ok(None) };
            pos += 1;
            let mut byte = b;
            let mut distance = u64::from(byte & 0x7f);
            while byte & 0x80 != 0 {
                let Some(&b) = buf.get(pos) else { return Ok(None) };
                pos += 1;
                byte = b;
                // git: offset = ((offset + 1) << 7) | (c & 127), refusing any overflow.
                if distance >= (1 << 57) - 1 {
                    return Err(boxed(ParseError::OfsOverflow { offset }));
                }
                distance = (distance + 1) << 7 | u64::from(byte & 0x7f);
            }
            let base_offset = offset.wrapping_sub(distance);
            if distance == 0 || distance > offset || base_offset < crate::PACK_HEADER_LEN as u64 {
                return Err(boxed(ParseError::OfsOutOfRange { offset, distance }));
            }
            EntryKind::OfsDelta { base_offset }
        }
        7 => {
            let start = pos;
            pos += 20;
            let Some(id) = buf.get(start..pos) else { return Ok(None) };
            let mut raw = [0; 20];
            raw.copy_from_slice(id);
            EntryKind::RefDelta { base: ObjectId::Sha1(raw) }
        }
        // 1 to 4, checked above.
        1 => EntryKind::Full(ObjectKind::Commit),
        2 => EntryKind::Full(ObjectKind::Tree),
        3 => EntryKind::Full(ObjectKind::Blob),
        _ => EntryKind::Full(ObjectKind::Tag),
    };
    Ok(Some(Decoded { kind, size, len: pos }))
}
