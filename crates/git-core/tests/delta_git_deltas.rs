//! Our apply against deltas written by git itself: a history of edited files (made with real
//! git below) is repacked with `git repack -adf --depth=1`, every deltified entry's delta is
//! inflated from the pack (gitformat-pack entry header, OFS_DELTA offset) and applied to its base
//! as `git cat-file` prints it; the result must be the target. Our delta for the same pair must
//! round-trip too.

use git_core::delta::{apply, create, header};
use git_core::zlib::inflate_exact;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

const FIXTURE: &str = r#"
set -euo pipefail
git init -q repo && cd repo
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
seq 1 3000 | sed 's/^/line number /' > a.txt
head -c 70000 /dev/zero | tr '\0' 'x' > big.txt
for i in $(seq 1 12); do
  sed -i "$((i * 200))s/.*/edited in round $i/" a.txt
  sed -i "$((i * 97 + 5))d" a.txt
  printf 'appended %s\n' "$i" >> a.txt
  printf 'x%.0s' $(seq 1 $i) >> big.txt
  printf 'line %s of the changelog\n' $(seq 1 $i) > notes.txt
  git add -A && git commit -q -m "round $i"
done
git repack -adfq --depth=1 --window=20
"#;

fn run_fixture() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let st = Command::new("bash")
        .args(["-c", FIXTURE])
        .current_dir(tmp.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", tmp.path())
        .status()
        .expect("bash and git must be installed");
    assert!(st.success(), "fixture script failed");
    tmp
}

/// Inflated delta of the OFS_DELTA/REF_DELTA entry at `offset`.
fn entry_delta(pack: &[u8], offset: usize, size: u64) -> Vec<u8> {
    let mut pos = offset;
    let kind = (pack[pos] >> 4) & 7;
    while pack[pos] & 0x80 != 0 {
        pos += 1;
    }
    pos += 1;
    match kind {
        6 => {
            while pack[pos] & 0x80 != 0 {
                pos += 1;
            }
            pos += 1;
        }
        7 => pos += 20,
        k => panic!("entry type {k} is not a delta"),
    }
    inflate_exact(&pack[pos..], size, 1 << 28).expect("inflate")
}

fn cat_all(repo: &std::path::Path, ids: &[String]) -> HashMap<String, Vec<u8>> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("git cat-file");
    let input: String = ids.iter().map(|i| format!("{i}\n")).collect();
    let mut stdin = child.stdin.take().expect("stdin");
    let w = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut map = HashMap::new();
    for id in ids {
        let mut line = String::new();
        out.read_line(&mut line).expect("header");
        let size: usize = line.split_whitespace().nth(2).expect("size").parse().expect("number");
        let mut body = vec![0; size + 1];
        out.read_exact(&mut body).expect("body");
        body.pop();
        map.insert(id.clone(), body);
    }
    w.join().expect("join").expect("write");
    assert!(child.wait().expect("wait").success());
    map
}

/// Copy instructions with no size bytes (size 0 means 0x10000, gitformat-pack) in `ops`.
fn full_copies(ops: &[u8]) -> usize {
    let (mut pos, mut n) = (0, 0);
    while pos < ops.len() {
        let cmd = ops[pos];
        pos += 1;
        if cmd & 0x80 != 0 {
            n += usize::from(cmd & 0x70 == 0);
            pos += (cmd & 0x7f).count_ones() as usize;
        } else {
            pos += usize::from(cmd);
        }
    }
    n
}

#[test]
fn apply_deltas_written_by_git() {
    let tmp = run_fixture();
    let repo = tmp.path().join("repo");
    let pack_dir = repo.join(".git/objects/pack");
    let idx = std::fs::read_dir(&pack_dir)
        .expect("pack dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "idx"))
        .expect("idx");
    let pack = std::fs::read(idx.with_extension("pack")).expect("pack");
    let vp = Command::new("git").arg("verify-pack").arg("-v").arg(&idx).output().expect("verify-pack");
    assert!(vp.status.success());
    let text = String::from_utf8_lossy(&vp.stdout).into_owned();
    // id type size size-in-pack offset depth base
    let deltas: Vec<Vec<&str>> =
        text.lines().map(|l| l.split_whitespace().collect::<Vec<_>>()).filter(|f| f.len() == 7).collect();
    assert!(deltas.len() >= 20, "git made only {} deltas", deltas.len());
    let ids: Vec<String> = deltas.iter().flat_map(|f| [f[0].to_string(), f[6].to_string()]).collect();
    let objects = cat_all(&repo, &ids);
    let mut copies_of_0x10000 = 0;
    for f in &deltas {
        let (base, target) = (&objects[f[6]], &objects[f[0]]);
        let delta = entry_delta(&pack, f[4].parse().expect("offset"), f[2].parse().expect("size"));
        let h = header(&delta).expect("header");
        assert_eq!((h.base_size, h.result_size), (base.len() as u64, target.len() as u64));
        assert_eq!(&apply(base, &delta, target.len() as u64).expect("git's delta applies"), target, "{}", f[0]);
        copies_of_0x10000 += full_copies(&delta[h.header_len..]);
        let ours = create(base, target);
        assert_eq!(&apply(base, &ours, u64::MAX).expect("ours applies"), target);
    }
    assert!(copies_of_0x10000 > 0, "fixture should make git write 0x10000-byte copies");
}
