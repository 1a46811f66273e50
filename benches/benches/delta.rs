//! Delta apply and create on the fixture's realistic pairs (every delta git chose between
//! successive npm releases). Throughput is in target bytes produced / encoded.

use artifacts_benches::{delta_fixture, git_delta_pairs, short};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use git_core::delta::{apply_into, create_into, DeltaIndex};

fn bench(c: &mut Criterion) {
    let pairs = git_delta_pairs(&delta_fixture());
    let target_bytes: u64 = pairs.iter().map(|p| p.target.len() as u64).sum();
    let base_bytes: u64 = pairs.iter().map(|p| p.base.len() as u64).sum();
    let mut g = c.benchmark_group("delta");
    let mut out = Vec::new();
    g.throughput(Throughput::Bytes(target_bytes));
    g.bench_function("apply_git_deltas", |b| {
        b.iter(|| {
            for p in &pairs {
                apply_into(&p.base, black_box(&p.git_delta), u64::MAX, &mut out).expect("applies");
            }
        })
    });
    let mut index = DeltaIndex::new();
    g.bench_function("create_with_index_build", |b| {
        b.iter(|| {
            for p in &pairs {
                index.build(black_box(&p.base));
                create_into(&index, &p.base, black_box(&p.target), usize::MAX, &mut out).expect("creates");
            }
        })
    });
    g.throughput(Throughput::Bytes(base_bytes));
    g.bench_function("index_build", |b| {
        b.iter(|| {
            for p in &pairs {
                index.build(black_box(&p.base));
            }
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(short::SAMPLES).warm_up_time(short::WARM_UP).measurement_time(short::MEASURE);
    targets = bench
}
criterion_main!(benches);
