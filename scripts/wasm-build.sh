#!/usr/bin/env bash
# Builds the no_std core crates for wasm32-unknown-unknown with Debian's rustc-web toolchain
# (rustup cannot download targets here). Usage: scripts/wasm-build.sh [cargo build args...]
# Default: check that git-core, pack, protocol and host-abi build for Wasm.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/cargo ] || [ ! -d /usr/lib/rustlib/src/rust ] || ! command -v rust-lld >/dev/null 2>&1; then
  echo "wasm-build: installing Debian's Wasm toolchain (rustc-web cargo-web rust-web-src lld-22)" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq rustc-web cargo-web rust-web-src lld-22 >/dev/null
fi
export RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc
export CARGO_TARGET_DIR="${WASM_TARGET_DIR:-$PWD/target/wasm}"
if [ $# -eq 0 ]; then
  set -- -p artifacts-git-core -p artifacts-pack -p artifacts-protocol -p artifacts-host-abi
fi
# WASM_MULTIVALUE=1: for the target wasm32-multivalue (the module, scripts/wasm-module.sh):
# wasm32-unknown-unknown with LLVM's multivalue ABI ("experimental-mv"), under which a function
# returns a pair (a slice, a `Result` of two words) as two Wasm results instead of through a stack
# slot. Its spec is rustc's own for wasm32-unknown-unknown with that one setting added, written
# into the target dir; the output lands in $CARGO_TARGET_DIR/wasm32-multivalue/release. Exported
# and imported functions take and return scalars only, so their signatures are the same.
target=wasm32-unknown-unknown
if [ "${WASM_MULTIVALUE:-}" = 1 ]; then
  mkdir -p "$CARGO_TARGET_DIR"
  target="$CARGO_TARGET_DIR/wasm32-multivalue.json"
  /usr/bin/rustc -Zunstable-options --print target-spec-json --target wasm32-unknown-unknown | python3 -c '
import json, sys
spec = json.load(sys.stdin)
spec["llvm-abiname"] = "experimental-mv"
spec["features"] = ",".join(f for f in (spec.get("features"), "+multivalue") if f)
json.dump(spec, sys.stdout, indent=2)' >"$target.new"
  # Rewritten only when it changes, so cargo's build stays incremental.
  if cmp -s "$target.new" "$target"; then rm "$target.new"; else mv "$target.new" "$target"; fi
  set -- -Zjson-target-spec "$@"
fi
exec /usr/bin/cargo build --release --target "$target" -Zbuild-std=core,alloc "$@"
