//! Fetches with the git CLI: negotiation over several rounds, tags (include-tag, --tags), notes,
//! forced updates.

use artifacts_conformance::fixture::seeded_repo;
use artifacts_conformance::*;

git_matrix!(fetch_negotiation_divergent, fetch_tags_and_include_tag, notes_push_and_fetch, fetch_forced_update);

/// Client and server histories diverge by many commits each, so the client's haves are mostly
/// unknown to the server and negotiation needs several rounds before it finds the common base.
fn fetch_negotiation_divergent(c: &GitClient) {
    let url = fresh_repo("negotiate");
    let src = WorkRepo::init();
    src.fast_commits("main", None, 60, "base");
    src.git(&["push", "-q", &url, "main"]);
    let w = WorkRepo::clone_with(c, &url, &[]);
    // the server moves on...
    let up = src.fast_commits("main", Some("main"), 40, "upstream");
    let side = src.fast_commits("side", Some("main~50"), 25, "side");
    src.git(&["push", "-q", &url, "main", "side"]);
    // ...and the client has many newer commits of its own
    w.set_clock_hours(1_000_000);
    w.fast_commits("local", Some("main"), 150, "local");
    w.fast_commits("local2", Some("main~30"), 90, "local2");
    let (_, trace) = c.run_full(w.path(), &["fetch", "origin"], &[("GIT_TRACE_PACKET", "1"), ("GIT_TRACE_CURL", "1"), ("GIT_TRACE_CURL_NO_DATA", "1")]);
    assert_eq!(w.rev("refs/remotes/origin/main"), up);
    assert_eq!(w.rev("refs/remotes/origin/side"), side);
    assert_fsck_strict(w.path());
    let haves = trace.lines().filter(|l| l.contains("> have ")).count();
    let posts = trace.lines().filter(|l| l.contains("Send header: POST ") && l.contains("/git-upload-pack")).count();
    // protocol v2 spends one POST on ls-refs; every other POST is a negotiation round
    let rounds = if c.fetch_protocol() == 2 { posts.saturating_sub(1) } else { posts };
    assert!(haves > 32, "expected a long negotiation, saw {haves} haves:\n{trace}");
    assert!(rounds >= 2, "expected several negotiation rounds (POSTs), saw {rounds}:\n{trace}");
    mirror_and_fsck(&url);
}

/// Annotated tags on fetched history follow automatically (include-tag); a tag on history no
/// branch reaches needs --tags.
fn fetch_tags_and_include_tag(c: &GitClient) {
    let (url, src) = seeded_repo("tags");
    let w = WorkRepo::clone_with(c, &url, &[]);
    assert_eq!(w.rev("refs/tags/v1"), src.rev("refs/tags/v1"));
    assert_eq!(w.rev("refs/tags/light"), src.rev("refs/tags/light"));
    let tip = src.commit(&[("new.txt", "new\n")], "tagged later");
    src.git(&["tag", "-a", "v2", "-m", "version 2"]);
    src.git(&["checkout", "-q", "--detach"]);
    let lonely = src.commit(&[("lonely.txt", "x\n")], "only a tag reaches this");
    src.git(&["tag", "-a", "lonely", "-m", "lonely tag"]);
    src.git(&["checkout", "-q", "main"]);
    src.git(&["push", "-q", "origin", "main", "v2", "lonely"]);
    // the default refspec has destinations, so tags pointing into fetched history auto-follow
    c.run(w.path(), &["fetch", "origin"]);
    assert_eq!(w.rev("refs/remotes/origin/main"), tip);
    assert_eq!(w.rev("refs/tags/v2"), src.rev("refs/tags/v2"), "annotated tag not followed");
    assert_eq!(w.git(&["cat-file", "-t", "v2"]).trim(), "tag");
    assert!(w.git.output(w.path(), &["rev-parse", "--verify", "-q", "refs/tags/lonely"]).stdout.is_empty());
    c.run(w.path(), &["fetch", "--tags", "origin"]);
    assert_eq!(w.rev("refs/tags/lonely"), src.rev("refs/tags/lonely"));
    assert_eq!(w.rev("lonely^{commit}"), lonely);
    assert_fsck_strict(w.path());
    let m = mirror_and_fsck(&url);
    assert_eq!(m.refs.get("refs/tags/lonely"), Some(&src.rev("refs/tags/lonely")));
}

/// `git notes` pushed to refs/notes/commits and fetched by another clone.
fn notes_push_and_fetch(c: &GitClient) {
    let (url, _src) = seeded_repo("notes");
    let a = WorkRepo::clone_with(c, &url, &[]);
    a.git(&["notes", "add", "-m", "reviewed-by: conformance", "HEAD"]);
    a.git(&["notes", "add", "-m", "older note", "HEAD~3"]);
    a.git(&["push", "origin", "refs/notes/commits"]);
    let notes = a.rev("refs/notes/commits");
    let b = WorkRepo::clone_with(c, &url, &[]);
    b.git(&["fetch", "origin", "refs/notes/*:refs/notes/*"]);
    assert_eq!(b.rev("refs/notes/commits"), notes);
    assert_eq!(b.git(&["notes", "show", "HEAD"]), "reviewed-by: conformance\n");
    assert_eq!(b.git(&["notes", "show", "HEAD~3"]), "older note\n");
    assert_fsck_strict(b.path());
    assert_eq!(mirror_and_fsck(&url).refs.get("refs/notes/commits"), Some(&notes));
}

/// A branch rewritten on the server is force-updated by the default refspec.
fn fetch_forced_update(c: &GitClient) {
    let (url, src) = seeded_repo("forced");
    let w = WorkRepo::clone_with(c, &url, &[]);
    src.git(&["checkout", "-q", "release"]);
    src.git(&["reset", "-q", "--hard", "HEAD~2"]);
    let new = src.commit(&[("rewritten.txt", "r\n")], "rewritten");
    src.git(&["push", "-q", "--force", "origin", "release"]);
    let (_, err) = c.run_full(w.path(), &["fetch", "origin"], &[]);
    assert!(err.contains("forced update"), "{err}");
    assert_eq!(w.rev("refs/remotes/origin/release"), new);
    assert_fsck_strict(w.path());
}
