#pragma once

// Request dispatch: the /_emulator control endpoints (no auth, not recorded), then for
// API requests (/v1/..., optionally behind /fault/<spec>): record, route (404/405; a
// `{id}` segment in a route's path matches any one segment), authenticate (401), apply
// status faults, and run the endpoint handler on the worker pool. Returns the response
// and the transport faults for the connection to apply.

#include "api_error.hpp"
#include "faults.hpp"
#include "file_store.hpp"
#include "files_api.hpp"
#include "http_request.hpp"
#include "http_response.hpp"
#include "images_api.hpp"
#include "recorder.hpp"
#include "response_store.hpp"
#include "responses_api.hpp"

#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/thread_pool.hpp>
#include <asio/use_awaitable.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace imagine_emulator {

/// Everything the handlers share, owned by the server.
struct server_state {
    std::string origin{}; ///< "https://127.0.0.1:<port>"
    std::chrono::milliseconds stream_delay{150};
    bool quiet = false;
    recorder requests{};
    once_registry once{};
    file_store files{};
    upload_store uploads{};            ///< POST /v1/files
    response_store responses{};        ///< POST /v1/responses
    job_settings job_defaults{};       ///< background job timeline, from the command line
    std::atomic<bool> stopping{false}; ///< set on shutdown: waiting stream steps give up
    std::function<void()> shutdown{};  ///< stops the server (after the reply is sent)
};

struct routed_response {
    http_response response{};
    fault_plan faults{};
    bool shutdown_after = false;
};

/// What an API route runs: synchronous, CPU-bound work, executed on the worker pool.
struct route_context {
    server_state& state;
    const fault_plan& faults;
    std::string id{};                         ///< the `{id}` path segment, if the route has one
    std::chrono::milliseconds stream_delay{}; ///< per event (x-emulator-delay-ms or default)

    responses_context responses() const
    {
        return {&state.responses, &state.uploads,  state.job_defaults,
                stream_delay,     &state.stopping, faults.bad_base64};
    }
};
using route_handler = std::function<http_response(const http_request&, const route_context&)>;

struct route {
    std::string method{};
    std::string path{}; ///< may hold one `{id}` segment
    route_handler handler{};
    bool paces_itself = false; ///< the handler sets event_delay (timeline-paced streams)
};

/// True if `path` matches `pattern`, segment by segment; `{id}` takes any one
/// non-empty segment, stored in `id`.
inline bool match_path(std::string_view pattern, std::string_view path, std::string& id)
{
    for (;;) {
        const auto pattern_end = pattern.find('/', 1);
        const auto path_end = path.find('/', 1);
        const auto segment = pattern.substr(0, pattern_end);
        const auto actual = path.substr(0, path_end);
        if (segment == "/{id}") {
            if (actual.size() < 2)
                return false;
            id = std::string(actual.substr(1));
        } else if (segment != actual) {
            return false;
        }
        if (pattern_end == std::string_view::npos || path_end == std::string_view::npos)
            return pattern_end == path_end;
        pattern.remove_prefix(pattern_end);
        path.remove_prefix(path_end);
    }
}

/// The API routes: one entry per endpoint, the handler in its own header.
inline std::vector<route> api_routes()
{
    auto images = [](image_endpoint endpoint) {
        return [endpoint](const http_request& request, const route_context& context) {
            const images_context images{&context.state.files, context.state.origin,
                                        context.faults.bad_base64};
            return handle_images(endpoint, request, images);
        };
    };
    using C = const route_context&;
    using R = const http_request&;
    return {
        {"POST", "/v1/images/generations", images(image_endpoint::generations)},
        {"POST", "/v1/images/edits", images(image_endpoint::edits)},
        {"POST", "/v1/images/variations", images(image_endpoint::variations)},
        {"POST", "/v1/files", [](R r, C c) { return handle_create_file(r, c.state.uploads); }},
        {"POST", "/v1/responses", [](R r, C c) { return handle_create_response(r, c.responses()); },
         true},
        {"GET", "/v1/responses/{id}",
         [](R r, C c) { return handle_get_response(r, c.id, c.responses()); }, true},
        {"DELETE", "/v1/responses/{id}",
         [](R, C c) { return handle_delete_response(c.id, c.responses()); }},
        {"POST", "/v1/responses/{id}/cancel",
         [](R, C c) { return handle_cancel_response(c.id, c.responses()); }},
        {"GET", "/v1/responses/{id}/input_items",
         [](R r, C c) { return handle_input_items(r, c.id, c.responses()); }},
    };
}

inline http_response error_response(const api_error& error)
{
    return json_response(error.status, error.body());
}

class router {
public:
    router(server_state& state, asio::thread_pool& pool)
        : state_(state), pool_(pool), routes_(api_routes())
    {
    }

    asio::awaitable<routed_response> handle(const http_request& request)
    {
        const auto started = std::chrono::steady_clock::now();
        routed_response out;
        const auto path = request.path();
        if (path.starts_with("/_emulator/"))
            out = control(request);
        else
            out = co_await api(request);
        auto& headers = out.response.headers;
        headers.emplace_back("x-request-id", next_request_id());
        headers.emplace_back("openai-processing-ms",
                             std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                std::chrono::steady_clock::now() - started)
                                                .count()));
        headers.emplace_back("openai-version", "2020-10-01");
        co_return out;
    }

private:
    routed_response control(const http_request& request)
    {
        const auto path = request.path();
        const auto ok = [] { return json_response(200, R"({"ok":true})"); };
        routed_response out;
        if (path == "/_emulator/health" && request.method == "GET") {
            out.response = ok();
        } else if (path == "/_emulator/requests" && request.method == "GET") {
            std::size_t last = 0;
            for (const auto parameter : split_list(request.query(), '&'))
                if (parameter.starts_with("last="))
                    last = parse_decimal<std::size_t>(parameter.substr(5)).value_or(0);
            out.response = json_response(200, state_.requests.to_json(last));
        } else if (path == "/_emulator/requests" && request.method == "DELETE") {
            state_.requests.clear();
            out.response = ok();
        } else if (path == "/_emulator/faults" && request.method == "DELETE") {
            state_.once.clear();
            out.response = ok();
        } else if (path == "/_emulator/shutdown" && request.method == "POST") {
            out.response = ok();
            out.response.close = true;
            out.shutdown_after = true;
        } else if (path.starts_with("/_emulator/responses/") && request.method == "GET") {
            const auto id = std::string(path.substr(21));
            if (const auto record = describe_response(state_.responses, id))
                out.response = json_response(200, *record);
            else
                out.response = error_response(
                    api_error(404, "Response with id '" + valid_utf8(id) + "' not found."));
        } else if (path.starts_with("/_emulator/files/") && request.method == "GET") {
            if (auto file = state_.files.find(std::string(path.substr(17)))) {
                out.response.headers.emplace_back("Content-Type", file->content_type);
                out.response.body = std::move(file->bytes);
            } else {
                out.response =
                    error_response(api_error(404, "No such file: '" + valid_utf8(path) + "'."));
            }
        } else {
            out.response = error_response(
                api_error(404, "Invalid URL (" + request.method + " " + valid_utf8(path) + ")"));
        }
        return out;
    }

    asio::awaitable<routed_response> api(const http_request& request)
    {
        routed_response out;
        std::string_view path = request.path();
        std::string_view path_faults;
        const bool fault_prefix = path.starts_with("/fault/");
        if (fault_prefix) {
            const auto end = path.find('/', 7);
            path_faults =
                path.substr(7, end == std::string_view::npos ? std::string_view::npos : end - 7);
            path = end == std::string_view::npos ? std::string_view("/") : path.substr(end);
        }
        if (fault_prefix || path.starts_with("/v1/") || path == "/v1")
            state_.requests.record(request);

        try {
            parse_faults(path_faults, out.faults);
            parse_faults(request.joined_header("x-emulator-fault").value_or(""), out.faults);
        } catch (const api_error& e) {
            out.faults = {};
            out.response = error_response(e);
            co_return out;
        }

        const route* matched = nullptr;
        std::string allowed; // the methods the path takes, for 405's Allow
        std::string id;
        for (const auto& r : routes_) {
            std::string segment;
            if (match_path(r.path, path, segment)) {
                allowed += (allowed.empty() ? "" : ", ") + r.method;
                if (r.method == request.method && !matched) {
                    matched = &r;
                    id = std::move(segment);
                }
            }
        }
        const bool path_known = !allowed.empty();
        try {
            if (!path_known)
                throw api_error(404,
                                "Invalid URL (" + request.method + " " + valid_utf8(path) + ")");
            if (!matched) {
                out.response =
                    error_response(api_error(405, "Invalid method for URL (" + request.method +
                                                      " " + valid_utf8(path) + ")"));
                out.response.headers.emplace_back("Allow", allowed);
                co_return out;
            }
            authenticate(request);
            if (apply_status_fault(request, out))
                co_return out;
            if (out.faults.non_json_error) {
                out.response.status = 502;
                out.response.headers.emplace_back("Content-Type", "text/html");
                out.response.body = "<html><body><h1>502 Bad Gateway</h1></body></html>";
                co_return out;
            }
            route_context context{state_, out.faults, std::move(id), state_.stream_delay};
            if (const auto delay = request.header("x-emulator-delay-ms"))
                if (const auto ms = parse_decimal<int>(*delay))
                    context.stream_delay = std::chrono::milliseconds(*ms);
            out.response = co_await asio::co_spawn(
                pool_,
                [&]() -> asio::awaitable<http_response> {
                    co_return matched->handler(request, context);
                },
                asio::use_awaitable);
            if (!matched->paces_itself)
                out.response.event_delay = context.stream_delay;
        } catch (const api_error& e) {
            out.response = error_response(e);
        } catch (const std::exception& e) {
            out.response =
                error_response(server_error(500, std::string("The emulator failed: ") + e.what()));
        }
        if (out.faults.malformed_json && !out.response.events) {
            // A 200 whose JSON stops halfway: what a broken proxy or a cut-off body gives.
            out.response.status = 200;
            out.response.body.resize(out.response.body.size() / 2);
        }
        co_return out;
    }

    static void authenticate(const http_request& request)
    {
        const auto authorization = request.header("Authorization");
        std::string_view key;
        if (authorization && istarts_with(*authorization, "Bearer "))
            key = trim(authorization->substr(7));
        if (key.empty())
            throw missing_api_key();
        if (key.starts_with("sk-invalid"))
            throw invalid_api_key(key);
    }

    // Answers with the first status fault that applies; "-once" faults apply to the
    // first request carrying them per fault id, then let requests through.
    bool apply_status_fault(const http_request& request, routed_response& out)
    {
        for (const auto& fault : out.faults.statuses) {
            if (fault.once) {
                const auto id = request.header("x-emulator-fault-id");
                if (!state_.once.first_time(fault.spec, id ? std::string(*id) : fault.spec))
                    continue;
            }
            out.response = error_response(status_fault_error(fault));
            if (fault.status == 429) {
                out.response.headers.emplace_back("retry-after-ms",
                                                  std::to_string(fault.retry_after_ms));
                out.response.headers.emplace_back("retry-after", "1");
                out.response.headers.emplace_back("x-ratelimit-limit-requests", "5");
                out.response.headers.emplace_back("x-ratelimit-remaining-requests", "0");
            }
            if (fault.no_retry)
                out.response.headers.emplace_back("x-should-retry", "false");
            return true;
        }
        return false;
    }

    std::string next_request_id()
    {
        std::uint64_t state = id_seed_ + ++id_counter_;
        const std::uint64_t a = splitmix64(state), b = splitmix64(state);
        unsigned char bytes[16];
        for (int i = 0; i < 8; ++i) {
            bytes[i] = static_cast<unsigned char>(a >> (8 * i));
            bytes[8 + i] = static_cast<unsigned char>(b >> (8 * i));
        }
        return "req_" + to_hex(bytes, sizeof bytes);
    }

    server_state& state_;
    asio::thread_pool& pool_;
    std::vector<route> routes_;
    std::uint64_t id_seed_ =
        (static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
    std::uint64_t id_counter_ = 0;
};

} // namespace imagine_emulator
