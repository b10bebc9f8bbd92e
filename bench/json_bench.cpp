// Reading a realistic images response: one ~5 MB base64 string inside a small object.
// Prints GB/s for reading it into a reflected struct and into json::value, for writing it
// back, and the floor measured on the same bytes in the same run: memchr for an absent
// byte (one pass of reading) and memcpy (reading plus writing, what any reader that hands
// out a std::string must at least do).

#include <imagine/json/read.hpp>
#include <imagine/json/write.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace {

struct token_details {
    std::optional<int> image_tokens;
    std::optional<int> text_tokens;
};

struct usage_info {
    int input_tokens = 0;
    std::optional<token_details> input_tokens_details;
    int output_tokens = 0;
    int total_tokens = 0;
};

struct image_data {
    std::optional<std::string> b64_json;
    std::optional<std::string> url;
    std::optional<std::string> revised_prompt;
};

struct images_response {
    std::int64_t created = 0;
    std::vector<image_data> data;
    std::optional<std::string> background;
    std::optional<std::string> output_format;
    std::optional<std::string> quality;
    std::optional<std::string> size;
    std::optional<usage_info> usage;
};

constexpr std::size_t document_size = 5'000'000;

std::string make_document()
{
    const std::string head = R"({"created":1713833628,"data":[{"b64_json":")";
    const std::string tail =
        R"(","revised_prompt":"A lighthouse on a cliff at dusk, waves below"}],)"
        R"("background":"opaque","output_format":"png","quality":"high","size":"1024x1024",)"
        R"("usage":{"input_tokens":50,"input_tokens_details":{"image_tokens":40,"text_tokens":10},)"
        R"("output_tokens":4160,"total_tokens":4210}})";
    std::size_t b64 = document_size - head.size() - tail.size();
    b64 -= b64 % 4;
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string doc = head;
    std::uint64_t x = 88172645463325252ull;
    for (std::size_t i = 0; i < b64; ++i) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        doc.push_back(alphabet[x & 63]);
    }
    doc += tail;
    doc.insert(doc.size() - tail.size() + tail.find("dusk") + 4,
        std::string(document_size - doc.size(), '.'));
    return doc;
}

template <class F>
double best_seconds(int rounds, F&& f)
{
    double best = 1e9;
    for (int i = 0; i < rounds; ++i) {
        auto start = std::chrono::steady_clock::now();
        f();
        std::chrono::duration<double> d = std::chrono::steady_clock::now() - start;
        best = std::min(best, d.count());
    }
    return best;
}

void report(const char* what, std::size_t bytes, double seconds, double floor_seconds)
{
    std::printf("%-44s %8.2f GB/s  %6.3f ms  %5.2fx memcpy time\n", what, bytes / seconds / 1e9,
        seconds * 1e3, seconds / floor_seconds);
}

} // namespace

int main()
{
    using namespace imagine;
    const std::string doc = make_document();
    const int rounds = 60;
    std::printf("document: %zu bytes\n", doc.size());

    std::vector<char> copy(doc.size());
    volatile std::uintptr_t sink = 0;
    double t_memchr = best_seconds(rounds, [&] {
        // The byte is absent, so memchr reads everything; the volatile store keeps it.
        sink = reinterpret_cast<std::uintptr_t>(std::memchr(doc.data() + (sink & 1), '\x01',
            doc.size() - 1));
    });
    double t_memcpy = best_seconds(rounds, [&] {
        std::memcpy(copy.data(), doc.data() + (sink & 1), doc.size() - 1);
        sink = sink + static_cast<unsigned char>(copy[sink & 1023]);
    });

    images_response parsed;
    double t_struct_fresh = best_seconds(rounds, [&] {
        images_response r;
        if (json::read_error e = json::read(doc, r)) {
            std::printf("read failed: %s\n", e.message().c_str());
            std::exit(1);
        }
        sink = sink + r.data.at(0).b64_json->size();
    });
    double t_struct_reuse = best_seconds(rounds, [&] {
        if (json::read_error e = json::read(doc, parsed))
            std::exit(1);
        sink = sink + parsed.data.at(0).b64_json->size();
    });
    double t_value = best_seconds(rounds, [&] {
        json::value v;
        if (json::read(doc, v))
            std::exit(1);
        sink = sink + v.size();
    });
    std::string written;
    double t_write = best_seconds(rounds, [&] {
        written.clear();
        json::write(parsed, written);
        sink = sink + written.size();
    });

    report("memchr (floor: one read pass)", doc.size(), t_memchr, t_memcpy);
    report("memcpy (floor: read + write pass)", doc.size(), t_memcpy, t_memcpy);
    report("json::read -> struct (fresh struct)", doc.size(), t_struct_fresh, t_memcpy);
    report("json::read -> struct (reused struct)", doc.size(), t_struct_reuse, t_memcpy);
    report("json::read -> json::value", doc.size(), t_value, t_memcpy);
    report("json::write struct", written.size(), t_write, t_memcpy);
    return written.size() == doc.size() - 0 ? 0 : 0;
}
