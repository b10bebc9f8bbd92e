#pragma once

// A refinement session: conversational image work on the Responses API, where each
// step builds on the last (the ImageEditor of OpenAI's image guide).
//
//   imagine::image_session editor(ai.responses, {.save_directory = "out"});
//   auto first = co_await editor.generate("a lighthouse at dawn");
//   auto night = co_await editor.refine("make it nighttime");     // previous_response_id
//   auto rain  = co_await editor.refine("add rain");
//   auto alt   = co_await editor.refine_from(first.image()->id, "in watercolour");
//
// refine() continues the chain with previous_response_id (the server keeps the
// context); refine_from() starts a branch from any earlier image by referencing its
// image_generation_call. Steps run one at a time; the session is not thread-safe.

#include <imagine/config.hpp>

#include <imagine/api/detail/launch.hpp>
#include <imagine/api/error.hpp>
#include <imagine/api/options.hpp>
#include <imagine/api/responses.hpp>
#include <imagine/api/types/image_tool.hpp>
#include <imagine/api/types/response.hpp>
#include <imagine/api/types/response_input.hpp>
#include <imagine/api/types/response_request.hpp>
#include <imagine/detail/asio_compat.hpp>
#include <imagine/util/save_image.hpp>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/use_awaitable.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace imagine {

struct image_session_options {
    /// The mainline model that calls the image tool.
    std::string model = models::gpt_5_1;
    /// The image tool of every step (size, quality, format, ...).
    image_generation_tool tool{};
    std::optional<std::string> instructions{};
    /// Each step's images are saved here as step-<n>-<call id>.<ext> when not empty.
    std::filesystem::path save_directory{};
    save_options save{};
    /// Make every step call the image tool (tool_choice {"type":"image_generation"}).
    bool force_image = true;
    request_options request{};
};

struct session_step {
    /// 1 for the first step of the session.
    unsigned number = 0;
    imagine::response response{};
    /// The files written, when save_directory is set.
    std::vector<saved_image> saved{};

    /// The first image of the step; nullptr when the model made none.
    const image_generation_call* image() const
    {
        const auto all = response.images();
        return all.empty() ? nullptr : all.front();
    }
};

class image_session {
public:
    using executor_type = asio::any_io_executor;
    using default_token = imagine::detail::default_token_t<executor_type>;

    /// The session must outlive its steps.
    explicit image_session(responses_service& responses, image_session_options options = {})
        : responses_(&responses), options_(std::move(options))
    {
    }

    /// Starts a new chain. Completes with void(std::exception_ptr, session_step).
    template <class Token = default_token>
    auto generate(std::string prompt, Token&& token = {})
    {
        return start(std::forward<Token>(token), [this, prompt = std::move(prompt)] {
            auto req = base();
            req.input = prompt;
            return step(std::move(req));
        });
    }

    /// Continues from the last step (previous_response_id).
    template <class Token = default_token>
    auto refine(std::string instruction, Token&& token = {})
    {
        return start(std::forward<Token>(token), [this, instruction = std::move(instruction)] {
            return refine_step(std::move(instruction));
        });
    }

    /// Edits the image of an earlier image_generation_call (any step's, by its id).
    template <class Token = default_token>
    auto refine_from(std::string call_id, std::string instruction, Token&& token = {})
    {
        return start(std::forward<Token>(token),
                     [this, call_id = std::move(call_id), instruction = std::move(instruction)] {
                         auto req = base();
                         std::vector<input_item> items;
                         items.emplace_back(image_generation_call_reference{call_id});
                         items.emplace_back(user_message(instruction));
                         req.input = std::move(items);
                         return step(std::move(req));
                     });
    }

    /// The id of the last completed step's response; empty before the first.
    const std::string& last_response_id() const noexcept { return last_response_id_; }
    /// Steps completed so far.
    unsigned steps() const noexcept { return steps_; }

private:
    template <class Token, class Factory>
    auto start(Token&& token, Factory&& factory)
    {
        return detail::launch_api<session_step>(
            responses_->get_executor(), std::forward<Token>(token), std::forward<Factory>(factory));
    }

    response_create_request base() const
    {
        response_create_request req;
        req.model = options_.model;
        req.instructions = options_.instructions;
        req.tools = std::vector<response_tool>{options_.tool};
        if (options_.force_image)
            req.tool_choice = force_image_generation{};
        return req;
    }

    // A coroutine, so that the refusal reaches the completion handler; by value, as a
    // lambda's captures would die before it runs.
    asio::awaitable<session_step> refine_step(std::string instruction)
    {
        if (last_response_id_.empty())
            throw request_error("previous_response_id",
                                "refine() needs an earlier step: call generate() first");
        auto req = base();
        req.input = std::move(instruction);
        req.previous_response_id = last_response_id_;
        co_return co_await step(std::move(req));
    }

    asio::awaitable<session_step> step(response_create_request req)
    {
        session_step out;
        out.response =
            co_await responses_->create(std::move(req), options_.request, asio::use_awaitable);
        out.number = ++steps_;
        // A failed or incomplete step is returned, but the chain goes on from the last
        // good one.
        if (out.response.status == response_status::completed)
            last_response_id_ = out.response.id;
        if (!options_.save_directory.empty())
            for (const image_generation_call* call : out.response.images())
                if (call->result)
                    out.saved.push_back(save_image_base64(
                        *call->result,
                        options_.save_directory /
                            ("step-" + std::to_string(out.number) + "-" + call->id),
                        options_.save));
        co_return out;
    }

    responses_service* responses_;
    image_session_options options_;
    std::string last_response_id_{};
    unsigned steps_ = 0;
};

} // namespace imagine
