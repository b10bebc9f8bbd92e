// Generates images from a prompt and saves them, showing progress while it waits:
// elapsed seconds, and with --stream K each partial image as it arrives.
//
//   generate [--model M] [--size WxH|auto] [--quality low|medium|high|auto]
//            [--format png|jpeg|webp] [--background transparent|opaque|auto] [--n N]
//            [--stream K] [--out DIR] [--base-url URL] [--ca-file PEM] PROMPT
//
// The key comes from OPENAI_API_KEY, the endpoint from --base-url or OPENAI_BASE_URL
// (default: the real API). --ca-file trusts an extra CA (the emulator's) on top of the
// system's. Files are named after the prompt and replaced when they exist.

#include <imagine/imagine.hpp>

#include "example_main.hpp"

#include <asio/co_spawn.hpp>

#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace {

using clock_type = std::chrono::steady_clock;

struct arguments {
    imagine::image_generate_request request{};
    int stream = -1; // partial images when streaming; -1: not streaming
    std::filesystem::path out = ".";
    std::optional<std::string> base_url{};
    std::optional<std::string> ca_file{};
};

[[noreturn]] void usage(const char* why)
{
    std::fprintf(
        stderr,
        "generate: %s\n"
        "usage: generate [--model M] [--size WxH|auto] [--quality Q] [--format png|jpeg|webp]\n"
        "                [--background B] [--n N] [--stream K] [--out DIR]\n"
        "                [--base-url URL] [--ca-file PEM] PROMPT\n",
        why);
    std::exit(2);
}

template <class E>
E parse_enum(std::string_view flag, std::string_view text)
{
    const auto value = imagine::json::enum_from_string<E>(text);
    if (!value || *value == E::unknown)
        usage(("bad value for " + std::string(flag) + ": " + std::string(text)).c_str());
    return *value;
}

int parse_int(std::string_view flag, const char* text)
{
    char* end = nullptr;
    const long v = std::strtol(text, &end, 10);
    if (end == text || *end != '\0' || v < -1000 || v > 1000)
        usage(("bad number for " + std::string(flag)).c_str());
    return static_cast<int>(v);
}

arguments parse(int argc, char** argv)
{
    arguments a;
    std::string prompt;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc)
                usage(("missing value after " + std::string(arg)).c_str());
            return argv[++i];
        };
        if (arg == "--model")
            a.request.model = value();
        else if (arg == "--size")
            a.request.size = value();
        else if (arg == "--quality")
            a.request.quality = parse_enum<imagine::quality>(arg, value());
        else if (arg == "--format")
            a.request.output_format = parse_enum<imagine::output_format>(arg, value());
        else if (arg == "--background")
            a.request.background = parse_enum<imagine::background>(arg, value());
        else if (arg == "--n")
            a.request.n = parse_int(arg, value());
        else if (arg == "--stream")
            a.stream = parse_int(arg, value());
        else if (arg == "--out")
            a.out = value();
        else if (arg == "--base-url")
            a.base_url = value();
        else if (arg == "--ca-file")
            a.ca_file = value();
        else if (arg.starts_with("--"))
            usage(("unknown option " + std::string(arg)).c_str());
        else
            prompt += (prompt.empty() ? "" : " ") + std::string(arg);
    }
    if (prompt.empty())
        usage("no prompt");
    a.request.prompt = prompt;
    if (a.stream >= 0)
        a.request.partial_images = a.stream;
    return a;
}

/// "a lighthouse at dawn" -> "a-lighthouse-at-dawn" (at most 40 characters).
std::string slug(std::string_view prompt)
{
    std::string out;
    for (char c : prompt) {
        if (out.size() >= 40)
            break;
        const bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (c >= 'A' && c <= 'Z')
            out += static_cast<char>(c - 'A' + 'a');
        else if (word)
            out += c;
        else if (!out.empty() && out.back() != '-')
            out += '-';
    }
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    return out.empty() ? "image" : out;
}

double seconds_since(clock_type::time_point start)
{
    return std::chrono::duration<double>(clock_type::now() - start).count();
}

std::string megabytes(std::uint64_t bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
    return text;
}

void report(clock_type::time_point start, const char* what, const imagine::saved_image& saved)
{
    std::printf("  [%5.1f s] %s: %ux%u %s, %s -> %s\n", seconds_since(start), what, saved.width,
                saved.height, std::string(imagine::to_string(saved.format)).c_str(),
                megabytes(saved.size).c_str(), saved.path.c_str());
    std::fflush(stdout);
}

/// Prints the elapsed time every second (on a terminal; else every ten) until stopped.
class ticker {
public:
    ticker(asio::any_io_executor executor, clock_type::time_point start)
        : state_(std::make_shared<state>(executor, start))
    {
        asio::co_spawn(executor, run(state_), [](std::exception_ptr) {});
    }
    ticker(const ticker&) = delete;
    ticker& operator=(const ticker&) = delete;
    ~ticker() { stop(); }

    void stop()
    {
        if (state_->done)
            return;
        state_->done = true;
        state_->timer.cancel();
        if (state_->tty)
            std::printf("\r%30s\r", "");
    }

private:
    struct state {
        state(asio::any_io_executor ex, clock_type::time_point s) : timer(ex), start(s) {}
        asio::steady_timer timer;
        clock_type::time_point start;
        bool done = false;
        bool tty = ::isatty(STDOUT_FILENO) != 0;
    };

    static asio::awaitable<void> run(std::shared_ptr<state> s)
    {
        for (int tick = 1; !s->done; ++tick) {
            s->timer.expires_after(std::chrono::seconds(1));
            co_await s->timer.async_wait(asio::use_awaitable);
            if (s->done)
                break;
            if (s->tty)
                std::printf("\r  waiting... %.0f s ", seconds_since(s->start));
            else if (tick % 10 == 0)
                std::printf("  waiting... %.0f s\n", seconds_since(s->start));
            std::fflush(stdout);
        }
    }

    std::shared_ptr<state> state_;
};

asio::awaitable<int> run(imagine::client& ai, arguments args)
{
    const auto start = clock_type::now();
    const std::string base = slug(args.request.prompt);
    std::filesystem::create_directories(args.out);
    imagine::save_options save{.overwrite = true};
    int files = 0;
    ticker waiting(co_await asio::this_coro::executor, start);

    std::printf("generate: %s, %s, %s\n", args.request.model.c_str(),
                args.request.size.value_or("default size").c_str(),
                args.stream >= 0
                    ? ("streaming, " + std::to_string(args.stream) + " partial image(s)").c_str()
                    : "not streaming");
    std::fflush(stdout);
    try {
        if (args.stream >= 0) {
            auto stream = co_await ai.images.generate_stream(args.request);
            int finals = 0;
            while (auto ev = co_await stream.next()) {
                waiting.stop();
                if (const auto* p = std::get_if<imagine::image_partial_event>(&*ev)) {
                    const auto name =
                        base + "-partial-" + std::to_string(p->partial_image_index + 1);
                    report(start, ("partial " + std::to_string(p->partial_image_index + 1)).c_str(),
                           co_await imagine::save_image(*p, args.out / name, save));
                    ++files;
                } else if (const auto* c = std::get_if<imagine::image_completed_event>(&*ev)) {
                    const auto name = base + "-" + std::to_string(++finals);
                    report(start, ("final image " + std::to_string(finals)).c_str(),
                           co_await imagine::save_image(*c, args.out / name, save));
                    ++files;
                    if (c->usage)
                        std::printf("  usage: %lld tokens (input %lld, output %lld)\n",
                                    static_cast<long long>(c->usage->total_tokens),
                                    static_cast<long long>(c->usage->input_tokens),
                                    static_cast<long long>(c->usage->output_tokens));
                }
            }
        } else {
            const auto r = co_await ai.images.generate(args.request);
            waiting.stop();
            for (std::size_t i = 0; i < r.data.size(); ++i) {
                if (r.data[i].revised_prompt)
                    std::printf("  revised prompt: %s\n", r.data[i].revised_prompt->c_str());
                if (!r.data[i].b64_json) {
                    std::printf("  image %zu: %s\n", i + 1,
                                r.data[i].url.value_or("(no data)").c_str());
                    continue;
                }
                report(start, ("image " + std::to_string(i + 1)).c_str(),
                       co_await imagine::save_image(
                           r.data[i], args.out / (base + "-" + std::to_string(i + 1)), save));
                ++files;
            }
            if (r.usage)
                std::printf("  usage: %lld tokens\n",
                            static_cast<long long>(r.usage->total_tokens));
        }
    } catch (const imagine::request_error& e) {
        waiting.stop();
        std::fprintf(stderr, "generate: refused before sending: %s\n", e.what());
        co_return 1;
    } catch (const imagine::api_error& e) {
        waiting.stop();
        std::fprintf(stderr, "generate: the API answered %s\n", e.what());
        co_return 1;
    }
    waiting.stop();
    std::printf("done in %.1f s: %d file(s) in %s\n", seconds_since(start), files,
                std::filesystem::absolute(args.out).lexically_normal().c_str());
    co_return 0;
}

} // namespace

int main(int argc, char** argv)
{
    arguments args = parse(argc, argv);
    const example::endpoint where{args.base_url, args.ca_file};
    return example::run_main("generate", where,
                             [&](imagine::client& ai) { return run(ai, std::move(args)); });
}
