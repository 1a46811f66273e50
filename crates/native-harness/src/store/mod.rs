//! [`SqliteStore`]: the host-abi [`Store`](host_abi::Store) on one SQLite file per repository, with
//! the schema in `schema.sql` that the Durable Object host shares.
//!
//! Durability: WAL journal with `synchronous=FULL`, so every committed transaction is on disk before
//! `COMMIT` returns, and a crash (process or power) leaves the database at the last commit. Object
//! writes are batched into transactions (see [`batch`]) so a push costs a few fsyncs, not one per
//! object; the batch is committed before any ref moves, so a ref never names an uncommitted object.
//! An interrupted push leaves refs untouched: uncommitted objects roll back, committed ones are
//! unreferenced.

mod batch;
mod error;
mod objects;
mod open;
mod refs;

pub use error::OpenError;
pub use open::SCHEMA_SQL;

use host_abi::{ObjectHeader, RefUpdate, RefValue, Store, StoreError};
use git_core::ObjectId;
use rusqlite::Connection;

/// Values at most this long are stored inline in `objects.data`; longer ones are split into
/// `object_chunks` rows of this many bytes (the Durable Object limit is 2 MB per row).
pub const CHUNK_SIZE: usize = 1_900_000;

/// One repository's SQLite database.
pub struct SqliteStore {
    conn: Connection,
    batch: batch::Batch,
}

impl SqliteStore {
    /// Commit the pending batch of object writes and deletions, if any.
    pub fn flush(&mut self) -> Result<(), StoreError> {
        self.batch.commit(&self.conn)
    }

    /// Point `name` at another ref (admin use: `HEAD -> refs/heads/<branch>`).
    pub fn set_symbolic_ref(&mut self, name: &str, target: &str) -> Result<(), StoreError> {
        self.batch.commit(&self.conn)?;
        refs::set_symbolic(&self.conn, name, target)
    }
}

impl Drop for SqliteStore {
    /// Uncommitted object writes are rolled back: the driver calls [`SqliteStore::flush`] when a
    /// request completed; an abandoned request leaves no trace beyond earlier committed batches.
    fn drop(&mut self) {
        self.batch.rollback(&self.conn);
    }
}

impl Store for SqliteStore {
    fn object_header(&mut self, id: &ObjectId) -> Result<Option<ObjectHeader>, StoreError> {
        objects::header(&self.conn, id)
    }

    fn object_read(&mut self, id: &ObjectId, out: &mut Vec<u8>) -> Result<Option<ObjectHeader>, StoreError> {
        objects::read(&self.conn, id, out)
    }

    fn object_write(&mut self, id: &ObjectId, header: &ObjectHeader, data: &[u8]) -> Result<(), StoreError> {
        self.batch.begin(&self.conn)?;
        objects::write(&self.conn, id, header, data)?;
        self.batch.wrote(&self.conn, data.len())
    }

    fn object_delete(&mut self, id: &ObjectId) -> Result<(), StoreError> {
        self.batch.begin(&self.conn)?;
        objects::delete(&self.conn, id)?;
        self.batch.wrote(&self.conn, 0)
    }

    fn refs_list(&mut self, prefix: &str, out: &mut Vec<(String, RefValue)>) -> Result<(), StoreError> {
        refs::list(&self.conn, prefix, out)
    }

    fn ref_read(&mut self, name: &str) -> Result<Option<RefValue>, StoreError> {
        refs::read(&self.conn, name)
    }

    fn refs_update(&mut self, updates: &[RefUpdate]) -> Result<(), StoreError> {
        self.batch.commit(&self.conn)?;
        refs::update(&mut self.conn, updates)
    }
}

/// Map a SQLite failure to the ABI's error, logging the details (the ABI error carries a static text).
pub(crate) fn sql_err(what: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |e| {
        eprintln!("artifacts: sqlite error during {what}: {e}");
        StoreError::Host { status: host_abi::Status::Io, what }
    }
}

#[cfg(test)]
mod tests;
