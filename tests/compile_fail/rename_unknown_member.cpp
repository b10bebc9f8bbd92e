// expect: imagine::json: meta<T>::renames names a member that T does not have
#include <imagine/json/write.hpp>

struct request {
    int default_;
};

template <>
struct imagine::json::meta<request> {
    static constexpr json::rename renames[] = {{"dafault_", "default"}};
};

int main() { return static_cast<int>(imagine::json::write(request{}).size()); }
