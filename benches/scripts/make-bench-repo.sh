#!/usr/bin/env bash
# Builds the benchmark repository: successive released versions of an npm package, one commit
# (and one tag) per version, so history and deltas are realistic. Cached under benches/work/.
#
#   benches/scripts/make-bench-repo.sh            # prints the path of the bare repository
#
# Environment:
#   BENCH_PACKAGE  npm package               (default: typescript)
#   BENCH_FIRST    first version, inclusive  (default: 4.7.2)
#   BENCH_COUNT    number of stable versions (default: 24)
#   GIT            git binary                (default: /usr/local/bin/git)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(cd "$here/.." && pwd)/work"
pkg="${BENCH_PACKAGE:-typescript}"
first="${BENCH_FIRST:-4.7.2}"
count="${BENCH_COUNT:-24}"
GIT="${GIT:-/usr/local/bin/git}"
name="bench-repo-${pkg//\//_}-${first}-${count}"
out="$work/$name.git"
if [ -f "$out/.complete" ]; then
  echo "$out"
  exit 0
fi
mkdir -p "$work/tarballs"
versions_file="$work/$name.versions"
if [ ! -s "$versions_file" ]; then
  npm view "$pkg" versions --json 2>/dev/null | python3 -c '
import json, sys
first, count = sys.argv[1], int(sys.argv[2])
vs = [v for v in json.load(sys.stdin) if "-" not in v]
i = vs.index(first)
sel = vs[i:i + count]
if len(sel) < count:
    sys.exit("only %d stable versions from %s" % (len(sel), first))
print("\n".join(sel))' "$first" "$count" > "$versions_file.tmp"
  mv "$versions_file.tmp" "$versions_file"
fi
build="$work/$name.build"
rm -rf "$build" "$out"
mkdir -p "$build"
export GIT_CONFIG_NOSYSTEM=1 HOME="$work" GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com \
  GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
"$GIT" -C "$build" init -q -b main
"$GIT" -C "$build" config gc.auto 0
n=0
while read -r v; do
  tgz="$work/tarballs/${pkg//\//_}-$v.tgz"
  if [ ! -s "$tgz" ]; then
    tmp="$(mktemp -d "$work/tarballs/dl.XXXXXX")"
    (cd "$tmp" && npm pack --silent "$pkg@$v" >/dev/null)
    mv "$tmp"/*.tgz "$tgz"
    rmdir "$tmp"
  fi
  find "$build" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
  tar -xzf "$tgz" -C "$build" --strip-components=1
  "$GIT" -C "$build" add -A
  date="@$((1600000000 + n * 86400)) +0000"
  GIT_AUTHOR_DATE="$date" GIT_COMMITTER_DATE="$date" "$GIT" -C "$build" commit -q -m "$pkg $v"
  "$GIT" -C "$build" tag "v$v"
  n=$((n + 1))
  echo "committed $pkg $v" >&2
done < "$versions_file"
"$GIT" clone -q --bare "$build" "$out.tmp"
"$GIT" -C "$out.tmp" repack -adq
rm -rf "$build"
mv "$out.tmp" "$out"
touch "$out/.complete"
echo "$out"
