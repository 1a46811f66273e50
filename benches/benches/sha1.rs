//! SHA-1 with collision detection (`git_core::Hasher`, the sha1dc check git uses) on 1 MiB, its
//! detection-off checksum mode, and for comparison the `sha1-checked` and `sha1` crates.

use artifacts_benches::short;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use git_core::{hash_object, Hasher, ObjectKind};

fn bench(c: &mut Criterion) {
    let data: Vec<u8> = (0..1u32 << 20).map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8).collect();
    let mut g = c.benchmark_group("sha1dc");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.bench_function("1MiB", |b| {
        b.iter(|| {
            let mut h = Hasher::new();
            h.update(black_box(&data));
            h.finish()
        })
    });
    g.bench_function("blob_1MiB", |b| b.iter(|| hash_object(ObjectKind::Blob, black_box(&data))));
    g.bench_function("checksum_1MiB", |b| {
        b.iter(|| {
            let mut h = Hasher::new_checksum();
            h.update(black_box(&data));
            h.finish_checksum()
        })
    });
    g.bench_function("sha1_checked_crate_1MiB", |b| {
        use sha1_checked::Digest;
        b.iter(|| sha1_checked::Sha1::new().chain_update(black_box(&data)).try_finalize().has_collision())
    });
    g.bench_function("sha1_crate_1MiB", |b| {
        use sha1::Digest;
        b.iter(|| sha1::Sha1::digest(black_box(&data)))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(short::SAMPLES).warm_up_time(short::WARM_UP).measurement_time(short::MEASURE);
    targets = bench
}
criterion_main!(benches);
