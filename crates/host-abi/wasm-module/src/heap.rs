//! The module's memory allocator: boundary-tagged blocks in one growing region, free blocks kept in
//! segregated lists, neighbours coalesced on free. Plain Rust over a [`Memory`] (load/store a word,
//! grow by pages), so it is tested natively over a simulated heap; `allocator` is its `GlobalAlloc`
//! wrapper over Wasm linear memory.
//!
//! Layout. Every block starts with a one-word header: its size (a multiple of [`GRAN`]) and two flags,
//! `FREE` (this block) and `PREV_FREE` (the block just below). The payload follows the header and is
//! [`GRAN`]-aligned. A free block also holds its list links in its first two payload words and its size
//! in its last word (the footer), which is how a block being freed finds a free block below it.
//! Invariants: no two free blocks are adjacent (every free coalesces), and the block just below the
//! unused tail of the region (the "top") is never free: it is given back to the top instead.
//!
//! Bins. Sizes under 16 granules have a bin each (every block in it fits a request of that size);
//! larger sizes are binned by power of two with two sub-bins each (the last bin, from 1.5 GiB on
//! wasm32, takes all larger sizes), so every block of a higher bin fits any request of a lower one. A
//! bitmap of non-empty bins finds the smallest such bin in O(1); a request first tries a few blocks of
//! its own bin. When nothing fits the top is carved, and the region grown by whole pages when the top
//! is too short (Wasm memory never shrinks).

use core::num::NonZeroUsize;

/// Bytes per Wasm page: the unit of [`Memory::grow`].
pub const PAGE: usize = 65536;
const WORD: usize = core::mem::size_of::<usize>();
/// Block sizes and payload addresses are multiples of this (8 bytes on wasm32).
pub const GRAN: usize = 2 * WORD;
/// Header, two links, footer.
const MIN_BLOCK: usize = 2 * GRAN;
const FREE: usize = 1;
const PREV_FREE: usize = 2;
const FLAGS: usize = FREE | PREV_FREE;
/// Sizes below `EXACT` granules have one bin per size.
const EXACT: usize = 16;
/// As many as the bits of the bitmap (a u64: native Wasm operations, unlike u128).
const BINS: usize = 64;
/// Blocks of its own bin a request looks at before taking from a larger bin.
const SCAN: usize = 8;

/// The memory the heap manages: word loads and stores at addresses the heap obtained from `grow`.
pub trait Memory {
    /// The word at `addr` (`WORD`-aligned, inside memory `grow` returned).
    fn load(&self, addr: usize) -> usize;
    /// Store `value` at `addr` (as for `load`).
    fn store(&mut self, addr: usize, value: usize);
    /// Add `pages` pages of memory; the address of the first new byte ([`PAGE`]-aligned), or `None`.
    fn grow(&mut self, pages: usize) -> Option<usize>;
    /// Copy `len` bytes from `from` to `to`; the two ranges are allocations that do not overlap.
    fn copy(&mut self, to: usize, from: usize, len: usize);
}

/// The allocator's state; addresses are plain `usize`, 0 meaning none.
pub struct Heap<M> {
    /// The memory the blocks live in.
    pub mem: M,
    /// Header address of the unused tail of the region (`top + WORD <= end` once there is a region).
    top: usize,
    /// End of the region.
    end: usize,
    /// Bit `b` set: `heads[b]` is not empty.
    bitmap: u64,
    /// First free block of each bin; the lists are doubly linked through the blocks.
    heads: [usize; BINS],
}

/// The block size for a payload of `n` bytes; `None` when that overflows.
fn block_size(n: usize) -> Option<usize> {
    Some((n.checked_add(WORD + GRAN - 1)? & !(GRAN - 1)).max(MIN_BLOCK))
}

fn bin_of(size: usize) -> usize {
    let units = size / GRAN;
    if units < EXACT {
        return units;
    }
    let log = (usize::BITS - 1 - units.leading_zeros()) as usize; // >= 4, as EXACT is 2^4
    (EXACT + (log - 4) * 2 + ((units >> (log - 1)) & 1)).min(BINS - 1)
}

impl<M: Memory> Heap<M> {
    /// An empty heap: its first allocation grows `mem`.
    pub const fn new(mem: M) -> Self {
        Heap {
            mem,
            top: 0,
            end: 0,
            bitmap: 0,
            heads: [0; BINS],
        }
    }

    /// The address of `size` bytes aligned to `align` (a power of two), or `None` when that cannot be
    /// had (overflow, or `grow` refused). (`NonZeroUsize`: returned in one register.)
    pub fn alloc(&mut self, size: usize, align: usize) -> Option<NonZeroUsize> {
        let s = block_size(size)?;
        if align <= GRAN {
            return NonZeroUsize::new(self.take(s)?.get() + WORD);
        }
        if !align.is_power_of_two() {
            return None;
        }
        // Room to move the payload up to the alignment with a free block of at least MIN_BLOCK below.
        let h = self.take(s.checked_add(align)?.checked_add(MIN_BLOCK)?)?.get();
        let mut p = (h + WORD + align - 1) & !(align - 1);
        if p - WORD - h == GRAN {
            p += align;
        }
        let lead = p - WORD - h;
        if lead != 0 {
            let hdr = self.mem.load(h);
            self.mem.store(h, lead | (hdr & PREV_FREE));
            self.mem.store(p - WORD, (hdr & !FLAGS) - lead);
            self.release(h);
        }
        self.split(p - WORD, s);
        NonZeroUsize::new(p)
    }

    /// Free the allocation at `p` (an address `alloc` returned, not freed since).
    pub fn free(&mut self, p: usize) {
        self.release(p - WORD);
    }

    /// Resize the allocation at `p` (of `old_size` bytes, aligned to `align`) to `new_size` bytes: in
    /// place if [`Heap::resize`] can, else moved (contents copied); `None` (the allocation untouched)
    /// when no block can be had.
    pub fn realloc(
        &mut self,
        p: usize,
        old_size: usize,
        align: usize,
        new_size: usize,
    ) -> Option<NonZeroUsize> {
        if self.resize(p, new_size) {
            return NonZeroUsize::new(p);
        }
        let q = self.alloc(new_size, align)?;
        self.mem.copy(q.get(), p, old_size.min(new_size));
        self.free(p);
        Some(q)
    }

    /// Resize the allocation at `p` to `new_size` bytes where it lies: shrinking always succeeds;
    /// growing succeeds when the block ends at the top (and the memory can grow) or below a free block
    /// large enough. `false`
    /// leaves the allocation as it was (the caller then moves it).
    pub fn resize(&mut self, p: usize, new_size: usize) -> bool {
        let Some(s) = block_size(new_size) else {
            return false;
        };
        let h = p - WORD;
        let hdr = self.mem.load(h);
        let size = hdr & !FLAGS;
        if s > size {
            let next = h + size;
            if next == self.top {
                // `reserve` may start a new region elsewhere (leaving this block below a fencepost).
                if self.reserve(s - size).is_none() || self.top != next {
                    return false;
                }
                self.top = h + s;
                self.mem.store(h, s | (hdr & PREV_FREE));
                return true;
            }
            let next_hdr = self.mem.load(next);
            let merged = size + (next_hdr & !FLAGS);
            if next_hdr & FREE == 0 || merged < s {
                return false;
            }
            self.unlink(next);
            self.mem.store(h, merged | (hdr & PREV_FREE));
            self.clear_prev_free(h + merged);
        }
        self.split(h, s);
        true
    }

    /// A used block of exactly `s` bytes (its header address): from the bins, else from the top.
    fn take(&mut self, s: usize) -> Option<NonZeroUsize> {
        let bin = bin_of(s);
        let mut h = self.heads[bin];
        for _ in 0..SCAN {
            if h == 0 {
                break;
            }
            if self.mem.load(h) & !FLAGS >= s {
                return NonZeroUsize::new(self.claim(h, s));
            }
            h = self.mem.load(h + WORD);
        }
        let larger = self.bitmap & !((2u64 << bin).wrapping_sub(1));
        if larger != 0 {
            return NonZeroUsize::new(self.claim(self.heads[larger.trailing_zeros() as usize], s));
        }
        self.reserve(s)?;
        let h = self.top;
        self.top = h + s;
        self.mem.store(h, s);
        NonZeroUsize::new(h)
    }

    /// Make `top + need + WORD <= end`, growing the memory. If the new pages do not follow the region
    /// (something else grew the memory), the rest of the region is abandoned behind a fencepost (a
    /// used header of size 0, so nothing coalesces into it) and the new pages start a new region.
    fn reserve(&mut self, need: usize) -> Option<()> {
        let need = need.checked_add(WORD)?;
        loop {
            let want = self.top.checked_add(need)?;
            if want <= self.end {
                return Some(());
            }
            let pages = (want - self.end).div_ceil(PAGE);
            let start = self.mem.grow(pages)?;
            let end = start.checked_add(pages.checked_mul(PAGE)?)?;
            if start != self.end {
                if self.top < self.end {
                    self.mem.store(self.top, 0);
                }
                self.top = start + GRAN - WORD;
            }
            self.end = end;
        }
    }

    /// Take the free block `h` out of its bin, mark it used and cut it down to `s` bytes.
    fn claim(&mut self, h: usize, s: usize) -> usize {
        self.unlink(h);
        // Its lower neighbour is used (free blocks are never adjacent): no PREV_FREE.
        let size = self.mem.load(h) & !FLAGS;
        self.mem.store(h, size);
        self.clear_prev_free(h + size);
        self.split(h, s);
        h
    }

    /// Cut the used block `h` down to `s` bytes (`s <= its size`), freeing the rest if it can be a block.
    fn split(&mut self, h: usize, s: usize) {
        let hdr = self.mem.load(h);
        let rest = (hdr & !FLAGS) - s;
        if rest >= MIN_BLOCK {
            self.mem.store(h, s | (hdr & PREV_FREE));
            self.mem.store(h + s, rest);
            self.release(h + s);
        }
    }

    /// Free the used block `h`: merge it with free neighbours, then give it to the top or a bin.
    fn release(&mut self, mut h: usize) {
        let hdr = self.mem.load(h);
        let mut size = hdr & !FLAGS;
        if hdr & PREV_FREE != 0 {
            let prev = h - self.mem.load(h - WORD);
            self.unlink(prev);
            size += h - prev;
            h = prev;
        }
        let next = h + size;
        if next == self.top {
            self.top = h;
            return;
        }
        let next_hdr = self.mem.load(next);
        if next_hdr & FREE != 0 {
            self.unlink(next);
            size += next_hdr & !FLAGS;
        }
        self.mem.store(h, size | FREE);
        self.mem.store(h + size - WORD, size);
        let after = h + size;
        self.mem.store(after, self.mem.load(after) | PREV_FREE);
        let bin = bin_of(size);
        let head = self.heads[bin];
        self.mem.store(h + WORD, head);
        self.mem.store(h + 2 * WORD, 0);
        if head != 0 {
            self.mem.store(head + 2 * WORD, h);
        }
        self.heads[bin] = h;
        self.bitmap |= 1 << bin;
    }

    /// Take the free block `h` out of its bin's list.
    fn unlink(&mut self, h: usize) {
        let next = self.mem.load(h + WORD);
        let prev = self.mem.load(h + 2 * WORD);
        if prev == 0 {
            let bin = bin_of(self.mem.load(h) & !FLAGS);
            self.heads[bin] = next;
            if next == 0 {
                self.bitmap &= !(1 << bin);
            }
        } else {
            self.mem.store(prev + WORD, next);
        }
        if next != 0 {
            self.mem.store(next + 2 * WORD, prev);
        }
    }

    fn clear_prev_free(&mut self, h: usize) {
        self.mem.store(h, self.mem.load(h) & !PREV_FREE);
    }
}

#[cfg(test)]
mod tests;
