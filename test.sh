#!/usr/bin/env bash
# Install missing packages, build, and run the whole test suite through ctest.
set -euo pipefail
cd "$(dirname "$0")"
./run.sh --setup-only
export QT_QPA_PLATFORM=offscreen
ctest --test-dir "${HEARTH_BUILD_DIR:-build}" --output-on-failure --timeout 600 "$@"
