//! The artifacts engine as a WebAssembly module: the exports a host (the Workers Durable Object)
//! calls to advertise refs and to drive upload-pack / receive-pack sessions, with storage reached
//! through the `artifacts_host_v1` imports of `host_abi::wasm`. The ABI is documented in
//! `crates/host-abi/README.md`.
//!
//! Only `exports` (the `#[no_mangle]` functions and the panic handler) and `allocator` (the global
//! allocator's `memory.grow` wrapper) are specific to `wasm32`; the session table, the output pump,
//! the status codes and the heap are plain Rust, built and tested natively too.
#![cfg_attr(target_arch = "wasm32", no_std)]
#![deny(clippy::unwrap_used)]
#![deny(unsafe_code)]

extern crate alloc;

pub mod codes;
pub mod engine;
pub mod heap;
pub mod pump;
pub mod sessions;

#[cfg(target_arch = "wasm32")]
#[allow(unsafe_code)]
mod allocator;
#[cfg(target_arch = "wasm32")]
#[allow(unsafe_code)]
mod exports;
