#pragma once

// HTTP header fields: an ordered list that keeps duplicates and the spelling the peer
// used, looked up case-insensitively. A response carries a dozen fields, so a vector
// searched linearly beats any map, and it keeps the order for requests we write.

#include <imagine/http/detail/ascii.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace imagine::http {

namespace detail {

/// tchar of RFC 9110 §5.6.2: the bytes of a token (field names, chunk extensions). A
/// table, because every byte of every header name goes through it.
inline constexpr auto tchar_table = [] {
    std::array<bool, 256> table{};
    for (int c = '0'; c <= '9'; ++c)
        table[static_cast<std::size_t>(c)] = true;
    for (int c = 'a'; c <= 'z'; ++c)
        table[static_cast<std::size_t>(c)] = table[static_cast<std::size_t>(c - 'a' + 'A')] = true;
    for (char c : std::string_view("!#$%&'*+-.^_`|~"))
        table[static_cast<unsigned char>(c)] = true;
    return table;
}();

constexpr bool is_tchar(char c) noexcept
{
    return tchar_table[static_cast<unsigned char>(c)];
}

constexpr bool is_token(std::string_view s) noexcept
{
    return !s.empty() && std::all_of(s.begin(), s.end(), is_tchar);
}

/// SP or HTAB: optional whitespace (OWS) around field values and list elements.
constexpr bool is_ows(char c) noexcept
{
    return c == ' ' || c == '\t';
}

/// A byte allowed inside a field value: VCHAR, obs-text, SP and HTAB. Everything else
/// (NUL, CR, LF, other controls, DEL) would let a value smuggle framing.
constexpr bool is_field_byte(char c) noexcept
{
    const auto u = static_cast<unsigned char>(c);
    return (u >= 0x20 && u != 0x7f) || u == '\t';
}

/// A field value (or reason phrase) holds only field bytes: no CR, LF, NUL or controls.
constexpr bool is_field_value(std::string_view s) noexcept
{
    return std::all_of(s.begin(), s.end(), is_field_byte);
}

constexpr std::string_view trim_ows(std::string_view s) noexcept
{
    while (!s.empty() && is_ows(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_ows(s.back()))
        s.remove_suffix(1);
    return s;
}

} // namespace detail

/// ASCII case-insensitive equality (header names, tokens); other bytes compare exactly.
inline bool iequals(std::string_view a, std::string_view b) noexcept
{
    return detail::ascii_iequals(a, b);
}

/// True when the comma-separated `list` ("keep-alive, Close") has an element equal to
/// `token`, ignoring ASCII case and the whitespace around elements.
inline bool has_token(std::string_view list, std::string_view token) noexcept
{
    while (true) {
        const std::size_t comma = list.find(',');
        if (iequals(detail::trim_ows(list.substr(0, comma)), token))
            return true;
        if (comma == std::string_view::npos)
            return false;
        list.remove_prefix(comma + 1);
    }
}

/// An ordered list of header fields. Duplicates are kept (Set-Cookie, or a peer that
/// repeats a field); names compare case-insensitively and keep their original spelling.
class fields {
public:
    struct field {
        std::string name{};
        std::string value{};
    };

    /// Appends a field, even when one of that name exists.
    void add(std::string_view name, std::string_view value)
    {
        list_.push_back(field{std::string(name), std::string(value)});
    }

    /// Replaces every field of that name by one with `value`, at the place of the first
    /// (or at the end when there is none).
    void set(std::string_view name, std::string_view value)
    {
        auto first = std::find_if(list_.begin(), list_.end(),
                                  [&](const field& f) { return iequals(f.name, name); });
        if (first == list_.end()) {
            add(name, value);
            return;
        }
        first->value.assign(value);
        list_.erase(std::remove_if(std::next(first), list_.end(),
                                   [&](const field& f) { return iequals(f.name, name); }),
                    list_.end());
    }

    /// Removes every field of that name; returns how many there were.
    std::size_t erase(std::string_view name)
    {
        const std::size_t before = list_.size();
        list_.erase(std::remove_if(list_.begin(), list_.end(),
                                   [&](const field& f) { return iequals(f.name, name); }),
                    list_.end());
        return before - list_.size();
    }

    /// The value of the first field of that name, or nullptr.
    const std::string* find(std::string_view name) const noexcept
    {
        for (const field& f : list_)
            if (iequals(f.name, name))
                return &f.value;
        return nullptr;
    }

    /// The value of the first field of that name, or `fallback`.
    std::string_view value_or(std::string_view name, std::string_view fallback = {}) const noexcept
    {
        const std::string* value = find(name);
        return value ? std::string_view(*value) : fallback;
    }

    bool contains(std::string_view name) const noexcept { return find(name) != nullptr; }

    std::size_t size() const noexcept { return list_.size(); }
    bool empty() const noexcept { return list_.empty(); }

    /// Removes all fields; the storage stays for the next message.
    void clear() noexcept { list_.clear(); }

    auto begin() const noexcept { return list_.cbegin(); }
    auto end() const noexcept { return list_.cend(); }

private:
    std::vector<field> list_{};
};

} // namespace imagine::http
