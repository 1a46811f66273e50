//! Reading whole objects back from a [`Store`]: inflate a stored zlib stream, or walk a stored delta
//! chain to its whole base and apply the deltas (gitformat-pack "Deltified representation"), with
//! caps on the chain length and on every size before anything is allocated.

use crate::service::ExchangeError;
use alloc::vec::Vec;
use git_core::{ObjectId, ObjectKind};
use host_abi::{Store, StoredEncoding};

/// Caps on reading objects back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadLimits {
    /// Largest object (or delta payload) inflated in memory.
    pub max_object_size: u64,
    /// Longest delta chain followed.
    pub max_delta_depth: u32,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits { max_object_size: 512 * 1024 * 1024, max_delta_depth: 10_000 }
    }
}

fn corrupt(id: ObjectId, what: &'static str) -> ExchangeError {
    ExchangeError::corrupt(id, what)
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
    /// Read `id` whole into `out` (cleared first); `Ok(None)` if the store does not have it.
    pub fn read<S: Store>(
        &mut self,
        store: &mut S,
        id: &ObjectId,
        limits: &ReadLimits,
        out: &mut Vec<u8>,
    ) -> Result<Option<ObjectKind>, ExchangeError> {
        let result = self.read_chain(store, id, limits, out);
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
        out: &mut Vec<u8>,
    ) -> Result<Option<ObjectKind>, ExchangeError> {
        out.clear();
        self.chain.clear();
        let mut cur = *id;
        let mut first = true;
        let (kind, base_size) = loop {
            let Some(h) = store.object_read(&cur, &mut self.raw)? else {
                if first {
                    return Ok(None);
                }
                return Err(corrupt(*id, "delta base missing from the store"));
            };
            first = false;
            match h.encoding {
                StoredEncoding::Full => break (h.kind, h.size),
                StoredEncoding::Delta { base } => {
                    if self.chain.len() as u64 >= u64::from(limits.max_delta_depth) {
                        return Err(corrupt(*id, "delta chain longer than the limit"));
                    }
                    self.chain.push(cur);
                    cur = base;
                }
            }
        };
        clear_for(out, base_size.saturating_add(1));
        git_core::zlib::inflate_exact_into(&self.raw, base_size, limits.max_object_size, out)
            .map_err(|_| corrupt(cur, "stored zlib stream does not inflate to its size"))?;
        while let Some(delta_id) = self.chain.pop() {
            let Some(h) = store.object_read(&delta_id, &mut self.raw)? else {
                return Err(corrupt(delta_id, "object vanished while reading"));
            };
            clear_for(&mut self.delta, h.payload_size.saturating_add(1));
            git_core::zlib::inflate_exact_into(&self.raw, h.payload_size, limits.max_object_size, &mut self.delta)
                .map_err(|_| corrupt(delta_id, "stored delta does not inflate to its size"))?;
            clear_for(&mut self.next, h.size);
            git_core::delta::apply_into(out, &self.delta, limits.max_object_size, &mut self.next)
                .map_err(|_| corrupt(delta_id, "stored delta does not apply to its base"))?;
            if self.next.len() as u64 != h.size {
                return Err(corrupt(delta_id, "delta result size differs from the stored size"));
            }
            core::mem::swap(out, &mut self.next);
        }
        Ok(Some(kind))
    }
}

/// The object a tag points at: the hex id on its first line `object <hex>` (gitformat-tag).
pub fn tag_target(data: &[u8]) -> Option<ObjectId> {
    let hex = data.strip_prefix(b"object ")?.get(..40)?;
    ObjectId::from_hex(hex).ok()
}

/// Where a chain of annotated tags ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Peeled {
    /// The first object that is not a tag.
    pub id: ObjectId,
    /// Its kind.
    pub kind: ObjectKind,
    /// Tags followed to reach it (0: `id` was not a tag).
    pub tags: u32,
}

/// Follow annotated tags from `id` to the first non-tag object (at most 32 levels, like git's
/// `peel_object` guarding against cycles); the last tag read is left in `buf`. `Ok(None)` if `id`
/// or an object of the chain is missing, or the chain is longer.
pub fn peel_tags<S: Store>(
    store: &mut S,
    reader: &mut ObjectReader,
    limits: &ReadLimits,
    id: &ObjectId,
    buf: &mut Vec<u8>,
) -> Result<Option<Peeled>, ExchangeError> {
    let mut cur = *id;
    for tags in 0..32 {
        match store.object_header(&cur)? {
            Some(h) if h.kind == ObjectKind::Tag => {}
            Some(h) => return Ok(Some(Peeled { id: cur, kind: h.kind, tags })),
            None => return Ok(None),
        }
        if reader.read(store, &cur, limits, buf)?.is_none() {
            return Ok(None);
        }
        match tag_target(buf) {
            Some(t) => cur = t,
            None => return Err(corrupt(cur, "tag without an object line")),
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
    let peeled = peel_tags(store, reader, &ReadLimits::default(), id, buf)?;
    Ok(peeled.filter(|p| p.tags > 0).map(|p| p.id))
}
