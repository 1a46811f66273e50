//! The contract between the protocol state machines and the hosts (the native HTTP server and the
//! Wasm module are thin drivers over it), the two services, and protocol version selection from the
//! `Git-Protocol` header (gitprotocol-http, gitprotocol-v2 "Initial Client Request").

use alloc::boxed::Box;
use git_core::ObjectId;
use host_abi::{Store, StoreError};

/// git's http-backend cap on a buffered negotiation request (`http.maxRequestBuffer`, 10 MiB).
pub const MAX_REQUEST_BUFFER: usize = 10 * 1024 * 1024;

/// One smart-HTTP POST as a sans-I/O state machine: request bytes in through `handle_*`, response
/// bytes out through `poll_output`.
///
/// Protocol-level failures (not our ref, malformed request, conflicting deepen options) are
/// answered the way git answers them — an `ERR <msg>` pkt-line, or side-band band 3 once
/// side-band is active — inside a normal response, so the client prints "remote error: ...".
/// `Err(ExchangeError)` is for the driver only: it turns it into an HTTP 4xx/5xx status.
pub trait Exchange<S: Store> {
    /// Request body bytes (already gunzipped and de-chunked), in any chunking.
    fn handle_input(&mut self, store: &mut S, data: &[u8]) -> Result<(), ExchangeError>;
    /// The request body ended.
    fn handle_input_end(&mut self, store: &mut S) -> Result<(), ExchangeError>;
    /// Write response bytes into `buf`; returns how many; `Ok(0)` only when `is_done()`.
    fn poll_output(&mut self, store: &mut S, buf: &mut [u8]) -> Result<usize, ExchangeError>;
    /// True once the whole response has been returned by `poll_output`.
    fn is_done(&self) -> bool;
}

/// Copy the unsent part of `out` (from `*pos`) into `buf` and advance `*pos`: how an exchange's
/// queued response bytes leave through [`Exchange::poll_output`]. Returns the bytes copied.
/// Inlined into both services' `poll_output`.
#[inline]
pub(crate) fn copy_pending(out: &[u8], pos: &mut usize, buf: &mut [u8]) -> usize {
    let rest = out.get(*pos..).unwrap_or(&[]);
    let n = rest.len().min(buf.len());
    if let (Some(dst), Some(src)) = (buf.get_mut(..n), rest.get(..n)) {
        dst.copy_from_slice(src);
    }
    *pos += n;
    n
}

/// A failure the driver reports as an HTTP error status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExchangeError {
    /// The request is over a cap (HTTP 413). Counts in `u32` (saturating; the caps are far
    /// below it) keep this enum, which every `?` moves, at 16 bytes on Wasm.
    RequestTooLarge { got: u32, limit: u32 },
    /// Storage failed (HTTP 500).
    Store(StoreError),
    /// A stored object cannot be read back (HTTP 500).
    Corrupt { id: Box<ObjectId>, what: &'static str },
    /// The driver broke the call order (input after the end, output before it).
    Misuse(&'static str),
    /// The pack being sent does not add up (an engine bug; HTTP 500).
    PackWrite(Box<pack::writer::WriteError>),
}

impl git_core::msg::Describe for ExchangeError {
    fn describe(&self, m: &mut git_core::msg::Msg<'_>) {
        match self {
            ExchangeError::RequestTooLarge { got, limit } => m
                .s("request too large: got ")
                .u(u64::from(*got))
                .s(" bytes, limit ")
                .u(u64::from(*limit)),
            ExchangeError::Store(e) => m.s("storage failure: ").d(e),
            ExchangeError::Corrupt { id, what } => m.s("stored object ").id(id).s(" is unreadable: ").s(what),
            ExchangeError::Misuse(what) => m.s("driver misuse: ").s(what),
            ExchangeError::PackWrite(e) => m.s("writing the pack: ").d(e),
        };
    }
}
git_core::display_via_describe!(ExchangeError);

impl ExchangeError {
    /// [`ExchangeError::RequestTooLarge`] from byte counts (saturating at `u32::MAX`).
    #[cold]
    #[inline(never)]
    pub fn too_large(got: u64, limit: u64) -> Self {
        let cap = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        ExchangeError::RequestTooLarge { got: cap(got), limit: cap(limit) }
    }

    /// [`ExchangeError::Corrupt`]; the id is boxed so that every `Result` carrying this error
    /// stays small (each `?` moves it).
    #[cold]
    #[inline(never)]
    pub fn corrupt(id: ObjectId, what: &'static str) -> Self {
        ExchangeError::Corrupt { id: Box::new(id), what }
    }
}

// The conversions `?` applies at every storage call, written out and kept out of line: the
// derived ones are inlined at each of those call sites.
impl From<StoreError> for ExchangeError {
    #[inline(never)]
    fn from(e: StoreError) -> Self {
        ExchangeError::Store(e)
    }
}

impl From<pack::writer::WriteError> for ExchangeError {
    #[inline(never)]
    fn from(e: pack::writer::WriteError) -> Self {
        ExchangeError::PackWrite(Box::new(e))
    }
}

/// The two smart services.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    /// `git-upload-pack`: fetch and clone.
    UploadPack,
    /// `git-receive-pack`: push.
    ReceivePack,
}

impl Service {
    /// The service name as in `?service=` and the URL path (`git-upload-pack`).
    pub const fn name(self) -> &'static str {
        match self {
            Service::UploadPack => "git-upload-pack",
            Service::ReceivePack => "git-receive-pack",
        }
    }

    /// From `git-upload-pack` / `git-receive-pack`.
    pub fn from_name(name: &[u8]) -> Option<Self> {
        match name {
            b"git-upload-pack" => Some(Service::UploadPack),
            b"git-receive-pack" => Some(Service::ReceivePack),
            _ => None,
        }
    }

    /// `application/x-git-<svc>-advertisement` for `GET /info/refs` (gitprotocol-http).
    pub const fn advertisement_content_type(self) -> &'static str {
        match self {
            Service::UploadPack => "application/x-git-upload-pack-advertisement",
            Service::ReceivePack => "application/x-git-receive-pack-advertisement",
        }
    }

    /// `application/x-git-<svc>-result` for the POST response (gitprotocol-http).
    pub const fn result_content_type(self) -> &'static str {
        match self {
            Service::UploadPack => "application/x-git-upload-pack-result",
            Service::ReceivePack => "application/x-git-receive-pack-result",
        }
    }
}

/// Wire protocol version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum ProtocolVersion {
    /// The original protocol.
    #[default]
    V0,
    /// v0 with a `version 1` line first.
    V1,
    /// gitprotocol-v2.
    V2,
}

/// The version a `Git-Protocol` header value asks for: `:`-separated `key[=value]` items; among
/// the `version=N` items the greatest known one wins, unknown versions are ignored (git's
/// `determine_protocol_version_server`). No header or no known version: v0.
pub fn parse_git_protocol(header: &[u8]) -> ProtocolVersion {
    // An index loop over the items, not a split/filter_map/max chain (smaller in the Wasm module).
    let mut best = ProtocolVersion::V0;
    let mut start = 0;
    for end in 0..=header.len() {
        if end < header.len() && header[end] != b':' {
            continue;
        }
        // The shared prefix compared once, then one byte (a literal per item would be a
        // byte-by-byte comparison chain each).
        let item = header.get(start..end).unwrap_or_default();
        let v = match item.strip_prefix(b"version=") {
            Some(b"1") => ProtocolVersion::V1,
            Some(b"2") => ProtocolVersion::V2,
            _ => ProtocolVersion::V0,
        };
        best = best.max(v);
        start = end + 1;
    }
    best
}

/// The version a service actually speaks for a requested one: push never uses v2 (git's
/// receive-pack falls back to v0 for a v2 request; a v1 request gets v1).
pub fn effective_version(service: Service, requested: ProtocolVersion) -> ProtocolVersion {
    match (service, requested) {
        (Service::ReceivePack, ProtocolVersion::V2) => ProtocolVersion::V0,
        (_, v) => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_protocol_header() {
        assert_eq!(parse_git_protocol(b"version=2"), ProtocolVersion::V2);
        assert_eq!(parse_git_protocol(b"version=1:version=2:object-format=sha1"), ProtocolVersion::V2);
        assert_eq!(parse_git_protocol(b"version=1"), ProtocolVersion::V1);
        assert_eq!(parse_git_protocol(b"version=3"), ProtocolVersion::V0);
        assert_eq!(parse_git_protocol(b""), ProtocolVersion::V0);
        assert_eq!(parse_git_protocol(b"version=2:version=1"), ProtocolVersion::V2);
        assert_eq!(parse_git_protocol(b"::version=1:"), ProtocolVersion::V1);
        assert_eq!(parse_git_protocol(b"version=0:version=1"), ProtocolVersion::V1);
        assert_eq!(parse_git_protocol(b"version=22:xversion=2:version=2x"), ProtocolVersion::V0);
        assert_eq!(parse_git_protocol(b"object-format=sha1:version=2"), ProtocolVersion::V2);
        assert_eq!(effective_version(Service::ReceivePack, ProtocolVersion::V2), ProtocolVersion::V0);
    }
}
