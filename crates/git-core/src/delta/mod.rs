//! Git's delta format: apply and create.
//!
//! A delta (gitformat-pack, "Deltified representation") is a header of two size varints — the
//! base object's size and the result's size — followed by instructions: *copy* (`1xxxxxxx`, an
//! offset and size into the base) and *insert* (`0xxxxxxx`, that many literal bytes follow).
//! Opcode `0x00` is reserved. Apply follows git's `patch-delta.c` checks; create produces deltas
//! `git index-pack --strict` accepts, in the style of git's `diff-delta.c` (rolling fingerprint
//! index of the base in blocks, matches extended forwards and backwards).

mod apply;
mod create;
mod error;
mod header;
mod index;
mod ops;
mod rolling;

pub use apply::{apply, apply_into, DELTA_SIZE_MIN};
pub use create::{create, create_into, CreateError};
pub use error::{DeltaError, SizeField, VARINT_OVERFLOW};
pub use header::{header, DeltaHeader};
pub use index::DeltaIndex;
pub use ops::{MAX_COPY, MAX_INSERT};
