//! The `objects` and `object_chunks` tables: pack entries by id, chunked above [`CHUNK_SIZE`].

use super::{sql_err, CHUNK_SIZE};
use git_core::{ObjectId, ObjectKind};
use host_abi::{ObjectHeader, Status, StoredEncoding, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Row};

const HEADER_COLUMNS: &str = "kind, size, base, depth, payload_size, chunks";

/// Decode the header columns (in [`HEADER_COLUMNS`] order) and the chunk count.
fn header_from_row(row: &Row<'_>) -> rusqlite::Result<Result<(ObjectHeader, u32), StoreError>> {
    let kind: i64 = row.get(0)?;
    let size: i64 = row.get(1)?;
    let base: Option<Vec<u8>> = row.get(2)?;
    let depth: i64 = row.get(3)?;
    let payload_size: i64 = row.get(4)?;
    let chunks: i64 = row.get(5)?;
    Ok(decode_header(kind, size, base, depth, payload_size, chunks))
}

fn corrupt(what: &'static str) -> StoreError {
    eprintln!("artifacts: corrupt objects row: {what}");
    StoreError::Host { status: Status::Io, what }
}

fn decode_header(
    kind: i64,
    size: i64,
    base: Option<Vec<u8>>,
    depth: i64,
    payload_size: i64,
    chunks: i64,
) -> Result<(ObjectHeader, u32), StoreError> {
    let kind = u8::try_from(kind)
        .ok()
        .and_then(|k| ObjectKind::from_number(k).ok())
        .ok_or_else(|| corrupt("objects.kind is not 1..=4"))?;
    let size = u64::try_from(size).map_err(|_| corrupt("objects.size is negative"))?;
    let payload_size = u64::try_from(payload_size).map_err(|_| corrupt("objects.payload_size is negative"))?;
    let depth = u32::try_from(depth).map_err(|_| corrupt("objects.depth out of range"))?;
    let chunks = u32::try_from(chunks).map_err(|_| corrupt("objects.chunks out of range"))?;
    let encoding = match base {
        None => StoredEncoding::Full,
        Some(raw) => StoredEncoding::Delta {
            base: ObjectId::from_bytes(&raw).map_err(|_| corrupt("objects.base is not a 20-byte id"))?,
        },
    };
    Ok((ObjectHeader { kind, size, encoding, payload_size, depth }, chunks))
}

/// The header of `id`, `None` if absent.
pub fn header(conn: &Connection, id: &ObjectId) -> Result<Option<ObjectHeader>, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!("SELECT {HEADER_COLUMNS} FROM objects WHERE oid = ?1"))
        .map_err(sql_err("object_header"))?;
    let found = stmt.query_row([id.as_bytes()], header_from_row).optional().map_err(sql_err("object_header"))?;
    match found {
        None => Ok(None),
        Some(decoded) => decoded.map(|(h, _)| Some(h)),
    }
}

/// The header and stored bytes of `id` (`out` is cleared first), `None` if absent.
pub fn read(conn: &Connection, id: &ObjectId, out: &mut Vec<u8>) -> Result<Option<ObjectHeader>, StoreError> {
    out.clear();
    let mut stmt = conn
        .prepare_cached(&format!("SELECT {HEADER_COLUMNS}, data FROM objects WHERE oid = ?1"))
        .map_err(sql_err("object_read"))?;
    let found = stmt
        .query_row([id.as_bytes()], |row| {
            let decoded = header_from_row(row)?;
            if let Ok((_, 0)) = decoded {
                let data = row.get_ref(6)?.as_blob()?;
                out.extend_from_slice(data);
            }
            Ok(decoded)
        })
        .optional()
        .map_err(sql_err("object_read"))?;
    let (header, chunks) = match found {
        None => return Ok(None),
        Some(decoded) => decoded?,
    };
    if chunks > 0 {
        let mut stmt = conn
            .prepare_cached("SELECT seq, data FROM object_chunks WHERE oid = ?1 ORDER BY seq")
            .map_err(sql_err("object_read chunks"))?;
        let mut rows = stmt.query([id.as_bytes()]).map_err(sql_err("object_read chunks"))?;
        let mut expected: i64 = 0;
        while let Some(row) = rows.next().map_err(sql_err("object_read chunks"))? {
            let seq: i64 = row.get(0).map_err(sql_err("object_read chunks"))?;
            if seq != expected {
                return Err(corrupt("object_chunks has a gap"));
            }
            let data = row.get_ref(1).and_then(|v| Ok(v.as_blob()?)).map_err(sql_err("object_read chunks"))?;
            out.extend_from_slice(data);
            expected += 1;
        }
        if expected != i64::from(chunks) {
            return Err(corrupt("object_chunks has fewer rows than objects.chunks"));
        }
    }
    Ok(Some(header))
}

/// Store `id` unless it exists (writing an existing id is a no-op, as the Store contract says).
pub fn write(conn: &Connection, id: &ObjectId, header: &ObjectHeader, data: &[u8]) -> Result<(), StoreError> {
    let exists = conn
        .prepare_cached("SELECT 1 FROM objects WHERE oid = ?1")
        .and_then(|mut s| s.exists([id.as_bytes()]))
        .map_err(sql_err("object_write"))?;
    if exists {
        return Ok(());
    }
    let base = match header.encoding {
        StoredEncoding::Full => None,
        StoredEncoding::Delta { base } => Some(base),
    };
    let too_large = |_| StoreError::TooLarge { what: "object size over 2^63" };
    let size = i64::try_from(header.size).map_err(too_large)?;
    let payload_size = i64::try_from(header.payload_size).map_err(too_large)?;
    let (inline, chunks): (&[u8], Vec<&[u8]>) =
        if data.len() <= CHUNK_SIZE { (data, Vec::new()) } else { (&[], data.chunks(CHUNK_SIZE).collect()) };
    let chunk_count = i64::try_from(chunks.len()).map_err(|_| StoreError::TooLarge { what: "chunk count" })?;
    conn.prepare_cached(
        "INSERT INTO objects (oid, kind, size, base, depth, payload_size, chunks, data) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .and_then(|mut s| {
        s.execute(params![
            id.as_bytes(),
            header.kind.number(),
            size,
            base.as_ref().map(|b| b.as_bytes()),
            header.depth,
            payload_size,
            chunk_count,
            inline
        ])
    })
    .map_err(sql_err("object_write"))?;
    if !chunks.is_empty() {
        let mut stmt = conn
            .prepare_cached("INSERT INTO object_chunks (oid, seq, data) VALUES (?1, ?2, ?3)")
            .map_err(sql_err("object_write chunk"))?;
        for (seq, chunk) in (0i64..).zip(chunks) {
            stmt.execute(params![id.as_bytes(), seq, chunk]).map_err(sql_err("object_write chunk"))?;
        }
    }
    Ok(())
}

/// Remove `id` and its chunks; absent ids are not an error.
pub fn delete(conn: &Connection, id: &ObjectId) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM object_chunks WHERE oid = ?1")
        .and_then(|mut s| s.execute([id.as_bytes()]))
        .map_err(sql_err("object_delete"))?;
    conn.prepare_cached("DELETE FROM objects WHERE oid = ?1")
        .and_then(|mut s| s.execute([id.as_bytes()]))
        .map_err(sql_err("object_delete"))?;
    Ok(())
}
