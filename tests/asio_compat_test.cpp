#include <imagine/detail/asio_compat.hpp>

#include <asio/async_result.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <exception>
#include <system_error>
#include <tuple>
#include <type_traits>

// These tests build with no -D flags on purpose: on clang with Asio < 1.26 they only
// compile because <imagine/config.hpp> switches co_await support on.

namespace {

using namespace std::chrono_literals;
using imagine::detail::default_token_t;

static_assert(IMAGINE_VERSION ==
              IMAGINE_VERSION_MAJOR * 10000 + IMAGINE_VERSION_MINOR * 100 + IMAGINE_VERSION_PATCH);
static_assert(std::is_same_v<default_token_t<asio::any_io_executor>,
                             asio::use_awaitable_t<asio::any_io_executor>>);

// A library-style operation: the shape every imagine operation has. The default token
// is ours, because Asio 1.22's default_completion_token_t is void.
template <class Token = default_token_t<asio::any_io_executor>>
auto async_sleep(asio::steady_timer& timer, std::chrono::milliseconds d, Token&& token = {})
{
    return asio::async_initiate<Token, void(std::error_code)>(
        [](auto handler, asio::steady_timer* t, std::chrono::milliseconds dur) {
            t->expires_after(dur);
            t->async_wait(std::move(handler));
        },
        token, &timer, d);
}

// Runs `coro` on a fresh io_context and rethrows anything it threw.
template <class Coro>
void run_coroutine(Coro coro)
{
    asio::io_context io;
    std::exception_ptr failure;
    bool done = false;
    asio::co_spawn(io, std::move(coro), [&](std::exception_ptr e) {
        failure = e;
        done = true;
    });
    io.run();
    ASSERT_TRUE(done);
    if (failure)
        std::rethrow_exception(failure);
}

TEST(AsioCompat, VersionMacros)
{
    EXPECT_STREQ(IMAGINE_VERSION_STRING, "0.1.0");
    EXPECT_EQ(IMAGINE_VERSION, 100);
    EXPECT_GE(ASIO_VERSION, 102200);
}

TEST(AsioCompat, DefaultTokenAwaitsTimer)
{
    bool resumed = false;
    run_coroutine([&]() -> asio::awaitable<void> {
        auto ex = co_await asio::this_coro::executor;
        asio::steady_timer timer(ex);
        co_await async_sleep(timer, 1ms); // no token: default_token_t
        resumed = true;
    });
    EXPECT_TRUE(resumed);
}

TEST(AsioCompat, DefaultTokenAsDefaultOn)
{
    using timer_t = default_token_t<asio::any_io_executor>::as_default_on_t<asio::steady_timer>;
    bool resumed = false;
    run_coroutine([&]() -> asio::awaitable<void> {
        timer_t timer(co_await asio::this_coro::executor, 1ms);
        co_await timer.async_wait();
        resumed = true;
    });
    EXPECT_TRUE(resumed);
}

TEST(AsioCompat, AsTupleDeliversErrorCode)
{
    std::error_code ok_ec = asio::error::fault;
    std::error_code cancelled_ec;
    run_coroutine([&]() -> asio::awaitable<void> {
        auto ex = co_await asio::this_coro::executor;
        asio::steady_timer timer(ex);
        std::tie(ok_ec) =
            co_await async_sleep(timer, 1ms, imagine::detail::as_tuple(asio::use_awaitable));

        // A timer cancelled while waiting completes with operation_aborted; as_tuple
        // hands it over instead of throwing.
        asio::steady_timer canceller(ex, 1ms);
        timer.expires_after(10s);
        canceller.async_wait([&](std::error_code) { timer.cancel(); });
        auto [ec] = co_await timer.async_wait(imagine::detail::as_tuple(asio::use_awaitable));
        cancelled_ec = ec;
    });
    EXPECT_FALSE(ok_ec) << ok_ec.message();
    EXPECT_EQ(cancelled_ec, asio::error::operation_aborted);
}

TEST(AsioCompat, DeferredOperationIsLazy)
{
    asio::io_context io;
    asio::steady_timer timer(io, 1ms);
    auto op = timer.async_wait(imagine::detail::deferred); // nothing starts yet
    EXPECT_EQ(io.poll(), 0u);
    io.restart(); // poll() ran out of work, which stops the context

    bool called = false;
    std::error_code got = asio::error::fault;
    std::move(op)([&](std::error_code ec) {
        called = true;
        got = ec;
    });
    io.run();
    EXPECT_TRUE(called);
    EXPECT_FALSE(got) << got.message();
}

TEST(AsioCompat, DeferredOperationAwaitedThroughToken)
{
    // On 1.22 a deferred operation cannot be co_awaited directly (no await_transform
    // for it); handing it use_awaitable works on every version.
    bool resumed = false;
    run_coroutine([&]() -> asio::awaitable<void> {
        asio::steady_timer timer(co_await asio::this_coro::executor, 1ms);
        auto op = async_sleep(timer, 1ms, imagine::detail::deferred);
        co_await std::move(op)(asio::use_awaitable);
        resumed = true;
    });
    EXPECT_TRUE(resumed);
}

} // namespace
