//! The `refs` table: direct and symbolic refs, updated all-or-nothing with compare-and-swap.

use super::sql_err;
use git_core::ObjectId;
use host_abi::{RefUpdate, RefValue, Status, StoreError};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

fn decode(oid: Option<Vec<u8>>, symref: Option<String>) -> Result<RefValue, StoreError> {
    match (oid, symref) {
        (Some(raw), None) => ObjectId::from_bytes(&raw)
            .map(RefValue::Direct)
            .map_err(|_| StoreError::Host { status: Status::Io, what: "refs.oid is not a 20-byte id" }),
        (None, Some(target)) => Ok(RefValue::Symbolic(target)),
        _ => Err(StoreError::Host { status: Status::Io, what: "refs row has both or neither of oid and symref" }),
    }
}

/// Every ref whose name starts with `prefix`, in byte order of name.
pub fn list(conn: &Connection, prefix: &str, out: &mut Vec<(String, RefValue)>) -> Result<(), StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT name, oid, symref FROM refs WHERE name >= ?1 ORDER BY name")
        .map_err(sql_err("refs_list"))?;
    let mut rows = stmt.query([prefix]).map_err(sql_err("refs_list"))?;
    while let Some(row) = rows.next().map_err(sql_err("refs_list"))? {
        let name: String = row.get(0).map_err(sql_err("refs_list"))?;
        if !name.starts_with(prefix) {
            break;
        }
        let value = decode(row.get(1).map_err(sql_err("refs_list"))?, row.get(2).map_err(sql_err("refs_list"))?)?;
        out.push((name, value));
    }
    Ok(())
}

/// One ref's value, `None` if absent.
pub fn read(conn: &Connection, name: &str) -> Result<Option<RefValue>, StoreError> {
    let row = conn
        .prepare_cached("SELECT oid, symref FROM refs WHERE name = ?1")
        .and_then(|mut s| {
            s.query_row([name], |r| Ok((r.get::<_, Option<Vec<u8>>>(0)?, r.get::<_, Option<String>>(1)?)))
                .optional()
        })
        .map_err(sql_err("ref_read"))?;
    row.map(|(oid, symref)| decode(oid, symref)).transpose()
}

/// Apply all updates in one `BEGIN IMMEDIATE` transaction, or none: each ref must still have its
/// `old` value (a symbolic ref never matches), else `Conflict { index }` of the first mismatch.
pub fn update(conn: &mut Connection, updates: &[RefUpdate]) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sql_err("refs_update begin"))?;
    for (index, u) in updates.iter().enumerate() {
        let current = match read(&tx, &u.name)? {
            Some(RefValue::Direct(id)) => Some(id),
            Some(RefValue::Symbolic(_)) => return Err(StoreError::Conflict { index }),
            None => None,
        };
        if current != u.old {
            return Err(StoreError::Conflict { index });
        }
        match u.new {
            Some(id) => tx
                .prepare_cached("INSERT OR REPLACE INTO refs (name, oid, symref) VALUES (?1, ?2, NULL)")
                .and_then(|mut s| s.execute(params![u.name, id.as_bytes()])),
            None => tx.prepare_cached("DELETE FROM refs WHERE name = ?1").and_then(|mut s| s.execute([&u.name])),
        }
        .map_err(sql_err("refs_update"))?;
    }
    // Dropping `tx` on an early return rolls back: nothing moved.
    tx.commit().map_err(sql_err("refs_update commit"))
}

/// Point `name` at another ref (admin use: `HEAD`).
pub fn set_symbolic(conn: &Connection, name: &str, target: &str) -> Result<(), StoreError> {
    conn.execute("INSERT OR REPLACE INTO refs (name, oid, symref) VALUES (?1, NULL, ?2)", [name, target])
        .map(|_| ())
        .map_err(sql_err("set symbolic ref"))
}
