//! fsck against git itself: crafted objects from tests/fixtures/fsck-cases.sh (each verdict proven
//! there with `git index-pack --strict`) get the same msg id and severity from us, and the valid
//! objects of the fixture repository pass exactly where `git fsck --strict` passes them.

#[path = "fixtures/support.rs"]
mod support;

use git_core::fsck::{check_gitattributes_blob, check_gitmodules_blob, check_object, FsckOptions, MsgId};
use git_core::{hash_object, ObjectKind};
use std::collections::HashMap;
use support::{all_objects, fixture_repo, git_path, run_script};

#[test]
fn crafted_objects_get_the_msg_id_git_reports() {
    let dir = tempfile::tempdir().expect("tempdir");
    run_script("fsck-cases.sh", &[dir.path()]);
    let manifest = std::fs::read_to_string(dir.path().join("manifest")).expect("manifest");
    let options = FsckOptions::default();
    let mut cases = 0;
    for line in manifest.lines() {
        let [name, kind, verdict, msgid]: [&str; 4] =
            line.split(' ').collect::<Vec<_>>().try_into().expect("4 fields");
        let data = std::fs::read(dir.path().join("cases").join(name)).expect("case data");
        let expected = MsgId::from_name(msgid).unwrap_or_else(|| panic!("{name}: unknown msg id {msgid}"));
        let result = match kind {
            "gitmodules" | "gitattributes" => {
                // Through a tree, as git finds them.
                let blob = hash_object(ObjectKind::Blob, &data).expect("hash");
                let mut tree = format!("100644 .{kind}\0").into_bytes();
                tree.extend_from_slice(blob.as_bytes());
                let report = check_object(ObjectKind::Tree, &tree, &options).expect("tree passes");
                let list = if kind == "gitmodules" { &report.gitmodules } else { &report.gitattributes };
                assert_eq!(list, &[blob], "{name}: tree names the blob");
                if kind == "gitmodules" {
                    check_gitmodules_blob(&data, &options)
                } else {
                    check_gitattributes_blob(&data, &options)
                }
            }
            k => check_object(ObjectKind::from_name(k.as_bytes()).expect("kind"), &data, &options),
        };
        match verdict {
            "error" => {
                let err = result.expect_err(&format!("{name}: git rejects it with {msgid}"));
                assert_eq!(err.id, expected, "{name}: {err}");
                assert!(err.to_string().starts_with(&format!("{msgid}: ")), "{name}: {err}");
            }
            "warn" => {
                let report = result.unwrap_or_else(|e| panic!("{name}: git accepts it, we said {e}"));
                assert_eq!(report.warnings.first().map(|w| w.id), Some(expected), "{name}: {report:?}");
            }
            v => panic!("unknown verdict {v}"),
        }
        cases += 1;
    }
    assert!(cases >= 70, "only {cases} cases");
}

/// `git fsck --strict` on the fixture repository: the first error git names per object.
fn git_fsck_errors() -> HashMap<String, String> {
    let out = std::process::Command::new(git_path())
        .arg("-C")
        .arg(fixture_repo())
        .args(["fsck", "--strict", "--no-dangling", "--no-progress"])
        .output()
        .expect("run git fsck");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut errors = HashMap::new();
    for line in stderr.lines() {
        // "error in tree <id>: zeroPaddedFilemode: contains zero-padded file modes"
        let Some(rest) = line.strip_prefix("error in ") else { continue };
        let mut words = rest.splitn(3, ' ');
        let (_, id, msg) = (words.next(), words.next().expect("id"), words.next().expect("msg"));
        let msgid = msg.split(':').next().expect("msg id");
        errors.entry(id.trim_end_matches(':').to_string()).or_insert_with(|| msgid.to_string());
    }
    errors
}

#[test]
fn fixture_repository_passes_where_git_does() {
    let errors = git_fsck_errors();
    assert_eq!(errors.values().map(String::as_str).collect::<Vec<_>>(), ["zeroPaddedFilemode"]);
    let options = FsckOptions::default();
    let mut warned = 0;
    for (id, kind, data) in all_objects(fixture_repo()) {
        let ours = check_object(kind, &data, &options);
        match errors.get(&id.to_string()) {
            Some(msgid) => {
                let err = ours.expect_err(&format!("git rejects {id}"));
                assert_eq!(err.id.name(), msgid, "{id}");
            }
            None => {
                let report = ours.unwrap_or_else(|e| panic!("{kind} {id}: {e}"));
                warned += report.warnings.len();
            }
        }
    }
    // The tag without tagger.
    assert_eq!(warned, 1);
    // Plain (non-strict) fsck lets the zero-padded mode through as a warning.
    let lenient = FsckOptions::lenient();
    let odd = support::rev_parse(fixture_repo(), "refs/fixtures/odd-modes");
    let data = support::cat_file_raw(fixture_repo(), "tree", &odd);
    let report = check_object(ObjectKind::Tree, &data, &lenient).expect("lenient");
    assert_eq!(report.warnings.iter().map(|w| w.id).collect::<Vec<_>>(), [MsgId::ZeroPaddedFilemode]);
}

#[test]
fn gitmodules_spellings_are_found() {
    let blob = hash_object(ObjectKind::Blob, b"x").expect("hash");
    for name in [&b".gitmodules"[..], b".GITMODULES", b"GITMOD~1", b"gi7eba~1", b".gitmodules .", b"x\\.gitmodules"] {
        let mut tree = b"100644 ".to_vec();
        tree.extend_from_slice(name);
        tree.push(0);
        tree.extend_from_slice(blob.as_bytes());
        let report = check_object(ObjectKind::Tree, &tree, &FsckOptions::default());
        let report = report.unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(name)));
        assert_eq!(report.gitmodules, [blob], "{:?}", String::from_utf8_lossy(name));
    }
}

/// Crafted bad input never panics.
mod malformed {
    use super::*;

    #[test]
    fn truncations_of_bad_cases() {
        let samples: [&[u8]; 4] = [
            b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@b> 1 +0000\ncommitter C <c@d> 1 +0000\n\nm\n",
            b"object 4b825dc642cb6eb9a060e54bf8d69288fbee4904\ntype tree\ntag t\ntagger T <t@x> 1 +0000\ngpgsig x\n y\n\nm",
            b"100644 a\0aaaaaaaaaaaaaaaaaaaa40000 b\0bbbbbbbbbbbbbbbbbbbb",
            b"[submodule \"x\"]\n\turl = \"https://a/%0\\\n",
        ];
        for sample in samples {
            for end in 0..=sample.len() {
                let data = &sample[..end];
                for kind in [ObjectKind::Commit, ObjectKind::Tree, ObjectKind::Tag, ObjectKind::Blob] {
                    let _ = check_object(kind, data, &FsckOptions::default());
                }
                let _ = check_gitmodules_blob(data, &FsckOptions::default());
                let _ = check_gitattributes_blob(data, &FsckOptions::default());
            }
        }
    }

    #[test]
    fn overrides_change_severity() {
        let data = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@b> 01 +0000\ncommitter C <c@d> 1 +0000\n\nm\n";
        let strict = FsckOptions::default();
        assert_eq!(check_object(ObjectKind::Commit, data, &strict).map_err(|e| e.id), Err(MsgId::ZeroPaddedDate));
        let mut relaxed = FsckOptions::default();
        relaxed.overrides.push((MsgId::ZeroPaddedDate, git_core::fsck::Severity::Warn));
        let report = check_object(ObjectKind::Commit, data, &relaxed).expect("downgraded");
        assert_eq!(report.warnings[0].id, MsgId::ZeroPaddedDate);
    }
}
