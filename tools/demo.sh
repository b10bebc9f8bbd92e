#!/usr/bin/env bash
# Quick start, step 1: the offline demo. Installs the build dependencies (apt-get),
# builds the emulator and the `generate` example in build/demo (Release, g++, Ninja),
# starts the emulator on a loopback port with its own CA, streams a generation with two
# partial images from it, saves every image, and stops the emulator. No network, no key.
#
#   bash tools/demo.sh                       # "a lighthouse at dawn", 2 partial images
#   bash tools/demo.sh --stream 3 "a red fox in the snow"
#   bash tools/demo.sh refine                # the Responses examples, same setup:
#   bash tools/demo.sh background            #   a refinement chain, a polled background
#   bash tools/demo.sh responses_stream      #   job, a streamed response
#
# Arguments, when given, replace the default ones of the example (see examples/*.cpp).
# The images go to build/demo/out/ (generate) or build/demo/out/<example>/.
set -euo pipefail

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
        -DIMAGINE_BUILD_EMULATOR=ON \
        -DIMAGINE_BUILD_BENCH=OFF \
        >build/demo-configure.log 2>&1; then
    cat build/demo-configure.log >&2
    echo "demo.sh: configuring failed (log: build/demo-configure.log)" >&2
    exit 1
fi

example=generate
case "${1:-}" in
generate | refine | background | responses_stream)
    example="$1"
    shift
    ;;
esac
out_dir=build/demo/out
[[ "$example" == generate ]] || out_dir="build/demo/out/$example"

echo "demo.sh: building the emulator and examples/$example"
cmake --build build/demo --target imagine_emulator "$example" -j2

run_dir="$(mktemp -d)"
emulator_pid=""
cleanup()
{
    if [[ -n "$emulator_pid" ]] && kill -0 "$emulator_pid" 2>/dev/null; then
        kill "$emulator_pid" 2>/dev/null || true
        wait "$emulator_pid" 2>/dev/null || true
    fi
    rm -rf "$run_dir"
}
trap cleanup EXIT

echo "demo.sh: starting the emulator on 127.0.0.1"
build/demo/tools/emulator/imagine_emulator --port 0 --cert-dir "$run_dir" \
    --ready-file "$run_dir/ready.json" --quiet >"$run_dir/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 300); do
    [[ -s "$run_dir/ready.json" ]] && break
    if ! kill -0 "$emulator_pid" 2>/dev/null; then
        cat "$run_dir/emulator.log" >&2
        echo "demo.sh: the emulator exited" >&2
        exit 1
    fi
    sleep 0.1
done
if [[ ! -s "$run_dir/ready.json" ]]; then
    echo "demo.sh: the emulator did not start in 30 s" >&2
    exit 1
fi
base_url="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["base_url"])' "$run_dir/ready.json")"
ca_file="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["ca_file"])' "$run_dir/ready.json")"
echo "demo.sh: emulator at $base_url (CA: $ca_file)"
echo

if [[ $# -eq 0 && "$example" == generate ]]; then
    set -- --stream 2 "a lighthouse at dawn"
fi
# The emulator takes any key; a real one never leaves this script.
OPENAI_API_KEY=sk-emulator-demo "build/demo/examples/$example" \
    --base-url "$base_url" --ca-file "$ca_file" --out "$out_dir" "$@"
echo
echo "demo.sh: the images are in $root/$out_dir/"
ls -l "$out_dir/"
