#pragma once

// A scratch directory for one test or one server: created with mkdtemp under the
// system temporary directory ($TMPDIR or /tmp), removed with everything in it by the
// destructor. Also the one place that reads and writes whole files for test support.

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace imagine::test {

/// The whole content of `file`; throws std::runtime_error if it cannot be opened.
inline std::string read_text_file(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot open " + file.string());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The content of `file`, or "" if it does not exist (yet): logs a server has not
/// written to are not an error.
inline std::string read_text_file_if_exists(const std::filesystem::path& file)
{
    std::error_code ec;
    if (!std::filesystem::exists(file, ec))
        return {};
    return read_text_file(file);
}

/// Replaces `file` with `content` (binary, no newline translation).
inline void write_text_file(const std::filesystem::path& file, std::string_view content)
{
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out)
        throw std::runtime_error("cannot create " + file.string());
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out)
        throw std::runtime_error("cannot write " + file.string());
}

class temp_dir {
public:
    /// Creates <temp>/imagine-test-XXXXXX (mode 0700, as mkdtemp makes it).
    temp_dir()
    {
        auto pattern = (std::filesystem::temp_directory_path() / "imagine-test-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr)
            throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
        path_ = pattern;
    }

    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    /// Removes the directory recursively. Errors are ignored: a destructor must not
    /// throw, and a left-over directory in /tmp is harmless.
    ~temp_dir()
    {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }

    const std::filesystem::path& path() const noexcept { return path_; }

    /// Writes `content` to path()/name (creating subdirectories named in `name`) and
    /// returns the file's path. Files are created with the process umask (usually 0644).
    std::filesystem::path write(std::string_view name, std::string_view content) const
    {
        const std::filesystem::path relative(name);
        if (relative.is_absolute() || relative.empty())
            throw std::invalid_argument("temp_dir::write: name must be relative");
        auto file = path_ / relative;
        if (file.has_parent_path())
            std::filesystem::create_directories(file.parent_path());
        write_text_file(file, content);
        return file;
    }

private:
    std::filesystem::path path_{};
};

} // namespace imagine::test
