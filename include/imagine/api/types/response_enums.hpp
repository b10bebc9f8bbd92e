#pragma once

// The closed sets of the Responses API and Files, with their wire names. As everywhere
// in this library, reading tolerates values added later (`unknown`); writing `unknown`
// is refused by the JSON writer.

#include <imagine/json/enum.hpp>
#include <imagine/json/meta.hpp>

#include <string_view>
#include <utility>

namespace imagine {

/// Response.status. queued and in_progress are the only non-terminal values.
enum class response_status {
    queued,
    in_progress,
    completed,
    failed,
    incomplete,
    cancelled,
    unknown
};

/// ImageGenToolCall.status.
enum class image_call_status { in_progress, generating, completed, failed, unknown };

/// What the image tool does with an input image [ImageGenActionEnum].
enum class image_action { auto_, generate, edit, unknown };

/// How closely the model looks at an input image [ImageDetail].
enum class image_detail { auto_, low, high, original, unknown };

/// tool_choice as a string [ToolChoiceOptions].
enum class tool_choice_mode { auto_, none, required, unknown };

/// Why a response ended incomplete.
enum class incomplete_reason { max_output_tokens, content_filter, unknown };

/// What an uploaded file is for [CreateFileRequest.purpose].
enum class file_purpose { assistants, batch, fine_tune, vision, user_data, evals, unknown };

/// Order of a listing.
enum class list_order { asc, desc, unknown };

/// True for completed, failed, incomplete, cancelled, and for values this library does
/// not know: polling stops at anything that is not queued or in_progress, as the
/// background-mode guide says.
constexpr bool is_terminal(response_status s) noexcept
{
    return s != response_status::queued && s != response_status::in_progress;
}

} // namespace imagine

template <>
struct imagine::json::meta<imagine::response_status> {
    using E = imagine::response_status;
    static constexpr std::pair<E, std::string_view> values[] = {
        {E::queued, "queued"}, {E::in_progress, "in_progress"}, {E::completed, "completed"},
        {E::failed, "failed"}, {E::incomplete, "incomplete"},   {E::cancelled, "cancelled"}};
    static constexpr E unknown = E::unknown;
};

template <>
struct imagine::json::meta<imagine::image_call_status> {
    using E = imagine::image_call_status;
    static constexpr std::pair<E, std::string_view> values[] = {{E::in_progress, "in_progress"},
                                                                {E::generating, "generating"},
                                                                {E::completed, "completed"},
                                                                {E::failed, "failed"}};
    static constexpr E unknown = E::unknown;
};

template <>
struct imagine::json::meta<imagine::image_action> {
    using E = imagine::image_action;
    static constexpr std::pair<E, std::string_view> values[] = {
        {E::auto_, "auto"}, {E::generate, "generate"}, {E::edit, "edit"}};
    static constexpr E unknown = E::unknown;
};

template <>
struct imagine::json::meta<imagine::image_detail> {
    using E = imagine::image_detail;
    static constexpr std::pair<E, std::string_view> values[] = {
        {E::auto_, "auto"}, {E::low, "low"}, {E::high, "high"}, {E::original, "original"}};
    static constexpr E unknown = E::unknown;
};

template <>
struct imagine::json::meta<imagine::tool_choice_mode> {
    using E = imagine::tool_choice_mode;
    static constexpr std::pair<E, std::string_view> values[] = {
        {E::auto_, "auto"}, {E::none, "none"}, {E::required, "required"}};
    static constexpr E unknown = E::unknown;
};

template <>
struct imagine::json::meta<imagine::incomplete_reason> {
    using E = imagine::incomplete_reason;
    static constexpr std::pair<E, std::string_view> values[] = {
        {E::max_output_tokens, "max_output_tokens"}, {E::content_filter, "content_filter"}};
    static constexpr E unknown = E::unknown;
};

template <>
struct imagine::json::meta<imagine::file_purpose> {
    using E = imagine::file_purpose;
    static constexpr std::pair<E, std::string_view> values[] = {
        {E::assistants, "assistants"}, {E::batch, "batch"},         {E::fine_tune, "fine-tune"},
        {E::vision, "vision"},         {E::user_data, "user_data"}, {E::evals, "evals"}};
    static constexpr E unknown = E::unknown;
};

template <>
struct imagine::json::meta<imagine::list_order> {
    using E = imagine::list_order;
    static constexpr std::pair<E, std::string_view> values[] = {{E::asc, "asc"}, {E::desc, "desc"}};
    static constexpr E unknown = E::unknown;
};
