//! The artifacts native server: the `artifacts` CLI, repositories as SQLite files, and the
//! smart-HTTP server driving the protocol state machines.
#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used)]

pub mod cli;
pub mod exchanges;
pub mod http;
pub mod repo_name;
pub mod repos;
pub mod store;

pub use repo_name::RepoName;
pub use repos::Repos;
pub use store::SqliteStore;
