// Round-trips an image request and a response through the JSON layer: what the Images API
// will send and receive, with no network. Run: build/demo/examples/json_roundtrip

#include <imagine/imagine.hpp>

#include <cstdio>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace demo {

enum class quality { low, medium, high, auto_ };

// Every member has a default initializer, so designated initializers may leave any out
// (g++ -Wextra warns about omitted members that have none).
struct image_request {
    std::string prompt{};
    std::string model = "gpt-image-1.5";
    std::optional<int> n{};
    std::optional<std::string> size{};
    std::optional<demo::quality> quality{};
    std::optional<int> partial_images{};
};

struct image_data {
    std::optional<std::string> b64_json{};
    std::optional<std::string> revised_prompt{};
};

struct usage_info {
    int input_tokens = 0;
    int output_tokens = 0;
    int total_tokens = 0;
};

struct images_response {
    long long created = 0;
    std::vector<image_data> data{};
    std::optional<usage_info> usage{};
};

struct partial_image_event {
    std::string b64_json{};
    int partial_image_index = 0;
};

struct completed_event {
    std::string b64_json{};
    usage_info usage{};
};

// Unknown event types (the API adds them) land in json::value instead of failing.
using image_event = std::variant<partial_image_event, completed_event, imagine::json::value>;

} // namespace demo

template <>
struct imagine::json::meta<demo::quality> {
    static constexpr std::pair<demo::quality, std::string_view> values[] = {
        {demo::quality::low, "low"},
        {demo::quality::medium, "medium"},
        {demo::quality::high, "high"},
        {demo::quality::auto_, "auto"}};
};

template <>
struct imagine::json::meta<demo::partial_image_event> {
    static constexpr std::string_view tag = "image_generation.partial_image";
};

template <>
struct imagine::json::meta<demo::completed_event> {
    static constexpr std::string_view tag = "image_generation.completed";
};

int main()
{
    using namespace imagine;

    demo::image_request request{.prompt = "A lighthouse at dusk, \"cinematic\"",
                                .n = 2,
                                .size = "1536x1024",
                                .quality = demo::quality::high};
    std::string body = json::write(request);
    std::printf("request body:  %s\n", body.c_str());
    auto back = json::read<demo::image_request>(body);
    std::printf("read back:     prompt=%s n=%d quality=%s\n", back.prompt.c_str(), *back.n,
                std::string(json::enum_to_string(*back.quality)).c_str());

    const std::string pixels = "\x89PNG\r\n\x1a\n";
    const std::string response_text =
        R"({"created":1713833628,"data":[{"b64_json":")" + base64::encode(pixels) +
        R"(","revised_prompt":"a lighthouse"}],"usage":{"input_tokens":50,"output_tokens":4160,"total_tokens":4210},"size":"1536x1024"})";
    demo::images_response response;
    if (json::read_error e = json::read(response_text, response)) {
        std::printf("unexpected: %s\n", e.message().c_str());
        return 1;
    }
    std::string decoded;
    if (auto r = base64::decode(*response.data.at(0).b64_json, decoded); !r.ok()) {
        std::printf("bad base64 at byte %zu\n", r.offset);
        return 1;
    }
    std::printf("response:      %zu image(s), %zu bytes decoded, PNG signature %s, %d tokens\n",
                response.data.size(), decoded.size(), decoded == pixels ? "ok" : "WRONG",
                response.usage->total_tokens);

    for (
        const char* line :
        {R"({"type":"image_generation.partial_image","b64_json":"QQ==","partial_image_index":0})",
         R"({"b64_json":"QUI=","usage":{"input_tokens":1,"output_tokens":2,"total_tokens":3},"type":"image_generation.completed"})",
         R"({"type":"image_generation.something_new","detail":[1,2,3]})"}) {
        auto event = json::read<demo::image_event>(line);
        const char* kinds[] = {"partial image", "completed", "unknown (kept as json::value)"};
        std::printf("event:         %-30s -> %s\n", kinds[event.index()],
                    json::write(event).c_str());
    }

    demo::images_response broken;
    json::read_error e = json::read(
        R"({"created":1,"data":[{"b64_json":"QQ=="}],"usage":{"input_tokens":"50","output_tokens":1,"total_tokens":1}})",
        broken);
    std::printf("a bad response: %s\n", e.message().c_str());
    return e && decoded == pixels ? 0 : 1;
}
