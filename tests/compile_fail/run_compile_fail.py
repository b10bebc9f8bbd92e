#!/usr/bin/env python3
"""Driver for one must-not-compile case (used by meson; ctest uses run_compile_fail.cmake).

    run_compile_fail.py CASE.cpp COMPILER [COMPILER ARGS...]

The case's first line is "// expect: <regex>". Exit status 0 when compiling CASE.cpp
fails AND the compiler output matches the regex (re.search); 1 otherwise, printing the
first lines of the compiler output.
"""

import os
import re
import subprocess
import sys

HEAD_LINES = 40


def head(text: str) -> str:
    lines = text.splitlines()
    if len(lines) > HEAD_LINES:
        return "\n".join(lines[:HEAD_LINES] + [f"... ({len(lines)} lines in all)"])
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    source, command = argv[1], argv[2:]
    with open(source, encoding="utf-8") as f:
        first = f.readline().rstrip("\r\n")
    m = re.match(r"^// expect: (.+)$", first)
    if not m:
        print(f"{source}: the first line must be '// expect: <regex>', found: {first!r}")
        return 1
    expect = m.group(1)

    env = dict(os.environ, LC_ALL="C")
    env.pop("GCC_COLORS", None)
    try:
        proc = subprocess.run(command + [source], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, errors="replace")
    except OSError as e:
        print(f"{source}: could not run the compiler {command[0]!r}: {e}")
        return 1
    output = proc.stdout
    if proc.returncode == 0:
        print(f"{source}: compiled, but it must not compile.\n"
              f"expected an error matching: {expect}\ncompiler output:\n{head(output)}")
        return 1
    if not re.search(expect, output):
        print(f"{source}: failed to compile as required, but the output does not match "
              f"the expected regex.\nexpected: {expect}\n"
              f"compiler output (exit status {proc.returncode}):\n{head(output)}")
        return 1
    print(f"{source}: does not compile, output matches {expect!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
