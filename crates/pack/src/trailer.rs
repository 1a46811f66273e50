//! The SHA-1 trailer of packs and idx files (gitformat-pack: "a SHA-1 checksum of all of the above").
//! A checksum, not an object id: plain SHA-1, no collision detection needed.

use sha1::{Digest, Sha1};

/// Length of a SHA-1 trailer.
pub const TRAILER_LEN: usize = 20;

/// Running SHA-1 over a pack or idx file.
#[derive(Clone, Default)]
pub(crate) struct TrailerHash(Sha1);

impl TrailerHash {
    pub(crate) fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }
    pub(crate) fn finish(self) -> [u8; TRAILER_LEN] {
        self.0.finalize().into()
    }
}
