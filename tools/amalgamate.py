#!/usr/bin/env python3
"""Build the single-header edition of imagine: single_include/imagine/imagine.hpp.

Starting from include/imagine/imagine.hpp, every include of one of our own headers
(#include <imagine/...>, "imagine/..." or a quoted path relative to the including
header) is replaced by that header's text, once, depth-first at the point of its
first inclusion; later includes of the same header are dropped. `#pragma once` is
removed from the inlined text and written once at the top. Asio, OpenSSL and standard
library includes are left alone, and so are includes inside comments and string
literals. The output is deterministic: same headers, same bytes.

    python3 tools/amalgamate.py             rewrite single_include/imagine/imagine.hpp
    python3 tools/amalgamate.py -o FILE     write FILE instead ("-" for stdout)
    python3 tools/amalgamate.py --check     exit 1 if the file on disk is not current

Standard library only (Python 3.8+).
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
from typing import List, Optional, Set, Tuple

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_INPUT = os.path.join("include", "imagine", "imagine.hpp")
DEFAULT_OUTPUT = os.path.join("single_include", "imagine", "imagine.hpp")

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*(?:<([^>]+)>|"([^"]+)")')
PRAGMA_ONCE_RE = re.compile(r"^\s*#\s*pragma\s+once\b")
VERSION_RE = re.compile(r"^#define IMAGINE_VERSION_STRING \"([^\"]+)\"", re.M)
CONDITIONAL_OPEN_RE = re.compile(r"^\s*#\s*if(n?def)?\b")
CONDITIONAL_CLOSE_RE = re.compile(r"^\s*#\s*endif\b")
RAW_PREFIXES = ("R", "u8R", "uR", "UR", "LR")
ENCODING_PREFIXES = ("u8", "u", "U", "L")


class AmalgamationError(Exception):
    pass


def code_line_starts(text: str) -> List[bool]:
    """For each line of `text`, True when the line starts in code, False when it starts
    inside a block comment, a spliced line comment or a (raw) string literal."""
    states: List[bool] = [True]  # line 1 starts in code
    i, n = 0, len(text)

    def newline(inside: bool) -> None:
        states.append(not inside)

    while i < n:
        c = text[i]
        if c == "\n":
            newline(False)
            i += 1
        elif text.startswith("//", i):
            # Line comment; a backslash before the newline splices the next line in.
            j = i + 2
            while j < n and text[j] != "\n":
                j += 1
            while j < n and text[j - 1] == "\\":
                newline(True)
                j += 1
                while j < n and text[j] != "\n":
                    j += 1
            i = j
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end == -1 else end
            states.extend([False] * text.count("\n", i, end))
            i = end + 2
        elif c.isdigit() or (c == "." and i + 1 < n and text[i + 1].isdigit()):
            # pp-number, including digit separators (1'000) and exponents (1e+5).
            j = i + 1
            while j < n:
                d = text[j]
                if d.isalnum() or d in "_.'":
                    j += 1
                elif d in "+-" and text[j - 1] in "eEpP":
                    j += 1
                else:
                    break
            i = j
        elif c.isalpha() or c == "_":
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            word = text[i:j]
            if j < n and text[j] == '"' and word in RAW_PREFIXES:
                i = skip_raw_string(text, j, states)
            elif j < n and text[j] in "\"'" and word in ENCODING_PREFIXES:
                i = skip_quoted(text, j, states)
            else:
                i = j
        elif c in "\"'":
            i = skip_quoted(text, i, states)
        else:
            i += 1
    return states


def skip_quoted(text: str, i: int, states: List[bool]) -> int:
    """Skip a "..." or '...' literal whose quote is text[i]; returns the index after it.
    A backslash-newline inside it continues the literal on the next line."""
    quote = text[i]
    j, n = i + 1, len(text)
    while j < n:
        d = text[j]
        if d == "\\":
            if j + 1 < n and text[j + 1] == "\n":
                states.append(False)
            j += 2
        elif d == quote:
            return j + 1
        elif d == "\n":  # unterminated: the literal ends with the line
            return j
        else:
            j += 1
    return n


def skip_raw_string(text: str, i: int, states: List[bool]) -> int:
    """Skip R"delim( ... )delim" whose opening quote is text[i]."""
    n = len(text)
    paren = text.find("(", i)
    if paren == -1:
        return i + 1
    end_marker = ")" + text[i + 1:paren] + '"'
    end = text.find(end_marker, paren + 1)
    end = n if end == -1 else end
    states.extend([False] * text.count("\n", paren, end))
    return min(n, end + len(end_marker))


class Amalgamator:
    def __init__(self, include_dir: str):
        self.include_dir = os.path.realpath(include_dir)
        self.seen: Set[str] = set()
        self.order: List[str] = []
        self.warnings: List[str] = []

    def rel(self, path: str) -> str:
        return os.path.relpath(path, self.include_dir).replace(os.sep, "/")

    def resolve(self, spelled: str, quoted: bool, including: str) -> Optional[str]:
        """The absolute path of one of our headers, or None for a foreign include."""
        candidates = []
        if spelled.startswith("imagine/"):
            candidates.append(os.path.join(self.include_dir, spelled))
        if quoted:
            candidates.append(os.path.join(os.path.dirname(including), spelled))
        for c in candidates:
            real = os.path.realpath(c)
            inside = real.startswith(os.path.join(self.include_dir, "imagine") + os.sep)
            if inside and os.path.isfile(real):
                return real
        if spelled.startswith("imagine/"):
            raise AmalgamationError(f"{self.rel(including)}: included header not found: "
                                    f"<{spelled}>")
        return None

    def expand(self, path: str, out: List[str]) -> None:
        self.seen.add(path)
        self.order.append(self.rel(path))
        with open(path, encoding="utf-8") as f:
            text = f.read()
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        code = code_line_starts(text)
        depth = 0
        name = self.rel(path)
        out.append(f"// ---- begin {name} ----")
        for number, line in enumerate(lines, start=1):
            line = line.rstrip("\r")
            in_code = code[number - 1] if number - 1 < len(code) else True
            if in_code:
                if PRAGMA_ONCE_RE.match(line):
                    continue
                if CONDITIONAL_OPEN_RE.match(line):
                    depth += 1
                elif CONDITIONAL_CLOSE_RE.match(line):
                    depth -= 1
                m = INCLUDE_RE.match(line)
                if m:
                    spelled = m.group(1) or m.group(2)
                    target = self.resolve(spelled, m.group(2) is not None, path)
                    if target is not None:
                        if depth > 0 and target not in self.seen:
                            self.warnings.append(
                                f"{name}:{number}: <{spelled}> is included inside a "
                                f"preprocessor conditional; it is inlined there, once")
                        if target not in self.seen:
                            self.expand(target, out)
                        continue
            out.append(line)
        out.append(f"// ---- end {name} ----")


def read_version(include_dir: str) -> str:
    config = os.path.join(include_dir, "imagine", "config.hpp")
    try:
        with open(config, encoding="utf-8") as f:
            m = VERSION_RE.search(f.read())
    except OSError:
        m = None
    return m.group(1) if m else "unknown"


def amalgamate(root: str, input_rel: str) -> Tuple[str, Amalgamator]:
    include_dir = os.path.join(root, "include")
    source = os.path.realpath(os.path.join(root, input_rel))
    if not os.path.isfile(source):
        raise AmalgamationError(f"input header not found: {source}")
    version = read_version(include_dir)
    am = Amalgamator(include_dir)
    body: List[str] = []
    am.expand(source, body)
    header = [
        f"// imagine {version} -- single-header edition.",
        "//",
        "// GENERATED FILE, DO NOT EDIT. Produced by tools/amalgamate.py from",
        f"// {input_rel.replace(os.sep, '/')} and the headers it includes; edit those and run",
        "//     python3 tools/amalgamate.py",
        "// Needs standalone Asio (>= 1.22) and OpenSSL; link with -lssl -lcrypto -pthread.",
        "//",
        "// Distributed under the Boost Software License, Version 1.0.",
        "// (See https://www.boost.org/LICENSE_1_0.txt)",
        "// SPDX-License-Identifier: BSL-1.0",
        "",
        "#pragma once",
        "",
    ]
    text = "\n".join(header + body) + "\n"
    # Sanity: nothing of ours may remain as an include.
    out_lines = text.split("\n")
    code = code_line_starts(text)
    leftover = [l for k, l in enumerate(out_lines)
                if code[k] and re.match(r'^\s*#\s*include\s*[<"]imagine/', l)]
    if leftover:
        raise AmalgamationError(f"internal error: include left in output: {leftover[0]}")
    return text, am


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="amalgamate.py",
        description="Inline imagine's headers into one file (default: rewrite "
                    f"{DEFAULT_OUTPUT}).")
    parser.add_argument("-o", "--output", metavar="PATH",
                        help=f"write the amalgamation to PATH ('-' for stdout) instead of "
                             f"{DEFAULT_OUTPUT}")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 when the output file (default "
                             f"{DEFAULT_OUTPUT}, or -o PATH) differs from a fresh "
                             "amalgamation")
    parser.add_argument("--input", default=DEFAULT_INPUT, metavar="HEADER",
                        help=f"root header, relative to the repository (default {DEFAULT_INPUT})")
    parser.add_argument("--root", default=REPO_ROOT, metavar="DIR",
                        help="repository root (default: the parent of tools/)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="list the inlined headers in order")
    args = parser.parse_args(argv)

    try:
        text, am = amalgamate(args.root, args.input)
    except (AmalgamationError, OSError, UnicodeDecodeError) as e:
        print(f"amalgamate.py: error: {e}", file=sys.stderr)
        return 2
    for w in am.warnings:
        print(f"amalgamate.py: warning: {w}", file=sys.stderr)
    if args.verbose:
        for name in am.order:
            print(f"  {name}", file=sys.stderr)

    output = args.output or os.path.join(args.root, DEFAULT_OUTPUT)
    shown = os.path.relpath(output, args.root) if output != "-" else "<stdout>"

    if args.check:
        if output == "-":
            print("amalgamate.py: error: --check needs a file, not '-'", file=sys.stderr)
            return 2
        try:
            with open(output, encoding="utf-8", newline="") as f:
                current = f.read()
        except FileNotFoundError:
            print(f"amalgamate.py: {shown} is missing. Run: python3 tools/amalgamate.py",
                  file=sys.stderr)
            return 1
        if current != text:
            diff = list(difflib.unified_diff(current.split("\n"), text.split("\n"),
                                             f"{shown} (on disk)", f"{shown} (fresh)",
                                             lineterm="", n=1))
            print(f"amalgamate.py: {shown} is OUT OF DATE with include/imagine/ "
                  f"({len(diff)} diff lines). Run: python3 tools/amalgamate.py",
                  file=sys.stderr)
            for line in diff[:30]:
                print(f"    {line}", file=sys.stderr)
            if len(diff) > 30:
                print("    ...", file=sys.stderr)
            return 1
        print(f"amalgamate.py: {shown} is up to date ({len(am.order)} headers)")
        return 0

    if output == "-":
        sys.stdout.write(text)
        return 0
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    # Write only when the content changes: keeps timestamps (and rebuilds) stable.
    try:
        with open(output, encoding="utf-8", newline="") as f:
            unchanged = f.read() == text
    except FileNotFoundError:
        unchanged = False
    if not unchanged:
        tmp = output + ".tmp"
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, output)
    print(f"amalgamate.py: {'unchanged' if unchanged else 'wrote'} {shown} "
          f"({len(am.order)} headers, {text.count(chr(10))} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
