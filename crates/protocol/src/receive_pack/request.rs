//! The request head of a push: command lines with the client's capabilities after a NUL, `shallow`
//! lines, a flush, then, when `push-options` was negotiated, one option per line and a flush
//! (gitprotocol-pack "Reference Update Request and Packfile Transfer"; receive-pack.c
//! `read_head_info`, `read_push_options`). Sans-I/O: bytes in any chunking; once the head is
//! complete, whatever followed it is handed back as the start of the pack.

use super::command::Command;
use crate::capabilities::{split_nul, CapList};
use crate::pktline::{self, Decoded, PktError, PktLine};
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

/// Capabilities the client asked for that change what receive-pack does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Negotiated {
    pub report_status: bool,
    pub report_status_v2: bool,
    /// `side-band-64k` (honoured even unadvertised: libgit2 always asks).
    pub side_band_64k: bool,
    pub quiet: bool,
    pub atomic: bool,
    pub push_options: bool,
    /// The client's `agent=` value.
    pub agent: Option<Vec<u8>>,
}

impl Negotiated {
    fn absorb(&mut self, caps: &CapList<'_>) -> Result<(), HeadError> {
        self.report_status |= caps.has(b"report-status");
        self.report_status_v2 |= caps.has(b"report-status-v2");
        self.side_band_64k |= caps.has(b"side-band-64k");
        self.quiet |= caps.has(b"quiet");
        self.atomic |= caps.has(b"atomic");
        self.push_options |= caps.has(b"push-options");
        if let Some(agent) = caps.value(b"agent") {
            self.agent = Some(agent.to_vec());
        }
        match caps.value(b"object-format") {
            None | Some(b"sha1") => Ok(()),
            Some(other) => Err(HeadError::ObjectFormat(lossy(other))),
        }
    }
}

/// The parsed head.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PushRequest {
    pub commands: Vec<Command>,
    pub shallow: Vec<ObjectId>,
    pub caps: Negotiated,
    pub push_options: Vec<Vec<u8>>,
}

impl PushRequest {
    /// True if every command deletes (then no pack follows).
    pub fn delete_only(&self) -> bool {
        self.commands.iter().all(Command::is_delete)
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
    fn describe(&self, m: &mut git_core::msg::Msg<'_>) {
        match self {
            HeadError::Pkt(e) => m.s("protocol error: ").d(e),
            HeadError::TooLarge { got, limit } => m
                .s("protocol error: request head too large: got ")
                .u(*got as u64)
                .s(" bytes, limit ")
                .u(*limit as u64),
            HeadError::BadCommand(got) => m.s("protocol error: expected old/new/ref, got '").s(got).s("'"),
            HeadError::BadShallow(got) => m.s("protocol error: expected shallow sha, got '").s(got).s("'"),
            HeadError::TooMany { what, got, limit } => m
                .s("protocol error: too many ")
                .s(what)
                .s(": got ")
                .u(*got as u64)
                .s(", limit ")
                .u(*limit as u64),
            HeadError::UnexpectedPacket(what) => {
                m.s("protocol error: unexpected ").s(what).s(" packet in the command list")
            }
            HeadError::ObjectFormat(name) => m.s("unsupported object format '").s(name).s("'"),
            HeadError::Truncated => m.s("protocol error: the request ended inside the command list"),
        };
    }
}
git_core::display_via_describe!(HeadError);

fn lossy(bytes: &[u8]) -> String {
    let shown = bytes.get(..200).unwrap_or(bytes);
    git_core::msg::lossy(shown)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Commands,
    PushOptions,
    Done,
}

/// Streaming parser of the request head.
#[derive(Debug)]
pub struct HeadParser {
    limits: HeadLimits,
    buf: Vec<u8>,
    consumed: usize,
    phase: Phase,
    request: PushRequest,
}

impl HeadParser {
    /// A parser with `limits`.
    pub fn new(limits: HeadLimits) -> Self {
        HeadParser { limits, buf: Vec::new(), consumed: 0, phase: Phase::Commands, request: PushRequest::default() }
    }

    /// The capabilities seen so far (to format an error the way the client can read it).
    pub fn caps(&self) -> &Negotiated {
        &self.request.caps
    }

    /// True once the head is complete.
    pub fn is_done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// Feed bytes. Returns `Some(rest)` once the head is complete: the bytes after it (the start of
    /// the pack, possibly empty). Further calls after that are a misuse and return `Some(data)`.
    pub fn handle(&mut self, data: &[u8]) -> Result<Option<Vec<u8>>, HeadError> {
        if self.phase == Phase::Done {
            return Ok(Some(data.to_vec()));
        }
        self.buf.extend_from_slice(data);
        let mut pos = 0usize;
        let result = loop {
            let rest = self.buf.get(pos..).unwrap_or(&[]);
            let (line, used) = match pktline::decode(rest) {
                Err(e) => break Err(HeadError::Pkt(e)),
                Ok(Decoded::Incomplete { .. }) => break Ok(None),
                Ok(Decoded::Complete { line, consumed }) => (line, consumed),
            };
            self.consumed += used;
            if self.consumed > self.limits.max_head_bytes {
                break Err(HeadError::TooLarge { got: self.consumed, limit: self.limits.max_head_bytes });
            }
            let owned = match line {
                PktLine::Data(d) => Some(d.strip_suffix(b"\n").unwrap_or(d).to_vec()),
                PktLine::Flush => None,
                PktLine::Delim => break Err(HeadError::UnexpectedPacket("delim")),
                PktLine::ResponseEnd => break Err(HeadError::UnexpectedPacket("response-end")),
            };
            pos += used;
            if let Err(e) = self.line(owned) {
                break Err(e);
            }
            if self.phase == Phase::Done {
                break Ok(Some(self.buf.get(pos..).unwrap_or(&[]).to_vec()));
            }
        };
        self.buf.drain(..pos.min(self.buf.len()));
        if matches!(result, Ok(Some(_))) {
            self.buf = Vec::new();
        }
        result
    }

    /// The body ended: the head must be complete.
    pub fn handle_end(&self) -> Result<(), HeadError> {
        match self.phase {
            Phase::Done => Ok(()),
            // An empty body: no commands at all (git sends nothing in that case, but it is valid).
            Phase::Commands if self.consumed == 0 && self.buf.is_empty() => Ok(()),
            _ => Err(HeadError::Truncated),
        }
    }

    /// Take the parsed request.
    pub fn take(&mut self) -> PushRequest {
        core::mem::take(&mut self.request)
    }

    fn line(&mut self, line: Option<Vec<u8>>) -> Result<(), HeadError> {
        match (self.phase, line) {
            (Phase::Commands, None) => {
                let options = self.request.caps.push_options && !self.request.commands.is_empty();
                self.phase = if options { Phase::PushOptions } else { Phase::Done };
            }
            (Phase::Commands, Some(line)) => self.command_line(&line)?,
            (Phase::PushOptions, None) => self.phase = Phase::Done,
            (Phase::PushOptions, Some(option)) => {
                let got = self.request.push_options.len() + 1;
                if got > self.limits.max_push_options {
                    return Err(HeadError::TooMany { what: "push options", got, limit: self.limits.max_push_options });
                }
                self.request.push_options.push(option);
            }
            (Phase::Done, _) => {}
        }
        Ok(())
    }

    fn command_line(&mut self, line: &[u8]) -> Result<(), HeadError> {
        if line.len() > 8 {
            if let Some(hex) = line.strip_prefix(b"shallow ") {
                let id = ObjectId::from_hex(hex).map_err(|_| HeadError::BadShallow(lossy(hex)))?;
                self.request.shallow.push(id);
                return Ok(());
            }
        }
        let (command, caps) = split_nul(line);
        self.request.caps.absorb(&caps)?;
        let command = Command::parse(command).ok_or_else(|| HeadError::BadCommand(lossy(command)))?;
        let got = self.request.commands.len() + 1;
        if got > self.limits.max_commands {
            return Err(HeadError::TooMany { what: "commands", got, limit: self.limits.max_commands });
        }
        self.request.commands.push(command);
        Ok(())
    }
}
