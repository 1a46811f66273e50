//! Pushes with the git CLI (always protocol v0 for receive-pack, whatever protocol.version says).

use artifacts_conformance::fixture::seeded_repo;
use artifacts_conformance::*;

git_matrix!(
    push_branch_lifecycle,
    push_rejected_stale,
    push_atomic_one_fails,
    push_options,
    push_thin_pack,
    push_fsck_failure_rejected,
    push_large_chunked
);

/// New branch, fast-forward, forced non-fast-forward, delete: the server ends with exactly the
/// refs expected.
fn push_branch_lifecycle(c: &GitClient) {
    let (url, src) = seeded_repo("lifecycle");
    let w = WorkRepo::clone_with(c, &url, &[]);
    w.git(&["checkout", "-q", "-b", "feature"]);
    let f1 = w.commits(3, "feature");
    w.git(&["push", "-q", "origin", "feature"]);
    assert_eq!(ls_remote(&url).get("refs/heads/feature"), Some(&f1));

    w.git(&["checkout", "-q", "main"]);
    let m1 = w.commits(2, "ff");
    w.git(&["push", "-q", "origin", "main"]);
    assert_eq!(ls_remote(&url).get("refs/heads/main"), Some(&m1));

    w.git(&["checkout", "-q", "feature"]);
    w.git(&["reset", "-q", "--hard", "HEAD~2"]);
    let f2 = w.commit(&[("rewrite.txt", "rewritten\n")], "rewrite");
    let err = c.run_fail(w.path(), &["push", "origin", "feature"]);
    assert!(err.contains("rejected"), "non-ff push not rejected: {err}");
    assert_eq!(ls_remote(&url).get("refs/heads/feature"), Some(&f1));
    w.git(&["push", "-q", "--force", "origin", "feature"]);
    assert_eq!(ls_remote(&url).get("refs/heads/feature"), Some(&f2));

    w.git(&["push", "-q", "origin", "--delete", "feature", "topic"]);
    let m = mirror_and_fsck(&url);
    let mut expected = src.git.refs(src.path());
    expected.retain(|k, _| !k.starts_with("refs/remotes/") && k != "refs/heads/topic");
    expected.insert("refs/heads/main".into(), m1);
    assert_eq!(m.refs, expected);
}

/// Two clones push to the same branch: the second one is rejected; a --force-with-lease with a
/// stale lease is rejected; nothing moves until the lease is right.
fn push_rejected_stale(c: &GitClient) {
    let (url, src) = seeded_repo("stale");
    let old = src.rev("main");
    let a = WorkRepo::clone_with(c, &url, &[]);
    let b = WorkRepo::clone_with(c, &url, &[]);
    let ours = a.commit(&[("a.txt", "a\n")], "from a");
    a.git(&["push", "-q", "origin", "main"]);
    b.commit(&[("b.txt", "b\n")], "from b");
    let err = c.run_fail(b.path(), &["push", "origin", "main"]);
    assert!(err.contains("rejected"), "{err}");
    assert_eq!(ls_remote(&url).get("refs/heads/main"), Some(&ours));
    let err = c.run_fail(b.path(), &["push", &format!("--force-with-lease=main:{old}"), "origin", "main"]);
    assert!(err.contains("stale info") || err.contains("rejected"), "{err}");
    assert_eq!(ls_remote(&url).get("refs/heads/main"), Some(&ours));
    b.git(&["fetch", "-q", "origin"]);
    b.git(&["push", "-q", &format!("--force-with-lease=main:{ours}"), "origin", "main"]);
    assert_eq!(ls_remote(&url).get("refs/heads/main"), Some(&b.rev("main")));
    mirror_and_fsck(&url);
}

/// `--atomic` with one ref that cannot be updated: no ref moves.
fn push_atomic_one_fails(c: &GitClient) {
    let (url, _src) = seeded_repo("atomic");
    let before = mirror_and_fsck(&url).refs;
    let w = WorkRepo::clone_with(c, &url, &[]);
    w.commit(&[("ok.txt", "fine\n")], "fast-forward");
    w.git(&["checkout", "-q", "-b", "release", "origin/release"]);
    w.git(&["reset", "-q", "--hard", "HEAD~1"]);
    w.commit(&[("nff.txt", "x\n")], "not a fast-forward");
    w.git(&["checkout", "-q", "-b", "brand-new"]);
    let err = c.run_fail(w.path(), &["push", "--atomic", "origin", "main", "release", "brand-new"]);
    assert!(err.contains("atomic push failed") || err.contains("rejected"), "{err}");
    assert_eq!(mirror_and_fsck(&url).refs, before, "an atomic push moved refs");
    w.git(&["push", "-q", "--atomic", "origin", "main", "brand-new"]);
    let after = mirror_and_fsck(&url).refs;
    assert_eq!(after.get("refs/heads/main"), Some(&w.rev("main")));
    assert_eq!(after.get("refs/heads/brand-new"), Some(&w.rev("brand-new")));
}

/// `git push -o` needs the server to advertise push-options and to accept the option lines.
fn push_options(c: &GitClient) {
    let (url, _src) = seeded_repo("options");
    let w = WorkRepo::clone_with(c, &url, &[]);
    let id = w.commit(&[("o.txt", "o\n")], "with options");
    let (_, trace) = c.run_full(
        w.path(),
        &["push", "-o", "ci.skip", "-o", "merge_request.title=a b c", "origin", "main"],
        &[("GIT_TRACE_PACKET", "1")],
    );
    assert!(trace.contains("push-options"), "push-options not negotiated:\n{trace}");
    assert!(trace.contains("> merge_request.title=a b c"), "option line not sent:\n{trace}");
    assert_eq!(ls_remote(&url).get("refs/heads/main"), Some(&id));
    mirror_and_fsck(&url);
}

/// The default push sends a thin pack (a delta against a blob only the server has).
fn push_thin_pack(c: &GitClient) {
    let (url, _src) = seeded_repo("thin");
    let w = WorkRepo::clone_with(c, &url, &[]);
    let text: String = (0..4000).map(|i| format!("line {i} of a large file that changes little\n")).collect();
    w.commit(&[("big.txt", &text)], "big file");
    w.git(&["push", "-q", "origin", "main"]);
    let changed = text.replace("line 2000 of", "LINE 2000 OF");
    let id = w.commit(&[("big.txt", &changed)], "small change");
    // the pack git sends for this push is thin: it cannot be indexed without the server's objects
    let mut pk = w.git.command(w.path());
    pk.args(["pack-objects", "--thin", "--stdout", "--revs", "-q"]);
    let pack = pipe(pk, b"main\n^origin/main\n");
    let empty = WorkRepo::init();
    let mut ix = empty.git.command(empty.path());
    ix.args(["index-pack", "--stdin"]);
    let out = pipe_output(ix, &pack);
    assert!(!out.status.success(), "the push pack is not thin");
    assert!(String::from_utf8_lossy(&out.stderr).contains("unresolved delta"), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(pack.len() < text.len() / 4, "pack of {} bytes has no delta", pack.len());

    w.git(&["push", "-q", "origin", "main"]);
    let m = mirror_and_fsck(&url);
    assert_eq!(m.refs.get("refs/heads/main"), Some(&id));
    assert_eq!(m.git(&["cat-file", "blob", "main:big.txt"]), changed);
}

/// A tree with a `.git` entry fails fsck: the push is rejected with the reason, no ref moves.
fn push_fsck_failure_rejected(c: &GitClient) {
    let (url, _src) = seeded_repo("fsck");
    let before = mirror_and_fsck(&url).refs;
    let w = WorkRepo::clone_with(c, &url, &[]);
    let blob = w.hash_object_literally("blob", b"[core]\n\tbare = false\n");
    let mut tree = b"100644 .git\0".to_vec();
    tree.extend_from_slice(&pack::hex_to_bytes(&blob));
    let tree = w.hash_object_literally("tree", &tree);
    let commit = w.git(&["commit-tree", &tree, "-p", "HEAD", "-m", "evil"]).trim().to_owned();
    w.git(&["update-ref", "refs/heads/evil", &commit]);
    let err = c.run_fail(w.path(), &["push", "origin", "evil", "main"]);
    assert!(err.to_lowercase().contains("hasdotgit"), "the fsck reason (hasDotgit) is not reported:\n{err}");
    assert!(err.contains("rejected") || err.contains("unpack"), "{err}");
    assert_eq!(mirror_and_fsck(&url).refs, before, "refs moved after a failed push");
}

/// A push larger than http.postBuffer (1 MiB) goes out with chunked transfer-encoding.
fn push_large_chunked(c: &GitClient) {
    let (url, _src) = seeded_repo("chunked");
    let w = WorkRepo::clone_with(c, &url, &[]);
    // ~3 MB that zlib cannot shrink much: a xorshift stream, hex-encoded
    let mut x: u64 = 0x9e3779b97f4a7c15;
    let noise: String = (0..200_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            format!("{x:016x}")
        })
        .collect();
    let id = w.commit(&[("noise.txt", &noise)], "large");
    let (_, trace) = c.run_full(
        w.path(),
        &["push", "origin", "main"],
        &[("GIT_TRACE_CURL", "1"), ("GIT_TRACE_CURL_NO_DATA", "1")],
    );
    assert!(trace.to_lowercase().contains("transfer-encoding: chunked"), "push body was not chunked");
    let m = mirror_and_fsck(&url);
    assert_eq!(m.refs.get("refs/heads/main"), Some(&id));
    assert_eq!(m.git(&["cat-file", "-s", "main:noise.txt"]).trim(), noise.len().to_string());
}

fn pipe(cmd: std::process::Command, input: &[u8]) -> Vec<u8> {
    let out = pipe_output(cmd, input);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn pipe_output(mut cmd: std::process::Command, input: &[u8]) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let t = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    t.join().unwrap();
    out
}
