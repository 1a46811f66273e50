//! The 32 disturbance vectors (DVs) sha1dc checks, and the message differences they imply.
//!
//! Source: Stevens and Shumow, USENIX Security 2017, and the table `sha1_dvs` of their library
//! sha1collisiondetection (`lib/ubc_check.c`, also git's `sha1dc/ubc_check.c`). That table lists,
//! per DV `I(K,b)` or `II(K,b)`, an 80-word XOR difference `dm` and the step `testt` to recompress
//! from. Its differences have structure we use instead of storing them (checked offline against
//! all 32 rows, and spot-checked by the tests below):
//! - each `dm` obeys the SHA-1 message-expansion recurrence, so 16 words determine it;
//! - `dm` of `I(K,b)` is `rotl_b` of `I(52,0)`'s sequence shifted by `52 - K` steps (extended
//!   forwards by the recurrence), and likewise for type II with `II(56,0)` and `56 - K`;
//! - `testt` is 58 for `K < 50` and 65 otherwise.
//!
//! Bit `n` of a DV mask stands for `LIST[n]`, the reference's `maskb` numbering.

use super::compress::{expand, Expanded};

/// The first 16 words of `dm` for `I(52,0)` and `II(56,0)`, and the largest `K` of each type.
const SEED: [([u32; 16], usize); 2] = [
    (
        [
            0x0400_0010, 0xe800_0000, 0x0800_000c, 0x1800_0000, 0xb800_000a, 0xc800_0010, 0x2c00_0010, 0xf400_0014,
            0xb400_0008, 0x0800_0000, 0x9800_000c, 0xd800_0010, 0x0800_0010, 0xb800_0010, 0x9800_0000, 0x6000_0000,
        ],
        52,
    ),
    (
        [
            0x2600_001a, 0x0000_0010, 0x0400_001c, 0xcc00_0014, 0x0c00_0002, 0xc000_0010, 0xb400_001c, 0x3c00_0004,
            0xbc00_001a, 0x2000_0010, 0x2400_001c, 0xec00_0014, 0x0c00_0002, 0xc000_0010, 0xb400_001c, 0x2c00_0004,
        ],
        56,
    ),
];

/// The longest shift (`56 - 45`, type II) beyond the 80 steps.
const MAX_SHIFT: usize = 11;

/// A DV: type (0 for I, 1 for II), `K`, and the rotation `b` (0 or 2).
#[derive(Clone, Copy)]
pub(super) struct Dv {
    kind: u8,
    k: u8,
    rot: u8,
}

const fn dv(kind: u8, k: u8, rot: u8) -> Dv {
    Dv { kind: kind - 1, k, rot }
}

/// The DVs in mask-bit order.
pub(super) const LIST: [Dv; 32] = [
    dv(1, 43, 0), dv(1, 44, 0), dv(1, 45, 0), dv(1, 46, 0), dv(1, 46, 2), dv(1, 47, 0), dv(1, 47, 2), dv(1, 48, 0),
    dv(1, 48, 2), dv(1, 49, 0), dv(1, 49, 2), dv(1, 50, 0), dv(1, 50, 2), dv(1, 51, 0), dv(1, 51, 2), dv(1, 52, 0),
    dv(2, 45, 0), dv(2, 46, 0), dv(2, 46, 2), dv(2, 47, 0), dv(2, 48, 0), dv(2, 49, 0), dv(2, 49, 2), dv(2, 50, 0),
    dv(2, 50, 2), dv(2, 51, 0), dv(2, 51, 2), dv(2, 52, 0), dv(2, 53, 0), dv(2, 54, 0), dv(2, 55, 0), dv(2, 56, 0),
];

impl Dv {
    /// The step whose saved state the recompression starts from: 58 or 65.
    pub(super) fn test_step(self) -> usize {
        if self.k < 50 {
            58
        } else {
            65
        }
    }

    /// Writes `w ^ dm` into `out`: the message block of the would-be colliding partner.
    pub(super) fn apply(self, w: &Expanded, out: &mut Expanded) {
        let (seed, k_max) = SEED[usize::from(self.kind)];
        let shift = k_max - usize::from(self.k);
        let mut seq = [0u32; 80 + MAX_SHIFT];
        seq[..16].copy_from_slice(&seed);
        expand(&mut seq);
        for (i, o) in out.iter_mut().enumerate() {
            *o = w[i] ^ seq[i + shift].rotate_left(u32::from(self.rot));
        }
    }
}

// The DV mask bits by name, for the ubc condition table.
pub(super) const I43_0: u32 = 1 << 0;
pub(super) const I44_0: u32 = 1 << 1;
pub(super) const I45_0: u32 = 1 << 2;
pub(super) const I46_0: u32 = 1 << 3;
pub(super) const I46_2: u32 = 1 << 4;
pub(super) const I47_0: u32 = 1 << 5;
pub(super) const I47_2: u32 = 1 << 6;
pub(super) const I48_0: u32 = 1 << 7;
pub(super) const I48_2: u32 = 1 << 8;
pub(super) const I49_0: u32 = 1 << 9;
pub(super) const I49_2: u32 = 1 << 10;
pub(super) const I50_0: u32 = 1 << 11;
pub(super) const I50_2: u32 = 1 << 12;
pub(super) const I51_0: u32 = 1 << 13;
pub(super) const I51_2: u32 = 1 << 14;
pub(super) const I52_0: u32 = 1 << 15;
pub(super) const II45_0: u32 = 1 << 16;
pub(super) const II46_0: u32 = 1 << 17;
pub(super) const II46_2: u32 = 1 << 18;
pub(super) const II47_0: u32 = 1 << 19;
pub(super) const II48_0: u32 = 1 << 20;
pub(super) const II49_0: u32 = 1 << 21;
pub(super) const II49_2: u32 = 1 << 22;
pub(super) const II50_0: u32 = 1 << 23;
pub(super) const II50_2: u32 = 1 << 24;
pub(super) const II51_0: u32 = 1 << 25;
pub(super) const II51_2: u32 = 1 << 26;
pub(super) const II52_0: u32 = 1 << 27;
pub(super) const II53_0: u32 = 1 << 28;
pub(super) const II54_0: u32 = 1 << 29;
pub(super) const II55_0: u32 = 1 << 30;
pub(super) const II56_0: u32 = 1 << 31;

#[cfg(test)]
mod tests {
    use super::*;

    /// `dm[0]` and `dm[79]` of each row of the reference `sha1_dvs` table, in row order.
    const FIRST: [u32; 32] = [
        0x08000000, 0xb4000008, 0xf4000014, 0x2c000010, 0xb0000040, 0xc8000010, 0x20000043, 0xb800000a, 0xe000002a,
        0x18000000, 0x60000000, 0x0800000c, 0x20000030, 0xe8000000, 0xa0000003, 0x04000010, 0xec000014, 0x2400001c,
        0x90000070, 0x20000010, 0xbc00001a, 0x3c000004, 0xf0000010, 0xb400001c, 0xd0000072, 0xc0000010, 0x00000043,
        0x0c000002, 0xcc000014, 0x0400001c, 0x00000010, 0x2600001a,
    ];
    const LAST: [u32; 32] = [
        0x80000599, 0x80000161, 0x00000803, 0x8000004c, 0x00000132, 0x800000e6, 0x0000039a, 0x00000408, 0x00001020,
        0x00000164, 0x00000590, 0x00000018, 0x00000060, 0x80000202, 0x0000080a, 0x80000012, 0x00000967, 0x80000054,
        0x00000152, 0x000002e4, 0x8000041a, 0x8000016d, 0x000005b6, 0x0000011b, 0x0000046c, 0x8000024b, 0x0000092e,
        0x00000014, 0x00000089, 0x80000107, 0x4000004b, 0xc0000046,
    ];

    #[test]
    fn derived_differences_match_the_reference_table_ends() {
        let zero = [0u32; 80];
        for (n, dv) in LIST.iter().enumerate() {
            let mut dm = [0u32; 80];
            dv.apply(&zero, &mut dm);
            assert_eq!((dm[0], dm[79]), (FIRST[n], LAST[n]), "DV {n}");
        }
    }
}
