#pragma once

// What kind of image a byte string or a file holds, and how large it is, read from the
// headers alone (PNG, JPEG, WebP: what the Images API returns).
//
// The bytes are untrusted (a server's answer, a user's file), so the parsers are strict:
// every length is checked against what is there before it is used, a header that ends
// early is image_error::truncated, one that breaks its format's rules is
// image_error::malformed, and nothing is ever read outside the input.
//
// "The header" of each format, all of which must be present for a probe to succeed:
//   PNG   the signature, IHDR, and every chunk up to the 8-byte head of the first IDAT
//         (a tRNS chunk gives transparency, and it may come anywhere before IDAT)
//   JPEG  every segment up to the end of the first frame header (SOF0..SOF15 except
//         DHT C4, JPG C8 and DAC CC); APPn (EXIF thumbnails included) and COM segments
//         before it are skipped by their length
//   WebP  the RIFF header and the first chunk's fixed fields (VP8, VP8L or VP8X)

#include <imagine/util/image_error.hpp>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <system_error>

#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

namespace imagine {

enum class image_format { unknown, png, jpeg, webp };

/// "image/png", "image/jpeg", "image/webp"; "" for unknown.
constexpr std::string_view mime_type(image_format format) noexcept
{
    switch (format) {
    case image_format::png:
        return "image/png";
    case image_format::jpeg:
        return "image/jpeg";
    case image_format::webp:
        return "image/webp";
    case image_format::unknown:
        break;
    }
    return "";
}

/// ".png", ".jpg", ".webp"; "" for unknown.
constexpr std::string_view file_extension(image_format format) noexcept
{
    switch (format) {
    case image_format::png:
        return ".png";
    case image_format::jpeg:
        return ".jpg";
    case image_format::webp:
        return ".webp";
    case image_format::unknown:
        break;
    }
    return "";
}

/// "png", "jpeg", "webp", "unknown".
constexpr std::string_view to_string(image_format format) noexcept
{
    switch (format) {
    case image_format::png:
        return "png";
    case image_format::jpeg:
        return "jpeg";
    case image_format::webp:
        return "webp";
    case image_format::unknown:
        break;
    }
    return "unknown";
}

struct image_info {
    image_format format{};
    std::uint32_t width{};
    std::uint32_t height{};
    /// PNG: colour type 4 or 6, or a tRNS chunk before IDAT. WebP: the VP8X alpha flag
    /// or the VP8L alpha hint. JPEG: always false.
    bool has_alpha{};

    friend bool operator==(const image_info&, const image_info&) = default;
};

namespace detail {

constexpr std::string_view png_signature{"\x89PNG\r\n\x1a\n", 8};
constexpr std::string_view jpeg_signature{"\xff\xd8\xff", 3};
constexpr std::size_t webp_signature_size = 12; // "RIFF" size32 "WEBP"

/// The format whose magic bytes begin `bytes`, or unknown.
constexpr image_format sniff_magic(std::string_view bytes) noexcept
{
    if (bytes.substr(0, png_signature.size()) == png_signature)
        return image_format::png;
    if (bytes.substr(0, jpeg_signature.size()) == jpeg_signature)
        return image_format::jpeg;
    if (bytes.size() >= webp_signature_size && bytes.substr(0, 4) == "RIFF" &&
        bytes.substr(8, 4) == "WEBP")
        return image_format::webp;
    return image_format::unknown;
}

/// True when `bytes` is non-empty and shorter than some signature it could still become,
/// i.e. the input was cut inside the magic bytes.
constexpr bool is_magic_prefix(std::string_view bytes) noexcept
{
    if (bytes.empty())
        return false;
    if (bytes.size() < png_signature.size() && png_signature.substr(0, bytes.size()) == bytes)
        return true;
    if (bytes.size() < jpeg_signature.size() && jpeg_signature.substr(0, bytes.size()) == bytes)
        return true;
    if (bytes.size() < webp_signature_size) {
        constexpr std::string_view riff = "RIFF";
        constexpr std::string_view webp = "WEBP";
        const std::string_view head = bytes.substr(0, 4);
        if (riff.substr(0, head.size()) != head)
            return false;
        if (bytes.size() <= 8)
            return true;
        const std::string_view tail = bytes.substr(8);
        return webp.substr(0, tail.size()) == tail;
    }
    return false;
}

inline std::uint32_t load_be16(const unsigned char* p) noexcept
{
    return std::uint32_t{p[0]} << 8 | p[1];
}

inline std::uint32_t load_be32(const unsigned char* p) noexcept
{
    return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

inline std::uint32_t load_le16(const unsigned char* p) noexcept
{
    return std::uint32_t{p[1]} << 8 | p[0];
}

inline std::uint32_t load_le24(const unsigned char* p) noexcept
{
    return std::uint32_t{p[2]} << 16 | std::uint32_t{p[1]} << 8 | p[0];
}

inline std::uint32_t load_le32(const unsigned char* p) noexcept
{
    return std::uint32_t{p[3]} << 24 | load_le24(p);
}

/// Bytes held in memory. read() copies what exists of [offset, offset + n).
struct memory_source {
    std::string_view bytes;

    std::size_t read(std::uint64_t offset, std::size_t n, unsigned char* out,
                     std::error_code&) const noexcept
    {
        if (offset >= bytes.size())
            return 0;
        const std::size_t available = bytes.size() - static_cast<std::size_t>(offset);
        const std::size_t count = n < available ? n : available;
        std::memcpy(out, bytes.data() + offset, count);
        return count;
    }
};

/// An open file read with pread through a small window, so that the byte-by-byte walk
/// over JPEG markers costs one system call per window, and skipping a large chunk or
/// segment costs nothing (the next read simply starts further on).
class fd_source {
public:
    static constexpr std::size_t window_size = 4096;
    static constexpr std::size_t largest_read = 32; // the probes read at most 20 bytes at once

    /// `window` below window_size only makes the window's edges easier to reach (fuzzing).
    explicit fd_source(int fd, std::size_t window = window_size) noexcept
        : fd_(fd), window_(window < largest_read  ? largest_read
                           : window > window_size ? window_size
                                                  : window)
    {
    }

    /// Copies what exists of [offset, offset + n), n <= largest_read; a short count means
    /// the end of the file. A read error sets ec.
    std::size_t read(std::uint64_t offset, std::size_t n, unsigned char* out,
                     std::error_code& ec) noexcept
    {
        if (!(offset >= start_ && offset - start_ + n <= length_)) {
            if (!fill(offset, ec))
                return 0;
        }
        const std::size_t at = static_cast<std::size_t>(offset - start_);
        const std::size_t available = length_ > at ? length_ - at : 0;
        const std::size_t count = n < available ? n : available;
        std::memcpy(out, buffer_ + at, count);
        return count;
    }

private:
    bool fill(std::uint64_t offset, std::error_code& ec) noexcept
    {
        start_ = offset;
        length_ = 0;
        // An offset past what off_t can express is past the end of any file.
        if (offset > static_cast<std::uint64_t>(INT64_MAX - window_size))
            return true;
        while (length_ < window_) {
            const ssize_t got = ::pread(fd_, buffer_ + length_, window_ - length_,
                                        static_cast<off_t>(offset + length_));
            if (got < 0) {
                if (errno == EINTR)
                    continue;
                ec.assign(errno, std::generic_category());
                return false;
            }
            if (got == 0)
                break;
            length_ += static_cast<std::size_t>(got);
        }
        return true;
    }

    int fd_;
    std::size_t window_;
    std::uint64_t start_ = 0;
    std::size_t length_ = 0; // bytes of the file in buffer_, from offset start_
    unsigned char buffer_[window_size];
};

/// Reads exactly n bytes at offset; fewer available is image_error::truncated.
template <class Source>
bool read_exact(Source& source, std::uint64_t offset, std::size_t n, unsigned char* out,
                std::error_code& ec) noexcept
{
    const std::size_t got = source.read(offset, n, out, ec);
    if (ec)
        return false;
    if (got < n) {
        ec = image_error::truncated;
        return false;
    }
    return true;
}

inline image_info fail(std::error_code& ec, image_error e) noexcept
{
    ec = e;
    return {};
}

inline bool png_depth_valid(unsigned colour_type, unsigned depth) noexcept
{
    switch (colour_type) {
    case 0:
        return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 3:
        return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 2:
    case 4:
    case 6:
        return depth == 8 || depth == 16;
    default:
        return false;
    }
}

template <class Source>
image_info probe_png(Source& source, std::error_code& ec) noexcept
{
    // Signature, IHDR's length and type, IHDR's 13 data bytes.
    unsigned char h[8 + 8 + 13];
    if (!read_exact(source, 0, sizeof h, h, ec))
        return {};
    if (load_be32(h + 8) != 13 || std::memcmp(h + 12, "IHDR", 4) != 0)
        return fail(ec, image_error::malformed);
    const std::uint32_t width = load_be32(h + 16);
    const std::uint32_t height = load_be32(h + 20);
    const unsigned depth = h[24];
    const unsigned colour_type = h[25];
    if (width == 0 || height == 0 || width > 0x7fffffffu || height > 0x7fffffffu ||
        !png_depth_valid(colour_type, depth) || h[26] != 0 || h[27] != 0 || h[28] > 1)
        return fail(ec, image_error::malformed);

    image_info info{image_format::png, width, height, colour_type == 4 || colour_type == 6};
    // Walk the chunk heads (skipping their data) to the first IDAT: a tRNS chunk, which
    // gives a grey, RGB or palette image transparency, may come anywhere before it.
    std::uint64_t at = sizeof h + 4; // after IHDR's CRC
    for (;;) {
        unsigned char c[8];
        if (!read_exact(source, at, sizeof c, c, ec))
            return {};
        const std::uint32_t length = load_be32(c);
        if (length > 0x7fffffffu)
            return fail(ec, image_error::malformed);
        for (int i = 4; i < 8; ++i) {
            const unsigned char letter = static_cast<unsigned char>(c[i] | 0x20);
            if (letter < 'a' || letter > 'z')
                return fail(ec, image_error::malformed);
        }
        const std::string_view type(reinterpret_cast<const char*>(c + 4), 4);
        if (type == "IDAT")
            return info;
        if (type == "IEND" || type == "IHDR")
            return fail(ec, image_error::malformed);
        if (type == "tRNS")
            info.has_alpha = true;
        at += 12 + std::uint64_t{length}; // length, type, data, CRC
    }
}

/// SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
constexpr bool is_jpeg_frame_marker(unsigned marker) noexcept
{
    return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
}

template <class Source>
image_info probe_jpeg(Source& source, std::error_code& ec) noexcept
{
    std::uint64_t at = 2; // after SOI
    for (;;) {
        unsigned char byte;
        if (!read_exact(source, at++, 1, &byte, ec))
            return {};
        if (byte != 0xff)
            return fail(ec, image_error::malformed); // only markers between segments
        do { // any number of 0xFF fill bytes may precede a marker
            if (!read_exact(source, at++, 1, &byte, ec))
                return {};
        } while (byte == 0xff);
        const unsigned marker = byte;

        if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
            continue; // TEM, RSTn: standalone, no length
        // 00 is a stuffed byte (only inside entropy-coded data); a second SOI, an EOI
        // or a scan before any frame header means there is no frame to describe.
        if (marker == 0x00 || marker == 0xd8 || marker == 0xd9 || marker == 0xda)
            return fail(ec, image_error::malformed);

        unsigned char s[8];
        if (!read_exact(source, at, 2, s, ec))
            return {};
        const std::uint32_t length = load_be16(s); // counts itself, not the marker
        if (length < 2)
            return fail(ec, image_error::malformed);
        if (is_jpeg_frame_marker(marker)) {
            // Lf, P, Y, X, Nf, then Nf three-byte component specifications.
            if (!read_exact(source, at, sizeof s, s, ec))
                return {};
            const std::uint32_t height = load_be16(s + 3);
            const std::uint32_t width = load_be16(s + 5);
            const unsigned components = s[7];
            // Height 0 means "given later by a DNL marker": no size to report here.
            if (components == 0 || length != 8 + 3 * components || width == 0 || height == 0)
                return fail(ec, image_error::malformed);
            unsigned char last; // the whole frame header must be there
            if (!read_exact(source, at + length - 1, 1, &last, ec))
                return {};
            return {image_format::jpeg, width, height, false};
        }
        at += length;
    }
}

template <class Source>
image_info probe_webp(Source& source, std::error_code& ec) noexcept
{
    // "RIFF" size "WEBP", then the first chunk's FourCC and size.
    unsigned char h[20];
    if (!read_exact(source, 0, sizeof h, h, ec))
        return {};
    const std::uint64_t riff_size = load_le32(h + 4);
    const std::uint32_t chunk_size = load_le32(h + 16);
    if (riff_size < 4 + 8 + std::uint64_t{chunk_size}) // "WEBP" + chunk head + data
        return fail(ec, image_error::malformed);
    const std::string_view fourcc(reinterpret_cast<const char*>(h + 12), 4);
    unsigned char d[10];

    if (fourcc == "VP8 ") {
        // Frame tag (key frame, version <= 3, shown, first partition inside the chunk),
        // start code 9D 01 2A, then 14-bit width and height, each with 2 scale bits.
        if (chunk_size < sizeof d)
            return fail(ec, image_error::malformed);
        if (!read_exact(source, sizeof h, sizeof d, d, ec))
            return {};
        const std::uint32_t tag = load_le24(d);
        const bool key_frame = (tag & 1) == 0;
        const unsigned version = (tag >> 1) & 7;
        const bool shown = ((tag >> 4) & 1) != 0;
        if (!key_frame || version > 3 || !shown || (tag >> 5) >= chunk_size || d[3] != 0x9d ||
            d[4] != 0x01 || d[5] != 0x2a)
            return fail(ec, image_error::malformed);
        const std::uint32_t width = load_le16(d + 6) & 0x3fff;
        const std::uint32_t height = load_le16(d + 8) & 0x3fff;
        if (width == 0 || height == 0)
            return fail(ec, image_error::malformed);
        return {image_format::webp, width, height, false};
    }
    if (fourcc == "VP8L") {
        // Signature 0x2F, then width-1 and height-1 (14 bits each), the alpha hint bit
        // and a 3-bit version that must be 0.
        if (chunk_size < 5)
            return fail(ec, image_error::malformed);
        if (!read_exact(source, sizeof h, 5, d, ec))
            return {};
        const std::uint32_t bits = load_le32(d + 1);
        if (d[0] != 0x2f || (bits >> 29) != 0)
            return fail(ec, image_error::malformed);
        return {image_format::webp, (bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1,
                ((bits >> 28) & 1) != 0};
    }
    if (fourcc == "VP8X") {
        // Flags, 3 reserved bytes, canvas width-1 and height-1 (24 bits each).
        if (chunk_size != sizeof d)
            return fail(ec, image_error::malformed);
        if (!read_exact(source, sizeof h, sizeof d, d, ec))
            return {};
        const std::uint32_t width = load_le24(d + 4) + 1;
        const std::uint32_t height = load_le24(d + 7) + 1;
        // The container caps the canvas at 2^32 - 1 pixels.
        if (std::uint64_t{width} * height > 0xffffffffu)
            return fail(ec, image_error::malformed);
        return {image_format::webp, width, height, (d[0] & 0x10) != 0};
    }
    return fail(ec, image_error::malformed); // a WebP file starts with one of those three
}

template <class Source>
image_info probe_source(Source& source, std::error_code& ec) noexcept
{
    ec.clear();
    unsigned char magic[webp_signature_size];
    const std::size_t got = source.read(0, sizeof magic, magic, ec);
    if (ec)
        return {};
    const std::string_view head(reinterpret_cast<const char*>(magic), got);
    switch (sniff_magic(head)) {
    case image_format::png:
        return probe_png(source, ec);
    case image_format::jpeg:
        return probe_jpeg(source, ec);
    case image_format::webp:
        return probe_webp(source, ec);
    case image_format::unknown:
        break;
    }
    return fail(ec, is_magic_prefix(head) ? image_error::truncated : image_error::not_an_image);
}

/// probe_image on an open file descriptor (read with pread: its offset is not moved).
inline image_info probe_image_fd(int fd, std::error_code& ec) noexcept
{
    fd_source source(fd);
    return probe_source(source, ec);
}

} // namespace detail

/// The format named by the magic bytes at the start of `bytes` (nothing else is checked).
inline image_format sniff_image_format(std::string_view bytes) noexcept
{
    return detail::sniff_magic(bytes);
}

/// Format, size and transparency from the headers of an image held in memory. On error
/// returns {} and sets ec: image_error::not_an_image, truncated or malformed.
inline image_info probe_image(std::string_view bytes, std::error_code& ec) noexcept
{
    detail::memory_source source{bytes};
    return detail::probe_source(source, ec);
}

/// probe_image for a file, reading only the headers: small reads, and large chunks or
/// segments are skipped by offset, never read. On error returns {} and sets ec: the
/// system error of open or read, else an image_error as for probe_image.
inline image_info probe_image_file(const std::filesystem::path& path, std::error_code& ec)
{
    ec.clear();
    // O_NONBLOCK: opening a FIFO must not wait for a writer (pread on it then fails).
    int fd;
    do {
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        ec.assign(errno, std::generic_category());
        return {};
    }
    const image_info info = detail::probe_image_fd(fd, ec);
    ::close(fd);
    return info;
}

} // namespace imagine
