#pragma once

// A dynamic JSON value, for what has no struct: extension data, tool types the library does
// not model, stream events and output items of types the API adds later. Hot paths read
// straight into structs; this is the escape hatch.
//
// Objects keep their members in document order (a vector of key/value pairs): the objects
// this carries are small, and order-preserving output is easier to read and to diff.
// Reading and writing live in read.hpp and write.hpp: `json::read<json::value>(text)`,
// `json::write(v)`.

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace imagine::json {

class value {
public:
    using array = std::vector<value>;
    using object = std::vector<std::pair<std::string, value>>;

    enum class kind { null, boolean, number, string, array, object };

    value() noexcept = default;
    value(std::nullptr_t) noexcept {}
    value(bool b) noexcept : data_(b) {}
    value(double d) noexcept : data_(d) {}
    value(float f) noexcept : data_(static_cast<double>(f)) {}
    value(const char* s) : data_(std::string(s)) {}
    value(std::string_view s) : data_(std::string(s)) {}
    value(std::string s) noexcept : data_(std::move(s)) {}
    value(array a) noexcept : data_(std::move(a)) {}
    value(object o) noexcept : data_(std::move(o)) {}

    template <class I>
        requires(std::is_integral_v<I> && !std::is_same_v<I, bool> && !std::is_same_v<I, char>)
    value(I i) noexcept
    {
        if constexpr (std::is_signed_v<I>)
            data_ = static_cast<std::int64_t>(i);
        else if (i <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            data_ = static_cast<std::int64_t>(i);
        else
            data_ = static_cast<std::uint64_t>(i);
    }

    kind type() const noexcept
    {
        switch (data_.index()) {
        case 0: return kind::null;
        case 1: return kind::boolean;
        case 2:
        case 3:
        case 4: return kind::number;
        case 5: return kind::string;
        case 6: return kind::array;
        default: return kind::object;
        }
    }

    bool is_null() const noexcept { return data_.index() == 0; }
    bool is_bool() const noexcept { return data_.index() == 1; }
    bool is_number() const noexcept { return type() == kind::number; }
    /// A number that was written without fraction or exponent and fits 64 bits.
    bool is_integer() const noexcept { return data_.index() == 2 || data_.index() == 3; }
    bool is_string() const noexcept { return data_.index() == 5; }
    bool is_array() const noexcept { return data_.index() == 6; }
    bool is_object() const noexcept { return data_.index() == 7; }

    /// Pointer to the alternative `T` (bool, std::int64_t, std::uint64_t, double,
    /// std::string, array, object), or nullptr.
    template <class T>
    const T* get_if() const noexcept
    {
        return std::get_if<T>(&data_);
    }
    template <class T>
    T* get_if() noexcept
    {
        return std::get_if<T>(&data_);
    }

    bool as_bool() const { return checked<bool>("a boolean"); }
    const std::string& as_string() const { return checked<std::string>("a string"); }
    const array& as_array() const { return checked<array>("an array"); }
    array& as_array() { return const_cast<array&>(std::as_const(*this).as_array()); }
    const object& as_object() const { return checked<object>("an object"); }
    object& as_object() { return const_cast<object&>(std::as_const(*this).as_object()); }

    /// The number as a signed 64-bit integer; throws if it is not an integer that fits.
    std::int64_t as_int64() const
    {
        if (auto* i = std::get_if<std::int64_t>(&data_))
            return *i;
        throw std::domain_error("imagine::json::value: not an integer that fits int64");
    }

    /// Any number as a double (large integers round).
    double as_double() const
    {
        if (auto* d = std::get_if<double>(&data_))
            return *d;
        if (auto* i = std::get_if<std::int64_t>(&data_))
            return static_cast<double>(*i);
        if (auto* u = std::get_if<std::uint64_t>(&data_))
            return static_cast<double>(*u);
        throw std::domain_error("imagine::json::value: not a number");
    }

    /// Elements of an array or members of an object; 0 for anything else.
    std::size_t size() const noexcept
    {
        if (auto* a = std::get_if<array>(&data_))
            return a->size();
        if (auto* o = std::get_if<object>(&data_))
            return o->size();
        return 0;
    }

    /// The member named `key`, or nullptr when this is not an object or has no such member.
    /// With duplicate keys, the last one counts, as it does when reading into a struct.
    const value* find(std::string_view key) const noexcept
    {
        if (auto* o = std::get_if<object>(&data_))
            for (auto it = o->rbegin(); it != o->rend(); ++it)
                if (it->first == key)
                    return &it->second;
        return nullptr;
    }
    value* find(std::string_view key) noexcept
    {
        return const_cast<value*>(std::as_const(*this).find(key));
    }

    bool contains(std::string_view key) const noexcept { return find(key) != nullptr; }

    const value& at(std::string_view key) const
    {
        if (auto* v = find(key))
            return *v;
        throw std::out_of_range("imagine::json::value: no member '" + std::string(key) + "'");
    }
    value& at(std::string_view key) { return const_cast<value&>(std::as_const(*this).at(key)); }

    const value& at(std::size_t index) const
    {
        const array& a = as_array();
        if (index >= a.size())
            throw std::out_of_range("imagine::json::value: index " + std::to_string(index) +
                                    " out of range (size " + std::to_string(a.size()) + ")");
        return a[index];
    }
    value& at(std::size_t index) { return const_cast<value&>(std::as_const(*this).at(index)); }

    /// Member access that creates: a null value becomes an empty object, a missing member
    /// is appended as null.
    value& operator[](std::string_view key)
    {
        if (is_null())
            data_ = object{};
        if (auto* v = find(key))
            return *v;
        object& o = as_object();
        o.emplace_back(std::string(key), value{});
        return o.back().second;
    }

    /// Checked element access (throws std::out_of_range).
    value& operator[](std::size_t index) { return at(index); }
    const value& operator[](std::size_t index) const { return at(index); }

    void push_back(value v)
    {
        if (is_null())
            data_ = array{};
        as_array().push_back(std::move(v));
    }

    /// Numbers compare by value across representations (1 == 1.0); objects compare as
    /// sets of members, whatever their order.
    friend bool operator==(const value& a, const value& b) noexcept
    {
        if (a.is_number() && b.is_number())
            return numbers_equal(a, b);
        if (a.data_.index() != b.data_.index())
            return false;
        if (auto* ao = std::get_if<object>(&a.data_)) {
            // Same keys, and each key's (last) value equal; checked both ways so that
            // duplicate keys cannot make the comparison one-sided.
            for (auto& [k, v] : *ao) {
                const value* other = b.find(k);
                if (!other || !(*a.find(k) == *other))
                    return false;
            }
            for (auto& [k, v] : std::get<object>(b.data_))
                if (!a.find(k))
                    return false;
            return true;
        }
        return a.data_ == b.data_;
    }

private:
    template <class T>
    const T& checked(const char* what) const
    {
        if (auto* p = std::get_if<T>(&data_))
            return *p;
        throw std::domain_error(std::string("imagine::json::value: not ") + what);
    }

    static bool numbers_equal(const value& a, const value& b) noexcept
    {
        if (a.data_.index() == b.data_.index())
            return a.data_ == b.data_;
        // int64 and uint64 never hold the same number: uint64 is used only above int64.
        if (a.is_integer() && b.is_integer())
            return false;
        double x = a.as_double_unchecked(), y = b.as_double_unchecked();
        if (x != y)
            return false;
        // Equal as doubles; make sure the integer side converted exactly.
        const value& integer = a.is_integer() ? a : b;
        double d = a.is_integer() ? y : x;
        if (!(std::fabs(d) < 18446744073709551616.0))
            return false;
        if (auto* i = std::get_if<std::int64_t>(&integer.data_))
            return d >= -9223372036854775808.0 && d < 9223372036854775808.0 &&
                   static_cast<std::int64_t>(d) == *i;
        return d >= 0 && static_cast<std::uint64_t>(d) == std::get<std::uint64_t>(integer.data_);
    }

    double as_double_unchecked() const noexcept
    {
        switch (data_.index()) {
        case 2: return static_cast<double>(std::get<std::int64_t>(data_));
        case 3: return static_cast<double>(std::get<std::uint64_t>(data_));
        default: return std::get<double>(data_);
        }
    }

    std::variant<std::nullptr_t, bool, std::int64_t, std::uint64_t, double, std::string, array,
        object>
        data_;
};

} // namespace imagine::json
