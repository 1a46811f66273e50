//! The `artifacts` command line: repository management and `serve` refusals.

mod common;
use common::artifacts;

fn text(out: &std::process::Output) -> (String, String) {
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn repo_create_list_delete() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let data = data.to_str().expect("utf-8");
    let out = artifacts(&["repo", "create", "beta", "--data", data]);
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(text(&out).0.contains("HEAD -> refs/heads/main"), "{:?}", text(&out));
    let out = artifacts(&["repo", "create", "alpha", "--default-branch", "trunk", "--data", data]);
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(text(&out).0.contains("refs/heads/trunk"));
    let out = artifacts(&["repo", "create", "alpha", "--data", data]);
    assert!(!out.status.success());
    assert!(text(&out).1.contains("repository alpha already exists"), "{:?}", text(&out));
    let out = artifacts(&["repo", "list", "--data", data]);
    assert_eq!(text(&out).0, "alpha\nbeta\n");
    let out = artifacts(&["repo", "delete", "alpha", "--data", data]);
    assert!(out.status.success(), "{:?}", text(&out));
    let out = artifacts(&["repo", "delete", "alpha", "--data", data]);
    assert!(!out.status.success());
    assert!(text(&out).1.contains("repository alpha does not exist"), "{:?}", text(&out));
    assert_eq!(text(&artifacts(&["repo", "list", "--data", data])).0, "beta\n");
    // The database file is named after the repository and nothing else is left behind for alpha.
    let files: Vec<String> = std::fs::read_dir(dir.path().join("data"))
        .expect("read data")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.iter().all(|f| f.starts_with("beta.sqlite")), "{files:?}");
}

#[test]
fn bad_names_and_branches_are_refused_without_touching_disk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().to_str().expect("utf-8");
    for (name, reason) in [
        ("../evil", "must start with a letter or digit"),
        ("a/b", "'/'"),
        ("-x", "must start with a letter or digit"),
        (&"x".repeat(64), "64 bytes, limit 63"),
        ("sp ace", "' '"),
    ] {
        let out = artifacts(&["repo", "create", name, "--data", data]);
        assert!(!out.status.success(), "{name} accepted");
        assert!(text(&out).1.contains(reason), "{name}: {:?}", text(&out));
    }
    let out = artifacts(&["repo", "create", "ok", "--default-branch", "a..b", "--data", data]);
    assert!(!out.status.success());
    assert!(text(&out).1.contains("not a valid branch name"), "{:?}", text(&out));
    assert_eq!(std::fs::read_dir(dir.path()).expect("read").count(), 0, "nothing created");
}

#[test]
fn serve_refuses_non_loopback_without_insecure_flag() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().to_str().expect("utf-8");
    let out = artifacts(&["serve", "--listen", "0.0.0.0:0", "--data", data]);
    assert!(!out.status.success(), "serve on 0.0.0.0 must fail");
    let err = text(&out).1;
    assert!(err.contains("refusing to listen on 0.0.0.0:0"), "{err}");
    assert!(err.contains("--insecure-no-auth"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let out = artifacts(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("unknown command \"frobnicate\""), "{:?}", text(&out));
    assert!(text(&out).1.contains("usage: artifacts serve"));
    let out = artifacts(&["serve", "--listen", "not-an-address"]);
    assert_eq!(out.status.code(), Some(2));
    let out = artifacts(&["--help"]);
    assert!(out.status.success());
    assert!(text(&out).0.contains("artifacts repo create NAME"));
}
