#pragma once

// Error codes of the image helpers (probing headers, saving files). OS errors from
// opening, reading and writing files pass through unchanged (std::errc / system codes);
// these are the cases where the bytes themselves are the problem.

#include <string>
#include <system_error>
#include <type_traits>

namespace imagine {

enum class image_error {
    not_an_image = 1,   ///< the bytes do not start like a PNG, JPEG or WebP file
    truncated,          ///< the bytes end before the header that holds the size
    malformed,          ///< the header is there but breaks the format's rules
    extension_mismatch, ///< the path's extension names another image format
};

} // namespace imagine

template <>
struct std::is_error_code_enum<imagine::image_error> : std::true_type {
};

namespace imagine {

namespace detail {

class image_error_category_impl final : public std::error_category {
public:
    const char* name() const noexcept override { return "imagine.image"; }

    std::string message(int value) const override
    {
        switch (static_cast<image_error>(value)) {
        case image_error::not_an_image:
            return "not a PNG, JPEG or WebP image";
        case image_error::truncated:
            return "image header truncated";
        case image_error::malformed:
            return "malformed image header";
        case image_error::extension_mismatch:
            return "file extension does not match the image format";
        }
        return "unknown imagine.image error";
    }
};

} // namespace detail

/// The category of image_error values (name "imagine.image").
inline const std::error_category& image_category() noexcept
{
    static const detail::image_error_category_impl instance;
    return instance;
}

inline std::error_code make_error_code(image_error e) noexcept
{
    return {static_cast<int>(e), image_category()};
}

} // namespace imagine
