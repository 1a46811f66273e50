//! Unavoidable bit conditions (ubc): a cheap filter that leaves, per message block, only the DVs
//! whose attack would be possible at all, so most blocks need no recompression.
//!
//! Source: Stevens and Shumow, USENIX Security 2017, section 5; the conditions are those of
//! `ubc_check()` in sha1collisiondetection's `lib/ubc_check.c` (git's `sha1dc/ubc_check.c`). Every
//! one of its tests compares one bit of an expanded message word with one bit of another (or the
//! same) word and, when the relation fails, rules out a set of DVs. Here each test is a row of
//! [`CONDITIONS`], evaluated without branches in a loop that stops once no DV is left. The rows
//! were extracted from that file mechanically and checked offline against its compiled
//! `ubc_check` on inputs built to meet each DV's conditions; their order (which does not change
//! the result) is ours, chosen greedily so that every DV meets a condition early: on random
//! blocks the loop ends after ~54 rows on average instead of ~96 in the reference's order.

use super::compress::Expanded;
use super::dv::*;

/// `bit wi.bi ^ bit wj.bj == want`, else clear `dvs` from the mask.
struct Condition {
    dvs: u32,
    wi: u8,
    bi: u8,
    wj: u8,
    /// `bj | want << 7`
    bj_want: u8,
}

const fn c(wi: u8, bi: u8, wj: u8, bj: u8, want: u8, dvs: u32) -> Condition {
    Condition { dvs, wi, bi, wj, bj_want: bj | want << 7 }
}

/// The DVs (a mask over [`super::dv::LIST`]) that `w` meets the unavoidable conditions of.
pub(super) fn mask(w: &Expanded) -> u32 {
    let mut mask = u32::MAX;
    for cond in &CONDITIONS {
        let x = w[usize::from(cond.wi)] >> cond.bi;
        let y = w[usize::from(cond.wj)] >> (cond.bj_want & 31);
        // All ones when the relation fails, else zero.
        let failed = ((x ^ y ^ u32::from(cond.bj_want >> 7)) & 1).wrapping_neg();
        mask &= !(cond.dvs & failed);
        if mask == 0 {
            break;
        }
    }
    mask
}

#[rustfmt::skip]
const CONDITIONS: [Condition; 156] = [
    c(44, 29, 45, 29, 0, I48_0 | I51_0 | I52_0 | II45_0 | II46_0 | II50_0 | II51_0),
    c(46, 29, 47, 29, 0, I43_0 | I50_0 | II47_0 | II48_0 | II52_0 | II53_0),
    c(45, 4, 48, 29, 0, I45_0 | I47_0 | I49_0 | I51_0 | II49_0 | II54_0),
    c(49, 29, 50, 29, 0, I46_0 | II45_0 | II50_0 | II51_0 | II55_0 | II56_0),
    c(44, 4, 47, 29, 0, I44_0 | I46_0 | I48_0 | I50_0 | II48_0 | II53_0),
    c(43, 4, 46, 29, 0, I43_0 | I45_0 | I47_0 | I49_0 | II47_0 | II52_0),
    c(45, 6, 47, 6, 0, I47_2 | I49_2 | I51_2),
    c(44, 6, 46, 6, 0, I46_2 | I48_2 | I50_2),
    c(48, 29, 49, 29, 0, I45_0 | I52_0 | II49_0 | II50_0 | II54_0 | II55_0),
    c(41, 1, 42, 6, 1, I48_2 | II46_2 | II51_2),
    c(40, 29, 41, 29, 0, I44_0 | I47_0 | I48_0 | II46_0 | II47_0 | II56_0),
    c(40, 1, 41, 6, 1, I47_2 | I51_2 | II50_2),
    c(39, 1, 40, 6, 1, I46_2 | I50_2 | II49_2),
    c(47, 29, 48, 29, 0, I44_0 | I51_0 | II48_0 | II49_0 | II53_0 | II54_0),
    c(45, 29, 46, 29, 0, I49_0 | I52_0 | II46_0 | II47_0 | II51_0 | II52_0),
    c(46, 4, 49, 29, 0, I46_0 | I48_0 | I50_0 | I52_0 | II50_0 | II55_0),
    c(47, 4, 50, 29, 0, I47_0 | I49_0 | I51_0 | II45_0 | II51_0 | II56_0),
    c(36, 1, 37, 6, 1, I47_2 | I50_2 | II46_2),
    c(47, 6, 49, 6, 0, I49_2 | I51_2),
    c(46, 6, 47, 1, 0, I46_2 | II50_2),
    c(42, 6, 43, 1, 0, II46_2 | II51_2),
    c(41, 4, 44, 29, 0, I43_0 | I45_0 | I47_0 | I51_0 | II45_0 | II50_0),
    c(53, 29, 54, 29, 0, I50_0 | II46_0 | II49_0 | II54_0 | II55_0),
    c(44, 1, 45, 6, 1, I51_2 | II49_2),
    c(42, 4, 45, 29, 0, I44_0 | I46_0 | I48_0 | I52_0 | II46_0 | II51_0),
    c(52, 29, 53, 29, 0, I49_0 | II45_0 | II48_0 | II53_0 | II54_0),
    c(40, 4, 43, 29, 0, I44_0 | I46_0 | I50_0 | II49_0 | II56_0),
    c(47, 6, 48, 1, 0, I47_2 | II51_2),
    c(46, 6, 48, 6, 0, I48_2 | I50_2),
    c(35, 1, 36, 6, 1, I46_2 | I49_2),
    c(39, 4, 42, 29, 0, I43_0 | I45_0 | I49_0 | II48_0 | II55_0),
    c(41, 6, 42, 1, 0, I51_2 | II50_2),
    c(40, 6, 41, 1, 0, I50_2 | II49_2),
    c(50, 29, 51, 29, 0, I47_0 | II46_0 | II51_0 | II52_0 | II56_0),
    c(51, 29, 52, 29, 0, I48_0 | II47_0 | II52_0 | II53_0),
    c(61, 2, 62, 7, 1, I46_2 | II46_2),
    c(43, 6, 45, 6, 0, I47_2 | I49_2),
    c(43, 29, 44, 29, 0, I47_0 | I50_0 | I51_0 | II45_0 | II49_0 | II50_0),
    c(42, 6, 44, 6, 0, I46_2 | I48_2),
    c(37, 4, 40, 29, 0, I43_0 | I47_0 | II46_0 | II53_0 | II55_0),
    c(38, 4, 41, 29, 0, I44_0 | I48_0 | II47_0 | II54_0 | II56_0),
    c(53, 6, 54, 1, 0, II49_2),
    c(54, 6, 55, 1, 0, II50_2),
    c(55, 6, 56, 1, 0, II51_2),
    c(42, 29, 43, 29, 0, I46_0 | I49_0 | I50_0 | II48_0 | II49_0),
    c(50, 6, 51, 1, 0, I50_2 | II46_2),
    c(37, 1, 38, 6, 1, I48_2 | I51_2),
    c(48, 4, 51, 29, 0, I48_0 | I50_0 | I52_0 | II46_0 | II52_0),
    c(54, 29, 55, 29, 0, I51_0 | II47_0 | II50_0 | II55_0 | II56_0),
    c(39, 4, 41, 4, 1, I43_0 | I45_0 | II55_0),
    c(49, 6, 50, 1, 0, I49_2),
    c(51, 6, 53, 6, 0, II49_2),
    c(52, 6, 54, 6, 0, II50_2),
    c(53, 6, 55, 6, 0, II51_2),
    c(50, 4, 53, 29, 0, I50_0 | I52_0 | II46_0 | II48_0 | II54_0),
    c(49, 4, 52, 29, 0, I49_0 | I51_0 | II45_0 | II47_0 | II53_0),
    c(48, 6, 50, 6, 0, I50_2 | II46_2),
    c(55, 29, 56, 29, 0, I52_0 | II48_0 | II51_0 | II56_0),
    c(45, 29, 47, 29, 1, I44_0 | I46_0 | I48_0),
    c(44, 29, 46, 29, 1, I43_0 | I45_0 | I47_0),
    c(62, 2, 63, 7, 1, I47_2),
    c(63, 2, 64, 7, 1, I48_2),
    c(42, 1, 50, 1, 1, I49_2),
    c(50, 1, 54, 1, 1, II49_2),
    c(51, 1, 55, 1, 1, II50_2),
    c(52, 1, 56, 1, 1, II51_2),
    c(36, 4, 40, 29, 0, I46_0 | I49_0 | II45_0 | II48_0),
    c(56, 4, 59, 29, 0, II52_0 | II54_0),
    c(51, 4, 54, 29, 0, I51_0 | II47_0 | II49_0 | II55_0),
    c(52, 4, 55, 29, 0, I52_0 | II48_0 | II50_0 | II56_0),
    c(37, 4, 39, 4, 1, I43_0 | II53_0 | II55_0),
    c(56, 29, 59, 29, 1, II51_0 | II52_0),
    c(40, 6, 42, 6, 0, I46_2),
    c(41, 6, 43, 6, 0, I47_2),
    c(48, 6, 49, 1, 0, I48_2),
    c(39, 6, 40, 1, 0, I49_2),
    c(51, 6, 52, 1, 0, I51_2),
    c(47, 1, 51, 1, 1, II46_2),
    c(45, 6, 46, 1, 0, II49_2),
    c(45, 1, 47, 1, 1, II50_2),
    c(46, 1, 48, 1, 1, II51_2),
    c(41, 29, 42, 29, 0, I45_0 | I48_0 | I49_0 | II47_0 | II48_0),
    c(40, 4, 42, 4, 1, I44_0 | I46_0 | II56_0),
    c(38, 4, 40, 4, 1, I44_0 | II54_0 | II56_0),
    c(63, 1, 64, 6, 1, I45_0 | II45_0),
    c(57, 29, 58, 29, 0, II50_0 | II53_0),
    c(56, 29, 57, 29, 0, II49_0 | II52_0),
    c(38, 1, 40, 1, 1, I49_2),
    c(43, 1, 51, 1, 1, I50_2),
    c(49, 6, 51, 6, 0, I51_2),
    c(37, 5, 41, 30, 0, II49_2),
    c(38, 5, 42, 30, 0, II50_2),
    c(39, 5, 43, 30, 0, II51_2),
    c(58, 29, 59, 29, 0, II51_0 | II54_0),
    c(51, 29, 54, 29, 1, I50_0 | II46_0 | II47_0),
    c(50, 29, 52, 29, 1, I49_0 | I51_0 | II45_0),
    c(53, 29, 56, 29, 1, I52_0 | II48_0 | II49_0),
    c(46, 29, 48, 29, 1, I45_0 | I47_0 | I49_0),
    c(47, 29, 49, 29, 1, I46_0 | I48_0 | I50_0),
    c(55, 4, 58, 29, 0, II51_0 | II53_0),
    c(54, 4, 57, 29, 0, II50_0 | II52_0),
    c(61, 1, 62, 6, 1, I43_0),
    c(37, 1, 37, 6, 0, I51_2),
    c(36, 0, 41, 30, 1, II49_2),
    c(37, 0, 42, 30, 1, II50_2),
    c(38, 0, 43, 30, 1, II51_2),
    c(48, 29, 50, 29, 1, I47_0 | I49_0 | I51_0),
    c(49, 29, 51, 29, 1, I48_0 | I50_0 | I52_0),
    c(61, 0, 62, 5, 1, I46_0 | II46_0),
    c(60, 0, 61, 5, 1, I45_0 | II45_0),
    c(53, 4, 56, 29, 0, II49_0 | II51_0),
    c(36, 4, 38, 4, 1, II52_0 | II54_0),
    c(59, 5, 63, 30, 0, I43_0),
    c(62, 1, 63, 6, 1, I44_0),
    c(35, 5, 39, 30, 0, I51_2),
    c(38, 4, 42, 29, 0, I51_0 | II50_0),
    c(35, 4, 39, 29, 0, I45_0 | I48_0 | II47_0),
    c(39, 4, 43, 29, 0, I52_0 | II51_0),
    c(58, 0, 63, 30, 1, I43_0),
    c(60, 5, 64, 30, 0, I44_0),
    c(58, 29, 61, 29, 1, II53_0),
    c(59, 4, 63, 29, 0, II55_0),
    c(62, 0, 63, 5, 1, I47_0 | II47_0),
    c(37, 4, 41, 29, 0, I50_0 | II49_0),
    c(48, 29, 55, 29, 1, I51_0 | I52_0),
    c(59, 0, 64, 30, 1, I44_0),
    c(55, 29, 58, 29, 1, II50_0),
    c(59, 29, 60, 29, 0, II52_0),
    c(57, 4, 61, 29, 0, II53_0),
    c(58, 4, 62, 29, 0, II54_0),
    c(57, 4, 59, 29, 0, II55_0),
    c(60, 4, 64, 29, 0, II56_0),
    c(63, 0, 64, 5, 1, I48_0 | II48_0),
    c(35, 3, 39, 28, 0, I51_0 | II47_0),
    c(37, 3, 41, 28, 0, II49_0),
    c(38, 3, 42, 28, 0, II50_0),
    c(39, 3, 43, 28, 0, II51_0),
    c(40, 3, 44, 28, 0, II52_0),
    c(41, 3, 45, 28, 0, II53_0),
    c(42, 3, 46, 28, 0, II54_0),
    c(43, 3, 47, 28, 0, II55_0),
    c(44, 3, 48, 28, 0, II56_0),
    c(36, 4, 37, 4, 1, I50_0),
    c(38, 4, 39, 4, 1, I52_0),
    c(36, 3, 40, 28, 0, II48_0),
    c(36, 30, 41, 28, 1, II49_0),
    c(37, 30, 42, 28, 1, II50_0),
    c(38, 30, 43, 28, 1, II51_0),
    c(40, 4, 44, 29, 0, II52_0),
    c(41, 4, 45, 29, 0, II53_0),
    c(42, 4, 46, 29, 0, II54_0),
    c(43, 4, 47, 29, 0, II55_0),
    c(44, 4, 48, 29, 0, II56_0),
    c(37, 4, 38, 4, 1, I51_0),
    c(35, 30, 40, 28, 1, II48_0),
    c(39, 30, 44, 28, 1, II52_0),
];
