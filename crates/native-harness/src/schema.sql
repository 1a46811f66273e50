-- The storage schema of one artifacts repository. Shared by the native server (one SQLite file per
-- repository) and the Cloudflare Durable Object host (the DO's own SQLite), so it keeps to the DO
-- limits: no row, BLOB or key+value pair over 2 MB (values are chunked below 2,000,000 bytes even
-- natively, so both hosts store identical rows).
--
-- Objects are kept as pack entries (gitformat-pack): the zlib stream of the whole object (base IS NULL)
-- or of a delta against `base` (the base object's raw id). `size` is the object's inflated size,
-- `payload_size` the inflated size of the stored stream, `depth` the delta chain length (0 for whole).
-- `kind` is the pack type number of the resulting object (1 commit, 2 tree, 3 blob, 4 tag).
-- When `chunks` is 0 the stream is in `data`; otherwise `data` is empty and the stream is the
-- concatenation of `object_chunks.data` for seq 0..chunks in order.
CREATE TABLE IF NOT EXISTS objects (
    oid BLOB PRIMARY KEY NOT NULL,
    kind INTEGER NOT NULL,
    size INTEGER NOT NULL,
    base BLOB NULL,
    depth INTEGER NOT NULL,
    payload_size INTEGER NOT NULL,
    -- `chunks` comes before `data`: SQLite reads a column after a large BLOB only by walking the
    -- BLOB's overflow pages, and object_header must not pay for that.
    chunks INTEGER NOT NULL,
    data BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS object_chunks (
    oid BLOB NOT NULL,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (oid, seq)
);

-- A ref is either direct (oid set) or symbolic (symref names another ref, which may not exist).
CREATE TABLE IF NOT EXISTS refs (
    name TEXT PRIMARY KEY NOT NULL,
    oid BLOB NULL,
    symref TEXT NULL,
    CHECK ((oid IS NULL) <> (symref IS NULL))
) WITHOUT ROWID;
