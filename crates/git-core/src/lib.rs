//! Core git types for the artifacts server: object ids, hashing with collision detection, the four
//! object kinds with zero-copy parsing and byte-exact serialization, the `receive.fsckObjects` checks,
//! zlib with exact sizes and allocation caps, and delta apply/create.
//!
//! `#![no_std]` + `alloc`: this crate builds for `wasm32-unknown-unknown` at all times.
#![no_std]
#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used)]

extern crate alloc;
#[cfg(test)]
extern crate std;

pub mod delta;
pub mod fsck;
pub mod hash;
pub mod kind;
pub mod msg;
pub mod mul;
pub mod object;
pub mod oid;
pub mod oidset;
#[cfg(any(target_arch = "wasm32", test))]
mod sha1dc;
pub mod zlib;

pub use hash::{hash_object, CollisionError, Hasher};
pub use kind::{ObjectKind, ParseKindError};
pub use oid::{HexError, ObjectFormat, ObjectId, OidError};
pub use oidset::{OidMap, OidSet};
