#!/usr/bin/env bash
# Quick start, step 1: install the build dependencies (apt-get), build the demo
# program in build/demo (Release, g++, Ninja) and run it. Works from any directory.
#
#   bash tools/demo.sh
set -euo pipefail

# The program to build and run (examples/<name>.cpp).
demo=json_roundtrip

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash tools/install-deps.sh

echo "demo.sh: configuring build/demo (Release, g++)"
mkdir -p build
if ! cmake -S . -B build/demo -G Ninja \
        -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_CXX_COMPILER=g++ \
        -DIMAGINE_BUILD_TESTS=OFF \
        -DIMAGINE_BUILD_EXAMPLES=ON \
        -DIMAGINE_BUILD_BENCH=OFF \
        >build/demo-configure.log 2>&1; then
    cat build/demo-configure.log >&2
    echo "demo.sh: configuring failed (log: build/demo-configure.log)" >&2
    exit 1
fi

echo "demo.sh: building ${demo}"
cmake --build build/demo --target "${demo}" -j2

echo "demo.sh: running build/demo/examples/${demo}"
echo
exec "build/demo/examples/${demo}" "$@"
