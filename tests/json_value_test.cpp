// json::value: construction, kinds, comparison, access by key and index, the checked
// accessors, and reading and writing documents.

#include <imagine/json/read.hpp>
#include <imagine/json/value.hpp>
#include <imagine/json/write.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace json = imagine::json;

namespace {

using kind = json::value::kind;

json::value parse(std::string_view text)
{
    json::value v;
    json::read_error e = json::read(text, v);
    EXPECT_FALSE(e) << text << ": " << e.message();
    return v;
}

TEST(JsonValue, KindsOfConstructedValues)
{
    EXPECT_EQ(json::value().type(), kind::null);
    EXPECT_EQ(json::value(nullptr).type(), kind::null);
    EXPECT_EQ(json::value(true).type(), kind::boolean);
    EXPECT_EQ(json::value(1).type(), kind::number);
    EXPECT_EQ(json::value(1u).type(), kind::number);
    EXPECT_EQ(json::value(1.5).type(), kind::number);
    EXPECT_EQ(json::value(1.5f).type(), kind::number);
    EXPECT_EQ(json::value("s").type(), kind::string);
    EXPECT_EQ(json::value(std::string_view("s")).type(), kind::string);
    EXPECT_EQ(json::value(std::string("s")).type(), kind::string);
    EXPECT_EQ(json::value(json::value::array{}).type(), kind::array);
    EXPECT_EQ(json::value(json::value::object{}).type(), kind::object);

    EXPECT_TRUE(json::value(7).is_integer());
    EXPECT_FALSE(json::value(7.0).is_integer());
    EXPECT_TRUE(json::value(7.0).is_number());
    EXPECT_TRUE(json::value().is_null());
    EXPECT_TRUE(json::value(false).is_bool());
    EXPECT_TRUE(json::value("").is_string());
    EXPECT_TRUE(json::value(json::value::array{}).is_array());
    EXPECT_TRUE(json::value(json::value::object{}).is_object());
    EXPECT_FALSE(json::value(json::value::object{}).is_array());
}

TEST(JsonValue, NumbersCompareAcrossRepresentations)
{
    EXPECT_EQ(json::value(1), json::value(1.0));
    EXPECT_EQ(json::value(1.0), json::value(1));
    EXPECT_EQ(json::value(0), json::value(-0.0));
    EXPECT_EQ(json::value(std::uint64_t{5}), json::value(std::int64_t{5}));
    EXPECT_EQ(json::value(-3), json::value(std::int8_t{-3}));
    EXPECT_NE(json::value(1), json::value(1.5));
    EXPECT_NE(json::value(1), json::value(true));
    EXPECT_NE(json::value(0), json::value());
    EXPECT_NE(json::value(1), json::value("1"));
    // Exactness beyond 2^53: the double 2^53 is not the integer 2^53 + 1.
    EXPECT_NE(json::value(std::int64_t{9007199254740993}), json::value(9007199254740992.0));
    EXPECT_EQ(json::value(std::int64_t{9007199254740992}), json::value(9007199254740992.0));
    // int64 max rounds to 2^63 as a double; they differ.
    EXPECT_NE(json::value(std::numeric_limits<std::int64_t>::max()), json::value(9223372036854775808.0));
    EXPECT_EQ(json::value(std::numeric_limits<std::int64_t>::min()), json::value(-9223372036854775808.0));
    EXPECT_EQ(json::value(std::uint64_t{1} << 63), json::value(9223372036854775808.0));
    EXPECT_NE(json::value(std::numeric_limits<std::uint64_t>::max()), json::value(18446744073709551616.0));
    EXPECT_NE(json::value(1), json::value(std::nan("")));
    EXPECT_EQ(parse("1"), parse("1.0"));
    EXPECT_EQ(parse("100"), parse("1e2"));
    EXPECT_EQ(parse("-0"), parse("0"));
}

TEST(JsonValue, ObjectsCompareRegardlessOfOrderArraysByOrder)
{
    EXPECT_EQ(parse(R"({"a":1,"b":[true,null]})"), parse(R"({"b":[true,null],"a":1.0})"));
    EXPECT_NE(parse(R"({"a":1})"), parse(R"({"a":1,"b":2})"));
    EXPECT_NE(parse(R"({"a":1,"b":2})"), parse(R"({"a":1})"));
    EXPECT_NE(parse(R"({"a":1})"), parse(R"({"b":1})"));
    EXPECT_NE(parse(R"({"a":1})"), parse(R"({"a":2})"));
    EXPECT_EQ(parse("[1,2,3]"), parse("[1.0,2,3e0]"));
    EXPECT_NE(parse("[1,2,3]"), parse("[3,2,1]"));
    EXPECT_NE(parse("[1,2]"), parse("[1,2,3]"));
    EXPECT_EQ(parse("[]"), json::value(json::value::array{}));
    EXPECT_NE(parse("[]"), parse("{}"));
    EXPECT_EQ(parse(R"({"x":{"y":[{"z":1,"w":2}]}})"), parse(R"({"x":{"y":[{"w":2,"z":1}]}})"));
    EXPECT_NE(parse(R"("a")"), parse(R"("b")"));
    EXPECT_EQ(parse(R"("\u00e9")"), json::value("\xC3\xA9"));
}

// Regression: with duplicate keys (which read<json::value> keeps) object equality used
// to be one-sided: {"a":1,"a":1} == {"a":1,"b":2} held, the reverse did not. Duplicate
// keys resolve to the last value, as when reading into a struct or a map.
TEST(JsonValue, DuplicateKeys)
{
    const json::value a = parse(R"({"a":1,"a":1})");
    const json::value b = parse(R"({"a":1,"b":2})");
    EXPECT_EQ(a.size(), 2u);
    EXPECT_EQ(a == b, b == a);
    EXPECT_FALSE(a == b);
    const json::value c = parse(R"({"k":1,"j":0,"k":2})");
    EXPECT_EQ(c.size(), 3u);
    EXPECT_EQ(c.at("k").as_int64(), 2);
    EXPECT_EQ(c.find("k")->as_int64(), 2);
    EXPECT_EQ(c, parse(R"({"j":0,"k":2})"));
    EXPECT_EQ(parse(R"({"j":0,"k":2})"), c);
    EXPECT_NE(c, parse(R"({"j":0,"k":1})"));
    EXPECT_NE(parse(R"({"j":0,"k":1})"), c);
    json::value d = c;
    d["k"] = 3;  // the member that counts is the one assigned
    EXPECT_EQ(d.at("k").as_int64(), 3);
    EXPECT_EQ(json::write(d), R"({"k":1,"j":0,"k":3})");
}

TEST(JsonValue, AccessByKey)
{
    json::value v = parse(R"({"name":"otter","n":2,"nested":{"deep":[1,{"x":true}]}})");
    ASSERT_NE(v.find("name"), nullptr);
    EXPECT_EQ(v.find("name")->as_string(), "otter");
    EXPECT_EQ(v.find("missing"), nullptr);
    EXPECT_TRUE(v.contains("n"));
    EXPECT_FALSE(v.contains("N"));
    EXPECT_EQ(v.at("n").as_int64(), 2);
    EXPECT_TRUE(v.at("nested").at("deep").at(1).at("x").as_bool());
    EXPECT_THROW((void)v.at("missing"), std::out_of_range);
    const json::value& cv = v;
    EXPECT_EQ(cv.at("name").as_string(), "otter");
    EXPECT_EQ(cv.find("n")->as_double(), 2.0);

    // find/contains on something that is not an object.
    EXPECT_EQ(json::value(1).find("a"), nullptr);
    EXPECT_FALSE(json::value(json::value::array{}).contains("a"));
    EXPECT_THROW((void)json::value("s").at("a"), std::out_of_range);

    // Mutable access through find and at changes the member in place.
    *v.find("n") = 5;
    v.at("name") = "seal";
    v.at("nested").at("deep").as_array().push_back(json::value(3));
    EXPECT_EQ(json::write(v), R"({"name":"seal","n":5,"nested":{"deep":[1,{"x":true},3]}})");
}

TEST(JsonValue, SubscriptCreatesMembers)
{
    json::value v;
    v["a"] = 1;
    EXPECT_TRUE(v.is_object());
    v["b"]["c"] = "deep";
    v["a"] = 2;  // replaces, does not append
    EXPECT_EQ(v.size(), 2u);
    EXPECT_EQ(v.at("a").as_int64(), 2);
    EXPECT_EQ(v.at("b").at("c").as_string(), "deep");
    json::value& created = v["new"];
    EXPECT_TRUE(created.is_null());
    EXPECT_EQ(v.size(), 3u);
    EXPECT_EQ(json::write(v), R"({"a":2,"b":{"c":"deep"},"new":null})");
    // On a value of another kind it throws and changes nothing.
    json::value number(3);
    EXPECT_THROW((void)number["x"], std::domain_error);
    EXPECT_EQ(number, json::value(3));
}

TEST(JsonValue, AccessByIndex)
{
    json::value v = parse(R"([10,"x",[1,2],{}])");
    EXPECT_EQ(v.size(), 4u);
    EXPECT_EQ(v.at(0).as_int64(), 10);
    EXPECT_EQ(v[1].as_string(), "x");
    EXPECT_EQ(v[2][1].as_int64(), 2);
    EXPECT_THROW((void)v.at(4), std::out_of_range);
    EXPECT_THROW((void)v[4], std::out_of_range);
    EXPECT_THROW((void)v[2][2], std::out_of_range);
    const json::value& cv = v;
    EXPECT_THROW((void)cv[100], std::out_of_range);
    EXPECT_EQ(cv[0].as_double(), 10.0);
    v[0] = "replaced";
    EXPECT_EQ(v.at(0).as_string(), "replaced");
    // Indexing something that is not an array.
    EXPECT_THROW((void)json::value(1).at(0), std::domain_error);
    EXPECT_THROW((void)parse("{}")[0], std::domain_error);
    try {
        (void)v.at(9);
    } catch (const std::out_of_range& e) {
        EXPECT_NE(std::string(e.what()).find("size 4"), std::string::npos) << e.what();
    }
}

TEST(JsonValue, CheckedAccessorsThrowOnWrongKind)
{
    const json::value null_v, bool_v(true), int_v(3), double_v(2.5), string_v("s"),
        array_v(json::value::array{}), object_v(json::value::object{});
    EXPECT_TRUE(bool_v.as_bool());
    EXPECT_EQ(string_v.as_string(), "s");
    EXPECT_TRUE(array_v.as_array().empty());
    EXPECT_TRUE(object_v.as_object().empty());
    EXPECT_EQ(int_v.as_int64(), 3);
    EXPECT_EQ(double_v.as_double(), 2.5);
    EXPECT_EQ(int_v.as_double(), 3.0);

    for (const json::value* v : {&null_v, &int_v, &string_v, &array_v, &object_v})
        EXPECT_THROW((void)v->as_bool(), std::domain_error);
    for (const json::value* v : {&null_v, &bool_v, &int_v, &array_v, &object_v})
        EXPECT_THROW((void)v->as_string(), std::domain_error);
    for (const json::value* v : {&null_v, &bool_v, &string_v, &object_v})
        EXPECT_THROW((void)v->as_array(), std::domain_error);
    for (const json::value* v : {&null_v, &bool_v, &string_v, &array_v})
        EXPECT_THROW((void)v->as_object(), std::domain_error);
    for (const json::value* v : {&null_v, &bool_v, &double_v, &string_v, &array_v, &object_v})
        EXPECT_THROW((void)v->as_int64(), std::domain_error);
    for (const json::value* v : {&null_v, &bool_v, &string_v, &array_v, &object_v})
        EXPECT_THROW((void)v->as_double(), std::domain_error);

    EXPECT_EQ(int_v.get_if<std::int64_t>() != nullptr, true);
    EXPECT_EQ(int_v.get_if<double>(), nullptr);
    EXPECT_EQ(*double_v.get_if<double>(), 2.5);
}

TEST(JsonValue, PushBackAndSize)
{
    json::value v;
    EXPECT_EQ(v.size(), 0u);
    v.push_back(1);
    v.push_back("two");
    v.push_back(json::value::object{{"k", json::value(true)}});
    EXPECT_TRUE(v.is_array());
    EXPECT_EQ(v.size(), 3u);
    EXPECT_EQ(json::write(v), R"([1,"two",{"k":true}])");
    v.as_array().pop_back();
    EXPECT_EQ(v.size(), 2u);
    json::value s("text");
    EXPECT_EQ(s.size(), 0u);
    EXPECT_THROW(s.push_back(1), std::domain_error);
    EXPECT_EQ(parse(R"({"a":1,"b":2})").size(), 2u);
    EXPECT_EQ(json::value(5).size(), 0u);
}

TEST(JsonValue, LargeIntegers)
{
    json::value min = parse("-9223372036854775808");
    ASSERT_TRUE(min.is_integer());
    EXPECT_EQ(min.as_int64(), std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ(json::write(min), "-9223372036854775808");

    json::value max = parse("9223372036854775807");
    EXPECT_EQ(max.as_int64(), std::numeric_limits<std::int64_t>::max());

    json::value above = parse("9223372036854775808");
    ASSERT_TRUE(above.is_integer());
    ASSERT_NE(above.get_if<std::uint64_t>(), nullptr);
    EXPECT_EQ(*above.get_if<std::uint64_t>(), 9223372036854775808ull);
    EXPECT_THROW((void)above.as_int64(), std::domain_error);

    json::value umax = parse("18446744073709551615");
    ASSERT_NE(umax.get_if<std::uint64_t>(), nullptr);
    EXPECT_EQ(*umax.get_if<std::uint64_t>(), std::numeric_limits<std::uint64_t>::max());
    EXPECT_EQ(json::write(umax), "18446744073709551615");
    EXPECT_EQ(umax, json::value(std::numeric_limits<std::uint64_t>::max()));

    json::value two64 = parse("18446744073709551616");
    EXPECT_FALSE(two64.is_integer());
    ASSERT_NE(two64.get_if<double>(), nullptr);
    EXPECT_EQ(two64.as_double(), 18446744073709551616.0);

    json::value below = parse("-9223372036854775809");
    EXPECT_FALSE(below.is_integer());
    EXPECT_EQ(below.as_double(), -9223372036854775808.0);

    EXPECT_FALSE(parse("1.0").is_integer());
    EXPECT_FALSE(parse("1e2").is_integer());
    // "-0" is read as the double -0.0: an integer would lose the sign, and the text would
    // not survive a write and a read (found by tests/fuzz/json_fuzz.cpp).
    EXPECT_FALSE(parse("-0").is_integer());
    EXPECT_TRUE(std::signbit(parse("-0").as_double()));
    EXPECT_EQ(json::write(parse("-0")), "-0");
    EXPECT_TRUE(parse("0").is_integer());
    json::read_error e;
    json::value huge;
    e = json::read("1e400", huge);
    EXPECT_EQ(e.code, json::error::number_out_of_range);
}

TEST(JsonValue, RoundTripNestedDocument)
{
    const std::string text =
        R"({"id":"resp_1","created_at":1713833628,"output":[{"type":"image_generation_call",)"
        R"("status":"completed","result":"iVBORw0KGgo=","extra":{"a":[1,2.5,-3e-7,true,false,null,)"
        R"("s\"\\\n\u00e9"],"b":{}}},{"type":"message","content":[]}],"usage":{"input_tokens":1,)"
        R"("big":18446744073709551615,"neg":-9223372036854775808,"f":0.1}})";
    json::value v = parse(text);
    const std::string written = json::write(v);
    EXPECT_EQ(parse(written), v);
    EXPECT_EQ(json::write(parse(written)), written);  // stable
    EXPECT_EQ(v.at("output").at(0).at("extra").at("a").at(6).as_string(), "s\"\\\n\xC3\xA9");
    EXPECT_EQ(v.at("usage").at("f").as_double(), 0.1);
    // Members keep document order.
    const auto& members = v.as_object();
    ASSERT_EQ(members.size(), 4u);
    EXPECT_EQ(members[0].first, "id");
    EXPECT_EQ(members[3].first, "usage");
    EXPECT_EQ(written.substr(0, 12), R"({"id":"resp_)");
    // Built by hand, it writes and reads back the same.
    json::value built;
    built["list"].push_back(json::value::array{1, "x"});
    built["flag"] = false;
    built["nothing"] = nullptr;
    EXPECT_EQ(json::write(built), R"({"list":[[1,"x"]],"flag":false,"nothing":null})");
    EXPECT_EQ(parse(json::write(built)), built);
}

} // namespace
