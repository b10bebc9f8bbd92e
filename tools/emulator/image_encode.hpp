#pragma once

// Rasters to files: PNG through zlib (Sub filter, Z_RLE at level 1: fast, and the noise
// keeps the size realistic), JPEG through libjpeg(-turbo), WebP through libwebp (lossy,
// fastest method). output_compression maps to the JPEG/WebP quality.

#include "image_probe.hpp"
#include "image_synth.hpp"

#include <jpeglib.h>
#include <webp/encode.h>
#include <zlib.h>

#include <csetjmp>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace imagine_emulator {

namespace encode_detail {

inline void put_u32(std::string& out, std::uint32_t v)
{
    const char bytes[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                           static_cast<char>(v >> 8), static_cast<char>(v)};
    out.append(bytes, 4);
}

inline void put_chunk(std::string& out, std::string_view type, std::string_view data)
{
    put_u32(out, static_cast<std::uint32_t>(data.size()));
    const auto crc_start = out.size();
    out += type;
    out += data;
    const auto crc = crc32(0, reinterpret_cast<const Bytef*>(out.data() + crc_start),
                           static_cast<uInt>(out.size() - crc_start));
    put_u32(out, static_cast<std::uint32_t>(crc));
}

// libjpeg reports errors through error_exit, which must not return: jump back out.
// Only trivially destructible objects live in the frames the jump skips.
struct jpeg_error_state {
    jpeg_error_mgr manager;
    std::jmp_buf jump;
};

inline void jpeg_error_exit(j_common_ptr info)
{
    std::longjmp(reinterpret_cast<jpeg_error_state*>(info->err)->jump, 1);
}

inline bool compress_jpeg(const std::uint8_t* rgb, int width, int height, int quality,
                          unsigned char** out, unsigned long* size) noexcept
{
    jpeg_compress_struct info;
    jpeg_error_state errors;
    info.err = jpeg_std_error(&errors.manager);
    errors.manager.error_exit = jpeg_error_exit;
    if (setjmp(errors.jump)) {
        jpeg_destroy_compress(&info);
        return false;
    }
    jpeg_create_compress(&info);
    jpeg_mem_dest(&info, out, size);
    info.image_width = static_cast<JDIMENSION>(width);
    info.image_height = static_cast<JDIMENSION>(height);
    info.input_components = 3;
    info.in_color_space = JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    jpeg_start_compress(&info, TRUE);
    while (info.next_scanline < info.image_height) {
        JSAMPROW row = const_cast<JSAMPROW>(rgb + static_cast<std::size_t>(info.next_scanline) *
                                                      static_cast<std::size_t>(width) * 3);
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    return true;
}

} // namespace encode_detail

inline std::string encode_png(const raster& image)
{
    const auto channels = static_cast<std::size_t>(image.channels);
    const auto row_size = static_cast<std::size_t>(image.width) * channels;
    // Filter type 1 (Sub) on every row: each byte minus the one a pixel to its left.
    std::vector<std::uint8_t> filtered((row_size + 1) * static_cast<std::size_t>(image.height));
    for (std::size_t y = 0; y < static_cast<std::size_t>(image.height); ++y) {
        const std::uint8_t* in = image.pixels.data() + y * row_size;
        std::uint8_t* out = filtered.data() + y * (row_size + 1);
        *out++ = 1;
        std::copy_n(in, channels, out);
        for (std::size_t i = channels; i < row_size; ++i)
            out[i] = static_cast<std::uint8_t>(in[i] - in[i - channels]);
    }

    z_stream z{};
    if (deflateInit2(&z, 1, Z_DEFLATED, 15, 8, Z_RLE) != Z_OK)
        throw std::runtime_error("deflateInit2 failed");
    std::string compressed(deflateBound(&z, static_cast<uLong>(filtered.size())), '\0');
    z.next_in = filtered.data();
    z.avail_in = static_cast<uInt>(filtered.size());
    z.next_out = reinterpret_cast<Bytef*>(compressed.data());
    z.avail_out = static_cast<uInt>(compressed.size());
    const int result = deflate(&z, Z_FINISH);
    compressed.resize(z.total_out);
    deflateEnd(&z);
    if (result != Z_STREAM_END)
        throw std::runtime_error("deflate failed");

    std::string png("\x89PNG\r\n\x1a\n", 8);
    std::string header;
    encode_detail::put_u32(header, static_cast<std::uint32_t>(image.width));
    encode_detail::put_u32(header, static_cast<std::uint32_t>(image.height));
    header += '\x08';                                // 8 bits per sample
    header += image.channels == 4 ? '\x06' : '\x02'; // RGBA : RGB
    header.append(3, '\0');                          // deflate, adaptive filtering, no interlace
    png.reserve(compressed.size() + 64);
    encode_detail::put_chunk(png, "IHDR", header);
    encode_detail::put_chunk(png, "IDAT", compressed);
    encode_detail::put_chunk(png, "IEND", {});
    return png;
}

/// JPEG has no alpha: an RGBA raster loses its alpha channel.
inline std::string encode_jpeg(const raster& image, int quality)
{
    std::vector<std::uint8_t> rgb_copy;
    const std::uint8_t* rgb = image.pixels.data();
    if (image.channels == 4) {
        rgb_copy.reserve(image.pixels.size() / 4 * 3);
        for (std::size_t i = 0; i < image.pixels.size(); i += 4)
            rgb_copy.insert(rgb_copy.end(), image.pixels.begin() + static_cast<std::ptrdiff_t>(i),
                            image.pixels.begin() + static_cast<std::ptrdiff_t>(i + 3));
        rgb = rgb_copy.data();
    }
    unsigned char* data = nullptr;
    unsigned long size = 0;
    const bool ok = encode_detail::compress_jpeg(rgb, image.width, image.height,
                                                 std::clamp(quality, 1, 100), &data, &size);
    std::string out =
        ok && data ? std::string(reinterpret_cast<const char*>(data), size) : std::string();
    std::free(data);
    if (!ok)
        throw std::runtime_error("JPEG compression failed");
    return out;
}

inline std::string encode_webp(const raster& image, int quality)
{
    WebPConfig config;
    WebPPicture picture;
    if (!WebPConfigInit(&config) || !WebPPictureInit(&picture))
        throw std::runtime_error("libwebp version mismatch");
    config.quality = static_cast<float>(std::clamp(quality, 0, 100));
    config.method = 0; // fastest
    picture.width = image.width;
    picture.height = image.height;
    const int stride = image.width * image.channels;
    const int imported = image.channels == 4
                             ? WebPPictureImportRGBA(&picture, image.pixels.data(), stride)
                             : WebPPictureImportRGB(&picture, image.pixels.data(), stride);
    WebPMemoryWriter writer;
    WebPMemoryWriterInit(&writer);
    picture.writer = WebPMemoryWrite;
    picture.custom_ptr = &writer;
    const bool ok = imported && WebPEncode(&config, &picture);
    std::string out =
        ok ? std::string(reinterpret_cast<const char*>(writer.mem), writer.size) : std::string();
    WebPPictureFree(&picture);
    WebPMemoryWriterClear(&writer);
    if (!ok)
        throw std::runtime_error("WebP encoding failed");
    return out;
}

inline std::string encode_image(const raster& image, image_format format, int quality)
{
    switch (format) {
    case image_format::png:
        return encode_png(image);
    case image_format::jpeg:
        return encode_jpeg(image, quality);
    case image_format::webp:
        return encode_webp(image, quality);
    }
    throw std::logic_error("unknown image format");
}

} // namespace imagine_emulator
