//! The `GET /info/refs?service=<svc>` response body (gitprotocol-http "Smart Clients",
//! gitprotocol-pack "Reference Discovery", gitprotocol-v2 "Capability Advertisement").
//!
//! * v0/v1: `# service=<svc>` and a flush (git's http-backend writes it unless v2 is spoken), then
//!   for v1 `version 1`, then one line per ref with the capability list after a NUL on the first
//!   line, annotated tags followed by their peeled `<ref>^{}` line (upload-pack only), and a flush.
//!   A repository without refs sends `<zero-id> capabilities^{}`.
//! * v2 (upload-pack only; push always speaks v0): `version 2`, one capability per line, a flush,
//!   and no `# service=` line (http-backend omits it for v2).

use crate::capabilities::AGENT;
use crate::odb::{peel, ObjectReader};
use crate::refs;
use crate::service::{effective_version, ExchangeError, ProtocolVersion, Service};
use crate::pktline;
use alloc::vec::Vec;
use git_core::ObjectId;
use host_abi::Store;

const UPLOAD_PACK_TEXT: &str = "multi_ack thin-pack side-band side-band-64k ofs-delta shallow \
deepen-since deepen-not deepen-relative no-progress include-tag multi_ack_detailed allow-tip-sha1-in-want \
allow-reachable-sha1-in-want no-done";

/// upload-pack's v0/v1 capabilities before the per-repository ones (`symref=`), in git's order
/// (upload-pack.c `send_ref`). Stateless RPC is the only mode here, hence `no-done`. A static
/// array (one copy in the module, its address and length constants in the code), whose words the
/// request parsers' tables reuse through [`part`].
pub static UPLOAD_PACK_CAPABILITIES: [u8; UPLOAD_PACK_TEXT.len()] = array(UPLOAD_PACK_TEXT);

/// receive-pack's capabilities (builtin/receive-pack.c `show_ref`), `object-format` and `agent`
/// follow.
pub const RECEIVE_PACK_CAPABILITIES: &str =
    "report-status report-status-v2 delete-refs side-band-64k quiet atomic ofs-delta push-options";

const V2_FETCH_TEXT: &str = "shallow wait-for-done filter ref-in-want sideband-all";

/// upload-pack's v2 `fetch` features (serve.c / upload-pack.c `upload_pack_advertise`). A static
/// array, as [`UPLOAD_PACK_CAPABILITIES`].
pub static V2_FETCH_FEATURES: [u8; V2_FETCH_TEXT.len()] = array(V2_FETCH_TEXT);

const V0_TAIL_TEXT: &str = " object-format=sha1 agent=";

/// The end of every v0/v1 capability list (before the agent); in parts also two v2 lines and
/// names the v2 capability-line parser takes.
static V0_TAIL: [u8; V0_TAIL_TEXT.len()] = array(V0_TAIL_TEXT);

/// [`AGENT`] as a static array: one copy in the module for the v0 list and the v2 line.
static AGENT_VALUE: [u8; AGENT.len()] = array(AGENT);

const V2_LS_REFS_TEXT: &str = "ls-refs=unborn";

/// The v2 `ls-refs` capability line; its words are a command name and an argument name too.
pub(crate) static V2_LS_REFS: [u8; V2_LS_REFS_TEXT.len()] = array(V2_LS_REFS_TEXT);

/// The v2 `command=` names in [`crate::upload_pack`]'s order (`ls-refs` a part of its line).
pub(crate) static V2_COMMANDS: [&[u8]; 3] = [part(&V2_LS_REFS, b"ls-refs"), b"fetch", b"object-info"];

/// Prefixes of v2 capability lines the parser checks.
pub(crate) static OBJECT_FORMAT_EQ: &[u8] = part(&V0_TAIL, b"object-format=");
pub(crate) static AGENT_EQ: &[u8] = part(&V0_TAIL, b"agent=");

/// Where ` filter` starts in [`V2_FETCH_FEATURES`].
const FILTER_AT: usize = position(V2_FETCH_TEXT.as_bytes(), b" filter");

/// `text` as an array of `N` bytes (`N` its length): the value of a static holding the bytes in
/// place.
const fn array<const N: usize>(text: &str) -> [u8; N] {
    let text = text.as_bytes();
    let mut out = [0; N];
    let mut i = 0;
    while i < N && i < text.len() {
        out[i] = text[i];
        i += 1;
    }
    out
}

/// Where `word` first occurs in `text`; `text.len()` if it does not.
const fn position(text: &[u8], word: &[u8]) -> usize {
    let mut at = 0;
    while at + word.len() <= text.len() {
        let (_, rest) = text.split_at(at);
        let (found, _) = rest.split_at(word.len());
        let mut i = 0;
        while i < word.len() && found[i] == word[i] {
            i += 1;
        }
        if i == word.len() {
            return at;
        }
        at += 1;
    }
    text.len()
}

/// `word` as the part of `text` where it first occurs, or `word` itself if `text` lacks it.
/// Evaluated at compile time for the statics of names that an advertised text also holds: the
/// module then stores those bytes once.
pub(crate) const fn part(text: &'static [u8], word: &'static [u8]) -> &'static [u8] {
    let at = position(text, word);
    if at == text.len() {
        return word;
    }
    let (_, rest) = text.split_at(at);
    rest.split_at(word.len()).0
}

/// [`part`] as text, for names kept as `&str`.
pub(crate) const fn part_str(text: &'static [u8], word: &'static str) -> &'static str {
    match core::str::from_utf8(part(text, word.as_bytes())) {
        Ok(found) => found,
        Err(_) => word,
    }
}

/// Write the `/info/refs` body for `service` at the requested `version` into `out`.
pub fn advertise_refs<S: Store>(
    store: &mut S,
    service: Service,
    version: ProtocolVersion,
    out: &mut Vec<u8>,
) -> Result<(), ExchangeError> {
    let version = effective_version(service, version);
    if version == ProtocolVersion::V2 {
        write_v2_capabilities(out);
        return Ok(());
    }
    let _ = pktline::write_parts(out, &[b"# service=", service.name().as_bytes(), b"\n"]);
    pktline::write_flush(out);
    if version == ProtocolVersion::V1 {
        let _ = pktline::write_text(out, b"version 1");
    }
    write_v0_refs(store, service, out)
}

/// The v2 capability advertisement: `version 2`, capabilities, flush (gitprotocol-v2).
pub fn write_v2_capabilities(out: &mut Vec<u8>) {
    // A static table (data), not an array built on the stack at each call (code).
    static LINES: [(&[u8], &[u8]); 7] = [
        (b"version 2", b""),
        (AGENT_EQ, &AGENT_VALUE),
        (&V2_LS_REFS, b""),
        (b"fetch=", &V2_FETCH_FEATURES),
        (b"server-option", b""),
        (part(&V0_TAIL, b"object-format=sha1"), b""),
        (V2_COMMANDS[2], b""),
    ];
    for &(a, b) in &LINES {
        let _ = pktline::write_parts(out, &[a, b, b"\n"]);
    }
    pktline::write_flush(out);
}

/// The v0 ref lines and the closing flush, as upload-pack or receive-pack shows them (no service
/// header, no version line).
pub fn write_v0_refs<S: Store>(store: &mut S, service: Service, out: &mut Vec<u8>) -> Result<(), ExchangeError> {
    let all = refs::list(store, "")?;
    let mut caps: Vec<u8> = Vec::new();
    match service {
        Service::UploadPack => {
            caps.extend_from_slice(&UPLOAD_PACK_CAPABILITIES);
            // symref= for HEAD first, then other symbolic refs (upload-pack.c `find_symref`).
            // A range, not `[true, false]`: no array-iterator code in the Wasm module.
            for pass in 0..2 {
                let pass_head = pass == 0;
                for r in &all {
                    if (r.name == "HEAD") != pass_head || r.id.is_none() {
                        continue;
                    }
                    if let Some(t) = &r.symref_target {
                        caps.extend_from_slice(b" symref=");
                        caps.extend_from_slice(r.name.as_bytes());
                        caps.push(b':');
                        caps.extend_from_slice(t.as_bytes());
                    }
                }
            }
            // ` filter`, a part of the v2 features.
            caps.extend_from_slice(V2_FETCH_FEATURES.get(FILTER_AT..FILTER_AT + 7).unwrap_or_default());
        }
        Service::ReceivePack => caps.extend_from_slice(RECEIVE_PACK_CAPABILITIES.as_bytes()),
    }
    caps.extend_from_slice(&V0_TAIL);
    caps.extend_from_slice(&AGENT_VALUE);

    let mut reader = ObjectReader::default();
    let mut buf = Vec::new();
    let mut first = true;
    // One exit, at the end: the locals are dropped in one place.
    let mut result = Ok(());
    for r in &all {
        let Some(id) = &r.id else { continue };
        if service == Service::ReceivePack && r.name == "HEAD" {
            continue;
        }
        write_ref_line(out, id, r.name.as_bytes(), b"", if first { &caps } else { b"" });
        first = false;
        if service == Service::UploadPack {
            match peel(store, &mut reader, id, &mut buf) {
                Ok(Some(peeled)) => write_ref_line(out, &peeled, r.name.as_bytes(), b"^{}", b""),
                Ok(None) => {}
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
    }
    if result.is_ok() {
        if first {
            write_ref_line(out, &ObjectId::ZERO_SHA1, b"capabilities^{}", b"", &caps);
        }
        pktline::write_flush(out);
    }
    result
}

/// One ref line; `caps` (never empty on the line that carries them) follow a NUL when not empty.
fn write_ref_line(out: &mut Vec<u8>, id: &ObjectId, name: &[u8], suffix: &[u8], caps: &[u8]) {
    let hex = id.to_hex();
    let nul: &[u8] = if caps.is_empty() { b"" } else { b"\0" };
    // Ref names are capped by the store far below a pkt-line; an overlong one is skipped.
    let _ = pktline::write_parts(out, &[&hex, b" ", name, suffix, nul, caps, b"\n"]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_is_the_word_inside_the_text_or_the_word() {
        let p = part(&UPLOAD_PACK_CAPABILITIES, b"deepen-not");
        assert_eq!(p, b"deepen-not");
        let start = UPLOAD_PACK_CAPABILITIES.as_ptr() as usize;
        assert!((start..start + UPLOAD_PACK_CAPABILITIES.len()).contains(&(p.as_ptr() as usize)));
        static ABSENT: &[u8] = b"object-info";
        assert_eq!(part(&V2_FETCH_FEATURES, ABSENT).as_ptr(), ABSENT.as_ptr());
        assert_eq!(part(b"ab", b"abc"), b"abc");
        assert_eq!(part_str(&UPLOAD_PACK_CAPABILITIES, "want"), "want");
        assert_eq!(&V2_FETCH_FEATURES[FILTER_AT..FILTER_AT + 7], b" filter");
    }
}
