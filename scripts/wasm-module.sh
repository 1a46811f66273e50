#!/usr/bin/env bash
# Builds the artifacts engine WebAssembly module (crate artifacts-wasm, crates/host-abi/wasm-module)
# with Debian's rustc-web toolchain (via scripts/wasm-build.sh), shrinks it with wasm-opt (-Oz, flatten, rereloop),
# checks it against the ABI (exports, the single import module) and the 100 KB budget, and writes it
# to hosts/workers/build/artifacts.wasm (or $1). Prints the size and the largest functions.
# Exit status 3: built, but over the budget (the module is written all the same).
# Env: WASM_TARGET_DIR (cargo target dir, default target/wasm), WASM_MAX_BYTES (default 102400).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-hosts/workers/build/artifacts.wasm}"
max="${WASM_MAX_BYTES:-102400}"
target_dir="${WASM_TARGET_DIR:-$PWD/target/wasm}"
export WASM_TARGET_DIR="$target_dir"

# wasm-opt: binaryen 132 from npm (scripts/wasm-opt, a WebAssembly build run by node), installed
# there on first use. Debian's binaryen 108 leaves this module ~2.3 KB larger: it optimises the
# multivalue results (below) far less.
wasm_opt_dir=scripts/wasm-opt
if ! grep -qs '"version": "132.0.0"' "$wasm_opt_dir/node_modules/binaryen/package.json"; then
  command -v npm >/dev/null 2>&1 || { echo "wasm-module: FAILED: npm is needed to install binaryen's wasm-opt" >&2; exit 1; }
  echo "wasm-module: installing binaryen 132 (wasm-opt) in $wasm_opt_dir" >&2
  (cd "$wasm_opt_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
wasm_opt() { node "$wasm_opt_dir/node_modules/binaryen/bin/wasm-opt" "$@"; }

# Size-optimised release: opt-level z; panics compiled to a trap without formatting machinery or
# source locations; derived Debug impls empty (the module never prints Debug output). MIR
# optimisation at level 1 (the level of debug builds) and LLVM's inliner at threshold 15 instead of
# opt-level z's 5 give smaller code after wasm-opt (measured: -1,339 bytes; level 0, thresholds 0,
# 2, 7, 10, 20 were all larger).
# The stack (first in memory, so an overflow traps instead of overwriting data) is 960 KiB instead
# of rustc's 1 MiB: the static data then starts below 2^20, where an address is a 3-byte LEB128
# constant instead of a 4-byte one, at every use (measured: -637 bytes).
export CARGO_PROFILE_RELEASE_OPT_LEVEL=z
export RUSTFLAGS="-Zfmt-debug=none -Zlocation-detail=none -Zunstable-options -Cpanic=immediate-abort -Zmir-opt-level=1 -Cllvm-args=-inline-threshold=15 -Clink-arg=-zstack-size=983040"
# core and alloc rebuilt with `optimize_for_size`: their size-optimised algorithms (sorting above
# all); 12 KB less than the default build of the same code.
# The multivalue ABI (WASM_MULTIVALUE=1, see scripts/wasm-build.sh): pairs are returned as two
# Wasm results instead of through memory (measured: -1,144 bytes with binaryen 108, -3,445 with 132).
WASM_MULTIVALUE=1 scripts/wasm-build.sh -p artifacts-wasm -Zbuild-std-features=optimize_for_size

raw="$target_dir/wasm32-multivalue/release/artifacts_wasm.wasm"
[ -f "$raw" ] || { echo "wasm-module: FAILED: cargo produced no $raw" >&2; exit 1; }
# Under that ABI, LLVM's calls of compiler-builtins' 128-bit helpers (`__multi3` for a u64
# multiplication with overflow check, ...) expect two results, while compiler-builtins returns
# through memory: wasm-ld links a stub named signature_mismatch:NAME that traps when called.
# git_core::mul multiplies without them; any new such call fails here, at build time.
grep -aq '_RN' "$raw" || { echo "wasm-module: FAILED: $raw has no function names to check" >&2; exit 1; }
if grep -aoE 'signature_mismatch:[A-Za-z0-9_]+' "$raw" | sort -u | grep . >&2; then
  echo "wasm-module: FAILED: the functions above are called with a signature that differs from their" \
       "definition (a 128-bit operation? see crates/git-core/src/mul.rs)" >&2
  exit 1
fi
mkdir -p "$(dirname "$out")"
# -Oz, then the control flow flattened and re-structured (--flatten --rereloop) and optimised again:
# binaryen's relooper finds smaller block structures than LLVM's for this code (measured: -991
# bytes; more rounds gain ~100 bytes more at twice the time).
# --low-memory-unused: nothing lives below address 1024 (the stack's far end, 960 KiB down), so
# constant address arithmetic folds into load/store offsets (-754 bytes). -iit (ignore implicit
# traps): the optimiser may drop or move a load whose value is unused as if it could not trap; Rust
# code makes no out-of-bounds accesses to rely on, and explicit checks (bounds, overflow, division)
# are `unreachable`s it keeps (-407 bytes). The target_features section is metadata nothing reads.
opt=(--low-memory-unused -iit -Oz --flatten --rereloop -Oz -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals
     --enable-nontrapping-float-to-int --enable-multivalue)
wasm_opt "${opt[@]}" --strip-debug --strip-producers --strip-target-features "$raw" -o "$out"

raw_size=$(stat -c %s "$raw")
size=$(stat -c %s "$out")
gz=$(gzip -9c "$out" | wc -c)
echo "wasm-module: $out: $size bytes after wasm-opt (cargo output $raw_size, gzip -9 $gz; budget $max)"

# The ABI surface: every export the hosts call, and no import outside artifacts_host_v1.
if command -v wasm-objdump >/dev/null 2>&1; then
  dump=$(wasm-objdump -x "$out")
  for e in memory abi_version alloc dealloc session_new session_input session_input_end session_poll \
           session_free advertise check_branch protocol_version seed; do
    grep -q "\"$e\"" <<<"$dump" || { echo "wasm-module: FAILED: export $e missing" >&2; exit 1; }
  done
  if grep -E '<- ' <<<"$dump" | grep -v '<- artifacts_host_v1\.' >&2; then
    echo "wasm-module: FAILED: imports outside artifacts_host_v1 (above)" >&2; exit 1
  fi
fi

# Where the bytes go: code size per crate and the largest functions, from a copy optimised the
# same way but keeping its name section. WASM_SIZE_REPORT= (empty) skips it.
if [ -n "${WASM_SIZE_REPORT-1}" ] && command -v python3 >/dev/null 2>&1; then
  named="$(mktemp --suffix=.wasm)"
  wasm_opt "${opt[@]}" -g "$raw" -o "$named"
  wasm_opt "$named" --func-metrics 2>/dev/null | python3 -c '
import re, sys, collections
funcs, name = [], None
for line in sys.stdin:
    if line.startswith("func: "):
        name = line.split(None, 1)[1].strip()
    elif "[binary-bytes]" in line and name:
        funcs.append((int(line.split()[-1]), name)); name = None
crates = ["miniz_oxide", "sha1_checked", "crc32fast", "pack", "protocol", "git_core",
          "host_abi", "artifacts_wasm", "sha1", "alloc", "core"]
per, kinds = collections.Counter(), collections.Counter()
for size, n in funcs:
    found = re.findall(r"\d+(" + "|".join(crates) + r")(?=\d|[A-Z]|$)", n)
    per[next((c for c in crates if c in found), "other")] += size
    for tag, pat in (("BTreeMap/BTreeSet code", "btree"), ("slice sorting", "sort"), ("core::fmt", "3fmt")):
        if pat in n: kinds[tag] += size
print("  code bytes per crate (generic code counted in the crate that instantiates it):")
for c, size in per.most_common():
    print(f"    {size:8d}  {c}")
for t, size in kinds.most_common():
    print(f"    {size:8d}  of which {t}")
print("  largest functions:")
for size, n in sorted(funcs, reverse=True)[:8]:
    print(f"    {size:8d}  {n[:110]}")
' || true
  rm -f "$named"
fi

if [ "$size" -gt "$max" ]; then
  echo "wasm-module: FAILED: $size bytes is over the budget of $max bytes" >&2
  exit 3
fi
