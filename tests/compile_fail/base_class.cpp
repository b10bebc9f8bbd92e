// expect: imagine::json: aggregates with base classes are not supported
#include <imagine/json/write.hpp>

struct base {
    int created;
};
struct response : base {
    int n;
};

int main() { return static_cast<int>(imagine::json::write(response{}).size()); }
