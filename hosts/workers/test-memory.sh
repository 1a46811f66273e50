#!/usr/bin/env bash
# Peak Wasm linear memory of the engine under workerd (through Miniflare), with real git: the
# engine must stay under LIMIT_MIB (64 MiB; a Durable Object has 128 MB for everything) whatever
# the repository's size. Each measurement gets a fresh Durable Object: the host is restarted on the
# same data dir between a push and the clone that follows it, so the clone's peak is its own
# (`wasmMemoryPeakBytes` of `GET /_admin/repos/NAME` covers a Durable Object's whole life).
#
#   1. push the whole benchmark repository (benches/scripts/make-bench-repo.sh) into a new repository
#   2. clone it back (bare), compare every ref with the source, `git fsck --strict`
#   3. push a 20 MB random file (chunked rows), then clone it back and compare the bytes
#
# Prints one "peak Wasm linear memory, ...: N MiB (limit 64 MiB)" line per measurement and
# "N passed, N failed"; exits non-zero on any failure. Fails loudly on anything missing.
# Env: LIMIT_MIB (default 64); SKIP_WASM=1 tests the module already in build/; KEEP_DATA=1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"
limit_mib="${LIMIT_MIB:-64}"
die() { printf 'test-memory.sh: FAILED: %s\n' "$*" >&2; exit 1; }

for tool in git node npm curl python3 cmp; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
[ -d node_modules/miniflare ] || die "node_modules/miniflare is missing (run npm ci in hosts/workers)"

# The module: built here unless SKIP_WASM=1. Its size budget is test.sh's check (exit 3 = over it).
if [ "${SKIP_WASM:-0}" = 1 ]; then
  [ -f build/artifacts.wasm ] || die "SKIP_WASM=1 but build/artifacts.wasm is missing"
  SKIP_WASM=1 bash scripts/build.sh   # the schema
else
  rc=0
  bash scripts/build.sh >/dev/null || rc=$?
  [ "$rc" = 0 ] || [ "$rc" = 3 ] || die "scripts/build.sh failed (exit $rc)"
fi

bench="$("$root/benches/scripts/make-bench-repo.sh")" || die "benches/scripts/make-bench-repo.sh failed"
[ -d "$bench" ] || die "no benchmark repository at $bench"

work="$(mktemp -d -t artifacts-memory-XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
server_pid=
stop() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  server_pid=
}
cleanup() {
  stop
  if [ "${KEEP_DATA:-0}" = 1 ]; then echo "data kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
start() { # a fresh host process (fresh Durable Objects, fresh Wasm instances) on the same data
  stop
  # The previous host's log is moved away here, before the new host starts: its redirection
  # truncates the file only once the background process runs, and a wait loop that still saw the
  # old "listening on" line would return before the new host listens (connection refused).
  if [ -f "$work/server.log" ]; then
    cat "$work/server.log" >>"$work/server-earlier.log"
    rm -f "$work/server.log"
  fi
  PORT="$port" DATA_DIR="$work/data" AUTO_CREATE=1 node scripts/dev.mjs >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 150); do
    grep -q "listening on" "$work/server.log" 2>/dev/null && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; die "the host exited during startup"; }
    sleep 0.2
  done
  cat "$work/server.log" >&2
  die "the host did not start within 30 s"
}

export HOME="$work/home" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
mkdir -p "$HOME"
git config --global user.name "Memory Test"
git config --global user.email memory@example.com
git config --global init.defaultBranch main

passed=0
failed=0
check() { # check NAME COMMAND...
  local name="$1"; shift
  local rc=0
  set +e
  ( set -e; "$@" ) >"$work/step.log" 2>&1
  rc=$?
  set -e
  cat "$work/step.log" | grep '^peak ' || true
  if [ "$rc" = 0 ]; then
    passed=$((passed + 1)); echo "ok   $name"
  else
    failed=$((failed + 1)); echo "FAIL $name"; grep -v '^peak ' "$work/step.log" | sed 's/^/     | /'
    echo "     | --- server log (tail)"; tail -20 "$work/server.log" | sed 's/^/     | /'
  fi
}

peak() { # peak REPO WHAT: print the Durable Object's peak Wasm memory; fail at or above the limit
  local info bytes
  info="$(curl -fsS "$base/_admin/repos/$1")"
  bytes="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["wasmMemoryPeakBytes"])' "$info")"
  [ "$bytes" -gt 0 ] || { echo "no Wasm memory measured for $1: $info"; return 1; }
  python3 -c 'import sys; print("peak Wasm linear memory, %s: %.1f MiB (limit %s MiB)" % (sys.argv[1], int(sys.argv[2]) / 1048576, sys.argv[3]))' \
    "$2" "$bytes" "$limit_mib"
  [ "$bytes" -lt $((limit_mib * 1024 * 1024)) ]
}

step_bench_push() {
  curl -fsS -X POST "$base/_admin/repos/bench" >/dev/null
  git -C "$bench" push -q "$base/bench.git" '+refs/heads/*:refs/heads/*' '+refs/tags/*:refs/tags/*'
  peak bench "full push of the benchmark repository"
}
step_bench_clone() {
  git clone -q --bare "$base/bench.git" "$work/bench-clone.git"
  peak bench "full clone of the benchmark repository"
  diff <(git -C "$bench" for-each-ref --format='%(objectname) %(refname)' refs/heads refs/tags) \
       <(git -C "$work/bench-clone.git" for-each-ref --format='%(objectname) %(refname)' refs/heads refs/tags)
  git -C "$work/bench-clone.git" fsck --strict --no-dangling
}
step_large_push() {
  git init -q "$work/large"
  head -c 20000000 /dev/urandom >"$work/large/blob.bin"
  git -C "$work/large" add blob.bin && git -C "$work/large" commit -qm "20 MB"
  git -C "$work/large" push -q "$base/large.git" main
  curl -fsS "$base/_admin/repos/large" | grep -q '"chunkedObjects":[1-9]'
  peak large "push of a 20 MB file"
}
step_large_clone() {
  git clone -q "$base/large.git" "$work/large-clone"
  peak large "clone of a 20 MB file"
  cmp "$work/large/blob.bin" "$work/large-clone/blob.bin"
}

start
check "push the benchmark repository ($(du -sh "$bench" | cut -f1)) into a fresh repository" step_bench_push
start
check "bare clone of the benchmark repository, refs equal, fsck --strict" step_bench_clone
check "push a 20 MB file into a fresh repository" step_large_push
start
check "clone the 20 MB file back" step_large_clone

echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
