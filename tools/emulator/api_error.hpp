#pragma once

// OpenAI-style errors: {"error":{"message","type","param","code"}}. Handlers throw
// api_error; the router turns it into the response. Messages follow the wording the
// real API uses, so clients that show them to users are tested with realistic text.

#include "text.hpp"

#include <imagine/json/value.hpp>
#include <imagine/json/write.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace imagine_emulator {

namespace json = imagine::json;

struct api_error : std::runtime_error {
    int status = 400;
    std::string type = "invalid_request_error";
    std::optional<std::string> param{};
    std::optional<std::string> code{};

    api_error(int status_code, std::string message, std::optional<std::string> param_name = {},
              std::optional<std::string> error_code = {},
              std::string error_type = "invalid_request_error")
        : std::runtime_error(valid_utf8(message)), status(status_code), type(std::move(error_type)),
          param(std::move(param_name)), code(std::move(error_code))
    {
    }

    std::string body() const
    {
        auto optional = [](const std::optional<std::string>& s) {
            return s ? json::value(valid_utf8(*s)) : json::value(nullptr);
        };
        return json::write(json::value(
            json::value::object{{"error", json::value::object{{"message", std::string(what())},
                                                              {"type", type},
                                                              {"param", optional(param)},
                                                              {"code", optional(code)}}}}));
    }
};

/// 400 invalid_request_error with a param and a code: the validation errors.
inline api_error invalid_request(std::string message, std::string param, std::string code)
{
    return api_error(400, std::move(message), std::move(param), std::move(code));
}

/// "'a', 'b', and 'c'" / "'a' and 'b'" / "'a'", as the API lists supported values.
inline std::string quoted_list(const std::vector<std::string_view>& values)
{
    std::string out;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0)
            out += values.size() == 2 ? " and " : (i + 1 == values.size() ? ", and " : ", ");
        out += "'";
        out += values[i];
        out += "'";
    }
    return out;
}

inline api_error invalid_value(std::string_view param, std::string_view value,
                               const std::vector<std::string_view>& supported)
{
    return invalid_request("Invalid value: '" + std::string(value) +
                               "'. Supported values are: " + quoted_list(supported) + ".",
                           std::string(param), "invalid_value");
}

inline api_error unknown_parameter(std::string_view name)
{
    return invalid_request("Unknown parameter: '" + std::string(name) + "'.", std::string(name),
                           "unknown_parameter");
}

inline api_error missing_parameter(std::string_view name)
{
    return invalid_request("Missing required parameter: '" + std::string(name) + "'.",
                           std::string(name), "missing_required_parameter");
}

inline api_error invalid_type(std::string_view name, std::string_view expected,
                              std::string_view got)
{
    return invalid_request("Invalid type for '" + std::string(name) + "': expected " +
                               std::string(expected) + ", but got " + std::string(got) +
                               " instead.",
                           std::string(name), "invalid_type");
}

/// The 401 for a request without a key (exact text of the real API).
inline api_error missing_api_key()
{
    return api_error(401,
                     "You didn't provide an API key. You need to provide your API key in an "
                     "Authorization header using Bearer auth (i.e. Authorization: Bearer "
                     "YOUR_KEY), or as the password field (i.e. username is YOUR_KEY) if you're "
                     "accessing the API from your browser. You can obtain an API key from "
                     "https://platform.openai.com/account/api-keys.");
}

/// The key as the API shows it: the first 8 characters, stars, the last 4.
inline std::string mask_api_key(std::string_view key)
{
    if (key.size() <= 12)
        return std::string(key.substr(0, std::min<std::size_t>(key.size(), 8))) +
               std::string(key.size() > 8 ? key.size() - 8 : 0, '*');
    return std::string(key.substr(0, 8)) + std::string(key.size() - 12, '*') +
           std::string(key.substr(key.size() - 4));
}

inline api_error invalid_api_key(std::string_view key)
{
    return api_error(401,
                     "Incorrect API key provided: " + mask_api_key(key) +
                         ". You can find your API key at "
                         "https://platform.openai.com/account/api-keys.",
                     std::nullopt, "invalid_api_key");
}

inline api_error server_error(int status, std::string message)
{
    return api_error(status, std::move(message), std::nullopt, std::nullopt, "server_error");
}

} // namespace imagine_emulator
