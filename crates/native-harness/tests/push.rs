//! Real `git push` and `git clone` against `artifacts serve`: round trips, thin packs, large
//! (chunked) request bodies with a value chunked in SQLite, rejected pushes, deletions, force
//! pushes, auto-create, and several clients at once.

mod common;
use common::*;
use std::path::Path;

fn rev(dir: &Path, what: &str) -> String {
    git_ok(dir, &["rev-parse", what]).trim().to_owned()
}

fn ls_remote(dir: &Path, url: &str) -> String {
    git_ok(dir, &["ls-remote", url])
}

#[test]
fn push_then_clone_round_trip_with_thin_follow_up_push() {
    let server = Server::start(&[]);
    server.create_repo("proj");
    let tmp = tempfile::tempdir().expect("tempdir");
    let work = work_repo(tmp.path(), "work");
    let url = server.url("proj");
    git_ok(&work, &["push", "-q", &url, "main"]);
    // A follow-up push: git sends a thin pack against what the server has.
    std::fs::write(work.join("sub/file.txt"), "content\n".repeat(100) + "changed\n").expect("write");
    git_ok(&work, &["commit", "-q", "-am", "second"]);
    git_ok(&work, &["tag", "-a", "-m", "release", "v1"]);
    git_ok(&work, &["push", "-q", &url, "main", "v1"]);
    let refs = ls_remote(tmp.path(), &url);
    assert!(refs.contains(&format!("{}\tHEAD", rev(&work, "main"))), "{refs}");
    assert!(refs.contains(&format!("{}\trefs/tags/v1", rev(&work, "v1"))), "{refs}");
    assert!(refs.contains(&format!("{}\trefs/tags/v1^{{}}", rev(&work, "main"))), "{refs}");
    for protocol in ["version=2", "version=0"] {
        let dest = format!("clone-{protocol}");
        git_ok(tmp.path(), &["-c", &format!("protocol.{protocol}"), "clone", "-q", &url, &dest]);
        let clone = tmp.path().join(&dest);
        assert_eq!(rev(&clone, "HEAD"), rev(&work, "main"));
        git_ok(&clone, &["fsck", "--strict", "--no-dangling"]);
        assert_eq!(
            std::fs::read_to_string(clone.join("sub/file.txt")).expect("read"),
            "content\n".repeat(100) + "changed\n"
        );
    }
    let log = server.log_lines();
    assert!(log.iter().any(|l| l.starts_with("POST /proj.git/git-receive-pack 200 ")), "{log:?}");
}

#[test]
fn large_chunked_push_of_a_five_megabyte_blob() {
    let server = Server::start(&[]);
    server.create_repo("big");
    let tmp = tempfile::tempdir().expect("tempdir");
    let work = work_repo(tmp.path(), "work");
    // Incompressible content so the pack (and the request body) is over git's 1 MiB post buffer,
    // which makes git send it chunked; the stored zlib stream is over the 2 MB row limit.
    let mut x: u64 = 0x9e3779b97f4a7c15;
    let data: Vec<u8> = (0..5_000_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    std::fs::write(work.join("blob.bin"), &data).expect("write");
    git_ok(&work, &["add", "blob.bin"]);
    git_ok(&work, &["commit", "-q", "-m", "big"]);
    let url = server.url("big");
    let out = git(&work).args(["-c", "http.postBuffer=65536", "push", &url, "main"]).env("GIT_TRACE_CURL", "1").output().expect("git");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{}", err.lines().filter(|l| !l.contains("=> Send data")).take(60).collect::<Vec<_>>().join("\n"));
    assert!(err.contains("Transfer-Encoding: chunked"), "git sent the push body chunked");
    git_ok(tmp.path(), &["clone", "-q", &url, "copy"]);
    assert!(std::fs::read(tmp.path().join("copy/blob.bin")).expect("read") == data, "blob round-trips");
}

#[test]
fn rejected_push_leaves_refs_and_reports_the_reason() {
    let server = Server::start(&[]);
    server.create_repo("r");
    let tmp = tempfile::tempdir().expect("tempdir");
    let work = work_repo(tmp.path(), "work");
    let url = server.url("r");
    git_ok(&work, &["push", "-q", &url, "main"]);
    let good = rev(&work, "main");
    // A commit whose tree has a `.git` entry.
    let blob = rev(&work, "main:README");
    let tree = String::from_utf8(
        git(&work)
            .args(["mktree"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin.take().expect("stdin").write_all(format!("100644 blob {blob}\t.git\n").as_bytes())?;
                c.wait_with_output()
            })
            .expect("mktree")
            .stdout,
    )
    .expect("utf8");
    let evil = git_ok(&work, &["commit-tree", tree.trim(), "-p", "main", "-m", "evil"]);
    let err = git_fails(&work, &["push", &url, &format!("{}:refs/heads/main", evil.trim())]);
    assert!(err.contains("remote unpack failed"), "{err}");
    assert!(err.contains("hasDotgit"), "the reason reaches the user: {err}");
    assert!(ls_remote(tmp.path(), &url).contains(&format!("{good}\trefs/heads/main")));
    // Deleting the current branch is refused; deleting another works; a stale push is rejected.
    git_ok(&work, &["push", "-q", &url, "main:refs/heads/other"]);
    let err = git_fails(&work, &["push", &url, ":main"]);
    assert!(err.contains("deletion of the current branch prohibited"), "{err}");
    git_ok(&work, &["push", "-q", &url, ":other"]);
    assert!(!ls_remote(tmp.path(), &url).contains("refs/heads/other"));
    // Non-fast-forward without force is refused by git itself; with force it is accepted.
    git_ok(&work, &["commit", "-q", "--amend", "-m", "rewritten"]);
    let err = git_fails(&work, &["push", &url, "main"]);
    assert!(err.contains("rejected"), "{err}");
    git_ok(&work, &["push", "-q", "--force", &url, "main"]);
    assert!(ls_remote(tmp.path(), &url).contains(&format!("{}\trefs/heads/main", rev(&work, "main"))));
    // An atomic push where git sends both: all accepted together.
    git_ok(&work, &["push", "-q", "--atomic", &url, "main:refs/heads/a", "main:refs/heads/b"]);
    let refs = ls_remote(tmp.path(), &url);
    assert!(refs.contains("refs/heads/a") && refs.contains("refs/heads/b"), "{refs}");
}

#[test]
fn auto_create_on_push_only_with_the_flag() {
    let plain = Server::start(&[]);
    let tmp = tempfile::tempdir().expect("tempdir");
    let work = work_repo(tmp.path(), "work");
    let err = git_fails(&work, &["push", &plain.url("fresh"), "main"]);
    assert!(err.contains("404") || err.contains("not found"), "{err}");
    let auto = Server::start(&["--auto-create"]);
    git_ok(&work, &["push", "-q", &auto.url("fresh"), "main"]);
    assert!(ls_remote(tmp.path(), &auto.url("fresh")).contains(&rev(&work, "main")));
    // Fetching a missing repository never creates it.
    let err = git_fails(tmp.path(), &["ls-remote", &auto.url("other")]);
    assert!(err.contains("not found") || err.contains("404"), "{err}");
    let data = auto.data.path().to_str().expect("utf-8");
    assert_eq!(String::from_utf8_lossy(&artifacts(&["repo", "list", "--data", data]).stdout), "fresh\n");
}

#[test]
fn many_clients_at_once() {
    let server = Server::start(&[]);
    server.create_repo("shared");
    let tmp = tempfile::tempdir().expect("tempdir");
    let work = work_repo(tmp.path(), "work");
    let url = server.url("shared");
    git_ok(&work, &["push", "-q", &url, "main"]);
    let head = rev(&work, "main");
    let handles: Vec<_> = (0..6)
        .map(|i| {
            let url = url.clone();
            let parent = tmp.path().to_path_buf();
            let work = work.clone();
            std::thread::spawn(move || {
                if i % 3 == 2 {
                    // Concurrent pushes of different branches.
                    git_ok(&work, &["push", "-q", &url, &format!("main:refs/heads/b{i}")]);
                } else {
                    git_ok(&parent, &["clone", "-q", &url, &format!("c{i}")]);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("client thread");
    }
    for i in [0, 1, 3, 4] {
        assert_eq!(rev(&tmp.path().join(format!("c{i}")), "HEAD"), head);
    }
    let refs = ls_remote(tmp.path(), &url);
    assert!(refs.contains("refs/heads/b2") && refs.contains("refs/heads/b5"), "{refs}");
}
