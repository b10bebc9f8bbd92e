#pragma once

// Typed access to request parameters, whether they came as a JSON object or as the
// text parts of a multipart form: the same validation code reads both, and type errors
// come out with the API's wording ("Invalid type for 'n': expected an integer, but got
// a string instead."). null counts as absent, as the API's nullable fields do.

#include "api_error.hpp"
#include "text.hpp"

#include <imagine/json/value.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace imagine_emulator {

inline std::string_view json_kind_name(const json::value& v)
{
    switch (v.type()) {
    case json::value::kind::null:
        return "null";
    case json::value::kind::boolean:
        return "a boolean";
    case json::value::kind::number:
        return v.is_integer() ? "an integer" : "a decimal";
    case json::value::kind::string:
        return "a string";
    case json::value::kind::array:
        return "an array";
    case json::value::kind::object:
        return "an object";
    }
    return "a value";
}

class request_fields {
public:
    /// `object` must outlive this; `form`: values are multipart text (all strings).
    request_fields(const json::value::object& object, bool form, std::string prefix = {})
        : object_(&object), form_(form), prefix_(std::move(prefix))
    {
    }

    const json::value* find(std::string_view name) const
    {
        const json::value* found = nullptr;
        for (const auto& [key, value] : *object_)
            if (key == name)
                found = &value; // the last one wins, as in most JSON parsers
        return found && !found->is_null() ? found : nullptr;
    }

    bool has(std::string_view name) const { return find(name) != nullptr; }

    /// Throws unknown_parameter for the first key not in `allowed`.
    template <class Names>
    void check_known(const Names& allowed) const
    {
        for (const auto& [key, value] : *object_) {
            if (std::find(std::begin(allowed), std::end(allowed), key) == std::end(allowed))
                throw unknown_parameter(prefix_ + key);
        }
    }

    std::optional<std::string> string(std::string_view name) const
    {
        const auto* v = find(name);
        if (!v)
            return std::nullopt;
        if (!v->is_string())
            throw invalid_type(prefix_ + std::string(name), "a string", json_kind_name(*v));
        return v->as_string();
    }

    std::optional<std::int64_t> integer(std::string_view name) const
    {
        const auto* v = find(name);
        if (!v)
            return std::nullopt;
        if (form_) {
            if (auto i = parse_integer_text(v->as_string()))
                return i;
            throw invalid_type(prefix_ + std::string(name), "an integer", "a string");
        }
        if (v->is_integer() && v->get_if<std::int64_t>())
            return v->as_int64();
        if (v->get_if<std::uint64_t>()) // above int64: certainly above any maximum
            return std::numeric_limits<std::int64_t>::max();
        if (v->is_number()) { // 2.0 is accepted as 2; 2.5 is not an integer
            const double d = v->as_double();
            if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 1e15)
                return static_cast<std::int64_t>(d);
            throw invalid_type(prefix_ + std::string(name), "an integer", "a decimal");
        }
        throw invalid_type(prefix_ + std::string(name), "an integer", json_kind_name(*v));
    }

    std::optional<bool> boolean(std::string_view name) const
    {
        const auto* v = find(name);
        if (!v)
            return std::nullopt;
        if (form_) {
            const auto text = to_lower(trim(v->as_string()));
            if (text == "true" || text == "1")
                return true;
            if (text == "false" || text == "0")
                return false;
            throw invalid_type(prefix_ + std::string(name), "a boolean", "a string");
        }
        if (!v->is_bool())
            throw invalid_type(prefix_ + std::string(name), "a boolean", json_kind_name(*v));
        return v->as_bool();
    }

private:
    static std::optional<std::int64_t> parse_integer_text(std::string_view text)
    {
        text = trim(text);
        const bool negative = !text.empty() && text.front() == '-';
        const auto magnitude = parse_decimal<std::int64_t>(negative ? text.substr(1) : text);
        if (!magnitude)
            return std::nullopt;
        return negative ? -*magnitude : *magnitude;
    }

    const json::value::object* object_;
    bool form_;
    std::string prefix_;
};

} // namespace imagine_emulator
