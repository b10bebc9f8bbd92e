#pragma once

// The first bytes of PNG, JPEG and WebP files: enough for a header probe (format,
// dimensions, alpha), not decodable pictures. For request checks that never send them.

#include <cstdint>
#include <string>

namespace imagine::test {

inline void put_be32(std::string& out, std::uint32_t v)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((v >> shift) & 0xff));
}

/// PNG signature, IHDR (colour type 2 = RGB, 6 = RGBA), an empty IDAT and IEND. CRCs are
/// zero: probes do not check them.
inline std::string png_head(std::uint32_t width, std::uint32_t height, int colour_type = 6,
                            std::size_t padding = 0)
{
    std::string out("\x89PNG\r\n\x1a\n", 8);
    put_be32(out, 13);
    out += "IHDR";
    put_be32(out, width);
    put_be32(out, height);
    out += static_cast<char>(8);
    out += static_cast<char>(colour_type);
    out += std::string(3, '\0');
    put_be32(out, 0);
    put_be32(out, static_cast<std::uint32_t>(padding));
    out += "IDAT";
    out += std::string(padding, 'x');
    put_be32(out, 0);
    put_be32(out, 0);
    out += "IEND";
    put_be32(out, 0);
    return out;
}

/// SOI, a baseline SOF0 frame header, EOI.
inline std::string jpeg_head(std::uint16_t width, std::uint16_t height)
{
    std::string out("\xff\xd8\xff\xc0", 4);
    out += std::string("\x00\x11\x08", 3);
    out += static_cast<char>(height >> 8);
    out += static_cast<char>(height & 0xff);
    out += static_cast<char>(width >> 8);
    out += static_cast<char>(width & 0xff);
    out += static_cast<char>(3);
    for (int c = 1; c <= 3; ++c)
        out += std::string{static_cast<char>(c), '\x11', '\x00'};
    out += "\xff\xd9";
    return out;
}

} // namespace imagine::test
