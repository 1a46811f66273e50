//! crc32 (the zlib/IEEE polynomial, reflected 0xedb88320) of pack entries, as idx v2 records it
//! (gitformat-pack "crc32 checksum of the packed object data").
//!
//! Natively [`Crc32`] is `crc32fast` (SIMD where the CPU has it): `index-pack` speed matters there.
//! On `wasm32` it is [`BitCrc32`], one bit at a time and no table: nothing in the Wasm module
//! computes crc32s in practice (receive-pack's parser keeps none, [`NoCrc32`]; upload-pack's
//! writer records no idx), and `crc32fast`'s slice-by-16 table alone was 16 KiB of the module,
//! [`SmallCrc32`]'s byte table 1 KiB. All are compiled everywhere and tested against each other.

/// The incremental crc32 the parser and the writer use.
#[cfg(not(target_arch = "wasm32"))]
pub type Crc32 = crc32fast::Hasher;
/// The incremental crc32 the parser and the writer use.
#[cfg(target_arch = "wasm32")]
pub type Crc32 = BitCrc32;

/// crc32 of `data`.
pub fn crc32(data: &[u8]) -> u32 {
    let mut c = Crc32::new();
    c.update(data);
    c.finalize()
}

/// What the parser keeps of each entry's bytes for [`crate::Entry::crc32`]: their crc32
/// ([`Crc32`]), or nothing ([`NoCrc32`], for a caller that never reads it).
pub trait EntryCrc: Default {
    /// Adds `data`.
    fn update(&mut self, data: &[u8]);
    /// The checksum of everything added.
    fn finalize(self) -> u32;
}

#[cfg(not(target_arch = "wasm32"))]
impl EntryCrc for crc32fast::Hasher {
    fn update(&mut self, data: &[u8]) {
        crc32fast::Hasher::update(self, data)
    }
    fn finalize(self) -> u32 {
        crc32fast::Hasher::finalize(self)
    }
}

impl EntryCrc for BitCrc32 {
    fn update(&mut self, data: &[u8]) {
        BitCrc32::update(self, data)
    }
    fn finalize(self) -> u32 {
        BitCrc32::finalize(self)
    }
}

/// No crc32: [`crate::Entry::crc32`] is 0.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoCrc32;

impl EntryCrc for NoCrc32 {
    fn update(&mut self, _data: &[u8]) {}
    fn finalize(self) -> u32 {
        0
    }
}

/// A crc32 without a table: eight shifts per byte.
#[derive(Clone, Debug, Default)]
pub struct BitCrc32 {
    /// The running value, not inverted (0 for an empty input).
    state: u32,
}

impl BitCrc32 {
    /// A crc32 of nothing yet.
    pub fn new() -> Self {
        BitCrc32 { state: 0 }
    }
    /// Adds `data`.
    pub fn update(&mut self, data: &[u8]) {
        let mut c = !self.state;
        for &b in data {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = (c >> 1) ^ (0xedb8_8320 & (c & 1).wrapping_neg());
            }
        }
        self.state = !c;
    }
    /// The crc32 of everything added.
    pub fn finalize(self) -> u32 {
        self.state
    }
}

const fn table() -> [u32; 256] {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xedb8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
}

static TABLE: [u32; 256] = table();

/// A small incremental crc32: one table lookup per byte.
#[derive(Clone, Debug, Default)]
pub struct SmallCrc32 {
    /// The running value, not inverted (0 for an empty input).
    state: u32,
}

impl SmallCrc32 {
    /// A crc32 of nothing yet.
    pub fn new() -> Self {
        SmallCrc32 { state: 0 }
    }
    /// Adds `data`.
    pub fn update(&mut self, data: &[u8]) {
        let mut c = !self.state;
        for &b in data {
            c = TABLE[usize::from((c as u8) ^ b)] ^ (c >> 8);
        }
        self.state = !c;
    }
    /// The crc32 of everything added.
    pub fn finalize(self) -> u32 {
        self.state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_values() {
        // The standard check value of CRC-32/ISO-HDLC.
        let mut c = SmallCrc32::new();
        c.update(b"123456789");
        assert_eq!(c.finalize(), 0xcbf4_3926);
        assert_eq!(SmallCrc32::new().finalize(), 0);
        let mut c = BitCrc32::new();
        c.update(b"123456789");
        assert_eq!(c.finalize(), 0xcbf4_3926);
    }

    proptest! {
        #[test]
        fn bitwise_matches_crc32fast(data in proptest::collection::vec(any::<u8>(), 0..2000), cut in 0usize..2000) {
            let cut = cut.min(data.len());
            let mut bits = BitCrc32::new();
            bits.update(&data[..cut]);
            bits.update(&data[cut..]);
            prop_assert_eq!(bits.finalize(), crc32fast::hash(&data));
        }

        #[test]
        fn small_matches_crc32fast(data in proptest::collection::vec(any::<u8>(), 0..2000), cut in 0usize..2000) {
            let cut = cut.min(data.len());
            let mut small = SmallCrc32::new();
            small.update(&data[..cut]);
            small.update(&data[cut..]);
            prop_assert_eq!(small.finalize(), crc32fast::hash(&data));
        }
    }
}
