#!/usr/bin/env bash
# Where the Wasm module's code bytes come from, by source file and line (inlined code counted at
# the line it came from): builds the module as scripts/wasm-module.sh does, plus DWARF line tables,
# in its own target dir, and sums the line table's address ranges (llvm-dwarfdump-22, from lld-22's
# LLVM). Sizes are of cargo's output, before wasm-opt (which shrinks the total by ~40%).
# Usage: scripts/wasm-size-lines.sh [files-to-show [lines-to-show]]
# Env: WASM_SIZE_TARGET_DIR (default target/wasm-size).
set -euo pipefail
cd "$(dirname "$0")/.."
export WASM_TARGET_DIR="${WASM_SIZE_TARGET_DIR:-$PWD/target/wasm-size}"
export CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_PROFILE_RELEASE_DEBUG=line-tables-only
export RUSTFLAGS="-Zfmt-debug=none -Zlocation-detail=none -Zunstable-options -Cpanic=immediate-abort -Zmir-opt-level=1 -Cllvm-args=-inline-threshold=15 -Clink-arg=-zstack-size=983040"
WASM_MULTIVALUE=1 scripts/wasm-build.sh -p artifacts-wasm -Zbuild-std-features=optimize_for_size >&2
dump="$(mktemp)"
llvm-dwarfdump-22 --debug-line "$WASM_TARGET_DIR/wasm32-multivalue/release/artifacts_wasm.wasm" >"$dump"
python3 scripts/wasm-size-lines.py "$dump" "${1:-60}" "${2:-0}"
rm -f "$dump"
