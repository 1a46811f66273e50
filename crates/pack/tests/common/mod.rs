//! Helpers shared by the pack tests: running real git, fixtures, parsing + resolving a pack.
#![allow(dead_code)]

use git_core::{ObjectId, ObjectKind};
use pack::parser::{PackParser, ParserOptions};
use pack::resolve::{BaseInfo, BaseSource, Resolved, Resolver, ResolverOptions};
use pack::Event;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Runs git in `dir` with `stdin`; panics with git's stderr on failure.
pub fn git(dir: &Path, args: &[&str], stdin: &[u8]) -> Vec<u8> {
    let out = git_status(dir, args, stdin);
    assert!(out.status.success(), "git {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// Runs git, returning its full output whatever the exit status.
pub fn git_status(dir: &Path, args: &[&str], stdin: &[u8]) -> std::process::Output {
    let mut child = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("git must be installed (it is required by these tests)");
    let mut input = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("git ran");
    writer.join().expect("stdin writer");
    out
}

/// A fixture repository made by tests/fixtures/make-repo.sh.
pub fn make_repo(commits: u32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/make-repo.sh");
    let status = Command::new("bash")
        .arg(&script)
        .arg(dir.path())
        .arg(commits.to_string())
        .stdout(Stdio::null())
        .status()
        .expect("bash must be installed");
    assert!(status.success(), "{} failed", script.display());
    dir
}

/// Every object of a repository: id -> (kind, contents), from `git cat-file --batch`.
pub fn all_objects(repo: &Path) -> HashMap<ObjectId, (ObjectKind, Vec<u8>)> {
    let out = git(repo, &["cat-file", "--batch-all-objects", "--batch", "--unordered"], b"");
    let mut map = HashMap::new();
    let mut rest = &out[..];
    while !rest.is_empty() {
        let nl = rest.iter().position(|b| *b == b'\n').expect("header line");
        let header = std::str::from_utf8(&rest[..nl]).expect("utf8");
        let mut parts = header.split(' ');
        let id = ObjectId::from_hex(parts.next().expect("id").as_bytes()).expect("hex");
        let kind = ObjectKind::from_name(parts.next().expect("kind").as_bytes()).expect("kind");
        let size: usize = parts.next().expect("size").parse().expect("size");
        let data = rest[nl + 1..nl + 1 + size].to_vec();
        rest = &rest[nl + 2 + size..];
        map.insert(id, (kind, data));
    }
    map
}

/// One line of `git verify-pack -v`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyLine {
    pub id: ObjectId,
    pub kind: ObjectKind,
    pub offset: u64,
    pub depth: u32,
    pub base: Option<ObjectId>,
}

/// Indexes `pack` with `git index-pack` (extra args allowed) in `dir`; returns the idx bytes and
/// `git verify-pack -v`'s object lines.
pub fn git_index(dir: &Path, pack: &[u8], extra: &[&str]) -> (Vec<u8>, Vec<VerifyLine>) {
    let pack_path = dir.join("test.pack");
    let idx_path = dir.join("test.idx");
    std::fs::write(&pack_path, pack).expect("write pack");
    let _ = std::fs::remove_file(&idx_path);
    let mut args = vec!["index-pack"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["-o", "test.idx", "test.pack"]);
    git(dir, &args, b"");
    let idx = std::fs::read(&idx_path).expect("idx");
    let out = String::from_utf8(git(dir, &["verify-pack", "-v", "test.idx"], b"")).expect("utf8");
    let mut lines = Vec::new();
    for line in out.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 5 || f[0].len() != 40 {
            continue;
        }
        let id = ObjectId::from_hex(f[0].as_bytes()).expect("hex");
        let kind = ObjectKind::from_name(f[1].as_bytes()).expect("kind");
        let offset = f[4].parse().expect("offset");
        let (depth, base) = if f.len() >= 7 {
            (f[5].parse().expect("depth"), Some(ObjectId::from_hex(f[6].as_bytes()).expect("base")))
        } else {
            (0, None)
        };
        lines.push(VerifyLine { id, kind, offset, depth, base });
    }
    (idx, lines)
}

/// A map-backed base source: preloaded objects (thin bases) plus everything stored after resolving.
#[derive(Default)]
pub struct MapSource {
    pub objects: HashMap<ObjectId, (ObjectKind, Vec<u8>)>,
    pub reads: u64,
}

impl BaseSource for MapSource {
    type Error = std::convert::Infallible;
    fn object_by_id(&mut self, id: &ObjectId, out: &mut Vec<u8>) -> Result<Option<BaseInfo>, Self::Error> {
        self.reads += 1;
        out.clear();
        Ok(self.objects.get(id).map(|(kind, data)| {
            out.extend_from_slice(data);
            BaseInfo { kind: *kind, depth: 0 }
        }))
    }
}

/// Parse and resolve a whole pack fed in `chunk`-byte pieces; returns events (entries without
/// payloads) and resolved objects. Panics on error.
pub fn parse_resolve(pack: &[u8], chunk: usize, source: &mut MapSource, options: ResolverOptions) -> Vec<Resolved> {
    try_parse_resolve(pack, chunk, source, options).expect("pack parses and resolves")
}

/// The error of parsing or resolving, as text.
pub fn try_parse_resolve(pack: &[u8], chunk: usize, source: &mut MapSource, options: ResolverOptions) -> Result<Vec<Resolved>, String> {
    let mut parser = PackParser::new(ParserOptions::default());
    let mut resolver = Resolver::new(options);
    let mut out = Vec::new();
    let mut saw_end = false;
    for piece in pack.chunks(chunk.max(1)) {
        let mut rest = piece;
        loop {
            let n = parser.handle_bytes(rest).map_err(|e| e.to_string())?;
            rest = &rest[n..];
            while let Some(ev) = parser.poll_event() {
                match ev {
                    Event::Header { .. } => {}
                    Event::Entry(entry) => {
                        resolver.handle_entry(entry);
                        while let Some(obj) = resolver.poll_object(source).map_err(|e| e.to_string())? {
                            source.objects.insert(obj.id, (obj.kind, obj.data.to_vec()));
                            out.push(obj);
                        }
                    }
                    Event::End { .. } => saw_end = true,
                }
            }
            if rest.is_empty() {
                break;
            }
        }
    }
    parser.handle_end().map_err(|e| e.to_string())?;
    assert!(saw_end, "a parser that accepted the end reported End");
    resolver.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

/// A temp dir path helper.
pub fn path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().to_path_buf()
}
