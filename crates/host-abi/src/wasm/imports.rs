//! The host imports of module `artifacts_host_v1`, each declared beside its safe wrapper.
//!
//! Conventions (see the crate README): pointers and lengths are `i32` offsets into the module's
//! own linear memory; every buffer an import reads or writes is owned by the module and valid only
//! during the call; every import returns a [`Status`] code except `emit` and `log`. Results of
//! variable length are written into a module buffer `(ptr, cap)` with the length stored at
//! `len_out`; when they do not fit, the host stores the needed length and returns
//! `BufferTooSmall`, and the wrapper grows the buffer and calls again.

use super::layout::HEADER_LEN;
use crate::Status;
use alloc::vec::Vec;
use git_core::ObjectId;

/// Calls `f(ptr, cap, len_out)` into `out`'s spare capacity, growing `out` and retrying while the
/// host answers `BufferTooSmall`. On `Ok`, `out` holds exactly the result.
// `dyn`, not generic: one copy of the retry loop for the three imports with variable-length results.
fn call_growing(out: &mut Vec<u8>, f: &mut dyn FnMut(*mut u8, usize, *mut u32) -> u32) -> Status {
    out.clear();
    loop {
        let mut len: u32 = 0;
        let status = Status::from_u32(f(out.as_mut_ptr(), out.capacity(), &mut len));
        let len = len as usize;
        match status {
            Status::Ok if len <= out.capacity() => {
                // SAFETY: the host wrote `len` initialised bytes into the first `len` bytes of the
                // spare capacity (it never writes past `cap`), and `len <= capacity`.
                unsafe { out.set_len(len) };
                return Status::Ok;
            }
            // A host that reports a fit it cannot have written is broken.
            Status::Ok => return Status::Io,
            Status::BufferTooSmall if len > out.capacity() => {
                // The old allocation goes first: growing in place would hold both at once.
                *out = Vec::new();
                if out.try_reserve_exact(len).is_err() {
                    return Status::TooLarge;
                }
            }
            // Asked to retry with a buffer that already fits: refuse to loop.
            Status::BufferTooSmall => return Status::Io,
            other => return other,
        }
    }
}

#[link(wasm_import_module = "artifacts_host_v1")]
extern "C" {
    /// `object_header(oid_ptr, oid_len, header_out) -> status`: writes [`HEADER_LEN`] bytes.
    #[link_name = "object_header"]
    fn host_object_header(oid_ptr: *const u8, oid_len: usize, header_out: *mut u8) -> u32;
}

/// Import `object_header`: the object's header into `header`; `NotFound` if absent.
pub fn object_header(id: &ObjectId, header: &mut [u8; HEADER_LEN]) -> Status {
    let oid = id.as_bytes();
    // SAFETY: both pointers are valid for their lengths for the duration of the call.
    Status::from_u32(unsafe { host_object_header(oid.as_ptr(), oid.len(), header.as_mut_ptr()) })
}

#[link(wasm_import_module = "artifacts_host_v1")]
extern "C" {
    /// `object_read(oid_ptr, oid_len, header_out, buf_ptr, buf_cap, len_out) -> status`.
    #[link_name = "object_read"]
    fn host_object_read(
        oid_ptr: *const u8,
        oid_len: usize,
        header_out: *mut u8,
        buf_ptr: *mut u8,
        buf_cap: usize,
        len_out: *mut u32,
    ) -> u32;
}

/// Import `object_read`: header into `header`, stored zlib bytes into `out` (replacing its
/// contents); `NotFound` if absent.
pub fn object_read(id: &ObjectId, header: &mut [u8; HEADER_LEN], out: &mut Vec<u8>) -> Status {
    let oid = id.as_bytes();
    let hdr = header.as_mut_ptr();
    call_growing(out, &mut |ptr, cap, len_out| {
        // SAFETY: `oid`, `hdr` (HEADER_LEN bytes) and `ptr` (cap bytes of spare capacity) are
        // valid for writes/reads during the call; `len_out` points at a live u32.
        unsafe { host_object_read(oid.as_ptr(), oid.len(), hdr, ptr, cap, len_out) }
    })
}

#[link(wasm_import_module = "artifacts_host_v1")]
extern "C" {
    /// `object_write(oid_ptr, oid_len, header_ptr, data_ptr, data_len) -> status`.
    #[link_name = "object_write"]
    fn host_object_write(
        oid_ptr: *const u8,
        oid_len: usize,
        header_ptr: *const u8,
        data_ptr: *const u8,
        data_len: usize,
    ) -> u32;
}

/// Import `object_write`: store an object (a no-op if the id exists).
pub fn object_write(id: &ObjectId, header: &[u8; HEADER_LEN], data: &[u8]) -> Status {
    let oid = id.as_bytes();
    // SAFETY: all pointers are valid for reads of their lengths during the call.
    Status::from_u32(unsafe {
        host_object_write(oid.as_ptr(), oid.len(), header.as_ptr(), data.as_ptr(), data.len())
    })
}

#[link(wasm_import_module = "artifacts_host_v1")]
extern "C" {
    /// `object_delete(oid_ptr, oid_len) -> status`.
    #[link_name = "object_delete"]
    fn host_object_delete(oid_ptr: *const u8, oid_len: usize) -> u32;
}

/// Import `object_delete`: drop an object; absent ids are not an error.
pub fn object_delete(id: &ObjectId) -> Status {
    let oid = id.as_bytes();
    // SAFETY: `oid` is valid for reads during the call.
    Status::from_u32(unsafe { host_object_delete(oid.as_ptr(), oid.len()) })
}

#[link(wasm_import_module = "artifacts_host_v1")]
extern "C" {
    /// `refs_list(prefix_ptr, prefix_len, buf_ptr, buf_cap, len_out) -> status`.
    #[link_name = "refs_list"]
    fn host_refs_list(prefix_ptr: *const u8, prefix_len: usize, buf_ptr: *mut u8, buf_cap: usize, len_out: *mut u32)
        -> u32;
}

/// An import of the shape `(name_ptr, name_len, buf_ptr, buf_cap, len_out) -> status`.
type NamedImport = unsafe extern "C" fn(*const u8, usize, *mut u8, usize, *mut u32) -> u32;

/// Call `import` with `name` into `out`: one closure for `refs_list` and `ref_read`, which share
/// that shape.
fn call_named(import: NamedImport, name: &str, out: &mut Vec<u8>) -> Status {
    call_growing(out, &mut |ptr, cap, len_out| {
        // SAFETY: `import` is one of the host imports of this shape; `name` is valid for reads,
        // `ptr` for `cap` bytes of writes, `len_out` is live.
        unsafe { import(name.as_ptr(), name.len(), ptr, cap, len_out) }
    })
}

/// Import `refs_list`: the refs starting with `prefix`, as a ref list layout, into `out`.
pub fn refs_list(prefix: &str, out: &mut Vec<u8>) -> Status {
    call_named(host_refs_list, prefix, out)
}

#[link(wasm_import_module = "artifacts_host_v1")]
extern "C" {
    /// `ref_read(name_ptr, name_len, buf_ptr, buf_cap, len_out) -> status`.
    #[link_name = "ref_read"]
    fn host_ref_read(name_ptr: *const u8, name_len: usize, buf_ptr: *mut u8, buf_cap: usize, len_out: *mut u32)
        -> u32;
}

/// Import `ref_read`: one ref's value (ref value layout) into `out`; `NotFound` if absent.
pub fn ref_read(name: &str, out: &mut Vec<u8>) -> Status {
    call_named(host_ref_read, name, out)
}

#[link(wasm_import_module = "artifacts_host_v1")]
extern "C" {
    /// `refs_update(batch_ptr, batch_len, index_out) -> status`.
    #[link_name = "refs_update"]
    fn host_refs_update(batch_ptr: *const u8, batch_len: usize, index_out: *mut u32) -> u32;
}

/// Import `refs_update`: apply an update batch atomically. On `Conflict` the host stores the
/// index of the first failing update in `index`.
pub fn refs_update(batch: &[u8], index: &mut u32) -> Status {
    // SAFETY: `batch` is valid for reads, `index` for one u32 write, during the call.
    Status::from_u32(unsafe { host_refs_update(batch.as_ptr(), batch.len(), index) })
}

#[link(wasm_import_module = "artifacts_host_v1")]
extern "C" {
    /// `emit(ptr, len)`: response bytes for the host to send.
    #[link_name = "emit"]
    fn host_emit(ptr: *const u8, len: usize);
}

/// Import `emit`: hand response bytes to the host, which copies them before returning.
pub fn emit(data: &[u8]) {
    if !data.is_empty() {
        // SAFETY: `data` is valid for reads during the call.
        unsafe { host_emit(data.as_ptr(), data.len()) }
    }
}

#[link(wasm_import_module = "artifacts_host_v1")]
extern "C" {
    /// `log(ptr, len)`: a UTF-8 diagnostic, sent before an export returns an error code.
    #[link_name = "log"]
    fn host_log(ptr: *const u8, len: usize);
}

/// Import `log`: a UTF-8 message explaining the error code the current export is about to return.
pub fn log(message: &str) {
    // SAFETY: `message` is valid for reads during the call.
    unsafe { host_log(message.as_ptr(), message.len()) }
}
