#pragma once

// Saving an image to a file, all or nothing: the synchronous core under imagine's
// save_image. POSIX only.
//
// The format is read from the bytes (and the path's extension checked against it)
// before anything is created. The bytes then go to a temporary file in the target's
// directory (".<name>.XXXXXX.tmp", created with O_EXCL), which is flushed with fsync and
// only then published under the target name: with rename() when overwriting, else with
// renameat2(RENAME_NOREPLACE), or link() + unlink() where the file system lacks it, so
// an existing file is never replaced. The directory is flushed last. Whatever fails
// (bad base64 half-way through, a full disk, a file size limit, a name taken meanwhile)
// the temporary file is removed and the target is left as it was.
//
// Errors (std::error_code): the system errors of the file operations (std::errc::
// file_exists for a name that is taken, ENOENT for a missing directory: directories are
// not created); image_error::not_an_image, truncated, malformed (from the probe) and
// extension_mismatch; base64::errc for invalid base64; std::errc::invalid_argument for
// a path that names no file ("", "dir/", "..").

#include <imagine/base64.hpp>
#include <imagine/util/image_error.hpp>
#include <imagine/util/image_info.hpp>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

namespace imagine {

struct save_options {
    /// An existing file is replaced only when true; otherwise std::errc::file_exists.
    bool overwrite = false;
    /// When the path's extension is a known image extension of another format (".jpg"
    /// and ".jpeg" both mean JPEG; case-insensitive): image_error::extension_mismatch.
    /// A path without extension gets the format's one (file_extension()) appended.
    /// When false the path is used exactly as given.
    bool check_extension = true;
    /// A relative path is resolved against $IMAGE_PATH when that is set and non-empty.
    bool use_image_path = true;
};

struct saved_image {
    std::filesystem::path path; ///< where the file is now (after $IMAGE_PATH, extension)
    image_format format{};
    std::uint64_t size{}; ///< bytes written
    std::uint32_t width{};
    std::uint32_t height{};
};

/// `path` with $IMAGE_PATH in front when options.use_image_path, the path is relative,
/// and the variable is set and non-empty; else `path` unchanged. No extension handling.
inline std::filesystem::path resolve_image_path(const std::filesystem::path& path,
                                                const save_options& options = {})
{
    if (options.use_image_path && path.is_relative()) {
        const char* dir = std::getenv("IMAGE_PATH");
        if (dir != nullptr && *dir != '\0')
            return std::filesystem::path(dir) / path;
    }
    return path;
}

namespace detail {

inline bool equals_ascii_nocase(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

/// The format an extension (with its dot) stands for: png, jpeg or webp; unknown for an
/// image format imagine does not write (".gif", ".avif" ...: always a mismatch);
/// nullopt for anything else (".bin", ".v2"), which is left alone.
inline std::optional<image_format> format_of_extension(std::string_view extension) noexcept
{
    struct entry {
        std::string_view extension;
        image_format format;
    };
    static constexpr std::array<entry, 15> table{{
        {".png", image_format::png},
        {".jpg", image_format::jpeg},
        {".jpeg", image_format::jpeg},
        {".webp", image_format::webp},
        {".gif", image_format::unknown},
        {".bmp", image_format::unknown},
        {".tif", image_format::unknown},
        {".tiff", image_format::unknown},
        {".avif", image_format::unknown},
        {".heic", image_format::unknown},
        {".heif", image_format::unknown},
        {".jxl", image_format::unknown},
        {".ico", image_format::unknown},
        {".svg", image_format::unknown},
        {".jp2", image_format::unknown},
    }};
    for (const entry& e : table) {
        if (equals_ascii_nocase(extension, e.extension))
            return e.format;
    }
    return std::nullopt;
}

/// A path whose last element is a file name (not "", "." or "..").
inline bool names_a_file(const std::filesystem::path& path)
{
    const std::filesystem::path name = path.filename();
    return !name.empty() && name != "." && name != "..";
}

/// The path to write `format` to, after the extension rules of save_options.
inline std::filesystem::path target_path(const std::filesystem::path& resolved, image_format format,
                                         const save_options& options, std::error_code& ec)
{
    if (!options.check_extension)
        return resolved;
    const std::string extension = resolved.extension().string();
    if (extension.empty()) {
        std::filesystem::path with = resolved;
        with += file_extension(format);
        return with;
    }
    const std::optional<image_format> named = format_of_extension(extension);
    if (named && *named != format)
        ec = image_error::extension_mismatch;
    return resolved;
}

inline std::error_code last_system_error() noexcept
{
    return {errno, std::generic_category()};
}

/// A temporary file next to the target, removed by the destructor unless published.
class staged_file {
public:
    staged_file() = default;
    staged_file(const staged_file&) = delete;
    staged_file& operator=(const staged_file&) = delete;
    ~staged_file() { discard(); }

    /// Opens the target's directory and creates the temporary file in it. Without
    /// overwrite, a taken name fails here already, before any byte is written (publish()
    /// checks again, atomically).
    void create(const std::filesystem::path& target, bool overwrite, std::error_code& ec)
    {
        std::filesystem::path dir = target.parent_path();
        if (dir.empty())
            dir = ".";
        dir_fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd_ < 0) {
            ec = last_system_error();
            return;
        }
        name_ = target.filename().string();

        struct stat st;
        if (::fstatat(dir_fd_, name_.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
            if (!overwrite) {
                ec = std::make_error_code(std::errc::file_exists);
                return;
            }
            if (S_ISDIR(st.st_mode)) {
                ec = std::make_error_code(std::errc::is_a_directory);
                return;
            }
        } else if (errno != ENOENT) {
            ec = last_system_error();
            return;
        }

        // A long target name is shortened in the temporary one, which must still fit
        // NAME_MAX (255) with its dot, random part and ".tmp".
        const std::string stem = "." + name_.substr(0, 200) + ".";
        for (int attempt = 0; attempt < 100; ++attempt) {
            std::string candidate = stem + random_suffix() + ".tmp";
            // 0666: the file gets the permissions of any new file (umask applies).
            const int fd = ::openat(dir_fd_, candidate.c_str(),
                                    O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
            if (fd >= 0) {
                fd_ = fd;
                temp_name_ = std::move(candidate);
                return;
            }
            if (errno != EEXIST && errno != EINTR) {
                ec = last_system_error();
                return;
            }
        }
        ec = std::make_error_code(std::errc::file_exists);
    }

    void write(const char* data, std::size_t size, std::error_code& ec) noexcept
    {
        while (size > 0) {
            const std::size_t step = size < (std::size_t{1} << 30) ? size : std::size_t{1} << 30;
            const ssize_t n = ::write(fd_, data, step);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                ec = last_system_error(); // ENOSPC, EFBIG, EIO ...
                return;
            }
            data += n;
            size -= static_cast<std::size_t>(n);
            written_ += static_cast<std::uint64_t>(n);
        }
    }

    [[nodiscard]] int fd() const noexcept { return fd_; }
    [[nodiscard]] std::uint64_t written() const noexcept { return written_; }

    /// fsync, close, move to the target name, fsync the directory.
    void publish(bool overwrite, std::error_code& ec) noexcept
    {
        if (::fsync(fd_) != 0) {
            ec = last_system_error();
            return;
        }
        const int fd = fd_;
        fd_ = -1;
        if (::close(fd) != 0 && errno != EINTR) { // some file systems report write errors here
            ec = last_system_error();
            return;
        }
        if (overwrite ? ::renameat(dir_fd_, temp_name_.c_str(), dir_fd_, name_.c_str()) != 0
                      : !move_no_replace(ec)) {
            if (!ec)
                ec = last_system_error();
            return;
        }
        temp_name_.clear();
        // Makes the new name itself durable. EINVAL: the file system cannot sync
        // directories, nothing to do.
        if (::fsync(dir_fd_) != 0 && errno != EINVAL) {
            ec = last_system_error();
            // The file we created without overwrite is ours to take back; an overwritten
            // one cannot be restored, so it stays.
            if (!overwrite)
                ::unlinkat(dir_fd_, name_.c_str(), 0);
        }
    }

    /// Removes the temporary file (if still there) and closes everything. Idempotent.
    void discard() noexcept
    {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = -1;
        if (!temp_name_.empty() && dir_fd_ >= 0)
            ::unlinkat(dir_fd_, temp_name_.c_str(), 0);
        temp_name_.clear();
        if (dir_fd_ >= 0)
            ::close(dir_fd_);
        dir_fd_ = -1;
    }

private:
    /// Gives the temporary file the target name unless that name exists. Returns false
    /// with ec set (file_exists when the name is taken).
    bool move_no_replace(std::error_code& ec) noexcept
    {
#if defined(__linux__) && defined(SYS_renameat2)
        constexpr unsigned rename_noreplace = 1; // RENAME_NOREPLACE, <linux/fs.h>
        if (::syscall(SYS_renameat2, dir_fd_, temp_name_.c_str(), dir_fd_, name_.c_str(),
                      rename_noreplace) == 0)
            return true;
        // Any answer but "not supported here" is final.
        if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP && errno != EOPNOTSUPP) {
            ec = last_system_error();
            return false;
        }
#endif
        // link() fails with EEXIST rather than replace; then the temporary name goes.
        if (::linkat(dir_fd_, temp_name_.c_str(), dir_fd_, name_.c_str(), 0) != 0) {
            ec = last_system_error();
            return false;
        }
        ::unlinkat(dir_fd_, temp_name_.c_str(), 0);
        return true;
    }

    /// Six characters of [A-Za-z0-9], different per call and per process. Only O_EXCL
    /// makes the file ours; the name needs to be unlikely to collide, not secret.
    static std::string random_suffix()
    {
        static std::atomic<std::uint64_t> counter{0};
        std::uint64_t x = counter.fetch_add(1, std::memory_order_relaxed) * 0x9e3779b97f4a7c15u;
        x ^= static_cast<std::uint64_t>(::getpid()) << 32;
        x ^=
            static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
        // splitmix64 finaliser
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
        x ^= x >> 31;
        constexpr std::string_view alphabet =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        std::string out(6, '\0');
        for (char& c : out) {
            c = alphabet[x % alphabet.size()];
            x /= alphabet.size();
        }
        return out;
    }

    int dir_fd_ = -1;
    int fd_ = -1;
    std::string name_;
    std::string temp_name_;
    std::uint64_t written_ = 0;
};

/// Base64 is decoded this many input characters at a time (a multiple of 4).
inline constexpr std::size_t base64_piece = std::size_t{1} << 20;

inline std::system_error save_failure(std::error_code ec, const std::filesystem::path& path,
                                      const save_options& options)
{
    return {ec, "imagine: cannot save image to " + resolve_image_path(path, options).string()};
}

} // namespace detail

/// Writes an image held in memory to `path` (see the top of this file). On error returns
/// {} and sets ec; nothing is left behind.
inline saved_image save_image_bytes(std::string_view bytes, const std::filesystem::path& path,
                                    const save_options& options, std::error_code& ec)
{
    ec.clear();
    const std::filesystem::path resolved = resolve_image_path(path, options);
    if (!detail::names_a_file(resolved)) {
        ec = std::make_error_code(std::errc::invalid_argument);
        return {};
    }
    const image_info info = probe_image(bytes, ec);
    if (ec)
        return {};
    std::filesystem::path target = detail::target_path(resolved, info.format, options, ec);
    if (ec)
        return {};

    detail::staged_file file;
    file.create(target, options.overwrite, ec);
    if (!ec)
        file.write(bytes.data(), bytes.size(), ec);
    if (!ec)
        file.publish(options.overwrite, ec);
    if (ec)
        return {};
    return {std::move(target), info.format, bytes.size(), info.width, info.height};
}

/// Decodes base64 (canonical, as base64::decode accepts it) straight into `path`, about
/// 1 MiB of input at a time: the decoded image is never held whole. The format and the
/// extension are checked on the first piece, before anything is created. On error
/// returns {} and sets ec (base64::errc for invalid base64); nothing is left behind.
inline saved_image save_image_base64(std::string_view base64, const std::filesystem::path& path,
                                     const save_options& options, std::error_code& ec)
{
    ec.clear();
    const std::filesystem::path resolved = resolve_image_path(path, options);
    if (!detail::names_a_file(resolved)) {
        ec = std::make_error_code(std::errc::invalid_argument);
        return {};
    }

    base64::decoder decoder;
    const std::size_t first =
        base64.size() < detail::base64_piece ? base64.size() : detail::base64_piece;
    const std::unique_ptr<char[]> buffer(new char[base64::max_decoded_size(first)]);
    auto decode = [&](std::size_t offset, std::size_t size) -> std::size_t {
        const base64::decode_result r = decoder.update(base64.substr(offset, size), buffer.get());
        if (!r.ok())
            ec = r.error;
        return r.written;
    };

    const std::size_t head_size = decode(0, first);
    const bool whole = first == base64.size();
    if (!ec && whole) {
        if (const base64::decode_result r = decoder.finish(); !r.ok())
            ec = r.error;
    }
    if (ec)
        return {};

    // The headers are almost always inside the first piece. When they are not (a PNG
    // with large chunks before IDAT), the format is known from the magic bytes and the
    // probe runs again on the finished temporary file.
    const std::string_view head(buffer.get(), head_size);
    image_info info = probe_image(head, ec);
    const bool probe_file =
        ec == image_error::truncated && !whole && sniff_image_format(head) != image_format::unknown;
    if (probe_file) {
        info.format = sniff_image_format(head);
        ec.clear();
    }
    if (ec)
        return {};
    std::filesystem::path target = detail::target_path(resolved, info.format, options, ec);
    if (ec)
        return {};

    detail::staged_file file;
    file.create(target, options.overwrite, ec);
    if (!ec)
        file.write(head.data(), head.size(), ec);
    for (std::size_t offset = first; !ec && offset < base64.size();) {
        const std::size_t size = base64.size() - offset < detail::base64_piece
                                     ? base64.size() - offset
                                     : detail::base64_piece;
        const std::size_t written = decode(offset, size);
        if (!ec)
            file.write(buffer.get(), written, ec);
        offset += size;
    }
    if (!ec && !whole) {
        if (const base64::decode_result r = decoder.finish(); !r.ok())
            ec = r.error;
    }
    if (!ec && probe_file)
        info = detail::probe_image_fd(file.fd(), ec);
    if (!ec)
        file.publish(options.overwrite, ec);
    if (ec)
        return {};
    return {std::move(target), info.format, file.written(), info.width, info.height};
}

/// save_image_bytes, throwing std::system_error (its message names the path) on error.
inline saved_image save_image_bytes(std::string_view bytes, const std::filesystem::path& path,
                                    const save_options& options = {})
{
    std::error_code ec;
    saved_image saved = save_image_bytes(bytes, path, options, ec);
    if (ec)
        throw detail::save_failure(ec, path, options);
    return saved;
}

/// save_image_base64, throwing std::system_error (its message names the path) on error.
inline saved_image save_image_base64(std::string_view base64, const std::filesystem::path& path,
                                     const save_options& options = {})
{
    std::error_code ec;
    saved_image saved = save_image_base64(base64, path, options, ec);
    if (ec)
        throw detail::save_failure(ec, path, options);
    return saved;
}

} // namespace imagine
