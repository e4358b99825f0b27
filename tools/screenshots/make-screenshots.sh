#!/bin/sh
# Regenerates docs/screenshots: builds hearth-screenshots in ./build (run ./run.sh
# or ./test.sh once before, for the packages), then runs the console with the
# sample project under Xvfb, light scheme for every view and a dark one of Data.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
build="${BUILD_DIR:-$here/build}"
out="$here/docs/screenshots"
cmake --build "$build" --target hearth-screenshots
tool="$build/tools/screenshots/hearth-screenshots"
run() { xvfb-run -a -s "-screen 0 1600x1000x24" "$tool" --out "$out" "$@"; }
run --scheme light
run --scheme dark --only data --suffix -dark
echo "screenshots in $out"
