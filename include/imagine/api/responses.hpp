#pragma once

// client.responses: the Responses API with the image_generation tool.
//
//   imagine::response_create_request req;
//   req.input = "a lighthouse at dawn";
//   req.tools = {imagine::image_generation_tool{.quality = imagine::quality::high}};
//   auto r = co_await ai.responses.create(req);
//   for (const imagine::image_generation_call* call : r.images()) ...
//
//   req.background = true;                                  // a background job
//   auto job = co_await ai.responses.create(req);
//   job = co_await ai.responses.wait(job.id);              // polls until terminal
//
// Every operation completes with void(std::exception_ptr, Result); without a token it
// returns an asio::awaitable. A failed or incomplete response is a response (see its
// status, error and incomplete_details), not an exception: exceptions are for calls
// that did not work. (Name requests before co_await: g++ 12 destroys braced
// temporaries inside co_await twice.)

#include <imagine/config.hpp>

#include <imagine/api/detail/core.hpp>
#include <imagine/api/detail/launch.hpp>
#include <imagine/api/detail/response_calls.hpp>
#include <imagine/api/detail/response_checks.hpp>
#include <imagine/api/error.hpp>
#include <imagine/api/options.hpp>
#include <imagine/api/response_options.hpp>
#include <imagine/api/response_stream.hpp>
#include <imagine/api/resumable_stream.hpp>
#include <imagine/api/types/response.hpp>
#include <imagine/api/types/response_request.hpp>
#include <imagine/detail/asio_compat.hpp>
#include <imagine/json/enum.hpp>
#include <imagine/json/write.hpp>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace imagine {

class responses_service {
public:
    using executor_type = asio::any_io_executor;
    using default_token = imagine::detail::default_token_t<executor_type>;

    explicit responses_service(detail::api_core& core) : core_(&core) {}

    executor_type get_executor() const noexcept { return core_->get_executor(); }

    /// POST /responses. Completes with void(std::exception_ptr, response): the finished
    /// response, or with background: true the queued one (see wait).
    template <class Token = default_token>
    auto create(response_create_request req, request_options options = {}, Token&& token = {})
    {
        return launch<response>(
            std::forward<Token>(token),
            [this, req = std::move(req), options = std::move(options)]() mutable {
                return run_create(std::move(req), std::move(options));
            });
    }

    /// POST /responses with stream: true. Completes once the head has arrived, with a
    /// response_stream of typed events.
    template <class Token = default_token>
    auto create_stream(response_create_request req, request_options options = {},
                       Token&& token = {})
    {
        return launch<response_stream>(
            std::forward<Token>(token),
            [this, req = std::move(req), options = std::move(options)]() mutable {
                return run_create_stream(std::move(req), std::move(options));
            });
    }

    /// A background response streamed so that a dropped connection is resumed (see
    /// resumable_stream.hpp). Sets background and stream; store must not be false.
    template <class Token = default_token>
    auto create_resumable(response_create_request req, resume_options resume = {},
                          request_options options = {}, Token&& token = {})
    {
        return launch<resumable_response_stream>(
            std::forward<Token>(token), [this, req = std::move(req), resume = std::move(resume),
                                         options = std::move(options)]() mutable {
                return run_create_resumable(std::move(req), std::move(resume), std::move(options));
            });
    }

    /// The events of a stored background response after `starting_after` (all when
    /// absent), resumed as create_resumable's are.
    template <class Token = default_token>
    auto resume(std::string id, std::optional<std::int64_t> starting_after = {},
                resume_options resume = {}, request_options options = {}, Token&& token = {})
    {
        return launch<resumable_response_stream>(
            std::forward<Token>(token),
            [this, id = std::move(id), starting_after, resume = std::move(resume),
             options = std::move(options)]() mutable {
                return run_resume(std::move(id), starting_after, std::move(resume),
                                  std::move(options));
            });
    }

    /// GET /responses/{id}: the response as it stands.
    template <class Token = default_token>
    auto retrieve(std::string id, request_options options = {}, Token&& token = {})
    {
        return launch<response>(std::forward<Token>(token),
                                [this, id = std::move(id), options = std::move(options)]() mutable {
                                    return run_retrieve(std::move(id), std::move(options));
                                });
    }

    /// GET /responses/{id}?stream=true&starting_after=N: a plain (not resumed) stream.
    template <class Token = default_token>
    auto retrieve_stream(std::string id, std::optional<std::int64_t> starting_after = {},
                         request_options options = {}, Token&& token = {})
    {
        return launch<response_stream>(
            std::forward<Token>(token),
            [this, id = std::move(id), starting_after, options = std::move(options)]() mutable {
                return detail::open_response_stream(*core_, std::move(id), starting_after,
                                                    std::move(options));
            });
    }

    /// POST /responses/{id}/cancel: background responses only; a finished one comes
    /// back unchanged.
    template <class Token = default_token>
    auto cancel(std::string id, request_options options = {}, Token&& token = {})
    {
        return launch<response>(std::forward<Token>(token),
                                [this, id = std::move(id), options = std::move(options)]() mutable {
                                    return detail::cancel_response(*core_, std::move(id),
                                                                   std::move(options));
                                });
    }

    /// DELETE /responses/{id}.
    template <class Token = default_token>
    auto remove(std::string id, request_options options = {}, Token&& token = {})
    {
        return launch<response_deleted>(
            std::forward<Token>(token),
            [this, id = std::move(id), options = std::move(options)]() mutable {
                return run_remove(std::move(id), std::move(options));
            });
    }

    /// GET /responses/{id}/input_items: one page; pass its last_id as `after` for the next.
    template <class Token = default_token>
    auto input_items(std::string id, input_items_query query = {}, request_options options = {},
                     Token&& token = {})
    {
        return launch<response_item_list>(
            std::forward<Token>(token), [this, id = std::move(id), query = std::move(query),
                                         options = std::move(options)]() mutable {
                return run_input_items(std::move(id), std::move(query), std::move(options));
            });
    }

    /// Polls GET /responses/{id} while it is queued or in progress and completes with
    /// the terminal response. The interval is the server's `openai-poll-after-ms`, else
    /// wait_options::poll_interval; after wait_options::timeout, error::wait_timeout.
    /// Cancelling the operation stops polling (operation_aborted), and with
    /// cancel_on_stop also cancels the job on the server.
    template <class Token = default_token>
    auto wait(std::string id, wait_options wait = {}, request_options options = {},
              Token&& token = {})
    {
        return launch<response>(std::forward<Token>(token),
                                [this, id = std::move(id), wait = std::move(wait),
                                 options = std::move(options)]() mutable {
                                    return detail::wait_for_response(
                                        *core_, std::move(id), std::move(wait), std::move(options));
                                });
    }

private:
    template <class Result, class Token, class Factory>
    auto launch(Token&& token, Factory&& factory)
    {
        return detail::launch_api<Result>(core_->get_executor(), std::forward<Token>(token),
                                          std::forward<Factory>(factory));
    }

    // The request as the operation sends it: `stream` set by the operation, checked.
    detail::call_spec prepare(response_create_request& req, bool streamed,
                              const request_options& options) const
    {
        if (req.stream && *req.stream != streamed)
            throw request_error("stream", streamed ? "is false, but this operation streams"
                                                   : "is true; use create_stream for events");
        if (streamed)
            req.stream = true;
        if (core_->validating(options))
            detail::check_create(req);
        return detail::json_call("/responses", json::write(req));
    }

    asio::awaitable<response> run_create(response_create_request req, request_options options)
    {
        auto spec = prepare(req, false, options);
        auto answer = co_await core_->call(std::move(spec), std::move(options));
        co_return detail::read_json_body<response>(answer, "response");
    }

    asio::awaitable<response_stream> run_create_stream(response_create_request req,
                                                       request_options options)
    {
        auto spec = prepare(req, true, options);
        auto body = co_await core_->open(std::move(spec), std::move(options));
        co_return response_stream(std::move(body), response_stream_policy{});
    }

    asio::awaitable<resumable_response_stream> run_create_resumable(response_create_request req,
                                                                    resume_options resume,
                                                                    request_options options)
    {
        if (req.background == false)
            throw request_error("background", "is false, but only background responses resume");
        req.background = true;
        auto spec = prepare(req, true, options);
        auto body = co_await core_->open(std::move(spec), options);
        co_return resumable_response_stream(
            *core_, response_stream(std::move(body), response_stream_policy{}), {}, -1,
            std::move(resume), std::move(options));
    }

    // The operations' coroutines take their arguments by value: a lambda's captures
    // would die with the lambda, before the coroutine runs.
    asio::awaitable<resumable_response_stream> run_resume(std::string id,
                                                          std::optional<std::int64_t> after,
                                                          resume_options resume,
                                                          request_options options)
    {
        auto first = co_await detail::open_response_stream(*core_, id, after, options);
        co_return resumable_response_stream(*core_, std::move(first), std::move(id),
                                            after.value_or(-1), std::move(resume),
                                            std::move(options));
    }

    asio::awaitable<response> run_retrieve(std::string id, request_options options)
    {
        auto polled = co_await detail::fetch_response(*core_, std::move(id), std::move(options));
        co_return std::move(polled.response);
    }

    asio::awaitable<response_deleted> run_remove(std::string id, request_options options)
    {
        detail::call_spec spec;
        spec.method = "DELETE";
        spec.path = detail::response_path(id);
        auto answer = co_await core_->call(std::move(spec), std::move(options));
        co_return detail::read_deleted(answer, id);
    }

    asio::awaitable<response_item_list> run_input_items(std::string id, input_items_query query,
                                                        request_options options)
    {
        auto spec = detail::idempotent_call("GET", detail::response_path(id, "/input_items") +
                                                       items_query(query));
        auto answer = co_await core_->call(std::move(spec), std::move(options));
        co_return detail::read_json_body<response_item_list>(answer, "input items");
    }

    static std::string items_query(const input_items_query& q)
    {
        if (q.limit && (*q.limit < 1 || *q.limit > 100))
            throw request_error("limit",
                                "must be between 1 and 100, got " + std::to_string(*q.limit));
        if (q.after)
            detail::check_id(*q.after, "after");
        detail::query_string query;
        if (q.limit)
            query.add("limit", std::to_string(*q.limit));
        if (q.order == list_order::unknown)
            throw request_error("order", "must be asc or desc");
        if (q.order)
            query.add("order", json::enum_to_string(*q.order));
        if (q.after)
            query.add("after", *q.after);
        for (const auto& value : q.include)
            query.add("include[]", value);
        return query.str();
    }

    detail::api_core* core_;
};

} // namespace imagine
