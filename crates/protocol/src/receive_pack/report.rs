//! The push report (gitprotocol-pack "Report Status", gitprotocol-capabilities "report-status",
//! "report-status-v2"; receive-pack.c `report`, `report_v2`): `unpack ok|<reason>`, then
//! `ok <ref>` or `ng <ref> <reason>` per command in request order, then a flush. With
//! `side-band-64k` the report travels on band 1, messages on band 2, and a flush ends the response.

use super::command::Command;
use crate::pktline;
use crate::sideband::{Band, Sideband};
use alloc::string::String;
use alloc::vec::Vec;
use git_core::msg::{Describe, Msg};

/// Messages for the client's terminal (`remote: error: ...`): receive-pack's `rp_error`,
/// `rp_warning` and progress, sent on band 2 when side-band is in use and dropped otherwise.
#[derive(Default, Debug)]
pub struct Messages {
    text: String,
}

impl Messages {
    /// `error: <msg>`.
    pub fn error(&mut self, msg: &dyn Describe) {
        self.line("error: ", msg);
    }
    /// `warning: <msg>`.
    pub fn warning(&mut self, msg: &dyn Describe) {
        self.line("warning: ", msg);
    }
    /// A progress line (not shown under `quiet`; the caller decides).
    pub fn progress(&mut self, msg: &dyn Describe) {
        self.line("", msg);
    }
    fn line(&mut self, prefix: &str, msg: &dyn Describe) {
        Msg::new(&mut self.text).s(prefix).d(msg).s("\n");
    }
    /// The collected text.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Append the whole response after the pack was processed: messages (band 2), the report when
/// the client asked for one (`report-status` or `report-status-v2`), and the closing flush when
/// side-band is in use. Inlined into its one caller (receive-pack's `finish`).
#[inline]
pub fn write_response(out: &mut Vec<u8>, sideband: bool, report: bool, messages: &Messages, unpack_status: Option<&str>, commands: &[Command]) {
    let mut lines = Vec::new();
    if report {
        // report-status-v2 adds `option` lines only for refs a proc-receive hook rewrote; without
        // such hooks both reports are the same lines.
        let status = unpack_status.unwrap_or("ok");
        let _ = pktline::write_parts(&mut lines, &[b"unpack ", &one_line(status), b"\n"]);
        for cmd in commands {
            // The reasons are short one-line constants ([`super::update::reason`]).
            let (word, sep, reason): (&[u8], &[u8], &[u8]) = match cmd.failure {
                None => (b"ok ", b"", b""),
                Some(reason) => (b"ng ", b" ", reason.as_bytes()),
            };
            let _ = pktline::write_parts(&mut lines, &[word, &cmd.name, sep, reason, b"\n"]);
        }
        pktline::write_flush(&mut lines);
    }
    write_bands(out, sideband, messages.as_str().as_bytes(), Band::Data, &lines);
}

/// Append a fatal protocol error: band 3 under side-band, else an `ERR` pkt-line
/// (gitprotocol-pack: the client prints "remote error: <msg>"). Inlined into its one caller.
#[inline]
pub fn write_fatal(out: &mut Vec<u8>, sideband: bool, message: &str) {
    write_bands(out, sideband, b"", Band::Error, &one_line(message));
}

/// `progress` on band 2 and `body` on `band`, then the closing flush, under side-band; without
/// it, progress is dropped, data written raw and an error as an `ERR` pkt-line ([`Sideband::write`]).
/// Inlined into its two callers.
#[inline]
fn write_bands(out: &mut Vec<u8>, sideband: bool, progress: &[u8], band: Band, body: &[u8]) {
    let mode = if sideband { Sideband::Large } else { Sideband::None };
    mode.write(out, Band::Progress, progress);
    mode.write(out, band, body);
    if sideband {
        pktline::write_flush(out);
    }
}

/// A reason on one report line: newlines would end the line early, so they become spaces; long
/// texts are cut to fit a pkt-line.
/// Works on bytes: `\n` and `\r` never occur inside a multi-byte UTF-8 sequence.
fn one_line(text: &str) -> Vec<u8> {
    let mut max = text.len().min(1000);
    while !text.is_char_boundary(max) {
        max -= 1;
    }
    let mut s = Vec::new();
    for &b in text.as_bytes().get(..max).unwrap_or(&[]) {
        s.push(if b == b'\n' || b == b'\r' { b' ' } else { b });
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use git_core::msg::with;

    #[test]
    fn messages_are_prefixed_lines() {
        let mut msgs = Messages::default();
        msgs.error(&"multiple updates for ref 'refs/heads/x' not allowed");
        msgs.warning(&with(|m| {
            m.s("deleting ").u(2).s(" refs");
        }));
        msgs.progress(&with(|m| {
            m.s("Received ").u(0).s(" objects");
        }));
        assert_eq!(
            msgs.as_str(),
            "error: multiple updates for ref 'refs/heads/x' not allowed\nwarning: deleting 2 refs\nReceived 0 objects\n"
        );
    }
}
