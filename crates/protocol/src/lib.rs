//! The git smart protocol as sans-I/O state machines: request bytes in, response bytes out,
//! storage only through `host_abi::Store` (gitprotocol-v2, gitprotocol-pack, gitprotocol-http).
#![no_std]
#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used)]

extern crate alloc;
#[cfg(test)]
extern crate std;

pub mod advertise;
pub mod capabilities;
pub mod odb;
pub mod pktline;
pub mod receive_pack;
pub mod refs;
pub mod service;
pub mod sideband;
pub mod upload_pack;

pub use advertise::advertise_refs;
pub use service::{parse_git_protocol, Exchange, ExchangeError, ProtocolVersion, Service};
pub use receive_pack::ReceivePack;
pub use upload_pack::UploadPack;
