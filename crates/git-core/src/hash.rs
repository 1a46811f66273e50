//! SHA-1 with collision detection (the SHAttered / sha1dc check git has used since 2.13).
//! A colliding input is an error, never an id.
//!
//! On Wasm the SHA-1 is ours ([`crate::sha1dc`], ~4 KB of code and tables instead of the ~40 KB
//! of `sha1-checked` plus `sha1`); natively it is the `sha1-checked` crate ([`native`]), which is
//! faster there. Both give the same digests and verdicts (tested in `sha1dc/tests.rs`).

use crate::{ObjectId, ObjectKind};

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(not(target_arch = "wasm32"))]
use native::Sha1;

#[cfg(target_arch = "wasm32")]
use crate::sha1dc::Sha1;

/// The input matched a known SHA-1 collision attack pattern.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CollisionError {
    /// Bytes hashed.
    pub len: u64,
}

impl crate::msg::Describe for CollisionError {
    fn describe(&self, m: &mut crate::msg::Msg<'_>) {
        m.s("SHA-1 collision attack detected in ").u(self.len).s(" bytes of input");
    }
}
crate::display_via_describe!(CollisionError);

/// An incremental SHA-1 with collision detection.
#[derive(Clone)]
pub struct Hasher {
    /// Counts the bytes fed itself (for [`CollisionError::len`]).
    inner: Sha1,
}

impl Default for Hasher {
    fn default() -> Self {
        Self::new()
    }
}

impl Hasher {
    /// A fresh hasher.
    pub fn new() -> Self {
        Self::with_detection(true)
    }

    /// One out-of-line constructor for both kinds: the state's initialisation exists once.
    #[inline(never)]
    fn with_detection(detect: bool) -> Self {
        Hasher { inner: Sha1::new(detect) }
    }

    /// A hasher without collision detection, for checksums that are not object ids (the pack
    /// and idx trailers); read it with [`Hasher::finish_checksum`]. The pack crate uses it on Wasm
    /// so that the module carries one SHA-1 implementation.
    pub fn new_checksum() -> Self {
        Self::with_detection(false)
    }

    /// The SHA-1 of everything fed, without looking at collision detection (which a
    /// [`Hasher::new_checksum`] hasher does not run).
    pub fn finish_checksum(self) -> [u8; 20] {
        self.inner.finish().0
    }

    /// A hasher primed with a loose-object header: `<kind> <size>\0`.
    pub fn for_object(kind: ObjectKind, size: u64) -> Self {
        let mut h = Self::new();
        // Fed piece by piece: no header buffer to assemble (and bounds-check) first.
        let mut digits = [0u8; 20];
        h.update(kind.name().as_bytes());
        h.update(b" ");
        h.update(crate::msg::decimal(size, &mut digits));
        h.update(b"\0");
        h
    }

    /// Feed bytes.
    pub fn update(&mut self, data: &[u8]) {
        self.inner.update(data);
    }

    /// The id, or an error if a collision attack was detected.
    pub fn finish(self) -> Result<ObjectId, CollisionError> {
        let len = self.inner.len();
        let (raw, collision) = self.inner.finish();
        if collision {
            return Err(CollisionError { len });
        }
        Ok(ObjectId::Sha1(raw))
    }
}

/// Writes `<kind> <size>\0` into `buf` and returns it.
pub fn object_header(kind: ObjectKind, size: u64, buf: &mut [u8; 32]) -> &[u8] {
    let name = kind.name().as_bytes();
    buf[..name.len()].copy_from_slice(name);
    let mut pos = name.len();
    buf[pos] = b' ';
    pos += 1;
    let mut digits = [0u8; 20];
    let digits = crate::msg::decimal(size, &mut digits);
    buf[pos..pos + digits.len()].copy_from_slice(digits);
    pos += digits.len();
    buf[pos] = 0;
    &buf[..=pos]
}

/// The id of an object: SHA-1 over `<kind> <size>\0<data>`.
pub fn hash_object(kind: ObjectKind, data: &[u8]) -> Result<ObjectId, CollisionError> {
    let mut h = Hasher::for_object(kind, data.len() as u64);
    h.update(data);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn for_object_feeds_the_loose_object_header() {
        for (kind, size) in [(ObjectKind::Blob, 0), (ObjectKind::Tree, 9), (ObjectKind::Commit, 10), (ObjectKind::Tag, u64::MAX)] {
            let mut buf = [0u8; 32];
            let mut whole = Hasher::new();
            whole.update(object_header(kind, size, &mut buf));
            whole.update(b"data");
            let mut pieces = Hasher::for_object(kind, size);
            pieces.update(b"data");
            assert_eq!(pieces.finish(), whole.finish(), "{size}");
        }
    }

    #[test]
    fn known_ids() {
        // `git hash-object -t blob /dev/null` and `git mktree </dev/null`.
        assert_eq!(
            hash_object(ObjectKind::Blob, b"").expect("no collision").to_string(),
            "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
        );
        assert_eq!(
            hash_object(ObjectKind::Tree, b"").expect("no collision").to_string(),
            "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
        );
        assert_eq!(
            hash_object(ObjectKind::Blob, b"hello\n").expect("no collision").to_string(),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
    }

    #[test]
    fn checksum_is_plain_sha1() {
        // `printf abc | sha1sum`, and the same bytes as an object id through the checked path.
        let mut h = Hasher::new_checksum();
        h.update(b"a");
        h.update(b"bc");
        let raw = h.finish_checksum();
        assert_eq!(ObjectId::Sha1(raw).to_string(), "a9993e364706816aba3e25717850c26c9cd0d89d");
        let data: alloc::vec::Vec<u8> = (0..3000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
        for len in [0usize, 55, 56, 64, 119, 120, 3000] {
            let mut plain = Hasher::new_checksum();
            let mut checked = Hasher::new();
            plain.update(&data[..len]);
            checked.update(&data[..len]);
            assert_eq!(ObjectId::Sha1(plain.finish_checksum()), checked.finish().expect("no collision"), "len {len}");
        }
    }
}
