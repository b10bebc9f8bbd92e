// expect: .*
// Control case: this file COMPILES, so the must-not-compile driver must report a
// failure (registered with WILL_FAIL / should_fail).
#include <imagine/config.hpp>

static_assert(IMAGINE_VERSION >= 0, "always true");
