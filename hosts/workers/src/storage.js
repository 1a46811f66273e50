// Repository storage on a Durable Object's SQLite (`ctx.storage.sql`), with the native server's
// schema (crates/native-harness/src/schema.sql, copied to build/schema.sql by `npm run build`):
// objects as pack entries, values over CHUNK_SIZE split across `object_chunks` rows (a DO row or
// BLOB holds at most 2 MB), refs direct or symbolic. Every method is synchronous: each one backs a
// synchronous Wasm import.

import schema from "../build/schema.sql";

/** Largest value kept in one row, as on the native server (crates/native-harness store CHUNK_SIZE). */
export const CHUNK_SIZE = 1_900_000;

/** A ref update lost its compare-and-swap; `index` names the first failing update. */
export class RefConflict extends Error {
  constructor(index) {
    super(`ref update ${index} conflicts`);
    this.index = index;
  }
}

const bytes = (v) => (v == null ? null : new Uint8Array(v));
// SQLite BLOB parameters: an ArrayBuffer of exactly the value (copies out of Wasm memory).
const blob = (u8) => u8.slice().buffer;

export class RepoStorage {
  /** @param {DurableObjectStorage} storage */
  constructor(storage) {
    this.storage = storage;
    this.sql = storage.sql;
    this.sql.exec(schema);
  }

  /** True once the repository was created (its HEAD exists). */
  exists() {
    return this.sql.exec("SELECT 1 FROM refs WHERE name = 'HEAD'").toArray().length > 0;
  }

  /** Create the repository: HEAD -> refs/heads/<branch>. False if it existed. */
  create(branch) {
    if (this.exists()) return false;
    this.sql.exec("INSERT INTO refs (name, oid, symref) VALUES ('HEAD', NULL, ?)", `refs/heads/${branch}`);
    return true;
  }

  /** Drop everything (the DO is then empty and frees its storage). */
  destroy() {
    return this.storage.deleteAll();
  }

  /** Counts for the admin endpoint. */
  stats() {
    const one = (q) => this.sql.exec(q).one().n;
    return {
      objects: one("SELECT count(*) AS n FROM objects"),
      chunkedObjects: one("SELECT count(*) AS n FROM objects WHERE chunks > 0"),
      refs: one("SELECT count(*) AS n FROM refs"),
      databaseSize: this.sql.databaseSize,
    };
  }

  /** The header row of an object ({kind, size, base, depth, payload_size, chunks}) or null. */
  header(oid) {
    const rows = this.sql
      .exec("SELECT kind, size, base, depth, payload_size, chunks FROM objects WHERE oid = ?", blob(oid))
      .toArray();
    if (rows.length === 0) return null;
    const r = rows[0];
    return { kind: r.kind, size: r.size, base: bytes(r.base), depth: r.depth, payloadSize: r.payload_size, chunks: r.chunks };
  }

  /**
   * Header and stored length of an object, or null: {header, length, chunks}. Reads no BLOB
   * content (SQLite's length() of a BLOB does not load it).
   */
  stat(oid) {
    const key = blob(oid);
    const rows = this.sql
      .exec("SELECT kind, size, base, depth, payload_size, chunks, length(data) AS len FROM objects WHERE oid = ?", key)
      .toArray();
    if (rows.length === 0) return null;
    const r = rows[0];
    const header = { kind: r.kind, size: r.size, base: bytes(r.base), depth: r.depth, payloadSize: r.payload_size };
    let length = r.len;
    if (r.chunks > 0) {
      length = this.sql.exec("SELECT coalesce(sum(length(data)), 0) AS n FROM object_chunks WHERE oid = ?", key).one().n;
    }
    return { header, length, chunks: r.chunks };
  }

  /**
   * Copy the stored bytes of an object (found by `stat`) into `dest` (exactly `length` bytes),
   * one row at a time, so a chunked value is never assembled in JavaScript memory.
   */
  readInto(oid, st, dest) {
    const key = blob(oid);
    if (st.chunks === 0) {
      dest.set(new Uint8Array(this.sql.exec("SELECT data FROM objects WHERE oid = ?", key).one().data));
      return;
    }
    let at = 0;
    let seq = 0;
    for (const p of this.sql.exec("SELECT seq, data FROM object_chunks WHERE oid = ? ORDER BY seq", key)) {
      if (p.seq !== seq++) throw new Error("object_chunks has a gap");
      dest.set(new Uint8Array(p.data), at);
      at += p.data.byteLength;
    }
    if (seq !== st.chunks || at !== dest.length) {
      throw new Error(`object_chunks rows of an object do not match objects.chunks = ${st.chunks}`);
    }
  }

  /** Store an object unless it exists; values over CHUNK_SIZE go to object_chunks. */
  write(oid, h, data) {
    const key = blob(oid);
    if (this.sql.exec("SELECT 1 FROM objects WHERE oid = ?", key).toArray().length > 0) return;
    const chunked = data.length > CHUNK_SIZE;
    const chunks = chunked ? Math.ceil(data.length / CHUNK_SIZE) : 0;
    this.storage.transactionSync(() => {
      this.sql.exec(
        "INSERT INTO objects (oid, kind, size, base, depth, payload_size, data, chunks) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        key, h.kind, h.size, h.base ? blob(h.base) : null, h.depth, h.payloadSize,
        chunked ? new ArrayBuffer(0) : blob(data), chunks,
      );
      for (let seq = 0; seq < chunks; seq++) {
        const part = data.subarray(seq * CHUNK_SIZE, Math.min(data.length, (seq + 1) * CHUNK_SIZE));
        this.sql.exec("INSERT INTO object_chunks (oid, seq, data) VALUES (?, ?, ?)", key, seq, blob(part));
      }
    });
  }

  /** Remove an object and its chunks; absent ids are fine. */
  delete(oid) {
    const key = blob(oid);
    this.storage.transactionSync(() => {
      this.sql.exec("DELETE FROM object_chunks WHERE oid = ?", key);
      this.sql.exec("DELETE FROM objects WHERE oid = ?", key);
    });
  }

  /** Refs whose name starts with `prefix`, in byte order of name: [{name, oid: Uint8Array|null, symref}]. */
  listRefs(prefix) {
    // Byte order of UTF-8 names: SQLite compares TEXT with memcmp under the default BINARY collation.
    return this.sql
      .exec("SELECT name, oid, symref FROM refs WHERE substr(name, 1, length(?1)) = ?1 ORDER BY name", prefix)
      .toArray()
      .map((r) => ({ name: r.name, oid: bytes(r.oid), symref: r.symref }));
  }

  /** One ref, or null. */
  readRef(name) {
    const rows = this.sql.exec("SELECT oid, symref FROM refs WHERE name = ?", name).toArray();
    if (rows.length === 0) return null;
    return { oid: bytes(rows[0].oid), symref: rows[0].symref };
  }

  /**
   * Apply every update or none: [{name, old: Uint8Array|null, new: Uint8Array|null}]. A ref moves
   * only if it still has `old` (null: must not exist); a symbolic ref never matches.
   * Throws RefConflict naming the first failing update.
   */
  updateRefs(updates) {
    this.storage.transactionSync(() => {
      updates.forEach((u, index) => {
        const cur = this.readRef(u.name);
        if (cur && cur.symref != null) throw new RefConflict(index);
        const curOid = cur ? cur.oid : null;
        if (!sameBytes(curOid, u.old)) throw new RefConflict(index);
      });
      for (const u of updates) {
        if (u.new) {
          this.sql.exec(
            "INSERT INTO refs (name, oid, symref) VALUES (?1, ?2, NULL) ON CONFLICT(name) DO UPDATE SET oid = ?2, symref = NULL",
            u.name, blob(u.new),
          );
        } else {
          this.sql.exec("DELETE FROM refs WHERE name = ?", u.name);
        }
      }
    });
  }
}

function sameBytes(a, b) {
  if (a == null || b == null) return a == null && b == null;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
