//! The four git object kinds: zero-copy parsing and byte-exact serialization.
//!
//! Every parser borrows its input and keeps the raw bytes of anything git accepts in more than one
//! spelling (upper-case hex ids, zero-padded tree modes, free-form identities), so that
//! `parse(data)?.write_to(&mut out)` reproduces `data` exactly and the object keeps its id.
//!
//! The formats follow git's own readers: `commit.c` (`parse_commit_buffer`), `tree-walk.c`
//! (`decode_tree_entry`), `tag.c` (`parse_tag_buffer`), `ident.c` (`split_ident_line`), and the
//! signature headers of gitformat-signature. Checking that an object is *well formed* in git's
//! stricter sense is the job of [`crate::fsck`].

mod commit;
mod header;
mod mode;
mod object_ref;
mod signature;
mod tag;
mod tree;

pub use commit::{walk_info, CommitParseError, CommitRef, Parents};
pub use header::{take_id_line, ExtraHeader, ExtraHeaders};
pub(crate) use header::take_line;
pub(crate) use signature::leading_decimal;
pub use mode::{EntryKind, EntryMode};
pub use object_ref::{ObjectRef, ParseError};
pub use signature::{Signature, SignatureError};
pub use tag::{TagParseError, TagRef};
pub use tree::{write_tree_entry, TreeEntry, TreeIter, TreeParseError, TreeRef};
