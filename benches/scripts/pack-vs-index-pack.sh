#!/usr/bin/env bash
# Times our parse + resolve + idx (crates/pack/examples/index_pack.rs, release build) against
# `git index-pack` on the same pack, and prints the ratio. Our idx must equal git's.
#
#   benches/scripts/pack-vs-index-pack.sh [REPO]
#
# REPO: a repository to pack (default: a fixture made by crates/pack/tests/fixtures/make-repo.sh
# with 300 commits). Uses CARGO_TARGET_DIR if set.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
GIT="${GIT:-git}"
command -v "$GIT" >/dev/null || { echo "pack-vs-index-pack: git is not installed" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
repo="${1:-}"
if [ -z "$repo" ]; then
  repo="$tmp/repo"
  "$root/crates/pack/tests/fixtures/make-repo.sh" "$repo" 300 >/dev/null
fi
"$GIT" -C "$repo" pack-objects --all --revs --stdout -q --delta-base-offset </dev/null >"$tmp/test.pack"
(cd "$root" && cargo build -q --release -p artifacts-pack --example index_pack)
bin="${CARGO_TARGET_DIR:-$root/target}/release/examples/index_pack"
now() { date +%s.%N; }
t0=$(now); ours_line=$("$bin" "$tmp/test.pack" "$tmp/ours.idx"); t1=$(now)
"$GIT" index-pack --threads=1 -o "$tmp/git1.idx" "$tmp/test.pack" >/dev/null; t2=$(now)
"$GIT" index-pack -o "$tmp/git.idx" "$tmp/test.pack" >/dev/null; t3=$(now)
cmp "$tmp/ours.idx" "$tmp/git.idx" || { echo "our idx differs from git's" >&2; exit 1; }
ours=$(echo "$t1 - $t0" | bc -l); git1=$(echo "$t2 - $t1" | bc -l); gitn=$(echo "$t3 - $t2" | bc -l)
echo "pack: $(stat -c %s "$tmp/test.pack") bytes; ours: $ours_line"
printf 'ours %.3f s | git index-pack --threads=1 %.3f s (ratio %.2f) | git index-pack %.3f s (ratio %.2f)\n' \
  "$ours" "$git1" "$(echo "$ours / $git1" | bc -l)" "$gitn" "$(echo "$ours / $gitn" | bc -l)"
