//! The engine entry points behind the exports: ABI numbers to protocol types, session
//! construction, the ref advertisement, and the default-branch check for repository creation.

use crate::sessions::Session;
use alloc::boxed::Box;
use host_abi::Store;
use protocol::{ExchangeError, ProtocolVersion, Service};

/// ABI service number 1: `git-upload-pack`.
pub const SERVICE_UPLOAD_PACK: u32 = 1;
/// ABI service number 2: `git-receive-pack`.
pub const SERVICE_RECEIVE_PACK: u32 = 2;

/// The service of an ABI service number.
pub fn service(n: u32) -> Option<Service> {
    match n {
        SERVICE_UPLOAD_PACK => Some(Service::UploadPack),
        SERVICE_RECEIVE_PACK => Some(Service::ReceivePack),
        _ => None,
    }
}

/// The protocol version of an ABI version number (0, 1, 2: what the `Git-Protocol` header asked
/// for; the engine downgrades push to v0 itself).
pub fn version(n: u32) -> Option<ProtocolVersion> {
    match n {
        0 => Some(ProtocolVersion::V0),
        1 => Some(ProtocolVersion::V1),
        2 => Some(ProtocolVersion::V2),
        _ => None,
    }
}

/// The ABI number of a protocol version.
pub fn version_number(v: ProtocolVersion) -> u32 {
    match v {
        ProtocolVersion::V0 => 0,
        ProtocolVersion::V1 => 1,
        ProtocolVersion::V2 => 2,
    }
}

/// A new exchange for one POST (every service has one).
pub fn new_session<S: Store + 'static>(service: Service, version: ProtocolVersion) -> Session<S> {
    match service {
        Service::UploadPack => Box::new(protocol::UploadPack::new(version)),
        // Push always speaks v0 (`effective_version`); git's caps apply, with a smaller cache.
        Service::ReceivePack => Box::new(protocol::ReceivePack::new(receive_limits())),
    }
}

/// The resolver's cache of recent objects (possible delta bases) in this module, in bytes. A
/// Durable Object has 128 MB for everything and Wasm memory never shrinks, so the engine keeps its
/// peak under 64 MiB: this cache, plus about three copies of the largest object (a base read back
/// from storage and the delta result, or an entry's inflated and compressed bytes). Bases that
/// left the cache are read back from storage, which costs time, not memory.
pub const CACHE_BYTES: usize = 4 << 20;

/// Largest object (or delta) a push may bring into this module, inflated. A push holds about two
/// to three copies of its largest object at once (see [`CACHE_BYTES`]), and a Durable Object has
/// 128 MB for everything: a larger object is refused with an `unpack` error naming its size and
/// this limit, instead of the instance running out of memory part-way.
pub const MAX_OBJECT_BYTES: u64 = 32 << 20;

/// Deltas held while they wait for a base that comes later in the pack (git's packs put bases
/// first, so this stays near zero for real clients; it bounds what a crafted pack can make the
/// module hold).
pub const MAX_PENDING_BYTES: u64 = 16 << 20;

/// The caps of a push in this module: git's, with the cache bounded by [`CACHE_BYTES`] and
/// objects by [`MAX_OBJECT_BYTES`].
pub fn receive_limits() -> protocol::receive_pack::Limits {
    let mut limits = protocol::receive_pack::Limits::default();
    limits.unpack.cache_bytes = CACHE_BYTES;
    limits.unpack.max_object_size = MAX_OBJECT_BYTES;
    limits.unpack.max_pending_bytes = MAX_PENDING_BYTES;
    limits
}

/// The `GET /info/refs?service=` body into `out`.
pub fn advertise<S: Store>(
    store: &mut S,
    service: Service,
    version: ProtocolVersion,
    out: &mut alloc::vec::Vec<u8>,
) -> Result<(), ExchangeError> {
    protocol::advertise_refs(store, service, version, out)
}

/// A branch name for `refs/heads/<branch>` as a repository's default branch: the git
/// check-ref-format rules that matter there, the same rules as the native server's `repo create`.
pub fn valid_branch(branch: &[u8]) -> bool {
    // One pass over the bytes, each checked against the byte before it (a `/` before the first):
    // no `..`, `@{`, `//`, leading `/`, component starting with `.`, control or special byte.
    let n = branch.len();
    if n == 0 || branch == b"@" || core::str::from_utf8(branch).is_err() {
        return false;
    }
    let mut prev = b'/';
    for i in 0..n {
        let b = branch[i];
        // A `matches!`, not `contains` on a byte string (a memchr call).
        if b < 0x20 || b == 0x7f || matches!(b, b' ' | b'~' | b'^' | b':' | b'?' | b'*' | b'[' | b'\\') {
            return false;
        }
        if (prev == b'.' && b == b'.') || (prev == b'@' && b == b'{') || (prev == b'/' && (b == b'/' || b == b'.')) {
            return false;
        }
        // A component ends here: it must not end with `.lock`.
        if b == b'/' && branch[..i].ends_with(b".lock") {
            return false;
        }
        prev = b;
    }
    prev != b'/' && prev != b'.' && !branch.ends_with(b".lock")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_branches() {
        assert_eq!(service(1), Some(Service::UploadPack));
        assert_eq!(service(3), None);
        assert_eq!(version(2), Some(ProtocolVersion::V2));
        assert_eq!(version(9), None);
        assert_eq!(version(version_number(ProtocolVersion::V1)), Some(ProtocolVersion::V1));
        for ok in ["main", "trunk", "feature/x", "v1.0"] {
            assert!(valid_branch(ok.as_bytes()), "{ok}");
        }
        for ok in ["@a", "a@b", "a{b", "a.b/c", "a/b.c", "a.locks", "lock/x", "ü"] {
            assert!(valid_branch(ok.as_bytes()), "{ok}");
        }
        for bad in ["", "@", "a..b", "a b", "/a", "a/", "a.", ".a", "a/.b", "x.lock", "a@{1", "a:b", "a//b"] {
            assert!(!valid_branch(bad.as_bytes()), "{bad}");
        }
        for bad in ["..", "/", "a/b.lock/c", "a.lock/b", "a~b", "a^b", "a?", "a*", "a[b", "a\\b", "a\x7fb", "a\tb"] {
            assert!(!valid_branch(bad.as_bytes()), "{bad}");
        }
    }

    /// The rules as written before the one-pass check, clause by clause.
    fn reference(branch: &[u8]) -> bool {
        let contains = |needle: &[u8]| branch.windows(needle.len()).any(|w| w == needle);
        !branch.is_empty()
            && branch != b"@"
            && core::str::from_utf8(branch).is_ok()
            && !contains(b"..")
            && !contains(b"@{")
            && !contains(b"//")
            && !branch.starts_with(b"/")
            && !branch.ends_with(b"/")
            && !branch.ends_with(b".")
            && !branch.iter().any(|b| *b < 0x20 || *b == 0x7f || b" ~^:?*[\\".contains(b))
            && branch.split(|b| *b == b'/').all(|c| !c.starts_with(b".") && !c.ends_with(b".lock"))
    }

    /// Every name of up to 6 bytes over the bytes that matter gets the reference's verdict.
    #[test]
    fn one_pass_check_matches_the_rules() {
        let alphabet = b"a./@{lock~\xff";
        let mut name = Vec::new();
        let mut accepted = 0;
        for len in 0..=6u32 {
            for mut k in 0..(alphabet.len() as u64).pow(len) {
                name.clear();
                for _ in 0..len {
                    name.push(alphabet[(k % alphabet.len() as u64) as usize]);
                    k /= alphabet.len() as u64;
                }
                assert_eq!(valid_branch(&name), reference(&name), "{:?}", String::from_utf8_lossy(&name));
                accepted += usize::from(valid_branch(&name));
            }
        }
        assert!(accepted > 1000, "{accepted}");
    }

    /// A push whose pack declares an object over [`MAX_OBJECT_BYTES`] is refused by the module's
    /// receive-pack with a report naming the size, before anything is inflated or stored.
    #[test]
    fn push_of_an_object_over_the_module_cap_is_refused() {
        use host_abi::{MemStore, Store};
        use protocol::service::Exchange;
        let mut store = MemStore::new();
        let mut rp = protocol::ReceivePack::new(receive_limits());
        let zero = "0".repeat(40);
        let new = "1".repeat(40);
        let line = format!("{zero} {new} refs/heads/main\0report-status\n");
        let mut body = format!("{:04x}{line}0000", line.len() + 4).into_bytes();
        // gitformat-pack: "PACK", version 2, one entry; its header says blob (type 3) of 33 MiB.
        body.extend_from_slice(b"PACK\0\0\0\x02\0\0\0\x01");
        let mut size = (MAX_OBJECT_BYTES + (1 << 20)) as usize;
        let mut first = 0x30 | (size & 0x0f) as u8;
        size >>= 4;
        while size > 0 {
            body.push(first | 0x80);
            first = (size & 0x7f) as u8;
            size >>= 7;
        }
        body.push(first);
        body.extend_from_slice(&[0x78, 0x01]);
        rp.handle_input(&mut store, &body).expect("input");
        rp.handle_input_end(&mut store).expect("end");
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        while !Exchange::<MemStore>::is_done(&rp) {
            let n = rp.poll_output(&mut store, &mut buf).expect("poll");
            out.extend_from_slice(&buf[..n]);
        }
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains("unpack ") && !text.contains("unpack ok"), "{text}");
        assert!(text.contains(&(MAX_OBJECT_BYTES + (1 << 20)).to_string()), "size not named: {text}");
        assert!(text.contains("ng refs/heads/main"), "{text}");
        let mut refs = Vec::new();
        store.refs_list("", &mut refs).expect("refs");
        assert!(refs.iter().all(|(name, _)| name != "refs/heads/main"), "the ref moved");
    }
}
