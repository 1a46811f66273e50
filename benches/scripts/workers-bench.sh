#!/usr/bin/env bash
# The server benchmark's clone, fetch and push against the Workers host in real workerd, beside the
# native server: server-bench.sh with BENCH_SERVERS="native workers" (default). Prints, per phase
# (idle, push-full, clone-full, push-incr, fetch-incr), each side's server CPU seconds (node +
# workerd for workers), the client's wall time, peak RSS (largest process and the process tree's
# sum), the Durable Object's peak Wasm memory, and the ratios workers / native.
#
#   benches/scripts/workers-bench.sh
#   BENCH_SERVERS="http-backend native workers" benches/scripts/workers-bench.sh   # all three
#
# Needs `npm ci` in hosts/workers (node_modules/miniflare) and the Wasm toolchain: the module is
# rebuilt first with hosts/workers/scripts/build.sh (WASM_TARGET_DIR; BENCH_WASM_BUILD=0 to use the
# one in hosts/workers/build/). Every other variable as in server-bench.sh (CARGO_TARGET_DIR,
# ARTIFACTS_BIN, BENCH_INCREMENT, BENCH_PACKAGE/FIRST/COUNT, GIT).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export BENCH_SERVERS="${BENCH_SERVERS:-native workers}"
exec "$here/server-bench.sh" "$@"
