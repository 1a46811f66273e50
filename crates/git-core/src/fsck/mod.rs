//! Object checks (fsck-msgids): filled in next.
