// expect: imagine::json: C array members are not supported; use std::array
#include <imagine/json/write.hpp>

struct request {
    int sizes[3];
    int n;
};

int main() { return static_cast<int>(imagine::json::write(request{}).size()); }
