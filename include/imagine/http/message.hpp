#pragma once

// What the client sends and what it returns: a request (method, URL, fields, body,
// per-request timeouts) and a buffered response, plus the serialization of a request
// head. Requests are validated while serializing, so a header value carrying CR/LF
// (header injection) is refused before a byte is sent.

#include <imagine/http/body.hpp>
#include <imagine/http/error.hpp>
#include <imagine/http/fields.hpp>
#include <imagine/http/url.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace imagine::http {

/// Time limits of one exchange. Each has its own error code. Zero means no limit.
struct timeout_options {
    /// Resolve + TCP connect + proxy CONNECT + TLS handshake (error::connect_timeout).
    std::chrono::milliseconds connect{std::chrono::seconds(30)};
    /// From the end of the request to the end of the response head
    /// (error::response_timeout). A non-streamed high quality image takes 1-4 minutes
    /// before the first response byte.
    std::chrono::milliseconds response{std::chrono::minutes(10)};
    /// Longest gap without a byte while writing the body or reading the response body
    /// (error::idle_timeout).
    std::chrono::milliseconds idle{std::chrono::minutes(2)};
    /// The whole exchange, redirects and body included (error::total_timeout).
    std::chrono::milliseconds total{std::chrono::minutes(15)};
};

/// What happened to a request on the wire, for callers that must know whether the
/// server may have acted on it (a retry of a fully sent generation can bill twice).
struct request_progress {
    /// Request bytes written to the last connection tried (head included).
    std::uint64_t bytes_written = 0;
    /// The whole request was written: the server may be processing it.
    bool sent = false;
    /// Some of the response has arrived.
    bool response_started = false;
};

struct request {
    std::string method = "GET";
    url target{};
    /// Host and Content-Length are written by the client; do not set them here.
    fields headers{};
    request_body body{};
    /// Replaces the client's timeouts for this request.
    std::optional<timeout_options> timeouts{};
    /// When set, updated as the request travels; must outlive the operation.
    request_progress* progress = nullptr;
};

struct response {
    unsigned status = 0;
    std::string reason{};
    fields headers{};
    std::string body{};
    /// The URL that answered (differs from the request's after redirects).
    url final_url{};
};

namespace detail {

inline void append_field(std::string& out, std::string_view name, std::string_view value)
{
    out.append(name).append(": ").append(value).append("\r\n");
}

/// The request head in origin form ("POST /v1/x HTTP/1.1"), with Host and, when there is
/// a body or the method usually carries one, Content-Length. Sets
/// error::invalid_request for an invalid method or field.
inline std::string serialize_head(const request& req, std::error_code& ec)
{
    ec.clear();
    std::string out;
    if (!is_token(req.method)) {
        ec = make_error_code(error::invalid_request);
        return out;
    }
    out.reserve(256);
    out.append(req.method).append(" ").append(req.target.target).append(" HTTP/1.1\r\n");
    append_field(out, "Host", req.target.host_header());
    for (const auto& field : req.headers) {
        if (!is_token(field.name) || !is_field_value(field.value)) {
            ec = make_error_code(error::invalid_request);
            out.clear();
            return out;
        }
        if (iequals(field.name, "host") || iequals(field.name, "content-length") ||
            iequals(field.name, "transfer-encoding"))
            continue; // ours to write
        append_field(out, field.name, field.value);
    }
    const std::uint64_t length = body_size(req.body);
    if (length > 0 || req.method == "POST" || req.method == "PUT" || req.method == "PATCH")
        append_field(out, "Content-Length", std::to_string(length));
    out.append("\r\n");
    return out;
}

} // namespace detail

} // namespace imagine::http
