//! [`WasmStore`]: the [`Store`] of the WebAssembly module, one host import per method.

use super::imports;
use super::layout::{self, HEADER_LEN};
use crate::{ObjectHeader, RefUpdate, RefValue, Status, Store, StoreError};
use alloc::string::String;
use alloc::vec::Vec;
use git_core::ObjectId;

/// The repository storage of the host that instantiated this module (a Durable Object's SQLite).
/// Holds no state of its own: every call goes straight to the host.
#[derive(Debug, Default, Clone, Copy)]
pub struct WasmStore;

/// A non-`Ok` status as an error, `what` naming the call. Out of line: one copy for the seven calls.
#[cold]
#[inline(never)]
fn fail(status: Status, what: &'static str) -> StoreError {
    match status {
        Status::TooLarge => StoreError::TooLarge { what },
        Status::Invalid => StoreError::Invalid { what },
        status => StoreError::Host { status, what },
    }
}

#[cold]
#[inline(never)]
fn bad_layout(what: &'static str) -> StoreError {
    StoreError::Host { status: Status::Io, what }
}

// The names of the calls, each the first word of the name of its result: one copy of the bytes
// for both texts (statics, so that every use is the same bytes).
static OBJECT_HEADER_RESULT: &str = "object_header result";
static OBJECT_HEADER: &str = call(OBJECT_HEADER_RESULT);
static OBJECT_READ_RESULT: &str = "object_read result";
static OBJECT_READ: &str = call(OBJECT_READ_RESULT);
static REFS_LIST_RESULT: &str = "refs_list result";
static REFS_LIST: &str = call(REFS_LIST_RESULT);
static REF_READ_RESULT: &str = "ref_read result";
static REF_READ: &str = call(REF_READ_RESULT);

/// `result` without its ` result`.
const fn call(result: &'static str) -> &'static str {
    match result.as_bytes().split_last_chunk::<7>() {
        Some((name, b" result")) => match core::str::from_utf8(name) {
            Ok(name) => name,
            Err(_) => result,
        },
        _ => result,
    }
}

/// The answer of a call that returns an object's header (`what` names the call, `bad` its
/// result): one copy for `object_header` and `object_read`.
fn header_answer(
    status: Status,
    h: &[u8; HEADER_LEN],
    what: &'static str,
    bad: &'static str,
) -> Result<Option<ObjectHeader>, StoreError> {
    match status {
        Status::Ok => layout::decode_header(h).map(Some).ok_or_else(|| bad_layout(bad)),
        Status::NotFound => Ok(None),
        s => Err(fail(s, what)),
    }
}

impl Store for WasmStore {
    fn object_header(&mut self, id: &ObjectId) -> Result<Option<ObjectHeader>, StoreError> {
        let mut h = [0u8; HEADER_LEN];
        header_answer(imports::object_header(id, &mut h), &h, OBJECT_HEADER, OBJECT_HEADER_RESULT)
    }

    fn object_read(&mut self, id: &ObjectId, out: &mut Vec<u8>) -> Result<Option<ObjectHeader>, StoreError> {
        let mut h = [0u8; HEADER_LEN];
        let status = imports::object_read(id, &mut h, out);
        if status == Status::NotFound {
            out.clear();
        }
        header_answer(status, &h, OBJECT_READ, OBJECT_READ_RESULT)
    }

    // Inlined into its one caller in the module: the answer is not returned through memory.
    #[inline]
    fn object_write(&mut self, id: &ObjectId, header: &ObjectHeader, data: &[u8]) -> Result<(), StoreError> {
        match imports::object_write(id, &layout::encode_header(header), data) {
            Status::Ok => Ok(()),
            s => Err(fail(s, "object_write")),
        }
    }

    // Inlined into its one caller in the module: the answer is not returned through memory.
    #[inline]
    fn object_delete(&mut self, id: &ObjectId) -> Result<(), StoreError> {
        match imports::object_delete(id) {
            Status::Ok | Status::NotFound => Ok(()),
            s => Err(fail(s, "object_delete")),
        }
    }

    fn refs_list(&mut self, prefix: &str, out: &mut Vec<(String, RefValue)>) -> Result<(), StoreError> {
        let mut buf = Vec::new();
        match imports::refs_list(prefix, &mut buf) {
            Status::Ok => layout::decode_ref_list(&buf, out).ok_or_else(|| bad_layout(REFS_LIST_RESULT)),
            s => Err(fail(s, REFS_LIST)),
        }
    }

    fn ref_read(&mut self, name: &str) -> Result<Option<RefValue>, StoreError> {
        let mut buf = Vec::new();
        match imports::ref_read(name, &mut buf) {
            Status::Ok => layout::decode_ref_value(&buf).map(Some).ok_or_else(|| bad_layout(REF_READ_RESULT)),
            Status::NotFound => Ok(None),
            s => Err(fail(s, REF_READ)),
        }
    }

    // Inlined into its one caller in the module: the answer is not returned through memory.
    #[inline]
    fn refs_update(&mut self, updates: &[RefUpdate]) -> Result<(), StoreError> {
        let mut batch = Vec::new();
        layout::encode_updates(updates, &mut batch);
        let mut index = 0u32;
        match imports::refs_update(&batch, &mut index) {
            Status::Ok => Ok(()),
            Status::Conflict => Err(StoreError::Conflict { index: index as usize }),
            s => Err(fail(s, "refs_update")),
        }
    }
}
