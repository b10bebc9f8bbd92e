// libFuzzer target for the JSON reader and writer. Built by clang only (IMAGINE_BUILD_FUZZ);
// ctest runs it for a fixed number of inputs from a fixed seed, so results repeat.
//
// Properties checked on every input:
// - reading never crashes, leaks or overflows (the sanitizers watch);
// - skipping (an empty struct ignores every member) and building a json::value accept
//   the same objects: two code paths, one grammar. The one allowed difference is a number
//   outside a double's range, which is valid grammar but has no json::value;
// - what was read writes back, and that text reads again to an equal value and writes to
//   the same text.

#include <imagine/json/read.hpp>
#include <imagine/json/write.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace {

struct skip_all {};

enum class quality_level { low, high, unknown };

struct usage_info {
    std::int64_t input_tokens = 0;
    std::optional<std::map<std::string, int>> details{};
};

struct partial {
    std::string b64_json{};
    std::optional<std::uint8_t> partial_image_index{};
};

struct completed {
    std::optional<usage_info> usage{};
    std::optional<quality_level> quality{};
};

using event = std::variant<partial, completed, imagine::json::value>;

struct response {
    std::optional<std::vector<event>> data{};
    std::optional<double> created{};
    std::optional<std::variant<bool, std::string, std::vector<int>>> mixed{};
};

[[noreturn]] void fail(const char* what)
{
    std::fprintf(stderr, "json_fuzz: %s\n", what);
    std::abort();
}

template <class T>
void round_trip(const T& first)
{
    const std::string text = imagine::json::write(first);
    T second{};
    if (imagine::json::read(text, second))
        fail("written text does not read back");
    if (imagine::json::write(second) != text)
        fail("second write differs from the first");
}

} // namespace

template <>
struct imagine::json::meta<quality_level> {
    static constexpr std::pair<quality_level, std::string_view> values[] = {
        {quality_level::low, "low"}, {quality_level::high, "high"}};
    static constexpr quality_level unknown = quality_level::unknown;
};
template <>
struct imagine::json::meta<partial> {
    static constexpr std::string_view tag = "partial";
};
template <>
struct imagine::json::meta<completed> {
    static constexpr std::string_view tag = "completed";
};

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace imagine;
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    json::value v;
    const bool value_ok = !json::read(text, v);
    if (value_ok) {
        round_trip(v);
        json::value again;
        if (json::read(json::write(v), again) || !(again == v))
            fail("json::value changed across a write and a read");
    }

    skip_all skipped;
    const bool skip_ok = !json::read(text, skipped);
    if (value_ok && v.is_object() && !skip_ok)
        fail("skipping rejects an object that json::value accepts");
    if (skip_ok && !value_ok &&
        json::read(text, v).code != json::error::number_out_of_range)
        fail("skipping accepts an object that json::value rejects");

    response typed;
    if (!json::read(text, typed)) {
        // quality_level::unknown has no name, so such a response cannot be written.
        bool unnamed = false;
        for (const auto& e : typed.data.value_or(std::vector<event>{}))
            if (auto* c = std::get_if<completed>(&e))
                unnamed = unnamed || c->quality == quality_level::unknown;
        if (!unnamed)
            round_trip(typed);
    }
    return 0;
}
