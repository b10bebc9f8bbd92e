#pragma once

// client.files: upload an image once (purpose vision by default) and refer to it by
// file_id in input_image parts, image tool masks and JSON edits.
//
//   imagine::file_upload_request up{.file = imagine::input_file::from_path("cat.png")};
//   auto f = co_await ai.files.upload(up);
//   auto part = imagine::input_image::from_file_id(f.id);

#include <imagine/config.hpp>

#include <imagine/api/detail/core.hpp>
#include <imagine/api/detail/image_checks.hpp>
#include <imagine/api/detail/launch.hpp>
#include <imagine/api/detail/response_checks.hpp>
#include <imagine/api/images.hpp>
#include <imagine/api/options.hpp>
#include <imagine/api/types/files.hpp>
#include <imagine/detail/asio_compat.hpp>
#include <imagine/http/multipart.hpp>
#include <imagine/json/enum.hpp>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>

#include <memory>
#include <string>
#include <utility>

namespace imagine {

class files_service {
public:
    using executor_type = asio::any_io_executor;
    using default_token = imagine::detail::default_token_t<executor_type>;

    explicit files_service(detail::api_core& core) : core_(&core) {}

    /// POST /files as multipart/form-data: `purpose`, the expiry when set, then `file`
    /// (streamed from disk). Completes with void(std::exception_ptr, file_object).
    template <class Token = default_token>
    auto upload(file_upload_request req, request_options options = {}, Token&& token = {})
    {
        return detail::launch_api<file_object>(
            core_->get_executor(), std::forward<Token>(token),
            [this, req = std::move(req), options = std::move(options)]() mutable {
                return run_upload(std::move(req), std::move(options));
            });
    }

private:
    // By value: a lambda's captures would die before the coroutine runs.
    asio::awaitable<file_object> run_upload(file_upload_request req, request_options options)
    {
        auto spec = detail::form_call("/files", form(req, core_->validating(options)));
        auto answer = co_await core_->call(std::move(spec), std::move(options));
        co_return detail::read_json_body<file_object>(answer, "file");
    }

    static std::shared_ptr<http::multipart_form> form(const file_upload_request& req, bool strict)
    {
        if (strict)
            detail::check_upload(req);
        if (req.file.path.empty() && req.file.bytes.empty())
            throw request_error("file", "is empty: set input_file::path or input_file::bytes");
        // Any file may be uploaded: the content type comes from the bytes when they are
        // an image, else application/octet-stream.
        detail::inspected_file info = detail::inspect(req.file, "file", false);
        if (info.info.format == image_format::unknown && req.file.filename.empty() &&
            req.file.path.empty())
            info.filename = "file";
        auto out = std::make_shared<http::multipart_form>();
        out->add_field("purpose", json::enum_to_string(req.purpose));
        if (req.expires_after_seconds) {
            out->add_field("expires_after[anchor]", "created_at");
            out->add_field("expires_after[seconds]", std::to_string(*req.expires_after_seconds));
        }
        detail::add_form_file(*out, "file", req.file, info);
        return out;
    }

    detail::api_core* core_;
};

} // namespace imagine
