// expect: imagine::json: a std::string_view would dangle
#include <imagine/json/read.hpp>

#include <string_view>

struct event {
    std::string_view type;
};

int main()
{
    event e;
    return static_cast<int>(imagine::json::read(R"({"type":"x"})", e).offset);
}
