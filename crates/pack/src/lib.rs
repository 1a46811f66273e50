//! Packs (gitformat-pack): a sans-I/O streaming parser, delta resolution against the pack and the
//! store, a streaming pack writer and idx v2 writer/reader.
#![no_std]
#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used)]

extern crate alloc;
#[cfg(test)]
extern crate std;
