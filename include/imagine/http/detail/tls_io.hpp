#pragma once

// TLS on a connected TCP socket, driven by readiness: OpenSSL reads and writes the
// non-blocking socket itself (a socket BIO), and when it needs more bytes or more room
// the operation waits for the socket to become readable or writable.
//
// Why not asio::ssl::stream: it moves every byte through a memory BIO pair, so each
// received record is copied twice more before decryption (socket -> Asio's buffer ->
// BIO pair -> OpenSSL's record buffer), and every record costs a trip through the
// reactor. With the socket BIO and read-ahead, OpenSSL receives whole records straight
// into its record buffer, and one read operation decrypts what has arrived into the
// caller's buffer before it waits again. (A record buffer larger than OpenSSL's default
// measured no faster, so connections keep the small one.) bench/http_bench
// compares the result with a blocking OpenSSL loop.
//
// Error codes follow Asio's SSL conventions, so callers need not know which stream
// they use: OpenSSL errors in asio::error::get_ssl_category(), a TLS close_notify as
// asio::error::eof, a close without close_notify as asio::ssl::error::stream_truncated.

#include <imagine/config.hpp>

#include <asio/buffer.hpp>
#include <asio/compose.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/ssl/error.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <cstddef>
#include <system_error>
#include <utility>

namespace imagine::http::detail {

class tls_session {
public:
    tls_session() = default;
    tls_session(const tls_session&) = delete;
    tls_session& operator=(const tls_session&) = delete;
    ~tls_session() { reset(); }

    /// A client session on `socket` (made non-blocking). False if OpenSSL cannot
    /// allocate one.
    bool attach(SSL_CTX* context, asio::ip::tcp::socket& socket)
    {
        reset();
        std::error_code ec;
        socket.non_blocking(true, ec);
        if (ec)
            return false;
        ssl_ = SSL_new(context);
        if (!ssl_ || SSL_set_fd(ssl_, static_cast<int>(socket.native_handle())) != 1) {
            reset();
            return false;
        }
        SSL_set_connect_state(ssl_);
        // Whole records per recv(); a write may return after part of the buffer and be
        // retried with the buffer at another address (async_write's loop does both).
        SSL_set_read_ahead(ssl_, 1);
        SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
        return true;
    }

    SSL* native_handle() const noexcept { return ssl_; }

    /// Decrypted bytes OpenSSL holds that no read has taken yet.
    bool has_buffered_input() const noexcept { return ssl_ && SSL_has_pending(ssl_) == 1; }

    template <class Token>
    auto async_handshake(asio::ip::tcp::socket& socket, Token&& token)
    {
        return start(
            socket, [](SSL* ssl) -> long { return SSL_connect(ssl); }, std::forward<Token>(token));
    }

    /// Reads into the first buffer as many decrypted bytes as are available without
    /// waiting, at least one.
    template <class MutableBuffers, class Token>
    auto async_read_some(asio::ip::tcp::socket& socket, const MutableBuffers& buffers,
                         Token&& token)
    {
        const asio::mutable_buffer target = first_buffer<asio::mutable_buffer>(buffers);
        return start(
            socket,
            [this, target](SSL* ssl) -> long {
                auto* data = static_cast<char*>(target.data());
                std::size_t total = 0;
                while (total < target.size()) {
                    std::size_t got = 0;
                    if (SSL_read_ex(ssl, data + total, target.size() - total, &got) == 1) {
                        total += got;
                        // With nothing left in OpenSSL's buffer, another call would only
                        // find the socket empty: one wasted recv() per read.
                        if (SSL_has_pending(ssl) != 1)
                            break;
                        continue;
                    }
                    if (total == 0)
                        return 0; // the io_op asks SSL_get_error what happened
                    // Bytes first; a real failure (not "wants more input") is
                    // reported by the next read.
                    want want_more = want::none;
                    if (auto ec = classify(ssl, 0, want_more); ec || want_more == want::none)
                        deferred_ = ec ? ec : std::error_code(asio::error::eof);
                    ERR_clear_error();
                    break;
                }
                return static_cast<long>(total);
            },
            std::forward<Token>(token));
    }

    template <class ConstBuffers, class Token>
    auto async_write_some(asio::ip::tcp::socket& socket, const ConstBuffers& buffers, Token&& token)
    {
        const asio::const_buffer source = first_buffer<asio::const_buffer>(buffers);
        return start(
            socket,
            [source](SSL* ssl) -> long {
                std::size_t written = 0;
                if (source.size() == 0)
                    return 0;
                if (SSL_write_ex(ssl, source.data(), source.size(), &written) == 1)
                    return static_cast<long>(written);
                return 0;
            },
            std::forward<Token>(token));
    }

private:
    enum class want { none, read, write };

    // What a failed OpenSSL call (return value `result`) means: wait for the socket
    // (`next`), or an error in Asio's terms.
    static std::error_code classify(SSL* ssl, int result, want& next)
    {
        next = want::none;
        const int saved_errno = errno;
        switch (SSL_get_error(ssl, result)) {
        case SSL_ERROR_WANT_READ:
            next = want::read;
            return {};
        case SSL_ERROR_WANT_WRITE:
            next = want::write;
            return {};
        case SSL_ERROR_ZERO_RETURN:
            return asio::error::eof;
        case SSL_ERROR_SYSCALL:
            if (ERR_peek_error() == 0)
                return saved_errno != 0
                           ? std::error_code(saved_errno, asio::error::get_system_category())
                           : std::error_code(asio::ssl::error::stream_truncated);
            [[fallthrough]];
        default: {
            const unsigned long code = ERR_get_error();
            ERR_clear_error();
            if (code == 0)
                return asio::error::connection_aborted; // a session already failed earlier
            if (ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
                return asio::ssl::error::stream_truncated;
            return std::error_code(static_cast<int>(code), asio::error::get_ssl_category());
        }
        }
    }

    template <class Buffer, class Buffers>
    static Buffer first_buffer(const Buffers& buffers)
    {
        for (auto it = asio::buffer_sequence_begin(buffers);
             it != asio::buffer_sequence_end(buffers); ++it) {
            Buffer buffer(*it);
            if (buffer.size() != 0)
                return buffer;
        }
        return Buffer();
    }

    // One OpenSSL call retried after each readiness wait it asks for. A call that
    // succeeds at once still completes through post(): completion handlers are never
    // invoked inside the initiating function (and coroutines do not recurse).
    template <class Call>
    struct io_op {
        tls_session* session;
        asio::ip::tcp::socket* socket;
        Call call;
        bool waited = false;
        bool finished = false;
        std::error_code result_ec{};
        std::size_t result_bytes = 0;

        template <class Self>
        void operator()(Self& self, std::error_code ec = {})
        {
            if (finished) {
                self.complete(result_ec, result_bytes);
                return;
            }
            if (ec)
                return finish(self, ec, 0);
            SSL* ssl = session->ssl_;
            if (!ssl)
                return finish(self, asio::error::bad_descriptor, 0);
            if (session->deferred_) {
                auto deferred = std::exchange(session->deferred_, std::error_code{});
                return finish(self, deferred, 0);
            }
            ERR_clear_error();
            errno = 0;
            const long result = call(ssl);
            if (result > 0)
                return finish(self, {}, static_cast<std::size_t>(result));
            want next = want::none;
            auto failure = classify(ssl, static_cast<int>(result), next);
            if (next == want::none)
                return finish(self, failure, 0);
            waited = true;
            socket->async_wait(next == want::read ? asio::ip::tcp::socket::wait_read
                                                  : asio::ip::tcp::socket::wait_write,
                               std::move(self));
        }

        template <class Self>
        void finish(Self& self, std::error_code ec, std::size_t bytes)
        {
            if (waited) {
                self.complete(ec, bytes);
                return;
            }
            finished = true;
            result_ec = ec;
            result_bytes = bytes;
            auto executor = socket->get_executor();
            asio::post(executor, std::move(self));
        }
    };

public:
    /// Frees the session. Operations still in flight then fail with bad_descriptor
    /// instead of touching a socket number the OS may have handed out again.
    void reset() noexcept
    {
        if (ssl_) {
            SSL_free(ssl_);
            ssl_ = nullptr;
        }
        deferred_.clear();
    }

private:
    template <class Call, class Token>
    auto start(asio::ip::tcp::socket& socket, Call call, Token&& token)
    {
        return asio::async_compose<Token, void(std::error_code, std::size_t)>(
            io_op<Call>{this, &socket, std::move(call)}, token, socket);
    }

    SSL* ssl_ = nullptr;
    std::error_code deferred_{};
};

} // namespace imagine::http::detail
