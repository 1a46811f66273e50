//! The streaming pack parser (gitformat-pack), sans-I/O.
//!
//! Bytes go in as the network delivers them ([`PackParser::handle_bytes`], any chunking); events
//! come out ([`PackParser::poll_event`]); the end of input is announced with
//! [`PackParser::handle_end`]. At most one event is buffered: `handle_bytes` stops consuming while
//! an event waits to be polled. Memory is bounded by the largest entry (`max_object_size`), not by
//! the pack: an entry's inflated data and its compressed bytes are the only buffers.
//!
//! ```text
//! let mut p = PackParser::new(ParserOptions::default());
//! for chunk in network {
//!     let mut rest = &chunk[..];
//!     loop {
//!         let n = p.handle_bytes(rest)?;
//!         rest = &rest[n..];
//!         while let Some(event) = p.poll_event() { /* ... */ }
//!         if rest.is_empty() { break; }
//!     }
//! }
//! p.handle_end()?; // truncated input is an error here
//! ```

mod entry_header;
mod error;

pub use error::{ParseError, Section};

use crate::crc::EntryCrc;
use crate::entry::{Entry, Event};
use crate::trailer::{TrailerHash, TRAILER_LEN};
use crate::PACK_HEADER_LEN;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use entry_header::MAX_HEADER_LEN;
use git_core::zlib::{Inflater, StreamInflate};

/// Default largest inflated entry: 512 MiB.
pub const DEFAULT_MAX_OBJECT_SIZE: u64 = 512 << 20;

/// Limits of a parser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParserOptions {
    /// Largest declared inflated size of one entry (object or delta); larger is an error before
    /// anything is allocated.
    pub max_object_size: u64,
}

impl Default for ParserOptions {
    fn default() -> Self {
        ParserOptions { max_object_size: DEFAULT_MAX_OBJECT_SIZE }
    }
}

/// The most compressed bytes accepted for `size` inflated bytes. zlib's own bound is about
/// `size + size/1000 + 12`; this leaves room for any real encoder while refusing a stream of
/// empty blocks that would grow the buffer without producing output.
pub fn compressed_limit(size: u64) -> u64 {
    size.saturating_mul(2).saturating_add(64 << 10)
}

/// Room for `more` compressed bytes of an entry of `size` inflated bytes, `produced` of them so
/// far. Past 64 KiB of output the capacity is the final length the compression ratio so far
/// predicts (plus 1/16 and 64 KiB, at most `climit` + 1), so a large entry's stream is reallocated
/// about once instead of doubling; before that, or when the prediction was short, it grows by half.
fn reserve_compressed(buf: &mut Vec<u8>, more: usize, produced: usize, size: u64, climit: u64) {
    let need = buf.len().saturating_add(more);
    if need <= buf.capacity() {
        return;
    }
    let mut target = buf.capacity().saturating_add(buf.capacity() / 2).max(need) as u64;
    if produced >= 64 << 10 {
        let predicted = git_core::mul::saturating_mul(need as u64, size) / produced as u64;
        target = target.max(predicted.saturating_add(predicted / 16).saturating_add(64 << 10));
    }
    let target = usize::try_from(target.min(climit.saturating_add(1))).unwrap_or(need).max(need);
    buf.reserve_exact(target - buf.len());
}

/// `e`, boxed where it is made: a `Result` of the parser is then one pointer wide, and `?` moves
/// 4 bytes instead of the 48-byte enum.
#[cold]
pub(crate) fn boxed(e: ParseError) -> Box<ParseError> {
    Box::new(e)
}

#[derive(Debug)]
enum State {
    Header,
    EntryHeader,
    Data,
    Trailer,
    Done,
}


/// A streaming pack parser. `I` is the inflater ([`Inflater`] unless a host brings a faster one);
/// `C` what it keeps of each entry's bytes for [`Entry::crc32`] ([`crate::Crc32`], or
/// [`crate::NoCrc32`] for a caller that never reads crc32s).
pub struct PackParser<I: StreamInflate = Inflater, C: EntryCrc = crate::Crc32> {
    options: ParserOptions,
    inflater: I,
    state: State,
    /// Bytes of the pack consumed so far.
    offset: u64,
    /// The pack header, an entry header or the trailer as it arrives.
    small: [u8; MAX_HEADER_LEN],
    small_len: usize,
    count: u32,
    entries: u32,
    hash: TrailerHash,
    /// The entry being read (its `crc32` set when it is complete).
    current: Option<Entry>,
    /// crc32 of the current entry so far.
    crc: C,
    pending: Option<Event>,
    /// The text of the first error, repeated by every later call ([`ParseError::AfterError`]).
    failed: Option<String>,
    spare_data: Vec<u8>,
    spare_compressed: Vec<u8>,
}

impl PackParser<Inflater> {
    /// A parser with the core inflater.
    pub fn new(options: ParserOptions) -> Self {
        Self::with_inflater(options, Inflater::new())
    }
}

impl<I: StreamInflate, C: EntryCrc> PackParser<I, C> {
    /// A parser with a caller-provided inflater (and crc32, as the type asks).
    pub fn with_inflater(options: ParserOptions, inflater: I) -> Self {
        PackParser {
            options,
            inflater,
            state: State::Header,
            offset: 0,
            small: [0; MAX_HEADER_LEN],
            small_len: 0,
            count: 0,
            entries: 0,
            hash: TrailerHash::default(),
            current: None,
            crc: C::default(),
            pending: None,
            failed: None,
            spare_data: Vec::new(),
            spare_compressed: Vec::new(),
        }
    }

    /// The object count from the header (0 before it is read).
    pub fn count(&self) -> u32 {
        self.count
    }

    /// Entries completed so far.
    pub fn entries(&self) -> u32 {
        self.entries
    }

    /// Bytes consumed so far.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// True once the trailer was verified.
    pub fn is_done(&self) -> bool {
        matches!(self.state, State::Done)
    }

    /// Hands back an entry's buffers for reuse by later entries.
    pub fn recycle(&mut self, mut data: Vec<u8>, mut compressed: Vec<u8>) {
        data.clear();
        compressed.clear();
        if data.capacity() > self.spare_data.capacity() {
            self.spare_data = data;
        }
        if compressed.capacity() > self.spare_compressed.capacity() {
            self.spare_compressed = compressed;
        }
    }

    /// The next event, if one is ready.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.pending.take()
    }

    /// Consume bytes; returns how many were used. Stops early while an event waits to be polled.
    /// After an error every call fails. The error is boxed: one pointer for every `?` on the way.
    pub fn handle_bytes(&mut self, input: &[u8]) -> Result<usize, Box<ParseError>> {
        self.check_failed()?;
        self.consume(input).map_err(|e| self.fail(e))
    }

    /// The input ended: an error unless the whole pack, trailer included, was read.
    pub fn handle_end(&mut self) -> Result<(), Box<ParseError>> {
        self.check_failed()?;
        let section = match self.state {
            State::Done => return Ok(()),
            State::Header => Section::Header,
            State::EntryHeader => Section::EntryHeader,
            State::Data => Section::EntryData,
            State::Trailer => Section::Trailer,
        };
        Err(self.fail(boxed(ParseError::Truncated { section, offset: self.offset, entries: self.entries, count: self.count })))
    }

    /// [`ParseError::AfterError`] once an error was returned.
    fn check_failed(&self) -> Result<(), Box<ParseError>> {
        match &self.failed {
            Some(text) => Err(boxed(ParseError::AfterError(text.clone()))),
            None => Ok(()),
        }
    }

    /// Remembers `e`'s text for later calls (a copy of the text, not of the error: no `Clone` of
    /// every variant in the Wasm module).
    #[cold]
    #[inline(never)]
    fn fail(&mut self, e: Box<ParseError>) -> Box<ParseError> {
        self.failed = Some(git_core::msg::render(&*e));
        e
    }

    #[inline(always)]
    fn consume(&mut self, input: &[u8]) -> Result<usize, Box<ParseError>> {
        let mut pos = 0usize;
        while pos < input.len() && self.pending.is_none() {
            let rest = input.get(pos..).unwrap_or_default();
            // One `?` for the four steps: the error is moved to the caller at one place.
            let used = match self.state {
                State::Header => self.consume_header(rest),
                State::EntryHeader => self.consume_entry_header(rest),
                State::Data => self.consume_data(rest),
                State::Trailer => self.consume_trailer(rest),
                State::Done => Err(boxed(ParseError::TrailingData { offset: self.offset, extra: rest.len() as u64 })),
            }?;
            pos = pos.saturating_add(used);
            self.offset = self.offset.saturating_add(used as u64);
        }
        Ok(pos)
    }

    /// Sets the event to poll; none waits (steps run only then), so nothing is dropped.
    fn set_pending(&mut self, event: Event) {
        core::mem::forget(self.pending.replace(event));
    }

    fn fill_small(&mut self, input: &[u8], want: usize) -> usize {
        let take = want.saturating_sub(self.small_len).min(input.len());
        let (src, dst) = (input.get(..take), self.small.get_mut(self.small_len..self.small_len + take));
        if let (Some(src), Some(dst)) = (src, dst) {
            dst.copy_from_slice(src);
        }
        self.small_len += take;
        take
    }

    #[inline(always)]
    fn consume_header(&mut self, input: &[u8]) -> Result<usize, Box<ParseError>> {
        let used = self.fill_small(input, PACK_HEADER_LEN);
        self.hash.update(input.get(..used).unwrap_or_default());
        if self.small_len < PACK_HEADER_LEN {
            return Ok(used);
        }
        let s = &self.small;
        let signature = [s[0], s[1], s[2], s[3]];
        // As one word: no array comparison call.
        if u32::from_ne_bytes(signature) != u32::from_ne_bytes(crate::PACK_SIGNATURE) {
            return Err(boxed(ParseError::Signature { got: signature }));
        }
        let version = u32::from_be_bytes([s[4], s[5], s[6], s[7]]);
        if version != 2 && version != 3 {
            return Err(boxed(ParseError::Version { version }));
        }
        self.count = u32::from_be_bytes([s[8], s[9], s[10], s[11]]);
        self.small_len = 0;
        self.state = if self.count == 0 { State::Trailer } else { State::EntryHeader };
        self.set_pending(Event::Header { version, count: self.count });
        Ok(used)
    }

    #[inline(always)]
    fn consume_entry_header(&mut self, input: &[u8]) -> Result<usize, Box<ParseError>> {
        // The entry starts at the pack offset of its first header byte.
        let have = self.small_len;
        let entry_offset = self.offset.saturating_sub(have as u64);
        let took = self.fill_small(input, MAX_HEADER_LEN);
        let decoded = entry_header::decode(self.small.get(..self.small_len).unwrap_or_default(), entry_offset)?;
        let Some(d) = decoded else {
            if self.small_len == MAX_HEADER_LEN {
                // Not reached: every header ends or fails within MAX_HEADER_LEN bytes.
                return Err(boxed(ParseError::SizeOverflow { offset: entry_offset }));
            }
            self.hash.update(input.get(..took).unwrap_or_default());
            return Ok(took);
        };
        let used = d.len.saturating_sub(have);
        self.hash.update(input.get(..used).unwrap_or_default());
        self.crc = C::default();
        self.crc.update(self.small.get(..d.len).unwrap_or_default());
        self.small_len = 0;
        if d.size > self.options.max_object_size {
            return Err(boxed(ParseError::TooLarge { offset: entry_offset, size: d.size, limit: self.options.max_object_size }));
        }
        let mut data = core::mem::take(&mut self.spare_data);
        data.clear();
        // Reserve what the header declares only up to 1 MiB: a short pack declaring a huge
        // size must not make us allocate it; larger outputs grow as the data really arrives.
        data.reserve_exact(usize::try_from(d.size.min(1 << 20)).unwrap_or(0));
        let mut compressed = core::mem::take(&mut self.spare_compressed);
        compressed.clear();
        self.inflater.reset();
        // No entry is open here (the last one became an event): nothing to drop.
        core::mem::forget(self.current.replace(Entry {
            offset: entry_offset,
            header_len: d.len as u32,
            kind: d.kind,
            size: d.size,
            data,
            compressed,
            crc32: 0,
        }));
        self.state = State::Data;
        Ok(used)
    }

    #[inline(always)]
    fn consume_data(&mut self, input: &[u8]) -> Result<usize, Box<ParseError>> {
        let Some(cur) = self.current.as_mut() else {
            self.state = State::EntryHeader;
            return Ok(0);
        };
        let limit = usize::try_from(cur.size).unwrap_or(usize::MAX);
        // Never offer the inflater more than one byte past the compressed limit.
        let climit = compressed_limit(cur.size);
        let room = climit.saturating_add(1).saturating_sub(cur.compressed.len() as u64);
        let input = input.get(..usize::try_from(room).unwrap_or(usize::MAX).min(input.len())).unwrap_or_default();
        // Once 1 MiB has really inflated, the rest of the declared size (at most max_object_size)
        // is reserved at once: growing step by step holds the old and the new allocation together
        // at every step (a peak of about twice the object in Wasm memory, which never shrinks).
        if cur.data.len() >= 1 << 20 && cur.data.capacity() <= limit {
            cur.data.reserve_exact(limit.saturating_add(1).saturating_sub(cur.data.len()));
        }
        let progress = self
            .inflater
            .inflate(input, &mut cur.data, limit)
            .map_err(|source| boxed(ParseError::Inflate { offset: cur.offset, source }))?;
        let used = input.get(..progress.consumed).unwrap_or_default();
        reserve_compressed(&mut cur.compressed, used.len(), cur.data.len(), cur.size, climit);
        cur.compressed.extend_from_slice(used);
        self.crc.update(used);
        self.hash.update(used);
        if cur.compressed.len() as u64 > climit {
            return Err(boxed(ParseError::CompressedTooLong {
                offset: cur.offset,
                size: cur.size,
                got: cur.compressed.len() as u64,
                limit: climit,
            }));
        }
        if progress.done {
            let got = cur.data.len() as u64;
            if got != cur.size {
                let source = git_core::zlib::InflateError::TooShort { got, declared: cur.size };
                return Err(boxed(ParseError::Inflate { offset: cur.offset, source }));
            }
            cur.crc32 = core::mem::take(&mut self.crc).finalize();
            if let Some(entry) = self.current.take() {
                self.set_pending(Event::Entry(entry));
            }
            self.entries = self.entries.saturating_add(1);
            self.state = if self.entries == self.count { State::Trailer } else { State::EntryHeader };
        }
        Ok(progress.consumed)
    }

    #[inline(always)]
    fn consume_trailer(&mut self, input: &[u8]) -> Result<usize, Box<ParseError>> {
        let used = self.fill_small(input, TRAILER_LEN);
        if self.small_len < TRAILER_LEN {
            return Ok(used);
        }
        let expected = core::mem::take(&mut self.hash).finish();
        let mut got = [0; TRAILER_LEN];
        got.copy_from_slice(self.small.get(..TRAILER_LEN).unwrap_or(&[0; TRAILER_LEN]));
        if got != expected {
            return Err(boxed(ParseError::Trailer { got, expected }));
        }
        self.state = State::Done;
        self.set_pending(Event::End { checksum: got });
        Ok(used)
    }
}
