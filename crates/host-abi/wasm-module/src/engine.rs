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

/// A new exchange for one POST, or `None` if this build has no implementation of the service.
pub fn new_session<S: Store + 'static>(service: Service, version: ProtocolVersion) -> Option<Session<S>> {
    match service {
        Service::UploadPack => Some(Box::new(protocol::UploadPack::new(version))),
        // Push always speaks v0 (`effective_version`); git's caps apply, with a smaller cache.
        Service::ReceivePack => Some(Box::new(protocol::ReceivePack::new(receive_limits()))),
    }
}

/// The resolver's cache of recent objects (possible delta bases) in this module, in bytes. A
/// Durable Object has 128 MB for everything and Wasm memory never shrinks, so the engine keeps its
/// peak under 64 MiB: this cache, plus about three copies of the largest object (a base read back
/// from storage and the delta result, or an entry's inflated and compressed bytes). Bases that
/// left the cache are read back from storage, which costs time, not memory.
pub const CACHE_BYTES: usize = 4 << 20;

/// The caps of a push in this module: git's, with the cache bounded by [`CACHE_BYTES`].
pub fn receive_limits() -> protocol::receive_pack::Limits {
    let mut limits = protocol::receive_pack::Limits::default();
    limits.unpack.cache_bytes = CACHE_BYTES;
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
    !branch.is_empty()
        && branch != b"@"
        && core::str::from_utf8(branch).is_ok()
        && !contains(branch, b"..")
        && !contains(branch, b"@{")
        && !contains(branch, b"//")
        && !branch.starts_with(b"/")
        && !branch.ends_with(b"/")
        && !branch.ends_with(b".")
        && !branch.iter().any(|b| *b < 0x20 || *b == 0x7f || b" ~^:?*[\\".contains(b))
        && branch.split(|b| *b == b'/').all(|c| !c.starts_with(b".") && !c.ends_with(b".lock"))
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
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
        for bad in ["", "@", "a..b", "a b", "/a", "a/", "a.", ".a", "a/.b", "x.lock", "a@{1", "a:b", "a//b"] {
            assert!(!valid_branch(bad.as_bytes()), "{bad}");
        }
    }
}
