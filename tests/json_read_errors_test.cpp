// json::read on malformed and hostile input: the error code, the byte offset and the path
// of every failure, deep nesting without a stack overflow, trailing bytes, and the exact
// text of the messages.

#include <imagine/json/read.hpp>
#include <imagine/json/write.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace json = imagine::json;

namespace read_errors_test {

struct only_a {
    int a;
};

struct token_usage {
    std::int64_t input_tokens;
    std::int64_t output_tokens;
};
struct image_data {
    std::string b64_json;
    std::optional<token_usage> usage;
};
struct images_response {
    std::int64_t created;
    std::vector<image_data> data;
};

struct holder {
    json::value dyn;
};
struct nested_vectors {
    std::vector<std::vector<int>> v;
};

struct completed {
    std::string b64_json;
};
struct partial {
    int index;
};
using event = std::variant<completed, partial>;

} // namespace read_errors_test

template <>
struct imagine::json::meta<read_errors_test::completed> {
    static constexpr std::string_view tag = "image_generation.completed";
};
template <>
struct imagine::json::meta<read_errors_test::partial> {
    static constexpr std::string_view tag = "image_generation.partial_image";
};

namespace {

using namespace read_errors_test;
using E = json::error;

template <class T>
json::read_error read_error_of(std::string_view text, const json::read_options& options = {})
{
    T out{};
    return json::read(text, out, options);
}

struct bad_input {
    std::string text;
    E code;
    std::size_t offset;
};

// Malformed JSON, read into json::value (the reader that accepts any valid text).
const std::vector<bad_input>& grammar_cases()
{
    static const std::vector<bad_input> cases = {
        {"{", E::unexpected_end, 1},
        {R"({"a"})", E::syntax_error, 4},
        {R"({"a":})", E::syntax_error, 5},
        {R"({"a":1,})", E::syntax_error, 7},
        {"[1,]", E::syntax_error, 3},
        {"[1 2]", E::syntax_error, 3},
        {"{'a':1}", E::syntax_error, 1},
        {"tru", E::syntax_error, 0},
        {"nul", E::syntax_error, 0},
        {"fals", E::syntax_error, 0},
        {"[nulx]", E::syntax_error, 1},
        {"01", E::invalid_number, 1},
        {"-01", E::invalid_number, 2},
        {"00", E::invalid_number, 1},
        {"-", E::unexpected_end, 1},
        {"-a", E::syntax_error, 1},
        {"1.", E::unexpected_end, 2},
        {"[1.]", E::invalid_number, 3},
        {"[1.e5]", E::invalid_number, 3},
        {"1e", E::unexpected_end, 2},
        {"1e+", E::unexpected_end, 3},
        {"[1e]", E::invalid_number, 3},
        {"1.5e+-3", E::invalid_number, 5},
        {".5", E::syntax_error, 0},
        {"+1", E::syntax_error, 0},
        {"0x10", E::trailing_characters, 1},
        {"\"abc", E::unexpected_end, 4},
        {"\"\\", E::unexpected_end, 2},
        {R"("\x")", E::invalid_escape, 1},
        {R"("ab\'")", E::invalid_escape, 3},
        {R"("\U0041")", E::invalid_escape, 1},
        {R"("\u12")", E::invalid_unicode_escape, 5},
        {R"("\u12G4")", E::invalid_unicode_escape, 5},
        {R"("\u12)", E::unexpected_end, 5},
        {R"("\uD834")", E::invalid_unicode_escape, 1},
        {"\"a\nb\"", E::control_character, 2},
        {std::string("\"a\0b\"", 5), E::control_character, 2},
        {"\"\x1f\"", E::control_character, 1},
        {"\"\x80\"", E::invalid_utf8, 1},
        {"\"ab\xC3\"", E::invalid_utf8, 3},
        {"\"\xC0\x80\"", E::invalid_utf8, 1},
        {"\"\xED\xA0\x80\"", E::invalid_utf8, 1},
        {"\"\xF5\x80\x80\x80\"", E::invalid_utf8, 1},
        {"\"\xE2\x82\"", E::invalid_utf8, 1},
        {"{\"k\x80\":1}", E::invalid_utf8, 3},
        {"NaN", E::syntax_error, 0},
        {"Infinity", E::syntax_error, 0},
        {"-Infinity", E::syntax_error, 1},
        {"[1]]", E::trailing_characters, 3},
        {"", E::unexpected_end, 0},
        {" \t\r\n", E::unexpected_end, 4},
        {"[", E::unexpected_end, 1},
        {"[1,", E::unexpected_end, 3},
        {R"({"a":1)", E::unexpected_end, 6},
        {R"({"a)", E::unexpected_end, 3},
        {"{1:2}", E::syntax_error, 1},
        {R"({"a" 1})", E::syntax_error, 5},
        {R"(["a" "b"])", E::syntax_error, 5},
        {"[,1]", E::syntax_error, 1},
        {"{,}", E::syntax_error, 1},
        {"]", E::syntax_error, 0},
        {"}", E::syntax_error, 0},
        {":", E::syntax_error, 0},
        {"[true false]", E::syntax_error, 6},
        {"1e5.0", E::trailing_characters, 3},
        {"\xEF\xBB\xBF{}", E::syntax_error, 0},  // a byte order mark is not JSON
        {"/* c */ 1", E::syntax_error, 0},
    };
    return cases;
}

TEST(JsonReadErrors, InvalidGrammar)
{
    for (const auto& [text, code, offset] : grammar_cases()) {
        json::read_error e = read_error_of<json::value>(text);
        EXPECT_EQ(e.code, code) << ::testing::PrintToString(text) << ": " << e.message();
        EXPECT_EQ(e.offset, offset) << ::testing::PrintToString(text) << ": " << e.message();
        EXPECT_EQ(e.path.substr(0, 1), "$");
    }
}

// The same errors inside a member that is skipped, and inside a json::value member.
TEST(JsonReadErrors, InvalidGrammarInsideValues)
{
    for (const auto& [text, code, offset] : grammar_cases()) {
        if (code == E::unexpected_end || code == E::trailing_characters || text.empty())
            continue;  // the wrapper changes what comes after
        const std::string skip_prefix = R"({"a":1,"skip":)";
        const std::string skipped = skip_prefix + text + "}";
        json::read_error e = read_error_of<only_a>(skipped);
        EXPECT_EQ(e.code, code) << ::testing::PrintToString(skipped) << ": " << e.message();
        EXPECT_EQ(e.offset, skip_prefix.size() + offset) << ::testing::PrintToString(skipped);
        EXPECT_EQ(e.path, "$.skip") << ::testing::PrintToString(skipped);

        const std::string dyn_prefix = R"({"dyn":[0,)";
        const std::string in_value = dyn_prefix + text + "]}";
        e = read_error_of<holder>(in_value);
        EXPECT_EQ(e.code, code) << ::testing::PrintToString(in_value) << ": " << e.message();
        EXPECT_EQ(e.offset, dyn_prefix.size() + offset) << ::testing::PrintToString(in_value);
    }
}

// Number targets where the next byte starts no JSON value, or at the end of the text.
// (These crashed before 9a96f9e: std::string_view built from a null describe_next().)
TEST(JsonReadErrors, NumberTargetsAtNoValue)
{
    struct number_case {
        const char* text;
        E code;
        std::size_t offset;
        int target;  // 0: only_a, 1: std::vector<int>, 2: double, 3: std::uint8_t
    };
    const number_case cases[] = {
        {R"({"a":})", E::syntax_error, 5, 0},
        {R"({"a":)", E::unexpected_end, 5, 0},
        {"{\"a\":\f1}", E::syntax_error, 5, 0},
        {R"({"a":x})", E::syntax_error, 5, 0},
        {"[1,]", E::syntax_error, 3, 1},
        {"[1,", E::unexpected_end, 3, 1},
        {"[", E::unexpected_end, 1, 1},
        {"", E::unexpected_end, 0, 2},
        {"x", E::syntax_error, 0, 2},
        {".5", E::syntax_error, 0, 2},
        {"NaN", E::syntax_error, 0, 2},
        {"+1", E::syntax_error, 0, 3},
        {"", E::unexpected_end, 0, 3},
    };
    for (const auto& c : cases) {
        json::read_error e;
        switch (c.target) {
        case 0: e = read_error_of<only_a>(c.text); break;
        case 1: e = read_error_of<std::vector<int>>(c.text); break;
        case 2: e = read_error_of<double>(c.text); break;
        default: e = read_error_of<std::uint8_t>(c.text); break;
        }
        EXPECT_EQ(e.code, c.code) << ::testing::PrintToString(c.text) << ": " << e.message();
        EXPECT_EQ(e.offset, c.offset) << ::testing::PrintToString(c.text);
    }
}

// Every truncation of a valid document read into a struct fails cleanly.
TEST(JsonReadErrors, TruncatedTypedDocument)
{
    const std::string doc = R"({"created":1713833628,"data":[{"b64_json":"QUJD","usage":)"
                            R"({"input_tokens":50,"output_tokens":-7}}]})";
    ASSERT_FALSE(read_error_of<images_response>(doc));
    for (std::size_t n = 0; n < doc.size(); ++n) {
        json::read_error e = read_error_of<images_response>(doc.substr(0, n));
        ASSERT_TRUE(e) << n;
        EXPECT_LE(e.offset, n);
    }
}

TEST(JsonReadErrors, TruncatedAndMutatedDynamicDocument)
{
    const std::string doc = R"({"a":[1,-2.5e3,true,false,null,"s\n\u00e9\ud83d\ude00"],"b":{"c":{}},"d":[]})";
    ASSERT_FALSE(read_error_of<json::value>(doc));
    for (std::size_t n = 0; n < doc.size(); ++n) {
        json::read_error e = read_error_of<json::value>(doc.substr(0, n));
        ASSERT_TRUE(e) << n;
        EXPECT_LE(e.offset, n);
    }
    for (std::size_t i = 0; i < doc.size(); ++i) {
        for (char c : {'\0', '"', '\\', '{', '}', '[', ']', ',', ':', '-', '0', 'e', 'x', '\x80', '\xff'}) {
            std::string mutated = doc;
            mutated[i] = c;
            json::read_error e = read_error_of<json::value>(mutated);
            if (e) {
                EXPECT_LE(e.offset, mutated.size());
            }
        }
    }
}

// Regression: malformed input inside a tagged variant's object, before the tag member,
// used to be reported as unknown_variant_tag at the object's first byte (the tag search
// swallowed the real error).
TEST(JsonReadErrors, MalformedBeforeTheTag)
{
    const bad_input cases[] = {
        {R"({"b64_json":"x",,"type":"image_generation.completed"})", E::syntax_error, 16},
        {R"({"b64_json":"x" "type":"image_generation.completed"})", E::syntax_error, 16},
        {"{\"b64_json\":\"x\x01\",\"type\":\"image_generation.completed\"}", E::control_character, 14},
        {"{\"b64_json\":\"\xC0\x80\",\"type\":\"image_generation.completed\"}", E::invalid_utf8, 13},
        {R"({"b64_json":"\q","type":"image_generation.completed"})", E::invalid_escape, 13},
        {R"({"b64_json":"x")", E::unexpected_end, 15},
        {R"({"n":01,"type":"image_generation.partial_image"})", E::invalid_number, 6},
    };
    for (const auto& [text, code, offset] : cases) {
        json::read_error e = read_error_of<event>(text);
        EXPECT_EQ(e.code, code) << ::testing::PrintToString(text) << ": " << e.message();
        EXPECT_EQ(e.offset, offset) << ::testing::PrintToString(text) << ": " << e.message();
    }
    // With the tag first, the same damage is reported as it is.
    json::read_error e = read_error_of<event>(R"({"type":"image_generation.completed","b64_json":"x",,})");
    EXPECT_EQ(e.code, E::syntax_error);
    EXPECT_EQ(e.offset, 52u);
}

// ------------------------------------------------------------------------------------
// Depth

TEST(JsonReadErrors, DeepNestingIntoValue)
{
    const std::string deep(100000, '[');
    json::read_error e = read_error_of<json::value>(deep);
    EXPECT_EQ(e.code, E::depth_exceeded);
    EXPECT_EQ(e.offset, 128u);  // the 129th '['
    std::string path = "$";
    for (int i = 0; i < 128; ++i)
        path += "[0]";
    EXPECT_EQ(e.path, path);
    EXPECT_EQ(e.detail, "nesting deeper than 128 levels");

    std::string objects;
    for (int i = 0; i < 100000; ++i)
        objects += R"({"k":)";
    e = read_error_of<json::value>(objects);
    EXPECT_EQ(e.code, E::depth_exceeded);
    EXPECT_EQ(e.offset, 128u * 5);

    e = read_error_of<holder>(R"({"dyn":)" + deep);
    EXPECT_EQ(e.code, E::depth_exceeded);
    EXPECT_EQ(e.path.substr(0, 10), "$.dyn[0][0");
}

TEST(JsonReadErrors, DeepNestingInSkippedMember)
{
    const std::string deep(100000, '[');
    json::read_error e = read_error_of<only_a>(R"({"x":)" + deep);
    EXPECT_EQ(e.code, E::depth_exceeded);
    EXPECT_EQ(e.path, "$.x");
    EXPECT_EQ(e.offset, 5u + 127u);  // the object is level 1

    std::string objects = R"({"a":1,"x":)";
    for (int i = 0; i < 100000; ++i)
        objects += R"({"k":)";
    e = read_error_of<only_a>(objects);
    EXPECT_EQ(e.code, E::depth_exceeded);
    EXPECT_EQ(e.path, "$.x");

    // Inside a tagged variant: after the tag, and before it (while looking for it).
    e = read_error_of<event>(R"({"type":"image_generation.completed","b64_json":"x","junk":)" + deep);
    EXPECT_EQ(e.code, E::depth_exceeded);
    EXPECT_EQ(e.path, "$.junk");
    e = read_error_of<event>(R"({"junk":)" + deep);
    EXPECT_EQ(e.code, E::depth_exceeded);
    EXPECT_EQ(e.offset, 8u + 127u);
}

// Found by json_fuzz: while looking ahead for a variant's tag, an escaped key lives in
// the reader's scratch buffer, and skipping its value reads more escaped keys into that
// same buffer. The error path must still name the outer key (ASan: no use after free).
TEST(JsonReadErrors, EscapedKeySkippedDuringTagLookAhead)
{
    const std::string long_escaped_inner = R"(\u0061)" + std::string(200, 'b');
    json::read_error e = read_error_of<event>(R"({"j\u0075nk":{")" + long_escaped_inner +
                                              R"(":1,"\u0063":[tru]},"type":"x"})");
    EXPECT_EQ(e.code, E::syntax_error);
    EXPECT_EQ(e.path, "$.junk");
}

TEST(JsonReadErrors, CustomMaxDepth)
{
    json::read_options three{.max_depth = 3};
    EXPECT_FALSE(read_error_of<json::value>("[[[1]]]", three));
    EXPECT_FALSE(read_error_of<json::value>("[[[1]],[[2]],[[3]],{\"a\":[]}]", three));  // depth goes back down
    json::read_error e = read_error_of<json::value>("[[[[1]]]]", three);
    EXPECT_EQ(e.code, E::depth_exceeded);
    EXPECT_EQ(e.offset, 3u);
    EXPECT_EQ(e.detail, "nesting deeper than 3 levels");
    EXPECT_EQ(read_error_of<json::value>("[[],[],[[[]]]]", three).offset, 9u);

    json::read_options two{.max_depth = 2};
    EXPECT_FALSE(read_error_of<nested_vectors>(R"({"v":[]})", two));
    e = read_error_of<nested_vectors>(R"({"v":[[1]]})", two);
    EXPECT_EQ(e.code, E::depth_exceeded);
    EXPECT_EQ(e.offset, 6u);
    EXPECT_EQ(e.path, "$.v[0]");
    e = read_error_of<only_a>(R"({"a":1,"x":[{}]})", two);
    EXPECT_EQ(e.code, E::depth_exceeded);
    EXPECT_EQ(e.offset, 12u);

    json::read_options zero{.max_depth = 0};
    EXPECT_FALSE(read_error_of<json::value>("1", zero));
    EXPECT_EQ(read_error_of<json::value>("[]", zero).code, E::depth_exceeded);

    // The default is 128: 128 levels pass, 129 do not.
    EXPECT_FALSE(read_error_of<json::value>(std::string(128, '[') + std::string(128, ']')));
    EXPECT_EQ(read_error_of<json::value>(std::string(129, '[') + std::string(129, ']')).code,
        E::depth_exceeded);
}

// ------------------------------------------------------------------------------------
// Trailing bytes

TEST(JsonReadErrors, TrailingCharacters)
{
    const bad_input cases[] = {{"{} x", E::trailing_characters, 3}, {"1 2", E::trailing_characters, 2},
        {"[1]]", E::trailing_characters, 3}, {R"("a""b")", E::trailing_characters, 3},
        {"{}{}", E::trailing_characters, 2}, {std::string("null\0", 5), E::trailing_characters, 4},
        {"true,", E::trailing_characters, 4}, {"0 \n\t x", E::trailing_characters, 5}};
    for (const auto& [text, code, offset] : cases) {
        json::read_error e = read_error_of<json::value>(text);
        EXPECT_EQ(e.code, code) << text;
        EXPECT_EQ(e.offset, offset) << text;
        EXPECT_EQ(e.path, "$");
        EXPECT_EQ(e.detail, "unexpected data after the value");
    }
    EXPECT_EQ(read_error_of<only_a>(R"({"a":1} x)").offset, 8u);
    EXPECT_EQ(read_error_of<int>("1 2").code, E::trailing_characters);
    EXPECT_EQ(read_error_of<std::string>(R"("a" "b")").offset, 4u);
    EXPECT_FALSE(read_error_of<only_a>("{\"a\":1} \n\t\r"));
}

// ------------------------------------------------------------------------------------
// Messages

TEST(JsonReadErrors, TypeMismatchMessage)
{
    const std::string text =
        R"({"created":1,"data":[{"b64_json":"x","usage":{"input_tokens":"12","output_tokens":1}}]})";
    json::read_error e = read_error_of<images_response>(text);
    EXPECT_EQ(e.code, E::type_mismatch);
    EXPECT_EQ(e.path, "$.data[0].usage.input_tokens");
    EXPECT_EQ(e.detail, "expected integer, found string");
    EXPECT_EQ(e.offset, text.find(R"("12")"));
    EXPECT_EQ(e.message(), "$.data[0].usage.input_tokens: expected integer, found string (at byte " +
                               std::to_string(text.find(R"("12")")) + ")");
    EXPECT_TRUE(static_cast<bool>(e));
    EXPECT_EQ(e.code.category().name(), std::string("imagine.json"));
}

TEST(JsonReadErrors, ReadExceptionCarriesTheError)
{
    const std::string text = R"({"created":1,"data":[{"b64_json":7}]})";
    json::read_error expected = read_error_of<images_response>(text);
    ASSERT_TRUE(expected);
    try {
        (void)json::read<images_response>(text);
        FAIL() << "no exception";
    } catch (const json::read_exception& ex) {
        EXPECT_EQ(ex.details().code, expected.code);
        EXPECT_EQ(ex.details().offset, expected.offset);
        EXPECT_EQ(ex.details().path, "$.data[0].b64_json");
        EXPECT_EQ(ex.details().detail, "expected string, found number");
        EXPECT_EQ(ex.code(), E::type_mismatch);
        EXPECT_THAT(ex.what(), ::testing::HasSubstr(expected.message()));
    }
    EXPECT_THROW((void)json::read<json::value>("[1,]"), std::system_error);
    json::read_options strict{.error_on_unknown_keys = true};
    EXPECT_THROW((void)json::read<only_a>(R"({"a":1,"b":2})", strict), json::read_exception);
    EXPECT_NO_THROW((void)json::read<only_a>(R"({"a":1,"b":2})"));
}

template <class T>
void expect_mismatch(const char* text, const char* detail)
{
    json::read_error e = read_error_of<T>(text);
    EXPECT_EQ(e.code, E::type_mismatch) << text;
    EXPECT_EQ(e.offset, 0u) << text;
    EXPECT_EQ(e.detail, detail) << text;
    EXPECT_EQ(e.message(), std::string("$: ") + detail + " (at byte 0)");
}

TEST(JsonReadErrors, MismatchDetails)
{
    expect_mismatch<bool>("1", "expected boolean, found number");
    expect_mismatch<bool>(R"("true")", "expected boolean, found string");
    expect_mismatch<std::string>("1", "expected string, found number");
    expect_mismatch<std::string>("{}", "expected string, found object");
    expect_mismatch<int>("[1]", "expected integer, found array");
    expect_mismatch<int>("true", "expected integer, found boolean");
    expect_mismatch<int>("null", "expected integer, found null");
    expect_mismatch<double>(R"("1")", "expected number, found string");
    expect_mismatch<std::vector<int>>("{}", "expected array, found object");
    expect_mismatch<only_a>("[]", "expected object, found array");
    expect_mismatch<std::map<std::string, int>>(R"("x")", "expected object, found string");
    expect_mismatch<std::array<int, 2>>("1", "expected array, found number");
    expect_mismatch<std::monostate>("0", "expected null, found number");

    json::read_error e = read_error_of<std::string>("x");
    EXPECT_EQ(e.code, E::syntax_error);
    EXPECT_EQ(e.detail, "expected string, found 'x'");
    e = read_error_of<bool>("");
    EXPECT_EQ(e.code, E::unexpected_end);
    EXPECT_EQ(e.detail, "expected boolean, found end of input");
    e = read_error_of<std::string>("\x80");
    EXPECT_EQ(e.code, E::syntax_error);
    EXPECT_EQ(e.detail, "expected string, found byte 0x80");
    e = read_error_of<json::value>("[1 2]");
    EXPECT_EQ(e.detail, "expected ',' or ']', found number");
    e = read_error_of<json::value>(R"({"a" 2})");
    EXPECT_EQ(e.detail, "expected ':', found number");
}

TEST(JsonReadErrors, PathsNameTheValueAtFault)
{
    using M = std::map<std::string, int>;
    EXPECT_EQ(read_error_of<M>(R"({"a b":"x"})").path, R"($["a b"])");
    EXPECT_EQ(read_error_of<M>(R"({"q\"x":true})").path, R"($["q\"x"])");
    EXPECT_EQ(read_error_of<M>(R"({"back\\slash":true})").path, R"($["back\\slash"])");
    EXPECT_EQ(read_error_of<M>(R"({"\u0041":"x"})").path, "$.A");
    EXPECT_EQ(read_error_of<M>(R"({"":"x"})").path, R"($[""])");
    EXPECT_EQ(read_error_of<std::vector<std::vector<int>>>("[[1],[2,3,\"x\"]]").path, "$[1][2]");
    using MV = std::map<std::string, std::vector<M>>;
    EXPECT_EQ(read_error_of<MV>(R"({"k":[{},{"z":[]}]})").path, "$.k[1].z");
    EXPECT_EQ(read_error_of<json::value>(R"({"a":[{"b":[1,tru]}]})").path, "$.a[0].b[1]");
    // An error inside a key belongs to the object.
    json::read_error e = read_error_of<only_a>(R"({"a\x":1})");
    EXPECT_EQ(e.code, E::invalid_escape);
    EXPECT_EQ(e.offset, 3u);
    EXPECT_EQ(e.path, "$");
    e = read_error_of<images_response>("{\"created\":1,\"data\":[{\"b64_json\":\"a\x01\"}]}");
    EXPECT_EQ(e.code, E::control_character);
    EXPECT_EQ(e.path, "$.data[0].b64_json");
    EXPECT_EQ(e.offset, 35u);
}

TEST(JsonReadErrors, ErrorCodesAndMessages)
{
    json::read_error none;
    EXPECT_FALSE(none);
    json::read_error plain{json::make_error_code(E::syntax_error), 3, "", ""};
    EXPECT_EQ(plain.message(), "$: syntax error (at byte 3)");
    std::vector<std::string> messages;
    for (int c = static_cast<int>(E::unexpected_end); c <= static_cast<int>(E::unknown_member); ++c) {
        std::string m = json::make_error_code(static_cast<E>(c)).message();
        EXPECT_FALSE(m.empty());
        EXPECT_EQ(std::count(messages.begin(), messages.end(), m), 0) << m;
        messages.push_back(m);
    }
    EXPECT_EQ(messages.size(), 17u);
    std::error_code ec = E::depth_exceeded;
    EXPECT_EQ(ec, json::make_error_code(E::depth_exceeded));
}

} // namespace
