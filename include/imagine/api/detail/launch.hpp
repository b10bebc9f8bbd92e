#pragma once

// Runs an API coroutine as an Asio asynchronous operation with any completion token.
// The coroutine returns T or throws; the operation completes with
// void(std::exception_ptr, T), so `co_await` rethrows the typed error (api_error,
// request_error, std::system_error) and other tokens receive it as a value. The
// handler's executor and cancellation slot are honoured: co_spawn forwards terminal
// cancellation into the coroutine, whose awaited operations then abort.

#include <imagine/config.hpp>

#include <imagine/http/detail/launch.hpp>

#include <asio/async_result.hpp>

#include <exception>
#include <utility>

namespace imagine::detail {

/// The API's completions: co_spawn's own void(exception_ptr, T), handed on as it is.
struct exception_as_is {
    template <class Handler>
    static Handler wrap(Handler handler)
    {
        return handler;
    }
};

/// `factory()` must return asio::awaitable<T>; T must be default-constructible.
template <class T, class Executor, class Token, class Factory>
auto launch_api(const Executor& executor, Token&& token, Factory&& factory)
{
    return asio::async_initiate<Token, void(std::exception_ptr, T)>(
        http::detail::spawn_initiation<Executor, exception_as_is>{executor}, token,
        std::forward<Factory>(factory));
}

} // namespace imagine::detail
