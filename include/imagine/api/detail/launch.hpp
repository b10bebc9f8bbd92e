#pragma once

// Runs an API coroutine as an Asio asynchronous operation with any completion token.
// The coroutine returns T or throws; the operation completes with
// void(std::exception_ptr, T), so `co_await` rethrows the typed error (api_error,
// request_error, std::system_error) and other tokens receive it as a value. The
// handler's executor and cancellation slot are honoured: co_spawn forwards terminal
// cancellation into the coroutine, whose awaited operations then abort.

#include <imagine/config.hpp>

#include <asio/associated_cancellation_slot.hpp>
#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/awaitable.hpp>
#include <asio/bind_cancellation_slot.hpp>
#include <asio/bind_executor.hpp>
#include <asio/co_spawn.hpp>

#include <exception>
#include <utility>

namespace imagine::detail {

template <class Executor>
struct api_initiation {
    Executor executor;

    using executor_type = Executor;
    executor_type get_executor() const noexcept { return executor; }

    template <class Handler, class Factory>
    void operator()(Handler handler, Factory factory) const
    {
        auto slot = asio::get_associated_cancellation_slot(handler);
        auto handler_executor = asio::get_associated_executor(handler, executor);
        asio::co_spawn(executor, factory(),
                       asio::bind_cancellation_slot(
                           slot, asio::bind_executor(handler_executor, std::move(handler))));
    }
};

/// `factory()` must return asio::awaitable<T>; T must be default-constructible.
template <class T, class Executor, class Token, class Factory>
auto launch_api(const Executor& executor, Token&& token, Factory&& factory)
{
    return asio::async_initiate<Token, void(std::exception_ptr, T)>(
        api_initiation<Executor>{executor}, token, std::forward<Factory>(factory));
}

} // namespace imagine::detail
