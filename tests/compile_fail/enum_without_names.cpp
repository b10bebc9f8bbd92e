// expect: imagine::json: enums need their wire names in imagine::json::meta<E>::values
#include <imagine/json/write.hpp>

enum class quality { low, high };

struct request {
    quality q;
};

int main() { return static_cast<int>(imagine::json::write(request{}).size()); }
