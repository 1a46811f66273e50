//! Delta size against git: for every (base, target) pair git chose in the fixture (successive
//! versions of real packages, `git repack -adf --depth=1`), our delta against git's delta —
//! raw, and both zlib-compressed at git's default level 6 by the same compressor — plus git's
//! bytes in the pack. Not timed. Exits 1 if ours is more than 10% larger in aggregate.
//!
//! Run: `cargo bench -p artifacts-benches --bench delta_ratio` or `benches/scripts/delta-ratio.sh`.

use artifacts_benches::{delta_fixture, git_delta_pairs};
use git_core::delta::{apply, create_into, DeltaIndex};
use git_core::zlib::{deflate, DEFAULT_LEVEL};

fn main() {
    let repo = delta_fixture();
    let pairs = git_delta_pairs(&repo);
    let (mut ours_raw, mut git_raw, mut ours_z, mut git_z, mut git_pack, mut targets) = (0u64, 0u64, 0u64, 0u64, 0u64, 0u64);
    let mut worse = Vec::new();
    let mut index = DeltaIndex::new();
    let mut ours = Vec::new();
    for p in &pairs {
        assert_eq!(apply(&p.base, &p.git_delta, u64::MAX).expect("git's delta applies"), p.target);
        index.build(&p.base);
        create_into(&index, &p.base, &p.target, usize::MAX, &mut ours).expect("create");
        assert_eq!(apply(&p.base, &ours, u64::MAX).expect("our delta applies"), p.target);
        let (oz, gz) = (deflate(&ours, DEFAULT_LEVEL).len() as u64, deflate(&p.git_delta, DEFAULT_LEVEL).len() as u64);
        ours_raw += ours.len() as u64;
        git_raw += p.git_delta.len() as u64;
        ours_z += oz;
        git_z += gz;
        git_pack += p.git_in_pack;
        targets += p.target.len() as u64;
        if oz > gz + gz / 2 && oz > gz + 64 {
            worse.push((p.kind.clone(), p.base.len(), p.target.len(), ours.len(), p.git_delta.len(), oz, gz));
        }
    }
    println!("delta pairs: {} (targets {} bytes) from {}", pairs.len(), targets, repo.display());
    println!("raw delta bytes:        ours {ours_raw:>9}  git {git_raw:>9}  ratio {:.3}", ours_raw as f64 / git_raw as f64);
    println!("zlib-6 delta bytes:     ours {ours_z:>9}  git {git_z:>9}  ratio {:.3}", ours_z as f64 / git_z as f64);
    println!("git bytes in pack:      {git_pack:>9}");
    for (kind, b, t, o, g, oz, gz) in worse.iter().take(10) {
        println!("  notably worse: {kind} base {b} target {t}: raw ours {o} git {g}, zlib ours {oz} git {gz}");
    }
    let ratio = ours_z as f64 / git_z as f64;
    if ratio > 1.10 {
        println!("FAIL: compressed deltas are {:.1}% larger than git's (limit 10%)", (ratio - 1.0) * 100.0);
        std::process::exit(1);
    }
    println!("OK: compressed ratio {ratio:.3} <= 1.10");
}
