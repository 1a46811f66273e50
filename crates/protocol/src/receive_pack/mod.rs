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
use alloc::boxed::Box;
use alloc::string::String;
use git_core::msg::with;
use alloc::vec::Vec;
use host_abi::Store;
use report::Messages;
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
    unpack_limits: UnpackLimits,
    /// The head parser, which keeps the parsed request.
    head: HeadParser,
    /// Boxed: the unpacker is large and only a push with a pack makes one, so the session (and
    /// the code that builds, moves and drops it) stays small.
    unpacker: Option<Box<Unpacker>>,
    /// The first failure while streaming the pack; later bytes are drained unread.
    unpack_error: Option<UnpackError>,
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
    /// A push with these caps. Inlined into its caller (the module's one: the session is built
    /// where it is boxed).
    #[inline]
    pub fn new(limits: Limits) -> Self {
        ReceivePack {
            unpack_limits: limits.unpack,
            head: HeadParser::new(limits.head),
            unpacker: None,
            unpack_error: None,
            out: Vec::new(),
            out_pos: 0,
            input_ended: false,
            done: false,
        }
    }

    /// The parsed request head, once complete; once the body was processed, each command
    /// carries its outcome ([`Command::failure`]).
    pub fn request(&self) -> Option<&PushRequest> {
        self.head.request()
    }

    /// Pack bytes to the unpacker, unless it already failed. Inlined into its one caller.
    #[inline]
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
    /// Inlined into its one caller: the answer is not returned through memory and copied.
    #[inline]
    fn finish<S: Store>(&mut self, store: &mut S) -> Result<(), ExchangeError> {
        if let Err(e) = self.head.handle_end() {
            report::write_fatal(&mut self.out, self.head.caps().side_band_64k(), &git_core::msg::render(&e));
            return Ok(());
        }
        let Some(request) = self.head.request_mut() else {
            // No commands: nothing to do and nothing to say (receive-pack is silent too).
            return Ok(());
        };
        let caps = request.caps;
        let commands = &mut request.commands;
        let mut msgs = Messages::default();
        let mut unpack_status: Option<String> = None;
        // Worked on in place (the unpacker is large: moving it out costs code) and dropped below.
        if let Some(unpacker) = self.unpacker.as_mut() {
            let outcome = match self.unpack_error.take() {
                Some(e) => Err(e),
                None => unpacker.finish(store),
            };
            match &outcome {
                Ok(unpacked) => {
                    if !caps.quiet() {
                        let s = &unpacked.summary;
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
                    // Missing objects fail the commands that need them; any other error all of them.
                    let why = if let UnpackFailure::Missing(id) = e.failure() {
                        update::id_error(&mut msgs, error::MISSING_OBJECTS, id, "");
                        update::reason::MISSING
                    } else {
                        let text = git_core::msg::render(e);
                        msgs.error(&text.as_str());
                        unpack_status = Some(text);
                        update::reason::UNPACKER
                    };
                    // One loop for both cases: a deletion fails only with the unpacker.
                    for cmd in commands.iter_mut() {
                        if unpack_status.is_some() || !cmd.is_delete() {
                            cmd.failure = Some(why);
                        }
                    }
                    rollback(unpacker, store, &mut msgs);
                }
            }
        }
        if unpack_status.is_none() {
            update::execute(store, commands, caps.atomic(), &mut msgs)?;
        }
        self.unpacker = None;
        report::write_response(&mut self.out, caps.side_band_64k(), caps.report(), &msgs, unpack_status.as_deref(), commands);
        Ok(())
    }
}

/// Delete what the failed push stored; a failure to is one more message. Inlined into its one
/// caller.
#[inline]
fn rollback<S: Store>(unpacker: &mut Unpacker, store: &mut S, msgs: &mut Messages) {
    if let Err(e) = unpacker.rollback(store) {
        msgs.error(&with(|m| {
            m.s("removing the objects of the failed push: ").d(&e);
        }));
    }
}

impl<S: Store> Exchange<S> for ReceivePack {
    fn handle_input(&mut self, store: &mut S, mut data: &[u8]) -> Result<(), ExchangeError> {
        if self.input_ended {
            return Err(ExchangeError::Misuse("input after the end of input"));
        }
        if !self.head.is_done() {
            let Some(at) = self.head.handle(data) else { return Ok(()) };
            if self.head.request().is_some_and(PushRequest::needs_pack) {
                self.unpacker = Some(Box::new(Unpacker::new(self.unpack_limits)));
            }
            // The start of the pack, fed below: one call site of `feed_pack`.
            data = data.get(at..).unwrap_or(&[]);
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
