// A background job: start a response with background: true, show a live status line
// while polling it (the interval comes from the server's openai-poll-after-ms), and save
// the image. Ctrl-C stops the wait and cancels the job on the server.
//
//   background [--model M] [--quality low|medium|high|auto] [--size WxH|auto]
//              [--timeout SECONDS] [--out DIR] [--base-url URL] [--ca-file PEM] [PROMPT]

#include <imagine/imagine.hpp>

#include "example_main.hpp"

#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/signal_set.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include <chrono>
#include <csignal>
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
        "background: %s\n"
        "usage: background [--model M] [--quality low|medium|high|auto] [--size WxH|auto]\n"
        "                  [--timeout SECONDS] [--out DIR] [--base-url URL] [--ca-file PEM]\n"
        "                  [PROMPT]\n",
        why.c_str());
    std::exit(2);
}

struct arguments {
    imagine::response_create_request request{};
    imagine::image_generation_tool tool{};
    std::chrono::seconds timeout{std::chrono::minutes(20)};
    std::filesystem::path out = "background-out";
    std::optional<std::string> base_url{};
    std::optional<std::string> ca_file{};
};

arguments parse(int argc, char** argv)
{
    arguments a;
    std::string prompt = "a watercolour map of an imaginary island";
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc)
                usage("missing value after " + std::string(arg));
            return argv[++i];
        };
        if (arg == "--model")
            a.request.model = value();
        else if (arg == "--quality") {
            const auto q = imagine::json::enum_from_string<imagine::quality>(value());
            if (!q || *q == imagine::quality::unknown)
                usage("--quality takes low, medium, high or auto");
            a.tool.quality = *q;
        } else if (arg == "--size")
            a.tool.size = value();
        else if (arg == "--timeout")
            a.timeout = std::chrono::seconds(std::atoi(value()));
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
    a.request.background = true;
    return a;
}

// Starts the job, shows its status while polling, saves the image.
asio::awaitable<int> poll_and_save(imagine::client& ai, const arguments& args,
                                   asio::cancellation_signal& stop)
{
    const imagine::response job = co_await ai.responses.create(args.request);
    std::printf("background: %s is %s\n", job.id.c_str(),
                std::string(imagine::json::enum_to_string(job.status)).c_str());

    const auto started = std::chrono::steady_clock::now();
    imagine::wait_options wait;
    wait.timeout = args.timeout;
    wait.cancel_on_stop = true;
    wait.on_poll = [&](const imagine::response& r, std::chrono::milliseconds next) {
        const auto elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
        std::printf("\r  %-11s %6.1f s  (next poll in %lld ms)   ",
                    std::string(imagine::json::enum_to_string(r.status)).c_str(), elapsed.count(),
                    static_cast<long long>(next.count()));
        std::fflush(stdout);
    };
    const imagine::request_options per_request;
    const imagine::response done = co_await ai.responses.wait(
        job.id, wait, per_request, asio::bind_cancellation_slot(stop.slot(), asio::use_awaitable));
    std::printf(
        "\r  %-11s %6.1f s%30s\n", std::string(imagine::json::enum_to_string(done.status)).c_str(),
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), "");
    if (done.status != imagine::response_status::completed) {
        if (done.error)
            std::printf("  error: %s (%s)\n", done.error->message.c_str(),
                        done.error->code.c_str());
        if (done.incomplete_details && done.incomplete_details->reason)
            std::printf("  incomplete: %s\n",
                        std::string(imagine::json::enum_to_string(*done.incomplete_details->reason))
                            .c_str());
        co_return 1;
    }
    std::filesystem::create_directories(args.out);
    for (const imagine::image_generation_call* call : done.images()) {
        const auto saved =
            co_await imagine::save_image(*call, args.out / call->id, {.overwrite = true});
        std::printf("  %ux%u %s, %llu bytes -> %s\n", saved.width, saved.height,
                    std::string(imagine::to_string(saved.format)).c_str(),
                    static_cast<unsigned long long>(saved.size), saved.path.c_str());
    }
    if (done.usage)
        std::printf("  usage: %lld tokens\n", static_cast<long long>(done.usage->total_tokens));
    co_return 0;
}

// Polls until the job ends; `stop` (Ctrl-C) cancels the wait and the job.
asio::awaitable<int> follow(imagine::client& ai, const arguments& args,
                            asio::cancellation_signal& stop)
{
    try {
        co_return co_await example::reporting("background", [&]() -> asio::awaitable<int> {
            co_return co_await poll_and_save(ai, args, stop);
        });
    } catch (const std::system_error& e) {
        if (e.code() != asio::error::operation_aborted)
            throw;
    }
    std::printf("\nbackground: stopped; the job was cancelled on the server\n");
    co_return 130;
}

asio::awaitable<int> run(imagine::client& ai, arguments args)
{
    asio::cancellation_signal stop;
    asio::signal_set signals(co_await asio::this_coro::executor, SIGINT, SIGTERM);
    signals.async_wait([&](std::error_code ec, int) {
        if (!ec)
            stop.emit(asio::cancellation_type::terminal);
    });
    const int status = co_await follow(ai, args, stop);
    signals.cancel();
    co_return status;
}

} // namespace

int main(int argc, char** argv)
{
    arguments args = parse(argc, argv);
    const example::endpoint where{args.base_url, args.ca_file};
    return example::run_main("background", where,
                             [&](imagine::client& ai) { return run(ai, std::move(args)); });
}
