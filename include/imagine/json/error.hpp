#pragma once

// Errors of the JSON layer: an error code, and for reading, where it happened (byte offset
// and JSON path) so that a bad response names the field at fault.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <system_error>
#include <type_traits>

namespace imagine::json {

enum class error {
    unexpected_end = 1,      // the text ended inside a value
    syntax_error,            // a character that the grammar does not allow here
    invalid_number,          // a number that breaks RFC 8259's grammar
    number_out_of_range,     // does not fit the target type
    invalid_escape,          // backslash followed by something that is no escape
    invalid_unicode_escape,  // bad \u escape: not hex, or a lone surrogate
    control_character,       // raw byte below 0x20 inside a string
    invalid_utf8,            // a string that is not UTF-8
    type_mismatch,           // e.g. a string where an integer belongs
    missing_member,          // a required member is absent
    unknown_enum_value,      // a string that names no value of the enum
    unknown_variant_tag,     // no alternative of the variant has this "type"
    depth_exceeded,          // nested deeper than read_options::max_depth
    trailing_characters,     // more than whitespace after the value
    wrong_array_size,        // std::array read from an array of another length
    not_representable,       // writing: NaN, infinity, or an enum value without a name
    unknown_member,          // with read_options::error_on_unknown_keys
};

namespace detail {

class error_category_impl final : public std::error_category {
public:
    const char* name() const noexcept override { return "imagine.json"; }

    std::string message(int value) const override
    {
        switch (static_cast<error>(value)) {
        case error::unexpected_end: return "unexpected end of input";
        case error::syntax_error: return "syntax error";
        case error::invalid_number: return "invalid number";
        case error::number_out_of_range: return "number out of range";
        case error::invalid_escape: return "invalid escape sequence";
        case error::invalid_unicode_escape: return "invalid \\u escape";
        case error::control_character: return "control character in string";
        case error::invalid_utf8: return "invalid UTF-8";
        case error::type_mismatch: return "type mismatch";
        case error::missing_member: return "missing required member";
        case error::unknown_enum_value: return "unknown enum value";
        case error::unknown_variant_tag: return "unknown variant tag";
        case error::depth_exceeded: return "nesting too deep";
        case error::trailing_characters: return "trailing characters after the value";
        case error::wrong_array_size: return "wrong array size";
        case error::not_representable: return "value not representable in JSON";
        case error::unknown_member: return "unknown member";
        }
        return "unknown imagine.json error";
    }
};

} // namespace detail

inline const std::error_category& error_category() noexcept
{
    static const detail::error_category_impl instance;
    return instance;
}

inline std::error_code make_error_code(error e) noexcept
{
    return {static_cast<int>(e), error_category()};
}

/// The outcome of a read: empty on success (tests false), else what went wrong and where.
struct read_error {
    std::error_code code;
    std::size_t offset = 0;  // byte offset into the text
    std::string path;        // JSON path of the value at fault, e.g. "$.data[0].usage"
    std::string detail;      // e.g. "expected integer, found string"

    explicit operator bool() const noexcept { return static_cast<bool>(code); }

    /// "$.data[0].usage.input_tokens: expected integer, found string (at byte 123)"
    std::string message() const
    {
        std::string out = path.empty() ? std::string("$") : path;
        out += ": ";
        out += detail.empty() ? code.message() : detail;
        out += " (at byte ";
        out += std::to_string(offset);
        out += ')';
        return out;
    }
};

/// Thrown by the throwing forms of read; carries the whole read_error.
class read_exception : public std::system_error {
public:
    explicit read_exception(read_error e)
        : std::system_error(e.code, e.message()), error_(std::move(e))
    {
    }

    const read_error& details() const noexcept { return error_; }

private:
    read_error error_;
};

/// Thrown by write for values JSON cannot express (NaN, an enum value without a name).
class write_exception : public std::system_error {
public:
    write_exception(error e, const std::string& what) : std::system_error(make_error_code(e), what)
    {
    }
};

} // namespace imagine::json

template <>
struct std::is_error_code_enum<imagine::json::error> : std::true_type {};
