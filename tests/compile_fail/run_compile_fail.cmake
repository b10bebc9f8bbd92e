# Driver for one must-not-compile case:
#   cmake -DCONFIG=<compile_fail_config.cmake> -DSOURCE=<case.cpp> -P run_compile_fail.cmake
# CONFIG sets COMPILER and FLAGS. The case's first line is "// expect: <regex>".
# Exit status 0 when the compile fails AND its output matches the regex, else 1.

cmake_minimum_required(VERSION 3.20)

foreach(var CONFIG SOURCE)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "run_compile_fail.cmake: -D${var}=... is required")
    endif()
endforeach()
include("${CONFIG}")

file(READ "${SOURCE}" _text LIMIT 4096)
string(REGEX MATCH "^[^\n]*" _first "${_text}")
string(REGEX REPLACE "\r$" "" _first "${_first}")
if(NOT _first MATCHES "^// expect: (.+)$")
    message(FATAL_ERROR "${SOURCE}: the first line must be '// expect: <regex>', "
        "found: '${_first}'")
endif()
set(_expect "${CMAKE_MATCH_1}")

# Plain ASCII quotes and no colour codes in diagnostics, whatever the caller's locale.
set(ENV{LC_ALL} C)
unset(ENV{GCC_COLORS})
execute_process(
    COMMAND ${COMPILER} ${FLAGS} "${SOURCE}"
    RESULT_VARIABLE _rc
    OUTPUT_VARIABLE _out
    ERROR_VARIABLE _out)

# The first lines of the compiler output, for the messages below.
set(_head "")
set(_rest "${_out}")
set(_count 0)
while(_count LESS 40)
    string(FIND "${_rest}" "\n" _nl)
    if(_nl EQUAL -1)
        string(APPEND _head "${_rest}")
        set(_rest "")
        break()
    endif()
    math(EXPR _next "${_nl} + 1")
    string(SUBSTRING "${_rest}" 0 ${_next} _line)
    string(SUBSTRING "${_rest}" ${_next} -1 _rest)
    string(APPEND _head "${_line}")
    math(EXPR _count "${_count} + 1")
endwhile()
if(NOT _rest STREQUAL "")
    string(APPEND _head "... (output truncated)\n")
endif()

# message(FATAL_ERROR) reflows its text; print the compiler output verbatim first.
function(fail)
    string(JOIN "" summary ${ARGV})
    if(NOT _head STREQUAL "")
        message("---- compiler output (first lines) ----\n${_head}----")
    endif()
    message(FATAL_ERROR "${SOURCE}: ${summary}")
endfunction()

if(_rc STREQUAL "0")
    fail("compiled, but it must not compile (expected an error matching '${_expect}')")
endif()
if(NOT _rc MATCHES "^[0-9]+$")
    fail("could not run the compiler (${COMPILER}): ${_rc}")
endif()
if(NOT _out MATCHES "${_expect}")
    fail("failed to compile as required (exit status ${_rc}), but the output does not "
        "match the expected regex '${_expect}'")
endif()
message(STATUS "${SOURCE}: does not compile, output matches '${_expect}'")
