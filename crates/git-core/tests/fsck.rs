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
                assert_eq!(list.as_slice(), &[blob], "{name}: tree names the blob");
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
        assert_eq!(report.gitmodules.as_slice(), [blob], "{:?}", String::from_utf8_lossy(name));
    }
}

#[test]
fn links_are_the_ids_objects_name() {
    let id = |b: u8| git_core::ObjectId::from_bytes(&[b; 20]).expect("20 bytes");
    let links = |kind: ObjectKind, data: &[u8]| {
        let report = check_object(kind, data, &FsckOptions::default()).expect("passes");
        report.links.as_slice().to_vec()
    };
    let (a, b, c) = (id(0xaa), id(0xbb), id(0xcc));
    let commit = format!("tree {a}\nparent {b}\nparent {c}\nparent {b}\nauthor A <a> 1 +0000\ncommitter A <a> 1 +0000\n\nm\n");
    assert_eq!(links(ObjectKind::Commit, commit.as_bytes()), [a, b, c], "each id once, in order");
    let root = format!("tree {a}\nauthor A <a> 1 +0000\ncommitter A <a> 1 +0000\n\nparent {b}\n");
    assert_eq!(links(ObjectKind::Commit, root.as_bytes()), [a], "only header lines");
    let tag = format!("object {b}\ntype commit\ntag v1\n\n");
    assert_eq!(links(ObjectKind::Tag, tag.as_bytes()), [b]);
    let mut tree = b"100644 f\0".to_vec();
    tree.extend_from_slice(a.as_bytes());
    tree.extend_from_slice(b"160000 sub\0");
    tree.extend_from_slice(c.as_bytes());
    assert_eq!(links(ObjectKind::Tree, &tree), [a], "gitlinks are not followed");
    assert_eq!(links(ObjectKind::Blob, b"tree x"), []);
    // An object fsck rejects names nothing to follow: the check fails first.
    for (kind, bad) in [(ObjectKind::Commit, &b"tree 123\n\n"[..]), (ObjectKind::Tag, b"type commit\n\n"), (ObjectKind::Tree, b"100644 f\0short")] {
        assert!(check_object(kind, bad, &FsckOptions::default()).is_err(), "{}", String::from_utf8_lossy(bad));
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
        assert_eq!(check_object(ObjectKind::Commit, data, &strict).map(drop).map_err(|e| e.id), Err(MsgId::ZeroPaddedDate));
        let mut relaxed = FsckOptions::default();
        relaxed.overrides.push((MsgId::ZeroPaddedDate, git_core::fsck::Severity::Warn));
        let report = check_object(ObjectKind::Commit, data, &relaxed).expect("downgraded");
        assert_eq!(report.warnings[0].id, MsgId::ZeroPaddedDate);
    }
}

/// The full `<msgId>: <detail>` texts, as git's fsck.c words them (the crafted cases above pin
/// the ids; these pin the details, whose pieces are shared between checks).
mod details {
    use super::*;
    use git_core::fsck::Severity;

    const TREE: &str = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n";
    const ID: &str = "T <t@x> 1 +0000\n";

    fn error(kind: ObjectKind, data: &[u8]) -> String {
        check_object(kind, data, &FsckOptions::default()).expect_err("rejected").to_string()
    }

    #[test]
    fn commit_and_identity_details() {
        let commit = |s: &str| error(ObjectKind::Commit, s.as_bytes());
        assert_eq!(commit("parent x\n\n"), "missingTree: invalid format - expected 'tree' line");
        assert_eq!(commit("tree 4b82\n\n"), "badTreeSha1: invalid 'tree' line format - bad sha1");
        assert_eq!(commit(&format!("{TREE}parent 12\n\n")), "badParentSha1: invalid 'parent' line format - bad sha1");
        assert_eq!(commit(&format!("{TREE}committer {ID}\n")), "missingAuthor: invalid format - expected 'author' line");
        assert_eq!(
            commit(&format!("{TREE}author {ID}author {ID}committer {ID}\n")),
            "multipleAuthors: invalid format - multiple 'author' lines"
        );
        assert_eq!(commit(&format!("{TREE}author {ID}\n")), "missingCommitter: invalid format - expected 'committer' line");
        let ident = |line: &str| commit(&format!("{TREE}author {line}\ncommitter {ID}\n"));
        assert_eq!(ident("<t@x> 1 +0000"), "missingNameBeforeEmail: invalid author/committer line - missing space before email");
        assert_eq!(ident("T t@x 1 +0000"), "missingEmail: invalid author/committer line - missing email");
        assert_eq!(ident("T> <t@x> 1 +0000"), "badName: invalid author/committer line - bad name");
        assert_eq!(ident("T<t@x> 1 +0000"), "missingSpaceBeforeEmail: invalid author/committer line - missing space before email");
        assert_eq!(ident("T <t<x> 1 +0000"), "badEmail: invalid author/committer line - bad email");
        assert_eq!(ident("T <t@x>1 +0000"), "missingSpaceBeforeDate: invalid author/committer line - missing space before date");
        assert_eq!(ident("T <t@x> x +0000"), "badDate: invalid author/committer line - bad date");
        assert_eq!(ident("T <t@x> 01 +0000"), "zeroPaddedDate: invalid author/committer line - zero-padded date");
        assert_eq!(
            ident("T <t@x> 99999999999999999999 +0000"),
            "badDateOverflow: invalid author/committer line - date causes integer overflow"
        );
        assert_eq!(ident("T <t@x> 1 +00"), "badTimezone: invalid author/committer line - bad time zone");
        // The overflow boundary: i64::MAX is a date, one more is not, however many digits.
        let date = |d: &str| {
            let data = format!("{TREE}author T <t@x> {d} +0000\ncommitter {ID}\n");
            check_object(ObjectKind::Commit, data.as_bytes(), &FsckOptions::default()).map_err(|e| e.id)
        };
        assert!(date("9223372036854775807").is_ok());
        assert!(date("0").is_ok());
        for over in ["9223372036854775808", "9999999999999999999", "10000000000000000000", "123456789012345678901234"] {
            assert_eq!(date(over).map(|_| ()), Err(MsgId::BadDateOverflow), "{over}");
        }
        assert_eq!(commit("tree\0"), "nulInHeader: unterminated header: NUL at offset 4");
        assert_eq!(commit("tree"), "unterminatedHeader: unterminated header");
    }

    #[test]
    fn tag_details() {
        let tag = |s: &str| error(ObjectKind::Tag, s.as_bytes());
        let object = "object 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n";
        assert_eq!(tag("type tree\n\n"), "missingObject: invalid format - expected 'object' line");
        assert_eq!(tag("object 1\n\n"), "badObjectSha1: invalid 'object' line format - bad sha1");
        assert_eq!(tag(&format!("{object}tag t\n\n")), "missingTypeEntry: invalid format - expected 'type' line");
        assert_eq!(tag(&format!("{object}type tree")), "unterminatedHeader: unterminated header");
        assert_eq!(tag(&format!("{object}type tre\ntag t\n\n")), "badType: invalid 'type' value");
        assert_eq!(tag(&format!("{object}type tree\n\n")), "missingTagEntry: invalid format - expected 'tag' line");
        // Info-level findings are warnings even under --strict; the name is shown lossily.
        let report = check_object(
            ObjectKind::Tag,
            format!("{object}type tree\ntag a..\u{e9}\n\n").as_bytes(),
            &FsckOptions::default(),
        )
        .expect("infos do not reject");
        let texts: Vec<_> = report.warnings.iter().map(|w| (w.id, w.detail.as_str())).collect();
        assert_eq!(
            texts,
            [
                (MsgId::BadTagName, "invalid 'tag' name: a..\u{e9}"),
                (MsgId::MissingTaggerEntry, "invalid format - expected 'tagger' line"),
            ]
        );
        let mut bad_utf8 = format!("{object}type tree\ntag a..").into_bytes();
        bad_utf8.push(0xff);
        bad_utf8.extend_from_slice(format!("\ntagger {ID}\n").as_bytes());
        let report = check_object(ObjectKind::Tag, &bad_utf8, &FsckOptions::default()).expect("infos do not reject");
        assert_eq!(report.warnings.first().map(|w| w.detail.as_str()), Some("invalid 'tag' name: a..\u{fffd}"));
        // extraHeaderEntry is ignored unless configured.
        let extra = format!("{object}type tree\ntag t\ntagger {ID}x\n\n");
        assert!(check_object(ObjectKind::Tag, extra.as_bytes(), &FsckOptions::default()).is_ok());
        let mut options = FsckOptions::default();
        options.overrides.push((MsgId::ExtraHeaderEntry, Severity::Error));
        let err = check_object(ObjectKind::Tag, extra.as_bytes(), &options).expect_err("configured as an error");
        assert_eq!(err.to_string(), "extraHeaderEntry: invalid format - extra header(s) after 'tagger'");
    }

    /// Every tree finding at once (errors downgraded), in fsck.c's order of reporting.
    #[test]
    fn tree_findings_in_gits_order() {
        let mut tree = Vec::new();
        let mut entry = |mode: &str, name: &str, id: u8| {
            tree.extend_from_slice(format!("{mode} {name}\0").as_bytes());
            tree.extend_from_slice(&[id; 20]);
        };
        entry("100644", ".", 0);
        entry("100644", "..", 1);
        entry("100644", ".git", 1);
        entry("0100644", "a", 1);
        entry("100666", "b", 1);
        entry("100644", "b", 1);
        entry("100644", "a/b", 1);
        entry("100644", "zzzzzz", 1);
        let mut options = FsckOptions::lenient();
        options.max_path_len = 5;
        options.overrides = vec![(MsgId::DuplicateEntries, Severity::Warn), (MsgId::TreeNotSorted, Severity::Warn)];
        let report = check_object(ObjectKind::Tree, &tree, &options).expect("all downgraded");
        let texts: Vec<_> = report.warnings.iter().map(|w| format!("{}: {}", w.id, w.detail)).collect();
        assert_eq!(
            texts,
            [
                "nullSha1: contains entries pointing to null sha1",
                "fullPathname: contains full pathnames",
                "hasDot: contains '.'",
                "hasDotdot: contains '..'",
                "hasDotgit: contains '.git'",
                "zeroPaddedFilemode: contains zero-padded file modes",
                "badFilemode: contains bad file modes",
                "duplicateEntries: contains duplicate file entries",
                "treeNotSorted: not properly sorted",
                "largePathname: contains excessively large pathname",
            ]
        );
        assert_eq!(error(ObjectKind::Tree, b"100644 a\0short"), "badTree: cannot be parsed as a tree");
    }

    #[test]
    fn gitmodules_details() {
        let text = |blob: &str| {
            check_gitmodules_blob(blob.as_bytes(), &FsckOptions::default()).expect_err("rejected").to_string()
        };
        assert_eq!(text("[submodule \"../x\"]\npath = x\n"), "gitmodulesName: disallowed submodule name: ../x");
        assert_eq!(text("[submodule \"a\"]\nurl = -u\n"), "gitmodulesUrl: disallowed submodule url: -u");
        assert_eq!(text("[submodule \"a\"]\npath = -p\n"), "gitmodulesPath: disallowed submodule path: -p");
        assert_eq!(
            text("[submodule \"a\"]\nupdate = !x\n"),
            "gitmodulesUpdate: disallowed submodule update setting: !x"
        );
    }
}
