// Conversational image work: one image, then refinements that each build on the last
// (the Responses API with the image_generation tool and previous_response_id).
//
//   refine [--model M] [--image-model M] [--size WxH|auto] [--quality low|medium|high|auto]
//          [--out DIR] [--base-url URL] [--ca-file PEM] [PROMPT [REFINEMENT...]]
//
// Without arguments: "a lighthouse at dawn", then "make it nighttime", "add rain" and
// "add a ship on the horizon". Each step's image is saved as DIR/step-<n>-<call id>.png.

#include <imagine/imagine.hpp>

#include "example_main.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

[[noreturn]] void usage(const std::string& why)
{
    std::fprintf(stderr,
                 "refine: %s\n"
                 "usage: refine [--model M] [--image-model M] [--size WxH|auto]\n"
                 "              [--quality low|medium|high|auto] [--out DIR] [--base-url URL]\n"
                 "              [--ca-file PEM] [PROMPT [REFINEMENT...]]\n",
                 why.c_str());
    std::exit(2);
}

struct arguments {
    imagine::image_session_options session{};
    std::vector<std::string> steps{};
    std::optional<std::string> base_url{};
    std::optional<std::string> ca_file{};
};

arguments parse(int argc, char** argv)
{
    arguments a;
    a.session.save_directory = "refine-out";
    a.session.save.overwrite = true;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc)
                usage("missing value after " + std::string(arg));
            return argv[++i];
        };
        if (arg == "--model")
            a.session.model = value();
        else if (arg == "--image-model")
            a.session.tool.model = value();
        else if (arg == "--size")
            a.session.tool.size = value();
        else if (arg == "--quality") {
            const auto q = imagine::json::enum_from_string<imagine::quality>(value());
            if (!q || *q == imagine::quality::unknown)
                usage("--quality takes low, medium, high or auto");
            a.session.tool.quality = *q;
        } else if (arg == "--out")
            a.session.save_directory = value();
        else if (arg == "--base-url")
            a.base_url = value();
        else if (arg == "--ca-file")
            a.ca_file = value();
        else if (arg.starts_with("--"))
            usage("unknown option " + std::string(arg));
        else
            a.steps.emplace_back(arg);
    }
    if (a.steps.empty())
        a.steps = {"a lighthouse at dawn", "make it nighttime", "add rain",
                   "add a ship on the horizon"};
    return a;
}

void report(const imagine::session_step& step, const std::string& asked)
{
    std::printf("step %u: \"%s\" -> %s (%s)\n", step.number, asked.c_str(),
                step.response.id.c_str(),
                std::string(imagine::json::enum_to_string(step.response.status)).c_str());
    if (const auto* call = step.image(); call && call->revised_prompt)
        std::printf("  the model drew: %s\n", call->revised_prompt->c_str());
    for (const auto& saved : step.saved)
        std::printf("  %ux%u %s, %llu bytes -> %s\n", saved.width, saved.height,
                    std::string(imagine::to_string(saved.format)).c_str(),
                    static_cast<unsigned long long>(saved.size), saved.path.c_str());
    if (step.response.error)
        std::printf("  failed: %s (%s)\n", step.response.error->message.c_str(),
                    step.response.error->code.c_str());
}

asio::awaitable<int> run(imagine::client& ai, arguments args)
{
    std::filesystem::create_directories(args.session.save_directory);
    imagine::image_session editor(ai.responses, args.session);
    co_return co_await example::reporting("refine", [&]() -> asio::awaitable<int> {
        // Named values around co_await: g++ 12 destroys some temporaries there twice.
        const std::string& first = args.steps.front();
        const imagine::session_step start = co_await editor.generate(first);
        report(start, first);
        for (std::size_t i = 1; i < args.steps.size(); ++i) {
            const std::string& instruction = args.steps[i];
            const imagine::session_step step = co_await editor.refine(instruction);
            report(step, instruction);
        }
        co_return 0;
    });
}

} // namespace

int main(int argc, char** argv)
{
    arguments args = parse(argc, argv);
    const example::endpoint where{args.base_url, args.ca_file};
    return example::run_main("refine", where,
                             [&](imagine::client& ai) { return run(ai, std::move(args)); });
}
