#pragma once

// Query strings (`?a=1&include[]=x&include[]=y`): split on '&', names and values
// percent-decoded ('+' is a space, as HTML forms encode it). Parameters keep their order
// and may repeat, which `include[]` does.

#include "text.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace imagine_emulator {

namespace query_detail {

inline int hex_digit(char c) noexcept
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = ascii_lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

} // namespace query_detail

/// `%XX` and '+' decoded; a '%' not followed by two hex digits stays as it is.
inline std::string percent_decode(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%' && i + 2 < text.size() &&
                   query_detail::hex_digit(text[i + 1]) >= 0 &&
                   query_detail::hex_digit(text[i + 2]) >= 0) {
            out += static_cast<char>(query_detail::hex_digit(text[i + 1]) * 16 +
                                     query_detail::hex_digit(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

class query_params {
public:
    query_params() = default;
    explicit query_params(std::string_view query)
    {
        for (const auto parameter : split_list(query, '&')) {
            const auto eq = parameter.find('=');
            params_.emplace_back(percent_decode(parameter.substr(0, eq)),
                                 eq == std::string_view::npos
                                     ? std::string()
                                     : percent_decode(parameter.substr(eq + 1)));
        }
    }

    /// The first value of `name`, or nullopt.
    std::optional<std::string> first(std::string_view name) const
    {
        for (const auto& [n, v] : params_)
            if (n == name)
                return v;
        return std::nullopt;
    }

    /// Every value of `name`, in order.
    std::vector<std::string> all(std::string_view name) const
    {
        std::vector<std::string> out;
        for (const auto& [n, v] : params_)
            if (n == name)
                out.push_back(v);
        return out;
    }

private:
    std::vector<std::pair<std::string, std::string>> params_{};
};

} // namespace imagine_emulator
