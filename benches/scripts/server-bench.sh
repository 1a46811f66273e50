#!/usr/bin/env bash
# Server benchmark: the same repository served by git's own `git http-backend` (behind the CGI
# server of the conformance suite) and by `artifacts serve`. For each phase the server is started
# on the persisted data, one real git client operation runs, and the server is stopped; the
# server's CPU seconds (whole process tree), the client's wall time and the server's peak RSS
# are printed per side, then the ratios artifacts / git.
#
# Phases: idle (start+stop, no traffic), push-full (first push of all but the last
# BENCH_INCREMENT versions into an empty repository), clone-full (git clone --bare, protocol v2),
# push-incr (push of the remaining versions), fetch-incr (fetch of them into the clone).
#
# Environment:
#   BENCH_SERVERS    sides to run              (default: "http-backend native")
#   BENCH_INCREMENT  versions held back for the incremental phases (default: 4)
#   ARTIFACTS_BIN    the artifacts binary      (default: cargo build --release -p artifacts-native-harness)
#   CARGO_TARGET_DIR where that build goes     (default: <workspace>/target-bench)
#   BENCH_PACKAGE / BENCH_FIRST / BENCH_COUNT  passed to make-bench-repo.sh
#   GIT              client git                (default: /usr/local/bin/git)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
GIT="${GIT:-/usr/local/bin/git}"
servers="${BENCH_SERVERS:-http-backend native}"
incr="${BENCH_INCREMENT:-4}"
src="$("$here/make-bench-repo.sh")"
work="$root/benches/work/run.$$"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
results="$work/results.tsv"
: > "$results"
export GIT_CONFIG_NOSYSTEM=1 HOME="$work" GIT_TERMINAL_PROMPT=0
"$GIT" config --global user.name bench
"$GIT" config --global user.email bench@example.com

artifacts_bin() {
  if [ -n "${ARTIFACTS_BIN:-}" ]; then echo "$ARTIFACTS_BIN"; return; fi
  local target="${CARGO_TARGET_DIR:-$root/target-bench}"
  (cd "$root" && CARGO_TARGET_DIR="$target" cargo build -q --release -p artifacts-native-harness --bin artifacts) >&2
  echo "$target/release/artifacts"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_port() {
  local port=$1 pid=$2
  for _ in $(seq 1 600); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "server exited before listening" >&2; return 1; }
    sleep 0.05
  done
  echo "server not listening on $port" >&2
  return 1
}

# start_server KIND DATA PORT RUSAGE_JSON ; sets server_pid
start_server() {
  local kind=$1 data=$2 port=$3 rus=$4
  case "$kind" in
    http-backend)
      python3 "$here/server-rusage.py" "$rus" -- python3 "$root/tests/conformance/reference/git-http-server.py" \
        --listen "127.0.0.1:$port" --root "$data" --git "$GIT" --log "$work/$kind.log" >>"$work/$kind.log" 2>&1 &
      ;;
    native)
      python3 "$here/server-rusage.py" "$rus" -- "$ART" serve --listen "127.0.0.1:$port" --data "$data" \
        >>"$work/$kind.log" 2>&1 &
      ;;
  esac
  server_pid=$!
  wait_port "$port" "$server_pid"
}

stop_server() {
  kill -TERM "$server_pid"
  wait "$server_pid" || true
}

create_repo() {
  local kind=$1 data=$2
  case "$kind" in
    http-backend)
      "$GIT" init -q --bare -b main "$data/bench.git"
      for kv in http.receivepack=true uploadpack.allowFilter=true uploadpack.allowAnySHA1InWant=true \
                receive.fsckObjects=true core.logAllRefUpdates=false; do
        "$GIT" -C "$data/bench.git" config "${kv%%=*}" "${kv#*=}"
      done
      ;;
    native)
      "$ART" repo create bench --data "$data" --default-branch main
      ;;
  esac
}

now() { date +%s.%N; }

# phase KIND NAME DATA -- client command...
phase() {
  local kind=$1 name=$2 data=$3
  shift 4
  local port rus t0 t1
  port=$(free_port)
  rus="$work/$kind-$name.json"
  start_server "$kind" "$data" "$port" "$rus"
  URL="http://127.0.0.1:$port/bench.git"
  t0=$(now)
  if [ $# -gt 0 ]; then
    "$@" || { echo "client failed in $kind $name; server log:" >&2; tail -20 "$work/$kind.log" >&2; stop_server; exit 1; }
  fi
  t1=$(now)
  stop_server
  python3 - "$kind" "$name" "$rus" "$t0" "$t1" >>"$results" <<'PY'
import json, sys
kind, name, rus, t0, t1 = sys.argv[1:]
r = json.load(open(rus))
print("\t".join([name, kind, "%.3f" % r["cpu"], "%.3f" % (float(t1) - float(t0)), "%.1f" % (r["maxrss_kb"] / 1024)]))
PY
  echo "  $kind $name done" >&2
}

client_push_full() { "$GIT" -C "$src" push -q "$URL" "main~$incr:refs/heads/main"; }
client_clone() { rm -rf "$clone"; "$GIT" clone -q --bare "$URL" "$clone"; }
client_push_incr() { "$GIT" -C "$src" push -q "$URL" "main:refs/heads/main"; }
client_fetch() { "$GIT" -C "$clone" fetch -q "$URL" "+refs/heads/*:refs/heads/*"; }

ART=""
for kind in $servers; do
  case "$kind" in
    http-backend) ;;
    native) ART="$(artifacts_bin)"; [ -x "$ART" ] || { echo "no artifacts binary at $ART" >&2; exit 1; } ;;
    *) echo "unknown server kind $kind" >&2; exit 1 ;;
  esac
  data="$work/data-$kind"
  clone="$work/clone-$kind.git"
  mkdir -p "$data"
  echo "== $kind" >&2
  create_repo "$kind" "$data"
  phase "$kind" idle "$data" --
  phase "$kind" push-full "$data" -- client_push_full
  phase "$kind" clone-full "$data" -- client_clone
  [ "$("$GIT" -C "$clone" rev-parse main)" = "$("$GIT" -C "$src" rev-parse "main~$incr")" ] || { echo "$kind: clone has the wrong main" >&2; exit 1; }
  phase "$kind" push-incr "$data" -- client_push_incr
  phase "$kind" fetch-incr "$data" -- client_fetch
  [ "$("$GIT" -C "$clone" rev-parse main)" = "$("$GIT" -C "$src" rev-parse main)" ] || { echo "$kind: fetch left the wrong main" >&2; exit 1; }
  "$GIT" -C "$clone" fsck --no-progress --connectivity-only >/dev/null || { echo "$kind: fetched repository is broken" >&2; exit 1; }
done

echo "repository: $src ($(du -sh "$src" | cut -f1), $("$GIT" -C "$src" rev-list --count main) commits; last $incr held back for the incremental phases)"
python3 - "$results" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
data = {}
order = []
for phase, kind, cpu, wall, rss in rows:
    data[(phase, kind)] = (float(cpu), float(wall), float(rss))
    if phase not in order:
        order.append(phase)
kinds = sorted({k for _, k in data}, key=lambda k: (k != "http-backend", k))
print("%-11s %-13s %9s %9s %13s" % ("phase", "server", "cpu_s", "wall_s", "peak_rss_MB"))
for p in order:
    for k in kinds:
        if (p, k) in data:
            c, w, r = data[(p, k)]
            print("%-11s %-13s %9.3f %9.3f %13.1f" % (p, k, c, w, r))
    if (p, "http-backend") in data and (p, "native") in data:
        g, n = data[(p, "http-backend")], data[(p, "native")]
        ratio = lambda a, b: ("%.2fx" % (a / b)) if b > 0 else "n/a"
        print("%-11s %-13s %9s %9s %13s" % (p, "native/git", ratio(n[0], g[0]), ratio(n[1], g[1]), ratio(n[2], g[2])))
print("cpu_s: server process tree (git side: the Python CGI server plus every git it ran); "
      "wall_s: the client's operation; peak_rss_MB: largest single server-side process.")
PY
