#pragma once

// client.images: generate, edit (multipart or JSON), create_variation, and the streamed
// generate_stream / edit_stream. Every operation checks the request first (see
// detail/image_checks.hpp), sends it with the client's retry policy, and completes with
// void(std::exception_ptr, Result); without a token it returns an asio::awaitable.
//
//   imagine::image_generate_request req{.prompt = "a lighthouse at dawn",
//                                       .model = imagine::models::gpt_image_1_5};
//   auto r = co_await ai.images.generate(req);
//   req.partial_images = 2;
//   auto s = co_await ai.images.generate_stream(req);
//   while (auto ev = co_await s.next()) { ... }
//
// (Named requests, not braced temporaries inside co_await: g++ 12 destroys those twice.)

#include <imagine/config.hpp>

#include <imagine/api/detail/core.hpp>
#include <imagine/api/detail/image_checks.hpp>
#include <imagine/api/detail/launch.hpp>
#include <imagine/api/error.hpp>
#include <imagine/api/options.hpp>
#include <imagine/api/stream.hpp>
#include <imagine/api/types/image_events.hpp>
#include <imagine/api/types/images.hpp>
#include <imagine/detail/asio_compat.hpp>
#include <imagine/http/multipart.hpp>
#include <imagine/json/read.hpp>
#include <imagine/json/reflect.hpp>
#include <imagine/json/write.hpp>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace imagine {

/// Turns the SSE events of a streamed generation or edit into image_stream_events.
/// The stream must carry at least one `*.completed` event to end normally.
struct image_stream_policy {
    using event_type = image_stream_event;

    /// `*.completed` events seen so far.
    unsigned completed = 0;

    std::optional<image_stream_event> on_event(const http::sse_event& ev,
                                               const std::string& request_id)
    {
        const std::string type = detail::event_type_of(ev);
        if (type.ends_with(".partial_image"))
            return detail::read_event<image_partial_event>(ev, type, request_id);
        if (type.ends_with(".completed")) {
            ++completed;
            return detail::read_event<image_completed_event>(ev, type, request_id);
        }
        if (type == "keepalive")
            return std::nullopt;
        image_unknown_event unknown{type, {}};
        if (json::read(ev.data, unknown.data))
            unknown.data = json::value(ev.data);
        return unknown;
    }

    void on_end(const std::string& request_id) const
    {
        if (completed == 0)
            throw std::system_error(make_error_code(error::incomplete_stream),
                                    "imagine: the image stream ended without a completed event"
                                    " (request id " +
                                        request_id + ")");
    }
};

using image_stream = event_stream<image_stream_policy>;

namespace detail {

/// A scalar of a request as multipart text: strings as they are, enums by their wire
/// name, integers in decimal, booleans as true/false.
template <class T>
std::string form_text(const T& v)
{
    if constexpr (std::is_same_v<T, bool>)
        return v ? "true" : "false";
    else if constexpr (std::is_enum_v<T>)
        return std::string(json::enum_to_string(v));
    else if constexpr (std::is_integral_v<T>)
        return std::to_string(v);
    else
        return std::string(v);
}

/// The text fields of a multipart request, in declaration order: every set member that
/// is not a file.
template <class Request>
void add_form_fields(http::multipart_form& form, const Request& r)
{
    json::for_each_member(r, [&](std::string_view key, const auto& member) {
        using M = std::remove_cvref_t<decltype(member)>;
        if constexpr (std::is_same_v<M, std::string>) {
            form.add_field(key, member);
        } else if constexpr (requires {
                                 member.has_value();
                                 *member;
                             }) {
            using V = std::remove_cvref_t<decltype(*member)>;
            if constexpr (!std::is_same_v<V, input_file>)
                if (member)
                    form.add_field(key, form_text(*member));
        }
    });
}

inline void add_form_file(http::multipart_form& form, std::string_view name, const input_file& f,
                          const inspected_file& info)
{
    if (f.path.empty()) {
        form.add_file_data(name, info.filename, info.content_type, f.bytes);
        return;
    }
    std::error_code ec;
    form.add_file(name, f.path, info.filename, info.content_type, ec);
    if (ec)
        throw request_error(std::string(name),
                            "cannot read \"" + f.path.string() + "\": " + ec.message());
}

/// The multipart body of an edit: the text fields, then one `image` part (or `image[]`
/// parts for several), then `mask`.
inline std::shared_ptr<http::multipart_form> edit_form(const image_edit_request& r,
                                                       const std::vector<inspected_file>& files)
{
    auto form = std::make_shared<http::multipart_form>();
    add_form_fields(*form, r);
    const std::string_view name = r.image.size() == 1 ? "image" : "image[]";
    for (std::size_t i = 0; i < r.image.size(); ++i)
        add_form_file(*form, name, r.image[i], files[i]);
    if (r.mask)
        add_form_file(*form, "mask", *r.mask, files.back());
    return form;
}

} // namespace detail

class images_service {
public:
    using executor_type = asio::any_io_executor;
    using default_token = imagine::detail::default_token_t<executor_type>;

    explicit images_service(detail::api_core& core) : core_(&core) {}

    /// POST /images/generations. Completes with void(std::exception_ptr, images_response).
    template <class Token = default_token>
    auto generate(image_generate_request req, request_options options = {}, Token&& token = {})
    {
        return start<images_response>(std::move(req), std::move(options),
                                      std::forward<Token>(token));
    }

    /// Streamed generation: completes once the response head has arrived, with an
    /// image_stream of partial images and the completed image(s).
    template <class Token = default_token>
    auto generate_stream(image_generate_request req, request_options options = {},
                         Token&& token = {})
    {
        return start<image_stream>(std::move(req), std::move(options), std::forward<Token>(token));
    }

    /// POST /images/edits as multipart/form-data, files streamed from disk.
    template <class Token = default_token>
    auto edit(image_edit_request req, request_options options = {}, Token&& token = {})
    {
        return start<images_response>(std::move(req), std::move(options),
                                      std::forward<Token>(token));
    }

    /// POST /images/edits as JSON (images by URL, data URL or file id).
    template <class Token = default_token>
    auto edit(image_edit_json_request req, request_options options = {}, Token&& token = {})
    {
        return start<images_response>(std::move(req), std::move(options),
                                      std::forward<Token>(token));
    }

    template <class Token = default_token>
    auto edit_stream(image_edit_request req, request_options options = {}, Token&& token = {})
    {
        return start<image_stream>(std::move(req), std::move(options), std::forward<Token>(token));
    }

    template <class Token = default_token>
    auto edit_stream(image_edit_json_request req, request_options options = {}, Token&& token = {})
    {
        return start<image_stream>(std::move(req), std::move(options), std::forward<Token>(token));
    }

    /// POST /images/variations (dall-e-2).
    template <class Token = default_token>
    auto create_variation(image_variation_request req, request_options options = {},
                          Token&& token = {})
    {
        return start<images_response>(std::move(req), std::move(options),
                                      std::forward<Token>(token));
    }

private:
    // Result images_response: one buffered answer; image_stream: events.
    template <class Result, class Request, class Token>
    auto start(Request req, request_options options, Token&& token)
    {
        return detail::launch_api<Result>(
            core_->get_executor(), std::forward<Token>(token),
            [this, req = std::move(req), options = std::move(options)]() mutable {
                return run<Result>(std::move(req), std::move(options));
            });
    }

    template <class Result, class Request>
    asio::awaitable<Result> run(Request req, request_options options)
    {
        constexpr bool streamed = std::is_same_v<Result, image_stream>;
        if constexpr (requires { req.stream; }) {
            if (req.stream && *req.stream != streamed)
                throw request_error("stream",
                                    streamed ? "is false, but this operation streams"
                                             : "is true; use the *_stream operation for events");
            if (streamed)
                req.stream = true;
        }
        detail::call_spec spec = call_for(req, core_->validating(options));
        if constexpr (streamed) {
            auto body = co_await core_->open(std::move(spec), std::move(options));
            co_return image_stream(std::move(body), image_stream_policy{});
        } else {
            co_return detail::read_json_body<images_response>(
                co_await core_->call(std::move(spec), std::move(options)), "images response");
        }
    }

    // The checks of each request (with `strict`), then its call.
    static detail::call_spec call_for(const image_generate_request& req, bool strict)
    {
        if (strict)
            detail::check_generate(req);
        return detail::json_call("/images/generations", json::write(req));
    }

    static detail::call_spec call_for(const image_edit_request& req, bool strict)
    {
        const auto files = detail::check_edit(req, strict);
        return detail::form_call("/images/edits", detail::edit_form(req, files));
    }

    static detail::call_spec call_for(const image_edit_json_request& req, bool strict)
    {
        if (strict)
            detail::check_edit_json(req);
        return detail::json_call("/images/edits", json::write(req));
    }

    static detail::call_spec call_for(const image_variation_request& req, bool strict)
    {
        const auto file = detail::check_variation(req, strict);
        auto form = std::make_shared<http::multipart_form>();
        detail::add_form_fields(*form, req);
        detail::add_form_file(*form, "image", req.image, file);
        return detail::form_call("/images/variations", std::move(form));
    }

    detail::api_core* core_;
};

} // namespace imagine
