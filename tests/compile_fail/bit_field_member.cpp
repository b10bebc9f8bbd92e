// expect: imagine::json: bit-field members are not supported|read of non-constexpr variable 'fake_object<flags>'
// g++ shows our message. clang 14 cannot ask the question in a requires-expression (see
// tools/gen_tie.py); there the build still fails, with clang's own note that the member's
// address is no constant expression. Known gap: clang's message does not say "bit-field".
#include <imagine/json/reflect.hpp>

struct flags {
    unsigned stream : 1;
    int n;
};

int main() { return static_cast<int>(imagine::json::member_names_v<flags>.size()); }
