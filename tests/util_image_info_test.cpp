#include <imagine/util/image_info.hpp>

#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace {

using imagine::image_error;
using imagine::image_format;
using imagine::image_info;

// ---------------------------------------------------------------------------------------
// Byte builders. The PNG and JPEG samples are complete images a decoder accepts (stored
// zlib blocks; one-code Huffman tables and all-zero blocks), built here so the tests say
// exactly which bytes the probe sees.

std::string be16(std::uint32_t v)
{
    return {static_cast<char>(v >> 8), static_cast<char>(v)};
}

std::string be32(std::uint32_t v)
{
    return be16(v >> 16) + be16(v & 0xffff);
}

std::string le16(std::uint32_t v)
{
    return {static_cast<char>(v), static_cast<char>(v >> 8)};
}

std::string le24(std::uint32_t v)
{
    return le16(v & 0xffff) + static_cast<char>(v >> 16);
}

std::string le32(std::uint32_t v)
{
    return le16(v & 0xffff) + le16(v >> 16);
}

std::uint32_t crc32(std::string_view bytes)
{
    std::uint32_t crc = 0xffffffffu;
    for (const char c : bytes) {
        crc ^= static_cast<unsigned char>(c);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

std::string png_chunk(std::string_view type, std::string_view data)
{
    std::string typed = std::string(type) + std::string(data);
    return be32(static_cast<std::uint32_t>(data.size())) + typed + be32(crc32(typed));
}

/// A zlib stream of stored (uncompressed) blocks.
std::string zlib_stored(std::string_view raw)
{
    std::string out = "\x78\x01";
    std::size_t at = 0;
    do {
        const std::size_t n = std::min<std::size_t>(raw.size() - at, 65535);
        out += at + n == raw.size() ? '\x01' : '\x00';
        out += le16(static_cast<std::uint32_t>(n)) + le16(static_cast<std::uint32_t>(~n & 0xffff));
        out.append(raw.substr(at, n));
        at += n;
    } while (at < raw.size());
    std::uint32_t a = 1;
    std::uint32_t b = 0;
    for (const char c : raw) {
        a = (a + static_cast<unsigned char>(c)) % 65521;
        b = (b + a) % 65521;
    }
    return out + be32(b << 16 | a);
}

struct png_spec {
    std::uint32_t width;
    std::uint32_t height;
    int colour_type; // 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA
    int depth;
    std::string before_idat; // chunks between IHDR (and PLTE) and IDAT
};

std::string make_png(const png_spec& s)
{
    const int channels[] = {1, 0, 3, 1, 2, 0, 4};
    std::string ihdr = be32(s.width) + be32(s.height);
    ihdr += {static_cast<char>(s.depth), static_cast<char>(s.colour_type), 0, 0, 0};
    std::string png = "\x89PNG\r\n\x1a\n" + png_chunk("IHDR", ihdr);
    if (s.colour_type == 3)
        png += png_chunk("PLTE", std::string("\xff\x00\x00\x00\x00\xff", 6));
    png += s.before_idat;
    const std::size_t row = (std::size_t{s.width} * channels[s.colour_type] * s.depth + 7) / 8;
    std::string raw;
    for (std::uint32_t y = 0; y < s.height; ++y)
        raw += std::string(row + 1, '\0'); // filter type 0, black
    return png + png_chunk("IDAT", zlib_stored(raw)) + png_chunk("IEND", "");
}

/// Bytes the PNG probe needs: up to and including the 8-byte head of the first IDAT.
std::size_t png_header_size(const std::string& png)
{
    return png.find("IDAT") + 4;
}

std::string jpeg_segment(unsigned marker, std::string_view body)
{
    return std::string{'\xff', static_cast<char>(marker)} +
           be16(static_cast<std::uint32_t>(body.size() + 2)) + std::string(body);
}

struct jpeg_sample {
    std::string bytes;
    std::size_t header_size; // through the end of the frame header
};

/// A greyscale JPEG whose blocks are all zero: baseline (SOF0, one scan) or progressive
/// (SOF2, a DC scan and an AC scan). `before_frame` goes after SOI, `before_sof` just
/// before the frame header (after the tables).
jpeg_sample make_jpeg(std::uint32_t width, std::uint32_t height, bool progressive,
                      std::string_view before_frame = {}, std::string_view before_sof = {})
{
    std::string j = "\xff\xd8";
    j += before_frame;
    j += jpeg_segment(0xdb, std::string(1, '\0') + std::string(64, '\x01')); // DQT
    // One-code Huffman tables: DC category 0 and AC EOB, each the 1-bit code "0".
    const std::string one_code = std::string(1, '\x01') + std::string(15, '\0') + '\0';
    j += jpeg_segment(0xc4, std::string(1, '\x00') + one_code); // DHT class 0 id 0
    j += jpeg_segment(0xc4, std::string(1, '\x10') + one_code); // DHT class 1 id 0
    j += before_sof;
    // Appended piece by piece: g++ 12 -O3 warns falsely (-Wrestrict) on "literal" + string&&.
    std::string frame = "\x08";
    frame += be16(height);
    frame += be16(width);
    frame.append("\x01\x01\x11\x00", 4);
    j += jpeg_segment(progressive ? 0xc2 : 0xc0, frame);
    const std::size_t header_size = j.size();

    const std::size_t blocks = std::size_t{(width + 7) / 8} * ((height + 7) / 8);
    auto scan = [&](int ss, int se, std::size_t bits_per_block) {
        j += jpeg_segment(0xda, std::string{'\x01', '\x01', '\x00', static_cast<char>(ss),
                                            static_cast<char>(se), '\x00'});
        const std::size_t bits = blocks * bits_per_block; // all "0" codes
        j += std::string(bits / 8, '\0');
        if (bits % 8 != 0)
            j += static_cast<char>(0xff >> (bits % 8)); // padded with 1 bits
    };
    if (progressive) {
        scan(0, 0, 1);  // DC first scan: one "0" per block
        scan(1, 63, 1); // AC scan: EOB per block
    } else {
        scan(0, 63, 2); // DC "0", EOB "0"
    }
    j += "\xff\xd9";
    return {j, header_size};
}

std::string from_base64(std::string_view text)
{
    // Just for the constant WebP samples below (canonical base64).
    constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::uint32_t bits = 0;
    int count = 0;
    for (const char c : text) {
        if (c == '=')
            break;
        bits = bits << 6 | static_cast<std::uint32_t>(alphabet.find(c));
        count += 6;
        if (count >= 8) {
            count -= 8;
            out += static_cast<char>(bits >> count);
        }
    }
    return out;
}

// The 1x1 images of Google's WebP FAQ ("How can I detect browser support for WebP?").
const std::string webp_lossy =
    from_base64("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA");
const std::string webp_lossless = from_base64("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");
const std::string webp_alpha = from_base64(
    "UklGRkoAAABXRUJQVlA4WAoAAAAQAAAAAAAAAAAAQUxQSAwAAAARBxAR/Q9ERP8DAABWUDggGAAAABQBAJ0BKgEAAQ"
    "AAAP4AAA3AAP7mtQAAAA==");

std::string riff(std::string_view chunks)
{
    return "RIFF" + le32(static_cast<std::uint32_t>(4 + chunks.size())) + "WEBP" +
           std::string(chunks);
}

std::string webp_chunk(std::string_view fourcc, std::string_view data)
{
    std::string c =
        std::string(fourcc) + le32(static_cast<std::uint32_t>(data.size())) + std::string(data);
    if (data.size() % 2 != 0)
        c += '\0';
    return c;
}

/// The lossy sample's VP8 chunk with another size (scale bits set, which the probe drops).
std::string vp8_chunk(std::uint32_t width, std::uint32_t height)
{
    std::string c = webp_lossy.substr(12);
    c.replace(8 + 6, 2, le16(width | 0x4000));
    c.replace(8 + 8, 2, le16(height | 0x8000));
    return c;
}

std::string vp8x_chunk(std::uint32_t width, std::uint32_t height, bool alpha)
{
    return webp_chunk("VP8X", std::string(1, alpha ? '\x10' : '\x00') + std::string(3, '\0') +
                                  le24(width - 1) + le24(height - 1));
}

std::string vp8l_chunk(std::uint32_t width, std::uint32_t height, bool alpha)
{
    const std::uint32_t bits = (width - 1) | (height - 1) << 14 | std::uint32_t{alpha} << 28;
    std::string data = "\x2f"; // appended, not "literal" + string&& (see make_jpeg)
    data += le32(bits);
    data.append("\x10\x07\x10\x11\x11\x88", 6);
    return webp_chunk("VP8L", data);
}

struct sample {
    std::string name;
    std::string bytes;
    std::size_t header_size; // the probe succeeds on this prefix and fails on shorter ones
    image_info expected;
};

std::vector<sample> samples()
{
    const image_format png = image_format::png;
    const image_format jpeg = image_format::jpeg;
    const image_format webp = image_format::webp;
    std::vector<sample> all;
    auto add_png = [&](std::string name, const png_spec& spec, bool alpha) {
        std::string bytes = make_png(spec);
        const std::size_t header = png_header_size(bytes);
        all.push_back(
            {std::move(name), std::move(bytes), header, {png, spec.width, spec.height, alpha}});
    };
    add_png("png_grey", {3, 2, 0, 8, ""}, false);
    add_png("png_grey_1bit", {9, 1, 0, 1, ""}, false);
    add_png("png_rgb", {5, 4, 2, 8, ""}, false);
    add_png("png_rgb16", {2, 7, 2, 16, ""}, false);
    add_png("png_grey_alpha", {1, 1, 4, 8, ""}, true);
    add_png("png_rgba", {640, 3, 6, 8, ""}, true);
    add_png("png_palette", {4, 4, 3, 4, ""}, false);
    add_png("png_palette_trns",
            {4, 4, 3, 8,
             png_chunk("tEXt", std::string("Comment\0hi", 10)) +
                 png_chunk("tRNS", std::string("\x00\xff", 2))},
            true);
    add_png("png_rgb_trns", {2, 2, 2, 8, png_chunk("tRNS", std::string(6, '\0'))}, true);

    auto add_jpeg = [&](std::string name, std::uint32_t w, std::uint32_t h, bool progressive,
                        std::string_view before_frame, std::string_view before_sof) {
        jpeg_sample j = make_jpeg(w, h, progressive, before_frame, before_sof);
        all.push_back({std::move(name), std::move(j.bytes), j.header_size, {jpeg, w, h, false}});
    };
    const std::string jfif =
        jpeg_segment(0xe0, std::string("JFIF\0\x01\x01\0\0\x01\0\x01\0\0", 14));
    const std::string comment = jpeg_segment(0xfe, "made by imagine's tests");
    // An EXIF-like APP1 holding a thumbnail with its own frame header: skipped whole.
    const std::string thumbnail = make_jpeg(160, 120, false).bytes;
    const std::string exif = jpeg_segment(0xe1, std::string("Exif\0\0", 6) + thumbnail);
    add_jpeg("jpeg_baseline", 17, 9, false, jfif, "");
    add_jpeg("jpeg_baseline_exif", 1024, 768, false, exif + comment, "");
    add_jpeg("jpeg_progressive", 33, 65, true, jfif + comment, comment);
    // Fill bytes before markers, and standalone markers (TEM, RST0) between segments.
    add_jpeg("jpeg_fill_and_standalone", 8, 8, false,
             std::string("\xff\xff\xff", 3) + jfif.substr(1) + "\xff\x01" + "\xff\xd0",
             std::string("\xff\xff", 2));

    all.push_back({"webp_lossy", webp_lossy, 30, {webp, 1, 1, false}});
    all.push_back({"webp_lossless_alpha", webp_lossless, 25, {webp, 1, 1, true}});
    all.push_back({"webp_extended_alpha", webp_alpha, 30, {webp, 1, 1, true}});
    all.push_back(
        {"webp_lossy_large", riff(vp8_chunk(16383, 1000)), 30, {webp, 16383, 1000, false}});
    all.push_back(
        {"webp_lossless_no_alpha", riff(vp8l_chunk(16384, 3, false)), 25, {webp, 16384, 3, false}});
    all.push_back({"webp_extended_no_alpha",
                   riff(vp8x_chunk(5000, 4000, false) + vp8_chunk(5000 % 16384, 4000)),
                   30,
                   {webp, 5000, 4000, false}});
    all.push_back({"webp_extended_max_canvas",
                   riff(vp8x_chunk(65536, 65535, true)),
                   30,
                   {webp, 65536, 65535, true}});
    return all;
}

std::string replaced(std::string bytes, std::size_t at, std::string_view with)
{
    return bytes.replace(at, with.size(), with);
}

// ---------------------------------------------------------------------------------------

TEST(ImageError, CategoryAndMessages)
{
    const std::error_code ec = image_error::truncated; // is_error_code_enum
    EXPECT_STREQ(ec.category().name(), "imagine.image");
    EXPECT_EQ(ec, imagine::make_error_code(image_error::truncated));
    EXPECT_EQ(imagine::make_error_code(image_error::not_an_image).message(),
              "not a PNG, JPEG or WebP image");
    EXPECT_EQ(ec.message(), "image header truncated");
    EXPECT_EQ(imagine::make_error_code(image_error::malformed).message(), "malformed image header");
    EXPECT_EQ(imagine::make_error_code(image_error::extension_mismatch).message(),
              "file extension does not match the image format");
    EXPECT_EQ(static_cast<int>(image_error::not_an_image), 1);
}

TEST(ImageFormat, Names)
{
    static_assert(imagine::mime_type(image_format::png) == "image/png");
    static_assert(imagine::mime_type(image_format::jpeg) == "image/jpeg");
    static_assert(imagine::mime_type(image_format::webp) == "image/webp");
    static_assert(imagine::mime_type(image_format::unknown).empty());
    static_assert(imagine::file_extension(image_format::png) == ".png");
    static_assert(imagine::file_extension(image_format::jpeg) == ".jpg");
    static_assert(imagine::file_extension(image_format::webp) == ".webp");
    static_assert(imagine::file_extension(image_format::unknown).empty());
    static_assert(imagine::to_string(image_format::png) == "png");
    static_assert(imagine::to_string(image_format::jpeg) == "jpeg");
    static_assert(imagine::to_string(image_format::webp) == "webp");
    static_assert(imagine::to_string(image_format::unknown) == "unknown");
    static_assert(image_format{} == image_format::unknown);
}

TEST(SniffImageFormat, MagicBytesOnly)
{
    using imagine::sniff_image_format;
    EXPECT_EQ(sniff_image_format("\x89PNG\r\n\x1a\n"), image_format::png);
    EXPECT_EQ(sniff_image_format("\xff\xd8\xff"), image_format::jpeg);
    EXPECT_EQ(sniff_image_format(std::string("RIFF\0\0\0\0WEBP", 12)), image_format::webp);
    EXPECT_EQ(sniff_image_format("\x89PNG\r\n\x1a"), image_format::unknown);
    EXPECT_EQ(sniff_image_format("\xff\xd8"), image_format::unknown);
    EXPECT_EQ(sniff_image_format("RIFF\x04\0\0\0WEB"), image_format::unknown);
    EXPECT_EQ(sniff_image_format(std::string("RIFF\0\0\0\0WAVE", 12)), image_format::unknown);
    EXPECT_EQ(sniff_image_format("GIF89a"), image_format::unknown);
    EXPECT_EQ(sniff_image_format(""), image_format::unknown);
    for (const sample& s : samples())
        EXPECT_EQ(sniff_image_format(s.bytes), s.expected.format) << s.name;
}

TEST(ProbeImage, Samples)
{
    for (const sample& s : samples()) {
        std::error_code ec = image_error::malformed; // must be cleared on success
        EXPECT_EQ(imagine::probe_image(s.bytes, ec), s.expected) << s.name;
        EXPECT_FALSE(ec) << s.name << ": " << ec.message();
        EXPECT_LE(s.header_size, s.bytes.size()) << s.name;
    }
}

TEST(ProbeImage, EveryTruncationOfTheHeaderIsAnError)
{
    for (const sample& s : samples()) {
        for (std::size_t n = 0; n < s.header_size; ++n) {
            std::error_code ec;
            const image_info info = imagine::probe_image(s.bytes.substr(0, n), ec);
            const image_error expected =
                n == 0 ? image_error::not_an_image : image_error::truncated;
            EXPECT_EQ(ec, expected) << s.name << " cut to " << n << " bytes";
            EXPECT_EQ(info, image_info{}) << s.name << " cut to " << n << " bytes";
        }
        std::error_code ec;
        EXPECT_EQ(imagine::probe_image(s.bytes.substr(0, s.header_size), ec), s.expected) << s.name;
        EXPECT_FALSE(ec) << s.name << ": " << ec.message();
    }
}

TEST(ProbeImage, NotAnImage)
{
    for (const std::string_view bytes :
         {std::string_view("GIF89a\x01\0\x01\0"), std::string_view("hello, world"),
          std::string_view("BM\x3a\0\0\0", 6), std::string_view("RIFF\x04\0\0\0WAVEfmt ", 16),
          std::string_view("\x89PNG\r\n\x1a\r"), std::string_view("\xff\xd8\x00", 3),
          std::string_view("RIFX", 4)}) {
        std::error_code ec;
        EXPECT_EQ(imagine::probe_image(bytes, ec), image_info{});
        EXPECT_EQ(ec, image_error::not_an_image) << bytes;
    }
}

TEST(ProbeImage, MalformedHeaders)
{
    const std::string png = make_png({2, 2, 2, 8, ""});
    const std::size_t after_ihdr = 33;
    const jpeg_sample jpeg = make_jpeg(8, 8, false);
    const std::size_t sof = jpeg.header_size - 13; // FF C0, Lf, P, Y, X, Nf, 3 bytes
    const std::string lossy = riff(vp8_chunk(8, 8));
    const std::string lossless = riff(vp8l_chunk(8, 8, false));
    const std::string extended = riff(vp8x_chunk(8, 8, false) + vp8_chunk(8, 8));

    const struct {
        const char* what;
        std::string bytes;
    } cases[] = {
        {"PNG IHDR length 12", replaced(png, 8, be32(12))},
        {"PNG first chunk not IHDR", replaced(png, 12, "IHDX")},
        {"PNG width 0", replaced(png, 16, be32(0))},
        {"PNG height 2^31", replaced(png, 20, be32(0x80000000u))},
        {"PNG colour type 5", replaced(png, 25, "\x05")},
        {"PNG RGB with 4-bit depth", replaced(png, 24, "\x04")},
        {"PNG palette with 16-bit depth", replaced(png, 24, std::string("\x10\x03", 2))},
        {"PNG compression method 1", replaced(png, 26, "\x01")},
        {"PNG filter method 1", replaced(png, 27, "\x01")},
        {"PNG interlace method 2", replaced(png, 28, "\x02")},
        {"PNG IEND before IDAT", png.substr(0, after_ihdr) + png_chunk("IEND", "")},
        {"PNG second IHDR", png.substr(0, after_ihdr) + png.substr(8, 25) + png.substr(33)},
        {"PNG chunk type with a digit",
         png.substr(0, after_ihdr) + png_chunk("tEX1", "") + png.substr(after_ihdr)},
        {"PNG chunk length 2^31", png.substr(0, after_ihdr) + be32(0x80000000u) + "tEXt"},
        {"JPEG bytes between segments", jpeg.bytes.substr(0, 71) + "x" + jpeg.bytes.substr(71)},
        {"JPEG stuffed zero as marker",
         "\xff\xd8" + std::string("\xff\x00", 2) + jpeg.bytes.substr(2)},
        {"JPEG SOI twice", "\xff\xd8" + jpeg.bytes},
        {"JPEG EOI before frame", std::string("\xff\xd8\xff\xd9")},
        {"JPEG scan before frame",
         jpeg.bytes.substr(0, sof) + jpeg_segment(0xda, "\x01") + jpeg.bytes.substr(sof)},
        {"JPEG segment length 1",
         jpeg.bytes.substr(0, 2) + "\xff\xe0" + be16(1) + jpeg.bytes.substr(2)},
        {"JPEG frame with no component", replaced(jpeg.bytes, sof + 2, be16(8)).substr(0, sof + 9) +
                                             std::string(1, '\0') + "\xff\xd9"},
        {"JPEG frame length mismatch", replaced(jpeg.bytes, sof + 2, be16(12))},
        {"JPEG width 0", replaced(jpeg.bytes, sof + 7, be16(0))},
        {"JPEG height 0 (DNL)", replaced(jpeg.bytes, sof + 5, be16(0))},
        {"WebP unknown first chunk", riff(webp_chunk("ALPH", "abcdefghij"))},
        {"WebP RIFF size smaller than the chunk", replaced(lossy, 4, le32(10))},
        {"VP8 chunk too small",
         riff(webp_chunk("VP8 ", std::string_view("\x30\x01\x00\x9d\x01\x2a\x01", 7)))},
        {"VP8 not a key frame", replaced(lossy, 20, "\x31")},
        {"VP8 version 4", replaced(lossy, 20, "\x38")},
        {"VP8 frame not shown", replaced(lossy, 20, "\x20")},
        {"VP8 first partition beyond the chunk", replaced(lossy, 20, std::string("\xf0\x02", 2))},
        {"VP8 bad start code", replaced(lossy, 23, "\x9d\x01\x2b")},
        {"VP8 width 0", replaced(lossy, 26, le16(0xc000))},
        {"VP8 height 0", replaced(lossy, 28, le16(0x4000))},
        {"VP8L bad signature", replaced(lossless, 20, "\x2e")},
        {"VP8L version 1", replaced(lossless, 24, "\x20")},
        {"VP8L chunk too small", riff(webp_chunk("VP8L", std::string_view("\x2f\0\0\0", 4)))},
        {"VP8X chunk size 12", riff(webp_chunk("VP8X", std::string(12, '\0')))},
        {"VP8X canvas over 2^32 pixels", riff(vp8x_chunk(1 << 24, 1 << 24, false))},
    };
    for (const auto& c : cases) {
        std::error_code ec;
        EXPECT_EQ(imagine::probe_image(c.bytes, ec), image_info{}) << c.what;
        EXPECT_EQ(ec, image_error::malformed) << c.what << ": " << ec.message();
    }
    // The mutations above change nothing but the field they name.
    std::error_code ec;
    EXPECT_EQ(imagine::probe_image(extended, ec), (image_info{image_format::webp, 8, 8, false}));
    EXPECT_FALSE(ec);
}

TEST(ProbeImage, RandomMutationsNeverReadOutOfBounds)
{
    // The sanitizers watch; the result only has to be self-consistent.
    std::mt19937 rng(7);
    for (const sample& s : samples()) {
        for (int round = 0; round < 300; ++round) {
            std::string bytes = s.bytes.substr(0, rng() % (s.bytes.size() + 1));
            for (int k = 0, edits = 1 + static_cast<int>(rng() % 4); k < edits && !bytes.empty();
                 ++k)
                bytes[rng() % bytes.size()] = static_cast<char>(rng());
            std::error_code ec;
            const image_info info = imagine::probe_image(bytes, ec);
            if (ec) {
                EXPECT_EQ(info, image_info{});
                EXPECT_EQ(ec.category(), imagine::image_category());
            } else {
                EXPECT_NE(info.format, image_format::unknown);
                EXPECT_EQ(info.format, imagine::sniff_image_format(bytes));
                EXPECT_GT(info.width, 0u);
                EXPECT_GT(info.height, 0u);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Files

TEST(ProbeImageFile, SamplesAndTheirTruncations)
{
    imagine::test::temp_dir dir;
    for (const sample& s : samples()) {
        std::error_code ec;
        EXPECT_EQ(imagine::probe_image_file(dir.write(s.name, s.bytes), ec), s.expected) << s.name;
        EXPECT_FALSE(ec) << s.name << ": " << ec.message();
        for (std::size_t n = 1; n < s.header_size; ++n) {
            imagine::probe_image_file(dir.write("cut", s.bytes.substr(0, n)), ec);
            EXPECT_EQ(ec, image_error::truncated) << s.name << " cut to " << n << " bytes";
        }
    }
}

// The file reader's window at its smallest, so reads straddle its edges.
TEST(ProbeImageFile, SmallWindow)
{
    imagine::test::temp_dir dir;
    for (const sample& s : samples()) {
        for (const std::size_t n : {s.header_size - 1, s.header_size, s.bytes.size()}) {
            const auto file = dir.write("image", s.bytes.substr(0, n));
            const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
            ASSERT_GE(fd, 0);
            imagine::detail::fd_source source(fd, 32);
            std::error_code ec;
            const image_info info = imagine::detail::probe_source(source, ec);
            ::close(fd);
            std::error_code memory_ec;
            EXPECT_EQ(info, imagine::probe_image(s.bytes.substr(0, n), memory_ec)) << s.name;
            EXPECT_EQ(ec, memory_ec) << s.name << " cut to " << n << " bytes";
        }
    }
}

TEST(ProbeImageFile, Errors)
{
    imagine::test::temp_dir dir;
    std::error_code ec;
    EXPECT_EQ(imagine::probe_image_file(dir.path() / "missing.png", ec), image_info{});
    EXPECT_EQ(ec, std::errc::no_such_file_or_directory);
    imagine::probe_image_file(dir.path(), ec);
    EXPECT_EQ(ec, std::errc::is_a_directory);
    imagine::probe_image_file(dir.write("empty", ""), ec);
    EXPECT_EQ(ec, image_error::not_an_image);
    imagine::probe_image_file(dir.write("text", "just some text, long enough"), ec);
    EXPECT_EQ(ec, image_error::not_an_image);
    imagine::probe_image_file(
        dir.write("bad.png", replaced(make_png({1, 1, 2, 8, ""}), 25, "\x07")), ec);
    EXPECT_EQ(ec, image_error::malformed);
}

// A 2 GiB chunk before IDAT in a sparse file: found by seeking over it. A probe that read
// (or loaded) the file would take many seconds and gigabytes instead.
TEST(ProbeImageFile, SkipsAHugeChunkWithoutReadingIt)
{
    imagine::test::temp_dir dir;
    const std::string png = make_png({300, 200, 0, 8, ""});
    const std::uint32_t huge = 0x7ffffff0u;
    const auto file = dir.path() / "huge.png";
    {
        std::ofstream out(file, std::ios::binary);
        out << png.substr(0, 33) << be32(huge) << "zzTz";
    }
    std::filesystem::resize_file(file, 33 + 8 + std::uint64_t{huge} + 4); // sparse: a hole
    {
        std::ofstream out(file, std::ios::binary | std::ios::app);
        out << png_chunk("tRNS", be16(0)) << png.substr(33);
    }
    std::error_code ec;
    EXPECT_EQ(imagine::probe_image_file(file, ec), (image_info{image_format::png, 300, 200, true}));
    EXPECT_FALSE(ec) << ec.message();

    // Cut inside the hole: the next chunk head is missing.
    std::filesystem::resize_file(file, 33 + 8 + huge / 2);
    imagine::probe_image_file(file, ec);
    EXPECT_EQ(ec, image_error::truncated);
}

TEST(ProbeImageFile, JpegWithManyLargeSegments)
{
    imagine::test::temp_dir dir;
    std::string segments;
    for (int i = 0; i < 64; ++i) // 64 x 64 KiB of APP2 (ICC profile pieces, say)
        segments += jpeg_segment(0xe2, std::string(65533, static_cast<char>(0xff - i)));
    const jpeg_sample j = make_jpeg(4000, 3000, true, segments);
    std::error_code ec;
    EXPECT_EQ(imagine::probe_image_file(dir.write("big.jpg", j.bytes), ec),
              (image_info{image_format::jpeg, 4000, 3000, false}));
    EXPECT_FALSE(ec) << ec.message();
    EXPECT_EQ(imagine::probe_image(j.bytes, ec),
              (image_info{image_format::jpeg, 4000, 3000, false}));

    imagine::probe_image_file(dir.write("cut.jpg", j.bytes.substr(0, 40 * 65537)), ec);
    EXPECT_EQ(ec, image_error::truncated);
}

} // namespace
