//! zlib (RFC 1950) streams as git stores them: loose objects and every pack entry's payload
//! (gitformat-pack: "the compressed data ... is zlib-deflated"), over `miniz_oxide` natively and
//! small encoders of our own on `wasm32`.
//!
//! * [`Inflater`]: a caller-owned streaming inflater for a stream whose compressed length is not
//!   known (a pack entry arriving from the network in any chunking); output is capped by a limit.
//!   On `wasm32` it is [`SmallInflater`], a decoder of our own (`miniz_oxide`'s was some 10 KB of
//!   the module).
//! * [`inflate_exact`] / [`inflate_exact_into`]: a whole stream whose inflated size is declared
//!   (a stored object, a pack entry header's size); any other size is an error, and the declared
//!   size is checked against a cap before anything is allocated.
//! * [`deflate`] / [`deflate_into`]: compression at a chosen level ([`DEFAULT_LEVEL`]); on
//!   `wasm32` the small fixed-Huffman encoder of [`small`].
//!
//! A host with a faster inflater (zlib-rs through flate2 on the
//! native server) plugs it in through the [`StreamInflate`] trait, which the pack parser is generic
//! over.

mod deflate;
mod error;
mod exact;
mod inflater;
pub mod small;
mod small_inflate;

pub use deflate::{deflate, deflate_into, DEFAULT_LEVEL, MAX_LEVEL};
pub use error::InflateError;
pub use exact::{inflate_exact, inflate_exact_into};
#[cfg(not(target_arch = "wasm32"))]
pub use inflater::Inflater;
pub use inflater::{Progress, StreamInflate};
/// The core inflater on `wasm32`: [`SmallInflater`].
#[cfg(target_arch = "wasm32")]
pub type Inflater = SmallInflater;
pub use small_inflate::SmallInflater;
