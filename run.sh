#!/usr/bin/env bash
# Build Hearth (Release) and start it: the console when a display is present,
# else the headless server on 127.0.0.1:1105 with its data in ./hearth-data.
#   ./run.sh                 build and start
#   ./run.sh --setup-only    install missing packages and build, start nothing
#   ./run.sh -- ARGS...      build and pass ARGS to hearth (e.g. -- serve --listen 0.0.0.0:1105)
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${HEARTH_BUILD_DIR:-build}
BUILD_TYPE=${HEARTH_BUILD_TYPE:-Release}

# Debian 12 packages the build, the tests and the bench need.
PACKAGES=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-websockets-dev qt6-declarative-dev
  libsqlite3-dev libcrypt-dev libssl-dev
  wrk
  # the console (HEARTH_GUI): charts, code editor, keychain, SVG icons, OpenGL headers Qt Gui asks for
  qt6-charts-dev libqscintilla2-qt6-dev qtkeychain-qt6-dev qt6-svg-dev libgl-dev
  # screenshots and UI checks on a virtual display
  xvfb xauth imagemagick
)

missing_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

install_packages() {
  local missing
  missing=$(missing_packages)
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing: $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing
  else
    echo "Hearth needs these Debian packages. Install them with:" >&2
    echo "  sudo apt-get install -y $missing" >&2
    exit 1
  fi
}

build() {
  local generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
    cmake -S . -B "$BUILD_DIR" "${generator[@]}" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" ${HEARTH_CMAKE_ARGS:-}
  fi
  cmake --build "$BUILD_DIR" --parallel "$(nproc)"
}

setup_only=0
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --setup-only) setup_only=1 ;;
    --) shift; args+=("$@"); break ;;
    *) args+=("$1") ;;
  esac
  shift
done

install_packages
build
[ "$setup_only" -eq 1 ] && exit 0

if [ ${#args[@]} -gt 0 ]; then
  exec "$BUILD_DIR/app/hearth" "${args[@]}"
elif [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$BUILD_DIR/app/hearth"
else
  exec "$BUILD_DIR/app/hearth" serve --data ./hearth-data --listen 127.0.0.1:1105
fi
