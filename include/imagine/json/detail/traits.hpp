#pragma once

// Type categories shared by the reader and the writer.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace imagine::json::detail {

template <class T, template <class...> class Template>
inline constexpr bool is_specialization_v = false;
template <template <class...> class Template, class... A>
inline constexpr bool is_specialization_v<Template<A...>, Template> = true;

template <class T>
concept optional_like = is_specialization_v<T, std::optional>;

template <class T>
concept vector_like = is_specialization_v<T, std::vector>;

template <class T>
inline constexpr bool is_std_array_v = false;
template <class E, std::size_t N>
inline constexpr bool is_std_array_v<std::array<E, N>> = true;

template <class T>
concept std_array = is_std_array_v<T>;

template <class T>
concept variant_like = is_specialization_v<T, std::variant>;

/// std::map, std::unordered_map and the like, keyed by std::string.
template <class T>
concept string_map = requires {
    typename T::key_type;
    typename T::mapped_type;
} && std::is_same_v<typename T::key_type, std::string>;

/// Integers JSON numbers map to. Plain `char` is left out: it means text, not a number.
template <class T>
concept json_integer = std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                       !std::is_same_v<T, char> && !std::is_same_v<T, char8_t> &&
                       !std::is_same_v<T, char16_t> && !std::is_same_v<T, char32_t> &&
                       !std::is_same_v<T, wchar_t>;

template <class T>
concept null_like = std::is_same_v<T, std::nullptr_t> || std::is_same_v<T, std::monostate>;

template <class T>
inline constexpr bool always_false_v = false;

} // namespace imagine::json::detail
