//! Errors opening or creating a repository database.

use std::path::PathBuf;

/// Opening or creating a repository's SQLite file failed.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("repository database {path} does not exist")]
    Missing { path: PathBuf },
    #[error("repository database {path} already exists")]
    Exists { path: PathBuf },
    #[error("repository database {path}: schema version {got}, this build reads version {expected}")]
    Version { path: PathBuf, got: i64, expected: i64 },
    #[error("repository database {path}: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
}
