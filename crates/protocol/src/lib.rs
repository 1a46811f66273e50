//! The git smart protocol as sans-I/O state machines: request bytes in, response bytes out,
//! storage only through `host_abi::Store` (gitprotocol-v2, gitprotocol-pack, gitprotocol-http).
#![no_std]
#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used)]

extern crate alloc;
#[cfg(test)]
extern crate std;
