#pragma once

// Enums shared by the JSON read tests, with their wire names.

#include <imagine/json/meta.hpp>

#include <string_view>
#include <utility>

namespace json_test {

enum class quality { low, medium, high };
enum class style { vivid, natural, unknown };  // has a fallback for unknown names

} // namespace json_test

template <>
struct imagine::json::meta<json_test::quality> {
    static constexpr std::pair<json_test::quality, std::string_view> values[] = {
        {json_test::quality::low, "low"},
        {json_test::quality::medium, "medium"},
        {json_test::quality::high, "high"}};
};

template <>
struct imagine::json::meta<json_test::style> {
    static constexpr std::pair<json_test::style, std::string_view> values[] = {
        {json_test::style::vivid, "vivid"},
        {json_test::style::natural, "natural"},
        {json_test::style::unknown, "unknown"}};
    static constexpr json_test::style unknown = json_test::style::unknown;
};
