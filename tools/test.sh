#!/usr/bin/env bash
# shellcheck disable=SC2317  # the job_* functions are called indirectly ("job_$name")
# Quick start, step 2: install the dependencies (apt-get) and run ALL of imagine's
# checks, each job in its own build directory under build/:
#
#   single-header  tools/amalgamate.py --check (single_include/ is current)
#   gcc-release    g++ Release: tests, examples, benchmarks (compiled, not run); ctest
#   gcc-asan       g++ Debug with AddressSanitizer + UndefinedBehaviorSanitizer; ctest
#   clang-asan     clang++ RelWithDebInfo with ASan + UBSan (-fno-sanitize=function); ctest
#   meson          meson setup + meson test, g++
#   packaging      install to a scratch prefix; build consumers with find_package,
#                  add_subdirectory and pkg-config (g++ and clang++)
#
#   bash tools/test.sh                 all jobs
#   bash tools/test.sh gcc-release ... only the named jobs
#   bash tools/test.sh --list          the job names
#
# Every job runs even when an earlier one failed; the summary at the end lists each
# job's result and time, and the exit status is non-zero if any job failed.
# Environment: IMAGINE_JOBS (parallel build/test jobs, default 2).
# This script takes no lock itself; on a shared machine run it under one.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

jobs="${IMAGINE_JOBS:-2}"
all_jobs=(single-header gcc-release gcc-asan clang-asan meson packaging)

usage()
{
    sed -n '3,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

selected=()
for arg in "$@"; do
    case "$arg" in
        -h|--help) usage; exit 0 ;;
        --list) printf '%s\n' "${all_jobs[@]}"; exit 0 ;;
        *)
            if [[ " ${all_jobs[*]} " != *" $arg "* ]]; then
                echo "test.sh: unknown job '$arg' (jobs: ${all_jobs[*]})" >&2
                exit 2
            fi
            selected+=("$arg")
            ;;
    esac
done
if [[ ${#selected[@]} -eq 0 ]]; then
    selected=("${all_jobs[@]}")
fi

banner()
{
    local line="================================================================================"
    printf '\n%s\n== %s\n%s\n' "$line" "$*" "$line"
}

# cmake_job <build dir> <ctest args...> -- <cmake configure args...>
cmake_job()
{
    local dir="$1"
    shift
    local ctest_args=()
    while [[ $# -gt 0 && "$1" != "--" ]]; do
        ctest_args+=("$1")
        shift
    done
    shift
    cmake -S . -B "$dir" -G Ninja -DIMAGINE_BUILD_TESTS=ON "$@"
    # Keep going past a broken target (ninja -k 0) and run the tests that did build,
    # so one bad file does not hide the state of everything else.
    local status=0
    cmake --build "$dir" -j "$jobs" -- -k 0 || status=1
    (cd "$dir" && ctest --output-on-failure -j "$jobs" ${ctest_args[@]+"${ctest_args[@]}"}) \
        | tee -a "$tally" || status=1
    return "$status"
}

sanitizer_env()
{
    export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1}"
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
}

job_single-header()
{
    python3 tools/amalgamate.py --check
}

job_gcc-release()
{
    cmake_job build/gcc-release -- \
        -DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=Release \
        -DIMAGINE_BUILD_EXAMPLES=ON -DIMAGINE_BUILD_BENCH=ON -DIMAGINE_SANITIZE=
}

job_gcc-asan()
{
    sanitizer_env
    cmake_job build/gcc-asan -- \
        -DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=Debug \
        -DIMAGINE_BUILD_EXAMPLES=OFF -DIMAGINE_BUILD_BENCH=OFF \
        "-DIMAGINE_SANITIZE=address,undefined"
}

job_clang-asan()
{
    # IMAGINE_SANITIZE adds -fno-sanitize=function for clang (clang 14 + coroutines).
    sanitizer_env
    cmake_job build/clang-asan -- \
        -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DIMAGINE_BUILD_EXAMPLES=ON -DIMAGINE_BUILD_BENCH=OFF \
        "-DIMAGINE_SANITIZE=address,undefined"
}

job_meson()
{
    local dir=build/meson-gcc
    # --reconfigure re-lists the test files (meson has no glob).
    if [[ -f "$dir/build.ninja" ]]; then
        CXX=g++ meson setup --reconfigure "$dir"
    else
        CXX=g++ meson setup "$dir" -Dexamples=enabled -Dbench=disabled
    fi
    local status=0
    if meson compile -C "$dir" -j "$jobs" --ninja-args=-k0; then
        meson test -C "$dir" --no-rebuild --print-errorlogs --num-processes "$jobs" \
            | tee -a "$tally" || status=1
    else
        status=1
        # meson test refuses to start when any test program is missing: run the tests
        # whose programs did build, and name the others.
        local built=()
        mapfile -t built < <(meson introspect --tests "$dir" | python3 -c '
import json, os, sys
for t in json.load(sys.stdin):
    if os.path.exists(t["cmd"][0]):
        print(t["name"])
    else:
        print("test.sh: not built, not run: " + t["name"], file=sys.stderr)
')
        if [[ ${#built[@]} -gt 0 ]]; then
            meson test -C "$dir" --no-rebuild --print-errorlogs --num-processes "$jobs" \
                "${built[@]}" || true
        fi
    fi
    return "$status"
}

job_packaging()
{
    local cxx
    for cxx in g++ clang++; do
        cmake "-DSOURCE_DIR=$root" "-DWORK_DIR=$root/build/packaging-$cxx" \
            "-DCXX=$cxx" -DGENERATOR=Ninja -P tests/cmake/run_packaging_test.cmake
    done
}

# Every test runner's output is also kept here, for the count in the summary.
tally="$root/build/test-tally.log"
mkdir -p "$root/build"
: > "$tally"

overall_start=$SECONDS
banner "install-deps"
bash tools/install-deps.sh
echo "dependencies: ok"

declare -A result seconds
failed=0
for job in "${selected[@]}"; do
    banner "job: $job"
    start=$SECONDS
    # A background subshell, so that `set -e` really applies inside the job (it is
    # ignored in anything run as an `if` condition).
    ( set -euo pipefail; "job_$job" ) &
    if wait $!; then
        result[$job]=PASS
    else
        result[$job]=FAIL
        failed=1
    fi
    seconds[$job]=$((SECONDS - start))
    echo "== job $job: ${result[$job]} (${seconds[$job]} s)"
done

banner "summary"
for job in "${selected[@]}"; do
    printf '  %-14s %s  %5d s\n' "$job" "${result[$job]}" "${seconds[$job]}"
done
printf '  %-14s %s  %5d s\n' "total" "$([[ $failed -eq 0 ]] && echo PASS || echo FAIL)" \
    $((SECONDS - overall_start))
# One closing line over all runners: ctest's "N tests failed out of M" and meson's
# "Ok: N" / "Fail: N" summed.
python3 - "$tally" <<'PY'
import re, sys
text = open(sys.argv[1], errors="replace").read()
passed = failed = 0
for f, total in re.findall(r"tests passed, (\d+) tests? failed out of (\d+)", text):
    passed += int(total) - int(f)
    failed += int(f)
passed += sum(int(n) for n in re.findall(r"^Ok:\s+(\d+)", text, re.M))
failed += sum(int(n) for n in re.findall(r"^Fail:\s+(\d+)", text, re.M))
print(f"tests: {passed} passed, {failed} failed")
PY
exit "$failed"
