#pragma once

// The closed sets of the image endpoints, with their wire names. Reading tolerates
// values added to the API later (`unknown`); writing `unknown` is refused by the JSON
// writer, so it never reaches the server.

#include <imagine/json/enum.hpp>
#include <imagine/json/meta.hpp>

#include <string_view>
#include <utility>

namespace imagine {

enum class quality { auto_, low, medium, high, standard, hd, unknown };
enum class background { auto_, transparent, opaque, unknown };
enum class output_format { png, jpeg, webp, unknown };
enum class moderation { auto_, low, unknown };
enum class input_fidelity { low, high, unknown };
enum class image_style { vivid, natural, unknown };
enum class response_format { url, b64_json, unknown };

/// The wire name of a value ("auto", "b64_json", ...); empty for `unknown`.
template <json::named_enum E>
constexpr std::string_view to_string(E value) noexcept
{
    return json::enum_to_string(value);
}

} // namespace imagine

template <>
struct imagine::json::meta<imagine::quality> {
    static constexpr std::pair<imagine::quality, std::string_view> values[] = {
        {imagine::quality::auto_, "auto"},        {imagine::quality::low, "low"},
        {imagine::quality::medium, "medium"},     {imagine::quality::high, "high"},
        {imagine::quality::standard, "standard"}, {imagine::quality::hd, "hd"}};
    static constexpr imagine::quality unknown = imagine::quality::unknown;
};

template <>
struct imagine::json::meta<imagine::background> {
    static constexpr std::pair<imagine::background, std::string_view> values[] = {
        {imagine::background::auto_, "auto"},
        {imagine::background::transparent, "transparent"},
        {imagine::background::opaque, "opaque"}};
    static constexpr imagine::background unknown = imagine::background::unknown;
};

template <>
struct imagine::json::meta<imagine::output_format> {
    static constexpr std::pair<imagine::output_format, std::string_view> values[] = {
        {imagine::output_format::png, "png"},
        {imagine::output_format::jpeg, "jpeg"},
        {imagine::output_format::webp, "webp"}};
    static constexpr imagine::output_format unknown = imagine::output_format::unknown;
};

template <>
struct imagine::json::meta<imagine::moderation> {
    static constexpr std::pair<imagine::moderation, std::string_view> values[] = {
        {imagine::moderation::auto_, "auto"}, {imagine::moderation::low, "low"}};
    static constexpr imagine::moderation unknown = imagine::moderation::unknown;
};

template <>
struct imagine::json::meta<imagine::input_fidelity> {
    static constexpr std::pair<imagine::input_fidelity, std::string_view> values[] = {
        {imagine::input_fidelity::low, "low"}, {imagine::input_fidelity::high, "high"}};
    static constexpr imagine::input_fidelity unknown = imagine::input_fidelity::unknown;
};

template <>
struct imagine::json::meta<imagine::image_style> {
    static constexpr std::pair<imagine::image_style, std::string_view> values[] = {
        {imagine::image_style::vivid, "vivid"}, {imagine::image_style::natural, "natural"}};
    static constexpr imagine::image_style unknown = imagine::image_style::unknown;
};

template <>
struct imagine::json::meta<imagine::response_format> {
    static constexpr std::pair<imagine::response_format, std::string_view> values[] = {
        {imagine::response_format::url, "url"}, {imagine::response_format::b64_json, "b64_json"}};
    static constexpr imagine::response_format unknown = imagine::response_format::unknown;
};
