#include <imagine/util/save_image.hpp>

#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using imagine::image_error;
using imagine::image_format;
using imagine::save_options;
using imagine::saved_image;
using imagine::test::read_text_file;
using imagine::test::temp_dir;

// ---------------------------------------------------------------------------------------
// Images. util_image_info_test.cpp checks the probe on many shapes; here a few real ones
// are enough, and a PNG can be made any size with an ancillary chunk before or after IDAT.

std::string be32(std::uint32_t v)
{
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
            static_cast<char>(v)};
}

std::string png_chunk(std::string_view type, std::string_view data)
{
    std::string typed = std::string(type) + std::string(data);
    std::uint32_t crc = 0xffffffffu;
    for (const char c : typed) {
        crc ^= static_cast<unsigned char>(c);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
    return be32(static_cast<std::uint32_t>(data.size())) + typed + be32(~crc);
}

/// A 1x1 RGBA PNG, width and height patched in (the pixel data does not follow them: the
/// probe reads headers only). `before_idat` / `after_idat` chunks pad it to any size.
std::string make_png(std::uint32_t width, std::uint32_t height, std::string_view before_idat = {},
                     std::string_view after_idat = {})
{
    const std::string ihdr = be32(width) + be32(height) + std::string("\x08\x06\x00\x00\x00", 5);
    // zlib, one stored block: filter byte 0 and four zero bytes, then the Adler-32.
    const std::string idat("\x78\x01\x01\x05\x00\xfa\xff\x00\x00\x00\x00\x00\x00\x05\x00\x01", 16);
    return "\x89PNG\r\n\x1a\n" + png_chunk("IHDR", ihdr) + std::string(before_idat) +
           png_chunk("IDAT", idat) + std::string(after_idat) + png_chunk("IEND", "");
}

/// An ancillary chunk of `size` pseudo-random bytes.
std::string filler_chunk(std::size_t size)
{
    std::string data(size, '\0');
    std::mt19937 rng(42);
    for (char& c : data)
        c = static_cast<char>(rng());
    return png_chunk("ziPz", data);
}

// An 8x8 grey baseline JPEG (one zero block) and a 1x1 lossy WebP (Google's WebP FAQ).
std::string make_jpeg()
{
    using namespace std::string_literals;
    std::string j = "\xff\xd8"s;
    j += "\xff\xdb\x00\x43\x00"s + std::string(64, '\x01');
    j += "\xff\xc4\x00\x14\x00\x01"s + std::string(15, '\0') + '\0';
    j += "\xff\xc4\x00\x14\x10\x01"s + std::string(15, '\0') + '\0';
    j += "\xff\xc0\x00\x0b\x08\x00\x08\x00\x08\x01\x01\x11\x00"s;
    j += "\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00\x3f\xff\xd9"s;
    return j;
}

std::string make_webp()
{
    using namespace std::string_literals;
    return "RIFF\x22\x00\x00\x00WEBPVP8 \x16\x00\x00\x00\x30\x01\x00\x9d\x01\x2a\x01\x00\x01\x00"
           "\x0e\xc0\xfe\x25\xa4\x00\x03\x70\x00\x00\x00\x00"s;
}

std::vector<std::string> names_in(const fs::path& dir)
{
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

using names = std::vector<std::string>;

/// Sets (or unsets, with nullopt) an environment variable for one scope.
class scoped_env {
public:
    scoped_env(const char* name, std::optional<std::string> value) : name_(name)
    {
        if (const char* old = std::getenv(name))
            old_ = old;
        set(value);
    }
    scoped_env(const scoped_env&) = delete;
    scoped_env& operator=(const scoped_env&) = delete;
    ~scoped_env() { set(old_); }

private:
    void set(const std::optional<std::string>& value)
    {
        if (value)
            ::setenv(name_, value->c_str(), 1);
        else
            ::unsetenv(name_);
    }

    const char* name_;
    std::optional<std::string> old_;
};

const save_options defaults{};
const save_options overwrite{.overwrite = true, .check_extension = true, .use_image_path = true};
const save_options as_given{.overwrite = false, .check_extension = false, .use_image_path = true};
const save_options no_image_path{
    .overwrite = false, .check_extension = true, .use_image_path = false};

// ---------------------------------------------------------------------------------------

TEST(SaveImage, BytesRoundTrip)
{
    temp_dir dir;
    const struct {
        std::string bytes;
        const char* name;
        image_format format;
        std::uint32_t width, height;
    } cases[] = {
        {make_png(640, 480), "a.png", image_format::png, 640, 480},
        {make_jpeg(), "b.jpg", image_format::jpeg, 8, 8},
        {make_jpeg(), "c.JPEG", image_format::jpeg, 8, 8},
        {make_webp(), "d.WebP", image_format::webp, 1, 1},
        {make_png(1, 2), "e.PNG", image_format::png, 1, 2},
    };
    for (const auto& c : cases) {
        std::error_code ec = image_error::malformed; // cleared on success
        const saved_image saved =
            imagine::save_image_bytes(c.bytes, dir.path() / c.name, defaults, ec);
        ASSERT_FALSE(ec) << c.name << ": " << ec.message();
        EXPECT_EQ(saved.path, dir.path() / c.name);
        EXPECT_EQ(saved.format, c.format) << c.name;
        EXPECT_EQ(saved.size, c.bytes.size()) << c.name;
        EXPECT_EQ(saved.width, c.width) << c.name;
        EXPECT_EQ(saved.height, c.height) << c.name;
        EXPECT_EQ(read_text_file(saved.path), c.bytes) << c.name;
    }
    EXPECT_EQ(names_in(dir.path()), (names{"a.png", "b.jpg", "c.JPEG", "d.WebP", "e.PNG"}));
}

TEST(SaveImage, NewFilesGetTheUsualPermissions)
{
    temp_dir dir;
    const ::mode_t mask = ::umask(022);
    const saved_image saved = imagine::save_image_bytes(make_png(1, 1), dir.path() / "p.png");
    ::umask(mask);
    struct stat st {};
    ASSERT_EQ(::stat(saved.path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST(SaveImage, Base64RoundTrip)
{
    temp_dir dir;
    const std::string jpeg = make_jpeg();
    std::error_code ec;
    const saved_image saved = imagine::save_image_base64(imagine::base64::encode(jpeg),
                                                         dir.path() / "photo.jpeg", defaults, ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(saved.path, dir.path() / "photo.jpeg");
    EXPECT_EQ(saved.format, image_format::jpeg);
    EXPECT_EQ(saved.size, jpeg.size());
    EXPECT_EQ(saved.width, 8u);
    EXPECT_EQ(saved.height, 8u);
    EXPECT_EQ(read_text_file(saved.path), jpeg);
    EXPECT_EQ(names_in(dir.path()), names{"photo.jpeg"});
}

// Several 1 MiB pieces of base64. With the large chunk after IDAT the header is in the
// first piece; before IDAT it is not, and the size comes from the finished file.
TEST(SaveImage, LargeBase64InPieces)
{
    temp_dir dir;
    for (const bool before : {false, true}) {
        const std::string big = filler_chunk(3 * 1024 * 1024 + 5);
        const std::string png = before ? make_png(4096, 2048, big) : make_png(4096, 2048, {}, big);
        const std::string name = before ? "before.png" : "after.png";
        std::error_code ec;
        const saved_image saved = imagine::save_image_base64(imagine::base64::encode(png),
                                                             dir.path() / name, defaults, ec);
        ASSERT_FALSE(ec) << name << ": " << ec.message();
        EXPECT_EQ(saved.size, png.size());
        EXPECT_EQ(saved.width, 4096u);
        EXPECT_EQ(saved.height, 2048u);
        EXPECT_TRUE(read_text_file(saved.path) == png) << name;
    }
    EXPECT_EQ(names_in(dir.path()), (names{"after.png", "before.png"}));
}

TEST(SaveImage, ExtensionMismatchLeavesNothing)
{
    temp_dir dir;
    for (const char* name : {"x.jpg", "x.jpeg", "x.webp", "x.GIF", "x.avif"}) {
        std::error_code ec;
        EXPECT_EQ(imagine::save_image_bytes(make_png(2, 2), dir.path() / name, defaults, ec).path,
                  fs::path());
        EXPECT_EQ(ec, image_error::extension_mismatch) << name;
        imagine::save_image_base64(imagine::base64::encode(make_png(2, 2)), dir.path() / name,
                                   defaults, ec);
        EXPECT_EQ(ec, image_error::extension_mismatch) << name;
    }
    std::error_code ec;
    imagine::save_image_bytes(make_jpeg(), dir.path() / "y.png", defaults, ec);
    EXPECT_EQ(ec, image_error::extension_mismatch);
    imagine::save_image_bytes(make_webp(), dir.path() / "y.jpg", defaults, ec);
    EXPECT_EQ(ec, image_error::extension_mismatch);
    EXPECT_TRUE(names_in(dir.path()).empty());
}

TEST(SaveImage, ExtensionRules)
{
    temp_dir dir;
    const std::string png = make_png(3, 3);
    // No extension: the right one is appended. ".hidden" has none either.
    EXPECT_EQ(imagine::save_image_bytes(png, dir.path() / "picture").path,
              dir.path() / "picture.png");
    EXPECT_EQ(imagine::save_image_bytes(make_jpeg(), dir.path() / "shot").path,
              dir.path() / "shot.jpg");
    EXPECT_EQ(
        imagine::save_image_base64(imagine::base64::encode(make_webp()), dir.path() / ".hidden")
            .path,
        dir.path() / ".hidden.webp");
    // An extension that names no image format is kept.
    EXPECT_EQ(imagine::save_image_bytes(png, dir.path() / "data.bin").path,
              dir.path() / "data.bin");
    // check_extension = false: exactly the path given.
    EXPECT_EQ(imagine::save_image_bytes(png, dir.path() / "odd.jpg", as_given).path,
              dir.path() / "odd.jpg");
    EXPECT_EQ(imagine::save_image_bytes(png, dir.path() / "bare", as_given).path,
              dir.path() / "bare");
    EXPECT_EQ(names_in(dir.path()),
              (names{".hidden.webp", "bare", "data.bin", "odd.jpg", "picture.png", "shot.jpg"}));
}

TEST(SaveImage, ExistingFileIsKeptUnlessOverwrite)
{
    temp_dir dir;
    const fs::path target = dir.write("taken.png", "old content");
    const std::string png = make_png(5, 5);
    std::error_code ec;
    imagine::save_image_bytes(png, target, defaults, ec);
    EXPECT_EQ(ec, std::errc::file_exists);
    imagine::save_image_base64(imagine::base64::encode(png), target, defaults, ec);
    EXPECT_EQ(ec, std::errc::file_exists);
    // The name is checked after the extension is appended.
    imagine::save_image_bytes(png, dir.path() / "taken", defaults, ec);
    EXPECT_EQ(ec, std::errc::file_exists);
    EXPECT_EQ(read_text_file(target), "old content");
    EXPECT_EQ(names_in(dir.path()), names{"taken.png"});

    const saved_image saved = imagine::save_image_bytes(png, target, overwrite, ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(saved.path, target);
    EXPECT_EQ(read_text_file(target), png);
    const std::string another_png = make_png(6, 6);
    imagine::save_image_base64(imagine::base64::encode(another_png), target, overwrite, ec);
    EXPECT_FALSE(ec) << ec.message();
    EXPECT_EQ(read_text_file(target), another_png);
    EXPECT_EQ(names_in(dir.path()), names{"taken.png"});

    // A dangling symbolic link is a taken name too; a directory is never replaced.
    fs::create_symlink(dir.path() / "nowhere", dir.path() / "link.png");
    imagine::save_image_bytes(png, dir.path() / "link.png", defaults, ec);
    EXPECT_EQ(ec, std::errc::file_exists);
    fs::create_directory(dir.path() / "sub.png");
    imagine::save_image_bytes(png, dir.path() / "sub.png", overwrite, ec);
    EXPECT_EQ(ec, std::errc::is_a_directory);
    EXPECT_TRUE(names_in(dir.path() / "sub.png").empty());
    EXPECT_EQ(names_in(dir.path()), (names{"link.png", "sub.png", "taken.png"}));
}

TEST(SaveImage, ImagePathEnvironmentVariable)
{
    temp_dir dir;
    const std::string png = make_png(7, 7);
    {
        const scoped_env env("IMAGE_PATH", dir.path().string());
        EXPECT_EQ(imagine::resolve_image_path("a/b.png"), dir.path() / "a/b.png");
        EXPECT_EQ(imagine::resolve_image_path("/abs/b.png"), fs::path("/abs/b.png"));
        EXPECT_EQ(imagine::resolve_image_path("b.png", no_image_path), fs::path("b.png"));

        EXPECT_EQ(imagine::save_image_bytes(png, "rel.png").path, dir.path() / "rel.png");
        EXPECT_EQ(imagine::save_image_base64(imagine::base64::encode(png), "rel64").path,
                  dir.path() / "rel64.png");
        // Directories are not created.
        std::error_code ec;
        imagine::save_image_bytes(png, "missing/rel.png", defaults, ec);
        EXPECT_EQ(ec, std::errc::no_such_file_or_directory);
        // The throwing form names the path it could not write.
        try {
            imagine::save_image_bytes(png, "rel.png");
            ADD_FAILURE() << "no exception";
        } catch (const std::system_error& e) {
            EXPECT_EQ(e.code(), std::errc::file_exists);
            EXPECT_NE(std::string(e.what()).find((dir.path() / "rel.png").string()),
                      std::string::npos)
                << e.what();
        }
    }
    {
        const scoped_env env("IMAGE_PATH", std::string());
        EXPECT_EQ(imagine::resolve_image_path("b.png"), fs::path("b.png"));
    }
    {
        const scoped_env env("IMAGE_PATH", std::nullopt);
        EXPECT_EQ(imagine::resolve_image_path("b.png"), fs::path("b.png"));
    }
    EXPECT_EQ(names_in(dir.path()), (names{"rel.png", "rel64.png"}));
}

TEST(SaveImage, BadInputWritesNothing)
{
    temp_dir dir;
    const struct {
        const char* what;
        std::string bytes;
        std::error_code expected;
    } cases[] = {
        {"empty", "", image_error::not_an_image},
        {"text", "just some text", image_error::not_an_image},
        {"GIF", "GIF89a\x01\x00\x01\x00", image_error::not_an_image},
        {"cut PNG", make_png(2, 2).substr(0, 20), image_error::truncated},
        {"bad IHDR", make_png(0, 2), image_error::malformed},
    };
    for (const auto& c : cases) {
        std::error_code ec;
        imagine::save_image_bytes(c.bytes, dir.path() / "out", defaults, ec);
        EXPECT_EQ(ec, c.expected) << c.what;
        imagine::save_image_base64(imagine::base64::encode(c.bytes), dir.path() / "out", defaults,
                                   ec);
        EXPECT_EQ(ec, c.expected) << c.what;
    }
    std::error_code ec;
    for (const char* path : {"", "dir/", "..", "."}) {
        imagine::save_image_bytes(make_png(1, 1), path, no_image_path, ec);
        EXPECT_EQ(ec, std::errc::invalid_argument) << path;
    }
    EXPECT_THROW(imagine::save_image_bytes("nope", dir.path() / "x"), std::system_error);
    EXPECT_TRUE(names_in(dir.path()).empty());
}

TEST(SaveImage, InvalidBase64LeavesNoFile)
{
    temp_dir dir;
    const std::string png = make_png(9, 9, {}, filler_chunk(4 * 1024 * 1024));
    const std::string good = imagine::base64::encode(png);
    namespace b64 = imagine::base64;

    std::string middle = good; // past the first piece: the temporary file exists by then
    middle[good.size() / 2] = '*';
    std::string early = good; // inside the first piece
    early[100] = '\n';
    std::string padded = good.substr(0, good.size() - good.size() % 4 - 4) + "A===";
    const struct {
        const char* what;
        std::string text;
        std::error_code expected;
    } cases[] = {
        {"middle", middle, b64::errc::invalid_character},
        {"early", early, b64::errc::invalid_character},
        {"cut", good.substr(0, good.size() - 1), b64::errc::truncated_input},
        {"bad padding", padded, b64::errc::invalid_padding},
        {"cut small", b64::encode(make_png(1, 1)).substr(0, 30), b64::errc::truncated_input},
    };
    for (const auto& c : cases) {
        std::error_code ec;
        const saved_image saved =
            imagine::save_image_base64(c.text, dir.path() / "img.png", defaults, ec);
        EXPECT_EQ(ec, c.expected) << c.what << ": " << ec.message();
        EXPECT_EQ(saved.path, fs::path()) << c.what;
        EXPECT_TRUE(names_in(dir.path()).empty()) << c.what;
    }
}

/// Runs `body` in a child process with a 64 KiB file size limit and SIGXFSZ ignored, so
/// writes past it fail with EFBIG; returns the child's exit status.
template <class Body>
int with_file_size_limit(Body body)
{
    const pid_t pid = ::fork();
    if (pid == 0) {
        std::signal(SIGXFSZ, SIG_IGN);
        const struct rlimit limit {
            64 * 1024, 64 * 1024
        };
        if (::setrlimit(RLIMIT_FSIZE, &limit) != 0)
            ::_exit(100);
        ::_exit(body());
    }
    int status = 0;
    if (pid < 0 || ::waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

TEST(SaveImage, WriteFailureLeavesNoFile)
{
    temp_dir dir;
    const std::string png = make_png(10, 10, {}, filler_chunk(1024 * 1024));
    const fs::path target = dir.path() / "big.png";
    // 0: failed with EFBIG as expected; 1: another error; 2: no error.
    auto outcome = [](const std::error_code& ec) {
        return ec == std::errc::file_too_large ? 0 : ec ? 1 : 2;
    };
    EXPECT_EQ(with_file_size_limit([&] {
                  std::error_code ec;
                  imagine::save_image_bytes(png, target, defaults, ec);
                  return outcome(ec);
              }),
              0);
    EXPECT_TRUE(names_in(dir.path()).empty());
    EXPECT_EQ(with_file_size_limit([&] {
                  std::error_code ec;
                  imagine::save_image_base64(imagine::base64::encode(png), target, defaults, ec);
                  return outcome(ec);
              }),
              0);
    EXPECT_TRUE(names_in(dir.path()).empty());

    // With overwrite an existing file stays as it was.
    dir.write("big.png", "previous");
    EXPECT_EQ(with_file_size_limit([&] {
                  std::error_code ec;
                  imagine::save_image_bytes(png, target, overwrite, ec);
                  return outcome(ec);
              }),
              0);
    EXPECT_EQ(names_in(dir.path()), names{"big.png"});
    EXPECT_EQ(read_text_file(target), "previous");

    // Under the limit the same call succeeds (the child really could write).
    EXPECT_EQ(with_file_size_limit([&] {
                  std::error_code ec;
                  imagine::save_image_bytes(make_png(1, 1), dir.path() / "small.png", defaults, ec);
                  return outcome(ec);
              }),
              2);
    EXPECT_EQ(names_in(dir.path()), (names{"big.png", "small.png"}));
}

} // namespace
