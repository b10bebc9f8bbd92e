#pragma once

// C++ values straight to compact JSON text.
//
//   std::string body = json::write(request);     // or json::write(request, out) to append
//
// Empty std::optional members are left out (the API treats absent and null differently
// for some fields, and absent is what the SDKs send). A struct with meta<T>::tag writes
// its tag member ("type" unless the variant says otherwise) first. Numbers use the
// shortest text that reads back to the same value. Strings must be UTF-8; NaN, infinity,
// invalid UTF-8 and enum values without a name throw write_exception rather than produce
// text the server would reject.

#include <imagine/json/detail/scan.hpp>
#include <imagine/json/detail/traits.hpp>
#include <imagine/json/enum.hpp>
#include <imagine/json/error.hpp>
#include <imagine/json/reflect.hpp>
#include <imagine/json/value.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

namespace imagine::json {
namespace detail {

inline void write_string(std::string& out, std::string_view s)
{
    static constexpr char hex[] = "0123456789abcdef";
    const char* p = s.data();
    const char* end = p + s.size();
    // Room for the unescaped text up front, and the scan in L1-sized blocks, so a
    // multi-megabyte base64 string is copied while the scan has it in cache.
    constexpr std::size_t block = 16 * 1024;
    out.reserve(out.size() + s.size() + 2);
    out.push_back('"');
    for (;;) {
        const char* run = p;
        const char* limit = static_cast<std::size_t>(end - p) > block ? p + block : end;
        p = find_string_special(p, limit);
        out.append(run, static_cast<std::size_t>(p - run));
        if (p == limit && limit != end)
            continue;
        if (p == end)
            break;
        const unsigned char c = static_cast<unsigned char>(*p);
        if (c >= 0x80) {
            std::size_t n = utf8_sequence_length(p, end);
            if (n == 0)
                throw write_exception(error::invalid_utf8,
                    "imagine::json: string is not valid UTF-8 at byte " +
                        std::to_string(p - s.data()));
            out.append(p, n);
            p += n;
            continue;
        }
        out.push_back('\\');
        switch (c) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '\b': out.push_back('b'); break;
        case '\f': out.push_back('f'); break;
        case '\n': out.push_back('n'); break;
        case '\r': out.push_back('r'); break;
        case '\t': out.push_back('t'); break;
        default:
            out.append("u00", 3);
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xF]);
        }
        ++p;
    }
    out.push_back('"');
}

template <class N>
void write_number(std::string& out, N n)
{
    if constexpr (std::is_floating_point_v<N>) {
        if (!std::isfinite(n))
            throw write_exception(error::not_representable,
                "imagine::json: NaN and infinity have no JSON form");
    }
    char buffer[64];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, n);
    out.append(buffer, result.ptr);
}

template <class T>
void write_value(std::string& out, const T& v);

inline void write_dynamic(std::string& out, const value& v);

/// An object from key/value pairs: string-keyed maps and json::value's members.
template <class Pairs>
void write_pairs(std::string& out, const Pairs& pairs)
{
    out.push_back('{');
    bool first = true;
    for (const auto& [key, element] : pairs) {
        if (!first)
            out.push_back(',');
        first = false;
        write_string(out, key);
        out.push_back(':');
        write_value(out, element);
    }
    out.push_back('}');
}

// `tag_key` names the member that carries meta<T>::tag: the enclosing variant's choice
// when it makes one, else the struct's own (default "type").
template <class T>
void write_struct(std::string& out, const T& v, std::string_view tag_key = tag_key_v<T>)
{
    out.push_back('{');
    bool first = true;
    auto separator = [&] {
        if (!first)
            out.push_back(',');
        first = false;
    };
    constexpr bool tagged = has_meta_tag<T>;
    if constexpr (tagged) {
        separator();
        write_string(out, tag_key);
        out.push_back(':');
        write_string(out, meta<T>::tag);
    }
    for_each_member(v, [&](std::string_view key, const auto& member) {
        using M = std::remove_cvref_t<decltype(member)>;
        if constexpr (optional_like<M>) {
            if (!member.has_value())
                return;
        }
        if (tagged && key == tag_key)
            return;  // the tag above already says it
        separator();
        write_string(out, key);
        out.push_back(':');
        write_value(out, member);
    });
    out.push_back('}');
}

template <class T>
void write_value(std::string& out, const T& v)
{
    if constexpr (std::is_same_v<T, value>) {
        write_dynamic(out, v);
    } else if constexpr (std::is_same_v<T, bool>) {
        out.append(v ? "true" : "false");
    } else if constexpr (json_integer<T> || std::is_floating_point_v<T>) {
        write_number(out, v);
    } else if constexpr (null_like<T>) {
        // Before the string case: nullptr_t converts to const char*, and so to string_view.
        out.append("null");
    } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
        write_string(out, std::string_view(v));
    } else if constexpr (std::is_enum_v<T>) {
        static_assert(named_enum<T>,
            "imagine::json: enums need their wire names in imagine::json::meta<E>::values");
        std::string_view name = enum_to_string(v);
        if (name.empty())
            throw write_exception(error::not_representable,
                "imagine::json: enum value " +
                    std::to_string(static_cast<std::underlying_type_t<T>>(v)) +
                    " has no name in meta<E>::values");
        write_string(out, name);
    } else if constexpr (optional_like<T>) {
        if (v)
            write_value(out, *v);
        else
            out.append("null");
    } else if constexpr (vector_like<T> || std_array<T>) {
        out.push_back('[');
        bool first = true;
        for (const auto& element : v) {
            if (!first)
                out.push_back(',');
            first = false;
            write_value(out, element);
        }
        out.push_back(']');
    } else if constexpr (string_map<T>) {
        write_pairs(out, v);
    } else if constexpr (variant_like<T>) {
        std::visit(
            [&](const auto& alternative) {
                using A = std::remove_cvref_t<decltype(alternative)>;
                if constexpr (reflectable<A> && has_meta_tag<A> && has_meta_tag_key<T>)
                    write_struct(out, alternative, tag_key_v<T>);
                else
                    write_value(out, alternative);
            },
            v);
    } else if constexpr (reflectable<T>) {
        write_struct(out, v);
    } else if constexpr (std::is_class_v<T>) {
        static_assert(check_reflectable<T>());
    } else {
        static_assert(always_false_v<T>, "imagine::json: this type cannot be written");
    }
}

inline void write_dynamic(std::string& out, const value& v)
{
    if (v.is_null())
        out.append("null");
    else if (auto* b = v.get_if<bool>())
        write_value(out, *b);
    else if (auto* i = v.get_if<std::int64_t>())
        write_number(out, *i);
    else if (auto* u = v.get_if<std::uint64_t>())
        write_number(out, *u);
    else if (auto* d = v.get_if<double>())
        write_number(out, *d);
    else if (auto* s = v.get_if<std::string>())
        write_string(out, *s);
    else if (auto* a = v.get_if<value::array>())
        write_value(out, *a);
    else
        write_pairs(out, v.as_object());
}

} // namespace detail

/// Appends the JSON text of `v` to `out`. Throws write_exception for values JSON cannot
/// hold; `out` then keeps what was written before the bad value.
template <class T>
void write(const T& v, std::string& out)
{
    detail::write_value(out, v);
}

/// The JSON text of `v`.
template <class T>
std::string write(const T& v)
{
    std::string out;
    detail::write_value(out, v);
    return out;
}

} // namespace imagine::json
