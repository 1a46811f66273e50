//! zlib through `git_core::zlib` on 1 MiB of real source text from the delta fixture:
//! deflate at git's default level 6 and at level 1, inflate with an exact declared size (miniz_oxide),
//! and inflate with the Wasm module's `SmallInflater`.

use artifacts_benches::{delta_fixture, git_delta_pairs, realistic_bytes, short};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use git_core::zlib::{deflate, deflate_into, inflate_exact_into, DEFAULT_LEVEL};

fn bench(c: &mut Criterion) {
    let pairs = git_delta_pairs(&delta_fixture());
    let data = realistic_bytes(&pairs, 1 << 20);
    let compressed = deflate(&data, DEFAULT_LEVEL);
    let mut g = c.benchmark_group("zlib");
    // Throughput in uncompressed bytes for all three.
    g.throughput(Throughput::Bytes(data.len() as u64));
    let mut out = Vec::with_capacity(data.len());
    g.bench_function("inflate_1MiB", |b| {
        b.iter(|| {
            out.clear();
            inflate_exact_into(black_box(&compressed), data.len() as u64, 1 << 21, &mut out)
        })
    });
    // The Wasm module's inflater, run natively: the same stream through `SmallInflater`.
    let mut small = git_core::zlib::SmallInflater::new();
    g.bench_function("small_inflate_1MiB", |b| {
        b.iter(|| {
            out.clear();
            git_core::zlib::StreamInflate::reset(&mut small);
            git_core::zlib::StreamInflate::inflate(&mut small, black_box(&compressed), &mut out, 1 << 21)
        })
    });
    for level in [DEFAULT_LEVEL, 1] {
        g.bench_function(format!("deflate_level{level}_1MiB"), |b| {
            b.iter(|| {
                out.clear();
                deflate_into(black_box(&data), level, &mut out);
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(short::SAMPLES).warm_up_time(short::WARM_UP).measurement_time(short::MEASURE);
    targets = bench
}
criterion_main!(benches);
