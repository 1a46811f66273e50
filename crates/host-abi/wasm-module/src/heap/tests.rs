//! The heap over a simulated memory: every operation is followed by a walk of all blocks checking the
//! layout invariants, and a model of the live allocations checks that they never overlap, are aligned
//! and keep their contents.

use super::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// Simulated linear memory starting at `BASE`; `gap` pages are skipped before every second growth (as
/// if something else grew the memory in between), `limit` caps its length.
struct Sim {
    bytes: Vec<u8>,
    limit: usize,
    gap: usize,
    grows: usize,
}

const BASE: usize = 0x10_0000;

impl Sim {
    fn new(limit: usize, gap: usize) -> Self {
        Sim {
            bytes: Vec::new(),
            limit,
            gap,
            grows: 0,
        }
    }
    fn range(&self, addr: usize, len: usize) -> std::ops::Range<usize> {
        assert!(
            addr >= BASE && addr + len <= BASE + self.bytes.len(),
            "access at {addr:#x} outside memory"
        );
        addr - BASE..addr - BASE + len
    }
    fn fill(&mut self, addr: usize, len: usize, byte: u8) {
        let r = self.range(addr, len);
        self.bytes[r].fill(byte);
    }
    fn all(&self, addr: usize, len: usize, byte: u8) -> bool {
        self.bytes[self.range(addr, len)].iter().all(|b| *b == byte)
    }
}

impl Memory for Sim {
    fn load(&self, addr: usize) -> usize {
        assert_eq!(addr % WORD, 0, "unaligned load at {addr:#x}");
        let bytes = &self.bytes[self.range(addr, WORD)];
        usize::from_ne_bytes(bytes.try_into().expect("a word"))
    }
    fn store(&mut self, addr: usize, value: usize) {
        assert_eq!(addr % WORD, 0, "unaligned store at {addr:#x}");
        let r = self.range(addr, WORD);
        self.bytes[r].copy_from_slice(&value.to_ne_bytes());
    }
    fn grow(&mut self, pages: usize) -> Option<usize> {
        let start = self.bytes.len() + self.gap * PAGE * (self.grows % 2);
        let len = start.checked_add(pages.checked_mul(PAGE)?)?;
        if len > self.limit {
            return None;
        }
        self.bytes.resize(len, 0);
        self.grows += 1;
        Some(BASE + start)
    }
    fn copy(&mut self, to: usize, from: usize, len: usize) {
        let from = self.range(from, len);
        let to = self.range(to, len).start;
        self.bytes.copy_within(from, to);
    }
}

/// Walk a contiguous heap (`gap == 0`) and check every invariant; returns the number of free blocks.
fn check(heap: &Heap<Sim>) -> usize {
    let mut free = BTreeMap::new();
    if heap.end != 0 {
        let mut h = BASE + GRAN - WORD;
        let mut prev_free = false;
        while h < heap.top {
            let hdr = heap.mem.load(h);
            let size = hdr & !FLAGS;
            assert!(
                size >= MIN_BLOCK && size % GRAN == 0,
                "block {h:#x}: bad size {size}"
            );
            assert_eq!(
                hdr & PREV_FREE != 0,
                prev_free,
                "block {h:#x}: PREV_FREE wrong"
            );
            let is_free = hdr & FREE != 0;
            if is_free {
                assert!(!prev_free, "block {h:#x}: two adjacent free blocks");
                assert_eq!(heap.mem.load(h + size - WORD), size, "block {h:#x}: footer");
                free.insert(h, size);
            }
            prev_free = is_free;
            h += size;
        }
        assert_eq!(h, heap.top, "blocks do not end at the top");
        assert!(!prev_free, "a free block below the top");
        assert!(heap.top + WORD <= heap.end, "top too close to the end");
    }
    let mut listed = 0;
    for (bin, &head) in heap.heads.iter().enumerate() {
        assert_eq!(heap.bitmap & (1 << bin) != 0, head != 0, "bitmap bit {bin}");
        let (mut h, mut prev) = (head, 0);
        while h != 0 {
            let size = free
                .get(&h)
                .copied()
                .unwrap_or_else(|| panic!("listed block {h:#x} is not free"));
            assert_eq!(bin_of(size), bin, "block {h:#x} in the wrong bin");
            assert_eq!(heap.mem.load(h + 2 * WORD), prev, "block {h:#x}: back link");
            listed += 1;
            prev = h;
            h = heap.mem.load(h + WORD);
        }
    }
    assert_eq!(listed, free.len(), "free blocks missing from the bins");
    listed
}

/// The live allocations: address -> (size, fill byte).
#[derive(Default)]
struct Model {
    live: BTreeMap<usize, (usize, u8)>,
    next_tag: u8,
}

impl Model {
    fn tag(&mut self) -> u8 {
        self.next_tag = self.next_tag.wrapping_add(1);
        self.next_tag
    }
    /// Record a new allocation at `p`, checking alignment and overlap, and fill it.
    fn add(&mut self, heap: &mut Heap<Sim>, p: usize, size: usize, align: usize) {
        assert_eq!(p % align.max(GRAN), 0, "{p:#x} not aligned to {align}");
        if let Some((&q, &(len, _))) = self.live.range(..=p).next_back() {
            assert!(q + len <= p, "{p:#x} overlaps the allocation at {q:#x}");
        }
        if let Some((&q, _)) = self.live.range(p..).next() {
            assert!(
                p + size <= q,
                "{p:#x}+{size} overlaps the allocation at {q:#x}"
            );
        }
        let tag = self.tag();
        heap.mem.fill(p, size, tag);
        self.live.insert(p, (size, tag));
    }
    /// Remove the allocation at `p`, checking its contents.
    fn remove(&mut self, heap: &Heap<Sim>, p: usize) -> (usize, u8) {
        let (size, tag) = self.live.remove(&p).expect("a live allocation");
        assert!(heap.mem.all(p, size, tag), "contents of {p:#x} changed");
        (size, tag)
    }
}

impl Heap<Sim> {
    fn a(&mut self, size: usize, align: usize) -> Option<usize> {
        self.alloc(size, align).map(NonZeroUsize::get)
    }
    fn r(&mut self, p: usize, old_size: usize, align: usize, new_size: usize) -> Option<usize> {
        self.realloc(p, old_size, align, new_size).map(NonZeroUsize::get)
    }
}

fn heap(limit: usize, gap: usize) -> Heap<Sim> {
    Heap::new(Sim::new(limit, gap))
}

#[test]
fn freed_block_is_reused_and_neighbours_coalesce() {
    let mut h = heap(1 << 24, 0);
    let a = h.a(100, 8).expect("a");
    let b = h.a(100, 8).expect("b");
    let c = h.a(100, 8).expect("c");
    h.free(a);
    assert_eq!(h.a(90, 8), Some(a), "same-size block reused");
    h.free(a);
    h.free(c);
    assert_eq!(check(&h), 1, "c went back to the top, a is binned");
    h.free(b);
    assert_eq!(check(&h), 0, "a, b and the top coalesced");
    assert_eq!(h.top, BASE + GRAN - WORD);
    assert_eq!(h.bitmap, 0);
    // Three freed neighbours below a used block become one block that fits their total.
    let x = h.a(200, 8).expect("x");
    let y = h.a(200, 8).expect("y");
    let z = h.a(200, 8).expect("z");
    let _pin = h.a(8, 8).expect("pin");
    h.free(x);
    h.free(z);
    h.free(y);
    assert_eq!(check(&h), 1);
    assert_eq!(h.a(600, 8), Some(x), "the coalesced block is found");
    check(&h);
}

#[test]
fn realloc_grows_in_place_at_the_top_and_into_a_free_neighbour() {
    let mut h = heap(1 << 26, 0);
    let a = h.a(1000, 8).expect("a");
    h.mem.fill(a, 1000, 7);
    let grows = h.mem.grows;
    let a2 = h.r(a, 1000, 8, 5 << 20).expect("grown");
    assert_eq!(a2, a, "the block at the top grows in place");
    assert!(h.mem.grows > grows, "growing past the end grows the memory");
    assert!(h.mem.all(a, 1000, 7));
    let b = h.a(64, 8).expect("b");
    let c = h.a(64, 8).expect("c");
    let _pin = h.a(3000, 8).expect("pin");
    h.free(c);
    // c is free above b: b grows into it.
    h.mem.fill(b, 64, 9);
    assert_eq!(h.r(b, 64, 8, 120), Some(b));
    assert!(h.mem.all(b, 64, 9));
    check(&h);
    // Not enough room above: moved, contents kept.
    let b2 = h.r(b, 120, 8, 10_000).expect("moved");
    assert_ne!(b2, b);
    assert!(h.mem.all(b2, 64, 9));
    check(&h);
    // Shrinking gives the tail back.
    assert_eq!(h.r(a, 5 << 20, 8, 100), Some(a));
    assert_eq!(
        check(&h),
        1,
        "the tail of a (with b's old block) is one free block"
    );
}

#[test]
fn large_alignments_are_honoured() {
    let mut h = heap(1 << 24, 0);
    let mut model = Model::default();
    for align in [16, 32, 64, 128, 4096, PAGE] {
        for size in [1, 24, 100, 5000] {
            let _skew = h.a(8, 1).expect("skew");
            let p = h.a(size, align).expect("aligned");
            model.add(&mut h, p, size, align);
            check(&h);
        }
    }
    let all: Vec<usize> = model.live.keys().copied().collect();
    for p in all {
        model.remove(&h, p);
        h.free(p);
        check(&h);
    }
}

#[test]
fn impossible_requests_return_none_and_leave_the_heap_usable() {
    let mut h = heap(1 << 22, 0);
    let a = h.a(10, 8).expect("a");
    assert_eq!(h.a(usize::MAX, 1), None);
    assert_eq!(h.a(usize::MAX - 8, 1), None);
    assert_eq!(h.a(usize::MAX / 2, 64), None);
    assert_eq!(h.a(1 << 23, 8), None, "over the memory limit");
    assert_eq!(h.a(16, 3 * GRAN), None, "not a power of two");
    assert_eq!(h.r(a, 10, 8, usize::MAX - 3), None);
    assert_eq!(h.r(a, 10, 8, 1 << 23), None);
    check(&h);
    let b = h.a(1 << 20, 8).expect("b fits");
    assert_ne!(a, b);
    check(&h);
}

#[test]
fn a_new_region_after_foreign_growth_is_used_and_the_old_one_still_frees() {
    let mut h = heap(1 << 26, 1);
    let a = h.a(PAGE / 2, 8).expect("a");
    let b = h.a(PAGE, 8).expect("b, in a second region");
    assert!(b > a + PAGE / 2 + PAGE, "a page was skipped");
    h.mem.fill(a, PAGE / 2, 1);
    h.mem.fill(b, PAGE, 2);
    h.free(a);
    let c = h.a(100, 8).expect("c");
    assert_eq!(c, a, "the old region's freed block is reused");
    assert!(h.mem.all(b, PAGE, 2));
}

#[derive(Debug, Clone)]
enum Op {
    Alloc(usize, usize),
    Free(usize),
    Realloc(usize, usize),
}

fn size() -> impl Strategy<Value = usize> {
    prop_oneof![
        8 => 1usize..=256,
        4 => 257usize..=16 << 10,
        2 => (16usize << 10)..=(1 << 20),
        1 => (1usize << 20)..=(6 << 20),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (size(), 0u32..=6).prop_map(|(s, a)| Op::Alloc(s, 1 << a)),
        3 => any::<usize>().prop_map(Op::Free),
        3 => (any::<usize>(), size()).prop_map(|(i, s)| Op::Realloc(i, s)),
    ]
}

/// Apply `ops`; the aligns of the live allocations are kept by address.
fn run(
    h: &mut Heap<Sim>,
    model: &mut Model,
    aligns: &mut BTreeMap<usize, usize>,
    ops: &[Op],
    walk: bool,
) {
    for op in ops {
        match *op {
            Op::Alloc(size, align) => {
                let p = h.a(size, align).expect("fits the simulated memory");
                model.add(h, p, size, align);
                aligns.insert(p, align);
            }
            Op::Free(i) if !model.live.is_empty() => {
                let p = *model
                    .live
                    .keys()
                    .nth(i % model.live.len())
                    .expect("an index in range");
                model.remove(h, p);
                aligns.remove(&p);
                h.free(p);
            }
            Op::Realloc(i, new_size) if !model.live.is_empty() => {
                let p = *model
                    .live
                    .keys()
                    .nth(i % model.live.len())
                    .expect("an index in range");
                let (old_size, tag) = model.live[&p];
                let align = aligns.remove(&p).expect("an align");
                let q = h
                    .r(p, old_size, align, new_size)
                    .expect("fits the simulated memory");
                let kept = old_size.min(new_size);
                assert!(h.mem.all(q, kept, tag), "realloc lost contents");
                model.live.remove(&p);
                model.add(h, q, new_size, align);
                aligns.insert(q, align);
            }
            _ => {}
        }
        if walk {
            check(h);
        }
    }
}

fn free_all(h: &mut Heap<Sim>, model: &mut Model, aligns: &mut BTreeMap<usize, usize>) {
    let all: Vec<usize> = model.live.keys().copied().collect();
    for p in all {
        model.remove(h, p);
        aligns.remove(&p);
        h.free(p);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Random sequences: no overlap, alignment, contents kept, invariants after every step; freeing
    /// everything coalesces the heap back to nothing, and running the same sequence again does not grow
    /// the memory.
    #[test]
    fn random_sequences(ops in proptest::collection::vec(op(), 1..120)) {
        let mut h = heap(1 << 30, 0);
        let (mut model, mut aligns) = (Model::default(), BTreeMap::new());
        run(&mut h, &mut model, &mut aligns, &ops, true);
        free_all(&mut h, &mut model, &mut aligns);
        prop_assert_eq!(check(&h), 0);
        prop_assert!(h.top == 0 || h.top == BASE + GRAN - WORD, "the heap is not empty");
        let end = h.end;
        run(&mut h, &mut model, &mut aligns, &ops, false);
        prop_assert_eq!(h.end, end, "the repeated sequence grew the memory");
        free_all(&mut h, &mut model, &mut aligns);
        prop_assert_eq!(check(&h), 0);
    }

    /// The same with a foreign page before every second growth: the model's checks hold across
    /// regions.
    #[test]
    fn random_sequences_across_regions(ops in proptest::collection::vec(op(), 1..80)) {
        let mut h = heap(1 << 30, 1);
        let (mut model, mut aligns) = (Model::default(), BTreeMap::new());
        run(&mut h, &mut model, &mut aligns, &ops, false);
        free_all(&mut h, &mut model, &mut aligns);
        prop_assert!(model.live.is_empty());
    }
}
