//! Fixed binary layouts of the storage imports (all integers little-endian). The host writes and
//! reads exactly these bytes; see the crate README for the tables.
//!
//! - Object header: [`HEADER_LEN`] bytes, [`encode_header`] / [`decode_header`].
//! - Ref value (`ref_read` result): tag byte then the value, [`encode_ref_value`] / [`decode_ref_value`].
//! - Ref list (`refs_list` result): records until the end of the buffer, [`encode_ref_list`] /
//!   [`decode_ref_list`].
//! - Update batch (`refs_update` argument): a count then records, [`encode_updates`] /
//!   [`decode_updates`].

use crate::{ObjectHeader, RefUpdate, RefValue, StoredEncoding};
use alloc::string::String;
use alloc::vec::Vec;
use git_core::{ObjectId, ObjectKind};

/// Bytes of an encoded object header.
pub const HEADER_LEN: usize = 56;
/// Tag byte of a direct ref value (followed by the raw object id).
pub const REF_DIRECT: u8 = 0;
/// Tag byte of a symbolic ref value (followed by the UTF-8 target ref name).
pub const REF_SYMBOLIC: u8 = 1;
/// Longest raw object id a layout carries (room for SHA-256).
pub const MAX_OID_LEN: usize = 32;

/// Bytes that do not decode as the layout says.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LayoutError {
    /// Which layout and field.
    pub what: &'static str,
}

impl git_core::msg::Describe for LayoutError {
    fn describe(&self, m: &mut git_core::msg::Msg<'_>) {
        m.s("malformed ").s(self.what).s(" in the host ABI layout");
    }
}
git_core::display_via_describe!(LayoutError);

fn err(what: &'static str) -> LayoutError {
    LayoutError { what }
}

/// Encode a header: `0` kind (pack type 1..=4), `1` encoding (0 full, 1 delta), `2` base id length
/// (0 or 20), `3` reserved 0, `4..8` depth u32, `8..16` size u64, `16..24` payload_size u64,
/// `24..56` base id (its first `base_len` bytes, zero-padded). Inlined into its caller: the
/// bytes are written where they are passed from, not returned and copied.
#[inline]
pub fn encode_header(h: &ObjectHeader) -> [u8; HEADER_LEN] {
    let mut out = [0u8; HEADER_LEN];
    out[0] = h.kind.number();
    if let StoredEncoding::Delta { base } = &h.encoding {
        let raw = base.as_bytes();
        out[1] = 1;
        out[2] = raw.len() as u8;
        // `get_mut`, not indexing: no panic path (an id is at most `MAX_OID_LEN` bytes).
        if let Some(dst) = out.get_mut(24..24 + raw.len()) {
            dst.copy_from_slice(raw);
        }
    }
    out[4..8].copy_from_slice(&h.depth.to_le_bytes());
    out[8..16].copy_from_slice(&h.size.to_le_bytes());
    out[16..24].copy_from_slice(&h.payload_size.to_le_bytes());
    out
}

/// Decode a header written by the host (layout of [`encode_header`]); `None` if it breaks the
/// layout. The decoders the module runs answer `None` rather than a [`LayoutError`]: their caller
/// ([`super::WasmStore`]) reports which import's result was malformed, and no field-level detail
/// is worth its code there. Inlined into that caller, the header is built where its answer
/// goes, not built and then copied.
#[inline]
pub fn decode_header(b: &[u8; HEADER_LEN]) -> Option<ObjectHeader> {
    let kind = ObjectKind::from_number(b[0]).ok()?;
    let encoding = match b[1] {
        0 => StoredEncoding::Full,
        1 => {
            let len = b[2] as usize;
            if len > MAX_OID_LEN {
                return None;
            }
            StoredEncoding::Delta { base: ObjectId::from_bytes(&b[24..24 + len]).ok()? }
        }
        _ => return None,
    };
    Some(ObjectHeader {
        kind,
        encoding,
        // Whole arrays (`first_chunk`), each read as one load.
        depth: u32::from_le_bytes(*b[4..].first_chunk()?),
        size: u64::from_le_bytes(*b[8..].first_chunk()?),
        payload_size: u64::from_le_bytes(*b[16..].first_chunk()?),
    })
}

/// Append a ref value: tag byte, then the raw id or the target name (to the end of the value).
pub fn encode_ref_value(v: &RefValue, out: &mut Vec<u8>) {
    match v {
        RefValue::Direct(id) => {
            out.push(REF_DIRECT);
            out.extend_from_slice(id.as_bytes());
        }
        RefValue::Symbolic(target) => {
            out.push(REF_SYMBOLIC);
            out.extend_from_slice(target.as_bytes());
        }
    }
}

/// Decode a whole buffer as one ref value; `None` if it breaks the layout.
pub fn decode_ref_value(b: &[u8]) -> Option<RefValue> {
    let (tag, rest) = b.split_first()?;
    match *tag {
        REF_DIRECT => Some(RefValue::Direct(ObjectId::from_bytes(rest).ok()?)),
        REF_SYMBOLIC => Some(RefValue::Symbolic(utf8(rest)?)),
        _ => None,
    }
}

fn utf8(b: &[u8]) -> Option<String> {
    core::str::from_utf8(b).ok().map(String::from)
}

/// A cursor over a layout buffer.
struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], LayoutError> {
        if self.buf.len() < n {
            return Err(err(what));
        }
        let (head, tail) = self.buf.split_at(n);
        self.buf = tail;
        Ok(head)
    }
    fn u8(&mut self, what: &'static str) -> Result<u8, LayoutError> {
        Ok(self.take(1, what)?[0])
    }
    fn u32(&mut self, what: &'static str) -> Result<usize, LayoutError> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }
}

fn push_u32(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&(n as u32).to_le_bytes());
}

/// Append one ref list record: `name_len u32`, name, `value_len u32`, value (a ref value as in
/// [`encode_ref_value`]). A list is records back to back until the end of the buffer.
pub fn encode_ref_list(refs: &[(String, RefValue)], out: &mut Vec<u8>) {
    let mut value = Vec::new();
    for (name, v) in refs {
        push_u32(out, name.len());
        out.extend_from_slice(name.as_bytes());
        value.clear();
        encode_ref_value(v, &mut value);
        push_u32(out, value.len());
        out.extend_from_slice(&value);
    }
}

/// Decode a ref list, appending to `out`; `None` if it breaks the layout. Inlined into its one
/// caller in the module (`WasmStore::refs_list`).
#[inline]
pub fn decode_ref_list(b: &[u8], out: &mut Vec<(String, RefValue)>) -> Option<()> {
    let mut r = Reader { buf: b };
    while !r.buf.is_empty() {
        let n = r.u32("ref list name length").ok()?;
        let name = utf8(r.take(n, "ref list name").ok()?)?;
        let n = r.u32("ref list value length").ok()?;
        let value = decode_ref_value(r.take(n, "ref list value").ok()?)?;
        out.push((name, value));
    }
    Some(())
}

/// Encode an update batch: `count u32`, then per update `name_len u32`, name, `old_len u8` (0: the
/// ref must not exist), old id, `new_len u8` (0: delete the ref), new id.
pub fn encode_updates(updates: &[RefUpdate], out: &mut Vec<u8>) {
    push_u32(out, updates.len());
    for u in updates {
        push_u32(out, u.name.len());
        out.extend_from_slice(u.name.as_bytes());
        push_id(out, &u.old);
        push_id(out, &u.new);
    }
}

/// `len u8` then the raw id; `0` alone for none. A function called twice, not a loop over an
/// array of the two: no array-iterator code in the Wasm module.
fn push_id(out: &mut Vec<u8>, id: &Option<ObjectId>) {
    let raw = id.as_ref().map_or(&[][..], ObjectId::as_bytes);
    out.push(raw.len() as u8);
    out.extend_from_slice(raw);
}

/// Decode an update batch (what a host written in Rust would do with `refs_update`'s argument).
pub fn decode_updates(b: &[u8]) -> Result<Vec<RefUpdate>, LayoutError> {
    let mut r = Reader { buf: b };
    let count = r.u32("update count")?;
    let mut out = Vec::new();
    for _ in 0..count {
        let n = r.u32("update name length")?;
        let name = utf8(r.take(n, "update name")?).ok_or(err("update name"))?;
        let mut ids = [None, None];
        for id in ids.iter_mut() {
            let n = r.u8("update id length")? as usize;
            if n > 0 {
                *id = Some(ObjectId::from_bytes(r.take(n, "update id")?).map_err(|_| err("update id"))?);
            }
        }
        out.push(RefUpdate { name, old: ids[0], new: ids[1] });
    }
    if !r.buf.is_empty() {
        return Err(err("update batch trailing bytes"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn id(n: u8) -> ObjectId {
        ObjectId::Sha1([n; 20])
    }

    #[test]
    fn header_round_trip() {
        for h in [
            ObjectHeader { kind: ObjectKind::Blob, size: 1 << 40, encoding: StoredEncoding::Full, payload_size: 7, depth: 0 },
            ObjectHeader {
                kind: ObjectKind::Tree,
                size: 3,
                encoding: StoredEncoding::Delta { base: id(9) },
                payload_size: 12,
                depth: 4,
            },
        ] {
            let b = encode_header(&h);
            assert_eq!(decode_header(&b), Some(h));
        }
        let mut bad = encode_header(&ObjectHeader {
            kind: ObjectKind::Tag,
            size: 0,
            encoding: StoredEncoding::Full,
            payload_size: 0,
            depth: 0,
        });
        assert_eq!(bad[..4], [4, 0, 0, 0]);
        bad[0] = 7;
        assert!(decode_header(&bad).is_none());
        bad[0] = 4;
        bad[1] = 1;
        bad[2] = 33;
        assert!(decode_header(&bad).is_none(), "base id longer than any object id");
        bad[1] = 2;
        assert!(decode_header(&bad).is_none(), "unknown encoding");
    }

    #[test]
    fn refs_round_trip() {
        let refs = vec![
            (String::from("HEAD"), RefValue::Symbolic(String::from("refs/heads/main"))),
            (String::from("refs/heads/main"), RefValue::Direct(id(1))),
        ];
        let mut b = Vec::new();
        encode_ref_list(&refs, &mut b);
        let mut back = Vec::new();
        assert_eq!(decode_ref_list(&b, &mut back), Some(()));
        assert_eq!(back, refs);
        assert!(decode_ref_list(&b[..b.len() - 1], &mut back).is_none());
        assert_eq!(decode_ref_value(&[REF_DIRECT]), None);
        assert_eq!(decode_ref_value(&[REF_SYMBOLIC, 0xff]), None, "not UTF-8");
        assert_eq!(decode_ref_value(&[]), None);
    }

    #[test]
    fn updates_round_trip() {
        let ups = vec![
            RefUpdate { name: String::from("refs/heads/a"), old: None, new: Some(id(2)) },
            RefUpdate { name: String::from("refs/tags/b"), old: Some(id(3)), new: None },
        ];
        let mut b = Vec::new();
        encode_updates(&ups, &mut b);
        assert_eq!(b[..4], [2, 0, 0, 0]);
        // The first record byte by byte: name length, name, no old id, a 20-byte new id.
        let mut first = vec![12, 0, 0, 0];
        first.extend_from_slice(b"refs/heads/a");
        first.push(0);
        first.push(20);
        first.extend_from_slice(id(2).as_bytes());
        assert_eq!(b[4..4 + first.len()], first[..]);
        assert_eq!(decode_updates(&b), Ok(ups));
    }
}
