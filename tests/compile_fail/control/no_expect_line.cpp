// Control case: no "expect:" line, so the driver must refuse it (WILL_FAIL / should_fail).
static_assert(false && sizeof(int), "imagine: no expectation given");
