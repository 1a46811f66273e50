#!/usr/bin/env bash
# End-to-end smoke test of the Workers host with real git against real workerd (through Miniflare):
# builds the Wasm engine (scripts/wasm-module.sh, 100 KB budget), installs npm dependencies if
# needed, starts the host on a free loopback port with a fresh data dir, then creates repositories,
# pushes, clones, fetches (protocol v0, v1, v2), pushes a 20 MB file (chunked rows), checks
# auto-create and gzip request bodies, and runs `git fsck --strict` on every clone.
# Fails loudly on anything missing. Env: KEEP_DATA=1 keeps the data dir; WASM_TARGET_DIR;
# SKIP_WASM=1 tests the module already in build/ (its size is still checked).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
log() { printf '\n== %s\n' "$*"; }
die() { printf 'test.sh: FAILED: %s\n' "$*" >&2; exit 1; }

for tool in git node npm curl python3 cmp sha256sum; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done

log "build (Wasm engine + schema)"
size_failed=0
build_rc=0
bash scripts/build.sh || build_rc=$?
if [ "${SKIP_WASM:-0}" = 1 ]; then
  # Testing a module built earlier: it must exist, and the budget is still checked.
  [ -f build/artifacts.wasm ] || die "SKIP_WASM=1 but build/artifacts.wasm is missing"
  size=$(stat -c %s build/artifacts.wasm)
  echo "test.sh: using the existing build/artifacts.wasm ($size bytes)"
  [ "$size" -le "${WASM_MAX_BYTES:-102400}" ] || build_rc=3
fi
if [ "$build_rc" != 0 ]; then
  # 3: built, but over the size budget: test it anyway and fail at the end. Anything else is fatal.
  [ "$build_rc" = 3 ] || die "scripts/build.sh failed (exit $build_rc)"
  size_failed=1
  echo "test.sh: the module failed scripts/wasm-module.sh's checks; running the smoke test anyway" >&2
fi

log "npm dependencies"
# Reinstall when the lock file's content differs from the one last installed (a stamp, not mtimes:
# a fresh checkout or a git worktree sharing node_modules must not reinstall for a newer mtime).
if [ ! -d node_modules/miniflare ] || ! cmp -s package-lock.json node_modules/.artifacts-installed-lock; then
  npm ci --no-audit --no-fund
  cp package-lock.json node_modules/.artifacts-installed-lock
fi
[ -d node_modules/miniflare ] || die "npm did not install miniflare"

work="$(mktemp -d -t artifacts-workers-XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ "${KEEP_DATA:-0}" = 1 ]; then echo "data kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

log "start the host on $base"
PORT="$port" DATA_DIR="$work/data" AUTO_CREATE=1 node scripts/dev.mjs >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do
  grep -q "listening on" "$work/server.log" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; die "the host exited during startup"; }
  sleep 0.2
done
grep -q "listening on" "$work/server.log" || { cat "$work/server.log" >&2; die "the host did not start within 30 s"; }

# Isolated git configuration.
export HOME="$work/home" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
mkdir -p "$HOME"
git config --global user.name "Smoke Test"
git config --global user.email smoke@example.com
git config --global init.defaultBranch main
git config --global advice.detachedHead false

passed=0
failed=0
check() { # check NAME COMMAND...: run, count, show the server log on failure
  local name="$1"; shift
  local rc=0
  # Not in an `if`: bash ignores `set -e` inside a condition, even in a subshell.
  set +e
  ( set -e; "$@" ) >"$work/step.log" 2>&1
  rc=$?
  set -e
  if [ "$rc" = 0 ]; then
    passed=$((passed + 1)); echo "ok   $name"
  else
    failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/     | /' "$work/step.log"
    echo "     | --- server log (tail)"; tail -20 "$work/server.log" | sed 's/^/     | /'
  fi
}

repo() { PORT="$port" DATA_DIR="$work/data" node scripts/repo.mjs "$@"; }
fsck_clone() { # fsck_clone URL DIR [git clone args]: clone and fsck --strict
  local url="$1" dir="$2"; shift 2
  git "$@" clone -q "$url" "$dir" && git -C "$dir" fsck --strict --no-dangling
}

src="$work/src"
step_create() {
  repo create smoke
  repo info smoke | grep -q '"head":"refs/heads/main"'
  ! repo create smoke 2>/dev/null
  ! repo create bad --default-branch 'a..b' 2>/dev/null
  ! repo create '../x' 2>/dev/null
}
step_empty_clone() {
  git clone -q "$base/smoke.git" "$work/empty" 2>&1 | tee "$work/empty.log"
  git -C "$work/empty" rev-parse --verify HEAD 2>/dev/null && return 1
  curl -fsS "$base/smoke.git/info/refs?service=git-upload-pack" | grep -q 'capabilities^{}'
}
step_push() {
  git init -q "$src"
  for i in 1 2 3; do
    mkdir -p "$src/dir$i"
    echo "file $i" >"$src/dir$i/f.txt"
    seq 1 2000 | sed "s/^/line $i /" >"$src/big$i.txt"
    git -C "$src" add -A && git -C "$src" commit -qm "commit $i"
  done
  git -C "$src" tag -a v1 -m "tag v1"
  git -C "$src" branch feature
  git -C "$src" push -q "$base/smoke.git" main feature v1
  [ "$(git ls-remote "$base/smoke.git" refs/heads/main | cut -f1)" = "$(git -C "$src" rev-parse main)" ]
}
step_clone_v() { # protocol version
  fsck_clone "$base/smoke" "$work/clone-v$1" -c protocol.version="$1"
  [ "$(git -C "$work/clone-v$1" rev-parse HEAD)" = "$(git -C "$src" rev-parse main)" ]
  [ "$(git -C "$work/clone-v$1" rev-parse v1)" = "$(git -C "$src" rev-parse v1)" ]
  git -C "$work/clone-v$1" rev-parse origin/feature >/dev/null
}
step_fetch() {
  echo more >>"$src/dir1/f.txt"
  git -C "$src" commit -qam "commit 4"
  git -C "$src" push -q "$base/smoke.git" main
  git -C "$work/clone-v2" fetch -q origin
  [ "$(git -C "$work/clone-v2" rev-parse origin/main)" = "$(git -C "$src" rev-parse main)" ]
  git -C "$work/clone-v0" -c protocol.version=0 fetch -q origin
  [ "$(git -C "$work/clone-v0" rev-parse origin/main)" = "$(git -C "$src" rev-parse main)" ]
  git -C "$work/clone-v2" fsck --strict --no-dangling
}
step_delete_ref() {
  git -C "$src" push -q "$base/smoke.git" :feature
  ! git ls-remote --exit-code "$base/smoke.git" refs/heads/feature
}
step_large() {
  git init -q "$work/large"
  head -c 20000000 /dev/urandom >"$work/large/blob.bin"
  git -C "$work/large" add blob.bin && git -C "$work/large" commit -qm "20 MB"
  git -C "$work/large" push -q "$base/large.git" main          # auto-created by the push
  repo info large | tee /dev/stderr | grep -q '"chunkedObjects":[1-9]'
  fsck_clone "$base/large.git" "$work/large-clone"
  cmp "$work/large/blob.bin" "$work/large-clone/blob.bin"
}
step_concurrent() {
  # Four clones and a push at once: one Durable Object interleaves their sessions at its awaits.
  local pids=() i
  for i in 1 2 3 4; do
    git clone -q "$base/smoke.git" "$work/par$i" & pids+=($!)
  done
  echo "concurrent" >"$src/par.txt"
  git -C "$src" add par.txt && git -C "$src" commit -qm "concurrent push"
  git -C "$src" push -q "$base/smoke.git" main & pids+=($!)
  for i in "${pids[@]}"; do wait "$i"; done
  for i in 1 2 3 4; do git -C "$work/par$i" fsck --strict --no-dangling; done
  [ "$(git ls-remote "$base/smoke.git" refs/heads/main | cut -f1)" = "$(git -C "$src" rev-parse main)" ]
}
step_cas() {
  # A raw push claiming refs/heads/main does not exist yet (old = zero id) while it does.
  local head zero=0000000000000000000000000000000000000000
  head="$(git ls-remote "$base/smoke.git" refs/heads/main | cut -f1)"
  python3 - "$zero" "$head" >"$work/cas.req" <<'PY'
import hashlib, sys
line = f"{sys.argv[1]} {sys.argv[2]} refs/heads/main\0report-status\n".encode()
pack = b"PACK" + (2).to_bytes(4, "big") + (0).to_bytes(4, "big")
sys.stdout.buffer.write(b"%04x" % (len(line) + 4) + line + b"0000" + pack + hashlib.sha1(pack).digest())
PY
  curl -fsS -H 'Content-Type: application/x-git-receive-pack-request' --data-binary @"$work/cas.req" \
    "$base/smoke.git/git-receive-pack" >"$work/cas.resp"
  grep -a -q "ng refs/heads/main" "$work/cas.resp"
  [ "$(git ls-remote "$base/smoke.git" refs/heads/main | cut -f1)" = "$head" ]
}
step_gzip() {
  # A v2 ls-refs request, gzipped as git does for bodies over 1 KiB.
  printf '0014command=ls-refs\n0001000csymrefs\n000bunborn\n0000' | gzip -c >"$work/req.gz"
  curl -fsS -H 'Git-Protocol: version=2' -H 'Content-Type: application/x-git-upload-pack-request' \
    -H 'Content-Encoding: gzip' --data-binary @"$work/req.gz" "$base/smoke.git/git-upload-pack" >"$work/resp"
  grep -q "HEAD symref-target:refs/heads/main" "$work/resp"
}
step_errors() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/missing.git/info/refs?service=git-upload-pack")" = 404 ]
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/smoke.git/info/refs?service=git-bogus")" = 403 ]
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/smoke.git/HEAD")" = 404 ]
  [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: text/plain' "$base/smoke.git/git-upload-pack")" = 415 ]
}

check "create repositories (CLI, admin API)" step_create
check "clone an empty repository" step_empty_clone
check "push branches and an annotated tag" step_push
for v in 0 1 2; do check "clone with protocol v$v + fsck --strict" step_clone_v "$v"; done
check "fetch new commits (v2 and v0)" step_fetch
check "delete a branch by push" step_delete_ref
check "push a 20 MB file to an auto-created repository, clone it back" step_large
check "concurrent clones and a push on one repository (interleaved sessions)" step_concurrent
check "a stale ref update is refused (compare-and-swap in SQLite)" step_cas
check "gzip request body" step_gzip
check "HTTP errors (404, 403, 415)" step_errors

echo "info: $(repo info large 2>&1 || true)"

if [ "$size_failed" = 1 ]; then
  failed=$((failed + 1)); echo "FAIL wasm module within the size budget of ${WASM_MAX_BYTES:-102400} bytes (see scripts/wasm-module.sh output above)"
else
  passed=$((passed + 1)); echo "ok   wasm module within the size budget of ${WASM_MAX_BYTES:-102400} bytes"
fi
echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
