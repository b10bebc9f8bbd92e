// expect: imagine: the driver must not accept this
// Control case: this file fails to compile, but with a different message, so the
// must-not-compile driver must report a failure (registered with WILL_FAIL / should_fail).
#include <imagine/config.hpp>

static_assert(false && sizeof(int), "imagine: some other diagnostic");
