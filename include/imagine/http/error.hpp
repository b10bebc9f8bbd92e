#pragma once

// Error codes of the HTTP layer: URL, parser, SSE, multipart, connection, TLS, proxy and
// redirect failures, each its own value so callers (and the retry policy above) can
// tell them apart without parsing messages. OS and Asio errors pass through unchanged
// (std::errc / asio::error); these are the cases where imagine knows more than they do.

#include <string>
#include <system_error>
#include <type_traits>

namespace imagine::http {

enum class error {
    // URL
    invalid_url = 1,    ///< not a URL imagine can use (syntax, host, port)
    unsupported_scheme, ///< a scheme other than http / https

    // Response parser
    bad_status_line,                ///< malformed "HTTP/1.x NNN reason" line
    bad_version,                    ///< not HTTP/1.0 or HTTP/1.1
    bad_header,                     ///< malformed header line, name or value
    bad_content_length,             ///< Content-Length not a number, or two different values
    bad_transfer_encoding,          ///< a Transfer-Encoding other than (… ,) chunked
    bad_chunk,                      ///< malformed chunk size line, extension or CRLF
    header_limit_exceeded,          ///< the head is larger than parser_limits::header_limit
    body_limit_exceeded,            ///< the body is larger than parser_limits::body_limit
    length_mismatch,                ///< the connection ended before Content-Length bytes
    premature_end,                  ///< the connection ended inside the head or a chunked body
    chunk_extension_limit_exceeded, ///< one chunk line's extensions are too long

    // Server-sent events
    event_too_large, ///< one event is larger than sse_options::max_event_size

    // Requests
    invalid_request,     ///< a method, header name or value with CR, LF or other invalid bytes
    body_size_changed,   ///< a streamed body (a file) is not the size it was when measured
    body_not_replayable, ///< a retry or redirect needs the body again and it cannot rewind

    // Connection and timeouts
    connect_timeout,   ///< resolve + connect + TLS handshake (+ proxy CONNECT) too slow
    response_timeout,  ///< request sent, no complete response head in time
    idle_timeout,      ///< too long without a byte while reading the body
    total_timeout,     ///< the whole exchange's deadline passed
    connection_closed, ///< the server closed the connection before answering

    // TLS
    tls_handshake_failed,       ///< the TLS handshake failed for a reason not listed below
    tls_protocol_version,       ///< the server offers no TLS version >= 1.2
    certificate_expired,        ///< the server certificate has expired
    certificate_not_yet_valid,  ///< the server certificate is not valid yet
    certificate_self_signed,    ///< self-signed certificate not in the trust store
    certificate_unknown_issuer, ///< the issuing CA is not trusted
    certificate_host_mismatch,  ///< the certificate does not name the host
    certificate_ip_mismatch,    ///< the certificate does not name the IP address
    certificate_verify_failed,  ///< any other certificate verification failure
    tls_configuration,          ///< a CA file, directory, PEM or client certificate failed to load

    // Proxy
    invalid_proxy,        ///< the proxy setting is not an http:// URL
    proxy_connect_failed, ///< the proxy answered CONNECT with a non-2xx status
    proxy_auth_required,  ///< the proxy answered 407: credentials missing or wrong

    // Redirects
    too_many_redirects, ///< more than 5 redirects
    bad_redirect,       ///< a 307/308 without a usable Location, or to a non-https URL
};

} // namespace imagine::http

template <>
struct std::is_error_code_enum<imagine::http::error> : std::true_type {
};

namespace imagine::http {

namespace detail {

class error_category_impl final : public std::error_category {
public:
    const char* name() const noexcept override { return "imagine.http"; }

    std::string message(int value) const override
    {
        switch (static_cast<error>(value)) {
        case error::invalid_url:
            return "invalid URL";
        case error::unsupported_scheme:
            return "unsupported URL scheme (only http and https)";
        case error::bad_status_line:
            return "malformed HTTP status line";
        case error::bad_version:
            return "unsupported HTTP version (only HTTP/1.0 and HTTP/1.1)";
        case error::bad_header:
            return "malformed HTTP header field";
        case error::bad_content_length:
            return "invalid or conflicting Content-Length";
        case error::bad_transfer_encoding:
            return "unsupported Transfer-Encoding (only chunked)";
        case error::bad_chunk:
            return "malformed chunked transfer encoding";
        case error::header_limit_exceeded:
            return "HTTP response head exceeds the header size limit";
        case error::body_limit_exceeded:
            return "HTTP response body exceeds the body size limit";
        case error::length_mismatch:
            return "connection ended before the Content-Length was reached";
        case error::premature_end:
            return "connection ended in the middle of an HTTP response";
        case error::chunk_extension_limit_exceeded:
            return "chunk extensions exceed the size limit";
        case error::event_too_large:
            return "server-sent event exceeds the maximum event size";
        case error::invalid_request:
            return "invalid request: method, header name or value contains invalid characters";
        case error::body_size_changed:
            return "request body source changed size while being sent";
        case error::body_not_replayable:
            return "request body cannot be sent again";
        case error::connect_timeout:
            return "timed out connecting (resolve, connect, TLS handshake)";
        case error::response_timeout:
            return "timed out waiting for the response head";
        case error::idle_timeout:
            return "timed out: no data received within the idle timeout";
        case error::total_timeout:
            return "timed out: the request's total deadline passed";
        case error::connection_closed:
            return "connection closed by the server before a response";
        case error::tls_handshake_failed:
            return "TLS handshake failed";
        case error::tls_protocol_version:
            return "TLS handshake failed: the server does not offer TLS 1.2 or later";
        case error::certificate_expired:
            return "TLS certificate verification failed: certificate has expired";
        case error::certificate_not_yet_valid:
            return "TLS certificate verification failed: certificate is not yet valid";
        case error::certificate_self_signed:
            return "TLS certificate verification failed: self-signed certificate is not trusted";
        case error::certificate_unknown_issuer:
            return "TLS certificate verification failed: issuer (CA) is not trusted";
        case error::certificate_host_mismatch:
            return "TLS certificate verification failed: certificate does not match the host name";
        case error::certificate_ip_mismatch:
            return "TLS certificate verification failed: certificate does not match the IP address";
        case error::certificate_verify_failed:
            return "TLS certificate verification failed";
        case error::tls_configuration:
            return "TLS configuration error (CA file/directory/PEM or client certificate)";
        case error::invalid_proxy:
            return "invalid proxy setting (expected http://[user:password@]host[:port])";
        case error::proxy_connect_failed:
            return "the proxy refused the CONNECT request";
        case error::proxy_auth_required:
            return "the proxy requires authentication (407)";
        case error::too_many_redirects:
            return "too many redirects";
        case error::bad_redirect:
            return "redirect without a usable https Location";
        }
        return "unknown imagine.http error";
    }
};

} // namespace detail

/// The category of http::error values (name "imagine.http").
inline const std::error_category& category() noexcept
{
    static const detail::error_category_impl instance;
    return instance;
}

inline std::error_code make_error_code(error e) noexcept
{
    return {static_cast<int>(e), category()};
}

/// True for the four timeout codes.
inline bool is_timeout(const std::error_code& ec) noexcept
{
    return ec.category() == category() &&
           (ec.value() == static_cast<int>(error::connect_timeout) ||
            ec.value() == static_cast<int>(error::response_timeout) ||
            ec.value() == static_cast<int>(error::idle_timeout) ||
            ec.value() == static_cast<int>(error::total_timeout));
}

} // namespace imagine::http
