// Compile-time reflection: member counts, member names, wire keys after meta<T>::renames,
// get_member and for_each_member, for every kind of type the JSON layer is asked to see
// into. Most checks are static_asserts (the values are constants); the EXPECTs repeat
// the important ones at run time so that a failure names the test.

#include <imagine/json/read.hpp>
#include <imagine/json/reflect.hpp>
#include <imagine/json/write.hpp>

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <variant>
#include <vector>

namespace json = imagine::json;

namespace reflect_test {

struct plain {
    int a;
    double b;
    std::string c;
};

struct nested {
    plain inner;
    std::vector<plain> list;
    int z;
};

template <class T>
struct tmpl {
    T value;
    int count;
    std::string label;
};

template <int N, class T>
struct fixed_tmpl {
    std::array<T, N> items;
    T first;
};

struct with_inner {
    struct inner_type {
        int q;
        std::string r;
    };
    inner_type inner;
    int after;
};

enum class color { red = 1, green = 2 };

struct rich {
    std::optional<int> maybe;
    std::vector<std::string> list;
    std::map<std::string, int> dict;
    std::variant<int, std::string> either;
    std::array<int, 3> triple{1, 2, 3};
    color shade = color::green;
    const int constant = 7;
    int with_default = 42;
    std::unordered_map<std::string, double> hashed;
    std::optional<std::vector<std::map<std::string, std::optional<int>>>> deep;
};

struct empty {};

struct tricky_names {
    int _leading;
    int trailing_;
    int camelCase;
    int x1;
    int value;
    int a_b_c_d_e_f_g_h_i_j_k_l_m_n_o_p_q_r_s_t_u_v_w_x_y_z_very_long_member_name_here;
};

struct renamed {
    int default_;
    std::string class_;
    int plain_member;
};

// Not an aggregate: private members, a constructor, declared through meta<T>::members.
class account {
public:
    account() = default;
    account(std::string id, int balance) : id_(std::move(id)), balance_(balance) {}
    const std::string& id() const { return id_; }
    int balance() const { return balance_; }

private:
    friend struct imagine::json::meta<account>;
    std::string id_;
    int balance_ = 0;
    std::optional<std::string> note_;
};

#define IMAGINE_M8(p) int p##0, p##1, p##2, p##3, p##4, p##5, p##6, p##7;
struct sixty_four {
    IMAGINE_M8(a)
    IMAGINE_M8(b)
    IMAGINE_M8(c)
    IMAGINE_M8(d)
    IMAGINE_M8(e)
    IMAGINE_M8(f)
    IMAGINE_M8(g)
    IMAGINE_M8(h)
};
#undef IMAGINE_M8

} // namespace reflect_test

namespace reflect_test::level_one::level_two {
struct deep_type {
    int alpha;
    bool beta;
    std::string gamma;
};
} // namespace reflect_test::level_one::level_two

namespace {
struct anonymous_type {
    int first_member;
    std::vector<int> second_member;
};
template <class T>
struct anonymous_template {
    T only;
};
} // namespace

template <>
struct imagine::json::meta<reflect_test::renamed> {
    static constexpr json::rename renames[] = {{"default_", "default"}, {"class_", "class"}};
};

template <>
struct imagine::json::meta<reflect_test::account> {
    static constexpr auto members = std::make_tuple(json::member("id", &reflect_test::account::id_),
        json::member("balance", &reflect_test::account::balance_),
        json::member("note", &reflect_test::account::note_));
};

template <>
struct imagine::json::meta<reflect_test::color> {
    static constexpr std::pair<reflect_test::color, std::string_view> values[] = {
        {reflect_test::color::red, "red"}, {reflect_test::color::green, "green"}};
};

namespace {

using namespace reflect_test;

template <class T, std::size_t N>
std::vector<std::string> to_vector(const std::array<std::string_view, N>& names)
{
    return std::vector<std::string>(names.begin(), names.end());
}

template <class T>
std::vector<std::string> names_of()
{
    return to_vector<T>(json::member_names_v<T>);
}

template <class T>
std::vector<std::string> keys_of()
{
    return to_vector<T>(json::keys_v<T>);
}

using strings = std::vector<std::string>;

// ------------------------------------------------------------------------------------
// Counts and names

static_assert(json::member_count_v<plain> == 3);
static_assert(json::member_names_v<plain>[0] == "a" && json::member_names_v<plain>[2] == "c");
static_assert(json::reflectable<plain>);
static_assert(json::reflectable<account>);
static_assert(!json::reflectable<int>);
static_assert(!json::reflectable<std::string>);

TEST(JsonReflect, PlainStruct)
{
    EXPECT_EQ(json::member_count_v<plain>, 3u);
    EXPECT_EQ(names_of<plain>(), (strings{"a", "b", "c"}));
    EXPECT_EQ(keys_of<plain>(), (strings{"a", "b", "c"}));
}

TEST(JsonReflect, NestedStruct)
{
    static_assert(json::member_count_v<nested> == 3);
    EXPECT_EQ(names_of<nested>(), (strings{"inner", "list", "z"}));
    EXPECT_EQ(json::member_count_v<with_inner>, 2u);
    EXPECT_EQ(names_of<with_inner>(), (strings{"inner", "after"}));
    EXPECT_EQ(json::member_count_v<with_inner::inner_type>, 2u);
    EXPECT_EQ(names_of<with_inner::inner_type>(), (strings{"q", "r"}));
}

TEST(JsonReflect, ClassTemplates)
{
    using complicated = tmpl<std::vector<std::map<int, int>>>;
    static_assert(json::member_count_v<complicated> == 3);
    EXPECT_EQ(names_of<complicated>(), (strings{"value", "count", "label"}));
    EXPECT_EQ(names_of<tmpl<int>>(), (strings{"value", "count", "label"}));
    EXPECT_EQ(names_of<tmpl<plain>>(), (strings{"value", "count", "label"}));
    using map_of_vectors = std::map<std::string, std::vector<int>>;
    EXPECT_EQ(names_of<tmpl<tmpl<map_of_vectors>>>(), (strings{"value", "count", "label"}));
    using in_namespace = tmpl<level_one::level_two::deep_type>;
    EXPECT_EQ(names_of<in_namespace>(), (strings{"value", "count", "label"}));
    using fixed = fixed_tmpl<4, std::string>;
    static_assert(json::member_count_v<fixed> == 2);
    EXPECT_EQ(names_of<fixed>(), (strings{"items", "first"}));
}

TEST(JsonReflect, NestedNamespaces)
{
    using T = level_one::level_two::deep_type;
    static_assert(json::member_count_v<T> == 3);
    EXPECT_EQ(names_of<T>(), (strings{"alpha", "beta", "gamma"}));
}

TEST(JsonReflect, LocalTypes)
{
    struct local {
        int local_a;
        std::string local_b;
        std::vector<double> local_c;
    };
    struct local_nested {
        local inner;
        std::optional<local> maybe;
    };
    static_assert(json::member_count_v<local> == 3);
    EXPECT_EQ(names_of<local>(), (strings{"local_a", "local_b", "local_c"}));
    EXPECT_EQ(names_of<local_nested>(), (strings{"inner", "maybe"}));
    EXPECT_EQ(names_of<tmpl<local>>(), (strings{"value", "count", "label"}));

    // And they work end to end.
    local_nested v{{1, "x", {0.5}}, std::nullopt};
    EXPECT_EQ(json::write(v), R"({"inner":{"local_a":1,"local_b":"x","local_c":[0.5]}})");
    auto back = json::read<local_nested>(R"({"maybe":{"local_a":2,"local_b":"y","local_c":[]},"inner":{"local_a":1,"local_b":"x","local_c":[0.5]}})");
    EXPECT_EQ(back.inner.local_a, 1);
    ASSERT_TRUE(back.maybe.has_value());
    EXPECT_EQ(back.maybe->local_b, "y");
}

TEST(JsonReflect, LambdaLocalType)
{
    auto names = [] {
        struct in_lambda {
            int lambda_member;
            bool other;
        };
        return names_of<in_lambda>();
    }();
    EXPECT_EQ(names, (strings{"lambda_member", "other"}));
}

TEST(JsonReflect, AnonymousNamespace)
{
    static_assert(json::member_count_v<anonymous_type> == 2);
    EXPECT_EQ(names_of<anonymous_type>(), (strings{"first_member", "second_member"}));
    EXPECT_EQ(names_of<anonymous_template<anonymous_type>>(), (strings{"only"}));
}

TEST(JsonReflect, MembersOfManyKinds)
{
    static_assert(json::member_count_v<rich> == 10);
    EXPECT_EQ(names_of<rich>(), (strings{"maybe", "list", "dict", "either", "triple", "shade",
                                    "constant", "with_default", "hashed", "deep"}));
    // The const member is reachable (read-only), the default initializers are intact.
    rich r;
    static_assert(std::is_same_v<decltype(json::get_member<6>(r)), const int&>);
    EXPECT_EQ(json::get_member<6>(r), 7);
    EXPECT_EQ(json::get_member<7>(r), 42);
    EXPECT_EQ(json::get_member<5>(r), color::green);
    EXPECT_EQ(json::get_member<4>(r), (std::array<int, 3>{1, 2, 3}));
}

TEST(JsonReflect, TrickyNames)
{
    EXPECT_EQ(names_of<tricky_names>(),
        (strings{"_leading", "trailing_", "camelCase", "x1", "value",
            "a_b_c_d_e_f_g_h_i_j_k_l_m_n_o_p_q_r_s_t_u_v_w_x_y_z_very_long_member_name_here"}));
}

TEST(JsonReflect, EmptyStruct)
{
    static_assert(json::member_count_v<empty> == 0);
    static_assert(json::member_names_v<empty>.size() == 0);
    static_assert(json::keys_v<empty>.size() == 0);
    empty e;
    int calls = 0;
    json::for_each_member(e, [&](std::string_view, auto&) { ++calls; });
    EXPECT_EQ(calls, 0);
    EXPECT_EQ(json::write(e), "{}");
    EXPECT_FALSE(json::read(R"({"ignored":[1,{"x":2}]})", e));
}

TEST(JsonReflect, SixtyFourMembers)
{
    static_assert(json::member_count_v<sixty_four> == 64);
    const auto names = names_of<sixty_four>();
    ASSERT_EQ(names.size(), 64u);
    const char prefixes[] = "abcdefgh";
    for (std::size_t i = 0; i < 64; ++i)
        EXPECT_EQ(names[i], std::string(1, prefixes[i / 8]) + std::to_string(i % 8)) << i;

    sixty_four v{};
    int n = 0;
    json::for_each_member(v, [&](std::string_view, int& m) { m = n++; });
    EXPECT_EQ(v.a0, 0);
    EXPECT_EQ(v.h7, 63);
    EXPECT_EQ(json::get_member<63>(v), 63);

    // The last member is required like the first: the 64-bit mask has no off-by-one.
    std::string text = json::write(v);
    sixty_four back{};
    ASSERT_FALSE(json::read(text, back)) << text;
    EXPECT_EQ(back.h7, 63);
    std::string without_last = text.substr(0, text.rfind(",\"h7\"")) + "}";
    json::read_error e = json::read(without_last, back);
    EXPECT_EQ(e.code, json::error::missing_member);
    EXPECT_EQ(e.path, "$.h7");
}

// ------------------------------------------------------------------------------------
// Renames and explicit member lists

TEST(JsonReflect, RenamesChangeKeysNotNames)
{
    static_assert(json::keys_v<renamed>[0] == "default");
    EXPECT_EQ(names_of<renamed>(), (strings{"default_", "class_", "plain_member"}));
    EXPECT_EQ(keys_of<renamed>(), (strings{"default", "class", "plain_member"}));

    renamed r{1, "x", 2};
    EXPECT_EQ(json::write(r), R"({"default":1,"class":"x","plain_member":2})");
    std::vector<std::string> seen;
    json::for_each_member(r, [&](std::string_view key, const auto&) { seen.emplace_back(key); });
    EXPECT_EQ(seen, (strings{"default", "class", "plain_member"}));
    auto back = json::read<renamed>(R"({"class":"y","default":5,"plain_member":6})");
    EXPECT_EQ(back.default_, 5);
    EXPECT_EQ(back.class_, "y");
    // The C++ name is not a key on the wire.
    json::read_error e = json::read(R"({"default_":1,"class":"y","plain_member":6})", back);
    EXPECT_EQ(e.code, json::error::missing_member);
    EXPECT_EQ(e.path, "$.default");
}

TEST(JsonReflect, MetaMembersOfNonAggregate)
{
    static_assert(!std::is_aggregate_v<account>);
    static_assert(json::member_count_v<account> == 3);
    EXPECT_EQ(names_of<account>(), (strings{"id", "balance", "note"}));
    EXPECT_EQ(keys_of<account>(), (strings{"id", "balance", "note"}));

    account a("acc-1", 10);
    EXPECT_EQ(json::get_member<0>(a), "acc-1");
    json::get_member<1>(a) = 25;
    EXPECT_EQ(a.balance(), 25);
    const account& ca = a;
    static_assert(std::is_same_v<decltype(json::get_member<1>(ca)), const int&>);
    EXPECT_EQ(json::get_member<1>(ca), 25);

    EXPECT_EQ(json::write(a), R"({"id":"acc-1","balance":25})");
    auto back = json::read<account>(R"({"balance":-3,"note":"n","id":"acc-2"})");
    EXPECT_EQ(back.id(), "acc-2");
    EXPECT_EQ(back.balance(), -3);
    EXPECT_EQ(json::write(back), R"({"id":"acc-2","balance":-3,"note":"n"})");
    json::read_error e = json::read(R"({"id":"x"})", back);
    EXPECT_EQ(e.code, json::error::missing_member);
    EXPECT_EQ(e.path, "$.balance");
}

// ------------------------------------------------------------------------------------
// get_member and for_each_member

TEST(JsonReflect, GetMemberReadsAndWrites)
{
    plain p{1, 2.5, "three"};
    EXPECT_EQ(json::get_member<0>(p), 1);
    EXPECT_EQ(json::get_member<1>(p), 2.5);
    EXPECT_EQ(json::get_member<2>(p), "three");
    static_assert(std::is_same_v<decltype(json::get_member<0>(p)), int&>);
    static_assert(std::is_same_v<decltype(json::get_member<2>(p)), std::string&>);
    json::get_member<0>(p) = 10;
    json::get_member<2>(p) += "!";
    EXPECT_EQ(p.a, 10);
    EXPECT_EQ(p.c, "three!");
    EXPECT_EQ(&json::get_member<1>(p), &p.b);

    const plain& cp = p;
    static_assert(std::is_same_v<decltype(json::get_member<1>(cp)), const double&>);
    EXPECT_EQ(&json::get_member<1>(cp), &p.b);

    nested n{{1, 2, "x"}, {}, 3};
    json::get_member<0>(json::get_member<0>(n)) = 99;
    EXPECT_EQ(n.inner.a, 99);
}

TEST(JsonReflect, GetMemberIsConstexpr)
{
    struct numbers {
        int x;
        double y;
    };
    constexpr int sum = [] {
        numbers p{4, 0.0};
        json::get_member<0>(p) += 3;
        return p.x;
    }();
    static_assert(sum == 7);
    EXPECT_EQ(sum, 7);
}

TEST(JsonReflect, ForEachMemberVisitsInOrderAndWrites)
{
    nested n{{1, 2.0, "c"}, {{5, 6.0, "d"}}, 7};
    std::vector<std::string> keys;
    json::for_each_member(n, [&](std::string_view key, auto& member) {
        keys.emplace_back(key);
        using M = std::remove_cvref_t<decltype(member)>;
        if constexpr (std::is_same_v<M, int>)
            member *= 10;
        else if constexpr (std::is_same_v<M, plain>)
            member.c = "changed";
        else if constexpr (std::is_same_v<M, std::vector<plain>>)
            member.push_back({8, 9.0, "e"});
    });
    EXPECT_EQ(keys, (strings{"inner", "list", "z"}));
    EXPECT_EQ(n.z, 70);
    EXPECT_EQ(n.inner.c, "changed");
    ASSERT_EQ(n.list.size(), 2u);
    EXPECT_EQ(n.list[1].a, 8);

    // Const objects give const references.
    const nested& cn = n;
    int visited = 0;
    json::for_each_member(cn, [&](std::string_view, auto& member) {
        static_assert(std::is_const_v<std::remove_reference_t<decltype(member)>>);
        ++visited;
    });
    EXPECT_EQ(visited, 3);
}

TEST(JsonReflect, ForEachMemberOverMetaMembers)
{
    account a("id-7", 3);
    std::vector<std::string> keys;
    json::for_each_member(a, [&](std::string_view key, auto& member) {
        keys.emplace_back(key);
        using M = std::remove_cvref_t<decltype(member)>;
        if constexpr (std::is_same_v<M, int>)
            member = 100;
        else if constexpr (std::is_same_v<M, std::optional<std::string>>)
            member = "set";
    });
    EXPECT_EQ(keys, (strings{"id", "balance", "note"}));
    EXPECT_EQ(a.balance(), 100);
    EXPECT_EQ(json::write(a), R"({"id":"id-7","balance":100,"note":"set"})");
}

TEST(JsonReflect, ForEachMemberOverManyKinds)
{
    rich r;
    r.maybe = 3;
    std::size_t count = 0;
    std::string joined;
    json::for_each_member(r, [&](std::string_view key, const auto&) {
        ++count;
        joined += key;
        joined += ',';
    });
    EXPECT_EQ(count, 10u);
    EXPECT_EQ(joined, "maybe,list,dict,either,triple,shade,constant,with_default,hashed,deep,");
}

} // namespace
