// expect: imagine: sample must-not-compile case
// Proves the must-not-compile machinery (tests/compile_fail/CMakeLists.txt,
// tests/compile_fail/run_compile_fail.py): this file must fail with this message.
#include <imagine/config.hpp>

static_assert(false && sizeof(int), "imagine: sample must-not-compile case");
