//! Incremental decoding of one entry header, a byte at a time: the type and size varint, then the
//! OFS_DELTA offset or the REF_DELTA base id (gitformat-pack "Object types", "offset encoding").

use super::ParseError;
use crate::EntryKind;
use git_core::{ObjectId, ObjectKind};

#[derive(Clone, Copy, Debug)]
enum Stage {
    First,
    Size,
    OfsFirst,
    Ofs,
    Ref,
}

/// Decoder state; `reset` before each entry.
#[derive(Clone, Debug)]
pub(crate) struct EntryHeaderDecoder {
    stage: Stage,
    type_number: u8,
    size: u64,
    shift: u32,
    ofs: u64,
    base: [u8; 20],
    base_len: usize,
    pub(crate) len: u32,
}

/// A decoded header.
pub(crate) struct Decoded {
    pub(crate) kind: EntryKind,
    pub(crate) size: u64,
}

impl EntryHeaderDecoder {
    pub(crate) fn new() -> Self {
        EntryHeaderDecoder { stage: Stage::First, type_number: 0, size: 0, shift: 0, ofs: 0, base: [0; 20], base_len: 0, len: 0 }
    }

    /// Feeds one byte of the entry at `offset`; `Some` when the header is complete.
    pub(crate) fn push(&mut self, byte: u8, offset: u64) -> Result<Option<Decoded>, ParseError> {
        self.len = self.len.saturating_add(1);
        match self.stage {
            Stage::First => {
                self.type_number = (byte >> 4) & 7;
                if !matches!(self.type_number, 1..=4 | 6 | 7) {
                    return Err(ParseError::EntryType { offset, type_number: self.type_number });
                }
                self.size = u64::from(byte & 15);
                self.shift = 4;
                if byte & 0x80 != 0 {
                    self.stage = Stage::Size;
                    return Ok(None);
                }
                self.after_size(offset)
            }
            Stage::Size => {
                let bits = u64::from(byte & 0x7f);
                if self.shift >= 64 || (self.shift > 57 && bits >> (64 - self.shift) != 0) {
                    return Err(ParseError::SizeOverflow { offset });
                }
                self.size |= bits << self.shift;
                self.shift += 7;
                if byte & 0x80 != 0 {
                    return Ok(None);
                }
                self.after_size(offset)
            }
            Stage::OfsFirst => {
                self.ofs = u64::from(byte & 0x7f);
                if byte & 0x80 != 0 {
                    self.stage = Stage::Ofs;
                    return Ok(None);
                }
                self.ofs_done(offset).map(Some)
            }
            Stage::Ofs => {
                // git: offset = ((offset + 1) << 7) | (c & 127), refusing any overflow.
                let next = self.ofs.checked_add(1).filter(|v| v >> 57 == 0).map(|v| (v << 7) | u64::from(byte & 0x7f));
                self.ofs = next.ok_or(ParseError::OfsOverflow { offset })?;
                if byte & 0x80 != 0 {
                    return Ok(None);
                }
                self.ofs_done(offset).map(Some)
            }
            Stage::Ref => {
                if let Some(slot) = self.base.get_mut(self.base_len) {
                    *slot = byte;
                }
                self.base_len += 1;
                if self.base_len < 20 {
                    return Ok(None);
                }
                let base = ObjectId::Sha1(self.base);
                Ok(Some(Decoded { kind: EntryKind::RefDelta { base }, size: self.size }))
            }
        }
    }

    fn after_size(&mut self, offset: u64) -> Result<Option<Decoded>, ParseError> {
        match self.type_number {
            6 => {
                self.stage = Stage::OfsFirst;
                Ok(None)
            }
            7 => {
                self.stage = Stage::Ref;
                Ok(None)
            }
            n => {
                let kind = ObjectKind::from_number(n).map_err(|_| ParseError::EntryType { offset, type_number: n })?;
                Ok(Some(Decoded { kind: EntryKind::Full(kind), size: self.size }))
            }
        }
    }

    fn ofs_done(&self, offset: u64) -> Result<Decoded, ParseError> {
        let distance = self.ofs;
        let base_offset = offset
            .checked_sub(distance)
            .filter(|b| distance != 0 && *b >= crate::PACK_HEADER_LEN as u64)
            .ok_or(ParseError::OfsOutOfRange { offset, distance })?;
        Ok(Decoded { kind: EntryKind::OfsDelta { base_offset }, size: self.size })
    }
}
