#pragma once

// The OpenAI client: one per application (or per key), shared by every coroutine that
// calls it. It owns the connection pool; its services are members:
//
//   imagine::client ai(io.get_executor());          // OPENAI_API_KEY, OPENAI_BASE_URL, ...
//   imagine::image_generate_request req{.prompt = "a red fox"};
//   auto r = co_await ai.images.generate(req);
//
// Not copyable or movable: the services refer to it. Operations must complete before
// the client is destroyed.

#include <imagine/config.hpp>

#include <imagine/api/detail/core.hpp>
#include <imagine/api/files.hpp>
#include <imagine/api/images.hpp>
#include <imagine/api/options.hpp>
#include <imagine/api/responses.hpp>

#include <asio/any_io_executor.hpp>

#include <utility>

namespace imagine {

class client {
public:
    using executor_type = asio::any_io_executor;

    /// Throws std::system_error for options that cannot work (error::invalid_configuration,
    /// or a TLS / proxy error of the transport). A missing API key is reported by the
    /// first call instead, so that a client can be built before the key is known to exist.
    explicit client(executor_type executor, client_options options = {})
        : core_(executor, std::move(options)), images(core_), responses(core_), files(core_)
    {
    }

    client(const client&) = delete;
    client& operator=(const client&) = delete;

    executor_type get_executor() const noexcept { return core_.get_executor(); }
    const client_options& options() const noexcept { return core_.options(); }
    /// The transport, for its pool statistics and the like.
    http::client& transport() noexcept { return core_.http(); }

private:
    detail::api_core core_;

public:
    images_service images;
    responses_service responses;
    files_service files;
};

} // namespace imagine
