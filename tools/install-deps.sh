#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages imagine needs to build, test and run its demo.
# Checks with dpkg-query first and calls apt-get only for what is missing (one
# `apt-get update`, then one `apt-get install`); uses sudo when not root. Quiet unless
# something fails, in which case apt-get's output is shown.
#
#   bash tools/install-deps.sh
set -euo pipefail

packages=(
    cmake ninja-build meson pkg-config   # build systems
    g++ clang libclang-rt-14-dev         # compilers (+ clang's sanitizer runtimes)
    libasio-dev libssl-dev               # library dependencies
    zlib1g-dev libjpeg-dev libwebp-dev   # tools/emulator: PNG, JPEG and WebP output
    libgtest-dev googletest              # tests
    python3 git                          # tools/amalgamate.py, packaging
    nginx squid openssl                  # real HTTP/TLS server and CONNECT proxy for tests
)

missing=()
for package in "${packages[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
    if [[ "$status" != "install ok installed" ]]; then
        missing+=("$package")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps.sh: apt-get not found; please install: ${missing[*]}" >&2
    exit 1
fi

sudo=()
if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo=(sudo)
    else
        echo "install-deps.sh: not root and no sudo; please install: ${missing[*]}" >&2
        exit 1
    fi
fi

echo "install-deps.sh: installing ${missing[*]}"
log="$(mktemp)"
# nginx and squid are test peers that the tests start themselves on loopback ports. Their
# packages would also start system services (nginx on port 80), which fails on machines
# without an init system and is not wanted anywhere: a policy-rc.d that denies service
# starts (exit 101) is put in place for the install, unless one exists already.
policy=/usr/sbin/policy-rc.d
added_policy=0
if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod 755 "$policy"
    added_policy=1
fi
cleanup()
{
    rm -f "$log"
    if [[ $added_policy -eq 1 ]]; then
        "${sudo[@]}" rm -f "$policy"
    fi
}
trap cleanup EXIT
apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q)
if ! "${apt[@]}" update >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-deps.sh: apt-get update failed" >&2
    exit 1
fi
if ! "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-deps.sh: apt-get install failed" >&2
    exit 1
fi
echo "install-deps.sh: done"
