//! `git-receive-pack` over stateless HTTP (gitprotocol-pack "Pushing Data To a Server",
//! gitprotocol-http "Smart Service git-receive-pack", git's builtin/receive-pack.c).
//!
//! One [`ReceivePack`] is one POST: the command list (and push options) are parsed as they
//! arrive, then the pack is streamed into the store ([`unpack`]) while the body is still coming.
//! When the body ends, the pack is finished and checked (fsck, connectivity), the refs are
//! checked and moved ([`update`]), and the report is queued; [`Exchange::poll_output`] returns it.
//!
//! Capabilities (advertised by [`crate::advertise`]): report-status, report-status-v2,
//! delete-refs, side-band-64k (honoured even unadvertised: libgit2 always asks), quiet, atomic,
//! ofs-delta, push-options, agent, object-format=sha1. Thin packs are accepted (no `no-thin`).

pub mod command;
pub mod error;
mod fsck;
pub mod refname;
pub mod report;
pub mod request;
mod source;
pub mod unpack;
pub mod update;

pub use command::Command;
pub use error::{UnpackError, UnpackFailure};
pub use request::{HeadError, HeadLimits, Negotiated, PushRequest};
pub use unpack::{UnpackLimits, Unpacked};

use crate::service::{copy_pending, Exchange, ExchangeError};
use alloc::string::String;
use git_core::msg::with;
use alloc::vec;
use alloc::vec::Vec;
use host_abi::Store;
use report::{Messages, ReportKind};
use request::HeadParser;
use unpack::Unpacker;

/// All caps of one push.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    pub head: HeadLimits,
    pub unpack: UnpackLimits,
}

/// One receive-pack POST.
pub struct ReceivePack {
    limits: Limits,
    head: HeadParser,
    request: Option<PushRequest>,
    unpacker: Option<Unpacker>,
    /// The first failure while streaming the pack; later bytes are drained unread.
    unpack_error: Option<UnpackError>,
    head_error: Option<HeadError>,
    out: Vec<u8>,
    out_pos: usize,
    input_ended: bool,
    done: bool,
}

impl Default for ReceivePack {
    fn default() -> Self {
        Self::new(Limits::default())
    }
}

impl ReceivePack {
    /// A push with these caps.
    pub fn new(limits: Limits) -> Self {
        ReceivePack {
            limits,
            head: HeadParser::new(limits.head),
            request: None,
            unpacker: None,
            unpack_error: None,
            head_error: None,
            out: Vec::new(),
            out_pos: 0,
            input_ended: false,
            done: false,
        }
    }

    /// The parsed request head, once complete.
    pub fn request(&self) -> Option<&PushRequest> {
        self.request.as_ref()
    }

    fn feed_pack<S: Store>(&mut self, store: &mut S, data: &[u8]) {
        if self.unpack_error.is_some() || data.is_empty() {
            return;
        }
        if let Some(unpacker) = self.unpacker.as_mut() {
            if let Err(e) = unpacker.handle_bytes(store, data) {
                self.unpack_error = Some(e);
            }
        }
    }

    /// Everything after the body ended: finish the pack, check, update refs, queue the report.
    fn finish<S: Store>(&mut self, store: &mut S) -> Result<(), ExchangeError> {
        if let Some(e) = self.head_error.take().or_else(|| self.head.handle_end().err()) {
            report::write_fatal(&mut self.out, self.head.caps().side_band_64k, &git_core::msg::render(&e));
            return Ok(());
        }
        let Some(request) = self.request.take() else {
            // No commands: nothing to do and nothing to say (receive-pack is silent too).
            return Ok(());
        };
        let caps = &request.caps;
        let mut msgs = Messages::default();
        let mut results: Vec<Option<&'static str>> = vec![None; request.commands.len()];
        let mut unpack_status: Option<String> = None;
        // Worked on in place (the unpacker is large: moving it out costs code) and dropped below.
        if let Some(unpacker) = self.unpacker.as_mut() {
            let outcome = match self.unpack_error.take() {
                Some(e) => Err(e),
                None => unpacker.finish(store),
            };
            match outcome {
                Ok(unpacked) => {
                    if !caps.quiet {
                        let s = unpacked.summary;
                        msgs.progress(&with(|m| {
                            m.s("Received ")
                                .u(s.objects)
                                .s(" objects (")
                                .u(s.deltas)
                                .s(" deltas, ")
                                .u(s.external_bases)
                                .s(" bases from the repository), ")
                                .u(unpacked.written)
                                .s(" new");
                        }));
                    }
                }
                Err(e) => {
                    if let UnpackFailure::Missing(id) = e.failure() {
                        msgs.error(&with(|m| {
                            m.s("missing necessary objects: ").id(id);
                        }));
                        for (slot, cmd) in results.iter_mut().zip(&request.commands) {
                            if !cmd.is_delete() {
                                *slot = Some(update::reason::MISSING);
                            }
                        }
                    } else {
                        let text = git_core::msg::render(&e);
                        msgs.error(&text.as_str());
                        unpack_status = Some(text);
                        results.iter_mut().for_each(|r| *r = Some(update::reason::UNPACKER));
                    }
                    rollback(unpacker, store, &mut msgs);
                }
            }
        }
        if unpack_status.is_none() {
            update::execute(store, &request.commands, caps.atomic, &mut results, &mut msgs)?;
        }
        self.unpacker = None;
        let kind = if caps.report_status_v2 {
            ReportKind::V2
        } else if caps.report_status {
            ReportKind::V1
        } else {
            ReportKind::None
        };
        report::write_response(&mut self.out, caps.side_band_64k, kind, &msgs, unpack_status.as_deref(), &request.commands, &results);
        Ok(())
    }
}

fn rollback<S: Store>(unpacker: &mut Unpacker, store: &mut S, msgs: &mut Messages) {
    if let Err(e) = unpacker.rollback(store) {
        msgs.error(&with(|m| {
            m.s("removing the objects of the failed push: ").d(&e);
        }));
    }
}

impl<S: Store> Exchange<S> for ReceivePack {
    fn handle_input(&mut self, store: &mut S, data: &[u8]) -> Result<(), ExchangeError> {
        if self.input_ended {
            return Err(ExchangeError::Misuse("input after the end of input"));
        }
        if self.head_error.is_some() {
            return Ok(());
        }
        if self.request.is_none() && !self.head.is_done() {
            match self.head.handle(data) {
                Err(e) => self.head_error = Some(e),
                Ok(None) => {}
                Ok(Some(rest)) => {
                    let request = self.head.take();
                    if !request.commands.is_empty() && !request.delete_only() {
                        self.unpacker = Some(Unpacker::new(self.limits.unpack));
                    }
                    self.request = Some(request);
                    self.feed_pack(store, &rest);
                }
            }
            return Ok(());
        }
        // A delete-only push has no pack: anything after the commands is ignored, as git does.
        self.feed_pack(store, data);
        Ok(())
    }

    fn handle_input_end(&mut self, store: &mut S) -> Result<(), ExchangeError> {
        if self.input_ended {
            return Err(ExchangeError::Misuse("input ended twice"));
        }
        self.input_ended = true;
        self.finish(store)
    }

    fn poll_output(&mut self, _store: &mut S, buf: &mut [u8]) -> Result<usize, ExchangeError> {
        if !self.input_ended {
            return Err(ExchangeError::Misuse("output polled before the end of input"));
        }
        let n = copy_pending(&self.out, &mut self.out_pos, buf);
        if self.out_pos >= self.out.len() {
            self.done = true;
        }
        Ok(n)
    }

    fn is_done(&self) -> bool {
        self.done
    }
}
