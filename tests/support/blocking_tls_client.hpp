#pragma once

// The blocking side of the test support: TCP connect and send helpers, the HTTP/1.1
// framing rules the test server shares (http_text), and blocking_tls_client, a minimal
// OpenSSL client. The client is the reference the library's client is checked against
// and the benchmark "floor": one SSL_read per up to 64 KiB straight into a response
// buffer reserved to its Content-Length, no copies beyond that.

#include "process.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "certs.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

namespace imagine::test {

/// OpenSSL's queued errors as text (and the queue cleared); "" if none.
inline std::string openssl_errors()
{
    std::string text;
    while (const unsigned long code = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        text += text.empty() ? "" : "; ";
        text += buffer;
    }
    return text;
}

// Small, strict helpers over raw HTTP/1.1 text, enough for test assertions and for
// framing messages; not a parser (the library has one, and is tested against these).
namespace http_text {

inline bool iequals(std::string_view a, std::string_view b) noexcept
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

inline std::string_view trim(std::string_view text) noexcept
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

/// Size of the head including its final CRLF CRLF, or npos if incomplete.
inline std::size_t head_size(std::string_view message) noexcept
{
    const auto end = message.find("\r\n\r\n");
    return end == std::string_view::npos ? end : end + 4;
}

/// The value of the first header `name` (case-insensitive) in the head of `message`.
inline std::optional<std::string_view> header_value(std::string_view message,
                                                    std::string_view name) noexcept
{
    auto head = message.substr(0, std::min(head_size(message), message.size()));
    auto line_end = head.find("\r\n"); // skip the start line
    while (line_end != std::string_view::npos) {
        head.remove_prefix(line_end + 2);
        line_end = head.find("\r\n");
        const auto line = head.substr(0, line_end);
        const auto colon = line.find(':');
        if (colon != std::string_view::npos && iequals(line.substr(0, colon), name))
            return trim(line.substr(colon + 1));
    }
    return std::nullopt;
}

/// True if the comma-separated header value `list` contains `token` (case-insensitive).
inline bool has_token(std::string_view list, std::string_view token) noexcept
{
    while (!list.empty()) {
        const auto comma = list.find(',');
        if (iequals(trim(list.substr(0, comma)), token))
            return true;
        if (comma == std::string_view::npos)
            break;
        list.remove_prefix(comma + 1);
    }
    return false;
}

/// The status code of a response ("HTTP/1.1 200 OK" -> 200); 0 if malformed.
inline int status_code(std::string_view response) noexcept
{
    if (response.size() < 12 || response.substr(0, 5) != "HTTP/" || response[8] != ' ')
        return 0;
    int code = 0;
    for (std::size_t i = 9; i < 12; ++i) {
        if (response[i] < '0' || response[i] > '9')
            return 0;
        code = code * 10 + (response[i] - '0');
    }
    return code;
}

/// Everything after the head ("" if the head is incomplete).
inline std::string_view body(std::string_view message) noexcept
{
    const auto size = head_size(message);
    return size == std::string_view::npos ? std::string_view{} : message.substr(size);
}

/// Parses one chunk-size line at `text` ("1a;ext=x\r\n"): the size and the line's
/// length, or nullopt if the line is incomplete. Throws if it is malformed.
inline std::optional<std::pair<std::size_t, std::size_t>> chunk_line(std::string_view text)
{
    const auto end = text.find("\r\n");
    if (end == std::string_view::npos)
        return std::nullopt;
    std::size_t size = 0;
    std::size_t digits = 0;
    for (; digits < end && std::isxdigit(static_cast<unsigned char>(text[digits])); ++digits) {
        if (size > (SIZE_MAX >> 4))
            throw std::runtime_error("chunk size overflows");
        const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(text[digits])));
        size = size * 16 + static_cast<std::size_t>(c <= '9' ? c - '0' : c - 'a' + 10);
    }
    if (digits == 0 || (digits < end && text[digits] != ';' && text[digits] != ' '))
        throw std::runtime_error("malformed chunk size line");
    return std::pair{size, end + 2};
}

/// Decodes a complete chunked body (trailers are skipped). Throws if malformed or
/// incomplete.
inline std::string decode_chunked(std::string_view chunked)
{
    std::string out;
    for (;;) {
        const auto line = chunk_line(chunked);
        if (!line)
            throw std::runtime_error("incomplete chunked body");
        const auto [size, line_size] = *line;
        chunked.remove_prefix(line_size);
        if (size == 0)
            return out; // trailers (if any) follow; tests have no use for them
        if (chunked.size() < size + 2 || chunked.substr(size, 2) != "\r\n")
            throw std::runtime_error("incomplete or malformed chunk");
        out.append(chunked.substr(0, size));
        chunked.remove_prefix(size + 2);
    }
}

} // namespace http_text

/// A blocking TCP connection to host:port (numeric or resolved with getaddrinfo), with
/// TCP_NODELAY: tests send small messages and must not wait for Nagle.
inline unique_fd connect_tcp(const std::string& host, std::uint16_t port)
{
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* results = nullptr;
    const auto service = std::to_string(port);
    if (const int error = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &results))
        throw std::runtime_error("getaddrinfo " + host + ": " + ::gai_strerror(error));
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> guard(results, &::freeaddrinfo);
    int last_error = 0;
    for (auto* ai = results; ai != nullptr; ai = ai->ai_next) {
        unique_fd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol));
        if (!fd)
            continue;
        if (::connect(fd.get(), ai->ai_addr, ai->ai_addrlen) == 0) {
            const int one = 1;
            ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            return fd;
        }
        last_error = errno;
    }
    errno = last_error;
    throw_errno("connect " + host + ":" + service);
}

/// Writes all of `bytes` to a socket (MSG_NOSIGNAL: EPIPE instead of SIGPIPE).
inline void send_all(int fd, std::string_view bytes)
{
    while (!bytes.empty()) {
        const auto sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR)
                continue;
            throw_errno("send");
        }
        bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
}

/// Reads a response head byte by byte up to its CRLF CRLF and nothing beyond, so the
/// socket can go on to carry TLS (a proxy's CONNECT answer). "" if the peer closed.
inline std::string read_head(int fd)
{
    std::string head;
    while (head.size() < 4 || head.compare(head.size() - 4, 4, "\r\n\r\n") != 0) {
        char c = 0;
        const auto got = ::recv(fd, &c, 1, 0);
        if (got == 0) {
            if (!head.empty())
                throw std::runtime_error("peer closed inside a head");
            return head;
        }
        if (got < 0) {
            if (errno == EINTR)
                continue;
            throw_errno("recv");
        }
        head += c;
        if (head.size() > 64 * 1024)
            throw std::runtime_error("response head larger than 64 KiB");
    }
    return head;
}

struct tls_client_options {
    bool tls = true;           ///< false: plain TCP (same framing, no TLS)
    std::string ca_pem{};      ///< trust anchors (PEM, several allowed); empty: no verification
    std::string server_name{}; ///< SNI and certificate name check; empty: the host
    std::optional<pem_pair> client_certificate{}; ///< for mTLS
    int min_tls_version = 0;                      ///< e.g. TLS1_1_VERSION; 0: OpenSSL default
    int max_tls_version = 0; ///< below TLS 1.2 also lowers the security level to 0
};

namespace tls_detail {
struct ctx_free {
    void operator()(SSL_CTX* p) const noexcept { SSL_CTX_free(p); }
};
struct ssl_free {
    void operator()(SSL* p) const noexcept { SSL_free(p); }
};
using ctx_ptr = std::unique_ptr<SSL_CTX, ctx_free>;
using ssl_ptr = std::unique_ptr<SSL, ssl_free>;

/// Adds every certificate in `pem` to the context's trust store.
inline void add_trust(SSL_CTX* ctx, const std::string& pem)
{
    auto bio = certs_detail::memory_bio(pem);
    int added = 0;
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), cert);
        X509_free(cert);
        ++added;
    }
    ERR_clear_error(); // the read that ended the loop queued "no start line"
    if (added == 0)
        throw std::runtime_error("no certificate in the trusted PEM");
}

/// Loads a certificate (with any chain certificates after it) and its key.
inline void use_pair(SSL_CTX* ctx, const pem_pair& pair)
{
    auto bio = certs_detail::memory_bio(pair.cert);
    certs_detail::x509_ptr leaf(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!leaf || SSL_CTX_use_certificate(ctx, leaf.get()) != 1)
        throw std::runtime_error("certificate: " + openssl_errors());
    while (X509* extra = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
        SSL_CTX_add0_chain_cert(ctx, extra); // takes ownership
    ERR_clear_error();
    auto key = certs_detail::parse_key(pair.key);
    if (SSL_CTX_use_PrivateKey(ctx, key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1)
        throw std::runtime_error("private key: " + openssl_errors());
}

/// Protocol bounds; OpenSSL 3 refuses TLS 1.0/1.1 at the default security level 1
/// (SHA-1 signatures), so a range reaching below TLS 1.2 also lowers it to 0.
inline void set_versions(SSL_CTX* ctx, int min_version, int max_version)
{
    if (min_version != 0)
        SSL_CTX_set_min_proto_version(ctx, min_version);
    if (max_version != 0)
        SSL_CTX_set_max_proto_version(ctx, max_version);
    if ((min_version != 0 && min_version < TLS1_2_VERSION) ||
        (max_version != 0 && max_version < TLS1_2_VERSION)) {
        SSL_CTX_set_security_level(ctx, 0);
        SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0");
    }
}
} // namespace tls_detail

class blocking_tls_client {
public:
    /// Connects to host:port and completes the TLS handshake, verifying the server
    /// against `ca_pem` and `host`. Throws std::runtime_error on any failure.
    /// (A template only so that a braced tls_client_options argument never matches it:
    /// g++ 12 would try to make a std::string from `{.ca_pem = ..., ...}`.)
    template <class String,
              std::enable_if_t<std::is_convertible_v<const String&, std::string>, int> = 0>
    blocking_tls_client(const std::string& host, std::uint16_t port, const String& ca_pem)
        : blocking_tls_client(host, port, tls_client_options{.ca_pem = std::string(ca_pem)})
    {
    }

    blocking_tls_client(const std::string& host, std::uint16_t port, tls_client_options options)
        : blocking_tls_client(connect_tcp(host, port), host, std::move(options))
    {
    }

    /// Over an already connected socket (e.g. a proxy tunnel); `host` names the origin.
    blocking_tls_client(unique_fd connected, const std::string& host, tls_client_options options)
        : fd_(std::move(connected))
    {
        ignore_sigpipe();
        if (!options.tls)
            return;
        ctx_.reset(SSL_CTX_new(TLS_client_method()));
        if (!ctx_)
            throw std::runtime_error("SSL_CTX_new: " + openssl_errors());
        tls_detail::set_versions(ctx_.get(), options.min_tls_version, options.max_tls_version);
        const bool verify = !options.ca_pem.empty();
        if (verify)
            tls_detail::add_trust(ctx_.get(), options.ca_pem);
        SSL_CTX_set_verify(ctx_.get(), verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
        if (options.client_certificate)
            tls_detail::use_pair(ctx_.get(), *options.client_certificate);

        ssl_.reset(SSL_new(ctx_.get()));
        if (!ssl_ || SSL_set_fd(ssl_.get(), fd_.get()) != 1)
            throw std::runtime_error("SSL_new: " + openssl_errors());
        const auto name = options.server_name.empty() ? host : options.server_name;
        in6_addr ignored{};
        const bool ip_literal = ::inet_pton(AF_INET, name.c_str(), &ignored) == 1 ||
                                ::inet_pton(AF_INET6, name.c_str(), &ignored) == 1;
        if (!ip_literal) // RFC 6066: SNI carries host names only
            SSL_set_tlsext_host_name(ssl_.get(), name.c_str());
        if (verify)
            SSL_set1_host(ssl_.get(), name.c_str()); // IP literals are matched to IP SANs
        if (SSL_connect(ssl_.get()) != 1) {
            const auto result = SSL_get_verify_result(ssl_.get());
            throw std::runtime_error(
                "TLS handshake with " + name + " failed: " + openssl_errors() +
                (result != X509_V_OK
                     ? std::string(" (verify: ") + X509_verify_cert_error_string(result) + ")"
                     : std::string()));
        }
    }

    blocking_tls_client(blocking_tls_client&&) noexcept = default;
    blocking_tls_client& operator=(blocking_tls_client&&) noexcept = default;

    /// Sends close_notify if the connection is still healthy (cheap: one write).
    ~blocking_tls_client()
    {
        if (ssl_ && !failed_ && !eof_)
            SSL_shutdown(ssl_.get());
    }

    /// Writes `raw_http_request` and reads one response: returns its head and body (a
    /// chunked body decoded; the head still says "Transfer-Encoding: chunked"). 1xx
    /// interim responses are skipped. The connection stays open for the next request
    /// unless the response ended it.
    std::string request(std::string_view raw_http_request)
    {
        write(raw_http_request);
        return read_response(raw_http_request.substr(0, 5) == "HEAD ");
    }

    void write(std::string_view bytes)
    {
        if (!ssl_)
            return send_all(fd_.get(), bytes);
        while (!bytes.empty()) {
            const int chunk = static_cast<int>(std::min<std::size_t>(bytes.size(), INT_MAX));
            const int written = SSL_write(ssl_.get(), bytes.data(), chunk);
            if (written <= 0) {
                failed_ = true;
                throw std::runtime_error("SSL_write: " + openssl_errors());
            }
            bytes.remove_prefix(static_cast<std::size_t>(written));
        }
    }

    /// Reads one response (see request()); `head_request`: the request was HEAD, so the
    /// response has no body whatever its headers say.
    std::string read_response(bool head_request = false)
    {
        std::string response;
        std::size_t head = 0;
        for (;;) { // skip 1xx interim responses (100 Continue), not 101
            while ((head = http_text::head_size(pending())) == std::string_view::npos) {
                if (fill() == 0)
                    throw std::runtime_error("connection closed before a response head");
            }
            response.assign(pending().substr(0, head));
            consume(head);
            const int status = http_text::status_code(response);
            if (status == 0)
                throw std::runtime_error("malformed status line: " + response);
            if (status >= 200 || status == 101)
                break;
        }
        const int status = http_text::status_code(response);
        const auto connection = http_text::header_value(response, "Connection");
        if ((connection && http_text::has_token(*connection, "close")) ||
            response.compare(0, 8, "HTTP/1.0") == 0)
            closing_ = true;
        if (head_request || status == 204 || status == 304 || status == 101)
            return response;

        const auto encoding = http_text::header_value(response, "Transfer-Encoding");
        if (encoding && http_text::has_token(*encoding, "chunked"))
            return read_chunked(std::move(response));
        if (const auto length = http_text::header_value(response, "Content-Length"))
            return read_exact(std::move(response), std::stoull(std::string(*length)));
        while (fill() != 0) { // no length: the body ends with the connection
        }
        response.append(pending());
        consume(pending().size());
        closing_ = true;
        return response;
    }

    /// True once the server has ended the connection (EOF, reset), waiting up to
    /// `limit`. Bytes that arrive meanwhile are kept for the next read.
    bool wait_peer_closed(std::chrono::milliseconds limit)
    {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!eof_) {
            if (!(ssl_ && SSL_pending(ssl_.get()) > 0)) {
                const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now());
                pollfd p{fd_.get(), POLLIN, 0};
                if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) == 0)
                    return false;
            }
            try {
                fill();
            } catch (const std::exception&) {
                eof_ = true; // a reset or TLS alert also ends the connection
            }
        }
        return true;
    }

    /// The response said "Connection: close" (or was HTTP/1.0, or had no length).
    bool closing() const noexcept { return closing_; }
    /// The server ended TLS with close_notify (false: a truncated, "unclean" end).
    bool peer_sent_close_notify() const noexcept { return close_notify_; }
    /// "TLSv1.3", "TLSv1.1", ...; "" for plain TCP.
    std::string tls_version() const { return ssl_ ? SSL_get_version(ssl_.get()) : ""; }
    /// True if the handshake resumed a session (never for the first connection).
    bool session_reused() const { return ssl_ && SSL_session_reused(ssl_.get()) == 1; }
    int native_handle() const noexcept { return fd_.get(); }

private:
    static constexpr std::size_t read_chunk = 64 * 1024;

    std::string_view pending() const noexcept
    {
        return {in_.get() + in_begin_, in_end_ - in_begin_};
    }
    void consume(std::size_t n) noexcept
    {
        in_begin_ += n;
        if (in_begin_ == in_end_)
            in_begin_ = in_end_ = 0;
    }

    // One read of up to `size` bytes into `out`; 0 at EOF (clean or not: a server
    // that closes without close_notify has still finished its message).
    std::size_t read_into(char* out, std::size_t size)
    {
        if (eof_)
            return 0;
        const int want = static_cast<int>(std::min<std::size_t>(size, INT_MAX));
        if (!ssl_) {
            for (;;) {
                const auto got = ::recv(fd_.get(), out, static_cast<std::size_t>(want), 0);
                if (got > 0)
                    return static_cast<std::size_t>(got);
                if (got < 0 && errno == EINTR)
                    continue;
                eof_ = true;
                if (got < 0 && errno != ECONNRESET)
                    throw_errno("recv");
                return 0;
            }
        }
        const int got = SSL_read(ssl_.get(), out, want);
        if (got > 0)
            return static_cast<std::size_t>(got);
        const int error = SSL_get_error(ssl_.get(), got);
        eof_ = true;
        if (error == SSL_ERROR_ZERO_RETURN)
            close_notify_ = true;
        if (error == SSL_ERROR_ZERO_RETURN || error == SSL_ERROR_SYSCALL) {
            ERR_clear_error();
            return 0;
        }
        if (ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
            ERR_clear_error();
            return 0;
        }
        failed_ = true;
        throw std::runtime_error("SSL_read: " + openssl_errors());
    }

    // Appends one read to the pending bytes; 0 at EOF. The buffer is never zero-filled
    // (std::string::resize would clear 64 KiB per read), and it grows only for a head
    // larger than itself.
    std::size_t fill()
    {
        if (in_capacity_ - in_end_ < read_chunk / 4) {
            const auto size = in_end_ - in_begin_;
            if (in_begin_ > 0 && in_capacity_ - size >= read_chunk / 4) {
                std::memmove(in_.get(), in_.get() + in_begin_, size);
            } else {
                const auto capacity = std::max(read_chunk, in_capacity_ * 2);
                std::unique_ptr<char[]> bigger(new char[capacity]);
                std::copy_n(in_.get() + in_begin_, size, bigger.get());
                in_ = std::move(bigger);
                in_capacity_ = capacity;
            }
            in_begin_ = 0;
            in_end_ = size;
        }
        const auto got = read_into(in_.get() + in_end_, in_capacity_ - in_end_);
        in_end_ += got;
        return got;
    }

    std::string read_exact(std::string response, std::size_t length)
    {
        const auto head = response.size();
        const auto buffered = std::min(length, pending().size());
        // The one allocation for the body. (resize zero-fills it; resize_and_overwrite is
        // C++23, and libstdc++ 12's passes the wrong size to its callback.)
        response.resize(head + length);
        std::copy_n(pending().data(), buffered, response.data() + head);
        consume(buffered);
        for (auto done = buffered; done < length;) {
            const auto got =
                read_into(response.data() + head + done, std::min(read_chunk, length - done));
            if (got == 0)
                throw std::runtime_error("connection closed " + std::to_string(length - done) +
                                         " bytes before the end of the body");
            done += got;
        }
        return response;
    }

    std::string read_chunked(std::string response)
    {
        for (;;) {
            auto line = http_text::chunk_line(pending());
            while (!line) {
                if (fill() == 0)
                    throw std::runtime_error("connection closed inside a chunked body");
                line = http_text::chunk_line(pending());
            }
            const auto [size, line_size] = *line;
            consume(line_size);
            if (size == 0)
                break;
            while (pending().size() < size + 2)
                if (fill() == 0)
                    throw std::runtime_error("connection closed inside a chunk");
            if (pending().substr(size, 2) != "\r\n")
                throw std::runtime_error("chunk not followed by CRLF");
            response.append(pending().substr(0, size));
            consume(size + 2);
        }
        // Trailer section: header lines up to an empty line.
        for (;;) {
            auto end = pending().find("\r\n");
            while (end == std::string_view::npos) {
                if (fill() == 0)
                    throw std::runtime_error("connection closed inside the chunked trailers");
                end = pending().find("\r\n");
            }
            consume(end + 2);
            if (end == 0)
                return response;
        }
    }

    unique_fd fd_{};
    tls_detail::ctx_ptr ctx_{};
    tls_detail::ssl_ptr ssl_{};    // declared after ctx_: freed first
    std::unique_ptr<char[]> in_{}; // read buffer; [in_begin_, in_end_) not consumed yet
    std::size_t in_capacity_ = 0;
    std::size_t in_begin_ = 0;
    std::size_t in_end_ = 0;
    bool eof_ = false;
    bool failed_ = false;
    bool closing_ = false;
    bool close_notify_ = false;
};

} // namespace imagine::test
