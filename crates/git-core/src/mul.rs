//! 64-bit multiplication with overflow detection, without 128-bit arithmetic.
//!
//! `u64::checked_mul` and `u64::saturating_mul` detect overflow through a 128-bit product, which
//! LLVM lowers on wasm32 to a call of compiler-builtins' `__multi3`. The Wasm module is built with
//! the multivalue ABI (scripts/wasm-module.sh), under which LLVM expects that call to return its
//! `i128` as two values while compiler-builtins (compiled for the C ABI) returns it through memory:
//! wasm-ld then links a stub that traps. Code that reaches the module multiplies through these
//! functions instead; the build script fails on any such signature mismatch, so a new 128-bit
//! operation is caught when the module is built, not when it runs.

/// `a * b`, or `None` when the product does not fit in 64 bits (as `u64::checked_mul`).
#[inline]
pub fn checked_mul(a: u64, b: u64) -> Option<u64> {
    // In 32-bit halves: a = ah·2^32 + al, b = bh·2^32 + bl. (A check `a > u64::MAX / b` would be
    // turned back into the 128-bit form by LLVM.) Every partial product below fits in 64 bits.
    let (ah, al, bh, bl) = (a >> 32, a & 0xffff_ffff, b >> 32, b & 0xffff_ffff);
    if ah != 0 && bh != 0 {
        return None;
    }
    let cross = ah * bl + al * bh; // one of the two terms is 0
    if cross >> 32 != 0 {
        return None;
    }
    (cross << 32).checked_add(al * bl)
}

/// `a * b`, or `u64::MAX` when the product does not fit in 64 bits (as `u64::saturating_mul`).
#[inline]
pub fn saturating_mul(a: u64, b: u64) -> u64 {
    checked_mul(a, b).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_match_core() {
        let values = [0, 1, 2, 3, 9, 10, 1 << 32, (1 << 32) - 1, (1 << 32) + 1, u64::MAX / 10, u64::MAX / 10 + 1,
            u64::MAX / 3, u64::MAX / 2, u64::MAX / 2 + 1, u64::MAX - 1, u64::MAX];
        for a in values {
            for b in values {
                assert_eq!(checked_mul(a, b), a.checked_mul(b), "{a} * {b}");
                assert_eq!(saturating_mul(a, b), a.saturating_mul(b), "{a} * {b}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn matches_core(a in proptest::prelude::any::<u64>(), b in proptest::prelude::any::<u64>(),
                        shift in 0u32..64) {
            let small = a >> shift;
            proptest::prop_assert_eq!(checked_mul(a, b), a.checked_mul(b));
            proptest::prop_assert_eq!(checked_mul(small, b), small.checked_mul(b));
            proptest::prop_assert_eq!(saturating_mul(small, b >> (63 - shift)), small.saturating_mul(b >> (63 - shift)));
        }
    }
}
