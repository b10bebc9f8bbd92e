// json::read of numbers (range checks per integer width, floating point overflow and
// underflow), enums (wire names, the unknown fallback) and std::array (exact length).

#include <imagine/json/read.hpp>

#include <gtest/gtest.h>

#include "json_test_enums.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace json = imagine::json;

using json_test::quality;
using json_test::style;

namespace {

using array3 = std::array<int, 3>;
using array0 = std::array<int, 0>;

template <class T>
T must_read(std::string_view text)
{
    T out{};
    json::read_error e = json::read(text, out);
    EXPECT_FALSE(e) << text << "\n -> " << e.message();
    return out;
}

template <class T>
json::read_error read_error_of(std::string_view text)
{
    T out{};
    return json::read(text, out);
}

// ------------------------------------------------------------------------------------
// Numbers

template <class I>
void expect_int(const char* text, I expected)
{
    I out{};
    json::read_error e = json::read(text, out);
    EXPECT_FALSE(e) << text << ": " << e.message();
    EXPECT_EQ(out, expected) << text;
}

template <class I>
void expect_out_of_range(const char* text)
{
    json::read_error e = read_error_of<I>(text);
    EXPECT_EQ(e.code, json::error::number_out_of_range) << text;
    EXPECT_EQ(e.offset, 0u) << text;
    std::string in_array = std::string("[0, ") + text + "]";
    e = read_error_of<std::vector<I>>(in_array);
    EXPECT_EQ(e.code, json::error::number_out_of_range) << in_array;
    EXPECT_EQ(e.offset, 4u);
    EXPECT_EQ(e.path, "$[1]");
}

TEST(JsonRead, IntegerRangesPerWidth)
{
    expect_int<std::int8_t>("127", 127);
    expect_int<std::int8_t>("-128", -128);
    expect_out_of_range<std::int8_t>("128");
    expect_out_of_range<std::int8_t>("-129");
    expect_int<std::uint8_t>("255", 255);
    expect_out_of_range<std::uint8_t>("256");
    expect_out_of_range<std::uint8_t>("-1");
    expect_int<std::uint8_t>("-0", 0);
    expect_int<std::int16_t>("-32768", -32768);
    expect_out_of_range<std::int16_t>("32768");
    expect_out_of_range<std::uint16_t>("65536");
    expect_int<std::int32_t>("-2147483648", std::numeric_limits<std::int32_t>::min());
    expect_out_of_range<std::int32_t>("2147483648");
    expect_out_of_range<std::int32_t>("-2147483649");
    expect_int<std::uint32_t>("4294967295", 4294967295u);
    expect_out_of_range<std::uint32_t>("4294967296");
    expect_out_of_range<std::uint32_t>("-1");
    expect_int<std::int64_t>("9223372036854775807", std::numeric_limits<std::int64_t>::max());
    expect_int<std::int64_t>("-9223372036854775808", std::numeric_limits<std::int64_t>::min());
    expect_out_of_range<std::int64_t>("9223372036854775808");
    expect_out_of_range<std::int64_t>("-9223372036854775809");
    expect_int<std::uint64_t>("18446744073709551615", std::numeric_limits<std::uint64_t>::max());
    expect_out_of_range<std::uint64_t>("18446744073709551616");
    expect_out_of_range<std::uint64_t>("99999999999999999999999999");
    expect_out_of_range<std::uint64_t>("-1");
    expect_int<std::int64_t>("0", 0);
    expect_int<std::int64_t>("-0", 0);
    EXPECT_EQ(read_error_of<std::int8_t>("300").detail, "integer out of range [-128, 127]");
}

TEST(JsonRead, FractionOrExponentIntoAnInteger)
{
    for (const char* text : {"1.5", "1e2", "1.0", "1E0", "-0.0", "0e0", "2E+1"}) {
        json::read_error e = read_error_of<int>(text);
        EXPECT_EQ(e.code, json::error::type_mismatch) << text;
        EXPECT_EQ(e.offset, 0u);
        EXPECT_EQ(e.detail, "expected integer, found number with fraction or exponent");
        EXPECT_EQ(read_error_of<std::uint64_t>(text).code, json::error::type_mismatch) << text;
    }
}

TEST(JsonRead, Floating)
{
    EXPECT_EQ(must_read<double>("1"), 1.0);
    EXPECT_EQ(must_read<double>("-0.5e-3"), -0.0005);
    EXPECT_EQ(must_read<double>("1E+2"), 100.0);
    EXPECT_EQ(must_read<double>("18446744073709551616"), 18446744073709551616.0);
    EXPECT_EQ(must_read<float>("3.4e38"), 3.4e38f);
    for (const char* text : {"1e400", "-1e400", "1e309"}) {
        json::read_error e = read_error_of<double>(text);
        EXPECT_EQ(e.code, json::error::number_out_of_range) << text;
        EXPECT_EQ(e.offset, 0u);
    }
    EXPECT_EQ(read_error_of<float>("1e39").code, json::error::number_out_of_range);
    EXPECT_EQ(read_error_of<float>("-3.5e38").code, json::error::number_out_of_range);
}

// Regression: a number too small for the type (it rounds to zero) used to be
// number_out_of_range (std::from_chars reports underflow as result_out_of_range); RFC 8259
// readers give 0, with the sign kept.
TEST(JsonRead, UnderflowReadsAsZero)
{
    EXPECT_EQ(must_read<double>("1e-400"), 0.0);
    EXPECT_TRUE(std::signbit(must_read<double>("-1e-400")));
    EXPECT_EQ(must_read<double>("2e-324"), 0.0);
    EXPECT_EQ(must_read<float>("1e-50"), 0.0f);
    EXPECT_EQ(must_read<double>("0.0000000000000000000001e-400"), 0.0);
    EXPECT_EQ(must_read<double>("123456789e-400"), 0.0);
    // Still out of range above the largest value, however the digits are spread.
    EXPECT_EQ(read_error_of<double>("0.0001e313").code, json::error::number_out_of_range);
    EXPECT_EQ(read_error_of<double>("1000000e303").code, json::error::number_out_of_range);
    EXPECT_EQ(must_read<double>("0.0001e300"), 1e296);
}

// ------------------------------------------------------------------------------------
// Enums and arrays

TEST(JsonRead, Enums)
{
    EXPECT_EQ(must_read<quality>(R"("high")"), quality::high);
    json::read_error e = read_error_of<std::vector<quality>>(R"(["low", "ultra"])");
    EXPECT_EQ(e.code, json::error::unknown_enum_value);
    EXPECT_EQ(e.offset, 8u);
    EXPECT_EQ(e.path, "$[1]");
    EXPECT_EQ(e.detail, "unknown value \"ultra\"");
    EXPECT_EQ(read_error_of<quality>(R"("")").code, json::error::unknown_enum_value);
    EXPECT_EQ(read_error_of<quality>(R"("HIGH")").code, json::error::unknown_enum_value);
    EXPECT_EQ(read_error_of<quality>("1").code, json::error::type_mismatch);
    EXPECT_EQ(read_error_of<quality>("1").detail, "expected string, found number");
    // The declared fallback takes names the table lacks.
    EXPECT_EQ(must_read<style>(R"("surreal")"), style::unknown);
    EXPECT_EQ(must_read<style>(R"("natural")"), style::natural);
    EXPECT_EQ(must_read<style>(R"("\u0076ivid")"), style::vivid);
}

TEST(JsonRead, StdArraySize)
{
    EXPECT_EQ(must_read<array3>("[1,2,3]"), (array3{1, 2, 3}));
    EXPECT_EQ(must_read<array0>("[]"), array0{});
    for (const char* text : {"[1,2]", "[1,2,3,4]", "[]", "[1,2,3,4,5,6]"}) {
        json::read_error e = read_error_of<array3>(text);
        EXPECT_EQ(e.code, json::error::wrong_array_size) << text;
        EXPECT_EQ(e.offset, 0u) << text;
    }
    EXPECT_EQ(read_error_of<array3>("[1,2]").detail, "expected an array of 3 elements, found 2");
    EXPECT_EQ(read_error_of<array0>("[1]").code, json::error::wrong_array_size);
    json::read_error e = read_error_of<std::map<std::string, std::array<int, 2>>>(R"({"k": [1]})");
    EXPECT_EQ(e.code, json::error::wrong_array_size);
    EXPECT_EQ(e.path, "$.k");
    EXPECT_EQ(e.offset, 6u);
}

// Regression: an std::array given too many elements used to name a non-existent element
// in the path ("$.k[2]" for the array at "$.k").
TEST(JsonRead, StdArraySizeErrorNamesTheArray)
{
    using M = std::map<std::string, std::array<int, 2>>;
    json::read_error e = read_error_of<M>(R"({"k": [1,2,3]})");
    EXPECT_EQ(e.code, json::error::wrong_array_size);
    EXPECT_EQ(e.offset, 6u);
    EXPECT_EQ(e.path, "$.k");
    EXPECT_EQ(e.detail, "expected an array of 2 elements, found 3");
    e = read_error_of<array3>("[1,2,3,4]");
    EXPECT_EQ(e.path, "$");
}


} // namespace
