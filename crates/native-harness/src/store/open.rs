//! Opening and creating repository databases.

use super::{batch::Batch, OpenError, SqliteStore};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::time::Duration;

/// The shared schema (also used by the Durable Object host).
pub const SCHEMA_SQL: &str = include_str!("../schema.sql");

/// `PRAGMA user_version` of databases this build writes.
const SCHEMA_VERSION: i64 = 1;

/// How long a writer waits for another writer of the same repository (a concurrent push).
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

impl SqliteStore {
    /// Open an existing repository database.
    pub fn open(path: &Path) -> Result<Self, OpenError> {
        if !path.is_file() {
            return Err(OpenError::Missing { path: path.to_path_buf() });
        }
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|source| OpenError::Sqlite { path: path.to_path_buf(), source })?;
        let store = Self::configure(conn, path)?;
        let got: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|source| OpenError::Sqlite { path: path.to_path_buf(), source })?;
        if got != SCHEMA_VERSION {
            return Err(OpenError::Version { path: path.to_path_buf(), got, expected: SCHEMA_VERSION });
        }
        Ok(store)
    }

    /// Open a repository database, creating it (schema and `HEAD -> refs/heads/<default_branch>`) if
    /// it does not exist. Concurrent callers are safe: creation runs in one immediate transaction.
    pub fn open_or_create(path: &Path, default_branch: &str) -> Result<Self, OpenError> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|source| OpenError::Sqlite { path: path.to_path_buf(), source })?;
        let mut store = Self::configure(conn, path)?;
        let sql = |source| OpenError::Sqlite { path: path.to_path_buf(), source };
        let tx = store.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(sql)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(sql)?;
        if version == 0 {
            tx.execute_batch(SCHEMA_SQL).map_err(sql)?;
            tx.execute(
                "INSERT OR IGNORE INTO refs (name, oid, symref) VALUES ('HEAD', NULL, ?1)",
                [format!("refs/heads/{default_branch}")],
            )
            .map_err(sql)?;
            tx.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}")).map_err(sql)?;
        } else if version != SCHEMA_VERSION {
            return Err(OpenError::Version { path: path.to_path_buf(), got: version, expected: SCHEMA_VERSION });
        }
        tx.commit().map_err(sql)?;
        Ok(store)
    }

    /// Create a new repository database; fails if one exists.
    pub fn create(path: &Path, default_branch: &str) -> Result<Self, OpenError> {
        if path.exists() {
            return Err(OpenError::Exists { path: path.to_path_buf() });
        }
        Self::open_or_create(path, default_branch)
    }

    fn configure(conn: Connection, path: &Path) -> Result<Self, OpenError> {
        let sql = |source| OpenError::Sqlite { path: path.to_path_buf(), source };
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        // WAL: readers (fetches) never block the writer (a push) and see the last committed state.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(sql)?;
        if !mode.eq_ignore_ascii_case("wal") {
            eprintln!("artifacts: {}: journal_mode is {mode}, not wal", path.display());
        }
        // FULL: a commit is durable when it returns, also across power loss (see the module docs).
        conn.pragma_update(None, "synchronous", "FULL").map_err(sql)?;
        Ok(SqliteStore { conn, batch: Batch::default() })
    }
}
