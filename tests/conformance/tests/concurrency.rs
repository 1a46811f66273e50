//! Many clients at once: 20 clones and 5 pushers to different branches, in parallel threads.

use artifacts_conformance::fixture::seeded_repo;
use artifacts_conformance::*;

#[test]
fn twenty_clones_five_pushers() {
    let (url, src) = seeded_repo("parallel");
    let main = src.rev("main");
    let clients = GitClient::all();
    let clones: Vec<_> = (0..20)
        .map(|i| {
            let (url, main, c) = (url.clone(), main.clone(), clients[i % clients.len()].clone());
            std::thread::spawn(move || {
                let w = WorkRepo::clone_with(&c, &url, &[]);
                assert_eq!(w.rev("HEAD"), main, "clone {i} ({}) has the wrong main", c.name);
                assert_fsck_strict(w.path());
                w.refs_count()
            })
        })
        .collect();
    let pushers: Vec<_> = (0..5)
        .map(|i| {
            let (url, c) = (url.clone(), clients[i % clients.len()].clone());
            std::thread::spawn(move || {
                let w = WorkRepo::clone_with(&c, &url, &[]);
                let branch = format!("pusher-{i}");
                w.git(&["checkout", "-q", "-b", &branch]);
                w.commits(3, &branch);
                w.git(&["push", "-q", "origin", &branch]);
                let tip = w.commits(2, &format!("{branch}-more"));
                w.git(&["push", "-q", "origin", &branch]);
                (branch, tip)
            })
        })
        .collect();
    let counts: Vec<usize> = clones.into_iter().map(|t| t.join().expect("a clone failed")).collect();
    assert!(counts.iter().all(|&n| n == counts[0]));
    let pushed: Vec<(String, String)> = pushers.into_iter().map(|t| t.join().expect("a push failed")).collect();
    let m = mirror_and_fsck(&url);
    for (branch, tip) in &pushed {
        assert_eq!(m.refs.get(&format!("refs/heads/{branch}")), Some(tip), "{branch}");
    }
    assert_eq!(m.refs.get("refs/heads/main"), Some(&main));
    assert_eq!(m.refs.len(), 5 + 5, "{:?}", m.refs);
}

trait RefsCount {
    fn refs_count(&self) -> usize;
}
impl RefsCount for WorkRepo {
    fn refs_count(&self) -> usize {
        self.git.refs(self.path()).len()
    }
}
