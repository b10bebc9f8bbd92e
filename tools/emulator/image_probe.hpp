#pragma once

// What an uploaded file is: format from its magic bytes, dimensions and whether it has
// an alpha channel, read from the headers only (PNG IHDR/tRNS, JPEG SOFn, WebP via
// libwebp). Enough to validate edits and variations as the API does, without decoding.

#include <webp/decode.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace imagine_emulator {

enum class image_format { png, jpeg, webp };

struct image_info {
    image_format format = image_format::png;
    int width = 0;
    int height = 0;
    bool alpha = false;
};

inline std::string_view mime_type(image_format format) noexcept
{
    switch (format) {
    case image_format::png:
        return "image/png";
    case image_format::jpeg:
        return "image/jpeg";
    case image_format::webp:
        return "image/webp";
    }
    return "application/octet-stream";
}

inline std::string_view extension(image_format format) noexcept
{
    switch (format) {
    case image_format::png:
        return "png";
    case image_format::jpeg:
        return "jpeg";
    case image_format::webp:
        return "webp";
    }
    return "bin";
}

namespace probe_detail {

inline std::uint32_t big_endian(std::string_view b, std::size_t at, int bytes) noexcept
{
    std::uint32_t v = 0;
    for (int i = 0; i < bytes; ++i)
        v = (v << 8) | static_cast<unsigned char>(b[at + static_cast<std::size_t>(i)]);
    return v;
}

inline std::optional<image_info> probe_png(std::string_view b)
{
    // Signature, then IHDR first: length 13, "IHDR", width, height, depth, colour type.
    if (b.size() < 33 || b.substr(12, 4) != "IHDR")
        return std::nullopt;
    image_info info{image_format::png, static_cast<int>(big_endian(b, 16, 4)),
                    static_cast<int>(big_endian(b, 20, 4)), false};
    const auto colour_type = static_cast<unsigned char>(b[25]);
    info.alpha = colour_type == 4 || colour_type == 6;
    // A tRNS chunk before the image data also gives transparency.
    for (std::size_t at = 33; !info.alpha && at + 8 <= b.size();) {
        const auto length = big_endian(b, at, 4);
        const auto type = b.substr(at + 4, 4);
        if (type == "IDAT" || type == "IEND")
            break;
        info.alpha = type == "tRNS";
        at += 12 + static_cast<std::size_t>(length);
    }
    if (info.width <= 0 || info.height <= 0)
        return std::nullopt;
    return info;
}

inline std::optional<image_info> probe_jpeg(std::string_view b)
{
    std::size_t at = 2;
    while (at + 4 <= b.size()) {
        if (static_cast<unsigned char>(b[at]) != 0xFF)
            return std::nullopt;
        const auto marker = static_cast<unsigned char>(b[at + 1]);
        if (marker == 0xFF) { // fill byte
            ++at;
            continue;
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // no length
            at += 2;
            continue;
        }
        const auto length = big_endian(b, at + 2, 2);
        const bool start_of_frame =
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (start_of_frame) {
            if (at + 9 > b.size())
                return std::nullopt;
            return image_info{image_format::jpeg, static_cast<int>(big_endian(b, at + 7, 2)),
                              static_cast<int>(big_endian(b, at + 5, 2)), false};
        }
        at += 2 + length;
    }
    return std::nullopt;
}

inline std::optional<image_info> probe_webp(std::string_view b)
{
    WebPBitstreamFeatures features;
    if (WebPGetFeatures(reinterpret_cast<const std::uint8_t*>(b.data()), b.size(), &features) !=
        VP8_STATUS_OK)
        return std::nullopt;
    return image_info{image_format::webp, features.width, features.height, features.has_alpha != 0};
}

} // namespace probe_detail

/// The format and geometry of `bytes`, or nullopt if they are not a PNG, JPEG or WebP.
inline std::optional<image_info> probe_image(std::string_view bytes)
{
    if (bytes.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8))
        return probe_detail::probe_png(bytes);
    if (bytes.substr(0, 3) == "\xFF\xD8\xFF")
        return probe_detail::probe_jpeg(bytes);
    if (bytes.size() >= 12 && bytes.substr(0, 4) == "RIFF" && bytes.substr(8, 4) == "WEBP")
        return probe_detail::probe_webp(bytes);
    return std::nullopt;
}

} // namespace imagine_emulator
