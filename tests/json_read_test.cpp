// json::read: round trips for every supported type, and what reading accepts and turns
// into what. Numbers, enums and std::array are in json_read_numbers_test.cpp, malformed
// input in json_read_errors_test.cpp, alignment and SIMD boundaries in
// json_read_scan_test.cpp.

#include <imagine/json/read.hpp>
#include <imagine/json/write.hpp>

#include <gtest/gtest.h>

#include "json_test_enums.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

namespace json = imagine::json;

namespace read_test {

using json_test::quality;
using json_test::style;
enum class mood { happy = 1, sad = 2 };  // no name for the value 0

struct point {
    int x;
    int y;
    bool operator==(const point&) const = default;
};

struct everything {
    bool b;
    std::int8_t i8;
    std::uint8_t u8;
    std::int16_t i16;
    std::uint16_t u16;
    std::int32_t i32;
    std::uint32_t u32;
    std::int64_t i64;
    std::uint64_t u64;
    float f;
    double d;
    std::string s;
    quality q;
    std::optional<int> opt_set;
    std::optional<int> opt_empty;
    std::vector<std::string> vec;
    std::array<int, 3> arr;
    std::map<std::string, double> m;
    std::unordered_map<std::string, int> um;
    std::variant<int, std::string> var;
    std::vector<std::optional<bool>> vob;
    std::vector<point> points;
    json::value dyn;
    std::monostate mono;
    bool operator==(const everything&) const = default;
};

struct token_usage {
    std::int64_t input_tokens;
    std::int64_t output_tokens;
    std::optional<std::int64_t> total_tokens;
};

struct image_data {
    std::string b64_json;
    std::optional<std::string> revised_prompt;
};

struct images_response {
    std::int64_t created;
    std::vector<image_data> data;
    std::optional<token_usage> usage;
};

struct only_a {
    int a;
};

struct with_optionals {
    std::optional<std::string> name;
    std::optional<std::vector<int>> list;
    int required;
};

struct with_containers {
    std::vector<int> v;
    std::map<std::string, int> m;
    std::string s;
};

// Tagged alternatives.
struct partial_image {
    int partial_image_index;
    std::string b64_json;
    bool operator==(const partial_image&) const = default;
};
struct completed {
    std::string b64_json;
    std::optional<std::int64_t> tokens;
    bool operator==(const completed&) const = default;
};
struct loose {
    std::optional<int> x;
};
using stream_event = std::variant<partial_image, completed, json::value>;
using strict_event = std::variant<partial_image, completed>;
using mixed_event = std::variant<partial_image, loose>;

struct circle {
    double r;
    bool operator==(const circle&) const = default;
};
struct square {
    double side;
    bool operator==(const square&) const = default;
};
using shape = std::variant<circle, square>;

} // namespace read_test

using namespace read_test;

template <>
struct imagine::json::meta<mood> {
    static constexpr std::pair<mood, std::string_view> values[] = {
        {mood::happy, "happy"}, {mood::sad, "sad"}};
};
template <>
struct imagine::json::meta<partial_image> {
    static constexpr std::string_view tag = "image_generation.partial_image";
};
template <>
struct imagine::json::meta<completed> {
    static constexpr std::string_view tag = "image_generation.completed";
};
template <>
struct imagine::json::meta<circle> {
    static constexpr std::string_view tag = "circle";
};
template <>
struct imagine::json::meta<square> {
    static constexpr std::string_view tag = "square";
};
template <>
struct imagine::json::meta<shape> {
    static constexpr std::string_view tag_key = "kind";
};

namespace {

using string_int_map = std::map<std::string, int>;
using hashed_map = std::unordered_map<std::string, int>;
using string_or_double = std::variant<std::string, double>;
using int_or_string = std::variant<int, std::string>;

template <class T>
T must_read(std::string_view text, const json::read_options& options = {})
{
    T out{};
    json::read_error e = json::read(text, out, options);
    EXPECT_FALSE(e) << text << "\n -> " << e.message();
    return out;
}

template <class T>
json::read_error read_error_of(std::string_view text, const json::read_options& options = {})
{
    T out{};
    return json::read(text, out, options);
}

template <class T>
void expect_round_trip(const T& v)
{
    const std::string text = json::write(v);
    T back{};
    json::read_error e = json::read(text, back);
    ASSERT_FALSE(e) << text << "\n -> " << e.message();
    EXPECT_TRUE(back == v) << text;
    EXPECT_EQ(json::write(back), text);
}

// ------------------------------------------------------------------------------------
// Round trips

TEST(JsonRead, RoundTripScalars)
{
    expect_round_trip(true);
    expect_round_trip(false);
    expect_round_trip(std::numeric_limits<std::int8_t>::min());
    expect_round_trip(std::numeric_limits<std::int8_t>::max());
    expect_round_trip(std::numeric_limits<std::uint8_t>::max());
    expect_round_trip(std::numeric_limits<std::int16_t>::min());
    expect_round_trip(std::numeric_limits<std::uint16_t>::max());
    expect_round_trip(std::numeric_limits<std::int32_t>::min());
    expect_round_trip(std::numeric_limits<std::uint32_t>::max());
    expect_round_trip(std::numeric_limits<std::int64_t>::min());
    expect_round_trip(std::numeric_limits<std::int64_t>::max());
    expect_round_trip(std::numeric_limits<std::uint64_t>::max());
    for (double d : {0.0, 0.1, -2.5, 1e300, 5e-324, 123456789.0, 1.7976931348623157e308})
        expect_round_trip(d);
    expect_round_trip(0.1f);
    expect_round_trip(std::numeric_limits<float>::denorm_min());
    double negative_zero = must_read<double>(json::write(-0.0));
    EXPECT_TRUE(std::signbit(negative_zero));
    EXPECT_EQ(negative_zero, 0.0);
}

TEST(JsonRead, RoundTripStrings)
{
    std::string all_controls;
    for (int c = 0; c < 0x20; ++c)
        all_controls += static_cast<char>(c);
    for (const std::string& s : {std::string(), std::string("plain"), all_controls,
             std::string("\"\\/"), std::string("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"),
             std::string("\x7f"), std::string(100000, 'z')})
        expect_round_trip(s);
}

TEST(JsonRead, RoundTripContainersEnumsVariants)
{
    expect_round_trip(std::vector<int>{});
    expect_round_trip(std::vector<std::vector<int>>{{1}, {}, {2, 3}});
    expect_round_trip(std::array<std::string, 2>{"a", "b"});
    expect_round_trip(std::map<std::string, std::vector<int>>{{"a", {1}}, {"b", {}}});
    const std::unordered_map<std::string, int> hashed{{"one", 1}, {"two", 2}, {"three", 3}};
    EXPECT_EQ(must_read<hashed_map>(json::write(hashed)), hashed);
    expect_round_trip(std::vector<std::optional<int>>{1, std::nullopt});
    expect_round_trip(std::optional<std::string>{"x"});
    expect_round_trip(std::optional<std::string>{});
    expect_round_trip(quality::medium);
    expect_round_trip(std::vector<style>{style::natural, style::vivid});
    expect_round_trip(std::variant<std::monostate, bool, std::int64_t, double, std::string>{});
    expect_round_trip(std::variant<std::monostate, bool, std::int64_t, double, std::string>{2.5});
    expect_round_trip(std::variant<std::monostate, bool, std::int64_t, double, std::string>{"s"});
    expect_round_trip(std::variant<std::monostate, bool, std::int64_t, double, std::string>{true});
    expect_round_trip(std::variant<std::monostate, bool, std::int64_t, double, std::string>{std::int64_t{-9}});
    expect_round_trip(std::vector<stream_event>{partial_image{1, "AAA"}, completed{"BBB", 12}});
    expect_round_trip(strict_event{completed{"x", std::nullopt}});
    expect_round_trip(std::monostate{});
    expect_round_trip(point{-1, 2});
}

TEST(JsonRead, RoundTripEverything)
{
    everything v{true, -128, 255, -32768, 65535, -2147483647 - 1, 4294967295u,
        std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::uint64_t>::max(), 0.1f,
        -1e-300, "s\n\"\xC3\xA9", quality::high, 7, std::nullopt, {"a", ""}, {1, 2, 3},
        {{"pi", 3.14159}, {"e", 2.71828}}, {{"k", 1}}, std::string("alt"), {true, std::nullopt},
        {{1, 2}, {3, 4}}, json::value(json::value::array{1, "x", nullptr}), {}};
    expect_round_trip(v);
    everything w = v;
    w.var = 5;
    w.dyn = json::value();
    w.vob.clear();
    expect_round_trip(w);
}

TEST(JsonRead, RoundTripTaggedVariants)
{
    // Strictly tagged, with the tag first (as written) ...
    expect_round_trip(strict_event{partial_image{3, "abc"}});
    // ... and read from text where the tag is last or in the middle.
    auto last = must_read<strict_event>(R"({"partial_image_index":3,"b64_json":"abc","type":"image_generation.partial_image"})");
    EXPECT_EQ(last, strict_event(partial_image{3, "abc"}));
    auto middle = must_read<strict_event>(R"({"b64_json":"z","type":"image_generation.completed","tokens":4})");
    EXPECT_EQ(middle, strict_event(completed{"z", 4}));
}

// ------------------------------------------------------------------------------------
// Whitespace

TEST(JsonRead, WhitespaceEverywhere)
{
    const std::vector<std::string> tokens = {"{", R"("v")", ":", "[", "1", ",", "2", "]", ",",
        R"("m")", ":", "{", R"("k")", ":", "3", "}", ",", R"("s")", ":", R"("a b")", "}"};
    const with_containers expected{{1, 2}, {{"k", 3}}, "a b"};
    for (const std::string ws : {" ", "\t", "\n", "\r", " \t\n\r  \r\n"}) {
        std::string text = ws;
        for (const auto& t : tokens)
            text += t + ws;
        auto got = must_read<with_containers>(text);
        EXPECT_EQ(got.v, expected.v);
        EXPECT_EQ(got.m, expected.m);
        EXPECT_EQ(got.s, expected.s);
        EXPECT_FALSE(read_error_of<json::value>(text));
    }
    // Anything else in any gap is an error at that byte.
    for (const std::string& bad : {std::string("\f"), std::string("\v"), std::string("\xC2\xA0"),
             std::string(1, '\0')}) {
        for (std::size_t gap = 0; gap <= tokens.size(); ++gap) {
            std::string text;
            std::size_t at = 0;
            for (std::size_t i = 0; i <= tokens.size(); ++i) {
                if (i == gap) {
                    at = text.size();
                    text += bad;
                }
                if (i < tokens.size())
                    text += tokens[i];
            }
            json::read_error e = read_error_of<json::value>(text);
            ASSERT_TRUE(e) << "gap " << gap;
            EXPECT_EQ(e.offset, at) << "gap " << gap << ": " << e.message();
            EXPECT_TRUE(e.code == json::error::syntax_error ||
                        e.code == json::error::trailing_characters)
                << e.message();
        }
    }
    EXPECT_EQ(must_read<int>(" \t\n\r7 \t\n\r"), 7);
    EXPECT_EQ(must_read<std::vector<int>>("[ ]"), std::vector<int>{});
    EXPECT_EQ(must_read<string_int_map>("{\n}").size(), 0u);
}

// ------------------------------------------------------------------------------------
// Members

TEST(JsonRead, UnknownMembersSkippedWhole)
{
    const char* text = R"({"zzz":{"a":[1,{"b":"\"}]\\","c":[[],{}]}],"d":null},)"
                       R"("s":"\u00e9\"}","n":-1.5e3,"t":true,"f":false,"nul":null,)"
                       R"("a":1,"after":[{"a":2}],"\u0061x":{"a":3}})";
    EXPECT_EQ(must_read<only_a>(text).a, 1);
    EXPECT_EQ(must_read<only_a>(R"({"a":1,"a\u0062":2})").a, 1);
}

TEST(JsonRead, ErrorOnUnknownKeys)
{
    json::read_options strict{.error_on_unknown_keys = true};
    EXPECT_EQ(must_read<only_a>(R"({"a":4})", strict).a, 4);
    json::read_error e = read_error_of<only_a>(R"({"a":1, "extra": {"x":1}})", strict);
    EXPECT_EQ(e.code, json::error::unknown_member);
    EXPECT_EQ(e.path, "$.extra");
    EXPECT_EQ(e.offset, 17u);  // the value of the unknown member
    e = read_error_of<images_response>(
        R"({"created":1,"data":[{"b64_json":"x","seed":1}]})", strict);
    EXPECT_EQ(e.code, json::error::unknown_member);
    EXPECT_EQ(e.path, "$.data[0].seed");
    // The tag of a tagged alternative is not an unknown key.
    auto ev = must_read<strict_event>(
        R"({"type":"image_generation.completed","b64_json":"q"})", strict);
    EXPECT_EQ(ev, strict_event(completed{"q", std::nullopt}));
    // ... but a struct without a tag has no business with a "type" member.
    e = read_error_of<only_a>(R"({"a":1,"type":"x"})", strict);
    EXPECT_EQ(e.code, json::error::unknown_member);
    EXPECT_EQ(e.path, "$.type");
    // An untagged alternative next to tagged ones takes objects whose tag no alternative
    // claims; strictly read, that tag is an unknown member of it.
    EXPECT_EQ(read_error_of<mixed_event>(R"({"type":"zzz","x":1})", strict).code,
        json::error::unknown_member);
    EXPECT_FALSE(read_error_of<mixed_event>(R"({"x":1})", strict));
}

TEST(JsonRead, Optionals)
{
    auto v = must_read<with_optionals>(R"({"required":1})");
    EXPECT_FALSE(v.name.has_value());
    EXPECT_FALSE(v.list.has_value());
    v = must_read<with_optionals>(R"({"name":null,"list":null,"required":2})");
    EXPECT_FALSE(v.name.has_value());
    EXPECT_FALSE(v.list.has_value());
    v = must_read<with_optionals>(R"({"name":"n","list":[],"required":3})");
    EXPECT_EQ(v.name, "n");
    EXPECT_EQ(v.list, std::vector<int>{});
    // Null over a value that was there empties it.
    with_optionals w{"old", std::vector<int>{1}, 0};
    ASSERT_FALSE(json::read(R"({"name":null,"required":0})", w));
    EXPECT_FALSE(w.name.has_value());
    EXPECT_EQ(must_read<std::optional<int>>("null"), std::nullopt);
    EXPECT_EQ(must_read<std::vector<std::optional<int>>>("[null,1]"),
        (std::vector<std::optional<int>>{std::nullopt, 1}));
}

TEST(JsonRead, MissingRequiredMember)
{
    const std::string text = R"({"created":1,"data":[{"revised_prompt":"p"}]})";
    json::read_error e = read_error_of<images_response>(text);
    EXPECT_EQ(e.code, json::error::missing_member);
    EXPECT_EQ(e.path, "$.data[0].b64_json");
    EXPECT_EQ(e.offset, text.find('}'));  // the end of the object that lacks it
    EXPECT_EQ(e.detail, "missing required member");

    e = read_error_of<images_response>(R"({"data":[]})");
    EXPECT_EQ(e.code, json::error::missing_member);
    EXPECT_EQ(e.path, "$.created");
    e = read_error_of<images_response>(R"({"created":1,"data":[],"usage":{"input_tokens":1}})");
    EXPECT_EQ(e.code, json::error::missing_member);
    EXPECT_EQ(e.path, "$.usage.output_tokens");
    e = read_error_of<only_a>("{}");
    EXPECT_EQ(e.code, json::error::missing_member);
    EXPECT_EQ(e.path, "$.a");
    EXPECT_EQ(e.offset, 1u);
}

TEST(JsonRead, NullForARequiredMember)
{
    const std::string text = R"({"created":1,"data":[{"b64_json":null}]})";
    json::read_error e = read_error_of<images_response>(text);
    EXPECT_EQ(e.code, json::error::type_mismatch);
    EXPECT_EQ(e.path, "$.data[0].b64_json");
    EXPECT_EQ(e.detail, "expected string, found null");
    EXPECT_EQ(e.offset, text.find("null"));
}

TEST(JsonRead, DuplicateKeysLastWins)
{
    auto v = must_read<with_containers>(
        R"({"v":[1,2,3],"m":{"a":1,"b":2},"s":"first","v":[9],"m":{"c":3},"s":"second"})");
    EXPECT_EQ(v.v, std::vector<int>{9});
    EXPECT_EQ(v.m, (std::map<std::string, int>{{"c", 3}}));
    EXPECT_EQ(v.s, "second");
    auto m = must_read<string_int_map>(R"({"k":1,"k":2,"j":0,"k":3})");
    EXPECT_EQ(m, (std::map<std::string, int>{{"j", 0}, {"k", 3}}));
    EXPECT_EQ(must_read<only_a>(R"({"a":1,"a":2})").a, 2);
    // Reading over a filled object replaces its containers.
    with_containers filled{{7, 7}, {{"x", 1}}, "old"};
    ASSERT_FALSE(json::read(R"({"v":[],"m":{},"s":""})", filled));
    EXPECT_TRUE(filled.v.empty());
    EXPECT_TRUE(filled.m.empty());
}

// ------------------------------------------------------------------------------------
// Strings

TEST(JsonRead, Escapes)
{
    EXPECT_EQ(must_read<std::string>(R"("\"\\\/\b\f\n\r\t")"), "\"\\/\b\f\n\r\t");
    EXPECT_EQ(must_read<std::string>(R"("\u0041\u00e9\u00C9\u20ac\uFFFF")"),
        "A\xC3\xA9\xC3\x89\xE2\x82\xAC\xEF\xBF\xBF");
    EXPECT_EQ(must_read<std::string>(R"("\u0000")"), std::string(1, '\0'));
    EXPECT_EQ(must_read<std::string>(R"("\u007f\u0080\u07ff\u0800")"),
        "\x7f\xC2\x80\xDF\xBF\xE0\xA0\x80");
    EXPECT_EQ(must_read<std::string>(R"("\ud83d\ude00")"), "\xF0\x9F\x98\x80");
    EXPECT_EQ(must_read<std::string>(R"("\uD800\uDC00")"), "\xF0\x90\x80\x80");
    EXPECT_EQ(must_read<std::string>(R"("\uDBFF\uDFFF")"), "\xF4\x8F\xBF\xBF");
    EXPECT_EQ(must_read<std::string>(R"("a\ud83d\ude00b\n")"), "a\xF0\x9F\x98\x80" "b\n");
    // Escaped keys match members.
    EXPECT_EQ(must_read<only_a>(R"({"\u0061":5})").a, 5);
    EXPECT_EQ(must_read<string_int_map>(R"({"\ud83d\ude00\n":1})").count("\xF0\x9F\x98\x80\n"), 1u);
}

TEST(JsonRead, LoneSurrogates)
{
    struct bad_case {
        const char* text;
        std::size_t offset;  // of the backslash that starts the bad escape
    };
    for (auto [text, offset] : {bad_case{R"("\ud83d")", 1}, bad_case{R"("ab\ud83d")", 3},
             bad_case{R"("\ud83dx")", 1}, bad_case{R"("\ud83d\u0041")", 1},
             bad_case{R"("\ud83d\ud83d")", 1}, bad_case{R"("\ude00")", 1},
             bad_case{R"("\ude00\ud83d")", 1}, bad_case{R"("\ud83d\n")", 1},
             bad_case{R"("x\uDFFF")", 2}}) {
        json::read_error e = read_error_of<std::string>(text);
        EXPECT_EQ(e.code, json::error::invalid_unicode_escape) << text;
        EXPECT_EQ(e.offset, offset) << text;
        EXPECT_EQ(read_error_of<json::value>(text).code, json::error::invalid_unicode_escape) << text;
        // Skipped strings are validated the same way.
        std::string wrapped = std::string(R"({"a":1,"skip":)") + text + "}";
        EXPECT_EQ(read_error_of<only_a>(wrapped).code, json::error::invalid_unicode_escape) << wrapped;
    }
}

// ------------------------------------------------------------------------------------
// Variants

TEST(JsonRead, VariantByJsonKind)
{
    using V = std::variant<std::nullptr_t, bool, std::int64_t, double, std::string,
        std::vector<int>, point>;
    EXPECT_EQ(must_read<V>("null").index(), 0u);
    EXPECT_EQ(must_read<V>("true"), V(true));
    EXPECT_EQ(must_read<V>("false"), V(false));
    EXPECT_EQ(must_read<V>("-12"), V(std::int64_t{-12}));
    EXPECT_EQ(must_read<V>("1.5"), V(1.5));
    EXPECT_EQ(must_read<V>("1e2"), V(100.0));
    EXPECT_EQ(must_read<V>(R"("s")"), V(std::string("s")));
    EXPECT_EQ(must_read<V>("[1,2]"), V(std::vector<int>{1, 2}));
    EXPECT_EQ(must_read<V>(R"({"y":2,"x":1})"), V(point{1, 2}));
    // A number without an integer alternative goes to the floating one.
    EXPECT_EQ(must_read<string_or_double>("3"), string_or_double(3.0));
    // optional and json::value alternatives.
    using W = std::variant<std::optional<int>, std::string>;
    EXPECT_EQ(must_read<W>("null"), W(std::optional<int>{}));
    using X = std::variant<std::string, json::value>;
    EXPECT_EQ(must_read<X>("[1]"), X(json::value(json::value::array{1})));
    // No alternative for the kind.
    json::read_error e = read_error_of<int_or_string>("true");
    EXPECT_EQ(e.code, json::error::type_mismatch);
    EXPECT_EQ(e.offset, 0u);
    EXPECT_EQ(read_error_of<int_or_string>("{}").code, json::error::type_mismatch);
    EXPECT_EQ(read_error_of<int_or_string>("").code, json::error::unexpected_end);
}

// Regression: std::monostate is an empty aggregate, so it used to count as an object
// alternative; listed first, it took every object and the read failed with
// "expected null, found object".
TEST(JsonRead, VariantMonostateAndStruct)
{
    using V = std::variant<std::monostate, point>;
    EXPECT_EQ(must_read<V>("null"), V());
    json::read_error e = read_error_of<V>(R"({"x":1,"y":2})");
    EXPECT_FALSE(e) << e.message();
    EXPECT_EQ(must_read<V>(R"({"x":1,"y":2})"), V(point{1, 2}));
    using W = std::variant<std::monostate, partial_image, completed>;
    EXPECT_EQ(read_error_of<W>(R"({"b64_json":"x"})").code, json::error::unknown_variant_tag);
}

TEST(JsonRead, VariantByTag)
{
    auto first = must_read<stream_event>(
        R"({"type":"image_generation.partial_image","partial_image_index":0,"b64_json":"QQ=="})");
    EXPECT_EQ(first, stream_event(partial_image{0, "QQ=="}));
    auto last = must_read<stream_event>(R"({"b64_json":"x","tokens":5,"type":"image_generation.completed"})");
    EXPECT_EQ(last, stream_event(completed{"x", 5}));
    // The tag's text may be escaped, and whitespace may surround it.
    auto escaped = must_read<stream_event>(
        "{ \"b64_json\" : \"x\" ,\n \"\\u0074ype\" : \"image_generation.\\u0063ompleted\" }");
    EXPECT_EQ(escaped, stream_event(completed{"x", std::nullopt}));
    // Values of other members that look like tags do not confuse the search.
    auto nested = must_read<stream_event>(
        R"({"b64_json":"x","extra":{"type":"image_generation.partial_image"},"type":"image_generation.completed"})");
    EXPECT_EQ(nested, stream_event(completed{"x", std::nullopt}));
}

TEST(JsonRead, VariantUnknownTag)
{
    // Falls back to the json::value alternative.
    auto v = must_read<stream_event>(R"({"type":"image_generation.new_thing","n":[1]})");
    ASSERT_TRUE(std::holds_alternative<json::value>(v));
    EXPECT_EQ(std::get<json::value>(v).at("type").as_string(), "image_generation.new_thing");
    EXPECT_EQ(std::get<json::value>(v).at("n").at(0).as_int64(), 1);
    // Without one, an error naming the tag.
    const std::string text = R"({"event": {"type":"nope","b64_json":"x"}})";
    json::read_error e = read_error_of<std::map<std::string, strict_event>>(text);
    EXPECT_EQ(e.code, json::error::unknown_variant_tag);
    EXPECT_EQ(e.path, "$.event");
    EXPECT_EQ(e.offset, text.find("{\"type"));
    EXPECT_EQ(e.detail, "no alternative for type \"nope\"");
    // No tag at all.
    e = read_error_of<strict_event>(R"({"b64_json":"x"})");
    EXPECT_EQ(e.code, json::error::unknown_variant_tag);
    EXPECT_EQ(e.detail, "object has no \"type\" naming an alternative");
    // A tag that is not a string is no tag.
    EXPECT_EQ(read_error_of<strict_event>(R"({"type":1,"b64_json":"x"})").code,
        json::error::unknown_variant_tag);
    // An untagged object alternative takes the objects no tag claims.
    EXPECT_TRUE(std::holds_alternative<loose>(must_read<mixed_event>(R"({"x":1})")));
    EXPECT_TRUE(std::holds_alternative<loose>(must_read<mixed_event>(R"({"type":"zzz","x":1})")));
    EXPECT_TRUE(std::holds_alternative<partial_image>(must_read<mixed_event>(
        R"({"type":"image_generation.partial_image","partial_image_index":1,"b64_json":""})")));
}

TEST(JsonRead, CustomTagKeyRead)
{
    EXPECT_EQ(must_read<shape>(R"({"kind":"square","side":2})"), shape(square{2}));
    EXPECT_EQ(must_read<shape>(R"({"r":0.5,"kind":"circle"})"), shape(circle{0.5}));
    // "type" is not this variant's tag key.
    EXPECT_EQ(read_error_of<shape>(R"({"type":"circle","r":1})").code, json::error::unknown_variant_tag);
}

// Regression: with error_on_unknown_keys, an alternative of a variant that declares
// meta<V>::tag_key used to reject the variant's own tag member as unknown (only the
// struct's "type" was exempt).
TEST(JsonRead, CustomTagKeyWithErrorOnUnknownKeys)
{
    json::read_options strict{.error_on_unknown_keys = true};
    shape s;
    json::read_error e = json::read(R"({"kind":"circle","r":1})", s, strict);
    EXPECT_FALSE(e) << e.message();
    EXPECT_EQ(s, shape(circle{1}));
    // Other unknown members are still rejected.
    EXPECT_EQ(read_error_of<shape>(R"({"kind":"circle","r":1,"z":0})", strict).code,
        json::error::unknown_member);
}

// Regression: writing a variant with meta<V>::tag_key used to write "type", so the text
// did not read back. See JsonWrite.CustomTagKeyOfTheVariant.
TEST(JsonRead, CustomTagKeyRoundTrip)
{
    expect_round_trip(shape{circle{1.5}});
    expect_round_trip(std::vector<shape>{square{1}, circle{2}});
}

TEST(JsonRead, VariantEnumVersusString)
{
    using A = std::variant<std::string, quality>;
    EXPECT_EQ(must_read<A>(R"("low")"), A(quality::low));   // the enum knows the name
    EXPECT_EQ(must_read<A>(R"("other")"), A(std::string("other")));
    using B = std::variant<style, std::string>;
    EXPECT_EQ(must_read<B>(R"("vivid")"), B(style::vivid));
    EXPECT_EQ(must_read<B>(R"("other")"), B(std::string("other")));  // string beats the fallback
    using C = std::variant<style, int>;
    EXPECT_EQ(must_read<C>(R"("other")"), C(style::unknown));  // no string: the fallback
    using D = std::variant<quality, int>;
    EXPECT_EQ(read_error_of<D>(R"("other")").code, json::error::unknown_enum_value);
    using E = std::variant<mood, std::string>;
    EXPECT_EQ(must_read<E>(R"("sad")"), E(mood::sad));
    EXPECT_EQ(must_read<E>(R"("x")"), E(std::string("x")));
}

// Regression: for the text "" an enum whose value 0 has no name used to be taken as
// knowing the name (enum_to_string(E{}) is "" too), and the read failed with
// unknown_enum_value instead of giving the string alternative.
TEST(JsonRead, VariantEnumVersusEmptyString)
{
    using E = std::variant<mood, std::string>;
    json::read_error e = read_error_of<E>(R"("")");
    EXPECT_FALSE(e) << e.message();
    EXPECT_EQ(must_read<E>(R"("")"), E(std::string()));
}

// ------------------------------------------------------------------------------------
// Documents

TEST(JsonRead, RealisticDocument)
{
    const char* text = R"({
      "created": 1713833628,
      "data": [
        {"b64_json": "iVBORw0KGgo=", "revised_prompt": "A cute baby sea otter"},
        {"b64_json": "AAAA"}
      ],
      "usage": {"input_tokens": 50, "output_tokens": 4160, "total_tokens": 4210,
                "input_tokens_details": {"text_tokens": 40, "image_tokens": 10}},
      "background": "opaque"
    })";
    auto r = must_read<images_response>(text);
    EXPECT_EQ(r.created, 1713833628);
    ASSERT_EQ(r.data.size(), 2u);
    EXPECT_EQ(r.data[0].revised_prompt, "A cute baby sea otter");
    EXPECT_FALSE(r.data[1].revised_prompt.has_value());
    ASSERT_TRUE(r.usage.has_value());
    EXPECT_EQ(r.usage->total_tokens, 4210);
    EXPECT_THROW((void)json::read<images_response>(R"({"created":"x"})"), json::read_exception);
}

// Regression: std::vector<bool> hands out proxy references, which the element reader could
// not bind (a compile error, found in review).
TEST(JsonRead, VectorOfBool)
{
    auto v = json::read<std::vector<bool>>("[true, false,true]");
    EXPECT_EQ(v, (std::vector<bool>{true, false, true}));
    EXPECT_EQ(json::write(v), "[true,false,true]");
    EXPECT_EQ(read_error_of<std::vector<bool>>("[true,1]").path, "$[1]");
}

// Regression: an error met while looking ahead for a variant's tag carried the path "$";
// it names the member being skipped, as skipping an unknown member does.
TEST(JsonRead, TagLookAheadErrorNamesTheMember)
{
    json::read_error e = read_error_of<stream_event>(
        R"({"junk":[[[1,]]],"type":"image_generation.partial_image"})");
    EXPECT_EQ(e.code, json::error::syntax_error);
    EXPECT_EQ(e.path, "$.junk");
    EXPECT_EQ(e.offset, 13u);
}

} // namespace
