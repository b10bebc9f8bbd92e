#pragma once

// Compile-time reflection of aggregates: how many members, their names, and access by index.
//
// Three ingredients (the technique every reflection library converges on; the probes behind
// the choices are in shared/STYLE-ANCHORS.md B.1/B.2):
// - the member count is the largest N for which `T{a1, ..., aN}` compiles, where each `a`
//   converts to anything;
// - member references come from a structured binding, one generated overload per count;
// - a member's name is read from `__PRETTY_FUNCTION__` of a function templated on the
//   member's address. clang 14 rejects a raw subobject pointer as a template argument, so
//   the pointer travels wrapped in a struct. The text around the name differs between
//   compilers; it is measured on a known struct instead of hard-coded.

#include <imagine/json/detail/tie_generated.hpp>
#include <imagine/json/meta.hpp>

#include <array>
#include <cstddef>
#include <cstdlib>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#if defined(__clang__)
// The fake object below is declared and never defined on purpose: it is only ever named
// inside constant expressions, so no definition is needed and none must be emitted.
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wundefined-var-template"
#pragma clang diagnostic ignored "-Wundefined-inline"
#pragma clang diagnostic ignored "-Wundefined-internal"
#endif

namespace imagine::json::detail {

// ---------------------------------------------------------------------------------------
// Member count

// Converts to any member type. Only ever used in unevaluated checks, yet it has a body:
// clang instantiates constructors such as std::optional's in those checks, and a
// conversion used there with no definition is a hard error for types without linkage
// (local and anonymous-namespace structs). Not constexpr, which keeps g++ from asking
// for a constant-evaluable body. It refuses to become a base of `T`, so an aggregate with
// a base class cannot pass its base off as a member.
template <class T>
struct any_member {
    template <class U>
        requires(!std::is_base_of_v<U, T>)
    [[noreturn]] operator U() const noexcept
    {
        std::abort();
    }
};

template <class T, std::size_t>
using any_member_at = any_member<T>;

template <class T, std::size_t... I>
consteval bool initializable_with(std::index_sequence<I...>)
{
    return requires { T{any_member_at<T, I>{}...}; };
}

// Each initializer in its own braces: brace elision cannot spread one C array over several
// initializers, so this fails where `T` has a C array member.
template <class T, std::size_t... I>
consteval bool initializable_braced(std::index_sequence<I...>)
{
    return requires { T{{any_member_at<T, I>{}}...}; };
}

template <class T, std::size_t N = 0>
consteval std::size_t count_initializers()
{
    if constexpr (N > max_reflected_members)
        return N;
    else if constexpr (!initializable_with<T>(std::make_index_sequence<N + 1>{}))
        return N;
    else
        return count_initializers<T, N + 1>();
}

template <class T, std::size_t Before, std::size_t Nested, std::size_t After>
consteval bool initializable_nested()
{
    return []<std::size_t... B, std::size_t... N, std::size_t... A>(
               std::index_sequence<B...>, std::index_sequence<N...>, std::index_sequence<A...>) {
        return requires { T{any_member_at<T, B>{}..., {any_member_at<T, N>{}...}, any_member_at<T, A>{}...}; };
    }(std::make_index_sequence<Before>{}, std::make_index_sequence<Nested>{},
           std::make_index_sequence<After>{});
}

// How many flat initializers the member starting at initializer `Index` swallows: more
// than one only for a C array. Members that refuse a braced initializer count as one.
template <class T, std::size_t Index, std::size_t Size, std::size_t Rest>
consteval std::size_t initializers_taken_at()
{
    if constexpr (Size < 1)
        return 1;
    else if constexpr (initializable_nested<T, Index, Size, Rest>() &&
                       !initializable_nested<T, Index, Size, Rest + 1>())
        return Size;
    else
        return initializers_taken_at<T, Index, Size - 1, Rest + 1>();
}

template <class T, std::size_t Total, std::size_t Index = 0>
consteval std::size_t count_members_slowly()
{
    if constexpr (Index >= Total)
        return 0;
    else
        return 1 + count_members_slowly<T, Total,
                       Index + initializers_taken_at<T, Index, Total - Index, 0>()>();
}

template <class T>
consteval std::size_t count_members()
{
    constexpr std::size_t n = count_initializers<T>();
    if constexpr (n > max_reflected_members)
        return n;
    else if constexpr (initializable_braced<T>(std::make_index_sequence<n>{}))
        return n;
    else
        return count_members_slowly<T, n>();
}

// Converts only to the base classes of `T`: the first initializer of an aggregate with a
// base initializes that base, and a conversion wins over brace elision into its members.
template <class T>
struct only_base_of {
    template <class U>
        requires(std::is_base_of_v<U, T> && !std::is_same_v<U, T>)
    [[noreturn]] operator U() const noexcept
    {
        std::abort();
    }
};

template <class T>
concept has_base_class = requires { T{only_base_of<T>{}}; };

template <class T>
concept plain_aggregate = std::is_class_v<T> && std::is_aggregate_v<T> && !has_meta_members<T>;

/// Fails with one clear message for each kind of class the reflection cannot see into.
template <class T>
consteval bool check_reflectable()
{
    if constexpr (has_meta_members<T>) {
        return true;
    } else {
        static_assert(std::is_aggregate_v<T>,
            "imagine::json: this class is not an aggregate; declare its members in "
            "imagine::json::meta<T>::members");
        if constexpr (std::is_aggregate_v<T>) {
            static_assert(!has_base_class<T>,
                "imagine::json: aggregates with base classes are not supported; make the "
                "base a member");
            constexpr std::size_t n = count_initializers<T>();
            static_assert(n <= max_reflected_members,
                "imagine::json: more than 64 members; split the struct");
            if constexpr (n <= max_reflected_members) {
                static_assert(count_members<T>() == n,
                    "imagine::json: C array members are not supported; use std::array");
            }
        }
        return true;
    }
}

// ---------------------------------------------------------------------------------------
// Member names

template <class T>
struct fake_holder {
    T value;
};

template <class T>
extern const fake_holder<T> fake_object;

template <class Pointer>
struct pointer_box {
    Pointer pointer;
};

template <auto Box>
consteval std::string_view signature_of()
{
    return __PRETTY_FUNCTION__;
}

template <class T, std::size_t I>
consteval std::string_view member_signature()
{
    constexpr auto* pointer = &std::get<I>(
        tie_members(fake_object<T>.value, member_count_tag<count_members<T>()>{}));
    return signature_of<pointer_box<decltype(pointer)>{pointer}>();
}

struct calibration_probe {
    int imagine_calibration_member;
};

inline constexpr std::string_view calibration_name = "imagine_calibration_member";

struct signature_layout {
    std::size_t suffix;  // characters after the member name
    char separator;      // character right before the member name
};

inline constexpr signature_layout layout = [] {
    constexpr std::string_view text = member_signature<calibration_probe, 0>();
    constexpr std::size_t at = text.rfind(calibration_name);
    static_assert(at != std::string_view::npos && at > 0,
        "imagine::json: this compiler's __PRETTY_FUNCTION__ is not understood");
    return signature_layout{text.size() - at - calibration_name.size(), text[at - 1]};
}();

template <class T, std::size_t I>
consteval std::string_view raw_member_name()
{
    std::string_view text = member_signature<T, I>();
    text.remove_suffix(layout.suffix);
    return text.substr(text.rfind(layout.separator) + 1);
}

template <std::size_t N>
struct fixed_string {
    char data[N + 1];
    constexpr std::string_view view() const noexcept { return {data, N}; }
};

// Copies the name out of the signature so the long signature text is not kept in the binary.
template <class T, std::size_t I>
inline constexpr auto member_name_storage = [] {
    constexpr std::string_view name = raw_member_name<T, I>();
    fixed_string<name.size()> out{};
    for (std::size_t i = 0; i < name.size(); ++i)
        out.data[i] = name[i];
    return out;
}();

struct self_check_probe {
    int first;
    double second_member;
    fake_holder<int> third_;
};
static_assert(member_name_storage<self_check_probe, 0>.view() == "first" &&
                  member_name_storage<self_check_probe, 1>.view() == "second_member" &&
                  member_name_storage<self_check_probe, 2>.view() == "third_",
    "imagine::json: member names are parsed wrongly on this compiler");

// ---------------------------------------------------------------------------------------
// Uniform access for aggregates and for classes with meta<T>::members

template <class T>
consteval std::size_t member_count_of()
{
    if constexpr (has_meta_members<T>)
        return std::tuple_size_v<std::remove_cvref_t<decltype(meta<T>::members)>>;
    else
        return count_members<T>();
}

template <class T, std::size_t... I>
consteval auto member_names_of(std::index_sequence<I...>)
{
    if constexpr (has_meta_members<T>)
        return std::array<std::string_view, sizeof...(I)>{std::get<I>(meta<T>::members).key...};
    else
        return std::array<std::string_view, sizeof...(I)>{member_name_storage<T, I>.view()...};
}

template <class Array>
consteval bool renames_name_members(const Array& names, auto const& renames)
{
    for (const auto& r : renames) {
        bool found = false;
        for (std::string_view n : names)
            found = found || n == r.member;
        if (!found)
            return false;
    }
    return true;
}

template <class T, std::size_t N>
consteval auto keys_of(std::array<std::string_view, N> names)
{
    if constexpr (has_meta_renames<T>) {
        for (auto& n : names)
            for (const auto& r : meta<T>::renames)
                if (r.member == n)
                    n = r.key;
    }
    return names;
}

template <class T>
consteval bool keys_unique(const T& keys)
{
    for (std::size_t i = 0; i < keys.size(); ++i)
        for (std::size_t j = i + 1; j < keys.size(); ++j)
            if (keys[i] == keys[j])
                return false;
    return true;
}

} // namespace imagine::json::detail

namespace imagine::json {

/// Types the JSON layer reads and writes member by member.
template <class T>
concept reflectable = detail::has_meta_members<T> || detail::plain_aggregate<T>;

/// Number of members of a reflectable type.
template <class T>
    requires(detail::check_reflectable<T>())
inline constexpr std::size_t member_count_v = detail::member_count_of<T>();

/// C++ names of the members, in declaration order (`meta<T>::members` keys for classes
/// declared that way).
template <class T>
inline constexpr auto member_names_v =
    detail::member_names_of<T>(std::make_index_sequence<member_count_v<T>>{});

/// Keys on the wire, in declaration order: the member names after `meta<T>::renames`.
template <class T>
inline constexpr auto keys_v = [] {
    if constexpr (detail::has_meta_renames<T>)
        static_assert(detail::renames_name_members(member_names_v<T>, meta<T>::renames),
            "imagine::json: meta<T>::renames names a member that T does not have");
    constexpr auto keys = detail::keys_of<T>(member_names_v<T>);
    static_assert(detail::keys_unique(keys), "imagine::json: two members have the same key");
    return keys;
}();

/// Reference to member `I` of `object`.
template <std::size_t I, class T>
constexpr decltype(auto) get_member(T& object) noexcept
{
    using plain = std::remove_const_t<T>;
    if constexpr (detail::has_meta_members<plain>)
        return (object.*(std::get<I>(meta<plain>::members).pointer));
    else
        return std::get<I>(
            detail::tie_members(object, detail::member_count_tag<member_count_v<plain>>{}));
}

/// Calls `f(key, member)` for every member in declaration order.
template <class T, class F>
constexpr void for_each_member(T& object, F&& f)
{
    using plain = std::remove_const_t<T>;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (f(keys_v<plain>[I], get_member<I>(object)), ...);
    }(std::make_index_sequence<member_count_v<plain>>{});
}

} // namespace imagine::json

#if defined(__clang__)
#pragma clang diagnostic pop
#endif
