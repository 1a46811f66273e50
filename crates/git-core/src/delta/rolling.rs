//! The rolling fingerprint used to find base blocks in a target: a polynomial hash over a
//! [`WINDOW`]-byte window that can slide one byte at a time. Plays the role of the Rabin
//! fingerprint in git's `diff-delta.c`; only equality matters, every hit is verified bytewise.

/// Window (and base block) size in bytes, as in git's `diff-delta.c` (`RABIN_WINDOW`).
pub(crate) const WINDOW: usize = 16;

const MUL: u32 = 0x0100_0193;

/// `MUL^(WINDOW-1)`, the weight of the byte that leaves the window.
const OUT_WEIGHT: u32 = {
    let mut w: u32 = 1;
    let mut i = 1;
    while i < WINDOW {
        w = w.wrapping_mul(MUL);
        i += 1;
    }
    w
};

/// Fingerprint of a full window. Callers pass exactly [`WINDOW`] bytes.
#[inline]
pub(crate) fn fingerprint(window: &[u8]) -> u32 {
    window.iter().fold(0u32, |h, b| h.wrapping_mul(MUL).wrapping_add(u32::from(*b)))
}

/// Slides the window one byte: `out` leaves at the front, `inp` enters at the back.
#[inline]
pub(crate) fn roll(h: u32, out: u8, inp: u8) -> u32 {
    h.wrapping_sub(u32::from(out).wrapping_mul(OUT_WEIGHT)).wrapping_mul(MUL).wrapping_add(u32::from(inp))
}

/// Bucket of a fingerprint in a table of `1 << bits` buckets (`bits` in 1..=31).
#[inline]
pub(crate) fn bucket(h: u32, bits: u32) -> usize {
    (h.wrapping_mul(0x9E37_79B1) >> (32 - bits)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rolling_equals_fresh() {
        let data: alloc::vec::Vec<u8> = (0..200u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
        let mut h = fingerprint(&data[..WINDOW]);
        for i in 1..data.len() - WINDOW {
            h = roll(h, data[i - 1], data[i + WINDOW - 1]);
            assert_eq!(h, fingerprint(&data[i..i + WINDOW]), "at {i}");
        }
    }
}
