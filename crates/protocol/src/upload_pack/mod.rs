//! `git-upload-pack` over stateless HTTP (gitprotocol-http "Smart Service git-upload-pack"):
//! v0/v1 negotiation rounds (gitprotocol-pack "Packfile Negotiation", git's upload-pack.c
//! `receive_needs`, `get_common_commits`, `create_pack_file`) and the v2 commands `ls-refs`,
//! `fetch` and `object-info` (gitprotocol-v2).
//!
//! Each POST is one [`UploadPack`]: request lines are handled as they arrive, ACK/NAK lines and
//! section headers are queued, and once the request ended [`Exchange::poll_output`] produces the
//! queued lines, then enumerates the objects and streams the pack entry by entry.

pub mod args;
mod error;
pub mod filter;
mod graph;
pub mod ls_refs;
mod negotiate;
pub mod pack_out;
mod progress;
pub mod shallow;
pub mod walk;
mod wants;

use crate::capabilities::{lookup, split_want};
use crate::pktline::{self, PktBuffer, PktLine};
use crate::service::{copy_pending, Exchange, ExchangeError, ProtocolVersion, MAX_REQUEST_BUFFER};
use error::{unbox, Res};
use crate::sideband::{Band, Sideband};
use alloc::vec::Vec;
use args::FetchArgs;
use git_core::ObjectId;
use graph::Graph;
use host_abi::Store;
use ls_refs::LsRefsArgs;
use negotiate::{HaveResult, Haves};
use pack_out::PackStream;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    V0Wants,
    V0Haves,
    V2Caps,
    V2Args,
    Finished,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Command {
    LsRefs,
    Fetch,
    ObjectInfo,
}

/// One upload-pack POST.
pub struct UploadPack {
    version: ProtocolVersion,
    input: PktBuffer,
    received: u64,
    phase: Phase,
    /// Scratch bytes: the request line being handled, then the `wanted-refs` lines of a v2
    /// fetch or each `ls-refs` line, later the pack piece being framed.
    scratch: Vec<u8>,
    args: FetchArgs,
    graph: Graph,
    haves: Haves,
    got_other: bool,
    sent_ready: bool,
    /// The last common have; meaningful once the common list (`haves.common`) is not empty (the
    /// first common have goes on it and sets this: the two go together, so no flag says so).
    last_common: ObjectId,
    command: Option<Command>,
    ls: LsRefsArgs,
    info_size: bool,
    out: Vec<u8>,
    out_pos: usize,
    send_pack: bool,
    pack: Option<PackStream>,
    sideband: Sideband,
    shallow: shallow::ShallowInfo,
    input_ended: bool,
    done: bool,
}

impl UploadPack {
    /// A POST speaking `version` (from the `Git-Protocol` header).
    pub fn new(version: ProtocolVersion) -> Self {
        UploadPack {
            version,
            input: PktBuffer::new(MAX_REQUEST_BUFFER),
            received: 0,
            phase: if version == ProtocolVersion::V2 { Phase::V2Caps } else { Phase::V0Wants },
            scratch: Vec::new(),
            args: FetchArgs::default(),
            graph: Graph::default(),
            haves: Haves::default(),
            got_other: false,
            sent_ready: false,
            last_common: ObjectId::ZERO_SHA1,
            command: None,
            ls: LsRefsArgs::default(),
            info_size: false,
            out: Vec::new(),
            out_pos: 0,
            send_pack: false,
            pack: None,
            sideband: Sideband::None,
            shallow: shallow::ShallowInfo::default(),
            input_ended: false,
            done: false,
        }
    }

    /// The protocol version this POST speaks.
    pub fn version(&self) -> ProtocolVersion {
        self.version
    }

    /// Queue one response line: the concatenation of `parts` and a `\n`; under `sideband-all`
    /// it goes on band 1.
    fn put(&mut self, parts: &[&[u8]]) {
        self.emit(parts, Band::Data);
    }

    /// The concatenation of `parts` on `band` (`Data`: a line, to which a `\n` is added; `Error`:
    /// a message): under `sideband-all` a band packet, else a pkt-line (an `ERR` one for an
    /// error). One body for [`UploadPack::put`] and [`UploadPack::fail`].
    fn emit(&mut self, parts: &[&[u8]], band: Band) {
        emit_into(&mut self.out, self.args.has(args::SIDEBAND_ALL), parts, band);
    }

    /// A one-part [`UploadPack::put`].
    #[inline(never)]
    fn text(&mut self, line: &[u8]) {
        self.put(&[line]);
    }

    /// `ACK <id>` and `suffix` (gitprotocol-pack "Packfile Negotiation", gitprotocol-v2
    /// "acknowledgments"). The id comes as its hex, made before the call, so that
    /// `self.last_common` is acknowledged without a copy of it.
    fn ack(&mut self, hex: &[u8], suffix: &[u8]) {
        self.put(&[b"ACK ", hex, suffix]);
    }

    /// Report a protocol error to the client and stop (git: `ERR <msg>` or band 3). The message
    /// is the concatenation of `parts`; request bytes quoted in it are sent as they came, as
    /// git's `die("... '%s'", line)` does.
    fn fail(&mut self, parts: &[&[u8]]) {
        self.emit(parts, Band::Error);
        self.phase = Phase::Finished;
        self.send_pack = false;
    }

    /// A one-part [`UploadPack::fail`].
    #[inline(never)]
    fn fail_msg(&mut self, msg: &[u8]) {
        self.fail(&[msg]);
    }

    /// [`UploadPack::fail`] with `prefix`, then `quoted` and a closing `'`.
    #[inline(never)]
    fn fail_quoted(&mut self, prefix: &[u8], quoted: &[u8]) {
        self.fail(&[prefix, quoted, b"'"]);
    }

    fn fail_display(&mut self, e: &dyn git_core::msg::Describe) {
        let msg = git_core::msg::render(e);
        self.fail_msg(msg.as_bytes());
    }

    /// The outcome of a [`FetchArgs`] line parser: its `Ok` value, or `true` (the line was one
    /// of its kind) after reporting the error. One place drops the boxed errors.
    fn args_outcome(&mut self, r: Result<bool, alloc::boxed::Box<args::ArgsError>>) -> bool {
        match r {
            Ok(known) => known,
            Err(e) => {
                self.fail_display(&*e);
                true
            }
        }
    }

    fn process_lines<S: Store>(&mut self, store: &mut S) -> Res<()> {
        while self.phase != Phase::Finished {
            let r = match self.input.next_line() {
                Ok(None) => break,
                Ok(Some(PktLine::Data(d))) => {
                    // Copied out of the input buffer into `scratch`, taken for the call (and given
                    // back before the `?`: no drop of it on the error path).
                    let mut line = core::mem::take(&mut self.scratch);
                    line.clear();
                    line.extend_from_slice(d.strip_suffix(b"\n").unwrap_or(d));
                    let r = self.data_line(store, &line);
                    self.scratch = line;
                    r
                }
                Ok(Some(PktLine::Flush)) => self.flush(store),
                Ok(Some(PktLine::Delim)) => {
                    if self.phase == Phase::V2Caps {
                        self.phase = Phase::V2Args;
                    } else {
                        self.fail_msg(b"protocol error: unexpected delim-pkt");
                    }
                    Ok(())
                }
                Ok(Some(PktLine::ResponseEnd)) => {
                    self.fail_msg(b"protocol error: unexpected response-end-pkt");
                    Ok(())
                }
                Err(e) => {
                    self.fail_display(&e);
                    break;
                }
            };
            r?;
        }
        Ok(())
    }

    fn data_line<S: Store>(&mut self, store: &mut S, line: &[u8]) -> Res<()> {
        match self.phase {
            Phase::V0Wants => self.v0_want_line(line),
            Phase::V0Haves => self.v0_have_line(store, line)?,
            Phase::V2Caps => self.v2_cap_line(line),
            Phase::V2Args => self.v2_arg_line(line),
            Phase::Finished => {}
        }
        Ok(())
    }

    fn flush<S: Store>(&mut self, store: &mut S) -> Res<()> {
        match self.phase {
            Phase::V0Wants => self.v0_after_wants(store),
            Phase::V0Haves => self.v0_end_of_round(store),
            Phase::V2Caps => {
                // A flush before the delimiter: a command without arguments, or nothing at all.
                self.phase = Phase::V2Args;
                self.v2_execute(store)
            }
            Phase::V2Args => self.v2_execute(store),
            Phase::Finished => Ok(()),
        }
    }

    // ---- v0/v1 ----

    fn v0_want_line(&mut self, line: &[u8]) {
        if let Some(rest) = line.strip_prefix(b"want ") {
            let (hex, caps) = split_want(rest);
            // The capabilities are taken first; an id that does not parse ends the request
            // all the same.
            // The first want line: no want is kept before it, and one that cannot be kept ends the
            // request (no flag for it).
            if self.args.wants.is_empty() {
                // The capability list decides these flags (a `deepen-relative` line before the
                // first want does not count).
                self.args.flags &= !args::V0_FLAGS;
                for (name, _) in caps.iter() {
                    self.args.set_flag(name, args::FLAG_NAMES.len(), args::V0_FLAGS);
                }
            }
            let r = self.args.add_want(hex);
            self.args_outcome(r);
            return;
        }
        // Not a shared line, or a `have` line (not an error already: that ended the request).
        let r = self.args.shared_line(line);
        if (!self.args_outcome(r) || line.starts_with(b"have ")) && self.phase != Phase::Finished {
            self.fail_quoted(b"git upload-pack: protocol error, expected to get object ID, not '", line);
        }
    }

    fn v0_after_wants<S: Store>(&mut self, store: &mut S) -> Res<()> {
        if self.args.wants.is_empty() {
            self.phase = Phase::Finished;
            return Ok(());
        }
        if !self.args_ok() || !self.wants_ok(store)? {
            return Ok(());
        }
        if !self.shallow_info(store, false)? {
            return Ok(());
        }
        // upload-pack.c send_unshallow adds the parents of each unshallowed commit to the wants
        // before v0 reads the haves, so `ok_to_give_up` waits for them too (v2 computes the
        // shallow info after its negotiation: there they only join the pack's wants, in
        // `enumerate`).
        self.args.wants.extend(self.shallow.extra_wants.iter().copied());
        self.sideband = if self.args.has(args::SIDE_BAND_64K) {
            Sideband::Large
        } else if self.args.has(args::SIDE_BAND) {
            Sideband::Small
        } else {
            Sideband::None
        };
        self.phase = Phase::V0Haves;
        Ok(())
    }

    fn v0_have_line<S: Store>(&mut self, store: &mut S, line: &[u8]) -> Res<()> {
        // Each outcome that acknowledges names the id and the suffix; one `ACK` below.
        let multi = self.args.has(args::MULTI_ACK | args::MULTI_ACK_DETAILED);
        let detailed = self.args.has(args::MULTI_ACK_DETAILED);
        let mut id = self.last_common;
        let suffix: &[u8] = if line == b"done" {
            self.send_pack = true;
            self.phase = Phase::Finished;
            if self.haves.common.is_empty() {
                self.text(b"NAK");
                return Ok(());
            }
            if !multi {
                return Ok(());
            }
            b""
        } else {
            let Some(hex) = line.strip_prefix(b"have ") else {
                self.fail_quoted(b"git upload-pack: expected SHA1 list, got '", line);
                return Ok(());
            };
            // Parsed without building the argument error: this message is its own.
            let Ok(have) = ObjectId::from_hex(hex) else {
                self.fail_quoted(b"git upload-pack: expected SHA1 object, got '", hex);
                return Ok(());
            };
            id = have;
            match self.haves.got(store, &mut self.graph, &id, &self.shallow.boundary)? {
                HaveResult::Unknown => {
                    self.got_other = true;
                    if !multi || !self.give_up(store)? {
                        return Ok(());
                    }
                    if detailed {
                        self.sent_ready = true;
                        b" ready"
                    } else {
                        b" continue"
                    }
                }
                HaveResult::Common => {
                    self.last_common = id;
                    if detailed {
                        b" common"
                    } else if multi {
                        b" continue"
                    } else if self.haves.common.len() == 1 {
                        // git: `else if (data->have_obj.nr == 1)`, also for haves implied by it.
                        b""
                    } else {
                        return Ok(());
                    }
                }
            }
        };
        self.ack(&id.to_hex(), suffix);
        Ok(())
    }

    /// A flush (or the end of the request) after haves: upload-pack.c get_common_commits.
    fn v0_end_of_round<S: Store>(&mut self, store: &mut S) -> Res<()> {
        self.phase = Phase::Finished;
        // (`ok_to_give_up` is false without a common have.)
        if self.args.has(args::MULTI_ACK_DETAILED)
            && !self.got_other
            && self.give_up(store)?
        {
            self.sent_ready = true;
            self.ack(&self.last_common.to_hex(), b" ready");
        }
        if self.haves.common.is_empty() || self.args.has(args::MULTI_ACK | args::MULTI_ACK_DETAILED) {
            self.text(b"NAK");
        }
        if self.args.has(args::NO_DONE) && self.sent_ready {
            // `ready` was sent: there is a common have.
            self.ack(&self.last_common.to_hex(), b"");
            self.send_pack = true;
        }
        Ok(())
    }

    /// [`Haves::ok_to_give_up`] for the request's wants. Its stack is the `have` list, empty
    /// whenever this is asked (v0 haves are looked at as they come; v2 takes the list before).
    fn give_up<S: Store>(&mut self, store: &mut S) -> Res<bool> {
        self.haves.ok_to_give_up(store, &mut self.graph, self.args.wants.as_slice(), &mut self.args.haves, &self.shallow.boundary)
    }

    /// The request's arguments fit together ([`FetchArgs::check`]); `false` if not (error queued).
    fn args_ok(&mut self) -> bool {
        match self.args.check() {
            Ok(()) => true,
            Err(e) => {
                self.fail_display(&e);
                false
            }
        }
    }

    /// Check that the store has each want; `false` if one is missing (error queued). Shared by
    /// v0 (after the wants' flush) and v2 (after `want-ref` resolution).
    fn wants_ok<S: Store>(&mut self, store: &mut S) -> Res<bool> {
        let wants = self.args.wants.as_slice();
        let Some(bad) = wants.get(wants::first_missing(store, wants)?) else { return Ok(true) };
        let hex = bad.to_hex();
        self.fail(&[b"upload-pack: not our ref ", &hex]);
        Ok(false)
    }

    /// Compute and write the shallow info; `false` if it failed (error already queued).
    /// v0 writes the lines and a flush only when the request deepens (upload-pack.c
    /// `receive_needs`: `send_shallow_list` returns 0 for `shallow` lines without `deepen*`, and
    /// then no flush is written; the client reads the ACK/NAK lines next, gitprotocol-pack
    /// "Shallow Clone"); v2 writes a `shallow-info` section ended by a delimiter whenever the
    /// client sent `shallow` lines or deepens (upload-pack.c `send_shallow_info`).
    fn shallow_info<S: Store>(&mut self, store: &mut S, v2: bool) -> Res<bool> {
        let a = &self.args;
        let deepens = a.depth > 0 || a.deepen_by_rev_list();
        if !deepens && a.shallows.is_empty() {
            return Ok(true);
        }
        if let Err(e) = shallow::compute(store, &mut self.graph, &self.args, &mut self.shallow)? {
            self.fail_display(&*e);
            return Ok(false);
        }
        if v2 {
            self.text(b"shallow-info");
        }
        let mut i = 0;
        while let Some((prefix, id)) = self.shallow.line(i) {
            let hex = id.to_hex();
            self.put(&[prefix, &hex]);
            i += 1;
        }
        if v2 {
            pktline::write_delim(&mut self.out);
        } else if deepens {
            pktline::write_flush(&mut self.out);
        }
        Ok(true)
    }

    // ---- v2 ----

    fn v2_cap_line(&mut self, line: &[u8]) {
        if let Some(cmd) = line.strip_prefix(b"command=") {
            if self.command.is_some() {
                return self.fail_msg(b"command already set");
            }
            self.command = Some(match lookup(&crate::advertise::V2_COMMANDS, cmd) {
                Some(0) => Command::LsRefs,
                Some(1) => Command::Fetch,
                Some(_) => Command::ObjectInfo,
                None => {
                    return self.fail_quoted(b"invalid command '", cmd);
                }
            });
        } else if let Some(fmt) = line.strip_prefix(crate::advertise::OBJECT_FORMAT_EQ) {
            if fmt != b"sha1" {
                self.fail(&[b"mismatched object format: server sha1; client ", fmt]);
            }
        } else if line.starts_with(crate::advertise::AGENT_EQ) || line.starts_with(b"server-option=") || line.starts_with(b"session-id=") {
        } else {
            self.fail_quoted(b"unknown capability '", line);
        }
    }

    fn v2_arg_line(&mut self, line: &[u8]) {
        let ok = match self.command {
            Some(Command::LsRefs) => self.ls.line(line),
            Some(Command::ObjectInfo) => {
                if line == b"size" {
                    self.info_size = true;
                    true
                } else if let Some(hex) = line.strip_prefix(b"oid ") {
                    match ObjectId::from_hex(hex) {
                        Ok(id) if self.args.haves.len() < args::MAX_LIST => {
                            self.args.haves.push(id);
                            true
                        }
                        _ => false,
                    }
                } else {
                    false
                }
            }
            Some(Command::Fetch) => self.v2_fetch_arg(line),
            None => false,
        };
        if !ok && self.phase != Phase::Finished {
            self.fail_quoted(b"unexpected line: '", line);
        }
    }

    fn v2_fetch_arg(&mut self, line: &[u8]) -> bool {
        let a = &mut self.args;
        if a.set_flag(line, args::V2_FLAGS, !0) {
        } else if let Some(hex) = line.strip_prefix(b"want ") {
            let r = a.add_want(hex);
            return self.args_outcome(r);
        } else if let Some(name) = line.strip_prefix(b"want-ref ") {
            if a.want_refs.len() >= args::MAX_WANTS {
                self.fail_msg(b"too many want-ref lines");
            } else {
                a.want_refs.push(git_core::msg::lossy(name));
            }
        } else {
            let r = a.shared_line(line);
            return self.args_outcome(r);
        }
        true
    }

    fn v2_execute<S: Store>(&mut self, store: &mut S) -> Res<()> {
        self.phase = Phase::Finished;
        match self.command {
            None => Ok(()),
            Some(Command::LsRefs) => ls_refs::ls_refs(store, &mut self.graph, &self.ls, &mut self.out, &mut self.scratch),
            Some(Command::ObjectInfo) => {
                if self.info_size {
                    self.text(b"size");
                }
                // By index: no taken list to drop at each exit.
                let mut i = 0;
                while let Some(id) = self.args.haves.get(i) {
                    i += 1;
                    let hex = id.to_hex();
                    let mut line: Vec<u8> = Vec::from(&hex[..]);
                    if self.info_size {
                        line.push(b' ');
                        if let Some((_, size)) = graph::header(store, id)? {
                            progress::push_u64(&mut line, size);
                        }
                    }
                    self.text(&line);
                }
                pktline::write_flush(&mut self.out);
                Ok(())
            }
            Some(Command::Fetch) => self.v2_fetch(store),
        }
    }

    fn v2_fetch<S: Store>(&mut self, store: &mut S) -> Res<()> {
        if !self.args_ok() {
            return Ok(());
        }
        // The `want-ref` names resolve to wants; the lines of the `wanted-refs` section are
        // written as they do, into `scratch` (free once the request's lines are read: no local
        // buffer to drop at each exit), and go out after the sections before.
        self.scratch.clear();
        for name in &core::mem::take(&mut self.args.want_refs) {
            match crate::refs::resolve(store, name)? {
                Some(id) if name.starts_with("refs/") || name == "HEAD" => {
                    self.args.wants.insert(id);
                    let parts: [&[u8]; 3] = [&id.to_hex(), b" ", name.as_bytes()];
                    emit_into(&mut self.scratch, self.args.has(args::SIDEBAND_ALL), &parts, Band::Data);
                }
                _ => {
                    self.fail(&[b"unknown ref ", name.as_bytes()]);
                    return Ok(());
                }
            }
        }
        if !self.wants_ok(store)? {
            return Ok(());
        }
        if self.args.wants.is_empty() && !self.args.has(args::WAIT_FOR_DONE) {
            return Ok(());
        }
        if !self.args.haves.is_empty() {
            // The section is written as the haves are looked at (an error on the way discards
            // the response); its `NAK` stands alone, so it may follow the header directly.
            let section = !self.args.has(args::DONE);
            if section {
                self.text(b"acknowledgments");
            }
            // By index, the list emptied after (the give-up walk below takes it as its stack).
            let mut i = 0;
            while let Some(&h) = self.args.haves.get(i) {
                i += 1;
                if self.haves.got(store, &mut self.graph, &h, &self.shallow.boundary)? == HaveResult::Common && section {
                    self.ack(&h.to_hex(), b"");
                }
            }
            self.args.haves.clear();
            if section {
                // A common have puts one on the common list (empty before: v2 has one round).
                if self.haves.common.is_empty() {
                    self.text(b"NAK");
                }
                if !self.args.has(args::WAIT_FOR_DONE) && self.give_up(store)? {
                    self.text(b"ready");
                    pktline::write_delim(&mut self.out);
                } else {
                    pktline::write_flush(&mut self.out);
                    return Ok(());
                }
            }
        }
        if !self.shallow_info(store, true)? {
            return Ok(());
        }
        if !self.scratch.is_empty() {
            self.text(b"wanted-refs");
            self.out.extend_from_slice(&self.scratch);
            pktline::write_delim(&mut self.out);
            // The lines may be many (one per `want-ref`): a large buffer is not kept for the pack.
            crate::odb::release_large(&mut self.scratch);
        }
        self.text(b"packfile");
        self.sideband = Sideband::Large;
        self.send_pack = true;
        Ok(())
    }

    // ---- pack ----

    /// The progress message built in `scratch` (free between pack pieces), on band 2 unless the
    /// client asked for `no-progress`.
    fn progress(&mut self) {
        if !self.args.has(args::NO_PROGRESS) {
            self.sideband.write(&mut self.out, Band::Progress, &self.scratch);
        }
    }

    fn start_pack<S: Store>(&mut self, store: &mut S) -> Res<()> {
        let mut pack = PackStream::new(self.args.has(args::THIN_PACK), self.args.has(args::OFS_DELTA));
        // The pack is kept only once its objects are known; one place drops it otherwise.
        let r = self.enumerate(store, &mut pack.objects);
        if r.is_ok() {
            let msg = &mut self.scratch;
            msg.clear();
            msg.extend_from_slice(b"Enumerating objects: ");
            progress::push_u64(msg, pack.len() as u64);
            msg.extend_from_slice(b", done.\n");
            self.progress();
            self.pack = Some(pack);
        }
        r
    }

    /// The objects to send, into `e`.
    fn enumerate<S: Store>(&mut self, store: &mut S, e: &mut walk::Enumerated) -> Res<()> {
        let wants = &mut self.args.wants;
        wants.extend(self.shallow.extra_wants.iter().copied());
        // The negotiation is over: its common list becomes the walk's haves (extended in place;
        // given back when the pack starts).
        let haves = &mut self.haves.common;
        haves.extend_from_slice(&self.shallow.unshallow);
        let input = walk::WalkInput {
            wants: wants.as_slice(),
            haves,
            shallow: &self.shallow.boundary,
            filter: &self.args.filter,
        };
        walk::enumerate(store, &mut self.graph, input, e)?;
        self.haves.common = Vec::new();
        if self.args.has(args::INCLUDE_TAG) {
            wants::add_included_tags(store, &mut self.graph, &mut e.objects)?;
        }
        Ok(())
    }

    fn pack_step<S: Store>(&mut self, store: &mut S) -> Res<()> {
        let Some(pack) = self.pack.as_mut() else { return self.start_pack(store) };
        self.scratch.clear();
        if pack.next_chunk(store, &mut self.graph, &mut self.scratch)? {
            self.sideband.write(&mut self.out, Band::Data, &self.scratch);
            return Ok(());
        }
        let s = pack.stats;
        // `scratch` is empty: the last call appended nothing to it.
        let msg = &mut self.scratch;
        msg.extend_from_slice(b"Total ");
        progress::push_u64(msg, s.total);
        msg.extend_from_slice(b" (delta ");
        progress::push_u64(msg, s.deltas);
        msg.extend_from_slice(b"), reused ");
        progress::push_u64(msg, s.reused);
        msg.extend_from_slice(b" (delta ");
        progress::push_u64(msg, s.deltas);
        msg.extend_from_slice(b"), pack-reused 0 (from 0)\n");
        self.progress();
        if self.sideband != Sideband::None {
            pktline::write_flush(&mut self.out);
        }
        self.send_pack = false;
        Ok(())
    }
}

/// [`UploadPack::emit`] into `out` (which may be another buffer than the response's).
fn emit_into(out: &mut Vec<u8>, sideband_all: bool, parts: &[&[u8]], band: Band) {
    let mut line = concat(parts);
    if band == Band::Data {
        line.push(b'\n');
    }
    if sideband_all {
        Sideband::Large.write(out, band, &line);
    } else if band == Band::Data {
        let _ = pktline::write_data(out, &line);
    } else {
        pktline::write_err(out, &line);
    }
}

/// The concatenation of `parts`.
fn concat(parts: &[&[u8]]) -> Vec<u8> {
    let mut v = Vec::new();
    for p in parts {
        v.extend_from_slice(p);
    }
    v
}

impl<S: Store> Exchange<S> for UploadPack {
    fn handle_input(&mut self, store: &mut S, data: &[u8]) -> Result<(), ExchangeError> {
        if self.input_ended {
            return Err(ExchangeError::Misuse("input after the end of the request"));
        }
        self.received += data.len() as u64;
        if self.received > MAX_REQUEST_BUFFER as u64 {
            return Err(ExchangeError::too_large(self.received, MAX_REQUEST_BUFFER as u64));
        }
        if self.phase == Phase::Finished {
            return Ok(());
        }
        self.input.push(data).map_err(|e| ExchangeError::too_large(e.got as u64, e.limit as u64))?;
        unbox(self.process_lines(store))
    }

    fn handle_input_end(&mut self, store: &mut S) -> Result<(), ExchangeError> {
        if self.input_ended {
            return Ok(());
        }
        self.input_ended = true;
        if self.phase != Phase::Finished && self.input.pending() > 0 {
            self.fail_msg(b"protocol error: request ends inside a pkt-line");
        }
        // The end of input after the haves is not a flush: git's upload-pack (upload-pack.c
        // get_common_commits, reader without PACKET_READ_GENTLE_ON_EOF) dies there without a NAK.
        // A stateless client whose request stops after the wants' flush (a `deepen` request
        // reading only the shallow list) would otherwise find a stray NAK in front of its next
        // response ("expected shallow list"). Elsewhere the end of input reads like a flush.
        if self.phase != Phase::Finished && self.phase != Phase::V0Haves {
            unbox(self.flush(store))?;
        }
        self.phase = Phase::Finished;
        Ok(())
    }

    fn poll_output(&mut self, store: &mut S, buf: &mut [u8]) -> Result<usize, ExchangeError> {
        loop {
            if self.out_pos < self.out.len() {
                return Ok(copy_pending(&self.out, &mut self.out_pos, buf));
            }
            self.out.clear();
            self.out_pos = 0;
            if self.done || buf.is_empty() {
                return Ok(0);
            }
            if !self.input_ended {
                return Err(ExchangeError::Misuse("output polled before the request ended"));
            }
            if self.send_pack {
                unbox(self.pack_step(store))?;
            } else {
                self.done = true;
            }
        }
    }

    fn is_done(&self) -> bool {
        self.done
    }
}
