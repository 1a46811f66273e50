//! Every object of a repository built by real git (tests/fixtures/make-repo.sh) parses, writes
//! back to the same bytes and hashes to the same id; special objects parse to the right fields.

#[path = "fixtures/support.rs"]
mod support;

use git_core::object::{CommitRef, EntryKind, ObjectRef, TagRef, TreeRef};
use git_core::{hash_object, ObjectKind};
use support::{all_objects, fixture_repo, git, rev_parse};

fn raw(kind: &str, id: &git_core::ObjectId) -> Vec<u8> {
    git(fixture_repo(), &["cat-file", kind, &id.to_string()])
}

#[test]
fn every_object_round_trips() {
    let objects = all_objects(fixture_repo());
    assert!(objects.len() > 40, "fixture has {} objects", objects.len());
    let mut kinds = [0usize; 5];
    for (id, kind, data) in &objects {
        let parsed = ObjectRef::parse(*kind, data).unwrap_or_else(|e| panic!("{id} ({kind}): {e}"));
        assert_eq!(parsed.kind(), *kind);
        let mut out = Vec::new();
        parsed.write_to(&mut out);
        assert_eq!(&out, data, "{id} does not round-trip");
        assert_eq!(hash_object(*kind, &out).expect("no collision"), *id);
        kinds[kind.number() as usize] += 1;
    }
    assert!(kinds[1..].iter().all(|n| *n > 0), "all four kinds present: {kinds:?}");
}

/// `walk_info` reads the same tree, parents and committer time as the full parser, for every commit
/// git made (octopus merges, zones, signed, extra headers, dates far in the future, no message).
#[test]
fn walk_info_agrees_with_the_parser() {
    let mut commits = 0;
    for (id, kind, data) in &all_objects(fixture_repo()) {
        if *kind != ObjectKind::Commit {
            continue;
        }
        let c = CommitRef::parse(data).unwrap_or_else(|e| panic!("{id}: {e}"));
        let (tree, parents, time) = git_core::object::walk_info(data).unwrap_or_else(|| panic!("{id}: no walk info"));
        assert_eq!(tree, c.tree(), "{id}");
        assert!(parents.eq(c.parents()), "{id}");
        assert_eq!(time, c.committer().time, "{id}");
        commits += 1;
    }
    assert!(commits > 10, "fixture has {commits} commits");
}

#[test]
fn commits_have_the_fields_git_reports() {
    let repo = fixture_repo();
    let octopus = rev_parse(repo, "refs/fixtures/octopus");
    let data = raw("commit", &octopus);
    let c = CommitRef::parse(&data).expect("octopus");
    assert_eq!(c.parent_count(), 3);
    let parents: Vec<_> = c.parents().collect();
    for (i, p) in parents.iter().enumerate() {
        assert_eq!(*p, rev_parse(repo, &format!("refs/fixtures/octopus^{}", i + 1)));
    }
    assert_eq!(c.tree(), rev_parse(repo, "refs/fixtures/octopus^{tree}"));
    assert_eq!(c.author().name, b"A U Thor");
    assert_eq!(c.committer().email, b"committer@example.com");
    assert_eq!(c.committer().time, 1_700_000_000);

    let zones = rev_parse(repo, "refs/fixtures/zones");
    let data = raw("commit", &zones);
    let c = CommitRef::parse(&data).expect("zones");
    assert_eq!(c.message(), b"gitlink and negative zones\n");
    assert_eq!((c.author().tz, c.author().tz_offset_seconds()), (-130, -5400));
    assert_eq!((c.committer().tz, c.committer().tz_negative), (-700, true));

    let data = raw("commit", &rev_parse(repo, "refs/fixtures/latin1"));
    let c = CommitRef::parse(&data).expect("latin1");
    assert_eq!(c.encoding(), Some(&b"ISO-8859-1"[..]));
    assert_eq!(c.message(), b"caf\xe9 cr\xe8me\n");

    let data = raw("commit", &rev_parse(repo, "refs/fixtures/empty-message"));
    let c = CommitRef::parse(&data).expect("empty");
    assert!(c.has_message_separator());
    assert_eq!(c.message(), b"");

    let data = raw("commit", &rev_parse(repo, "refs/fixtures/no-message"));
    let c = CommitRef::parse(&data).expect("no message");
    assert!(!c.has_message_separator());
    assert_eq!((c.parent_count(), c.author().time), (0, 0));

    let data = raw("commit", &rev_parse(repo, "refs/fixtures/future"));
    let c = CommitRef::parse(&data).expect("future");
    assert_eq!((c.committer().time, c.committer().tz), (253_402_300_799, 1400));
    assert_eq!((c.author().time, c.author().tz), (4_102_444_800, -1200));

    let data = raw("commit", &rev_parse(repo, "refs/fixtures/signed-commit"));
    let c = CommitRef::parse(&data).expect("signed");
    let sig = c.extra_headers().find(|h| h.key() == b"gpgsig").expect("gpgsig header");
    let mut unfolded = Vec::new();
    sig.unfold_into(&mut unfolded);
    assert_eq!(unfolded, b"-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEE\n=abcd\n-----END PGP SIGNATURE-----\n");
    assert_eq!(c.message(), b"signed commit\n");

    let data = raw("commit", &rev_parse(repo, "refs/fixtures/extra-headers"));
    let c = CommitRef::parse(&data).expect("extra headers");
    let keys: Vec<_> = c.extra_headers().map(|h| h.key().to_vec()).collect();
    assert_eq!(keys, [&b"encoding"[..], b"x-custom-header", b"mergetag", b"x-empty"]);
    let mergetag = c.extra_headers().nth(2).expect("mergetag");
    let mut tag = Vec::new();
    mergetag.unfold_into(&mut tag);
    let inner = TagRef::parse(&tag).expect("mergetag holds a tag");
    assert_eq!(inner.name(), b"inner");
    assert_eq!(inner.message(), b"inner tag\n");
}

#[test]
fn tags_and_trees_have_the_fields_git_reports() {
    let repo = fixture_repo();
    let expect = [
        ("v1", ObjectKind::Commit, "v1^{commit}"),
        ("v1-outer", ObjectKind::Tag, "v1"),
        ("tree-tag", ObjectKind::Tree, "tree-tag^{tree}"),
        ("blob-tag", ObjectKind::Blob, "main:a.txt"),
    ];
    for (name, kind, target) in expect {
        let data = raw("tag", &rev_parse(repo, &format!("refs/tags/{name}")));
        let t = TagRef::parse(&data).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(t.name(), name.as_bytes());
        assert_eq!(t.target_kind(), kind);
        assert_eq!(t.target(), rev_parse(repo, target));
        assert_eq!(t.tagger().expect("tagger").name, b"C O Mitter");
        assert_eq!(t.split_signature().1, None);
    }
    let data = raw("tag", &rev_parse(repo, "refs/fixtures/signed-tag"));
    let t = TagRef::parse(&data).expect("signed tag");
    let (text, sig) = t.split_signature();
    assert_eq!(text, b"signed tag\n");
    assert!(sig.expect("signature").starts_with(b"-----BEGIN PGP SIGNATURE-----\n"));
    assert!(t.tagger().expect("tagger").tz_negative);
    let data = raw("tag", &rev_parse(repo, "refs/fixtures/no-tagger"));
    assert_eq!(TagRef::parse(&data).expect("no tagger").tagger(), None);

    let data = raw("tree", &rev_parse(repo, "refs/fixtures/zones^{tree}"));
    let tree = TreeRef::parse(&data).expect("tree");
    let kinds: Vec<_> = tree.entries().map(|e| (e.name.to_vec(), e.mode.kind())).collect();
    for (name, kind) in [
        (&b"run.sh"[..], EntryKind::BlobExecutable),
        (b"link", EntryKind::Symlink),
        (b"a.txt", EntryKind::Blob),
        (b"dir", EntryKind::Tree),
        (b"vendor", EntryKind::Tree),
    ] {
        assert!(kinds.contains(&(name.to_vec(), kind)), "{:?} {kind:?} in {kinds:?}", String::from_utf8_lossy(name));
    }
    let data = raw("tree", &rev_parse(repo, "refs/fixtures/zones:vendor"));
    let gitlink = TreeRef::parse(&data).expect("tree").entries().next().expect("entry");
    assert_eq!((gitlink.mode.kind(), gitlink.mode.object_kind()), (EntryKind::Gitlink, None));

    let data = raw("tree", &rev_parse(repo, "refs/fixtures/odd-modes"));
    let odd: Vec<_> = TreeRef::parse(&data).expect("odd modes").entries().collect();
    assert_eq!(odd[0].mode.as_bytes(), b"100664");
    assert_eq!(odd[0].mode.kind(), EntryKind::Other);
    assert_eq!(odd[0].mode.object_kind(), Some(ObjectKind::Blob));
    assert_eq!(odd[1].mode.as_bytes(), b"040000");
    assert!(odd[1].mode.is_zero_padded());
    assert_eq!(odd[1].mode.kind(), EntryKind::Tree);
}

/// Bad input never panics, and errors say what is wrong.
mod malformed {
    use git_core::object::{CommitParseError, CommitRef, ObjectRef, TagParseError, TagRef, TreeParseError, TreeRef};
    use git_core::ObjectKind;

    const TREE: &str = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n";

    #[test]
    fn commits() {
        let id = |s: &str| CommitRef::parse(s.as_bytes()).err();
        assert_eq!(id(""), Some(CommitParseError::BadTree));
        assert_eq!(id("tree 4b82\n"), Some(CommitParseError::BadTree));
        assert_eq!(id("tree x"), Some(CommitParseError::UnterminatedHeader));
        assert_eq!(id(&format!("{TREE}parent 12\n")), Some(CommitParseError::BadParent { index: 0 }));
        assert_eq!(id(&format!("{TREE}committer c <c> 1 +0000\n")), Some(CommitParseError::MissingAuthor));
        assert_eq!(id(&format!("{TREE}author a <a> 1 +0000\n")), Some(CommitParseError::MissingCommitter));
        assert!(matches!(
            id(&format!("{TREE}author a 1 +0000\ncommitter c <c> 1 +0000\n")),
            Some(CommitParseError::BadIdentity { field: "author", .. })
        ));
    }

    #[test]
    fn tags() {
        let obj = "object 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n";
        let id = |s: &str| TagRef::parse(s.as_bytes()).err();
        assert_eq!(id("object x\n"), Some(TagParseError::BadObject));
        assert_eq!(id(&format!("{obj}tag x\n")), Some(TagParseError::MissingType));
        assert_eq!(id(&format!("{obj}type tre\ntag x\n")), Some(TagParseError::BadType));
        assert_eq!(id(&format!("{obj}type tree\n\n")), Some(TagParseError::MissingTagName));
        assert!(matches!(id(&format!("{obj}type tree\ntag x\ntagger x\n")), Some(TagParseError::BadTagger(_))));
    }

    #[test]
    fn trees() {
        assert_eq!(TreeRef::parse(b"100644 a"), Err(TreeParseError::Truncated { offset: 0, remaining: 8 }));
        assert_eq!(TreeRef::parse(b"100644 a\0short"), Err(TreeParseError::Truncated { offset: 0, remaining: 14 }));
        assert_eq!(TreeRef::parse(b" a\0"), Err(TreeParseError::MalformedMode { offset: 0, byte: b' ' }));
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut seed = 0x1234_5678_u32;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        let alphabet = b"tree parent author committer <>@ 0123456789abcdef+-\n\0 object type tag tagger 100644";
        for _ in 0..20_000 {
            let len = (next() % 160) as usize;
            let data: Vec<u8> = (0..len).map(|_| alphabet[(next() as usize) % alphabet.len()]).collect();
            for kind in [ObjectKind::Commit, ObjectKind::Tree, ObjectKind::Tag] {
                if kind == ObjectKind::Commit {
                    // Whatever the full parser reads, walk_info reads the same way.
                    if let Ok(c) = CommitRef::parse(&data) {
                        let (tree, parents, time) = git_core::object::walk_info(&data).expect("parses");
                        assert_eq!((tree, time), (c.tree(), c.committer().time));
                        assert!(parents.eq(c.parents()));
                    }
                }
                if let Ok(obj) = ObjectRef::parse(kind, &data) {
                    let mut out = Vec::new();
                    obj.write_to(&mut out);
                    assert_eq!(out, data, "anything that parses writes back exactly");
                }
                let _ = git_core::fsck::check_object(kind, &data, &Default::default());
            }
        }
    }
}
