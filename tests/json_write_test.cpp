// json::write: the exact text produced for every supported type, and the values that
// cannot be written (NaN, infinity, invalid UTF-8, enum values without a name).

#include <imagine/json/read.hpp>
#include <imagine/json/write.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

namespace json = imagine::json;

namespace write_test {

enum class size { small, large, unnamed };

struct image {
    std::string url;
    std::optional<std::string> revised_prompt;
    std::optional<int> seed;
};

struct response {
    std::int64_t created;
    std::vector<image> data;
    size sz;
};

struct text_event {
    std::string delta;
};
struct done_event {
    int total;
    std::string type;  // the tag member itself: the writer must not write it twice
};
struct untagged {
    int x;
};
using event = std::variant<text_event, done_event, untagged>;

struct circle {
    double r;
};
struct square {
    double side;
};
using shape = std::variant<circle, square>;

struct renamed {
    int default_;
};

} // namespace write_test

template <>
struct imagine::json::meta<write_test::size> {
    static constexpr std::pair<write_test::size, std::string_view> values[] = {
        {write_test::size::small, "256x256"}, {write_test::size::large, "1024x1024"}};
};
template <>
struct imagine::json::meta<write_test::text_event> {
    static constexpr std::string_view tag = "response.text.delta";
};
template <>
struct imagine::json::meta<write_test::done_event> {
    static constexpr std::string_view tag = "response.done";
};
template <>
struct imagine::json::meta<write_test::circle> {
    static constexpr std::string_view tag = "circle";
};
template <>
struct imagine::json::meta<write_test::square> {
    static constexpr std::string_view tag = "square";
};
template <>
struct imagine::json::meta<write_test::shape> {
    static constexpr std::string_view tag_key = "kind";
};
template <>
struct imagine::json::meta<write_test::renamed> {
    static constexpr json::rename renames[] = {{"default_", "default"}};
};

namespace {

using namespace write_test;
using ::testing::HasSubstr;

// A byte-at-a-time escaper to compare the SIMD writer against (valid UTF-8 input only).
std::string reference_escape(std::string_view s)
{
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

template <class T>
json::error write_error_of(const T& v)
{
    try {
        (void)json::write(v);
    } catch (const json::write_exception& e) {
        return static_cast<json::error>(e.code().value());
    }
    return json::error{};
}

// ------------------------------------------------------------------------------------
// Scalars

TEST(JsonWrite, Bool)
{
    EXPECT_EQ(json::write(true), "true");
    EXPECT_EQ(json::write(false), "false");
}

template <class I>
void expect_limits(const char* min, const char* max)
{
    EXPECT_EQ(json::write(std::numeric_limits<I>::min()), min);
    EXPECT_EQ(json::write(std::numeric_limits<I>::max()), max);
    EXPECT_EQ(json::write(I{0}), "0");
}

TEST(JsonWrite, IntegersAtTheirLimits)
{
    expect_limits<std::int8_t>("-128", "127");
    expect_limits<std::uint8_t>("0", "255");
    expect_limits<std::int16_t>("-32768", "32767");
    expect_limits<std::uint16_t>("0", "65535");
    expect_limits<std::int32_t>("-2147483648", "2147483647");
    expect_limits<std::uint32_t>("0", "4294967295");
    expect_limits<std::int64_t>("-9223372036854775808", "9223372036854775807");
    expect_limits<std::uint64_t>("0", "18446744073709551615");
    expect_limits<long long>("-9223372036854775808", "9223372036854775807");
    expect_limits<unsigned long long>("0", "18446744073709551615");
    EXPECT_EQ(json::write(short{-7}), "-7");
    EXPECT_EQ(json::write(static_cast<signed char>(-1)), "-1");
    EXPECT_EQ(json::write(static_cast<unsigned char>(200)), "200");
    EXPECT_EQ(json::write(std::vector<std::int8_t>{-1, 0, 1}), "[-1,0,1]");
}

TEST(JsonWrite, DoublesShortest)
{
    EXPECT_EQ(json::write(0.1), "0.1");
    EXPECT_EQ(json::write(1e300), "1e+300");
    EXPECT_EQ(json::write(5e-324), "5e-324");
    EXPECT_EQ(json::write(-0.0), "-0");
    EXPECT_EQ(json::write(0.0), "0");
    EXPECT_EQ(json::write(123456789.0), "123456789");
    EXPECT_EQ(json::write(1.0), "1");
    EXPECT_EQ(json::write(-2.5), "-2.5");
    EXPECT_EQ(json::write(0.30000000000000004), "0.30000000000000004");
    EXPECT_EQ(json::write(std::numeric_limits<double>::max()), "1.7976931348623157e+308");
    EXPECT_EQ(json::write(std::numeric_limits<double>::min()), "2.2250738585072014e-308");
    EXPECT_EQ(json::write(0.1f), "0.1");
    EXPECT_EQ(json::write(16777216.0f), "16777216");
    EXPECT_EQ(json::write(std::numeric_limits<float>::max()), "3.4028235e+38");
}

// Every written double is valid JSON and reads back to the same bits.
TEST(JsonWrite, RandomDoublesRoundTripBitExact)
{
    std::mt19937_64 rng(20240611);
    int checked = 0;
    for (int i = 0; i < 20000; ++i) {
        std::uint64_t bits = rng();
        if (i % 4 == 1)
            bits &= 0x800FFFFFFFFFFFFFull;  // subnormals
        if (i % 4 == 2)
            bits = (bits & 0x8000FFFFFFFFFFFFull) | 0x3FF0000000000000ull;  // [1, 2)
        double d = std::bit_cast<double>(bits);
        if (!std::isfinite(d))
            continue;
        std::string text = json::write(d);
        double back = 42;
        json::read_error e = json::read(text, back);
        ASSERT_FALSE(e) << text << ": " << e.message();
        ASSERT_EQ(std::bit_cast<std::uint64_t>(back), bits) << text;
        json::value v;
        ASSERT_FALSE(json::read(text, v)) << text;
        ++checked;
    }
    EXPECT_GT(checked, 19000);
}

TEST(JsonWrite, RandomFloatsRoundTripBitExact)
{
    std::mt19937 rng(7);
    for (int i = 0; i < 20000; ++i) {
        std::uint32_t bits = rng();
        if (i % 3 == 1)
            bits &= 0x807FFFFFu;  // subnormals; includes zero
        float f = std::bit_cast<float>(bits);
        if (!std::isfinite(f))
            continue;
        std::string text = json::write(f);
        float back = 42;
        json::read_error e = json::read(text, back);
        ASSERT_FALSE(e) << text << ": " << e.message();
        ASSERT_EQ(std::bit_cast<std::uint32_t>(back), bits) << text;
    }
}

TEST(JsonWrite, NanAndInfinityThrow)
{
    constexpr double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    EXPECT_EQ(write_error_of(nan), json::error::not_representable);
    EXPECT_EQ(write_error_of(inf), json::error::not_representable);
    EXPECT_EQ(write_error_of(-inf), json::error::not_representable);
    EXPECT_EQ(write_error_of(std::numeric_limits<float>::quiet_NaN()), json::error::not_representable);
    EXPECT_EQ(write_error_of(std::numeric_limits<float>::infinity()), json::error::not_representable);
    EXPECT_EQ(write_error_of(std::vector<double>{1, nan}), json::error::not_representable);
    EXPECT_EQ(write_error_of(circle{inf}), json::error::not_representable);
    EXPECT_EQ(write_error_of(json::value(nan)), json::error::not_representable);
    EXPECT_THROW((void)json::write(nan), std::system_error);
}

// ------------------------------------------------------------------------------------
// Strings

TEST(JsonWrite, EveryControlCharacterEscaped)
{
    for (int c = 0; c < 0x20; ++c) {
        std::string s(1, static_cast<char>(c));
        std::string expected;
        switch (c) {
        case '\b': expected = R"("\b")"; break;
        case '\f': expected = R"("\f")"; break;
        case '\n': expected = R"("\n")"; break;
        case '\r': expected = R"("\r")"; break;
        case '\t': expected = R"("\t")"; break;
        default: {
            char buf[16];
            std::snprintf(buf, sizeof buf, "\"\\u00%02x\"", c);
            expected = buf;
        }
        }
        EXPECT_EQ(json::write(s), expected) << "byte " << c;
    }
    EXPECT_EQ(json::write(std::string("a\0b", 3)), R"("a\u0000b")");
    EXPECT_EQ(json::write(std::string("\x1f\x7f")), "\"\\u001f\x7f\"");  // DEL is not escaped
}

TEST(JsonWrite, QuoteBackslashSlash)
{
    EXPECT_EQ(json::write(std::string("\"")), R"("\"")");
    EXPECT_EQ(json::write(std::string("\\")), R"("\\")");
    EXPECT_EQ(json::write(std::string("/")), R"("/")");
    EXPECT_EQ(json::write(std::string("a/b\\c\"d")), R"("a/b\\c\"d")");
    EXPECT_EQ(json::write(std::string("")), R"("")");
    EXPECT_EQ(json::write("literal"), R"("literal")");
    EXPECT_EQ(json::write(std::string_view("view")), R"("view")");
}

TEST(JsonWrite, ValidUtf8PassesThrough)
{
    const char* samples[] = {
        "\xC3\xA9",          // é, 2 bytes
        "\xE2\x82\xAC",      // €, 3 bytes
        "\xF0\x9F\x98\x80",  // U+1F600, 4 bytes
        "\xC2\x80",          // U+0080, smallest 2-byte
        "\xDF\xBF",          // U+07FF
        "\xE0\xA0\x80",      // U+0800, smallest 3-byte
        "\xED\x9F\xBF",      // U+D7FF, below the surrogates
        "\xEE\x80\x80",      // U+E000, above the surrogates
        "\xEF\xBF\xBF",      // U+FFFF
        "\xF0\x90\x80\x80",  // U+10000, smallest 4-byte
        "\xF4\x8F\xBF\xBF",  // U+10FFFF, the last code point
    };
    for (const char* s : samples) {
        EXPECT_EQ(json::write(std::string(s)), "\"" + std::string(s) + "\"");
        EXPECT_EQ(json::write("x" + std::string(s) + "\n"), "\"x" + std::string(s) + "\\n\"");
    }
}

TEST(JsonWrite, InvalidUtf8Throws)
{
    const std::string samples[] = {
        "\x80",              // lone continuation byte
        "\xBF",              //
        "\xC0\x80",          // overlong NUL
        "\xC1\xBF",          // overlong
        "\xE0\x80\x80",      // overlong 3-byte
        "\xF0\x80\x80\x80",  // overlong 4-byte
        "\xED\xA0\x80",      // surrogate U+D800
        "\xED\xBF\xBF",      // surrogate U+DFFF
        "\xF4\x90\x80\x80",  // above U+10FFFF
        "\xF5\x80\x80\x80",  // lead byte F5
        "\xFF",              //
        "\xC3",              // truncated at the end
        "\xE2\x82",          //
        "\xF0\x9F\x98",      //
        "\xE2\x82" "A",      // truncated, followed by ASCII
        "\xC3\xA9\xA9",      // valid, then a stray continuation
    };
    for (const std::string& bad : samples) {
        for (const std::string& s : {bad, "abc" + bad, bad + "xyz", std::string(100, 'a') + bad}) {
            try {
                (void)json::write(s);
                ADD_FAILURE() << "no exception for " << ::testing::PrintToString(s);
            } catch (const json::write_exception& e) {
                EXPECT_EQ(e.code(), json::error::invalid_utf8);
                EXPECT_EQ(e.code(), json::make_error_code(json::error::invalid_utf8));
            }
        }
    }
    try {
        (void)json::write(std::string("abc\x80"));
        ADD_FAILURE();
    } catch (const json::write_exception& e) {
        EXPECT_THAT(e.what(), HasSubstr("at byte 3"));
    }
    // In keys and members too.
    EXPECT_EQ(write_error_of(std::map<std::string, int>{{"k\xC0\x80", 1}}), json::error::invalid_utf8);
    EXPECT_EQ(write_error_of(image{"\xED\xA0\x80", {}, {}}), json::error::invalid_utf8);
}

// Specials at and around the 16/32/64-byte steps of the SIMD scan, in a 1 MB string.
TEST(JsonWrite, LongStringsWithSpecialsAtBlockBoundaries)
{
    const std::size_t n = 1 << 20;
    const std::string specials[] = {"\"", "\\", "\n", "\x01", "\x1f", "\xC3\xA9", "\xE2\x82\xAC",
        "\xF0\x9F\x98\x80", "/"};
    const std::string plain(n, 'a');
    EXPECT_EQ(json::write(plain), "\"" + plain + "\"");
    for (const std::string& special : specials) {
        // One special per 4 KB page, each at another distance (60..129) from the page start:
        // every position around the 64- and 128-byte steps, then the very end.
        std::string s = plain;
        for (std::size_t j = 0; j < n / 4096; ++j)
            s.replace(j * 4096 + 60 + j % 70, special.size(), special);
        s.replace(n - special.size(), special.size(), special);
        ASSERT_TRUE(json::write(s) == reference_escape(s)) << int(special[0] & 0xFF);
    }
    // Dense: a special at every position of a short string, on both sides of each step.
    for (const std::string& special : specials) {
        for (std::size_t pos = 0; pos <= 130; ++pos) {
            std::string s(200, 'b');
            s.replace(pos, special.size(), special);
            ASSERT_EQ(json::write(s), reference_escape(s)) << int(special[0] & 0xFF) << " at " << pos;
        }
    }
    // Runs longer than the writer's 16 KB scan blocks: the special right before, on and
    // after a block end, and multi-byte sequences that straddle it.
    for (std::size_t run : {std::size_t{16383}, std::size_t{16384}, std::size_t{16385},
             std::size_t{16384 + 31}, std::size_t{16384 + 64}, std::size_t{32767},
             std::size_t{32768}, std::size_t{32769}, std::size_t{3 * 16384 + 5}}) {
        for (const std::string& special : specials) {
            for (std::size_t back : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{3}}) {
                std::string s(run - back, 'c');
                s += special;
                s.append(run, 'd');
                s += special;
                ASSERT_TRUE(json::write(s) == reference_escape(s)) << run << " " << back;
            }
        }
        std::string bad(run, 'e');
        bad += "\xE2\x82";  // truncated at the very end, after a long run
        EXPECT_EQ(write_error_of(bad), json::error::invalid_utf8) << run;
    }
    // Invalid UTF-8 anywhere in a long string is found.
    for (std::size_t pos : {std::size_t{31}, std::size_t{32}, std::size_t{63}, std::size_t{64},
             std::size_t{65}, n - 1}) {
        std::string s = plain;
        s[pos] = '\x80';
        try {
            (void)json::write(s);
            ADD_FAILURE() << pos;
        } catch (const json::write_exception& e) {
            EXPECT_EQ(e.code(), json::error::invalid_utf8);
            EXPECT_THAT(e.what(), HasSubstr("at byte " + std::to_string(pos)));
        }
    }
}

TEST(JsonWrite, RandomStringsMatchReference)
{
    std::mt19937 rng(99);
    const std::string pieces[] = {"a", "b", " ", "\"", "\\", "/", "\n", "\t", "\x01", "\x7f",
        "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "0123456789abcdef0123456789abcdef"};
    for (int i = 0; i < 3000; ++i) {
        std::string s;
        const int count = static_cast<int>(rng() % 60);
        for (int k = 0; k < count; ++k)
            s += pieces[rng() % std::size(pieces)];
        ASSERT_EQ(json::write(s), reference_escape(s));
        ASSERT_EQ(json::read<std::string>(json::write(s)), s);
    }
}

// ------------------------------------------------------------------------------------
// Containers and structs

TEST(JsonWrite, Optional)
{
    EXPECT_EQ(json::write(image{"u", std::nullopt, std::nullopt}), R"({"url":"u"})");
    EXPECT_EQ(json::write(image{"u", "p", 0}), R"({"url":"u","revised_prompt":"p","seed":0})");
    EXPECT_EQ(json::write(image{"u", std::nullopt, -5}), R"({"url":"u","seed":-5})");
    EXPECT_EQ(json::write(std::optional<int>{}), "null");
    EXPECT_EQ(json::write(std::optional<int>{3}), "3");
    EXPECT_EQ(json::write(std::vector<std::optional<int>>{1, std::nullopt, 3}), "[1,null,3]");
    EXPECT_EQ(json::write(std::map<std::string, std::optional<bool>>{{"a", std::nullopt}, {"b", true}}),
        R"({"a":null,"b":true})");
    struct all_optional {
        std::optional<int> a;
        std::optional<std::string> b;
    };
    EXPECT_EQ(json::write(all_optional{}), "{}");
    EXPECT_EQ(json::write(all_optional{std::nullopt, "x"}), R"({"b":"x"})");
}

TEST(JsonWrite, Sequences)
{
    EXPECT_EQ(json::write(std::vector<int>{}), "[]");
    EXPECT_EQ(json::write(std::vector<int>{1, 2, 3}), "[1,2,3]");
    EXPECT_EQ(json::write(std::vector<std::vector<int>>{{1, 2}, {}, {3}}), "[[1,2],[],[3]]");
    EXPECT_EQ(json::write(std::vector<std::string>{"a", "b\"c"}), R"(["a","b\"c"])");
    EXPECT_EQ(json::write(std::vector<bool>{true, false}), "[true,false]");
    EXPECT_EQ(json::write(std::array<int, 3>{4, 5, 6}), "[4,5,6]");
    EXPECT_EQ(json::write(std::array<std::string, 0>{}), "[]");
    EXPECT_EQ(json::write(std::array<std::array<double, 2>, 2>{{{0.5, 1}, {2, -3}}}), "[[0.5,1],[2,-3]]");
}

TEST(JsonWrite, Maps)
{
    EXPECT_EQ(json::write(std::map<std::string, int>{}), "{}");
    EXPECT_EQ(json::write(std::map<std::string, int>{{"b", 2}, {"a", 1}, {"c", 3}}),
        R"({"a":1,"b":2,"c":3})");
    EXPECT_EQ(json::write(std::unordered_map<std::string, std::string>{{"k", "v"}}), R"({"k":"v"})");
    EXPECT_EQ(json::write(std::unordered_map<std::string, int>{}), "{}");
    EXPECT_EQ(json::write(std::map<std::string, int>{{"a\"b\n", 1}}), R"({"a\"b\n":1})");
    EXPECT_EQ(json::write(std::map<std::string, std::vector<int>>{{"x", {1}}, {"y", {}}}),
        R"({"x":[1],"y":[]})");
}

TEST(JsonWrite, NestedAggregates)
{
    response r{1700000000, {{"https://a/1.png", "a cat", std::nullopt}, {"u2", {}, 7}}, size::large};
    EXPECT_EQ(json::write(r),
        R"({"created":1700000000,"data":[{"url":"https://a/1.png","revised_prompt":"a cat"},)"
        R"({"url":"u2","seed":7}],"sz":"1024x1024"})");
    EXPECT_EQ(json::write(renamed{3}), R"({"default":3})");
}

TEST(JsonWrite, Enums)
{
    EXPECT_EQ(json::write(size::small), R"("256x256")");
    EXPECT_EQ(json::write(std::vector<size>{size::large, size::small}), R"(["1024x1024","256x256"])");
    try {
        (void)json::write(size::unnamed);
        ADD_FAILURE();
    } catch (const json::write_exception& e) {
        EXPECT_EQ(e.code(), json::error::not_representable);
        EXPECT_THAT(e.what(), HasSubstr("enum value 2"));
    }
    EXPECT_EQ(write_error_of(static_cast<size>(77)), json::error::not_representable);
    EXPECT_EQ(write_error_of(response{1, {}, size::unnamed}), json::error::not_representable);
}

TEST(JsonWrite, VariantsByAlternative)
{
    using V = std::variant<std::monostate, bool, int, double, std::string, std::vector<int>>;
    EXPECT_EQ(json::write(V{}), "null");
    EXPECT_EQ(json::write(V{true}), "true");
    EXPECT_EQ(json::write(V{12}), "12");
    EXPECT_EQ(json::write(V{1.5}), "1.5");
    EXPECT_EQ(json::write(V{std::string("s")}), R"("s")");
    EXPECT_EQ(json::write(V{std::vector<int>{1}}), "[1]");
    EXPECT_EQ(json::write(std::variant<size, std::string>{size::small}), R"("256x256")");
}

TEST(JsonWrite, TaggedStructsWriteTheTagFirst)
{
    EXPECT_EQ(json::write(event{text_event{"hi"}}), R"({"type":"response.text.delta","delta":"hi"})");
    // The struct's own "type" member is not written a second time, whatever it holds.
    EXPECT_EQ(json::write(event{done_event{3, "stale"}}), R"({"type":"response.done","total":3})");
    EXPECT_EQ(json::write(event{untagged{1}}), R"({"x":1})");
    // A tagged struct on its own carries its tag too.
    EXPECT_EQ(json::write(text_event{"x"}), R"({"type":"response.text.delta","delta":"x"})");
    EXPECT_EQ(json::write(std::vector<event>{text_event{"a"}, untagged{2}}),
        R"([{"type":"response.text.delta","delta":"a"},{"x":2}])");
}

// Regression: meta<V>::tag_key used to be ignored when writing (the struct's own key,
// "type", was written), so the text did not read back (see JsonRead.CustomTagKeyRoundTrip).
TEST(JsonWrite, CustomTagKeyOfTheVariant)
{
    EXPECT_EQ(json::write(shape{circle{1}}), R"({"kind":"circle","r":1})");
    EXPECT_EQ(json::write(std::vector<shape>{square{2}}), R"([{"kind":"square","side":2}])");
}

TEST(JsonWrite, NullLikes)
{
    EXPECT_EQ(json::write(std::monostate{}), "null");
    EXPECT_EQ(json::write(std::variant<std::monostate, int>{}), "null");
    EXPECT_EQ(json::write(std::vector<std::monostate>{{}, {}}), "[null,null]");
}

// Regression: std::nullptr_t converts to std::string_view, and the string case used to
// come first: json::write(nullptr) built std::string_view(nullptr) and crashed.
TEST(JsonWrite, Nullptr)
{
    EXPECT_EQ(json::write(nullptr), "null");
    EXPECT_EQ(json::write(std::variant<std::nullptr_t, int>{}), "null");
    EXPECT_EQ(json::write(std::vector<std::nullptr_t>{nullptr, nullptr}), "[null,null]");
}

TEST(JsonWrite, DynamicValue)
{
    json::value v;
    EXPECT_EQ(json::write(v), "null");
    v["model"] = "gpt-image-1";
    v["n"] = 2;
    v["big"] = std::numeric_limits<std::uint64_t>::max();
    v["min"] = std::numeric_limits<std::int64_t>::min();
    v["ratio"] = 0.25;
    v["ok"] = true;
    v["none"] = nullptr;
    v["list"].push_back(1);
    v["list"].push_back("two\n");
    v["list"].push_back(json::value::object{});
    v["list"].push_back(json::value::array{});
    EXPECT_EQ(json::write(v),
        R"({"model":"gpt-image-1","n":2,"big":18446744073709551615,"min":-9223372036854775808,)"
        R"("ratio":0.25,"ok":true,"none":null,"list":[1,"two\n",{},[]]})");

    struct holder {
        json::value extra;
        std::vector<json::value> items;
    };
    EXPECT_EQ(json::write(holder{json::value(1.5), {json::value("a"), json::value()}}),
        R"({"extra":1.5,"items":["a",null]})");
    EXPECT_EQ(write_error_of(json::value(std::string("\xC0\x80"))), json::error::invalid_utf8);
}

TEST(JsonWrite, AppendForm)
{
    std::string out = "prefix:";
    json::write(std::vector<int>{1, 2}, out);
    EXPECT_EQ(out, "prefix:[1,2]");
    json::write(true, out);
    EXPECT_EQ(out, "prefix:[1,2]true");
    json::write(image{"u", {}, {}}, out);
    EXPECT_EQ(out, R"(prefix:[1,2]true{"url":"u"})");

    // On failure, what was written before the bad value stays.
    std::string partial = "x";
    EXPECT_THROW(json::write(std::vector<double>{1, std::nan("")}, partial), json::write_exception);
    EXPECT_EQ(partial, "x[1,");
}

} // namespace
