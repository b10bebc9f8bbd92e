#pragma once

// Saving API results to files, atomically (see util/save_image.hpp for the rules: the
// format comes from the bytes, the extension is checked, nothing is left behind on
// failure, an existing file is replaced only when asked).
//
//   auto saved = co_await imagine::save_image(r.data.at(0), "sunset.png");
//   auto p = co_await imagine::save_image(partial_event, "partial-1.png");
//
// The base64 text is decoded in pieces straight into the file. The file is written on
// the calling thread (a few milliseconds for a 4 MB image); the completion is posted,
// never run inline. Completes with void(std::exception_ptr, saved_image); the
// std::system_error's message names the path.

#include <imagine/config.hpp>

#include <imagine/api/types/image_events.hpp>
#include <imagine/api/types/images.hpp>
#include <imagine/api/types/response.hpp>
#include <imagine/api/types/response_events.hpp>
#include <imagine/detail/asio_compat.hpp>
#include <imagine/json/enum.hpp>
#include <imagine/util/save_image.hpp>

#include <asio/any_io_executor.hpp>
#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/post.hpp>

#include <exception>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace imagine {
namespace detail {

inline std::string_view base64_of(const image& img, const std::filesystem::path& path)
{
    if (!img.b64_json) {
        throw std::system_error(
            std::make_error_code(std::errc::invalid_argument),
            "imagine: save_image \"" + path.string() + "\": the image has no b64_json" +
                (img.url ? " (only a URL: ask for response_format b64_json)" : ""));
    }
    return *img.b64_json;
}

inline std::string_view base64_of(const image_partial_event& e, const std::filesystem::path&)
{
    return e.b64_json;
}

inline std::string_view base64_of(const image_completed_event& e, const std::filesystem::path&)
{
    return e.b64_json;
}

inline std::string_view base64_of(const image_generation_call& call,
                                  const std::filesystem::path& path)
{
    if (!call.result)
        throw std::system_error(std::make_error_code(std::errc::invalid_argument),
                                "imagine: save_image \"" + path.string() + "\": image call " +
                                    call.id + " has no result (status " +
                                    std::string(json::enum_to_string(call.status)) + ")");
    return *call.result;
}

inline std::string_view base64_of(const image_call_partial_event& e, const std::filesystem::path&)
{
    return e.partial_image_b64;
}

} // namespace detail

/// Decodes an image (an images_response entry, a partial or a completed event, an
/// image_generation_call or its partial image event) and writes it atomically to `path`.
template <class Image, class Token = imagine::detail::default_token_t<asio::any_io_executor>>
requires requires(const Image& i, const std::filesystem::path& p)
{
    detail::base64_of(i, p);
}
auto save_image(const Image& img, std::filesystem::path path, save_options options = {},
                Token&& token = {})
{
    return asio::async_initiate<Token, void(std::exception_ptr, saved_image)>(
        [](auto handler, const Image* source, std::filesystem::path p, save_options o) {
            std::exception_ptr failure;
            saved_image saved;
            try {
                saved = save_image_base64(detail::base64_of(*source, p), p, o);
            } catch (...) {
                failure = std::current_exception();
            }
            auto executor = asio::get_associated_executor(handler);
            asio::post(executor,
                       [handler = std::move(handler), failure, saved = std::move(saved)]() mutable {
                           std::move(handler)(failure, std::move(saved));
                       });
        },
        token, &img, std::move(path), options);
}

} // namespace imagine
