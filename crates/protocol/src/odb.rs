//! Reading whole objects back from a [`Store`]: inflate a stored zlib stream, or walk a stored delta
//! chain to its whole base and apply the deltas (gitformat-pack "Deltified representation"), with
//! caps on the chain length and on every size before anything is allocated.

use crate::service::ExchangeError;
use alloc::vec::Vec;
use git_core::{ObjectId, ObjectKind};
use host_abi::{Store, StoredEncoding};
use pack::resolve::{Held, NothingHeld};

/// Caps on reading objects back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadLimits {
    /// Largest object (or delta payload) inflated in memory.
    pub max_object_size: u64,
    /// Longest delta chain followed.
    pub max_delta_depth: u32,
}

impl ReadLimits {
    /// The defaults, as a constant for `const` initialisers.
    pub const DEFAULT: ReadLimits = ReadLimits { max_object_size: 512 * 1024 * 1024, max_delta_depth: 10_000 };
}

impl Default for ReadLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

// By reference and out of line: each call site passes a pointer instead of copying the id.
#[cold]
#[inline(never)]
fn corrupt(id: &ObjectId, what: &'static str) -> ExchangeError {
    ExchangeError::corrupt(*id, what)
}

/// Buffers up to this capacity are kept for the next read; larger ones are given back once spent,
/// so a request that read one large object does not hold that much for the rest of its life.
pub const RETAIN_BYTES: usize = 1 << 20;

/// Give `buf`'s allocation back if it is over [`RETAIN_BYTES`] (its contents are spent).
pub fn release_large(buf: &mut Vec<u8>) {
    if buf.capacity() > RETAIN_BYTES {
        *buf = Vec::new();
    }
}

/// Empty `buf` for `need` bytes: an allocation too small for them is given back before the new one
/// is made, so growing never holds the old and the new allocation at once (Wasm memory never
/// shrinks, so such a moment would count for the rest of the instance's life).
pub fn clear_for(buf: &mut Vec<u8>, need: u64) {
    if (buf.capacity() as u64) < need {
        *buf = Vec::new();
    } else {
        buf.clear();
    }
}

/// Reusable buffers for reading objects (small ones kept between reads, see [`RETAIN_BYTES`]).
#[derive(Default, Debug)]
pub struct ObjectReader {
    raw: Vec<u8>,
    delta: Vec<u8>,
    next: Vec<u8>,
    chain: Vec<ObjectId>,
}

impl ObjectReader {
    /// No buffers yet, as a constant for `const` initialisers.
    pub const EMPTY: ObjectReader = ObjectReader { raw: Vec::new(), delta: Vec::new(), next: Vec::new(), chain: Vec::new() };

    /// Read `id` whole into `out` (cleared first); `Ok(None)` if the store does not have it.
    pub fn read<S: Store>(
        &mut self,
        store: &mut S,
        id: &ObjectId,
        limits: &ReadLimits,
        out: &mut Vec<u8>,
    ) -> Result<Option<ObjectKind>, ExchangeError> {
        self.read_with_held(store, id, limits, &mut NothingHeld, out)
    }

    /// As [`ObjectReader::read`], starting from the first object of `id`'s stored delta chain
    /// (after `id` itself) that `held` holds, if any, instead of the chain's whole root. Calls
    /// [`Held::take`] once, after walking the chain and before allocating for the contents.
    pub fn read_with_held<S: Store>(
        &mut self,
        store: &mut S,
        id: &ObjectId,
        limits: &ReadLimits,
        held: &mut dyn Held,
        out: &mut Vec<u8>,
    ) -> Result<Option<ObjectKind>, ExchangeError> {
        let result = self.read_chain(store, id, limits, held, out);
        release_large(&mut self.raw);
        release_large(&mut self.delta);
        release_large(&mut self.next);
        result
    }

    fn read_chain<S: Store>(
        &mut self,
        store: &mut S,
        id: &ObjectId,
        limits: &ReadLimits,
        held: &mut dyn Held,
        out: &mut Vec<u8>,
    ) -> Result<Option<ObjectKind>, ExchangeError> {
        out.clear();
        self.chain.clear();
        let mut cur = *id;
        // The kind of the last object read (each of the chain has the same); every way out of
        // the loop below but the early returns has read one. Past the first object (`id`) the
        // chain is not empty.
        let mut kind = ObjectKind::Blob;
        let root = loop {
            let first = self.chain.is_empty();
            if !first && held.holds(&cur) {
                break None;
            }
            let Some(h) = store.object_read(&cur, &mut self.raw)? else {
                held.take(None);
                if first {
                    return Ok(None);
                }
                return Err(corrupt(id, "delta base missing from the store"));
            };
            kind = h.kind;
            match h.encoding {
                StoredEncoding::Full => break Some(h.size),
                StoredEncoding::Delta { base } => {
                    if self.chain.len() as u64 >= u64::from(limits.max_delta_depth) {
                        held.take(None);
                        return Err(corrupt(id, "delta chain longer than the limit"));
                    }
                    self.chain.push(cur);
                    cur = base;
                }
            }
        };
        match root {
            Some(base_size) => {
                held.take(None);
                clear_for(out, base_size.saturating_add(1));
                git_core::zlib::inflate_exact_into(&self.raw, base_size, limits.max_object_size, out)
                    .map_err(|_| corrupt(&cur, "stored zlib stream does not inflate to its size"))?;
            }
            None => {
                // `cur` is held: apply the next delta of the chain to it, then drop our share (it may
                // be the resolver's large object, now handed over).
                let Some(base) = held.take(Some(&cur)) else { return Err(corrupt(&cur, "held object vanished")) };
                let Some(delta_id) = self.chain.pop() else { return Err(corrupt(id, "delta chain without a delta")) };
                apply_stored(store, &mut self.raw, &mut self.delta, &delta_id, &base, limits, out)?;
            }
        }
        while let Some(delta_id) = self.chain.pop() {
            apply_stored(store, &mut self.raw, &mut self.delta, &delta_id, out, limits, &mut self.next)?;
            core::mem::swap(out, &mut self.next);
        }
        Ok(Some(kind))
    }
}

/// The object `delta_id` (stored as a delta against `base`'s object) into `into`, through the
/// reader's `raw` and `delta` buffers (lent one by one: `into` may be the reader's `next`).
fn apply_stored<S: Store>(
    store: &mut S,
    raw: &mut Vec<u8>,
    delta: &mut Vec<u8>,
    delta_id: &ObjectId,
    base: &[u8],
    limits: &ReadLimits,
    into: &mut Vec<u8>,
) -> Result<(), ExchangeError> {
    let Some(h) = store.object_read(delta_id, raw)? else {
        return Err(corrupt(delta_id, "object vanished while reading"));
    };
    if !matches!(h.encoding, StoredEncoding::Delta { .. }) {
        return Err(corrupt(delta_id, "object changed while reading"));
    }
    clear_for(delta, h.payload_size.saturating_add(1));
    git_core::zlib::inflate_exact_into(raw, h.payload_size, limits.max_object_size, delta)
        .map_err(|_| corrupt(delta_id, "stored delta does not inflate to its size"))?;
    clear_for(into, h.size);
    git_core::delta::apply_into(base, delta, limits.max_object_size, into)
        .map_err(|_| corrupt(delta_id, "stored delta does not apply to its base"))?;
    if into.len() as u64 != h.size {
        return Err(corrupt(delta_id, "delta result size differs from the stored size"));
    }
    Ok(())
}

/// The object a tag points at: the hex id on its first line `object <hex>` (gitformat-tag).
pub fn tag_target(data: &[u8]) -> Option<ObjectId> {
    let hex = data.strip_prefix(b"object ")?.get(..40)?;
    ObjectId::from_hex(hex).ok()
}

/// Follow annotated tags from `id` to the first non-tag object (at most 32 levels, like git's
/// `peel_object` guarding against cycles): its kind, its id left in `peeled`, and the tags followed
/// pushed onto `chain` in order (out-parameters rather than a struct moved out in an `Option`); the
/// last tag read is left in `buf`. `Ok(None)` if `id` or an object of the chain is missing, or the
/// chain is longer (the tags read so far are on `chain` all the same).
pub fn peel_tags<S: Store>(
    store: &mut S,
    reader: &mut ObjectReader,
    limits: &ReadLimits,
    id: &ObjectId,
    buf: &mut Vec<u8>,
    peeled: &mut ObjectId,
    chain: &mut Vec<ObjectId>,
) -> Result<Option<ObjectKind>, ExchangeError> {
    *peeled = *id;
    for _ in 0..32 {
        let cur = *peeled;
        match store.object_header(&cur)? {
            Some(h) if h.kind == ObjectKind::Tag => {}
            Some(h) => return Ok(Some(h.kind)),
            None => return Ok(None),
        }
        chain.push(cur);
        if reader.read(store, &cur, limits, buf)?.is_none() {
            return Ok(None);
        }
        match tag_target(buf) {
            Some(t) => *peeled = t,
            None => return Err(corrupt(&cur, "tag without an object line")),
        }
    }
    Ok(None)
}

/// The object an annotated tag peels to (what `^{}` lines and `peeled:` show); `Ok(None)` if `id`
/// is not a tag or its chain is broken ([`peel_tags`]).
pub fn peel<S: Store>(
    store: &mut S,
    reader: &mut ObjectReader,
    id: &ObjectId,
    buf: &mut Vec<u8>,
) -> Result<Option<ObjectId>, ExchangeError> {
    let mut peeled = *id;
    let mut chain = Vec::new();
    // The outcome is looked at once the chain is dropped: one drop for every exit.
    let found = peel_tags(store, reader, &ReadLimits::default(), id, buf, &mut peeled, &mut chain);
    let tagged = !chain.is_empty();
    drop(chain);
    match found {
        Ok(Some(_)) if tagged => Ok(Some(peeled)),
        Ok(_) => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use alloc::sync::Arc;
    use alloc::vec;
    use host_abi::{MemStore, ObjectHeader, StoreError};

    /// A store that counts reads of each object's stored bytes.
    struct Counting {
        inner: MemStore,
        reads: Vec<ObjectId>,
    }

    impl Store for Counting {
        fn object_header(&mut self, id: &ObjectId) -> Result<Option<ObjectHeader>, StoreError> {
            self.inner.object_header(id)
        }
        fn object_read(&mut self, id: &ObjectId, out: &mut Vec<u8>) -> Result<Option<ObjectHeader>, StoreError> {
            self.reads.push(*id);
            self.inner.object_read(id, out)
        }
        fn object_write(&mut self, id: &ObjectId, header: &ObjectHeader, data: &[u8]) -> Result<(), StoreError> {
            self.inner.object_write(id, header, data)
        }
        fn object_delete(&mut self, id: &ObjectId) -> Result<(), StoreError> {
            self.inner.object_delete(id)
        }
        fn refs_list(&mut self, prefix: &str, out: &mut Vec<(alloc::string::String, host_abi::RefValue)>) -> Result<(), StoreError> {
            self.inner.refs_list(prefix, out)
        }
        fn ref_read(&mut self, name: &str) -> Result<Option<host_abi::RefValue>, StoreError> {
            self.inner.ref_read(name)
        }
        fn refs_update(&mut self, updates: &[host_abi::RefUpdate]) -> Result<(), StoreError> {
            self.inner.refs_update(updates)
        }
    }

    /// Holds one object; records what was asked and taken.
    struct One {
        id: ObjectId,
        data: Arc<Vec<u8>>,
        takes: Vec<Option<ObjectId>>,
    }

    impl Held for One {
        fn holds(&self, id: &ObjectId) -> bool {
            *id == self.id
        }
        fn take(&mut self, id: Option<&ObjectId>) -> Option<Arc<Vec<u8>>> {
            self.takes.push(id.copied());
            id.filter(|id| **id == self.id).map(|_| Arc::clone(&self.data))
        }
    }

    /// A delta (gitformat-pack) from `base` (under 128 bytes) to `base` followed by `tail`.
    fn append_delta(base: &[u8], tail: &[u8]) -> Vec<u8> {
        let mut d = vec![base.len() as u8, (base.len() + tail.len()) as u8, 0x90, base.len() as u8, tail.len() as u8];
        d.extend_from_slice(tail);
        d
    }

    #[test]
    fn read_back_starts_from_a_held_intermediate() {
        let mut store = Counting { inner: MemStore::new(), reads: Vec::new() };
        // root <- a <- b <- c, each appending one line to its base.
        let mut contents = vec![b"root\n".to_vec()];
        let mut ids = Vec::new();
        for (i, line) in [&b""[..], b"a\n", b"b\n", b"c\n"].into_iter().enumerate() {
            let data = if i == 0 { contents[0].clone() } else { [contents[i - 1].as_slice(), line].concat() };
            let id = git_core::hash_object(ObjectKind::Blob, &data).expect("test");
            let (encoding, payload) = match i {
                0 => (StoredEncoding::Full, data.clone()),
                _ => (StoredEncoding::Delta { base: ids[i - 1] }, append_delta(&contents[i - 1], line)),
            };
            let header = ObjectHeader {
                kind: ObjectKind::Blob,
                size: data.len() as u64,
                encoding,
                payload_size: payload.len() as u64,
                depth: i as u32,
            };
            let z = git_core::zlib::deflate(&payload, git_core::zlib::DEFAULT_LEVEL);
            store.object_write(&id, &header, &z).expect("test");
            if i > 0 {
                contents.push(data);
            }
            ids.push(id);
        }
        let (root, a, b, c) = (ids[0], ids[1], ids[2], ids[3]);
        let limits = ReadLimits::default();
        let mut reader = ObjectReader::default();
        let mut out = Vec::new();

        // Nothing held: the whole chain down to the root.
        assert_eq!(reader.read(&mut store, &c, &limits, &mut out).expect("test"), Some(ObjectKind::Blob));
        assert_eq!(out, b"root\na\nb\nc\n");
        assert!(store.reads.contains(&root) && store.reads.contains(&a));

        // `a` held: neither it nor the root is read, and the result is the same.
        store.reads.clear();
        let mut held = One { id: a, data: Arc::new(contents[1].clone()), takes: Vec::new() };
        let kind = reader.read_with_held(&mut store, &c, &limits, &mut held, &mut out).expect("test");
        assert_eq!(kind, Some(ObjectKind::Blob));
        assert_eq!(out, b"root\na\nb\nc\n");
        assert_eq!(store.reads, vec![c, b, b, c], "walk c, b; then apply b's and c's deltas");
        assert_eq!(held.takes, vec![Some(a)]);

        // The object itself held does not count: it is what is read back. Nothing of the chain held:
        // from the root, and `take` is still called once (the resolver empties its large slot).
        store.reads.clear();
        let mut held = One { id: c, data: Arc::new(Vec::new()), takes: Vec::new() };
        reader.read_with_held(&mut store, &c, &limits, &mut held, &mut out).expect("test");
        assert_eq!(out, b"root\na\nb\nc\n");
        assert!(store.reads.contains(&root));
        assert_eq!(held.takes, vec![None]);
    }

    /// Store `data` whole as a `kind` object; its id. Shared with upload-pack's unit tests.
    pub(crate) fn put_whole(store: &mut MemStore, kind: ObjectKind, data: &[u8]) -> ObjectId {
        let id = git_core::hash_object(kind, data).expect("test");
        let header = ObjectHeader {
            kind,
            size: data.len() as u64,
            encoding: StoredEncoding::Full,
            payload_size: data.len() as u64,
            depth: 0,
        };
        let z = git_core::zlib::deflate(data, git_core::zlib::DEFAULT_LEVEL);
        store.object_write(&id, &header, &z).expect("test");
        id
    }

    fn tag_of(target: &ObjectId, kind: &str, name: &str) -> Vec<u8> {
        alloc::format!("object {}\ntype {kind}\ntag {name}\n\nmsg\n", target).into_bytes()
    }

    #[test]
    fn peel_tags_reports_the_chain() {
        let mut store = MemStore::new();
        let blob = put_whole(&mut store, ObjectKind::Blob, b"content\n");
        let inner = put_whole(&mut store, ObjectKind::Tag, &tag_of(&blob, "blob", "inner"));
        let outer = put_whole(&mut store, ObjectKind::Tag, &tag_of(&inner, "tag", "outer"));
        let missing = git_core::hash_object(ObjectKind::Blob, b"absent\n").expect("test");
        let dangling = put_whole(&mut store, ObjectKind::Tag, &tag_of(&missing, "blob", "dangling"));
        let mut reader = ObjectReader::default();
        let limits = ReadLimits::default();
        let (mut buf, mut peeled, mut chain) = (Vec::new(), ObjectId::ZERO_SHA1, Vec::new());

        let kind = peel_tags(&mut store, &mut reader, &limits, &outer, &mut buf, &mut peeled, &mut chain);
        assert_eq!(kind.expect("test"), Some(ObjectKind::Blob));
        assert_eq!((peeled, chain.clone()), (blob, vec![outer, inner]));
        assert_eq!(peel(&mut store, &mut reader, &outer, &mut buf).expect("test"), Some(blob));

        chain.clear();
        let kind = peel_tags(&mut store, &mut reader, &limits, &blob, &mut buf, &mut peeled, &mut chain);
        assert_eq!(kind.expect("test"), Some(ObjectKind::Blob));
        assert_eq!((peeled, chain.len()), (blob, 0), "not a tag: no chain");
        assert_eq!(peel(&mut store, &mut reader, &blob, &mut buf).expect("test"), None);

        // A broken chain: not found, but the tags read on the way are reported.
        chain.clear();
        let kind = peel_tags(&mut store, &mut reader, &limits, &dangling, &mut buf, &mut peeled, &mut chain);
        assert_eq!(kind.expect("test"), None);
        assert_eq!(chain, vec![dangling]);
        assert_eq!(peel(&mut store, &mut reader, &dangling, &mut buf).expect("test"), None);
    }
}
