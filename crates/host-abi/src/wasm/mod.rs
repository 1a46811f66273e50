//! The Wasm side of the storage ABI: the host imports (module `artifacts_host_v1`), their safe
//! wrappers, the fixed little-endian layouts they exchange, and [`WasmStore`], the [`crate::Store`]
//! the engine uses inside the WebAssembly module. The README of this crate documents every import.
//!
//! The layouts are plain safe code compiled on every target, so hosts written in Rust (and tests)
//! can encode and decode them; the imports and `WasmStore` exist only on `wasm32`.

pub mod layout;

#[cfg(target_arch = "wasm32")]
#[allow(unsafe_code)]
pub mod imports;
#[cfg(target_arch = "wasm32")]
mod store;
#[cfg(target_arch = "wasm32")]
pub use store::WasmStore;

/// The name of the Wasm import module every host function lives in. Versioned with
/// [`crate::ABI_VERSION`].
pub const IMPORT_MODULE: &str = "artifacts_host_v1";
