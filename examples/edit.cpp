// Edits one or more images with a prompt, optionally inside a mask, and saves the result.
//
//   edit [--model M] [--mask MASK.png] [--size WxH|auto] [--fidelity low|high]
//        [--out DIR] [--base-url URL] [--ca-file PEM] --prompt TEXT IMAGE...
//
// Up to 16 images (PNG, JPEG or WebP; each file's type is read from its bytes). The mask
// is a PNG with an alpha channel, the size of the first image; its transparent pixels
// mark the area to change. The files are streamed from disk, never loaded whole.

#include <imagine/imagine.hpp>

#include "example_main.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace {

[[noreturn]] void usage(const std::string& why)
{
    std::fprintf(
        stderr,
        "edit: %s\n"
        "usage: edit [--model M] [--mask MASK.png] [--size WxH|auto] [--fidelity low|high]\n"
        "            [--out DIR] [--base-url URL] [--ca-file PEM] --prompt TEXT IMAGE...\n",
        why.c_str());
    std::exit(2);
}

struct arguments {
    imagine::image_edit_request request{};
    std::filesystem::path out = ".";
    std::optional<std::string> base_url{};
    std::optional<std::string> ca_file{};
};

arguments parse(int argc, char** argv)
{
    arguments a;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc)
                usage("missing value after " + std::string(arg));
            return argv[++i];
        };
        if (arg == "--model")
            a.request.model = value();
        else if (arg == "--mask")
            a.request.mask = imagine::input_file::from_path(value());
        else if (arg == "--size")
            a.request.size = value();
        else if (arg == "--fidelity") {
            const auto f = imagine::json::enum_from_string<imagine::input_fidelity>(value());
            if (!f || *f == imagine::input_fidelity::unknown)
                usage("--fidelity takes low or high");
            a.request.input_fidelity = *f;
        } else if (arg == "--prompt")
            a.request.prompt = value();
        else if (arg == "--out")
            a.out = value();
        else if (arg == "--base-url")
            a.base_url = value();
        else if (arg == "--ca-file")
            a.ca_file = value();
        else if (arg.starts_with("--"))
            usage("unknown option " + std::string(arg));
        else
            a.request.image.push_back(imagine::input_file::from_path(std::string(arg)));
    }
    if (a.request.prompt.empty())
        usage("no --prompt");
    if (a.request.image.empty())
        usage("no image");
    return a;
}

asio::awaitable<int> run(imagine::client& ai, arguments args)
{
    std::printf("edit: %zu image(s)%s with %s\n", args.request.image.size(),
                args.request.mask ? " and a mask" : "", args.request.model.c_str());
    std::fflush(stdout);
    co_return co_await example::reporting("edit", [&]() -> asio::awaitable<int> {
        const auto r = co_await ai.images.edit(args.request);
        std::filesystem::create_directories(args.out);
        for (std::size_t i = 0; i < r.data.size(); ++i) {
            const auto saved = co_await imagine::save_image(
                r.data[i], args.out / ("edited-" + std::to_string(i + 1)), {.overwrite = true});
            std::printf("  %ux%u %s, %llu bytes -> %s\n", saved.width, saved.height,
                        std::string(imagine::to_string(saved.format)).c_str(),
                        static_cast<unsigned long long>(saved.size), saved.path.c_str());
        }
        if (r.usage)
            std::printf("  usage: %lld tokens\n", static_cast<long long>(r.usage->total_tokens));
        co_return 0;
    });
}

} // namespace

int main(int argc, char** argv)
{
    arguments args = parse(argc, argv);
    const example::endpoint where{args.base_url, args.ca_file};
    return example::run_main("edit", where,
                             [&](imagine::client& ai) { return run(ai, std::move(args)); });
}
