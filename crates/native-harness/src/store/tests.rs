use super::*;
use git_core::{hash_object, ObjectKind};
use host_abi::StoredEncoding;

fn id(n: u8) -> ObjectId {
    ObjectId::Sha1([n; 20])
}

fn full(kind: ObjectKind, size: u64) -> ObjectHeader {
    ObjectHeader { kind, size, encoding: StoredEncoding::Full, payload_size: size, depth: 0 }
}

fn temp_store() -> (tempfile::TempDir, std::path::PathBuf, SqliteStore) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("r.sqlite");
    let store = SqliteStore::create(&path, "main").expect("create");
    (dir, path, store)
}

#[test]
fn new_repository_has_head_symref_and_no_objects() {
    let (_dir, _path, mut s) = temp_store();
    assert_eq!(s.ref_read("HEAD").expect("read"), Some(RefValue::Symbolic("refs/heads/main".into())));
    assert_eq!(s.object_header(&id(1)).expect("header"), None);
    let mut out = vec![1, 2, 3];
    assert_eq!(s.object_read(&id(1), &mut out).expect("read"), None);
    assert!(out.is_empty(), "out is cleared even when absent");
}

#[test]
fn objects_round_trip_full_and_delta_and_survive_reopen() {
    let (_dir, path, mut s) = temp_store();
    let blob = hash_object(ObjectKind::Blob, b"hello\n").expect("hash");
    s.object_write(&blob, &full(ObjectKind::Blob, 6), b"zlib-bytes").expect("write");
    let delta = ObjectHeader {
        kind: ObjectKind::Blob,
        size: 100,
        encoding: StoredEncoding::Delta { base: blob },
        payload_size: 12,
        depth: 1,
    };
    s.object_write(&id(7), &delta, b"delta-bytes").expect("write delta");
    // A second write of an existing id is a no-op, not an overwrite.
    s.object_write(&blob, &full(ObjectKind::Blob, 6), b"other").expect("rewrite");
    s.flush().expect("flush");
    drop(s);
    let mut s = SqliteStore::open(&path).expect("reopen");
    let mut out = Vec::new();
    assert_eq!(s.object_read(&blob, &mut out).expect("read"), Some(full(ObjectKind::Blob, 6)));
    assert_eq!(out, b"zlib-bytes");
    assert_eq!(s.object_header(&id(7)).expect("header"), Some(delta));
    assert_eq!(s.object_read(&id(7), &mut out).expect("read"), Some(delta));
    assert_eq!(out, b"delta-bytes");
}

#[test]
fn unflushed_writes_roll_back_on_drop() {
    let (_dir, path, mut s) = temp_store();
    s.object_write(&id(3), &full(ObjectKind::Blob, 1), b"x").expect("write");
    assert!(s.object_header(&id(3)).expect("header").is_some(), "visible to its own connection");
    drop(s);
    let mut s = SqliteStore::open(&path).expect("reopen");
    assert_eq!(s.object_header(&id(3)).expect("header"), None);
}

#[test]
fn five_megabyte_value_is_chunked_and_reassembled() {
    let (_dir, path, mut s) = temp_store();
    let data: Vec<u8> = (0..5_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    s.object_write(&id(9), &full(ObjectKind::Blob, 5_000_000), &data).expect("write");
    s.object_delete(&id(8)).expect("deleting an absent id is fine");
    s.flush().expect("flush");
    drop(s);
    let mut s = SqliteStore::open(&path).expect("reopen");
    let chunks: i64 = s
        .conn
        .query_row("SELECT count(*) FROM object_chunks WHERE oid = ?1", [id(9).as_bytes()], |r| r.get(0))
        .expect("count");
    assert_eq!(chunks, 3, "5,000,000 bytes in chunks of {CHUNK_SIZE}");
    let max: i64 = s.conn.query_row("SELECT max(length(data)) FROM object_chunks", [], |r| r.get(0)).expect("max");
    assert!(max < 2_000_000, "chunk of {max} bytes");
    let mut out = Vec::new();
    s.object_read(&id(9), &mut out).expect("read");
    assert!(out == data, "reassembled value differs");
    s.object_delete(&id(9)).expect("delete");
    s.flush().expect("flush");
    assert_eq!(s.object_header(&id(9)).expect("header"), None);
    let left: i64 = s.conn.query_row("SELECT count(*) FROM object_chunks", [], |r| r.get(0)).expect("count");
    assert_eq!(left, 0, "chunks deleted with the object");
}

#[test]
fn refs_update_is_compare_and_swap_all_or_nothing() {
    let (_dir, _path, mut s) = temp_store();
    let create = |name: &str, new| RefUpdate { name: name.into(), old: None, new: Some(new) };
    s.refs_update(&[create("refs/heads/main", id(1)), create("refs/tags/v1", id(2))]).expect("create");
    // Second update has a stale old id: nothing changes, the index names it.
    let err = s
        .refs_update(&[
            RefUpdate { name: "refs/heads/main".into(), old: Some(id(1)), new: Some(id(5)) },
            RefUpdate { name: "refs/tags/v1".into(), old: Some(id(9)), new: None },
        ])
        .expect_err("stale");
    assert_eq!(err, StoreError::Conflict { index: 1 });
    assert_eq!(s.ref_read("refs/heads/main").expect("read"), Some(RefValue::Direct(id(1))));
    // Creating an existing ref conflicts; a symbolic ref never matches.
    assert_eq!(s.refs_update(&[create("refs/tags/v1", id(3))]), Err(StoreError::Conflict { index: 0 }));
    assert_eq!(
        s.refs_update(&[RefUpdate { name: "HEAD".into(), old: None, new: Some(id(3)) }]),
        Err(StoreError::Conflict { index: 0 })
    );
    // Deletion and move together.
    s.refs_update(&[
        RefUpdate { name: "refs/tags/v1".into(), old: Some(id(2)), new: None },
        RefUpdate { name: "refs/heads/main".into(), old: Some(id(1)), new: Some(id(4)) },
    ])
    .expect("move");
    let mut all = Vec::new();
    s.refs_list("", &mut all).expect("list");
    assert_eq!(
        all,
        vec![
            ("HEAD".to_string(), RefValue::Symbolic("refs/heads/main".into())),
            ("refs/heads/main".to_string(), RefValue::Direct(id(4))),
        ]
    );
    let mut heads = Vec::new();
    s.refs_list("refs/tags/", &mut heads).expect("list");
    assert!(heads.is_empty());
}

#[test]
fn conflicting_writer_on_a_second_connection_is_seen() {
    let (_dir, path, mut a) = temp_store();
    let mut b = SqliteStore::open(&path).expect("second connection");
    a.refs_update(&[RefUpdate { name: "refs/heads/x".into(), old: None, new: Some(id(1)) }]).expect("a");
    assert_eq!(
        b.refs_update(&[RefUpdate { name: "refs/heads/x".into(), old: None, new: Some(id(2)) }]),
        Err(StoreError::Conflict { index: 0 })
    );
    assert_eq!(b.ref_read("refs/heads/x").expect("read"), Some(RefValue::Direct(id(1))));
}

#[test]
fn opening_errors_state_the_facts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope.sqlite");
    let err = SqliteStore::open(&missing).err().expect("missing");
    assert!(err.to_string().contains("does not exist"), "{err}");
    let path = dir.path().join("r.sqlite");
    drop(SqliteStore::create(&path, "trunk").expect("create"));
    let err = SqliteStore::create(&path, "main").err().expect("exists");
    assert!(err.to_string().contains("already exists"), "{err}");
    let mut s = SqliteStore::open(&path).expect("open");
    assert_eq!(s.ref_read("HEAD").expect("read"), Some(RefValue::Symbolic("refs/heads/trunk".into())));
}
