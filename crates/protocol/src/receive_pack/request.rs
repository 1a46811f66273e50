//! The request head of a push: command lines with the client's capabilities after a NUL, `shallow`
//! lines, a flush, then, when `push-options` was negotiated, one option per line and a flush
//! (gitprotocol-pack "Reference Update Request and Packfile Transfer"; receive-pack.c
//! `read_head_info`, `read_push_options`). Sans-I/O: bytes in any chunking; once the head is
//! complete, whatever followed it is handed back as the start of the pack.

use super::command::Command;
use crate::capabilities::{lookup, split_nul, CapList};
use crate::pktline::{PktBuffer, PktError, PktLine};
use alloc::string::String;
use alloc::vec::Vec;
use git_core::ObjectId;

/// Caps on the request head.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeadLimits {
    /// Bytes of pkt-lines before the pack.
    pub max_head_bytes: usize,
    /// Commands in one push.
    pub max_commands: usize,
    /// Push options in one push.
    pub max_push_options: usize,
}

impl Default for HeadLimits {
    fn default() -> Self {
        HeadLimits { max_head_bytes: 16 << 20, max_commands: 100_000, max_push_options: 1000 }
    }
}

/// Capabilities the client asked for that change what receive-pack does (the client's `agent` is
/// not kept: nothing here depends on it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Negotiated {
    /// Bit `i` set: the client named [`Negotiated::NAMES`]`[i]`.
    bits: u8,
}

impl Negotiated {
    /// The capabilities kept, in bit order; looked up through one shared table walk.
    /// `report-status` is the start of `report-status-v2`, in the same bytes.
    const NAMES: [&'static [u8]; 7] = [
        Self::REPORT_STATUS_V2.split_at(13).0,
        Self::REPORT_STATUS_V2,
        b"side-band-64k",
        b"quiet",
        b"atomic",
        b"push-options",
        b"object-format",
    ];
    const OBJECT_FORMAT: usize = 6;
    const REPORT_STATUS_V2: &'static [u8] = b"report-status-v2";

    fn bit(&self, i: u8) -> bool {
        self.bits & (1 << i) != 0
    }
    /// `report-status`.
    pub fn report_status(&self) -> bool {
        self.bit(0)
    }
    /// `report-status-v2`.
    pub fn report_status_v2(&self) -> bool {
        self.bit(1)
    }
    /// `report-status` or `report-status-v2`: either asks for the report (bits 0 and 1 at once).
    pub fn report(&self) -> bool {
        self.bits & 3 != 0
    }
    /// `side-band-64k` (honoured even unadvertised: libgit2 always asks).
    pub fn side_band_64k(&self) -> bool {
        self.bit(2)
    }
    /// `quiet`.
    pub fn quiet(&self) -> bool {
        self.bit(3)
    }
    /// `atomic`.
    pub fn atomic(&self) -> bool {
        self.bit(4)
    }
    /// `push-options`.
    pub fn push_options(&self) -> bool {
        self.bit(5)
    }

    /// Add one line's list. Every name is taken in before the first `object-format` value is
    /// judged, so an error is reported on the side-band the client asked for.
    fn absorb(&mut self, caps: &CapList<'_>) -> Result<(), HeadError> {
        let mut format: Option<Option<&[u8]>> = None;
        for (name, value) in caps.iter() {
            let Some(i) = lookup(&Self::NAMES, name) else { continue };
            if i == Self::OBJECT_FORMAT {
                format.get_or_insert(value);
            } else {
                self.bits |= 1 << i;
            }
        }
        match format.flatten() {
            None | Some(b"sha1") => Ok(()),
            Some(other) => Err(HeadError::ObjectFormat(lossy(other))),
        }
    }
}

/// The parsed head. Shallow lines are checked, push options counted; neither is kept (no hook
/// here reads them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PushRequest {
    pub commands: Vec<Command>,
    pub caps: Negotiated,
    /// How many push options the client sent.
    pub push_options: usize,
}

impl PushRequest {
    /// True if a pack follows: some command does not delete. Inlined into its one caller.
    #[inline]
    pub fn needs_pack(&self) -> bool {
        for cmd in &self.commands {
            if !cmd.is_delete() {
                return true;
            }
        }
        false
    }
}

/// A malformed request head. The texts follow receive-pack's `die` messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeadError {
    Pkt(#[from] PktError),
    TooLarge { got: usize, limit: usize },
    BadCommand(String),
    BadShallow(String),
    TooMany { what: &'static str, got: usize, limit: usize },
    UnexpectedPacket(&'static str),
    ObjectFormat(String),
    Truncated,
}

impl git_core::msg::Describe for HeadError {
    // Variants of the same shape share one call sequence, and all but the object format share
    // the `protocol error: ` prefix (one copy of it): fewer calls and bytes in the Wasm module.
    fn describe(&self, m: &mut git_core::msg::Msg<'_>) {
        if !matches!(self, HeadError::ObjectFormat(_)) {
            m.s("protocol error: ");
        }
        match self {
            HeadError::Pkt(e) => m.d(e),
            HeadError::TooLarge { got, limit } | HeadError::TooMany { got, limit, .. } => {
                let (what, unit) = match self {
                    HeadError::TooMany { what, .. } => ("too many ", *what),
                    _ => ("request head too large", ""),
                };
                let sep = if unit.is_empty() { " bytes, limit " } else { ", limit " };
                m.s(what).s(unit).s(": got ").u(*got as u64).s(sep).u(*limit as u64)
            }
            HeadError::BadCommand(got) | HeadError::BadShallow(got) | HeadError::ObjectFormat(got) => {
                let before = match self {
                    HeadError::BadCommand(_) => "expected old/new/ref, got '",
                    HeadError::BadShallow(_) => "expected shallow sha, got '",
                    _ => "unsupported object format '",
                };
                m.s(before).s(got).s("'")
            }
            HeadError::UnexpectedPacket(what) => m.s("unexpected ").s(what).s(" packet in the command list"),
            HeadError::Truncated => m.s("the request ended inside the command list"),
        };
    }
}
git_core::display_via_describe!(HeadError);

// Not inlined: its three callers share one copy of the 200-byte cut.
#[inline(never)]
fn lossy(bytes: &[u8]) -> String {
    let shown = bytes.get(..200).unwrap_or(bytes);
    git_core::msg::lossy(shown)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Commands,
    PushOptions,
    Done,
    /// A line was bad: the parser's error says why; later input is ignored.
    Failed,
}

/// Streaming parser of the request head.
#[derive(Debug)]
pub struct HeadParser {
    /// The input not read as lines yet (an incomplete pkt-line; once the head is complete, what
    /// followed it). Never full: the cap on the head is [`HeadLimits::max_head_bytes`] of lines.
    input: PktBuffer,
    head: Head,
    /// Why the head is bad, until [`HeadParser::handle_end`] hands it out.
    error: Option<HeadError>,
}

/// What the lines read so far said.
#[derive(Debug)]
struct Head {
    limits: HeadLimits,
    consumed: usize,
    phase: Phase,
    request: PushRequest,
}

impl HeadParser {
    /// A parser with `limits`. Inlined into its one caller (`ReceivePack::new`).
    #[inline]
    pub fn new(limits: HeadLimits) -> Self {
        HeadParser {
            input: PktBuffer::new(usize::MAX),
            head: Head { limits, consumed: 0, phase: Phase::Commands, request: PushRequest::default() },
            error: None,
        }
    }

    /// The capabilities seen so far (to format an error the way the client can read it).
    pub fn caps(&self) -> &Negotiated {
        &self.head.request.caps
    }

    /// True once the head is complete.
    pub fn is_done(&self) -> bool {
        self.head.phase == Phase::Done
    }

    /// Feed bytes. Returns `Some(at)` once the head is complete: `data[at..]` follows it (the
    /// start of the pack, possibly empty). The head always ends inside the call's `data`: every
    /// complete line of earlier calls was read then. Further calls after that are a misuse and
    /// return `Some(0)`. A bad head is kept for [`HeadParser::handle_end`]; input after it is
    /// ignored.
    pub fn handle(&mut self, data: &[u8]) -> Option<usize> {
        match self.head.phase {
            Phase::Done => return Some(0),
            Phase::Failed => return None,
            Phase::Commands | Phase::PushOptions => {}
        }
        self.read(data).unwrap_or_else(|e| {
            self.error = Some(e);
            self.head.phase = Phase::Failed;
            None
        })
    }

    fn read(&mut self, data: &[u8]) -> Result<Option<usize>, HeadError> {
        // Cannot fail: the buffer's cap is `usize::MAX` ([`HeadParser::new`]); the head's cap
        // is checked line by line below ([`Head::line`]), no error path needed here.
        let _ = self.input.push(data);
        while let Some(line) = self.input.next_line()? {
            if self.head.line(line)? {
                let at = data.len().saturating_sub(self.input.pending());
                self.input = PktBuffer::new(0);
                return Ok(Some(at));
            }
        }
        Ok(None)
    }

    /// The body ended: the head must be complete and good. Inlined into its one caller: the
    /// error is not returned through memory and copied.
    #[inline]
    pub fn handle_end(&mut self) -> Result<(), HeadError> {
        match self.head.phase {
            Phase::Done => Ok(()),
            // An empty body: no commands at all (git sends nothing in that case, but it is valid).
            Phase::Commands if self.head.consumed == 0 && self.input.pending() == 0 => Ok(()),
            // A `match`, not `unwrap_or`: that would build and drop a `Truncated` needlessly.
            _ => Err(match self.error.take() {
                Some(e) => e,
                None => HeadError::Truncated,
            }),
        }
    }

    /// The parsed request, once complete.
    pub fn request(&self) -> Option<&PushRequest> {
        self.is_done().then_some(&self.head.request)
    }

    /// The parsed request, once complete, to record each command's outcome.
    pub fn request_mut(&mut self) -> Option<&mut PushRequest> {
        self.is_done().then_some(&mut self.head.request)
    }
}

impl Head {
    /// Take one line in; `true` once the head is complete.
    fn line(&mut self, line: PktLine<'_>) -> Result<bool, HeadError> {
        self.consumed += 4;
        if let PktLine::Data(d) = line {
            self.consumed += d.len();
        }
        if self.consumed > self.limits.max_head_bytes {
            return Err(HeadError::TooLarge { got: self.consumed, limit: self.limits.max_head_bytes });
        }
        match (line, self.phase) {
            // The payload without its trailing newline, as `PktLine::text` gives it.
            (PktLine::Data(d), Phase::Commands) => self.command_line(d.strip_suffix(b"\n").unwrap_or(d))?,
            (PktLine::Data(_), _) => {
                let got = self.request.push_options + 1;
                if got > self.limits.max_push_options {
                    return Err(HeadError::TooMany { what: "push options", got, limit: self.limits.max_push_options });
                }
                self.request.push_options = got;
            }
            (PktLine::Flush, Phase::Commands) if self.request.caps.push_options() && !self.request.commands.is_empty() => {
                self.phase = Phase::PushOptions;
            }
            (PktLine::Flush, _) => {
                self.phase = Phase::Done;
                return Ok(true);
            }
            // One error exit for both special packets.
            (PktLine::Delim | PktLine::ResponseEnd, _) => {
                let what = if line == PktLine::Delim { "delim" } else { "response-end" };
                return Err(HeadError::UnexpectedPacket(what));
            }
        }
        Ok(false)
    }

    fn command_line(&mut self, line: &[u8]) -> Result<(), HeadError> {
        if line.len() > 8 {
            if let Some(hex) = line.strip_prefix(b"shallow ") {
                ObjectId::from_hex(hex).map_err(|_| HeadError::BadShallow(lossy(hex)))?;
                return Ok(());
            }
        }
        let (command, caps) = split_nul(line);
        self.request.caps.absorb(&caps)?;
        if !Command::parse_into(command, &mut self.request.commands) {
            return Err(HeadError::BadCommand(lossy(command)));
        }
        // Counted once appended; over the cap, the request is abandoned anyway.
        let got = self.request.commands.len();
        if got > self.limits.max_commands {
            return Err(HeadError::TooMany { what: "commands", got, limit: self.limits.max_commands });
        }
        Ok(())
    }
}
