//! One 64-byte block: compress it and, with detection on, look for a near-collision
//! (the per-block procedure of Stevens and Shumow, USENIX Security 2017, section 4; the
//! `sha1_process` of sha1collisiondetection's `lib/sha1.c`).
//!
//! For a colliding pair of blocks built on disturbance vector `D`, the second message block is
//! `W ^ dm(D)` and the two compressions end in the same chaining value. So for every DV the ubc
//! filter lets through, take `W' = W ^ dm`, start from the state saved at the DV's test step,
//! run backwards to the chaining value `W'` would have needed and forwards to the end: if that
//! gives the same output as `W` did, this block completes a collision attack.

use super::compress::{add, backward, forward, load, Expanded, State};
use super::{dv, ubc};

/// Compresses `block` into `ihv`; with `detect`, returns whether it completes a collision attack.
pub(super) fn process(ihv: &mut State, block: &[u8; 64], detect: bool) -> bool {
    let mut w = [0u32; 80];
    load(block, &mut w);
    let mut s = *ihv;
    // The states before steps 58 and 65, the only test steps of the DVs, saved with detection
    // off too: one sequence of calls for both modes (two more calls per block, the same steps).
    forward(&mut s, &w, 0, 58);
    let at58 = s;
    forward(&mut s, &w, 58, 65);
    let at65 = s;
    forward(&mut s, &w, 65, 80);
    add(ihv, &s);
    if !detect {
        return false;
    }
    let mask = ubc::mask(&w);
    mask != 0 && completes_collision(mask, &w, at58, at65, ihv)
}

/// Recompresses `w ^ dm` for each DV in `mask`; true if one of them reaches `ihv` too.
fn completes_collision(mut mask: u32, w: &Expanded, at58: State, at65: State, ihv: &State) -> bool {
    let mut partner = [0u32; 80];
    while mask != 0 {
        let n = mask.trailing_zeros() as usize;
        mask &= mask - 1;
        let d = dv::LIST[n];
        d.apply(w, &mut partner);
        let t = d.test_step();
        let mid = if t == 58 { at58 } else { at65 };
        let mut start = mid;
        backward(&mut start, &partner, t);
        let mut end = mid;
        forward(&mut end, &partner, t, 80);
        add(&mut end, &start);
        if end == *ihv {
            return true;
        }
    }
    false
}
