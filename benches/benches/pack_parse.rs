//! Pack parsing and delta resolution throughput (MB/s of pack) on a real pack: `git pack-objects`
//! of the fixture repository made by crates/pack/tests/fixtures/make-repo.sh (or the repository
//! named by PACK_BENCH_REPO).
//!
//! Run: `cargo bench -p artifacts-benches --bench pack_parse`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use git_core::{ObjectId, ObjectKind};
use pack::parser::{PackParser, ParserOptions};
use pack::resolve::{BaseInfo, BaseSource, Resolver, ResolverOptions};
use pack::Event;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture_pack() -> Vec<u8> {
    let (repo, _keep): (PathBuf, Option<tempfile_dir::Dir>) = match std::env::var_os("PACK_BENCH_REPO") {
        Some(p) => (PathBuf::from(p), None),
        None => {
            let dir = tempfile_dir::Dir::new();
            let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/pack/tests/fixtures/make-repo.sh");
            let ok = Command::new("bash").arg(&script).arg(dir.path()).arg("150").status().expect("bash must be installed");
            assert!(ok.success(), "make-repo.sh failed");
            (dir.path().to_path_buf(), Some(dir))
        }
    };
    let out = Command::new("git")
        .args(["pack-objects", "--all", "--revs", "--stdout", "-q", "--delta-base-offset"])
        .current_dir(&repo)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("git must be installed");
    assert!(out.status.success(), "git pack-objects failed");
    out.stdout
}

/// A temporary directory removed on drop (no extra dependency).
mod tempfile_dir {
    use std::path::{Path, PathBuf};
    pub struct Dir(PathBuf);
    impl Dir {
        pub fn new() -> Self {
            let p = std::env::temp_dir().join(format!("pack-bench-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&p);
            std::fs::create_dir_all(&p).expect("temp dir");
            Dir(p)
        }
        pub fn path(&self) -> &Path {
            &self.0
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[derive(Default)]
struct Objects(HashMap<ObjectId, (ObjectKind, std::sync::Arc<Vec<u8>>)>);

impl BaseSource for Objects {
    type Error = std::convert::Infallible;
    fn object_by_id(&mut self, id: &ObjectId, out: &mut Vec<u8>) -> Result<Option<BaseInfo>, Self::Error> {
        out.clear();
        Ok(self.0.get(id).map(|(k, d)| {
            out.extend_from_slice(d);
            BaseInfo { kind: *k, depth: 0 }
        }))
    }
}

fn run(pack: &[u8], resolve: bool) -> u64 {
    let mut parser = PackParser::new(ParserOptions::default());
    let mut resolver = Resolver::new(ResolverOptions::default());
    let mut store = Objects::default();
    let mut n = 0u64;
    for chunk in pack.chunks(64 << 10) {
        let mut rest = chunk;
        loop {
            let used = parser.handle_bytes(rest).expect("valid pack");
            rest = &rest[used..];
            while let Some(ev) = parser.poll_event() {
                if let Event::Entry(e) = ev {
                    if resolve {
                        resolver.handle_entry(e);
                        while let Some(o) = resolver.poll_object(&mut store).expect("resolves") {
                            store.0.insert(o.id, (o.kind, o.data));
                            n += 1;
                        }
                    } else {
                        n += 1;
                        parser.recycle(e.data, e.compressed);
                    }
                }
            }
            if rest.is_empty() {
                break;
            }
        }
    }
    parser.handle_end().expect("complete");
    n
}

fn bench(c: &mut Criterion) {
    let pack = fixture_pack();
    let mut g = c.benchmark_group("pack");
    g.throughput(Throughput::Bytes(pack.len() as u64));
    g.sample_size(10);
    g.bench_function("parse", |b| b.iter(|| run(&pack, false)));
    g.bench_function("parse_resolve", |b| b.iter(|| run(&pack, true)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
