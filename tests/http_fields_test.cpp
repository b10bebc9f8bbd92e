#include <imagine/http/fields.hpp>

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using imagine::http::fields;
using imagine::http::has_token;
using imagine::http::iequals;

std::vector<std::pair<std::string, std::string>> list(const fields& f)
{
    std::vector<std::pair<std::string, std::string>> out;
    for (const fields::field& x : f)
        out.emplace_back(x.name, x.value);
    return out;
}

using pairs = std::vector<std::pair<std::string, std::string>>;

TEST(http_fields, iequals_ignores_ascii_case_only)
{
    EXPECT_TRUE(iequals("Content-Length", "content-length"));
    EXPECT_TRUE(iequals("ABCXYZ", "abcxyz"));
    EXPECT_TRUE(iequals("", ""));
    EXPECT_FALSE(iequals("abc", "abcd"));
    EXPECT_FALSE(iequals("abc", "abd"));
    // '@' and '`' sit next to 'A' and 'a'; a sloppy fold (c | 0x20) would equate them.
    EXPECT_FALSE(iequals("@", "`"));
    EXPECT_FALSE(iequals("[", "{"));
    EXPECT_TRUE(iequals("\xC3\x89", "\xC3\x89"));
    EXPECT_FALSE(iequals("\xC3\x89", "\xC3\xA9")); // not ASCII: exact
}

TEST(http_fields, has_token_splits_trims_and_folds_case)
{
    EXPECT_TRUE(has_token("close", "close"));
    EXPECT_TRUE(has_token("keep-alive, Close", "close"));
    EXPECT_TRUE(has_token("Keep-Alive ,\tUpgrade", "upgrade"));
    EXPECT_TRUE(has_token(" \t keep-alive \t ", "keep-alive"));
    EXPECT_TRUE(has_token(",,close,", "close"));
    EXPECT_FALSE(has_token("", "close"));
    EXPECT_FALSE(has_token("closed", "close"));
    EXPECT_FALSE(has_token("keep-alive", "alive"));
    EXPECT_FALSE(has_token("clo se", "close"));
    EXPECT_FALSE(has_token("a,b", "a,b"));
}

TEST(http_fields, add_keeps_order_duplicates_and_spelling)
{
    fields f;
    EXPECT_TRUE(f.empty());
    f.add("Set-Cookie", "a=1");
    f.add("content-type", "text/plain");
    f.add("SET-COOKIE", "b=2");
    EXPECT_EQ(f.size(), 3u);
    EXPECT_FALSE(f.empty());
    EXPECT_EQ(
        list(f),
        (pairs{{"Set-Cookie", "a=1"}, {"content-type", "text/plain"}, {"SET-COOKIE", "b=2"}}));
}

TEST(http_fields, find_value_or_contains_are_case_insensitive)
{
    fields f;
    f.add("Content-Type", "text/plain");
    f.add("X-Dup", "first");
    f.add("x-dup", "second");
    f.add("Empty", "");

    ASSERT_NE(f.find("content-type"), nullptr);
    EXPECT_EQ(*f.find("CONTENT-TYPE"), "text/plain");
    EXPECT_EQ(*f.find("X-DUP"), "first");
    EXPECT_EQ(f.find("Content-Length"), nullptr);
    EXPECT_EQ(f.find("Content-Typ"), nullptr);

    EXPECT_EQ(f.value_or("x-dup"), "first");
    EXPECT_EQ(f.value_or("missing"), "");
    EXPECT_EQ(f.value_or("missing", "fallback"), "fallback");
    EXPECT_EQ(f.value_or("empty", "fallback"), ""); // present and empty is not missing

    EXPECT_TRUE(f.contains("EMPTY"));
    EXPECT_FALSE(f.contains("absent"));
}

TEST(http_fields, set_replaces_every_field_of_the_name_in_place)
{
    fields f;
    f.add("A", "1");
    f.add("b", "2");
    f.add("C", "3");
    f.add("B", "4");
    f.set("B", "new");
    EXPECT_EQ(list(f), (pairs{{"A", "1"}, {"b", "new"}, {"C", "3"}}));

    f.set("D", "appended");
    EXPECT_EQ(list(f), (pairs{{"A", "1"}, {"b", "new"}, {"C", "3"}, {"D", "appended"}}));

    f.set("a", "");
    EXPECT_EQ(*f.find("A"), "");
    EXPECT_EQ(f.size(), 4u);
}

TEST(http_fields, erase_removes_all_of_the_name_and_counts_them)
{
    fields f;
    f.add("X", "1");
    f.add("Y", "2");
    f.add("x", "3");
    f.add("Z", "4");
    f.add("X", "5");
    EXPECT_EQ(f.erase("x"), 3u);
    EXPECT_EQ(list(f), (pairs{{"Y", "2"}, {"Z", "4"}}));
    EXPECT_EQ(f.erase("x"), 0u);
    EXPECT_EQ(f.erase("z"), 1u);
    EXPECT_EQ(list(f), (pairs{{"Y", "2"}}));

    f.clear();
    EXPECT_TRUE(f.empty());
    EXPECT_EQ(f.begin(), f.end());
    EXPECT_EQ(f.find("Y"), nullptr);
}

TEST(http_fields, values_are_copied_not_viewed)
{
    fields f;
    {
        std::string name = "Temp";
        std::string value = "value";
        f.add(name, value);
        name.assign("XXXX");
        value.assign("YYYYY");
    }
    EXPECT_EQ(f.value_or("temp"), "value");
}

} // namespace
