//! Batching object writes into transactions: one fsync per [`MAX_OBJECTS`] objects or
//! [`MAX_BYTES`] bytes instead of one per object.

use super::sql_err;
use host_abi::StoreError;
use rusqlite::Connection;

/// Commit after this many writes in one transaction.
pub const MAX_OBJECTS: usize = 2000;
/// Commit after this many stored bytes in one transaction.
pub const MAX_BYTES: usize = 64 << 20;

/// The open write transaction of object writes, if any.
#[derive(Default, Debug)]
pub struct Batch {
    open: bool,
    writes: usize,
    bytes: usize,
}

impl Batch {
    /// Start a transaction unless one is open.
    pub fn begin(&mut self, conn: &Connection) -> Result<(), StoreError> {
        if !self.open {
            conn.execute_batch("BEGIN IMMEDIATE").map_err(sql_err("begin object batch"))?;
            self.open = true;
            self.writes = 0;
            self.bytes = 0;
        }
        Ok(())
    }

    /// Account for one write; commits when the batch is full.
    pub fn wrote(&mut self, conn: &Connection, bytes: usize) -> Result<(), StoreError> {
        self.writes += 1;
        self.bytes = self.bytes.saturating_add(bytes);
        if self.writes >= MAX_OBJECTS || self.bytes >= MAX_BYTES {
            self.commit(conn)?;
        }
        Ok(())
    }

    /// Commit the open transaction, if any.
    pub fn commit(&mut self, conn: &Connection) -> Result<(), StoreError> {
        if self.open {
            self.open = false;
            if let Err(e) = conn.execute_batch("COMMIT") {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(sql_err("commit object batch")(e));
            }
        }
        Ok(())
    }

    /// Roll back the open transaction, if any.
    pub fn rollback(&mut self, conn: &Connection) {
        if self.open {
            self.open = false;
            if let Err(e) = conn.execute_batch("ROLLBACK") {
                eprintln!("artifacts: sqlite rollback of an object batch failed: {e}");
            }
        }
    }
}
