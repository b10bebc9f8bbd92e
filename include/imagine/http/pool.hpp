#pragma once

// Keep-alive connections per origin. A caller first takes a slot for its origin
// (waiting while `max_per_origin` are in use), then gets an idle connection that still
// looks alive, or none, in which case it connects a new one into that slot. Idle
// connections past `idle_expiry`, or that the server has closed meanwhile, are closed
// and skipped; no request byte was ever written to them, so skipping them is invisible
// to the caller.
//
// Not thread-safe: use a client (and so its pool) from one thread or one strand, like
// any Asio I/O object.

#include <imagine/config.hpp>

#include <imagine/detail/asio_compat.hpp>
#include <imagine/http/connection.hpp>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace imagine::http {

struct pool_options {
    /// Connections per origin, in use and idle together.
    std::size_t max_per_origin = 16;
    /// An idle connection older than this is closed instead of reused. Servers time out
    /// idle keep-alive connections too (nginx 75 s, many load balancers 60 s): staying
    /// below theirs avoids most races with their close.
    std::chrono::milliseconds idle_expiry{std::chrono::seconds(30)};
};

class connection_pool {
public:
    using executor_type = asio::any_io_executor;

    connection_pool(executor_type executor, pool_options options)
        : executor_(std::move(executor)), options_(options)
    {
        if (options_.max_per_origin == 0)
            options_.max_per_origin = 1;
    }

    connection_pool(const connection_pool&) = delete;
    connection_pool& operator=(const connection_pool&) = delete;

    ~connection_pool() { clear(); }

    /// Takes a slot for `key`, then returns an idle connection or null (connect one).
    /// Completes with operation_aborted if cancelled while waiting for a slot.
    asio::awaitable<std::pair<std::error_code, std::shared_ptr<connection>>>
    acquire(const std::string& key)
    {
        using asio::use_awaitable;
        using imagine::detail::as_tuple;
        origin& slot = origins_[key];
        while (slot.in_use >= options_.max_per_origin) {
            if (!slot.wake)
                slot.wake = std::make_unique<asio::steady_timer>(
                    executor_, asio::steady_timer::time_point::max());
            ++slot.waiters;
            auto [ec] = co_await slot.wake->async_wait(as_tuple(use_awaitable));
            (void)ec; // a wake-up (cancel_one) and a cancellation both abort the wait
            --slot.waiters;
            auto state = co_await asio::this_coro::cancellation_state;
            if (state.cancelled() != asio::cancellation_type::none) {
                wake_one(slot); // pass on a wake-up this waiter may have taken
                co_return std::pair{make_error_code(asio::error::operation_aborted),
                                    std::shared_ptr<connection>{}};
            }
        }
        ++slot.in_use;
        co_return std::pair{std::error_code{}, take_idle(slot)};
    }

    /// Gives back the slot taken by acquire(). `connection` (may be null) goes to the
    /// idle list when `reusable`, else it is closed.
    void release(const std::string& key, std::shared_ptr<connection> conn, bool reusable)
    {
        auto it = origins_.find(key);
        if (it == origins_.end())
            return;
        origin& slot = it->second;
        if (slot.in_use > 0)
            --slot.in_use;
        if (conn) {
            if (reusable) { // take_idle() checks liveness when it is reused
                conn->disarm();
                conn->mark_idle();
                slot.idle.push_back(std::move(conn));
            } else {
                conn->close();
            }
        }
        wake_one(slot);
    }

    /// Closes every idle connection.
    void clear()
    {
        for (auto& [key, slot] : origins_) {
            for (auto& conn : slot.idle)
                conn->close();
            slot.idle.clear();
            if (slot.wake)
                slot.wake->cancel();
        }
    }

    std::size_t idle_count(const std::string& key) const
    {
        auto it = origins_.find(key);
        return it == origins_.end() ? 0 : it->second.idle.size();
    }

    std::size_t in_use_count(const std::string& key) const
    {
        auto it = origins_.find(key);
        return it == origins_.end() ? 0 : it->second.in_use;
    }

    const pool_options& options() const noexcept { return options_; }

private:
    struct origin {
        std::vector<std::shared_ptr<connection>> idle{};
        std::size_t in_use = 0;
        std::size_t waiters = 0;
        std::unique_ptr<asio::steady_timer> wake{};
    };

    void wake_one(origin& slot)
    {
        if (slot.waiters > 0 && slot.wake && slot.in_use < options_.max_per_origin)
            slot.wake->cancel_one();
    }

    // Most recently used first: the likeliest to be alive.
    std::shared_ptr<connection> take_idle(origin& slot)
    {
        const auto now = connection::clock::now();
        while (!slot.idle.empty()) {
            auto conn = std::move(slot.idle.back());
            slot.idle.pop_back();
            if (now - conn->idle_since() < options_.idle_expiry && conn->looks_alive())
                return conn;
            conn->close();
        }
        return nullptr;
    }

    executor_type executor_;
    pool_options options_;
    std::map<std::string, origin> origins_{};
};

} // namespace imagine::http
