#pragma once

// Model names and image sizes. Both are free strings on the wire (the API adds models,
// and gpt-image-2 takes any WIDTHxHEIGHT); these are the names known today, and the
// model families the request checks need.

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace imagine {

namespace models {
inline constexpr const char* gpt_image_1 = "gpt-image-1";
inline constexpr const char* gpt_image_1_mini = "gpt-image-1-mini";
inline constexpr const char* gpt_image_1_5 = "gpt-image-1.5";
inline constexpr const char* gpt_image_2 = "gpt-image-2";
inline constexpr const char* gpt_image_2_2026_04_21 = "gpt-image-2-2026-04-21";
inline constexpr const char* chatgpt_image_latest = "chatgpt-image-latest";
inline constexpr const char* dall_e_2 = "dall-e-2";
inline constexpr const char* dall_e_3 = "dall-e-3";
} // namespace models

namespace sizes {
inline constexpr const char* auto_ = "auto";
inline constexpr const char* square_256 = "256x256";
inline constexpr const char* square_512 = "512x512";
inline constexpr const char* square_1024 = "1024x1024";
inline constexpr const char* landscape_1536x1024 = "1536x1024";
inline constexpr const char* portrait_1024x1536 = "1024x1536";
inline constexpr const char* landscape_1792x1024 = "1792x1024";
inline constexpr const char* portrait_1024x1792 = "1024x1792";
} // namespace sizes

/// "WIDTHxHEIGHT", the size text the API takes.
inline std::string size_string(std::uint32_t width, std::uint32_t height)
{
    return std::to_string(width) + "x" + std::to_string(height);
}

struct image_size {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
};

/// Parses "WIDTHxHEIGHT" (decimal, no sign, no spaces); nothing for "auto" or bad text.
inline std::optional<image_size> parse_size(std::string_view text) noexcept
{
    const auto x = text.find('x');
    if (x == std::string_view::npos || x == 0 || x + 1 == text.size())
        return std::nullopt;
    image_size out;
    auto parse = [](std::string_view digits, std::uint32_t& value) {
        if (digits.size() > 6 || digits.front() == '+')
            return false;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        return ec == std::errc{} && end == digits.data() + digits.size();
    };
    if (!parse(text.substr(0, x), out.width) || !parse(text.substr(x + 1), out.height))
        return std::nullopt;
    return out;
}

/// The model families the request checks know. `unknown` models get only the checks
/// that hold for every model.
enum class model_family { gpt_image, dall_e_2, dall_e_3, unknown };

inline model_family family_of(std::string_view model) noexcept
{
    if (model == models::dall_e_2)
        return model_family::dall_e_2;
    if (model == models::dall_e_3)
        return model_family::dall_e_3;
    for (std::string_view known :
         {models::gpt_image_1, models::gpt_image_1_mini, models::gpt_image_1_5, models::gpt_image_2,
          models::gpt_image_2_2026_04_21, models::chatgpt_image_latest})
        if (model == known)
            return model_family::gpt_image;
    return model_family::unknown;
}

/// gpt-image-2 and its snapshots take any size within limits, not only the three fixed ones.
inline bool takes_free_size(std::string_view model) noexcept
{
    return model == models::gpt_image_2 || model == models::gpt_image_2_2026_04_21;
}

} // namespace imagine
