//! The storage ABI between the artifacts engine and its host.
//!
//! The engine (upload-pack, receive-pack) reaches storage only through [`Store`]. Each method maps
//! one-to-one onto a synchronous Wasm host import (see this crate's README.md for arguments, results
//! and status codes); the native server implements it on SQLite, the Workers host on the Durable
//! Object's SQLite, with the same schema.
//!
//! Objects are stored the way a pack carries them (gitformat-pack): either a whole object, or a delta
//! against a base object, in both cases as the zlib stream of the pack entry. Serving a fetch is then a
//! copy of stored bytes, and a delta that arrived by push is sent again as a delta.
#![no_std]
// Unsafe code is denied everywhere except the Wasm import declarations (`wasm::imports`).
#![deny(unsafe_code)]
#![deny(clippy::unwrap_used)]

extern crate alloc;

mod status;
mod store;
pub mod wasm;
#[cfg(feature = "mem-store")]
mod mem_store;
#[cfg(feature = "mem-store")]
pub use mem_store::MemStore;

pub use status::{Status, StoreError};
pub use store::{ObjectHeader, RefUpdate, RefValue, Store, StoredEncoding};

/// The ABI version the Wasm module exports and the host checks at instantiation.
pub const ABI_VERSION: u32 = 2;
