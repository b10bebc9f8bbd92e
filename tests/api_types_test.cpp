#include <imagine/api/types/images.hpp>

#include <imagine/api/types/image_events.hpp>
#include <imagine/api/types/models.hpp>
#include <imagine/json/read.hpp>
#include <imagine/json/write.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace imagine;

TEST(api_types, generate_request_writes_every_field_with_its_wire_name_and_type)
{
    const image_generate_request r{.prompt = "a fox",
                                   .model = models::gpt_image_2,
                                   .n = 2,
                                   .size = size_string(1536, 864),
                                   .quality = quality::high,
                                   .background = background::transparent,
                                   .output_format = output_format::webp,
                                   .output_compression = 80,
                                   .moderation = moderation::low,
                                   .partial_images = 3,
                                   .stream = true,
                                   .response_format = response_format::b64_json,
                                   .style = image_style::natural,
                                   .user = "user-1"};
    EXPECT_EQ(json::write(r),
              R"({"prompt":"a fox","model":"gpt-image-2","n":2,"size":"1536x864","quality":"high",)"
              R"("background":"transparent","output_format":"webp","output_compression":80,)"
              R"("moderation":"low","partial_images":3,"stream":true,"response_format":"b64_json",)"
              R"("style":"natural","user":"user-1"})");
}

TEST(api_types, unset_fields_are_not_sent_but_the_model_always_is)
{
    EXPECT_EQ(json::write(image_generate_request{.prompt = "x"}),
              R"({"prompt":"x","model":"gpt-image-1.5"})");
    EXPECT_EQ(json::write(image_generate_request{.prompt = "x", .quality = quality::auto_}),
              R"({"prompt":"x","model":"gpt-image-1.5","quality":"auto"})");
}

TEST(api_types, json_edit_request)
{
    const image_edit_json_request r{
        .images = {{.image_url = "https://e.com/a.png"}, {.file_id = "file-1"}},
        .prompt = "p",
        .mask = image_reference{.file_id = "file-2"},
        .input_fidelity = input_fidelity::high,
        .moderation = moderation::auto_};
    EXPECT_EQ(json::write(r),
              R"({"images":[{"image_url":"https://e.com/a.png"},{"file_id":"file-1"}],)"
              R"("prompt":"p","mask":{"file_id":"file-2"},"model":"gpt-image-1.5",)"
              R"("input_fidelity":"high","moderation":"auto"})");
}

TEST(api_types, images_response_from_the_spec_example)
{
    const auto r = json::read<images_response>(R"({
      "created": 1713833628,
      "data": [{"b64_json": "iVBORw0KGgo="}],
      "background": "transparent", "output_format": "png", "size": "1024x1024", "quality": "high",
      "usage": {"total_tokens": 100, "input_tokens": 50, "output_tokens": 50,
                "input_tokens_details": {"text_tokens": 10, "image_tokens": 40}}})");
    EXPECT_EQ(r.created, 1713833628);
    ASSERT_EQ(r.data.size(), 1u);
    EXPECT_EQ(r.data[0].b64_json, "iVBORw0KGgo=");
    EXPECT_EQ(r.background, background::transparent);
    EXPECT_EQ(r.output_format, output_format::png);
    EXPECT_EQ(r.size, "1024x1024");
    EXPECT_EQ(r.quality, quality::high);
    ASSERT_TRUE(r.usage);
    EXPECT_EQ(r.usage->total_tokens, 100);
    EXPECT_EQ(r.usage->input_tokens_details->image_tokens, 40);
    EXPECT_FALSE(r.usage->output_tokens_details);
}

TEST(api_types, responses_tolerate_new_values_and_fields)
{
    const auto r = json::read<images_response>(
        R"({"created":1,"data":[{"url":"https://x/y.png","revised_prompt":"r","new_field":[1]}],)"
        R"("size":"1536x864","quality":"ultra","background":"sparkly","output_format":"avif","extra":{}})");
    EXPECT_EQ(r.size, "1536x864");
    EXPECT_EQ(r.quality, quality::unknown);
    EXPECT_EQ(r.background, background::unknown);
    EXPECT_EQ(r.output_format, output_format::unknown);
    EXPECT_EQ(r.data.at(0).url, "https://x/y.png");
    EXPECT_EQ(r.data.at(0).revised_prompt, "r");
    EXPECT_FALSE(r.data.at(0).b64_json);
}

TEST(api_types, stream_events_from_the_spec_examples)
{
    const auto p = json::read<image_partial_event>(
        R"({"type":"image_edit.partial_image","b64_json":"...","created_at":1620000000,"size":"1024x1024",)"
        R"("quality":"high","background":"transparent","output_format":"png","partial_image_index":0})");
    EXPECT_EQ(p.type, "image_edit.partial_image");
    EXPECT_EQ(p.partial_image_index, 0);
    EXPECT_EQ(p.background, background::transparent);
    const auto c = json::read<image_completed_event>(
        R"({"type":"image_generation.completed","b64_json":"...","created_at":1620000000,"size":"1024x1024",)"
        R"("quality":"high","background":"transparent","output_format":"png","usage":{"total_tokens":100,)"
        R"("input_tokens":50,"output_tokens":50,"input_tokens_details":{"text_tokens":10,"image_tokens":40}}})");
    EXPECT_EQ(c.usage->output_tokens, 50);
}

TEST(api_types, sizes_and_models)
{
    EXPECT_EQ(size_string(1536, 864), "1536x864");
    const auto s = parse_size("3840x2160");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->width, 3840u);
    EXPECT_EQ(s->height, 2160u);
    for (const char* bad :
         {"auto", "", "x", "12x", "x12", "-1x5", "1x-5", "1.5x2", "10000000x1", "1x2x3"})
        EXPECT_FALSE(parse_size(bad)) << bad;
    EXPECT_EQ(family_of(models::gpt_image_1_mini), model_family::gpt_image);
    EXPECT_EQ(family_of(models::chatgpt_image_latest), model_family::gpt_image);
    EXPECT_EQ(family_of(models::dall_e_2), model_family::dall_e_2);
    EXPECT_EQ(family_of("gpt-image-3"), model_family::unknown);
    EXPECT_TRUE(takes_free_size(models::gpt_image_2_2026_04_21));
    EXPECT_FALSE(takes_free_size(models::gpt_image_1_5));
    EXPECT_EQ(to_string(quality::auto_), "auto");
    EXPECT_EQ(to_string(response_format::b64_json), "b64_json");
}

} // namespace
