#pragma once

// Responses as handlers produce them: a status, header fields and either a whole body
// or an event stream that the connection writes chunked, paced and possibly broken by
// faults. Only the head is serialized here; bodies go out as they are.

#include "http_request.hpp"
#include "sse.hpp"

#include <chrono>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace imagine_emulator {

struct http_response {
    int status = 200;
    header_list headers{};
    std::string body{};
    std::optional<event_stream> events{};    ///< set: text/event-stream, chunked
    std::chrono::milliseconds event_delay{}; ///< between two events
    bool close = false;                      ///< end the connection after this response

    void set(std::string name, std::string value)
    {
        for (auto& [n, v] : headers)
            if (iequals(n, name)) {
                v = std::move(value);
                return;
            }
        headers.emplace_back(std::move(name), std::move(value));
    }
    std::optional<std::string_view> header(std::string_view name) const
    {
        for (const auto& [n, v] : headers)
            if (iequals(n, name))
                return std::string_view(v);
        return std::nullopt;
    }
};

inline http_response json_response(int status, std::string body)
{
    http_response response;
    response.status = status;
    response.headers.emplace_back("Content-Type", "application/json");
    response.body = std::move(body);
    return response;
}

inline std::string_view reason_phrase(int status) noexcept
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 413:
        return "Payload Too Large";
    case 415:
        return "Unsupported Media Type";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Unknown";
    }
}

inline std::string http_date()
{
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[64];
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    return text;
}

/// The status line and fields, with Content-Length or Transfer-Encoding: chunked and
/// Connection as the response's shape demands.
inline std::string serialize_head(const http_response& response, bool keep_alive)
{
    std::string head = "HTTP/1.1 " + std::to_string(response.status) + " ";
    head += reason_phrase(response.status);
    head += "\r\nDate: " + http_date() + "\r\n";
    for (const auto& [name, value] : response.headers)
        head += name + ": " + value + "\r\n";
    if (response.events)
        head += "Transfer-Encoding: chunked\r\n";
    else
        head += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    if (!keep_alive || response.close)
        head += "Connection: close\r\n";
    head += "\r\n";
    return head;
}

} // namespace imagine_emulator
