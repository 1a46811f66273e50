//! The module's exports (wasm32 only) and its panic handler.
//!
//! The host must not call an export from inside an import (the exports are not re-entrant), and
//! after any trap it must drop the instance and instantiate the module again: a trap can leave the
//! session table half-updated.

use crate::{codes, engine, pump, sessions::Sessions};
use alloc::vec::Vec;
use core::cell::UnsafeCell;
use host_abi::wasm::{imports, WasmStore};

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// Everything the exports share.
struct State {
    sessions: Sessions<WasmStore>,
    /// The output pump's buffer, reused across polls.
    scratch: Vec<u8>,
}

/// The single instance of [`State`]. Wasm without threads runs one export at a time and exports
/// are never re-entered (the host's imports do not call back), so one `&mut` exists at a time.
struct Global(UnsafeCell<State>);

// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread.
unsafe impl Sync for Global {}

static STATE: Global = Global(UnsafeCell::new(State { sessions: Sessions::new(), scratch: Vec::new() }));

fn state() -> &'static mut State {
    // SAFETY: see `Global`: no two exports run at once and none re-enters, so this is the only
    // live reference for the duration of the export that took it.
    unsafe { &mut *STATE.0.get() }
}

/// Log `e` and return its code.
fn fail(code: u32, e: &dyn git_core::msg::Describe) -> u32 {
    imports::log(&git_core::msg::render(e));
    code
}

/// Log a fixed message and return `code` (no formatting code for plain text).
/// An exchange's error: logged, then its code. Takes the error by value and stays out of line, so
/// its code lookup and drop glue exist once instead of in each export.
#[cold]
#[inline(never)]
fn fail_exchange(e: protocol::ExchangeError) -> u32 {
    fail(codes::of_error(&e), &e)
}

fn fail_msg(code: u32, message: &str) -> u32 {
    imports::log(message);
    code
}

/// `abi_version() -> u32`: [`host_abi::ABI_VERSION`]; the host refuses a module with another.
#[no_mangle]
pub extern "C" fn abi_version() -> u32 {
    host_abi::ABI_VERSION
}

/// `alloc(len) -> ptr`: `len` bytes for the host to write input into (0 on failure). The host
/// frees them with `dealloc(ptr, len)`.
#[export_name = "alloc"]
pub extern "C" fn export_alloc(len: usize) -> *mut u8 {
    match core::alloc::Layout::from_size_align(len.max(1), 1) {
        // SAFETY: the layout has a non-zero size.
        Ok(layout) => unsafe { alloc::alloc::alloc(layout) },
        Err(_) => core::ptr::null_mut(),
    }
}

/// `dealloc(ptr, len)`: free what `alloc(len)` returned. A null `ptr` is ignored.
#[export_name = "dealloc"]
pub extern "C" fn export_dealloc(ptr: *mut u8, len: usize) {
    if ptr.is_null() {
        return;
    }
    if let Ok(layout) = core::alloc::Layout::from_size_align(len.max(1), 1) {
        // SAFETY: the host passes back a pointer `alloc(len)` returned, with the same `len`.
        unsafe { alloc::alloc::dealloc(ptr, layout) }
    }
}

/// `session_new(service, version) -> handle`: a new exchange for one POST (service 1 upload-pack,
/// 2 receive-pack; version 0, 1, 2 as requested by `Git-Protocol`). 0 on error (logged).
#[no_mangle]
pub extern "C" fn session_new(service: u32, version: u32) -> u32 {
    let (Some(s), Some(v)) = (engine::service(service), engine::version(version)) else {
        imports::log("session_new: unknown service or protocol version number");
        return 0;
    };
    state().sessions.insert(engine::new_session::<WasmStore>(s, v))
}

/// `session_input(handle, ptr, len) -> code`: request body bytes (gunzipped), any chunking. The
/// bytes stay owned by the host.
#[no_mangle]
pub extern "C" fn session_input(handle: u32, ptr: *const u8, len: usize) -> u32 {
    let data = host_bytes(ptr, len);
    let Some(session) = state().sessions.get(handle) else {
        return fail_msg(codes::INVALID, "session_input: unknown session handle");
    };
    match session.handle_input(&mut WasmStore, data) {
        Ok(()) => codes::OK,
        Err(e) => fail_exchange(e),
    }
}

/// `session_input_end(handle) -> code`: the request body ended.
#[no_mangle]
pub extern "C" fn session_input_end(handle: u32) -> u32 {
    let Some(session) = state().sessions.get(handle) else {
        return fail_msg(codes::INVALID, "session_input_end: unknown session handle");
    };
    match session.handle_input_end(&mut WasmStore) {
        Ok(()) => codes::OK,
        Err(e) => fail_exchange(e),
    }
}

/// `session_poll(handle, max_bytes) -> code`: emit at most `max_bytes` (at least one piece is
/// attempted even for 0) of response through `emit`; [`codes::MORE`] while more follows,
/// [`codes::DONE`] at the end, an error code otherwise.
#[no_mangle]
pub extern "C" fn session_poll(handle: u32, max_bytes: u32) -> u32 {
    let st = state();
    let Some(session) = st.sessions.get(handle) else {
        return fail_msg(codes::INVALID, "session_poll: unknown session handle");
    };
    match pump::pump(session.as_mut(), &mut WasmStore, max_bytes as usize, &mut st.scratch, imports::emit) {
        Ok(true) => codes::MORE,
        Ok(false) => codes::DONE,
        Err(e) => fail_exchange(e),
    }
}

/// `session_free(handle)`: drop a session (finished or abandoned). Unknown handles are ignored.
#[no_mangle]
pub extern "C" fn session_free(handle: u32) {
    let st = state();
    st.sessions.remove(handle);
    if st.sessions.is_empty() {
        // Give the pump's buffer back between requests.
        st.scratch = Vec::new();
    }
}

/// `advertise(service, version) -> code`: the whole `GET /info/refs?service=` body through `emit`.
#[no_mangle]
pub extern "C" fn advertise(service: u32, version: u32) -> u32 {
    let (Some(s), Some(v)) = (engine::service(service), engine::version(version)) else {
        return fail_msg(codes::INVALID, "advertise: unknown service or protocol version number");
    };
    let mut out = Vec::new();
    match engine::advertise(&mut WasmStore, s, v, &mut out) {
        Ok(()) => {
            imports::emit(&out);
            codes::OK
        }
        Err(e) => fail_exchange(e),
    }
}

/// `protocol_version(ptr, len) -> version`: the protocol version (0, 1, 2) a `Git-Protocol` header
/// value asks for (`len` 0: no header, version 0), to pass to `session_new` and `advertise`.
#[no_mangle]
pub extern "C" fn protocol_version(ptr: *const u8, len: usize) -> u32 {
    engine::version_number(protocol::parse_git_protocol(host_bytes(ptr, len)))
}

/// The `len` bytes the host passed at `ptr` (empty for a zero length).
fn host_bytes<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 || ptr.is_null() {
        &[]
    } else {
        // SAFETY: the host passes `len` readable bytes at `ptr` (memory it got from `alloc`) and
        // does not touch them during the export call that reads them.
        unsafe { core::slice::from_raw_parts(ptr, len) }
    }
}

/// `check_branch(ptr, len) -> code`: [`codes::OK`] if the UTF-8 bytes are a valid default branch
/// name for a new repository (`HEAD -> refs/heads/<branch>`), [`codes::INVALID`] otherwise.
#[no_mangle]
pub extern "C" fn check_branch(ptr: *const u8, len: usize) -> u32 {
    if engine::valid_branch(host_bytes(ptr, len)) {
        codes::OK
    } else {
        fail_msg(codes::INVALID, "not a valid branch name")
    }
}

/// `seed(lo, hi)`: 64 random bits from the host (`crypto.getRandomValues`), called once after
/// instantiation and before any session. They seed the hash of the engine's id tables
/// (`git_core::oidset`), so a pusher cannot grind object ids that pile into one probe cluster of a
/// table whose seed it can predict. A module that is never seeded works, with predictable seeds.
#[no_mangle]
pub extern "C" fn seed(lo: u32, hi: u32) {
    git_core::oidset::set_process_seed((u64::from(hi) << 32) | u64::from(lo));
}
