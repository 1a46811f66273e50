//! The SHA-1 trailer of packs and idx files (gitformat-pack: "a SHA-1 checksum of all of the above").
//! A checksum, not an object id: plain SHA-1, no collision detection needed.
//!
//! Natively the `sha1` crate's hasher (its unrolled compression is faster there than ours, ~1.5x).
//! On Wasm, `git_core::Hasher` with collision detection turned off: git-core's own compact SHA-1
//! (`git_core`'s `sha1dc` module), so the module carries a single SHA-1.

/// Length of a SHA-1 trailer.
pub const TRAILER_LEN: usize = 20;

/// Running SHA-1 over a pack or idx file.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) type TrailerHash = Plain;
#[cfg(target_arch = "wasm32")]
pub(crate) type TrailerHash = Unchecked;

/// The `sha1` crate's SHA-1.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Default)]
pub(crate) struct Plain(sha1::Sha1);

#[cfg(not(target_arch = "wasm32"))]
impl Plain {
    pub(crate) fn update(&mut self, data: &[u8]) {
        use sha1::Digest;
        self.0.update(data);
    }
    pub(crate) fn finish(self) -> [u8; TRAILER_LEN] {
        use sha1::Digest;
        self.0.finalize().into()
    }
}

/// `git_core::Hasher` without collision detection (natively only tested against [`Plain`]).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
#[derive(Clone)]
pub(crate) struct Unchecked(git_core::Hasher);

impl Default for Unchecked {
    fn default() -> Self {
        Unchecked(git_core::Hasher::new_checksum())
    }
}

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
impl Unchecked {
    pub(crate) fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }
    pub(crate) fn finish(self) -> [u8; TRAILER_LEN] {
        self.0.finish_checksum()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn both(chunks: &[&[u8]]) -> ([u8; TRAILER_LEN], [u8; TRAILER_LEN]) {
        let (mut p, mut u) = (Plain::default(), Unchecked::default());
        for c in chunks {
            p.update(c);
            u.update(c);
        }
        (p.finish(), u.finish())
    }

    #[test]
    fn unchecked_matches_plain() {
        let data: alloc::vec::Vec<u8> = (0..5000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
        for len in [0usize, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000, 5000] {
            let d = &data[..len];
            let (p, u) = both(&[d]);
            assert_eq!(p, u, "len {len}");
            let (a, b) = d.split_at(len / 3);
            assert_eq!(both(&[a, b]).1, p, "split len {len}");
        }
        // `printf abc | sha1sum`
        let (p, _) = both(&[b"abc"]);
        let hex: alloc::string::String = p.iter().map(|b| alloc::format!("{b:02x}")).collect();
        assert_eq!(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
    }
}
