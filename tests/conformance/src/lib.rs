//! Harness shared by the conformance tests: real git clients against a running server.
//!
//! Which server the tests talk to comes from `ARTIFACTS_SERVER`:
//! - `native` (default): `artifacts serve` from `ARTIFACTS_BIN`, or built with
//!   `cargo build -p artifacts-native-harness` and found under the target dir in use;
//! - `http-backend`: git's own `git http-backend` behind `reference/git-http-server.py` (the reference);
//! - `workers`: reserved for the Cloudflare Worker build (see [`server::Server`]).
//!
//! Each test process starts one server lazily ([`server::shared`]) and each test makes a fresh
//! repository on it, so tests run in parallel under `cargo test` and `cargo nextest` alike.

pub mod fixture;
pub mod git;
pub mod http;
pub mod pack;
pub mod server;

pub use fixture::WorkRepo;
pub use git::{assert_fsck_strict, ls_remote, mirror_and_fsck, tool_git, GitClient, Mirror};
pub use server::{fresh_repo, shared, Server};

/// Generates one `#[test]` per git CLI client for each named scenario `fn(&GitClient)`:
/// git 2.47 with protocol.version 0, 1 and 2, and git 2.39 with its defaults.
#[macro_export]
macro_rules! git_matrix {
    ($($scenario:ident),* $(,)?) => {$(
        mod $scenario {
            #[test]
            fn git247_v0() { super::$scenario(&$crate::GitClient::git247(0)) }
            #[test]
            fn git247_v1() { super::$scenario(&$crate::GitClient::git247(1)) }
            #[test]
            fn git247_v2() { super::$scenario(&$crate::GitClient::git247(2)) }
            #[test]
            fn git239() { super::$scenario(&$crate::GitClient::git239()) }
        }
    )*};
}
