#pragma once

// Runs an internal coroutine as an Asio asynchronous operation with any completion
// token. The coroutine returns {error_code, T}; the operation completes with
// void(std::error_code, T). The handler's associated executor and cancellation slot
// are honoured: the slot is bound to the coroutine, whose awaited operations then see
// the cancellation (co_spawn forwards terminal cancellation into the coroutine).

#include <imagine/config.hpp>

#include <asio/associated_cancellation_slot.hpp>
#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/awaitable.hpp>
#include <asio/bind_cancellation_slot.hpp>
#include <asio/bind_executor.hpp>
#include <asio/co_spawn.hpp>

#include <exception>
#include <system_error>
#include <utility>

namespace imagine::http::detail {

template <class T>
using op_result = std::pair<std::error_code, T>;

/// Runs `factory()` (an awaitable) with co_spawn. Its completion, (exception_ptr, R),
/// reaches the handler through `Adapt::wrap(handler)`, on the handler's associated
/// executor, and the handler's cancellation slot is bound to the coroutine.
template <class Executor, class Adapt>
struct spawn_initiation {
    Executor executor;

    using executor_type = Executor;
    executor_type get_executor() const noexcept { return executor; }

    template <class Handler, class Factory>
    void operator()(Handler handler, Factory factory) const
    {
        auto slot = asio::get_associated_cancellation_slot(handler);
        auto handler_executor = asio::get_associated_executor(handler, executor);
        asio::co_spawn(
            executor, factory(),
            asio::bind_cancellation_slot(
                slot, asio::bind_executor(handler_executor, Adapt::wrap(std::move(handler)))));
    }
};

/// The transport's completions: the coroutine's {error_code, T} as void(error_code, T).
struct codes_from_result {
    template <class Handler>
    static auto wrap(Handler handler)
    {
        return [handler = std::move(handler)](std::exception_ptr failure, auto result) mutable {
            // Internal coroutines report errors as codes; what escapes is bad_alloc and
            // the like.
            if (failure)
                std::rethrow_exception(failure);
            std::move(handler)(result.first, std::move(result.second));
        };
    }
};

/// `factory()` must return asio::awaitable<op_result<T>>.
template <class T, class Executor, class Token, class Factory>
auto launch(const Executor& executor, Token&& token, Factory&& factory)
{
    return asio::async_initiate<Token, void(std::error_code, T)>(
        spawn_initiation<Executor, codes_from_result>{executor}, token,
        std::forward<Factory>(factory));
}

} // namespace imagine::http::detail
