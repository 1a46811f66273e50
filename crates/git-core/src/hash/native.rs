//! The native SHA-1 behind [`super::Hasher`]: the `sha1-checked` crate (a Rust port of
//! sha1collisiondetection). Its unrolled code is faster natively than our compact
//! [`crate::sha1dc`] (which the Wasm build uses, see `hash.rs`), so native builds keep it.

use sha1_checked::Digest;

/// `sha1_checked::Sha1` behind the interface of [`crate::sha1dc`]'s hasher.
#[derive(Clone)]
pub(super) struct Sha1(sha1_checked::Sha1, u64);

impl Sha1 {
    /// A fresh hasher; `detect` turns the collision check on.
    pub(super) fn new(detect: bool) -> Self {
        Sha1(sha1_checked::Sha1::builder().detect_collision(detect).build(), 0)
    }

    /// Feeds bytes.
    pub(super) fn update(&mut self, data: &[u8]) {
        self.0.update(data);
        self.1 += data.len() as u64;
    }

    /// Bytes fed so far.
    pub(super) fn len(&self) -> u64 {
        self.1
    }

    /// The digest, and whether a collision attack was detected (the digest is then not SHA-1's:
    /// `sha1-checked` switches to its "safe hash"; callers treat it as an error anyway).
    pub(super) fn finish(self) -> ([u8; 20], bool) {
        let result = self.0.try_finalize();
        let mut raw = [0u8; 20];
        raw.copy_from_slice(result.hash().as_slice());
        (raw, result.has_collision())
    }
}
