//! The `u32` results of the module's exports (documented in the host-abi README).
//!
//! `session_poll` answers [`DONE`] or [`MORE`]; the other session exports and `advertise` answer
//! [`OK`]. Any other value is an error, announced first by a `log` import call carrying the message.

use protocol::ExchangeError;

/// Success (`session_input`, `session_input_end`, `advertise`, `repo_check_branch`).
pub const OK: u32 = 0;
/// `session_poll`: the response is complete.
pub const DONE: u32 = 0;
/// `session_poll`: more output follows; call again.
pub const MORE: u32 = 1;
/// A bad argument: unknown handle, service or version, malformed name (HTTP 400 / 404).
pub const INVALID: u32 = 2;
/// The request is over a limit (HTTP 413).
pub const TOO_LARGE: u32 = 3;
/// A host storage call failed (HTTP 500).
pub const STORAGE: u32 = 4;
/// A stored object is unreadable (HTTP 500).
pub const CORRUPT: u32 = 5;
/// The host called the exports out of order, e.g. input after the end (HTTP 500).
pub const MISUSE: u32 = 6;
/// The module ran out of memory (HTTP 503).
pub const OUT_OF_MEMORY: u32 = 7;

/// The code of an engine error.
pub fn of_error(e: &ExchangeError) -> u32 {
    match e {
        ExchangeError::RequestTooLarge { .. } => TOO_LARGE,
        ExchangeError::Store(_) => STORAGE,
        ExchangeError::Corrupt { .. } => CORRUPT,
        ExchangeError::Misuse(_) => MISUSE,
        _ => STORAGE,
    }
}
