#pragma once

// Enums travel as their wire names, declared in meta<E>::values.

#include <imagine/json/meta.hpp>

#include <optional>
#include <string_view>
#include <type_traits>

namespace imagine::json {

template <class E>
concept named_enum = detail::has_meta_values<E>;

/// The wire name of `e`, or an empty view when the value has no name.
template <named_enum E>
constexpr std::string_view enum_to_string(E e) noexcept
{
    for (const auto& [value, name] : meta<E>::values)
        if (value == e)
            return name;
    return {};
}

/// The value named `name`; `meta<E>::unknown` (when declared) for a name the table lacks,
/// else nothing.
template <named_enum E>
constexpr std::optional<E> enum_from_string(std::string_view name) noexcept
{
    for (const auto& [value, n] : meta<E>::values)
        if (n == name)
            return value;
    if constexpr (detail::has_meta_unknown<E>)
        return E{meta<E>::unknown};
    else
        return std::nullopt;
}

} // namespace imagine::json
