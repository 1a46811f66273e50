#!/usr/bin/env bash
# Prints our total delta bytes against git's on the delta fixture (see delta-fixture.sh) and the
# ratio, raw and zlib-compressed; exits 1 if ours is more than 10% larger compressed.
# Usage: benches/scripts/delta-ratio.sh [FIXTURE_DIR]   (DELTA_WINDOW=n sets git's --window)
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ $# -gt 0 ]; then export DELTA_FIXTURE_DIR="$1"; fi
exec cargo bench -p artifacts-benches --bench delta_ratio
