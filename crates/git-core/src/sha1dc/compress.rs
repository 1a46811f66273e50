//! The SHA-1 compression function (FIPS 180-4, section 6.1.2) as rolled loops over the 80 steps,
//! forwards and, for the collision check's recompression, backwards.
//!
//! Steps run on a logical state `[a, b, c, d, e]`; one step maps it to
//! `[rotl5(a) + f(b, c, d) + e + K + W, a, rotl30(b), c, d]`. That map is invertible given `W`,
//! which is what [`backward`] uses (Stevens and Shumow, "Speeding up detection of SHA-1 collision
//! attacks using unavoidable attack conditions", USENIX Security 2017, section 4: recompression
//! from an intermediate state).

/// The five working variables, or the five words of a chaining value.
pub(super) type State = [u32; 5];

/// One expanded message block, `W[0..80]`.
pub(super) type Expanded = [u32; 80];

/// The SHA-1 initial chaining value (FIPS 180-4, 5.3.1).
pub(super) const INITIAL: State = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476, 0xc3d2_e1f0];

/// Extends `w[0..16]` to the whole slice with the message-expansion recurrence
/// `w[i] = rotl1(w[i-3] ^ w[i-8] ^ w[i-14] ^ w[i-16])`. Also used for the collision check's
/// disturbance-vector message differences, which follow the same recurrence.
pub(super) fn expand(w: &mut [u32]) {
    for i in 16..w.len() {
        w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
    }
}

/// Loads a 64-byte block as big-endian words and expands it.
pub(super) fn load(block: &[u8; 64], w: &mut Expanded) {
    // An index loop: no zip/chunks adapter code in the Wasm module.
    for i in 0..16 {
        w[i] = u32::from_be_bytes([block[4 * i], block[4 * i + 1], block[4 * i + 2], block[4 * i + 3]]);
    }
    expand(w);
}

/// The boolean function plus round constant of round `R` (steps `20R..20R+20`).
#[inline(always)]
fn f<const R: usize>(b: u32, c: u32, d: u32) -> u32 {
    match R {
        0 => (d ^ (b & (c ^ d))).wrapping_add(0x5a82_7999),
        1 => (b ^ c ^ d).wrapping_add(0x6ed9_eba1),
        2 => ((b & c) | (d & (b | c))).wrapping_add(0x8f1b_bcdc),
        _ => (b ^ c ^ d).wrapping_add(0xca62_c1d6),
    }
}

/// Steps `*i..end` of round `R` forwards (`end` at most the round's last step + 1).
#[inline(always)]
fn round_forward<const R: usize>(s: &mut State, w: &Expanded, i: &mut usize, end: usize) {
    let end = end.min(20 * R + 20);
    while *i < end {
        let [a, b, c, d, e] = *s;
        let t = a.rotate_left(5).wrapping_add(f::<R>(b, c, d)).wrapping_add(e).wrapping_add(w[*i]);
        *s = [t, a, b.rotate_left(30), c, d];
        *i += 1;
    }
}

/// Runs steps `from..to` on `s`.
pub(super) fn forward(s: &mut State, w: &Expanded, from: usize, to: usize) {
    let mut i = from;
    round_forward::<0>(s, w, &mut i, to);
    round_forward::<1>(s, w, &mut i, to);
    round_forward::<2>(s, w, &mut i, to);
    round_forward::<3>(s, w, &mut i, to);
}

/// Undoes steps `from - 1` down to 0: `s` goes from the state before step `from` to the chaining
/// value the block started from. Only the collision check's recompression runs it (for the rare
/// blocks the ubc filter lets through), so it is one loop choosing the round's function at each
/// step: a quarter of the code of four per-round loops, for speed that does not matter here.
pub(super) fn backward(s: &mut State, w: &Expanded, from: usize) {
    for i in (0..from).rev() {
        let [t, a, b30, c, d] = *s;
        let b = b30.rotate_right(30);
        // Rounds 1 and 3 share their boolean function: one arm for both, only the constant differs.
        let f = match i / 20 {
            0 => f::<0>(b, c, d),
            2 => f::<2>(b, c, d),
            r => (b ^ c ^ d).wrapping_add(if r == 1 { 0x6ed9_eba1 } else { 0xca62_c1d6 }),
        };
        let e = t.wrapping_sub(a.rotate_left(5)).wrapping_sub(f).wrapping_sub(w[i]);
        *s = [a, b, c, d, e];
    }
}

/// `ihv += s`, the feed-forward after step 79.
pub(super) fn add(ihv: &mut State, s: &State) {
    for i in 0..5 {
        ihv[i] = ihv[i].wrapping_add(s[i]);
    }
}
