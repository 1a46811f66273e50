#!/usr/bin/env bash
# Builds what the Worker imports: build/artifacts.wasm (the engine, via scripts/wasm-module.sh at
# the repository root, which enforces the 100 KB budget) and build/schema.sql (the SQLite schema
# shared with the native server). Set SKIP_WASM=1 to only copy the schema.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
mkdir -p "$here/build"
cp "$root/crates/native-harness/src/schema.sql" "$here/build/schema.sql"
if [ "${SKIP_WASM:-0}" != 1 ]; then
  "$root/scripts/wasm-module.sh" "$here/build/artifacts.wasm"
fi
