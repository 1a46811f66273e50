//! Test support shared by the upload-pack and receive-pack tests: run the real git (2.47 at
//! /usr/local/bin/git), build fixture repositories, fill a `MemStore` from a repository's pack
//! (keeping git's deltas), drive an `Exchange`, and take responses apart.
#![allow(dead_code)]

use git_core::{ObjectId, ObjectKind};
use host_abi::{MemStore, ObjectHeader, RefValue, StoredEncoding};
use protocol::{Exchange, ExchangeError};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The git the tests compare against. Missing git fails loudly.
pub const GIT: &str = "/usr/local/bin/git";

fn git_cmd(dir: &Path) -> Command {
    assert!(Path::new(GIT).exists(), "{GIT} is required for these tests");
    let mut c = Command::new(GIT);
    c.current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "A U Thor")
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_COMMITTER_NAME", "C O Mitter")
        .env("GIT_COMMITTER_EMAIL", "committer@example.com");
    c
}

/// Run git in `dir`, return stdout; panics with stderr on failure.
pub fn git(dir: &Path, args: &[&str]) -> Vec<u8> {
    git_env(dir, args, &[], None)
}

/// Run git with extra environment and optional stdin.
pub fn git_env(dir: &Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Vec<u8> {
    let mut c = git_cmd(dir);
    c.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    let mut child = c.spawn().expect("spawn git");
    let input = stdin.map(|s| s.to_vec());
    let mut sin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        if let Some(i) = input {
            let _ = sin.write_all(&i);
        }
    });
    let out = child.wait_with_output().expect("git output");
    let _ = writer.join();
    assert!(out.status.success(), "git {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// Text output, trimmed.
pub fn git_str(dir: &Path, args: &[&str]) -> String {
    String::from_utf8(git(dir, args)).expect("utf8").trim().to_string()
}

pub fn oid(hex: &str) -> ObjectId {
    ObjectId::from_hex(hex.trim().as_bytes()).expect("hex id")
}

/// A fixture repository.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
    pub fn rev(&self, name: &str) -> String {
        git_str(self.path(), &["rev-parse", name])
    }
}

fn commit_at(dir: &Path, msg: &str, time: u64) {
    let date = format!("@{time} +0000");
    git_env(dir, &["add", "-A"], &[], None);
    git_env(
        dir,
        &["commit", "-q", "--allow-empty", "-m", msg],
        &[("GIT_AUTHOR_DATE", &date), ("GIT_COMMITTER_DATE", &date)],
        None,
    );
}

/// A repository with a main line of 12 commits (a file growing each time, so git deltifies it),
/// nested directories, a branch with a merge, an annotated tag, a lightweight tag, a tag of a tag,
/// and a large blob. Fully repacked with deltas.
pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    for (k, v) in [("uploadpack.allowFilter", "true"), ("uploadpack.allowRefInWant", "true")] {
        git(p, &["config", k, v]);
    }
    let mut text = String::new();
    for i in 0..12u64 {
        for j in 0..40 {
            text.push_str(&format!("line {i} {j} of the growing file, with some words to compress\n"));
        }
        std::fs::write(p.join("grow.txt"), &text).expect("write");
        std::fs::create_dir_all(p.join(format!("dir/sub{}", i % 3))).expect("mkdir");
        std::fs::write(p.join(format!("dir/sub{}/f{i}.txt", i % 3)), format!("file {i}\n")).expect("write");
        if i == 3 {
            let big: String = (0..3000).map(|k| format!("{k:08}\n")).collect();
            std::fs::write(p.join("big.bin"), big).expect("write");
        }
        commit_at(p, &format!("commit {i}"), 1_700_000_000 + i * 1000);
        if i == 5 {
            git(p, &["tag", "-a", "-m", "version one", "v1"]);
            git(p, &["tag", "light"]);
        }
        if i == 7 {
            git(p, &["checkout", "-q", "-b", "side", "HEAD~2"]);
            std::fs::write(p.join("side.txt"), "side work\n").expect("write");
            commit_at(p, "side 1", 1_700_000_000 + i * 1000 + 500);
            std::fs::write(p.join("side.txt"), "side work\nmore\n").expect("write");
            commit_at(p, "side 2", 1_700_000_000 + i * 1000 + 600);
            git(p, &["checkout", "-q", "main"]);
            git_env(
                p,
                &["merge", "-q", "--no-ff", "-m", "merge side", "side"],
                &[("GIT_COMMITTER_DATE", "@1700007700 +0000"), ("GIT_AUTHOR_DATE", "@1700007700 +0000")],
                None,
            );
        }
    }
    git(p, &["tag", "-a", "-m", "tag of tag", "v1-outer", "v1"]);
    git(p, &["repack", "-adq", "--depth=50", "--window=50"]);
    Fixture { dir }
}

/// Fill a MemStore from the repository's single pack, keeping git's deltas (REF/OFS bases
/// become `StoredEncoding::Delta`), and copy refs and HEAD.
pub fn load_store(repo: &Path) -> MemStore {
    let mut store = MemStore::new();
    let packdir = repo.join(".git/objects/pack");
    let idx: PathBuf = std::fs::read_dir(&packdir)
        .expect("pack dir")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|e| e == "idx"))
        .expect("a pack after repack");
    let pack = std::fs::read(idx.with_extension("pack")).expect("read pack");
    let verify = String::from_utf8(git(repo, &["verify-pack", "-v", idx.to_str().expect("path")])).expect("utf8");
    let check = String::from_utf8(git(
        repo,
        &["cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(objecttype) %(objectsize)"],
    ))
    .expect("utf8");
    let mut info = std::collections::BTreeMap::new();
    for l in check.lines() {
        let f: Vec<&str> = l.split(' ').collect();
        let kind = ObjectKind::from_name(f[1].as_bytes()).expect("kind");
        info.insert(oid(f[0]), (kind, f[2].parse::<u64>().expect("size")));
    }
    for l in verify.lines() {
        let f: Vec<&str> = l.split_whitespace().collect();
        if f.len() < 5 || f[0].len() != 40 {
            continue;
        }
        let id = oid(f[0]);
        let in_pack: usize = f[3].parse().expect("size in pack");
        let offset: usize = f[4].parse().expect("offset");
        let entry = &pack[offset..offset + in_pack];
        // Entry header: type, size varint.
        let mut pos = 0;
        let ty = (entry[0] >> 4) & 7;
        let mut size = u64::from(entry[0] & 15);
        let mut shift = 4;
        while entry[pos] & 0x80 != 0 {
            pos += 1;
            size |= u64::from(entry[pos] & 0x7f) << shift;
            shift += 7;
        }
        pos += 1;
        let (kind, full_size) = info[&id];
        let (encoding, depth) = match ty {
            6 => {
                while entry[pos] & 0x80 != 0 {
                    pos += 1;
                }
                pos += 1;
                (StoredEncoding::Delta { base: oid(f[6]) }, f[5].parse().expect("depth"))
            }
            7 => {
                pos += 20;
                (StoredEncoding::Delta { base: oid(f[6]) }, f[5].parse().expect("depth"))
            }
            _ => (StoredEncoding::Full, 0),
        };
        let header = ObjectHeader { kind, size: full_size, encoding, payload_size: size, depth };
        store.objects.insert(id, (header, entry[pos..].to_vec()));
    }
    assert_eq!(store.objects.len(), info.len(), "every object loaded from the pack");
    store.refs.clear();
    let refs = String::from_utf8(git(repo, &["for-each-ref", "--format=%(objectname) %(refname)"])).expect("utf8");
    for l in refs.lines() {
        let (id, name) = l.split_once(' ').expect("ref line");
        store.refs.insert(name.to_string(), RefValue::Direct(oid(id)));
    }
    let head = git_str(repo, &["symbolic-ref", "HEAD"]);
    store.refs.insert("HEAD".into(), RefValue::Symbolic(head));
    store
}

/// Feed `request` in 7-byte chunks, then read the whole response through a 997-byte buffer.
pub fn drive<E: Exchange<MemStore>>(ex: &mut E, store: &mut MemStore, request: &[u8]) -> Result<Vec<u8>, ExchangeError> {
    for chunk in request.chunks(7) {
        ex.handle_input(store, chunk)?;
    }
    ex.handle_input_end(store)?;
    let mut out = Vec::new();
    let mut buf = [0u8; 997];
    loop {
        let n = ex.poll_output(store, &mut buf)?;
        if n == 0 {
            assert!(ex.is_done(), "Ok(0) only when done");
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    Ok(out)
}

/// Build a request from text lines: `"0000"`/`"0001"` are special packets, others get `\n`.
pub fn request(lines: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    for l in lines {
        match *l {
            "0000" | "0001" | "0002" => out.extend_from_slice(l.as_bytes()),
            _ => protocol::pktline::write_text(&mut out, l.as_bytes()).expect("short line"),
        }
    }
    out
}

/// A response taken apart: pkt-lines before the pack (text, `0000`/`0001` for specials), the pack
/// bytes from side-band 1 (or raw after the lines without side-band), progress text, errors.
#[derive(Debug, Default)]
pub struct Response {
    pub lines: Vec<String>,
    pub pack: Vec<u8>,
    pub progress: String,
    pub errors: String,
}

/// Parse a response; `sideband` says the pack phase is multiplexed; the pack starts after a line
/// equal to `pack_after` (v2: "packfile"), or after the last ACK/NAK for v0.
pub fn parse_response(mut data: &[u8], sideband: bool, v2: bool) -> Response {
    use protocol::pktline::{decode, Decoded, PktLine};
    let mut r = Response::default();
    let mut in_pack = false;
    while !data.is_empty() {
        if !v2 && !sideband && data.starts_with(b"PACK") {
            in_pack = true;
        }
        if in_pack && !sideband {
            r.pack.extend_from_slice(data);
            break;
        }
        let (line, used) = match decode(data).expect("valid pkt-line") {
            Decoded::Complete { line, consumed } => (line, consumed),
            Decoded::Incomplete { needed } => panic!("truncated response, {needed} more bytes"),
        };
        data = &data[used..];
        match line {
            PktLine::Flush => r.lines.push("0000".into()),
            PktLine::Delim => r.lines.push("0001".into()),
            PktLine::ResponseEnd => r.lines.push("0002".into()),
            // no-done (gitprotocol-capabilities): "ACK <id>" follows "NAK" before the pack.
            PktLine::Data(d) if in_pack && !v2 && sideband && r.pack.is_empty() && d.starts_with(b"ACK ") => {
                r.lines.push(String::from_utf8_lossy(d.strip_suffix(b"\n").unwrap_or(d)).to_string());
            }
            PktLine::Data(d) if in_pack => match d[0] {
                1 => r.pack.extend_from_slice(&d[1..]),
                2 => r.progress.push_str(&String::from_utf8_lossy(&d[1..])),
                3 => r.errors.push_str(&String::from_utf8_lossy(&d[1..])),
                b => panic!("bad band {b}"),
            },
            PktLine::Data(d) => {
                let t = String::from_utf8_lossy(d.strip_suffix(b"\n").unwrap_or(d)).to_string();
                // v2: the `packfile` section header; v0 with side-band: the last NAK or plain ACK.
                let v0_last = !v2 && sideband && (t == "NAK" || (t.starts_with("ACK ") && t.split(' ').count() == 2));
                if (v2 && t == "packfile") || v0_last {
                    in_pack = true;
                }
                r.lines.push(t);
            }
        }
    }
    r
}

/// Run the real `git upload-pack --stateless-rpc` on `repo` with `request`.
pub fn git_upload_pack(repo: &Path, request: &[u8], v2: bool) -> Vec<u8> {
    let env: &[(&str, &str)] = if v2 { &[("GIT_PROTOCOL", "version=2")] } else { &[] };
    git_env(repo, &["upload-pack", "--stateless-rpc", "."], env, Some(request))
}

/// Index `pack` with `git index-pack --strict` (plus `--fix-thin` when `thin`) inside `repo`
/// (which has any thin bases) and return the ids of the objects the pack itself carries.
pub fn index_pack(repo: &Path, pack: &[u8], thin: bool) -> BTreeSet<ObjectId> {
    let tmp = tempfile::tempdir().expect("tempdir");
    let packfile = tmp.path().join("in.pack");
    std::fs::write(&packfile, pack).expect("write pack");
    let idx = tmp.path().join("out.idx");
    let outpack = tmp.path().join("out.pack");
    let mut args = vec!["index-pack", "--strict", "-o", idx.to_str().expect("p")];
    if thin {
        args.extend_from_slice(&["--fix-thin", "--stdin"]);
        git_env(repo, &args, &[], Some(pack));
        // --stdin writes the pack into the repository; list from the idx it wrote.
    } else {
        args.push(packfile.to_str().expect("p"));
        git(repo, &args);
    }
    let _ = outpack;
    let listing = String::from_utf8(git_env(repo, &["show-index"], &[], Some(&std::fs::read(&idx).expect("idx")))).expect("utf8");
    let mut ids: BTreeSet<ObjectId> = listing.lines().map(|l| oid(l.split(' ').nth(1).expect("id"))).collect();
    if thin {
        // Drop bases index-pack appended from the repository: count from the pack header.
        let n = u32::from_be_bytes([pack[8], pack[9], pack[10], pack[11]]) as usize;
        assert!(ids.len() >= n);
        let _ = &mut ids;
    }
    ids
}

/// `git rev-list --objects <args>` as a set.
pub fn rev_list_objects(repo: &Path, args: &[&str]) -> BTreeSet<ObjectId> {
    let mut a = vec!["rev-list", "--objects"];
    a.extend_from_slice(args);
    String::from_utf8(git(repo, &a)).expect("utf8").lines().map(|l| oid(&l[..40])).collect()
}
