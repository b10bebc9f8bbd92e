// Streams a response that calls the image tool and saves the partial images as they
// arrive, then the final image. With --resumable the response runs in the background
// and a dropped connection is resumed from the last event seen.
//
//   responses_stream [--partials 0-3] [--model M] [--size WxH|auto] [--resumable]
//                    [--out DIR] [--base-url URL] [--ca-file PEM] [PROMPT]

#include <imagine/imagine.hpp>

#include "example_main.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace {

[[noreturn]] void usage(const std::string& why)
{
    std::fprintf(
        stderr,
        "responses_stream: %s\n"
        "usage: responses_stream [--partials 0-3] [--model M] [--size WxH|auto] [--resumable]\n"
        "                        [--out DIR] [--base-url URL] [--ca-file PEM] [PROMPT]\n",
        why.c_str());
    std::exit(2);
}

struct arguments {
    imagine::response_create_request request{};
    imagine::image_generation_tool tool{.partial_images = 2};
    bool resumable = false;
    std::filesystem::path out = "stream-out";
    std::optional<std::string> base_url{};
    std::optional<std::string> ca_file{};
};

arguments parse(int argc, char** argv)
{
    arguments a;
    std::string prompt = "a paper boat on a rainy street";
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc)
                usage("missing value after " + std::string(arg));
            return argv[++i];
        };
        if (arg == "--partials")
            a.tool.partial_images = std::atoi(value());
        else if (arg == "--model")
            a.request.model = value();
        else if (arg == "--size")
            a.tool.size = value();
        else if (arg == "--resumable")
            a.resumable = true;
        else if (arg == "--out")
            a.out = value();
        else if (arg == "--base-url")
            a.base_url = value();
        else if (arg == "--ca-file")
            a.ca_file = value();
        else if (arg.starts_with("--"))
            usage("unknown option " + std::string(arg));
        else
            prompt = arg;
    }
    a.request.input = prompt;
    a.request.tools = std::vector<imagine::response_tool>{a.tool};
    a.request.tool_choice = imagine::force_image_generation{};
    return a;
}

// Prints one event and saves the images it carries.
asio::awaitable<void> handle(const imagine::response_stream_event& ev,
                             const std::filesystem::path& out)
{
    if (const auto* partial = std::get_if<imagine::image_call_partial_event>(&ev)) {
        const auto saved = co_await imagine::save_image(
            *partial, out / ("partial-" + std::to_string(partial->partial_image_index + 1)),
            {.overwrite = true});
        std::printf("  #%lld partial image %d: %s\n",
                    static_cast<long long>(partial->sequence_number),
                    partial->partial_image_index + 1, saved.path.c_str());
    } else if (const auto* item = std::get_if<imagine::output_item_event>(&ev)) {
        const auto* call = std::get_if<imagine::image_generation_call>(&item->item);
        if (call && call->result) {
            const auto saved =
                co_await imagine::save_image(*call, out / call->id, {.overwrite = true});
            std::printf("  #%lld image %s: %ux%u -> %s\n",
                        static_cast<long long>(item->sequence_number), call->id.c_str(),
                        saved.width, saved.height, saved.path.c_str());
        } else {
            std::printf("  #%lld %s\n", static_cast<long long>(item->sequence_number),
                        item->type.c_str());
        }
    } else if (const auto* life = std::get_if<imagine::response_lifecycle_event>(&ev)) {
        std::printf("  #%lld %s%s\n", static_cast<long long>(life->sequence_number),
                    life->type.c_str(), life->from_polling ? " (by polling)" : "");
        if (life->is_terminal() && !life->response.output_text().empty())
            std::printf("  text: %s\n", life->response.output_text().c_str());
    } else {
        std::visit(
            [](const auto& e) {
                std::printf("  #%lld %s\n", static_cast<long long>(e.sequence_number),
                            e.type.c_str());
            },
            ev);
    }
}

asio::awaitable<int> run(imagine::client& ai, arguments args)
{
    std::filesystem::create_directories(args.out);
    co_return co_await example::reporting("responses_stream", [&]() -> asio::awaitable<int> {
        if (args.resumable) {
            auto s = co_await ai.responses.create_resumable(args.request);
            while (auto ev = co_await s.next())
                co_await handle(*ev, args.out);
            std::printf("responses_stream: %s, %u resume(s)\n", s.response_id().c_str(),
                        s.resumes());
        } else {
            auto s = co_await ai.responses.create_stream(args.request);
            while (auto ev = co_await s.next())
                co_await handle(*ev, args.out);
        }
        co_return 0;
    });
}

} // namespace

int main(int argc, char** argv)
{
    arguments args = parse(argc, argv);
    const example::endpoint where{args.base_url, args.ca_file};
    return example::run_main("responses_stream", where,
                             [&](imagine::client& ai) { return run(ai, std::move(args)); });
}
