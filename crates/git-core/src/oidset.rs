//! Hash set and map keyed by [`ObjectId`]: compact open addressing instead of `BTreeSet`/`BTreeMap`.
//!
//! Layout: entries live densely in insertion order (`ids`, plus `values` for the map); a power-of-two
//! array of `u32` slots holds indexes into them, probed linearly from a slot chosen by a hash of the
//! id, and kept at most half full. Removal shifts the following cluster back (no tombstones) and
//! moves the last entry into the hole (`swap_remove`), so iteration order is insertion order until
//! the first removal and arbitrary after it; callers that need sorted output sort it themselves.
//! The probing works on ids only ([`RawIndex`], not generic), so each value type `V` of an
//! [`OidMap`] instantiates little more than `Vec<V>` pushes and swaps: this matters for the Wasm
//! engine's code size, where every `BTreeMap<ObjectId, V>` instantiated several KB of tree code.
//!
//! # Hashing and attacker-chosen ids
//!
//! Ids arrive from pushes, so an attacker chooses them: not directly (an id is a SHA-1 of content),
//! but grinding content until an id's low bits match a target costs about 2^k hashes for k bits,
//! which is cheap for the k of any realistic table. Using id bytes directly as the slot would let a
//! pusher pile every object into one cluster and make each probe linear (the whole push quadratic).
//! So the slot comes from eight id bytes XORed with a per-table seed and mixed (the SplitMix64
//! finalizer, a bijection that spreads every input bit over the output). What this protects
//! against: ids ground against the id bytes alone, or against another table's seed, spread
//! normally. What it does not: the seed is only as secret as its source. Each table derives its
//! seed from a process-wide value ([`set_process_seed`], which a host should call once with random
//! bytes) and a counter, drawn when the table first allocates its slots (so the empty constructors
//! are `const` and cost nothing); without such a call the seeds are predictable, and an attacker who can
//! predict a table's seed and its size can still grind colliding ids (2^k hashes per id). Ids that
//! agree in all eight hashed bytes (a 64-bit partial collision, infeasible to grind) collide under
//! every seed.

use alloc::vec::Vec;
use core::fmt;
use core::sync::atomic::{AtomicU64, Ordering};

use crate::oid::ObjectId;

/// Marks an empty slot.
const EMPTY: u32 = u32::MAX;
/// Entries `with_capacity` reserves at most up front, however large the request (counts often come
/// from untrusted headers); tables grow past it as entries arrive.
const MAX_PRESIZE: usize = 1 << 20;

static PROCESS_SEED: AtomicU64 = AtomicU64::new(0x243f_6a88_85a3_08d3);
static TABLE_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Sets the process-wide value every table created afterwards derives its hash seed from. A host
/// with a random source should call it once at start-up with random bytes; see the module doc for
/// what the seed protects against.
pub fn set_process_seed(seed: u64) {
    PROCESS_SEED.store(seed, Ordering::Relaxed);
}

/// SplitMix64's finalizer: a bijection on u64 in which every input bit affects every output bit.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn new_seed() -> u64 {
    let n = TABLE_COUNTER.fetch_add(1, Ordering::Relaxed);
    mix(PROCESS_SEED.load(Ordering::Relaxed) ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// The id-keyed index shared by [`OidSet`] and [`OidMap`]: dense ids plus the slot array.
#[derive(Clone)]
struct RawIndex {
    ids: Vec<ObjectId>,
    /// Power-of-two length (or empty); each slot is `EMPTY` or an index into `ids`.
    slots: Vec<u32>,
    seed: u64,
}

impl RawIndex {
    /// No seed yet: it is drawn by the first [`rebuild`](Self::rebuild), before any id is hashed.
    const fn new() -> Self {
        RawIndex { ids: Vec::new(), slots: Vec::new(), seed: 0 }
    }

    fn with_capacity(n: usize) -> Self {
        let n = n.min(MAX_PRESIZE);
        let mut raw = RawIndex { ids: Vec::with_capacity(n), slots: Vec::new(), seed: 0 };
        if n > 0 {
            raw.rebuild(slots_for(n));
        }
        raw
    }

    fn home(&self, id: &ObjectId) -> usize {
        // Bytes 4..12: the leading bytes are the ones the fan-out of an idx sorts on; any eight
        // bytes of a SHA-1 are as good as any other. A whole array (`first_chunk`): one load.
        let w = id.as_bytes().get(4..).and_then(<[u8]>::first_chunk).copied().unwrap_or([0u8; 8]);
        // Truncation to usize is intended: only the low bits select a slot.
        (mix(u64::from_le_bytes(w) ^ self.seed) as usize) & (self.slots.len().wrapping_sub(1))
    }

    /// The slot holding `id`, or `Err` with the empty slot where it would go. Slots must be non-empty.
    fn probe(&self, id: &ObjectId) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let mut i = self.home(id);
        loop {
            let s = self.slots[i];
            if s == EMPTY {
                return Err(i);
            }
            if self.ids[s as usize] == *id {
                return Ok(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// The dense index of `id`.
    fn find(&self, id: &ObjectId) -> Option<usize> {
        if self.ids.is_empty() {
            return None;
        }
        self.probe(id).ok().map(|slot| self.slots[slot] as usize)
    }

    /// Inserts `id` if absent: `Ok(index)` of the new entry (the caller pushes its value), or
    /// `Err(index)` of the existing one.
    fn insert(&mut self, id: ObjectId) -> Result<usize, usize> {
        if (self.ids.len() + 1) * 2 > self.slots.len() {
            self.rebuild(slots_for(self.ids.len() + 1));
        }
        match self.probe(&id) {
            Ok(slot) => Err(self.slots[slot] as usize),
            Err(slot) => {
                let index = self.ids.len();
                self.slots[slot] = index_u32(index);
                self.ids.push(id);
                Ok(index)
            }
        }
    }

    /// Removes `id`: the dense index it had, where the caller `swap_remove`s its value.
    fn remove(&mut self, id: &ObjectId) -> Option<usize> {
        if self.ids.is_empty() {
            return None;
        }
        let mut hole = self.probe(id).ok()?;
        let index = self.slots[hole] as usize;
        // Backward-shift deletion: move each later entry of the cluster whose home is not
        // cyclically within (hole, j] into the hole, until an empty slot ends the cluster.
        let mask = self.slots.len() - 1;
        let mut j = hole;
        loop {
            j = (j + 1) & mask;
            let s = self.slots[j];
            if s == EMPTY {
                break;
            }
            let home = self.home(&self.ids[s as usize]);
            let stays = if hole <= j { hole < home && home <= j } else { hole < home || home <= j };
            if !stays {
                self.slots[hole] = s;
                hole = j;
            }
        }
        self.slots[hole] = EMPTY;
        // The last entry moves into `index`; repoint its slot.
        let last = self.ids.len() - 1;
        if index != last {
            if let Ok(slot) = self.probe(&self.ids[last]) {
                self.slots[slot] = index_u32(index);
            }
        }
        self.ids.swap_remove(index);
        Some(index)
    }

    fn rebuild(&mut self, len: usize) {
        // The first allocation of slots: no id has been hashed yet, so this is when the seed is
        // chosen (an empty table keeps no slots and hashes nothing; `clear` keeps the slots).
        if self.slots.is_empty() {
            self.seed = new_seed();
        }
        self.slots.clear();
        self.slots.resize(len, EMPTY);
        let mask = len - 1;
        // An index loop: no enumerate adapter code in the Wasm module.
        for index in 0..self.ids.len() {
            let mut i = self.home(&self.ids[index]);
            while self.slots[i] != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = index_u32(index);
        }
    }

    fn clear(&mut self) {
        self.ids.clear();
        self.slots.iter_mut().for_each(|s| *s = EMPTY);
    }
}

/// Slot count for `n` entries: a power of two at least `2n`, at least 8.
fn slots_for(n: usize) -> usize {
    n.saturating_mul(2).max(8).checked_next_power_of_two().unwrap_or_else(|| capacity_overflow())
}

fn index_u32(index: usize) -> u32 {
    match u32::try_from(index) {
        Ok(i) if i != EMPTY => i,
        _ => capacity_overflow(),
    }
}

/// More than `u32::MAX - 1` entries (80 GB of ids): the same condition as `Vec`'s capacity
/// overflow, and handled the same way.
#[cold]
fn capacity_overflow() -> ! {
    panic!("OidSet/OidMap capacity overflow")
}

/// A set of object ids. See the [module doc](self) for layout, order and hashing.
#[derive(Clone)]
pub struct OidSet {
    raw: RawIndex,
}

impl OidSet {
    /// An empty set; allocates nothing.
    pub const fn new() -> Self {
        OidSet { raw: RawIndex::new() }
    }
    /// An empty set with room for `n` ids (at most 2^20 reserved up front; it grows past that).
    pub fn with_capacity(n: usize) -> Self {
        OidSet { raw: RawIndex::with_capacity(n) }
    }
    /// Adds `id`; true if it was not there.
    pub fn insert(&mut self, id: ObjectId) -> bool {
        self.raw.insert(id).is_ok()
    }
    /// True if `id` is in the set.
    pub fn contains(&self, id: &ObjectId) -> bool {
        self.raw.find(id).is_some()
    }
    /// Removes `id`; true if it was there.
    pub fn remove(&mut self, id: &ObjectId) -> bool {
        self.raw.remove(id).is_some()
    }
    /// Number of ids.
    pub fn len(&self) -> usize {
        self.raw.ids.len()
    }
    /// True if empty.
    pub fn is_empty(&self) -> bool {
        self.raw.ids.is_empty()
    }
    /// The ids, in insertion order until the first removal (see the module doc).
    pub fn iter(&self) -> core::slice::Iter<'_, ObjectId> {
        self.raw.ids.iter()
    }
    /// The ids as a slice, in [`iter`](Self::iter)'s order.
    pub fn as_slice(&self) -> &[ObjectId] {
        &self.raw.ids
    }
    /// Removes every id, keeping the allocation.
    pub fn clear(&mut self) {
        self.raw.clear()
    }
}

impl Default for OidSet {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for OidSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a OidSet {
    type Item = &'a ObjectId;
    type IntoIter = core::slice::Iter<'a, ObjectId>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl Extend<ObjectId> for OidSet {
    fn extend<I: IntoIterator<Item = ObjectId>>(&mut self, iter: I) {
        for id in iter {
            self.insert(id);
        }
    }
}

impl FromIterator<ObjectId> for OidSet {
    fn from_iter<I: IntoIterator<Item = ObjectId>>(iter: I) -> Self {
        let mut set = OidSet::new();
        set.extend(iter);
        set
    }
}

/// A map from object ids to `V`. See the [module doc](self) for layout, order and hashing.
#[derive(Clone)]
pub struct OidMap<V> {
    raw: RawIndex,
    /// `values[i]` belongs to `raw.ids[i]`.
    values: Vec<V>,
}

impl<V> OidMap<V> {
    /// An empty map; allocates nothing.
    pub const fn new() -> Self {
        OidMap { raw: RawIndex::new(), values: Vec::new() }
    }
    /// An empty map with room for `n` entries (at most 2^20 reserved up front; it grows past that).
    pub fn with_capacity(n: usize) -> Self {
        OidMap { raw: RawIndex::with_capacity(n), values: Vec::with_capacity(n.min(MAX_PRESIZE)) }
    }
    /// Sets `id`'s value; the previous one if there was one.
    pub fn insert(&mut self, id: ObjectId, value: V) -> Option<V> {
        match self.raw.insert(id) {
            Ok(_) => {
                self.values.push(value);
                None
            }
            Err(i) => Some(core::mem::replace(&mut self.values[i], value)),
        }
    }
    /// `id`'s value.
    pub fn get(&self, id: &ObjectId) -> Option<&V> {
        // `get`, not indexing: no bounds-check panic path in each instantiation (`values` and
        // `raw.ids` always have the same length).
        self.raw.find(id).and_then(|i| self.values.get(i))
    }
    /// `id`'s value, mutably.
    pub fn get_mut(&mut self, id: &ObjectId) -> Option<&mut V> {
        self.raw.find(id).and_then(move |i| self.values.get_mut(i))
    }
    /// `id`'s value, inserting `make()` first if there is none.
    pub fn get_or_insert_with(&mut self, id: ObjectId, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.raw.insert(id) {
            Ok(i) => {
                self.values.push(make());
                i
            }
            Err(i) => i,
        };
        &mut self.values[i]
    }
    /// Removes `id`; its value if it had one.
    pub fn remove(&mut self, id: &ObjectId) -> Option<V> {
        self.raw.remove(id).map(|i| self.values.swap_remove(i))
    }
    /// True if `id` has a value.
    pub fn contains_key(&self, id: &ObjectId) -> bool {
        self.raw.find(id).is_some()
    }
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.values.len()
    }
    /// True if empty.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
    /// The entries, in insertion order until the first removal (see the module doc).
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&ObjectId, &V)> + '_ {
        self.raw.ids.iter().zip(self.values.iter())
    }
    /// The entries with mutable values, in [`iter`](Self::iter)'s order.
    pub fn iter_mut(&mut self) -> impl ExactSizeIterator<Item = (&ObjectId, &mut V)> + '_ {
        self.raw.ids.iter().zip(self.values.iter_mut())
    }
    /// The ids, in [`iter`](Self::iter)'s order.
    pub fn keys(&self) -> core::slice::Iter<'_, ObjectId> {
        self.raw.ids.iter()
    }
    /// The values, in [`iter`](Self::iter)'s order.
    pub fn values(&self) -> core::slice::Iter<'_, V> {
        self.values.iter()
    }
    /// The values, mutably, in [`iter`](Self::iter)'s order.
    pub fn values_mut(&mut self) -> core::slice::IterMut<'_, V> {
        self.values.iter_mut()
    }
    /// Removes every entry, keeping the allocations.
    pub fn clear(&mut self) {
        self.raw.clear();
        self.values.clear();
    }
}

impl<V> Default for OidMap<V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<V: fmt::Debug> fmt::Debug for OidMap<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<V> Extend<(ObjectId, V)> for OidMap<V> {
    fn extend<I: IntoIterator<Item = (ObjectId, V)>>(&mut self, iter: I) {
        for (id, v) in iter {
            self.insert(id, v);
        }
    }
}

impl<V> FromIterator<(ObjectId, V)> for OidMap<V> {
    fn from_iter<I: IntoIterator<Item = (ObjectId, V)>>(iter: I) -> Self {
        let mut map = OidMap::new();
        map.extend(iter);
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::{BTreeMap, BTreeSet};
    use proptest::prelude::*;

    fn id(n: u32) -> ObjectId {
        let mut b = [0u8; 20];
        b[16..].copy_from_slice(&n.to_be_bytes());
        ObjectId::Sha1(b)
    }

    #[test]
    fn set_basics() {
        let mut s = OidSet::new();
        assert!(s.is_empty());
        assert!(!s.contains(&id(1)));
        assert!(!s.remove(&id(1)));
        assert!(s.insert(id(1)));
        assert!(!s.insert(id(1)));
        assert!(s.insert(id(2)));
        assert_eq!(s.len(), 2);
        assert_eq!(s.iter().copied().collect::<Vec<_>>(), [id(1), id(2)]);
        assert!(s.remove(&id(1)));
        assert!(!s.contains(&id(1)));
        assert!(s.contains(&id(2)));
        s.clear();
        assert!(s.is_empty() && !s.contains(&id(2)));
        assert!(s.insert(id(2)));
    }

    #[test]
    fn map_basics() {
        let mut m = OidMap::new();
        assert_eq!(m.insert(id(1), 10), None);
        assert_eq!(m.insert(id(1), 11), Some(10));
        *m.get_or_insert_with(id(2), || 20) += 1;
        *m.get_or_insert_with(id(2), || 99) += 1;
        assert_eq!(m.get(&id(2)), Some(&22));
        *m.get_mut(&id(1)).expect("present") = 12;
        assert_eq!(m.values().copied().collect::<Vec<_>>(), [12, 22]);
        assert_eq!(m.remove(&id(1)), Some(12));
        assert_eq!(m.remove(&id(1)), None);
        assert!(!m.contains_key(&id(1)) && m.contains_key(&id(2)));
        assert_eq!(m.len(), 1);
    }

    /// `new` is `const` and draws no seed; the first insert draws one, different per table.
    #[test]
    fn seed_drawn_on_first_insert() {
        const EMPTY: OidSet = OidSet::new();
        let (mut a, mut b) = (EMPTY, OidMap::<u8>::new());
        assert_eq!((a.raw.seed, b.raw.seed), (0, 0));
        assert!(a.insert(id(1)));
        assert_eq!(b.insert(id(1), 1), None);
        assert_ne!(a.raw.seed, b.raw.seed);
        // Growing and clearing keep the seed the ids were hashed with.
        let seed = a.raw.seed;
        a.extend((2..100).map(id));
        a.clear();
        assert!(a.insert(id(7)) && a.contains(&id(7)));
        assert_eq!(a.raw.seed, seed);
    }

    /// Many ids with the same hashed bytes (4..12): all in one cluster, still correct.
    #[test]
    fn one_cluster() {
        let mut m = OidMap::with_capacity(usize::MAX);
        for n in 0..300 {
            assert_eq!(m.insert(id(n), n), None);
        }
        for n in (0..300).step_by(3) {
            assert_eq!(m.remove(&id(n)), Some(n));
        }
        for n in 0..300 {
            assert_eq!(m.get(&id(n)), if n % 3 == 0 { None } else { Some(&n) });
        }
    }

    #[derive(Debug, Clone)]
    enum Op {
        Insert(u8, u16),
        Remove(u8),
        Get(u8),
        Clear,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            6 => (any::<u8>(), any::<u16>()).prop_map(|(k, v)| Op::Insert(k, v)),
            4 => any::<u8>().prop_map(Op::Remove),
            3 => any::<u8>().prop_map(Op::Get),
            1 => Just(Op::Clear),
        ]
    }

    /// Keys spread over the hashed bytes and the rest, so both clusters and spread occur.
    fn key(k: u8) -> ObjectId {
        let mut b = [0u8; 20];
        b[4] = k & 0x0f;
        b[19] = k;
        ObjectId::Sha1(b)
    }

    proptest! {
        #[test]
        fn map_matches_btreemap(ops in proptest::collection::vec(op(), 0..400)) {
            let mut m = OidMap::new();
            let mut model = BTreeMap::new();
            for op in ops {
                match op {
                    Op::Insert(k, v) => prop_assert_eq!(m.insert(key(k), v), model.insert(key(k), v)),
                    Op::Remove(k) => prop_assert_eq!(m.remove(&key(k)), model.remove(&key(k))),
                    Op::Get(k) => prop_assert_eq!(m.get(&key(k)), model.get(&key(k))),
                    Op::Clear => { m.clear(); model.clear(); }
                }
                prop_assert_eq!(m.len(), model.len());
                let mut entries: Vec<_> = m.iter().map(|(k, v)| (*k, *v)).collect();
                entries.sort();
                prop_assert_eq!(entries, model.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>());
            }
            for (k, v) in &model {
                prop_assert_eq!(m.get(k), Some(v));
            }
        }

        #[test]
        fn set_matches_btreeset(ops in proptest::collection::vec(op(), 0..400)) {
            let mut s = OidSet::new();
            let mut model = BTreeSet::new();
            for op in ops {
                match op {
                    Op::Insert(k, _) => prop_assert_eq!(s.insert(key(k)), model.insert(key(k))),
                    Op::Remove(k) => prop_assert_eq!(s.remove(&key(k)), model.remove(&key(k))),
                    Op::Get(k) => prop_assert_eq!(s.contains(&key(k)), model.contains(&key(k))),
                    Op::Clear => { s.clear(); model.clear(); }
                }
                let mut ids: Vec<_> = s.iter().copied().collect();
                ids.sort();
                prop_assert_eq!(ids, model.iter().copied().collect::<Vec<_>>());
            }
        }
    }
}
