#pragma once

// Customisation point of the JSON layer. Specialise `imagine::json::meta<T>` to change how
// a type is read and written; a type without a specialisation uses the defaults:
// aggregates by their member names, enums are rejected (they need wire names).
//
//   template <> struct imagine::json::meta<my_request> {
//       // C++ member name -> key on the wire
//       static constexpr json::rename renames[] = {{"default_", "default"}};
//   };
//   template <> struct imagine::json::meta<partial_image_event> {
//       // value of the "type" member that selects this alternative of a std::variant
//       static constexpr std::string_view tag = "image_generation.partial_image";
//   };
//   template <> struct imagine::json::meta<quality> {
//       static constexpr std::pair<quality, std::string_view> values[] = {
//           {quality::low, "low"}, {quality::high, "high"}};
//       static constexpr quality unknown = quality::unknown;  // optional: read-side fallback
//   };
//   template <> struct imagine::json::meta<not_an_aggregate> {
//       // explicit member list, for classes that are not aggregates
//       static constexpr auto members =
//           std::make_tuple(json::member("id", &not_an_aggregate::id_));
//   };

#include <concepts>
#include <string_view>
#include <type_traits>

namespace imagine::json {

template <class T>
struct meta {};

/// One entry of `meta<T>::renames`: the C++ member name and the key it has on the wire.
struct rename {
    std::string_view member;
    std::string_view key;
};

/// One entry of `meta<T>::members` for classes that are not aggregates.
template <class Class, class Member>
struct member_descriptor {
    std::string_view key;
    Member Class::*pointer;
};

template <class Class, class Member>
constexpr member_descriptor<Class, Member> member(std::string_view key, Member Class::*pointer)
{
    return {key, pointer};
}

namespace detail {

template <class T>
concept has_meta_members = requires { meta<T>::members; };

template <class T>
concept has_meta_renames = requires { meta<T>::renames; };

template <class T>
concept has_meta_tag = requires {
    { meta<T>::tag } -> std::convertible_to<std::string_view>;
};

template <class T>
concept has_meta_values = std::is_enum_v<T> && requires { meta<T>::values; };

template <class T>
concept has_meta_unknown = std::is_enum_v<T> && requires {
    { meta<T>::unknown } -> std::convertible_to<T>;
};

template <class T>
concept has_meta_tag_key = requires {
    { meta<T>::tag_key } -> std::convertible_to<std::string_view>;
};

} // namespace detail

/// The key that discriminates the alternatives of variant `V` ("type" unless
/// `meta<V>::tag_key` says otherwise).
template <class V>
constexpr std::string_view tag_key_v = [] {
    if constexpr (detail::has_meta_tag_key<V>)
        return std::string_view{meta<V>::tag_key};
    else
        return std::string_view{"type"};
}();

} // namespace imagine::json
