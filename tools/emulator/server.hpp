#pragma once

// The listening side: TLS context from the certificate pair, a loopback acceptor, one
// coroutine per connection on a single I/O thread, a worker pool for image encoding
// and for background-response streams (whose steps sleep until their event is due,
// hence the generous pool size), and a clean stop on SIGINT/SIGTERM or
// POST /_emulator/shutdown.

#include "connection.hpp"
#include "router.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/signal_set.hpp>
#include <asio/ssl/context.hpp>
#include <asio/thread_pool.hpp>
#include <asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace imagine_emulator {

struct server_config {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    std::string cert_pem{};
    std::string key_pem{};
    std::chrono::milliseconds stream_delay{150};
    job_settings job_defaults{};
    bool quiet = false;
};

/// Worker threads: every open background-response stream may hold one while it waits
/// for its next event (tests keep several open), so there are far more than cores.
inline unsigned worker_count()
{
    return std::max(32u, std::thread::hardware_concurrency());
}

class server {
public:
    explicit server(const server_config& config)
        : tls_(make_tls_context(config)), pool_(worker_count()),
          acceptor_(io_,
                    {asio::ip::make_address(config.host == "localhost" ? "127.0.0.1" : config.host),
                     config.port}),
          signals_(io_, SIGINT, SIGTERM), router_(state_, pool_)
    {
        state_.stream_delay = config.stream_delay;
        state_.job_defaults = config.job_defaults;
        state_.quiet = config.quiet;
        const auto address = acceptor_.local_endpoint().address();
        const auto host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
        state_.origin = "https://" + host + ":" + std::to_string(port());
        state_.shutdown = [this] { stop(); };
        signals_.async_wait([this](std::error_code ec, int) {
            if (!ec)
                stop();
        });
    }

    ~server()
    {
        // Image work in flight finishes first: its completions refer to the I/O
        // context, which must outlive them.
        pool_.join();
    }

    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    const std::string& origin() const { return state_.origin; }

    /// Serves until stop(); returns when the I/O thread has nothing left to run.
    void run()
    {
        asio::co_spawn(io_, accept_loop(), asio::detached);
        io_.run();
    }

    void stop()
    {
        state_.stopping = true; // stream steps waiting on the pool give up
        asio::post(io_, [this] {
            std::error_code ignored;
            acceptor_.close(ignored);
            signals_.cancel(ignored);
            io_.stop();
        });
    }

private:
    static asio::ssl::context make_tls_context(const server_config& config)
    {
        asio::ssl::context tls(asio::ssl::context::tls_server);
        tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                        asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                        asio::ssl::context::no_tlsv1_1);
        tls.use_certificate_chain(asio::buffer(config.cert_pem));
        tls.use_private_key(asio::buffer(config.key_pem), asio::ssl::context::pem);
        return tls;
    }

    asio::awaitable<void> accept_loop()
    {
        for (;;) {
            asio::ip::tcp::socket socket(io_);
            std::error_code ec;
            co_await acceptor_.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
            if (ec == asio::error::operation_aborted || !acceptor_.is_open())
                co_return;
            if (ec)
                continue; // e.g. EMFILE: keep serving the connections we have
            socket.set_option(asio::ip::tcp::no_delay(true), ec);
            asio::co_spawn(io_,
                           serve(std::make_unique<connection>(tls_stream(std::move(socket), tls_),
                                                              router_, state_, pool_)),
                           asio::detached);
        }
    }

    static asio::awaitable<void> serve(std::unique_ptr<connection> c) { co_await c->run(); }

    // Destroyed in reverse: the I/O context (with any suspended connection) goes
    // before the state, router and TLS context those connections refer to.
    asio::ssl::context tls_;
    server_state state_{};
    asio::thread_pool pool_;
    asio::io_context io_{1};
    asio::ip::tcp::acceptor acceptor_;
    asio::signal_set signals_;
    router router_;
};

} // namespace imagine_emulator
