#pragma once

// An in-process server on 127.0.0.1 (plain TCP or TLS) for scripted exchanges: every
// accepted connection gets its own thread running the test's handler with BLOCKING
// reads and writes, so a test says exactly what the peer does and when (answer, stall,
// close without close_notify, reset, reject the client certificate...).
//
//   imagine::test::test_server server({.tls = ca.issue()}, [](auto& connection) {
//       auto request = connection.read_request();
//       connection.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
//   });
//   ... connect to 127.0.0.1:server.port() ...
//   EXPECT_TRUE(server.handler_errors().empty());
//
// Returning from the handler closes the socket without close_notify; call shutdown()
// first for a clean TLS close. Stopping the server (destructor or stop()) interrupts
// every connection (reads return "" / end of stream, writes fail) and joins every
// thread; a handler that blocks on something other than its connection (a test's own
// condition variable) must be released by the test first.

#include "blocking_tls_client.hpp"
#include "certs.hpp"
#include "process.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace imagine::test {

struct server_options {
    std::optional<pem_pair> tls{}; ///< none: plain TCP
    std::string client_ca_pem{};   ///< non-empty: require and verify a client certificate (mTLS)
    int min_tls_version = 0;       ///< e.g. TLS1_VERSION; 0 = OpenSSL default
    int max_tls_version = 0;       ///< e.g. TLS1_1_VERSION (below 1.2: security level 0)
};

class test_server;

/// One accepted connection, used by one handler thread.
class server_connection {
public:
    server_connection(const server_connection&) = delete;
    server_connection& operator=(const server_connection&) = delete;
    ~server_connection() { finish(); }

    /// One complete request: head and body (framed by Content-Length or chunked, the
    /// chunked framing kept as received). "" if the peer closed before sending a byte;
    /// throws if it closed inside a request.
    std::string read_request()
    {
        std::size_t head = 0;
        while ((head = http_text::head_size(buffer_)) == std::string::npos)
            if (fill() == 0) {
                if (buffer_.empty())
                    return {};
                throw std::runtime_error("peer closed inside a request head");
            }
        std::size_t end = head;
        const auto head_text = std::string_view(buffer_).substr(0, head);
        const auto encoding = http_text::header_value(head_text, "Transfer-Encoding");
        if (encoding && http_text::has_token(*encoding, "chunked")) {
            end = chunked_end(head);
        } else if (const auto length = http_text::header_value(head_text, "Content-Length")) {
            end = head + std::stoull(std::string(*length));
            while (buffer_.size() < end)
                if (fill() == 0)
                    throw std::runtime_error("peer closed inside a request body");
        }
        std::string request = buffer_.substr(0, end);
        buffer_.erase(0, end);
        return request;
    }

    /// Whatever arrives next (or what an earlier read left buffered); "" at end of
    /// stream.
    std::string read_some()
    {
        if (buffer_.empty())
            fill();
        return std::exchange(buffer_, {});
    }

    void write(std::string_view bytes)
    {
        if (write_closed_)
            throw std::logic_error("server_connection::write after close/shutdown");
        if (!ssl_)
            return send_all(fd_.get(), bytes);
        while (!bytes.empty()) {
            const int written = SSL_write(
                ssl_, bytes.data(), static_cast<int>(std::min<std::size_t>(bytes.size(), 1 << 30)));
            if (written <= 0)
                throw std::runtime_error("SSL_write: " + tls_error(written));
            bytes.remove_prefix(static_cast<std::size_t>(written));
        }
    }

    /// Ends the connection WITHOUT TLS close_notify (the client sees a truncated
    /// stream): sends FIN. Reading stays possible (wait_peer_closed).
    void close()
    {
        write_closed_ = true;
        std::lock_guard lock(mutex_);
        if (fd_)
            ::shutdown(fd_.get(), SHUT_WR);
    }

    /// TLS close_notify (if TLS), then FIN. Reading stays possible.
    void shutdown()
    {
        if (ssl_ && !write_closed_)
            SSL_shutdown(ssl_); // sends close_notify; does not wait for the peer's
        close();
    }

    /// Resets the connection (RST: SO_LINGER 0 and close); nothing works afterwards.
    void reset()
    {
        write_closed_ = true;
        std::lock_guard lock(mutex_);
        if (!fd_)
            return;
        const linger abort{1, 0};
        ::setsockopt(fd_.get(), SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
        fd_.reset();
        peer_closed_ = true; // nothing more can be read
    }

    /// True once the client has closed (end of stream, close_notify, reset, fatal TLS
    /// alert), waiting up to `limit`. Bytes that arrive meanwhile stay buffered for the next read.
    bool wait_peer_closed(std::chrono::milliseconds limit)
    {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!peer_closed_) {
            if (!(ssl_ && SSL_pending(ssl_) > 0)) {
                const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now());
                pollfd p{fd_.get(), POLLIN, 0};
                if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) == 0)
                    return false;
            }
            try {
                fill();
            } catch (const std::exception&) {
                // A fatal alert ends the connection too: OpenSSL 3 clients answer a
                // stream truncated by close() with a decode_error alert.
                peer_closed_ = true;
            }
        }
        return true;
    }

    /// mTLS: the client certificate's subject ("CN=imagine client"), "" if none.
    std::string peer_certificate_subject() const
    {
        X509* cert = ssl_ ? SSL_get0_peer_certificate(ssl_) : nullptr;
        if (cert == nullptr)
            return {};
        certs_detail::bio_ptr bio(BIO_new(BIO_s_mem()));
        X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
        return certs_detail::bio_string(bio.get());
    }

    /// The SNI host name the client sent, "" if none (or plain TCP).
    std::string server_name() const
    {
        const char* name = ssl_ ? SSL_get_servername(ssl_, TLSEXT_NAMETYPE_host_name) : nullptr;
        return name ? name : "";
    }

    /// "TLSv1.3", ...; "" for plain TCP.
    std::string tls_version() const { return ssl_ ? SSL_get_version(ssl_) : ""; }

private:
    friend class test_server;

    explicit server_connection(unique_fd fd) : fd_(std::move(fd)) {}

    // The handshake, run on the connection's thread; returns an error text or "".
    std::string accept_tls(SSL_CTX* ctx)
    {
        ssl_ = SSL_new(ctx);
        if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_.get()) != 1)
            return "SSL_new: " + openssl_errors();
        const int result = SSL_accept(ssl_);
        if (result == 1)
            return {};
        std::string error = "TLS handshake failed: " + tls_error(result);
        const auto verify = SSL_get_verify_result(ssl_);
        if (verify != X509_V_OK)
            error +=
                std::string(" (client certificate: ") + X509_verify_cert_error_string(verify) + ")";
        return error;
    }

    std::string tls_error(int result)
    {
        const int error = SSL_get_error(ssl_, result);
        auto text = openssl_errors();
        if (text.empty())
            text = error == SSL_ERROR_SYSCALL ? "end of stream or socket error"
                                              : "SSL error " + std::to_string(error);
        return text;
    }

    // Called by the server's stop() from another thread: unblocks reads and writes.
    // Under the mutex so that it never touches a descriptor reset() already closed
    // (whose number may belong to someone else by then).
    void interrupt() noexcept
    {
        std::lock_guard lock(mutex_);
        if (fd_)
            ::shutdown(fd_.get(), SHUT_RDWR);
    }

    // One read appended to buffer_; 0 at end of stream. A reset or an unclean TLS end
    // counts as end of stream: the peer is gone either way.
    std::size_t fill()
    {
        if (peer_closed_)
            return 0;
        char chunk[16 * 1024];
        long got = 0;
        if (!ssl_) {
            do
                got = ::recv(fd_.get(), chunk, sizeof chunk, 0);
            while (got < 0 && errno == EINTR);
            if (got < 0 && errno != ECONNRESET && errno != ENOTCONN)
                throw_errno("recv");
        } else {
            const int result = SSL_read(ssl_, chunk, sizeof chunk);
            got = result;
            if (result <= 0) {
                const int error = SSL_get_error(ssl_, result);
                const bool eof =
                    error == SSL_ERROR_ZERO_RETURN || error == SSL_ERROR_SYSCALL ||
                    ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING;
                if (!eof)
                    throw std::runtime_error("SSL_read: " + tls_error(result));
                ERR_clear_error();
            }
        }
        if (got <= 0) {
            peer_closed_ = true;
            return 0;
        }
        buffer_.append(chunk, static_cast<std::size_t>(got));
        return static_cast<std::size_t>(got);
    }

    // Reads until the chunked body starting at `start` is complete; returns its end.
    std::size_t chunked_end(std::size_t start)
    {
        auto position = start;
        for (;;) {
            auto line = http_text::chunk_line(std::string_view(buffer_).substr(position));
            while (!line) {
                if (fill() == 0)
                    throw std::runtime_error("peer closed inside a chunked request body");
                line = http_text::chunk_line(std::string_view(buffer_).substr(position));
            }
            position += line->second;
            if (line->first == 0)
                break;
            position += line->first + 2;
            while (buffer_.size() < position)
                if (fill() == 0)
                    throw std::runtime_error("peer closed inside a request chunk");
        }
        for (;;) { // trailers up to the empty line
            auto end = buffer_.find("\r\n", position);
            while (end == std::string::npos) {
                if (fill() == 0)
                    throw std::runtime_error("peer closed inside request trailers");
                end = buffer_.find("\r\n", position);
            }
            const bool last = end == position;
            position = end + 2;
            if (last)
                return position;
        }
    }

    // Final close. Unread bytes that already arrived are drained first: closing a
    // socket with unread data makes the kernel send RST instead of FIN, which could
    // destroy a response the client has not read yet.
    void finish() noexcept
    {
        std::lock_guard lock(mutex_);
        if (fd_) {
            int unread = 0;
            char sink[4096];
            while (::ioctl(fd_.get(), FIONREAD, &unread) == 0 && unread > 0 &&
                   ::recv(fd_.get(), sink, sizeof sink, MSG_DONTWAIT) > 0) {
            }
        }
        if (ssl_ != nullptr)
            SSL_free(ssl_);
        ssl_ = nullptr;
        fd_.reset();
    }

    std::mutex mutex_{}; // guards fd_'s lifetime against interrupt()
    unique_fd fd_{};
    SSL* ssl_ = nullptr;
    std::string buffer_{}; // received, not yet returned
    bool peer_closed_ = false;
    bool write_closed_ = false;
};

class test_server {
public:
    using handler_type = std::function<void(server_connection&)>;

    /// Listens on 127.0.0.1 at a free port and starts accepting at once.
    test_server(server_options options, handler_type handler) : handler_(std::move(handler))
    {
        ignore_sigpipe();
        if (options.tls)
            ctx_ = make_context(options);
        listener_ = unique_fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        if (!listener_)
            throw_errno("socket");
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (::bind(listener_.get(), reinterpret_cast<sockaddr*>(&address), length) != 0 ||
            ::listen(listener_.get(), SOMAXCONN) != 0 ||
            ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0)
            throw_errno("test_server listen on 127.0.0.1:0");
        port_ = ntohs(address.sin_port);
        int pipe_fds[2] = {-1, -1};
        if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
            throw_errno("pipe2");
        wake_read_.reset(pipe_fds[0]);
        wake_write_.reset(pipe_fds[1]);
        acceptor_ = std::thread([this] { accept_loop(); });
    }

    test_server(const test_server&) = delete;
    test_server& operator=(const test_server&) = delete;
    ~test_server() { stop(); }

    std::uint16_t port() const noexcept { return port_; }

    /// Connections accepted so far (TCP level, before any TLS handshake).
    std::size_t connections() const noexcept { return accepted_.load(); }

    /// what() of every exception a handler threw (before stop() began interrupting
    /// connections: errors caused by the interruption are not recorded).
    std::vector<std::string> handler_errors() const
    {
        std::lock_guard lock(errors_mutex_);
        return handler_errors_;
    }

    /// Failed TLS handshakes (e.g. the client rejected our certificate, or had none
    /// for mTLS); the handler is not called for those connections.
    std::vector<std::string> handshake_errors() const
    {
        std::lock_guard lock(errors_mutex_);
        return handshake_errors_;
    }

    /// Stops accepting, interrupts every connection and joins every thread. Idempotent.
    void stop()
    {
        if (stopping_.exchange(true))
            return;
        const char byte = 0;
        [[maybe_unused]] const auto ignored = ::write(wake_write_.get(), &byte, 1);
        if (acceptor_.joinable())
            acceptor_.join();
        listener_.reset();
        std::list<session> sessions;
        {
            std::lock_guard lock(sessions_mutex_);
            sessions.splice(sessions.end(), sessions_);
        }
        for (auto& s : sessions)
            s.connection->interrupt();
        for (auto& s : sessions)
            s.thread.join();
    }

private:
    struct session {
        std::unique_ptr<server_connection> connection{};
        std::thread thread{};
        std::atomic<bool> done{false};
    };

    static tls_detail::ctx_ptr make_context(const server_options& options)
    {
        tls_detail::ctx_ptr ctx(SSL_CTX_new(TLS_server_method()));
        if (!ctx)
            throw std::runtime_error("SSL_CTX_new: " + openssl_errors());
        tls_detail::set_versions(ctx.get(), options.min_tls_version, options.max_tls_version);
        tls_detail::use_pair(ctx.get(), *options.tls);
        // Session resumption with client verification needs a session id context.
        static const unsigned char context_id[] = "imagine-test-server";
        SSL_CTX_set_session_id_context(ctx.get(), context_id, sizeof context_id - 1);
        if (!options.client_ca_pem.empty()) {
            tls_detail::add_trust(ctx.get(), options.client_ca_pem);
            // Name the acceptable CAs in the CertificateRequest, as real servers do.
            auto bio = certs_detail::memory_bio(options.client_ca_pem);
            while (X509* ca = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
                SSL_CTX_add_client_CA(ctx.get(), ca);
                X509_free(ca);
            }
            ERR_clear_error();
            SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                               nullptr);
        }
        return ctx;
    }

    void accept_loop()
    {
        for (;;) {
            pollfd fds[2] = {{listener_.get(), POLLIN, 0}, {wake_read_.get(), POLLIN, 0}};
            if (::poll(fds, 2, -1) < 0 && errno != EINTR)
                return;
            if (stopping_ || (fds[1].revents & POLLIN) != 0)
                return;
            if ((fds[0].revents & POLLIN) == 0)
                continue;
            unique_fd fd(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
            if (!fd)
                continue; // ECONNABORTED and friends: the next connection may be fine
            const int one = 1;
            ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            ++accepted_;
            std::lock_guard lock(sessions_mutex_);
            reap_finished();
            auto& s = sessions_.emplace_back();
            s.connection.reset(new server_connection(std::move(fd)));
            s.thread = std::thread([this, &s] {
                serve(*s.connection);
                s.done = true;
            });
        }
    }

    // Joins the threads of connections that have ended (sessions_mutex_ held), so a
    // long benchmark does not accumulate finished threads.
    void reap_finished()
    {
        for (auto it = sessions_.begin(); it != sessions_.end();) {
            if (it->done) {
                it->thread.join();
                it = sessions_.erase(it);
            } else {
                ++it;
            }
        }
    }

    void serve(server_connection& connection) noexcept
    {
        if (ctx_) {
            auto error = connection.accept_tls(ctx_.get());
            if (!error.empty()) {
                record(handshake_errors_, std::move(error));
                connection.finish();
                return;
            }
        }
        try {
            handler_(connection);
        } catch (const std::exception& e) {
            record(handler_errors_, e.what());
        } catch (...) {
            record(handler_errors_, "unknown exception");
        }
        connection.finish();
    }

    void record(std::vector<std::string>& errors, std::string error)
    {
        if (stopping_)
            return; // caused by stop() interrupting the connection
        std::lock_guard lock(errors_mutex_);
        errors.push_back(std::move(error));
    }

    handler_type handler_{};
    tls_detail::ctx_ptr ctx_{};
    unique_fd listener_{};
    unique_fd wake_read_{};
    unique_fd wake_write_{};
    std::uint16_t port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<std::size_t> accepted_{0};
    std::thread acceptor_{};
    std::mutex sessions_mutex_{};
    std::list<session> sessions_{};
    mutable std::mutex errors_mutex_{};
    std::vector<std::string> handler_errors_{};
    std::vector<std::string> handshake_errors_{};
};

} // namespace imagine::test
