#include <imagine/api/detail/image_checks.hpp>

#include "support/image_bytes.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <string>

namespace {

using namespace imagine;
using imagine::test::jpeg_head;
using imagine::test::png_head;

/// The field a check refuses, or "" when it accepts.
std::string refused_field(const std::function<void()>& check)
{
    try {
        check();
    } catch (const request_error& e) {
        EXPECT_EQ(e.code(), error::invalid_request);
        EXPECT_NE(std::string(e.what()).find(e.field()), std::string::npos) << e.what();
        return e.field();
    }
    return "";
}

std::string generate_field(image_generate_request r)
{
    return refused_field([&] { detail::check_generate(r); });
}

TEST(api_image_checks, generate_accepts_good_requests)
{
    EXPECT_EQ(generate_field({.prompt = "a fox"}), "");
    EXPECT_EQ(generate_field({.prompt = "a fox",
                              .model = models::gpt_image_2,
                              .n = 10,
                              .size = "1536x864",
                              .quality = quality::high,
                              .background = background::transparent,
                              .output_format = output_format::webp,
                              .output_compression = 0,
                              .moderation = moderation::low,
                              .partial_images = 3}),
              "");
    EXPECT_EQ(generate_field({.prompt = "x",
                              .model = models::dall_e_3,
                              .size = "1792x1024",
                              .quality = quality::hd,
                              .response_format = response_format::b64_json,
                              .style = image_style::natural}),
              "");
    EXPECT_EQ(
        generate_field({.prompt = "x", .model = models::dall_e_2, .n = 10, .size = "256x256"}), "");
}

TEST(api_image_checks, generate_refuses_with_the_field_name)
{
    EXPECT_EQ(generate_field({.prompt = ""}), "prompt");
    EXPECT_EQ(generate_field({.prompt = std::string(32001, 'a')}), "prompt");
    EXPECT_EQ(generate_field({.prompt = std::string(32000, 'a')}), "");
    // Characters, not bytes: 32000 two-byte characters are fine.
    std::string umlauts;
    for (int i = 0; i < 32000; ++i)
        umlauts += "\xc3\xa4";
    EXPECT_EQ(generate_field({.prompt = umlauts}), "");
    EXPECT_EQ(generate_field({.prompt = std::string(1001, 'a'), .model = models::dall_e_2}),
              "prompt");
    EXPECT_EQ(generate_field({.prompt = std::string(4001, 'a'), .model = models::dall_e_3}),
              "prompt");
    EXPECT_EQ(generate_field({.prompt = "x", .model = ""}), "model");
    EXPECT_EQ(generate_field({.prompt = "x", .n = 0}), "n");
    EXPECT_EQ(generate_field({.prompt = "x", .n = 11}), "n");
    EXPECT_EQ(generate_field({.prompt = "x", .model = models::dall_e_3, .n = 2}), "n");
    EXPECT_EQ(generate_field({.prompt = "x", .partial_images = 4}), "partial_images");
    EXPECT_EQ(generate_field({.prompt = "x", .partial_images = -1}), "partial_images");
    EXPECT_EQ(generate_field(
                  {.prompt = "x", .output_format = output_format::jpeg, .output_compression = 101}),
              "output_compression");
    EXPECT_EQ(generate_field({.prompt = "x", .output_compression = 50}), "output_compression");
    EXPECT_EQ(generate_field(
                  {.prompt = "x", .output_format = output_format::png, .output_compression = 50}),
              "output_compression");
    EXPECT_EQ(generate_field({.prompt = "x",
                              .background = background::transparent,
                              .output_format = output_format::jpeg}),
              "background");
    // GPT-image-only fields on DALL-E, and the reverse.
    EXPECT_EQ(generate_field(
                  {.prompt = "x", .model = models::dall_e_3, .output_format = output_format::png}),
              "output_format");
    EXPECT_EQ(generate_field(
                  {.prompt = "x", .model = models::dall_e_2, .background = background::opaque}),
              "background");
    EXPECT_EQ(
        generate_field({.prompt = "x", .model = models::dall_e_2, .moderation = moderation::low}),
        "moderation");
    EXPECT_EQ(generate_field({.prompt = "x", .model = models::dall_e_2, .partial_images = 1}),
              "partial_images");
    EXPECT_EQ(generate_field({.prompt = "x", .model = models::dall_e_2, .stream = true}), "stream");
    EXPECT_EQ(generate_field({.prompt = "x", .response_format = response_format::url}),
              "response_format");
    EXPECT_EQ(generate_field({.prompt = "x", .style = image_style::vivid}), "style");
    EXPECT_EQ(
        generate_field({.prompt = "x", .model = models::dall_e_2, .style = image_style::vivid}),
        "style");
    EXPECT_EQ(generate_field({.prompt = "x", .quality = quality::hd}), "quality");
    EXPECT_EQ(generate_field({.prompt = "x", .model = models::dall_e_3, .quality = quality::high}),
              "quality");
    EXPECT_EQ(generate_field({.prompt = "x", .model = models::dall_e_2, .quality = quality::hd}),
              "quality");
}

TEST(api_image_checks, sizes_per_model)
{
    EXPECT_EQ(generate_field({.prompt = "x", .size = "1536x1024"}), "");
    EXPECT_EQ(generate_field({.prompt = "x", .size = "auto"}), "");
    EXPECT_EQ(generate_field({.prompt = "x", .size = "1536x864"}),
              "size"); // gpt-image-1.5: fixed sizes
    EXPECT_EQ(generate_field({.prompt = "x", .model = models::dall_e_2, .size = "1024x1536"}),
              "size");
    EXPECT_EQ(generate_field({.prompt = "x", .model = models::dall_e_3, .size = "512x512"}),
              "size");
    for (const char* good : {"1536x864", "3840x2160", "2160x3840", "16x48", "1024x1024", "auto"})
        EXPECT_EQ(generate_field({.prompt = "x", .model = models::gpt_image_2, .size = good}), "")
            << good;
    for (const char* bad : {"1000x1000", "3856x2160", "3840x2176", "16x64", "0x0", "big", "1024x",
                            "x1024", "+1024x1024", "1024 x 1024"})
        EXPECT_EQ(generate_field({.prompt = "x", .model = models::gpt_image_2, .size = bad}),
                  "size")
            << bad;
    // A model we do not know: only what holds for every model.
    EXPECT_EQ(generate_field({.prompt = "x",
                              .model = "gpt-image-9",
                              .size = "7x7",
                              .quality = quality::hd,
                              .style = image_style::vivid}),
              "");
    EXPECT_EQ(generate_field({.prompt = "x", .model = "gpt-image-9", .n = 11}), "n");
}

class edit_checks : public ::testing::Test {
protected:
    imagine::test::temp_dir dir;

    std::filesystem::path write(const std::string& name, const std::string& bytes)
    {
        auto p = dir.path() / name;
        std::ofstream(p, std::ios::binary) << bytes;
        return p;
    }

    static std::string field(const image_edit_request& r)
    {
        return refused_field([&] { detail::check_edit(r, true); });
    }
};

TEST_F(edit_checks, accepts_images_and_a_matching_mask)
{
    image_edit_request r{.image = {input_file::from_path(write("a.png", png_head(64, 32, 2))),
                                   input_file::from_bytes(jpeg_head(10, 10)),
                                   input_file::from_path(write("c.jpg", jpeg_head(20, 20)))},
                         .prompt = "p",
                         .mask = input_file::from_bytes(png_head(64, 32, 6))};
    const auto files = detail::check_edit(r, true);
    ASSERT_EQ(files.size(), 4u);
    EXPECT_EQ(files[0].content_type, "image/png");
    EXPECT_EQ(files[0].filename, "a.png");
    EXPECT_EQ(files[1].content_type, "image/jpeg");
    EXPECT_EQ(files[1].filename, "image.jpg");
    EXPECT_EQ(files[2].content_type, "image/jpeg");
    EXPECT_EQ(files[3].info.width, 64u);
}

TEST_F(edit_checks, refuses_with_the_field_name)
{
    const auto png = png_head(64, 64, 2);
    EXPECT_EQ(field({.image = {}, .prompt = "p"}), "image");
    image_edit_request many{.prompt = "p"};
    for (int i = 0; i < 17; ++i)
        many.image.push_back(input_file::from_bytes(png));
    EXPECT_EQ(field(many), "image");
    many.image.pop_back();
    EXPECT_EQ(field(many), "");
    // Not an image by its bytes, whatever its name says.
    EXPECT_EQ(field({.image = {input_file::from_path(write("fake.png", "GIF89a not a png"))},
                     .prompt = "p"}),
              "image");
    EXPECT_EQ(field({.image = {input_file::from_bytes(png), input_file::from_bytes("text")},
                     .prompt = "p"}),
              "image[1]");
    EXPECT_EQ(field({.image = {input_file::from_path(dir.path() / "missing.png")}, .prompt = "p"}),
              "image");
    // The mask: PNG with alpha, the first image's size.
    EXPECT_EQ(field({.image = {input_file::from_bytes(png)},
                     .prompt = "p",
                     .mask = input_file::from_bytes(png_head(64, 64, 2))}),
              "mask");
    EXPECT_EQ(field({.image = {input_file::from_bytes(png)},
                     .prompt = "p",
                     .mask = input_file::from_bytes(png_head(64, 32, 6))}),
              "mask");
    EXPECT_EQ(field({.image = {input_file::from_bytes(png)},
                     .prompt = "p",
                     .mask = input_file::from_bytes(jpeg_head(64, 64))}),
              "mask");
    EXPECT_EQ(field({.image = {input_file::from_bytes(png)},
                     .prompt = "p",
                     .mask = input_file::from_bytes(png_head(64, 64, 6, 4 * 1024 * 1024))}),
              "mask");
    EXPECT_EQ(
        field({.image = {input_file::from_bytes(png)}, .prompt = "p", .model = models::dall_e_3}),
        "model");
    EXPECT_EQ(field({.image = {input_file::from_bytes(png)},
                     .prompt = "p",
                     .model = models::gpt_image_1_mini,
                     .input_fidelity = input_fidelity::high}),
              "input_fidelity");
}

TEST_F(edit_checks, dall_e_2_takes_one_square_png_under_4_mb)
{
    auto dalle = [](std::vector<input_file> images) {
        return image_edit_request{
            .image = std::move(images), .prompt = "p", .model = models::dall_e_2};
    };
    EXPECT_EQ(field(dalle({input_file::from_bytes(png_head(512, 512, 6))})), "");
    EXPECT_EQ(field(dalle({input_file::from_bytes(png_head(512, 256, 6))})), "image");
    EXPECT_EQ(field(dalle({input_file::from_bytes(jpeg_head(512, 512))})), "image");
    EXPECT_EQ(field(dalle({input_file::from_bytes(png_head(512, 512, 6, 4 * 1024 * 1024))})),
              "image");
    EXPECT_EQ(field(dalle({input_file::from_bytes(png_head(8, 8)),
                           input_file::from_bytes(png_head(8, 8))})),
              "image");
}

TEST_F(edit_checks, an_image_of_50_mb_is_refused_without_reading_it_whole)
{
    const auto p = dir.path() / "big.png";
    {
        std::ofstream out(p, std::ios::binary);
        out << png_head(64, 64, 2);
    }
    std::filesystem::resize_file(p, 50ull * 1024 * 1024);
    EXPECT_EQ(field({.image = {input_file::from_path(p)}, .prompt = "p"}), "image");
    std::filesystem::resize_file(p, 50ull * 1024 * 1024 - 1);
    EXPECT_EQ(field({.image = {input_file::from_path(p)}, .prompt = "p"}), "");
}

TEST_F(edit_checks, without_validation_files_are_still_typed_from_their_bytes)
{
    image_edit_request r{.image = {input_file::from_bytes("not an image")}, .prompt = ""};
    const auto files = detail::check_edit(r, false);
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].content_type, "application/octet-stream");
}

TEST(api_image_checks, json_edit_references)
{
    auto field = [](image_edit_json_request r) {
        return refused_field([&] { detail::check_edit_json(r); });
    };
    EXPECT_EQ(field({.images = {{.image_url = "https://example.com/a.png"}, {.file_id = "file-1"}},
                     .prompt = "p",
                     .mask = image_reference{.image_url = "data:image/png;base64,AAAA"}}),
              "");
    EXPECT_EQ(field({.images = {}, .prompt = "p"}), "images");
    EXPECT_EQ(field({.images = {{}}, .prompt = "p"}), "images[0]");
    EXPECT_EQ(
        field({.images = {{.image_url = "https://x/a.png", .file_id = "file-1"}}, .prompt = "p"}),
        "images[0]");
    EXPECT_EQ(field({.images = {{.file_id = "f"}, {.image_url = "ftp://x/a.png"}}, .prompt = "p"}),
              "images[1].image_url");
    EXPECT_EQ(field({.images = {{.image_url = "data:text/plain,hello"}}, .prompt = "p"}),
              "images[0].image_url");
    EXPECT_EQ(
        field({.images = {{.image_url = "data:image/png;base64," + std::string(20971520, 'A')}},
               .prompt = "p"}),
        "images[0].image_url");
    EXPECT_EQ(field({.images = {{.file_id = "f"}}, .prompt = "p", .model = models::dall_e_2}),
              "model");
    EXPECT_EQ(field({.images = {{.file_id = "f"}}, .prompt = "p", .size = "256x256"}), "size");
}

TEST(api_image_checks, variations)
{
    auto field = [](image_variation_request r) {
        return refused_field([&] { detail::check_variation(r, true); });
    };
    EXPECT_EQ(field({.image = input_file::from_bytes(png_head(256, 256, 6))}), "");
    EXPECT_EQ(field({.image = input_file::from_bytes(png_head(256, 128, 6))}), "image");
    EXPECT_EQ(field({.image = input_file::from_bytes(png_head(256, 256, 6)),
                     .model = models::gpt_image_1}),
              "model");
    EXPECT_EQ(field({.image = input_file::from_bytes(png_head(256, 256, 6)), .n = 11}), "n");
    EXPECT_EQ(field({.image = input_file::from_bytes(png_head(256, 256, 6)), .size = "1536x1024"}),
              "size");
}

} // namespace
