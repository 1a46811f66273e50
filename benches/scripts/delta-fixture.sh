#!/usr/bin/env bash
# Builds the delta benchmark fixture: a repository whose commits are successive released versions
# of real npm packages (real source history: small edits, moved code, regenerated bundles), then
# repacks it with git so `git verify-pack -v` shows which base git chose for each delta.
#
# Usage: benches/scripts/delta-fixture.sh [OUT_DIR]   (default: target-bench-fixtures/delta)
# Prints the repository path. Tarballs are cached in OUT_DIR/tarballs, so reruns work offline.
set -euo pipefail
for tool in git npm tar; do
  command -v "$tool" >/dev/null || { echo "delta-fixture: '$tool' is required" >&2; exit 1; }
done
here="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$here/target-bench-fixtures/delta}"
window="${DELTA_WINDOW:-50}"
mkdir -p "$out/tarballs"
out="$(cd "$out" && pwd)"
repo="$out/history"
if [ -f "$repo/.ready-$window" ]; then echo "$repo"; exit 0; fi

versions=(
  semver@7.6.0 semver@7.6.1 semver@7.6.2 semver@7.6.3 semver@7.7.0 semver@7.7.1 semver@7.7.2
  marked@12.0.0 marked@12.0.1 marked@12.0.2 marked@13.0.0 marked@13.0.1 marked@13.0.2 marked@13.0.3
  express@4.18.2 express@4.19.0 express@4.19.2 express@4.20.0 express@4.21.0 express@4.21.1 express@4.21.2
  lodash@4.17.19 lodash@4.17.20 lodash@4.17.21
  react-dom@18.2.0 react-dom@18.3.0 react-dom@18.3.1
)
for spec in "${versions[@]}"; do
  name="${spec%@*}"; ver="${spec#*@}"
  tgz="$out/tarballs/$name-$ver.tgz"
  if [ ! -s "$tgz" ]; then
    (cd "$out/tarballs" && npm pack --silent "$spec" >/dev/null) || { echo "delta-fixture: npm pack $spec failed" >&2; exit 1; }
  fi
done

rm -rf "$repo"
git init -q "$repo"
export GIT_AUTHOR_NAME=fixture GIT_AUTHOR_EMAIL=fixture@example.com GIT_COMMITTER_NAME=fixture GIT_COMMITTER_EMAIL=fixture@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME="$out"
n=0
for spec in "${versions[@]}"; do
  name="${spec%@*}"; ver="${spec#*@}"
  rm -rf "${repo:?}/$name"
  mkdir -p "$repo/$name"
  tar -xzf "$out/tarballs/$name-$ver.tgz" -C "$repo/$name" --strip-components=1
  n=$((n + 1))
  export GIT_AUTHOR_DATE="$((1700000000 + n * 86400)) +0000" GIT_COMMITTER_DATE="$((1700000000 + n * 86400)) +0000"
  git -C "$repo" add -A
  git -C "$repo" commit -q --allow-empty -m "$spec"
done
# depth 1: every delta's base is a whole object, so each (base, target) pair stands alone.
git -C "$repo" repack -adfq --depth=1 --window="$window"
touch "$repo/.ready-$window"
echo "$repo"
