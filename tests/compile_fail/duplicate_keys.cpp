// expect: imagine::json: two members have the same key
#include <imagine/json/write.hpp>

struct request {
    int type_;
    int type;
};

template <>
struct imagine::json::meta<request> {
    static constexpr json::rename renames[] = {{"type_", "type"}};
};

int main() { return static_cast<int>(imagine::json::write(request{}).size()); }
