#pragma once

// JSON text straight into C++ types, with no intermediate document.
//
//   image_response r;
//   if (json::read_error e = json::read(text, r))
//       log(e.message());         // "$.data[0].b64_json: expected string, found null (at byte 57)"
//   auto r2 = json::read<image_response>(text);   // throws json::read_exception
//
// Supported: bool, integers (range-checked), float/double, std::string, enums with
// meta<E>::values, std::optional (null or absent -> empty), std::vector, std::array,
// string-keyed maps, std::variant (by JSON kind, objects by their "type" member),
// std::monostate / std::nullptr_t (null), json::value, and reflectable structs: unknown
// keys are skipped, members that are not std::optional are required.

#include <imagine/json/detail/reader.hpp>
#include <imagine/json/detail/traits.hpp>
#include <imagine/json/enum.hpp>
#include <imagine/json/error.hpp>
#include <imagine/json/reflect.hpp>
#include <imagine/json/value.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace imagine::json {
namespace detail {

template <class T>
bool read_value(reader& r, T& out);

template <class T>
bool read_struct(reader& r, T& out, std::string_view tag_key = tag_key_v<T>);

template <class... A>
bool read_variant(reader& r, std::variant<A...>& out);

inline bool read_dynamic(reader& r, value& out);

/// Reads the array at the cursor; `element(i)` reads element i. Adds the index to the path
/// of an error inside an element.
template <class F>
bool read_elements(reader& r, F&& element)
{
    bool more;
    if (!r.open('[', ']', "array", more))
        return false;
    for (std::size_t i = 0; more; ++i) {
        if (!element(i)) {
            r.push_index(i);
            return false;
        }
        if (!r.next_in(']', more))
            return false;
    }
    return true;
}

/// Reads the object at the cursor; `member(key)` reads one member's value. Adds the key to
/// the path of an error inside a member. The key stays valid during the call.
template <class F>
bool read_members(reader& r, F&& member)
{
    bool more;
    if (!r.open('{', '}', "object", more))
        return false;
    while (more) {
        std::string_view key;
        if (!r.key(key))
            return false;
        std::string owned;
        if (r.in_scratch(key)) {
            owned = key;  // the scratch buffer is reused by keys further in
            key = owned;
        }
        if (!member(key)) {
            r.push_key(key);
            return false;
        }
        if (!r.next_in('}', more))
            return false;
    }
    return true;
}

template <class T>
bool read_value(reader& r, T& out)
{
    if constexpr (std::is_same_v<T, value>) {
        return read_dynamic(r, out);
    } else if constexpr (std::is_same_v<T, bool>) {
        if (r.peek() == 't') {
            out = true;
            return r.literal("true");
        }
        if (r.peek() == 'f') {
            out = false;
            return r.literal("false");
        }
        return r.fail_expected("boolean");
    } else if constexpr (json_integer<T>) {
        if (!r.at_number())
            return r.fail_expected("integer");
        return r.integer(out);
    } else if constexpr (std::is_floating_point_v<T>) {
        if (!r.at_number())
            return r.fail_expected("number");
        return r.floating(out);
    } else if constexpr (std::is_same_v<T, std::string>) {
        if (r.peek() != '"')
            return r.fail_expected("string");
        return r.string(out);
    } else if constexpr (std::is_enum_v<T>) {
        static_assert(named_enum<T>,
            "imagine::json: enums need their wire names in imagine::json::meta<E>::values");
        if (r.peek() != '"')
            return r.fail_expected("string");
        const char* start = r.position();
        std::string name;
        if (!r.string(name))
            return false;
        if (auto e = enum_from_string<T>(name)) {
            out = *e;
            return true;
        }
        return r.fail_at(start, error::unknown_enum_value, "unknown value \"" + name + "\"");
    } else if constexpr (optional_like<T>) {
        if (r.peek() == 'n') {
            out.reset();
            return r.literal("null");
        }
        return read_value(r, out.emplace());
    } else if constexpr (null_like<T>) {
        if (r.peek() != 'n')
            return r.fail_expected("null");
        return r.literal("null");
    } else if constexpr (vector_like<T>) {
        out.clear();
        return read_elements(r, [&](std::size_t) {
            if constexpr (std::is_same_v<typename T::value_type, bool>) {
                bool b = false;  // std::vector<bool> hands out proxies, not bool&
                return read_value(r, b) && (out.push_back(b), true);
            } else {
                return read_value(r, out.emplace_back());
            }
        });
    } else if constexpr (std_array<T>) {
        const char* start = r.position();
        std::size_t n = 0;
        // Extra elements are validated and counted, so the error can say how many came.
        if (!read_elements(r, [&](std::size_t i) {
                n = i + 1;
                return i < out.size() ? read_value(r, out[i]) : r.skip_value();
            }))
            return false;
        return n == out.size() ||
               r.fail_at(start, error::wrong_array_size,
                   "expected an array of " + std::to_string(out.size()) + " elements, found " +
                       std::to_string(n));
    } else if constexpr (string_map<T>) {
        out.clear();
        return read_members(
            r, [&](std::string_view key) { return read_value(r, out[std::string(key)]); });
    } else if constexpr (variant_like<T>) {
        return read_variant(r, out);
    } else if constexpr (reflectable<T>) {
        return read_struct(r, out);
    } else if constexpr (std::is_same_v<T, std::string_view>) {
        static_assert(always_false_v<T>,
            "imagine::json: a std::string_view would dangle once the text is gone; read into "
            "std::string");
        return false;
    } else if constexpr (std::is_class_v<T>) {
        // Gives check_reflectable's message for this kind of class.
        static_assert(check_reflectable<T>());
        return false;
    } else {
        static_assert(always_false_v<T>,
            "imagine::json: this type cannot be read; see the list at the top of read.hpp");
        return false;
    }
}

// ---------------------------------------------------------------------------------------
// Structs

template <class T, std::size_t I>
using member_type_t = std::remove_cvref_t<decltype(get_member<I>(std::declval<T&>()))>;

template <class T>
inline constexpr std::uint64_t required_mask = []<std::size_t... I>(std::index_sequence<I...>) {
    return ((optional_like<member_type_t<T, I>> ? std::uint64_t{0} : std::uint64_t{1} << I) | ... |
            std::uint64_t{0});
}(std::make_index_sequence<member_count_v<T>>{});

template <class T>
using member_reader = bool (*)(reader&, T&);

template <class T>
inline constexpr auto member_readers = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<member_reader<T>, sizeof...(I)>{
        +[](reader& r, T& object) { return read_value(r, get_member<I>(object)); }...};
}(std::make_index_sequence<member_count_v<T>>{});

template <class T>
constexpr std::size_t find_member(std::string_view key) noexcept
{
    constexpr auto& keys = keys_v<T>;
    for (std::size_t i = 0; i < keys.size(); ++i)
        if (keys[i].size() == key.size() && keys[i] == key)
            return i;
    return keys.size();
}

// `tag_key` is the member that carries a variant alternative's tag: not a member of the
// struct, yet never an unknown key.
template <class T>
bool read_struct(reader& r, T& out, std::string_view tag_key)
{
    constexpr std::size_t count = member_count_v<T>;
    std::uint64_t seen = 0;
    if (!read_members(r, [&](std::string_view key) {
            const std::size_t index = find_member<T>(key);
            if (index < count) {
                seen |= std::uint64_t{1} << index;
                return member_readers<T>[index](r, out);
            }
            if (r.options().error_on_unknown_keys && !(has_meta_tag<T> && key == tag_key))
                return r.fail(error::unknown_member,
                    "unknown member (read_options::error_on_unknown_keys)");
            return r.skip_value();
        }))
        return false;
    if (std::uint64_t missing = required_mask<T> & ~seen) {
        std::size_t index = static_cast<std::size_t>(__builtin_ctzll(missing));
        r.fail_at(r.position() - 1, error::missing_member, "missing required member");
        r.push_key(keys_v<T>[index]);
        return false;
    }
    return true;
}

// ---------------------------------------------------------------------------------------
// Variants: the JSON kind picks the alternative; among objects, the tag member does.

template <class T>
concept object_alternative = (reflectable<T> && !null_like<T>) || string_map<T>;

template <class T>
concept tagged_alternative = object_alternative<T> && has_meta_tag<T>;

enum class tag_search { found, absent, failed };

// Finds the tag member's string value anywhere in the object at the cursor, then rewinds.
// Text that breaks the grammar before the tag is reported as the error it is (`failed`,
// with the error recorded), not as a missing tag.
inline tag_search peek_tag(reader& r, std::string_view tag_key, std::string& tag)
{
    const char* start = r.position();
    const std::size_t depth = r.depth();
    bool more = false;
    bool ok = r.open('{', '}', "object", more);
    bool found = false;
    if (ok) {
        while (ok && more && !found) {
            std::string_view k;
            ok = r.key(k);
            std::string owned;
            if (ok && r.in_scratch(k)) {
                owned = k; // skipping the value reuses the scratch buffer for its keys
                k = owned;
            }
            if (ok && k == tag_key && r.peek() == '"')
                ok = found = r.string(tag);
            else if (ok && !r.skip_value()) {
                r.push_key(k);
                ok = false;
            } else if (ok)
                ok = r.next_in('}', more);
        }
    }
    if (!ok)
        return tag_search::failed;
    r.rewind(start, depth);
    return found ? tag_search::found : tag_search::absent;
}

template <class V, std::size_t I = 0>
bool emplace_first(reader& r, V& out, auto&& accepts)
{
    if constexpr (I == std::variant_size_v<V>) {
        return false;
    } else {
        using A = std::variant_alternative_t<I, V>;
        if (accepts(static_cast<A*>(nullptr)))
            return true;
        return emplace_first<V, I + 1>(r, out, accepts);
    }
}

template <class... A>
bool read_variant(reader& r, std::variant<A...>& out)
{
    using V = std::variant<A...>;
    constexpr bool has_value = (std::is_same_v<A, value> || ...);
    bool done = false;
    bool ok = false;
    // Reads alternative T in place when `pick` holds for it; the first match wins.
    auto try_each = [&](auto pick) {
        emplace_first<V>(r, out, [&]<class T>(T*) {
            if (done || !pick(static_cast<T*>(nullptr)))
                return false;
            done = true;
            if constexpr (tagged_alternative<T> && reflectable<T>)
                ok = read_struct(r, out.template emplace<T>(), tag_key_v<V>);
            else
                ok = read_value(r, out.template emplace<T>());
            return true;
        });
    };
    auto is_value = []<class T>(T*) { return std::is_same_v<T, value>; };

    switch (r.peek()) {
    case '{': {
        constexpr bool any_tagged = (tagged_alternative<A> || ...);
        if constexpr (any_tagged) {
            std::string tag;
            const tag_search search = peek_tag(r, tag_key_v<V>, tag);
            if (search == tag_search::failed)
                return false;
            if (search == tag_search::found) {
                try_each([&]<class T>(T*) {
                    if constexpr (tagged_alternative<T>)
                        return std::string_view(meta<T>::tag) == tag;
                    else
                        return false;
                });
                if (!done && !has_value && ((object_alternative<A> && !tagged_alternative<A>) + ... + 0) == 0)
                    return r.fail(error::unknown_variant_tag,
                        "no alternative for " + std::string(tag_key_v<V>) + " \"" + tag + "\"");
            }
        }
        try_each([]<class T>(T*) { return object_alternative<T> && !tagged_alternative<T>; });
        try_each(is_value);
        if (!done && any_tagged)
            return r.fail(error::unknown_variant_tag,
                "object has no \"" + std::string(tag_key_v<V>) + "\" naming an alternative");
        break;
    }
    case '[': try_each([]<class T>(T*) { return vector_like<T> || std_array<T>; }); break;
    case '"': {
        // An enum that knows the string beats a plain string; that beats an enum that
        // would only fall back to its `unknown` value.
        const char* start = r.position();
        std::string text;
        if (!r.string(text))
            return false;
        r.rewind(start);
        try_each([&]<class T>(T*) {
            if constexpr (named_enum<T>) {
                for (const auto& [value, name] : meta<T>::values)
                    if (name == text)
                        return true;
            }
            return false;
        });
        try_each([]<class T>(T*) { return std::is_same_v<T, std::string>; });
        try_each([]<class T>(T*) { return named_enum<T>; });
        break;
    }
    case 't':
    case 'f': try_each([]<class T>(T*) { return std::is_same_v<T, bool>; }); break;
    case 'n': try_each([]<class T>(T*) { return null_like<T> || optional_like<T>; }); break;
    case '\0': return r.fail_expected("value");
    default: {
        const char* start = r.position();
        number_token t;
        if (!r.number(t))
            return false;
        r.rewind(start);
        if (t.integer)
            try_each([]<class T>(T*) { return json_integer<T>; });
        try_each([]<class T>(T*) { return std::is_floating_point_v<T>; });
        break;
    }
    }
    if (!done)
        try_each(is_value);
    if (!done)
        return r.fail_expected("a value matching one of the variant's alternatives");
    return ok;
}

// ---------------------------------------------------------------------------------------
// json::value

inline bool read_dynamic(reader& r, value& out)
{
    switch (r.peek()) {
    case '{': {
        value::object members;
        if (!read_members(r, [&](std::string_view key) {
                return read_dynamic(r, members.emplace_back(std::string(key), value{}).second);
            }))
            return false;
        out = std::move(members);
        return true;
    }
    case '[': {
        value::array elements;
        if (!read_value(r, elements))
            return false;
        out = std::move(elements);
        return true;
    }
    case '"': {
        std::string s;
        if (!r.string(s))
            return false;
        out = std::move(s);
        return true;
    }
    case 't': out = true; return r.literal("true");
    case 'f': out = false; return r.literal("false");
    case 'n': out = nullptr; return r.literal("null");
    default: {
        const char* start = r.position();
        number_token t;
        if (!r.number(t))
            return false;
        r.rewind(start);
        // "-0" is an integer by grammar, but only a double keeps its sign.
        if (t.integer && !(t.end - t.begin == 2 && t.begin[0] == '-' && t.begin[1] == '0')) {
            std::int64_t i = 0;
            if (r.integer(i)) {
                out = i;
                return true;
            }
            r.clear_error();
            r.rewind(start);
            std::uint64_t u = 0;
            if (*start != '-' && r.integer(u)) {
                out = u;
                return true;
            }
            r.clear_error();
            r.rewind(start);
        }
        double d = 0;
        if (!r.floating(d))
            return false;
        out = d;
        return true;
    }
    }
}

} // namespace detail

/// Reads `text` into `out`. Returns an empty read_error on success; on failure, `out` may
/// hold part of the input.
template <class T>
read_error read(std::string_view text, T& out, const read_options& options = {})
{
    detail::reader r(text, options);
    r.skip_whitespace();
    if (detail::read_value(r, out)) {
        r.skip_whitespace();
        if (r.at_end())
            return {};
        r.fail(error::trailing_characters, "unexpected data after the value");
    }
    return r.take_error();
}

/// Reads `text` as a `T`; throws read_exception on failure.
template <class T>
T read(std::string_view text, const read_options& options = {})
{
    T out{};
    if (read_error e = read(text, out, options))
        throw read_exception(std::move(e));
    return out;
}

} // namespace imagine::json
