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
exec /usr/bin/cargo build --release --target wasm32-unknown-unknown -Zbuild-std=core,alloc "$@"
