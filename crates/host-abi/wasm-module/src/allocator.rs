//! The global allocator (wasm32 only): [`Heap`] over the module's linear memory, grown with
//! `memory.grow`. This replaces dlmalloc: a fraction of its code, and blocks are binned by size and
//! coalesced on free, so a long push reuses memory instead of growing it.

use crate::heap::{Heap, Memory, PAGE};
use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::UnsafeCell;
use core::ptr::null_mut;

/// Memory 0 of the module.
struct Linear;

impl Memory for Linear {
    #[inline(always)]
    fn load(&self, addr: usize) -> usize {
        // SAFETY: the heap loads only aligned words of blocks inside memory `grow` returned, which
        // nothing but the heap and the owners of its allocations touch.
        unsafe { (addr as *const usize).read() }
    }

    #[inline(always)]
    fn store(&mut self, addr: usize, value: usize) {
        // SAFETY: as for `load`; the words it stores are headers, footers and links of blocks no
        // allocation owns.
        unsafe { (addr as *mut usize).write(value) }
    }

    fn grow(&mut self, pages: usize) -> Option<usize> {
        match wasm32::memory_grow(0, pages) {
            usize::MAX => None,
            old => old.checked_mul(PAGE),
        }
    }

    fn copy(&mut self, to: usize, from: usize, len: usize) {
        // SAFETY: `from` and `to` are two live allocations of at least `len` bytes (`Heap::realloc`).
        unsafe { core::ptr::copy_nonoverlapping(from as *const u8, to as *mut u8, len) }
    }
}

struct Allocator(UnsafeCell<Heap<Linear>>);

// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread.
unsafe impl Sync for Allocator {}

#[global_allocator]
static ALLOCATOR: Allocator = Allocator(UnsafeCell::new(Heap::new(Linear)));

impl Allocator {
    #[allow(clippy::mut_from_ref)]
    fn heap(&self) -> &mut Heap<Linear> {
        // SAFETY: one thread, and the heap never calls back into the allocator, so no other
        // reference to it is live while an allocator method runs.
        unsafe { &mut *self.0.get() }
    }
}

// SAFETY: `Heap` hands out non-overlapping blocks of at least the requested size and alignment,
// and null when it cannot.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.heap()
            .alloc(layout.size(), layout.align())
            .map_or(null_mut(), |p| p.get() as *mut u8)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _: Layout) {
        self.heap().free(ptr as usize)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let heap = self.heap();
        heap.realloc(ptr as usize, layout.size(), layout.align(), new_size)
            .map_or(null_mut(), |p| p.get() as *mut u8)
    }
}
