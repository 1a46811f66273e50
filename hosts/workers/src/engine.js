// The bridge to the artifacts Wasm module (crates/host-abi/wasm-module): instantiates it with the
// `artifacts_host_v1` imports backed by a RepoStorage, and wraps its exports. The ABI (layouts,
// status codes, buffer ownership) is documented in crates/host-abi/README.md. No git logic here:
// only marshalling between Wasm memory and SQLite rows.

import wasmModule from "../build/artifacts.wasm";
import { RefConflict } from "./storage.js";

/** The ABI version this host implements; the module's `abi_version()` must match. */
export const ABI_VERSION = 2;
/** Import module name. */
export const IMPORT_MODULE = "artifacts_host_v1";

/** host-abi `Status` codes returned by imports. */
export const Status = { Ok: 0, NotFound: 1, Conflict: 2, TooLarge: 3, Io: 4, Invalid: 5, BufferTooSmall: 6 };
/** Results of the module's exports (wasm-module src/codes.rs). */
export const Code = { Ok: 0, Done: 0, More: 1, Invalid: 2, TooLarge: 3, Storage: 4, Corrupt: 5, Misuse: 6, OutOfMemory: 7 };
/** ABI service numbers. */
export const Service = { "git-upload-pack": 1, "git-receive-pack": 2 };

const HEADER_LEN = 56;
/** Linear memory above which an idle instance is dropped (see `sessionFree`). */
const RELEASE_MEMORY_BYTES = 32 * 1024 * 1024;
const MAX_INPUT_PIECE = 256 * 1024;
const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: true });

/** An export returned an error code; `message` is what the module logged. */
export class EngineError extends Error {
  constructor(code, message) {
    super(message || `engine error code ${code}`);
    this.code = code;
  }
  /** The HTTP status for this error. */
  get httpStatus() {
    switch (this.code) {
      case Code.Invalid: return 400;
      case Code.TooLarge: return 413;
      case Code.OutOfMemory: return 503;
      default: return 500;
    }
  }
}

/**
 * Peak linear memory per Durable Object id, for the admin info. Kept per isolate rather than per
 * Engine: workerd was seen to construct a Durable Object again in the same isolate right after a
 * request of more than about 10 s, which would otherwise lose the peak of that request.
 */
const PEAKS = new Map();

export class Engine {
  /**
   * @param {import("./storage.js").RepoStorage} storage
   * @param {string} key the Durable Object's id, under which the peak memory is kept
   */
  constructor(storage, key) {
    this.storage = storage;
    this.inst = null;
    this.sink = null; // where `emit` appends copies of output
    this.logged = ""; // the last `log` message, for the error an export is about to return
    this.live = 0; // sessions not yet freed
    this.key = key;
    this.input = { ptr: 0, cap: 0 };
  }

  /** The live exports, instantiating the module on first use (and after a trap). */
  get x() {
    if (this.inst === null) {
      const inst = new WebAssembly.Instance(wasmModule, { [IMPORT_MODULE]: this.imports() });
      const v = inst.exports.abi_version();
      if (v !== ABI_VERSION) throw new Error(`artifacts.wasm speaks ABI ${v}, this host ABI ${ABI_VERSION}`);
      // 64 random bits for the hash of the engine's id tables (see the `seed` export).
      const r = crypto.getRandomValues(new Uint32Array(2));
      inst.exports.seed(r[0], r[1]);
      this.inst = inst;
      this.input = { ptr: 0, cap: 0 };
    }
    return this.inst.exports;
  }

  /** Drop the instance (after a trap its state cannot be trusted); live sessions are lost. */
  reset() {
    this.inst = null;
    this.live = 0;
  }

  /** Run an export; a trap resets the instance and is rethrown as an EngineError. */
  call(f) {
    this.logged = "";
    try {
      const r = f(this.x);
      const bytes = this.memoryBytes();
      if (bytes > this.peakMemory) PEAKS.set(this.key, bytes);
      return r;
    } catch (e) {
      if (e instanceof EngineError) throw e;
      this.reset();
      throw new EngineError(Code.Storage, `engine trapped: ${e && e.message ? e.message : e}`);
    }
  }

  mem() {
    return new Uint8Array(this.inst.exports.memory.buffer);
  }
  view() {
    return new DataView(this.inst.exports.memory.buffer);
  }

  /** Copy bytes into the module's reusable input buffer; returns its pointer. */
  stage(bytes) {
    const x = this.x;
    if (bytes.length > this.input.cap) {
      if (this.input.ptr) x.dealloc(this.input.ptr, this.input.cap);
      const cap = Math.max(bytes.length, 4096);
      const ptr = x.alloc(cap);
      if (!ptr) throw new EngineError(Code.OutOfMemory, `cannot allocate ${cap} bytes of input buffer`);
      this.input = { ptr, cap };
    }
    this.mem().set(bytes, this.input.ptr);
    return this.input.ptr;
  }

  /** Throw the EngineError for a non-OK code. */
  check(code, what) {
    if (code !== Code.Ok) throw new EngineError(code, `${what}: ${this.logged || `error code ${code}`}`);
  }

  /** The protocol version number (0, 1, 2) a Git-Protocol header asks for. */
  protocolVersion(header) {
    if (!header) return 0;
    const b = enc.encode(header);
    return this.call((x) => x.protocol_version(this.stage(b), b.length));
  }

  /** True if `branch` may be a default branch. */
  validBranch(branch) {
    const b = enc.encode(branch);
    return this.call((x) => x.check_branch(this.stage(b), b.length)) === Code.Ok;
  }

  /** The info/refs body for a service number and version. */
  advertise(service, version) {
    const out = [];
    this.withSink(out, () => this.check(this.call((x) => x.advertise(service, version)), "advertise"));
    return concat(out);
  }

  /** A new session handle. */
  sessionNew(service, version) {
    const h = this.call((x) => x.session_new(service, version));
    if (h === 0) throw new EngineError(Code.Invalid, `session_new: ${this.logged || "failed"}`);
    this.live++;
    return h;
  }

  /** Feed request body bytes (split into bounded pieces). */
  sessionInput(h, bytes) {
    for (let at = 0; at < bytes.length; at += MAX_INPUT_PIECE) {
      const piece = bytes.subarray(at, Math.min(bytes.length, at + MAX_INPUT_PIECE));
      this.check(this.call((x) => x.session_input(h, this.stage(piece), piece.length)), "session_input");
    }
  }

  /** The request body ended. */
  sessionInputEnd(h) {
    this.check(this.call((x) => x.session_input_end(h)), "session_input_end");
  }

  /** At most `budget` bytes of output as one array: {bytes: Uint8Array, more: boolean}. */
  sessionPoll(h, budget) {
    const chunks = [];
    let code;
    this.withSink(chunks, () => {
      code = this.call((x) => x.session_poll(h, budget));
    });
    if (code !== Code.More && code !== Code.Done) this.check(code, "session_poll");
    return { bytes: chunks.length === 1 ? chunks[0] : concat(chunks), more: code === Code.More };
  }

  /**
   * Drop a session (no-op for unknown handles or after a reset). Wasm memory never shrinks, so
   * once no session is live an instance grown past RELEASE_MEMORY_BYTES (a large object went
   * through) is dropped, giving its memory back to the isolate (128 MB on a Durable Object).
   */
  sessionFree(h) {
    if (this.inst === null) return;
    this.inst.exports.session_free(h);
    this.live = Math.max(0, this.live - 1);
    if (this.live === 0 && this.memoryBytes() > RELEASE_MEMORY_BYTES) {
      console.log(`artifacts: idle engine holds ${this.memoryBytes() >> 20} MiB of Wasm memory; releasing it`);
      this.reset();
    }
  }

  /** Largest linear memory of this Durable Object's engine since its isolate started. */
  get peakMemory() {
    return PEAKS.get(this.key) || 0;
  }

  /** Current size of the module's linear memory (0 when not instantiated). */
  memoryBytes() {
    return this.inst === null ? 0 : this.inst.exports.memory.buffer.byteLength;
  }

  withSink(sink, f) {
    this.sink = sink;
    try {
      f();
    } finally {
      this.sink = null;
    }
  }

  /** The `artifacts_host_v1` import object. Every import catches its own failures. */
  imports() {
    const guard = (name, f) => (...args) => {
      try {
        return f(...args);
      } catch (e) {
        console.error(`artifacts host import ${name} failed:`, e);
        return Status.Io;
      }
    };
    const bytesAt = (ptr, len) => this.mem().slice(ptr, ptr + len);
    const textAt = (ptr, len) => dec.decode(this.mem().subarray(ptr, ptr + len));
    const writeHeader = (at, h) => {
      const m = this.mem();
      m.fill(0, at, at + HEADER_LEN);
      const v = this.view();
      v.setUint8(at, h.kind);
      if (h.base) {
        v.setUint8(at + 1, 1);
        v.setUint8(at + 2, h.base.length);
        m.set(h.base, at + 24);
      }
      v.setUint32(at + 4, h.depth, true);
      v.setBigUint64(at + 8, BigInt(h.size), true);
      v.setBigUint64(at + 16, BigInt(h.payloadSize), true);
    };
    // Write a variable-length result into (ptr, cap), or report the needed length.
    const result = (bytes, ptr, cap, lenOut) => {
      this.view().setUint32(lenOut, bytes.length, true);
      if (bytes.length > cap) return Status.BufferTooSmall;
      this.mem().set(bytes, ptr);
      return Status.Ok;
    };
    return {
      object_header: guard("object_header", (oidPtr, oidLen, hdrOut) => {
        const h = this.storage.header(bytesAt(oidPtr, oidLen));
        if (!h) return Status.NotFound;
        writeHeader(hdrOut, h);
        return Status.Ok;
      }),
      object_read: guard("object_read", (oidPtr, oidLen, hdrOut, bufPtr, bufCap, lenOut) => {
        const oid = bytesAt(oidPtr, oidLen);
        const st = this.storage.stat(oid);
        if (!st) return Status.NotFound;
        writeHeader(hdrOut, st.header);
        this.view().setUint32(lenOut, st.length, true);
        // Too small: the module grows its buffer to `length` and calls again; nothing was read.
        if (st.length > bufCap) return Status.BufferTooSmall;
        this.storage.readInto(oid, st, this.mem().subarray(bufPtr, bufPtr + st.length));
        return Status.Ok;
      }),
      object_write: guard("object_write", (oidPtr, oidLen, hdrPtr, dataPtr, dataLen) => {
        const v = this.view();
        const baseLen = v.getUint8(hdrPtr + 2);
        const h = {
          kind: v.getUint8(hdrPtr),
          base: v.getUint8(hdrPtr + 1) === 1 ? bytesAt(hdrPtr + 24, baseLen) : null,
          depth: v.getUint32(hdrPtr + 4, true),
          size: Number(v.getBigUint64(hdrPtr + 8, true)),
          payloadSize: Number(v.getBigUint64(hdrPtr + 16, true)),
        };
        if (h.kind < 1 || h.kind > 4) return Status.Invalid;
        this.storage.write(bytesAt(oidPtr, oidLen), h, this.mem().subarray(dataPtr, dataPtr + dataLen));
        return Status.Ok;
      }),
      object_delete: guard("object_delete", (oidPtr, oidLen) => {
        this.storage.delete(bytesAt(oidPtr, oidLen));
        return Status.Ok;
      }),
      refs_list: guard("refs_list", (prefixPtr, prefixLen, bufPtr, bufCap, lenOut) => {
        const parts = [];
        for (const r of this.storage.listRefs(textAt(prefixPtr, prefixLen))) {
          const name = enc.encode(r.name);
          const value = refValue(r);
          parts.push(u32(name.length), name, u32(value.length), value);
        }
        return result(concat(parts), bufPtr, bufCap, lenOut);
      }),
      ref_read: guard("ref_read", (namePtr, nameLen, bufPtr, bufCap, lenOut) => {
        const r = this.storage.readRef(textAt(namePtr, nameLen));
        if (!r) return Status.NotFound;
        return result(refValue(r), bufPtr, bufCap, lenOut);
      }),
      refs_update: guard("refs_update", (batchPtr, batchLen, indexOut) => {
        const updates = decodeUpdates(bytesAt(batchPtr, batchLen));
        try {
          this.storage.updateRefs(updates);
        } catch (e) {
          if (!(e instanceof RefConflict)) throw e;
          this.view().setUint32(indexOut, e.index, true);
          return Status.Conflict;
        }
        return Status.Ok;
      }),
      emit: (ptr, len) => {
        if (this.sink) this.sink.push(this.mem().slice(ptr, ptr + len));
      },
      log: (ptr, len) => {
        try {
          this.logged = textAt(ptr, len);
        } catch {
          this.logged = "(non-UTF-8 message)";
        }
      },
    };
  }
}

/** Ref value layout: tag 0 + raw id, or tag 1 + target name. */
function refValue(r) {
  if (r.symref != null) return concat([Uint8Array.of(1), enc.encode(r.symref)]);
  return concat([Uint8Array.of(0), r.oid]);
}

/** Update batch layout: count u32, then name_len u32, name, old_len u8, old, new_len u8, new. */
function decodeUpdates(b) {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let at = 0;
  const need = (n) => {
    if (at + n > b.length) throw new Error("refs_update: truncated update batch");
  };
  need(4);
  const count = v.getUint32(at, true);
  at += 4;
  const out = [];
  for (let i = 0; i < count; i++) {
    need(4);
    const n = v.getUint32(at, true);
    at += 4;
    need(n);
    const name = dec.decode(b.subarray(at, at + n));
    at += n;
    const ids = [];
    for (let k = 0; k < 2; k++) {
      need(1);
      const len = b[at++];
      need(len);
      ids.push(len ? b.slice(at, at + len) : null);
      at += len;
    }
    out.push({ name, old: ids[0], new: ids[1] });
  }
  if (at !== b.length) throw new Error("refs_update: trailing bytes in update batch");
  return out;
}

function u32(n) {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

/** Concatenate byte arrays. */
export function concat(parts) {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

