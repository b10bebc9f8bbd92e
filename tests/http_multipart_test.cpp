#include <imagine/http/multipart.hpp>

// http::multipart_form: the exact bytes for a fixed boundary, size() against what is
// produced, a separate push parser (multipart_reader.hpp) reading the body back at every
// split, hostile names that must not add parts, random boundaries, reading through
// source() in spans of every size, rewinding, files that change size, and errors.

#include "multipart_reader.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace {

namespace http = imagine::http;
namespace fs = std::filesystem;
using imagine_test::multipart_part;
using imagine_test::multipart_reader;
using imagine_test::read_multipart;
using namespace std::string_literals; // in-memory file data is a std::string

// A scratch directory per test, removed afterwards.
class HttpMultipart : public ::testing::Test {
protected:
    void SetUp() override
    {
        static std::atomic<int> counter{0};
        dir_ = fs::temp_directory_path() / ("imagine-multipart-" + std::to_string(::getpid()) +
                                            "-" + std::to_string(counter++));
        fs::create_directories(dir_);
    }

    void TearDown() override
    {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    fs::path write_file(const std::string& name, std::string_view bytes) const
    {
        const fs::path path = dir_ / name;
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        return path;
    }

    fs::path dir_{};
};

std::string body_of(const http::multipart_form& form)
{
    std::error_code ec;
    std::string body = form.to_string(ec);
    EXPECT_FALSE(ec) << ec.message();
    return body;
}

// Reads a whole source with spans of `span` bytes; checks each read fills its span
// unless the body ends.
std::string read_all(http::body_source& source, std::size_t span, std::error_code& ec)
{
    std::string out;
    std::vector<char> buffer(span);
    while (true) {
        const std::size_t n = source.read(buffer, ec);
        if (ec || n == 0)
            return out;
        out.append(buffer.data(), n);
        if (n != span && out.size() != source.size())
            ADD_FAILURE() << "short read of " << n << " into a span of " << span;
    }
}

multipart_part field_part(std::string name, std::string value)
{
    multipart_part p;
    p.headers = {{"Content-Disposition", "form-data; name=\"" + name + "\""}};
    p.name = std::move(name);
    p.data = std::move(value);
    return p;
}

multipart_part file_part(std::string name, std::string filename, std::string type, std::string data)
{
    multipart_part p;
    p.headers = {
        {"Content-Disposition", "form-data; name=\"" + name + "\"; filename=\"" + filename + "\""},
        {"Content-Type", type}};
    p.name = std::move(name);
    p.filename = std::move(filename);
    p.content_type = std::move(type);
    p.data = std::move(data);
    return p;
}

TEST_F(HttpMultipart, ExactBytesForFieldsAndInMemoryFiles)
{
    http::multipart_form form("XyZ");
    form.add_field("model", "gpt-image-1");
    form.add_field("empty", "");
    form.add_file_data("image", "cat.png", "image/png", std::string("PNG\0\r\n\x89", 7));
    const std::string expected = "--XyZ\r\n"
                                 "Content-Disposition: form-data; name=\"model\"\r\n"
                                 "\r\n"
                                 "gpt-image-1\r\n"
                                 "--XyZ\r\n"
                                 "Content-Disposition: form-data; name=\"empty\"\r\n"
                                 "\r\n"
                                 "\r\n"
                                 "--XyZ\r\n"
                                 "Content-Disposition: form-data; name=\"image\"; "
                                 "filename=\"cat.png\"\r\n"
                                 "Content-Type: image/png\r\n"
                                 "\r\n" +
                                 std::string("PNG\0\r\n\x89", 7) +
                                 "\r\n"
                                 "--XyZ--\r\n";
    EXPECT_EQ(body_of(form), expected);
    EXPECT_EQ(form.size(), expected.size());
    EXPECT_EQ(form.part_count(), 3u);
    EXPECT_EQ(form.boundary(), "XyZ");
    EXPECT_EQ(form.content_type(), "multipart/form-data; boundary=XyZ");
    EXPECT_EQ(form.source()->size(), expected.size());
}

TEST_F(HttpMultipart, ExactBytesForDiskFiles)
{
    const fs::path mask = write_file("mask.png", "MASK-BYTES");
    const fs::path empty = write_file("empty.bin", "");
    http::multipart_form form("b0und4ry");
    form.add_field("prompt", "a cat");
    form.add_file("image[]", mask, "", "image/png"); // name taken from the path
    form.add_file("image[]", mask, "other.png", ""); // default content type
    form.add_file("blank", empty, "e", "text/plain; charset=utf-8");
    const std::string expected =
        "--b0und4ry\r\n"
        "Content-Disposition: form-data; name=\"prompt\"\r\n\r\n"
        "a cat\r\n"
        "--b0und4ry\r\n"
        "Content-Disposition: form-data; name=\"image[]\"; filename=\"mask.png\"\r\n"
        "Content-Type: image/png\r\n\r\n"
        "MASK-BYTES\r\n"
        "--b0und4ry\r\n"
        "Content-Disposition: form-data; name=\"image[]\"; filename=\"other.png\"\r\n"
        "Content-Type: application/octet-stream\r\n\r\n"
        "MASK-BYTES\r\n"
        "--b0und4ry\r\n"
        "Content-Disposition: form-data; name=\"blank\"; filename=\"e\"\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "\r\n"
        "--b0und4ry--\r\n";
    EXPECT_EQ(body_of(form), expected);
    EXPECT_EQ(form.size(), expected.size());
    EXPECT_EQ(form.part_count(), 4u);
}

TEST_F(HttpMultipart, EmptyFormIsTheCloseDelimiterAlone)
{
    http::multipart_form form("abc");
    EXPECT_EQ(body_of(form), "--abc--\r\n");
    EXPECT_EQ(form.size(), 9u);
    EXPECT_EQ(form.part_count(), 0u);
    const auto r = read_multipart("abc", "--abc--\r\n");
    EXPECT_TRUE(r.done()) << r.error();
    EXPECT_TRUE(r.parts().empty());

    http::multipart_form random;
    EXPECT_EQ(body_of(random), "--" + random.boundary() + "--\r\n");
    EXPECT_EQ(random.size(), random.boundary().size() + 6);
}

TEST_F(HttpMultipart, BoundaryValidation)
{
    for (std::string ok : {std::string("a"), std::string(70, 'z'), std::string("'()+_,-./:=? x"),
                           std::string("0123456789")})
        EXPECT_NO_THROW(static_cast<void>(http::multipart_form{ok})) << ok;
    for (std::string bad :
         {std::string(), std::string(71, 'z'), std::string("ends "), std::string("quo\"te"),
          std::string("semi;colon"), std::string("cr\rlf"), std::string("nl\n"),
          std::string("caf\xc3\xa9"), std::string("star*"), std::string(1, '\0')})
        EXPECT_THROW(static_cast<void>(http::multipart_form{bad}), std::invalid_argument) << bad;
}

TEST_F(HttpMultipart, ContentTypeQuotesBoundariesThatAreNotTokens)
{
    EXPECT_EQ(http::multipart_form("a-b_c.d+e'f").content_type(),
              "multipart/form-data; boundary=a-b_c.d+e'f");
    EXPECT_EQ(http::multipart_form("a b").content_type(), "multipart/form-data; boundary=\"a b\"");
    EXPECT_EQ(http::multipart_form("a:b=c?d").content_type(),
              "multipart/form-data; boundary=\"a:b=c?d\"");
    EXPECT_EQ(http::multipart_form("(x),/").content_type(),
              "multipart/form-data; boundary=\"(x),/\"");
}

TEST_F(HttpMultipart, ContentTypeOfFilePartsIsValidated)
{
    for (const char* ok :
         {"image/png", "IMAGE/PNG", "text/plain; charset=utf-8", "text/plain;charset=utf-8",
          "application/vnd.api+json", "multipart/mixed; boundary=\"a b;c\\\"d\"", "a/b;",
          "a/b; ;c=d", "a/b \t; c=d", "a/b; c=\"\""}) {
        http::multipart_form form("x");
        EXPECT_NO_THROW(form.add_file_data("f", "f", ok, "data"s)) << ok;
        EXPECT_EQ(read_multipart("x", body_of(form)).parts().at(0).content_type, ok);
    }
    for (const char* bad :
         {"image", "image/", "/png", "image png", "image/png\r\nX-Evil: 1", "image/png\n",
          "image/png; charset", "image/png; charset=", "a/b; c=\"unterminated",
          "a/b; c=\"bad\rquote\"", "a/b c/d", "image/png\x01", "a/b; c=d e", "\"a/b\"", "a/b ",
          " a/b", "a/b; c=d\t"}) {
        http::multipart_form form("x");
        try {
            form.add_file_data("the-part", "f", bad, "data"s);
            ADD_FAILURE() << "accepted " << bad;
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string_view(e.what()).find("the-part"), std::string_view::npos)
                << e.what();
        }
        const fs::path file = write_file("f", "x");
        std::error_code ec;
        EXPECT_THROW(form.add_file("p", file, "f", bad, ec), std::invalid_argument) << bad;
        EXPECT_EQ(form.part_count(), 0u);
    }
}

TEST_F(HttpMultipart, NamesAndFilenamesAreEscapedAsBrowsersDo)
{
    http::multipart_form form("B");
    form.add_field("a\"b\rc\nd%22e\r\n", "v");
    form.add_file_data("n", "my \"cat\"\r\n.png", "image/png", "d"s);
    form.add_file_data("n", "caf\xc3\xa9 \t;=.png", "image/png", "d"s);
    form.add_field(std::string("nul\0byte\x7f", 9), "v");
    const auto r = read_multipart("B", body_of(form));
    ASSERT_TRUE(r.done()) << r.error();
    ASSERT_EQ(r.parts().size(), 4u);
    EXPECT_EQ(r.parts()[0].name, "a%22b%0Dc%0Ad%22e%0D%0A");
    EXPECT_EQ(r.parts()[1].filename, "my %22cat%22%0D%0A.png");
    EXPECT_EQ(r.parts()[2].filename, "caf\xc3\xa9 \t;=.png"); // everything else unchanged
    EXPECT_EQ(r.parts()[3].name, std::string("nul\0byte\x7f", 9));
}

// Every body in these forms is read back to the same parts, whatever the pieces it
// arrives in.
std::vector<http::multipart_form> sample_forms(const fs::path& file)
{
    std::vector<http::multipart_form> forms;
    forms.emplace_back("simple");
    forms.back().add_field("model", "gpt-image-1");
    forms.back().add_file_data("image", "x.png", "image/png", "\r\n--simpl\r\n-simple\r"s);
    forms.emplace_back("--");
    forms.back().add_field("", "");
    forms.back().add_field("x", "-\r\n-\r\r\n--\r\n---");
    forms.back().add_file("disk", file, "", "application/octet-stream");
    forms.emplace_back("a b");
    forms.back().add_file_data("", "", "a/b", ""s);
    forms.back().add_field("trailing-cr", "abc\r");
    return forms;
}

std::vector<multipart_part> sample_parts(std::size_t i, const std::string& file_bytes)
{
    switch (i) {
    case 0:
        return {field_part("model", "gpt-image-1"),
                file_part("image", "x.png", "image/png", "\r\n--simpl\r\n-simple\r")};
    case 1:
        return {field_part("", ""), field_part("x", "-\r\n-\r\r\n--\r\n---"),
                file_part("disk", "data.bin", "application/octet-stream", file_bytes)};
    default:
        return {file_part("", "", "a/b", ""), field_part("trailing-cr", "abc\r")};
    }
}

TEST_F(HttpMultipart, ReaderGetsThePartsBackAtEverySplit)
{
    const std::string file_bytes = "file\r\n--\r\ncontents";
    const auto forms = sample_forms(write_file("data.bin", file_bytes));
    for (std::size_t i = 0; i < forms.size(); ++i) {
        SCOPED_TRACE("form " + std::to_string(i));
        const std::string body = body_of(forms[i]);
        ASSERT_EQ(body.size(), forms[i].size());
        const auto expected = sample_parts(i, file_bytes);

        const auto whole = read_multipart(forms[i].boundary(), body);
        ASSERT_TRUE(whole.done()) << whole.error();
        EXPECT_EQ(whole.parts(), expected);

        for (std::size_t split = 0; split <= body.size(); ++split) {
            multipart_reader r(forms[i].boundary());
            r.feed(std::string_view(body).substr(0, split));
            r.feed(std::string_view(body).substr(split));
            ASSERT_TRUE(r.finish()) << "split " << split << ": " << r.error();
            ASSERT_EQ(r.parts(), expected) << "split " << split;
        }

        multipart_reader bytewise(forms[i].boundary());
        for (char c : body)
            bytewise.feed(std::string_view(&c, 1));
        ASSERT_TRUE(bytewise.finish()) << bytewise.error();
        EXPECT_EQ(bytewise.parts(), expected);
    }
}

TEST_F(HttpMultipart, ReaderRejectsMalformedBodies)
{
    for (const char* bad :
         {"", "--b", "--b\r\n", "x--b--\r\n", "--b--", "--b--\r\nepilogue", "--b \r\n",
          "--b\r\n\r\nno disposition\r\n--b--\r\n",
          "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n",
          "--b\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--b--\r\n",
          "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno close delimiter",
          "--b\r\nContent-Disposition: form-data; name=\"a\"\nX: y\r\n\r\nx\r\n--b--\r\n"}) {
        const auto r = read_multipart("b", bad);
        EXPECT_TRUE(r.failed()) << bad;
    }
}

TEST_F(HttpMultipart, HostileNamesCannotAddParts)
{
    const std::string boundary = "XyZ";
    const std::string injection = "\"\r\n\r\nvalue\r\n--XyZ\r\nContent-Disposition: form-data; "
                                  "name=\"injected\"\r\n\r\nevil\r\n--XyZ--\r\n";
    http::multipart_form form(boundary);
    form.add_field(injection, "v1");
    form.add_file_data("f", injection, "text/plain", "v2"s);
    form.add_field("--XyZ", "v3");
    form.add_field("--XyZ--", "v4");
    form.add_file_data("\r\n--XyZ", "\n--XyZ--\n", "text/plain", "v5"s);
    const auto r = read_multipart(boundary, body_of(form));
    ASSERT_TRUE(r.done()) << r.error();
    ASSERT_EQ(r.parts().size(), 5u);
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(r.parts()[i].data, "v" + std::to_string(i + 1));
        for (const auto& [name, value] : r.parts()[i].headers) {
            EXPECT_EQ(value.find_first_of("\r\n"), std::string::npos);
            EXPECT_TRUE(name == "Content-Disposition" || name == "Content-Type") << name;
        }
    }
    EXPECT_EQ(r.parts()[0].name, http::detail::escape_disposition_value(injection));
    EXPECT_EQ(r.parts()[2].name, "--XyZ");
}

TEST_F(HttpMultipart, FixedBoundaryRefusesDataHoldingTheDelimiter)
{
    http::multipart_form form("XyZ");
    EXPECT_THROW(form.add_field("a", "x\r\n--XyZ"), std::invalid_argument);
    EXPECT_THROW(form.add_field("a", "--XyZ--"), std::invalid_argument);
    EXPECT_THROW(form.add_file_data("a", "f", "a/b", "1\r\n--XyZy"s), std::invalid_argument);
    EXPECT_EQ(form.part_count(), 0u);
    // The boundary text without a CRLF before it is no delimiter.
    EXPECT_NO_THROW(form.add_field("a", "x--XyZ\n--XyZ\r--XyZ"));
    const auto r = read_multipart("XyZ", body_of(form));
    ASSERT_TRUE(r.done()) << r.error();
    EXPECT_EQ(r.parts().at(0).data, "x--XyZ\n--XyZ\r--XyZ");
}

TEST_F(HttpMultipart, RandomBoundariesAreLongAndDistinct)
{
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        http::multipart_form form;
        const std::string& b = form.boundary();
        ASSERT_EQ(b.size(), 40u);
        ASSERT_TRUE(b.starts_with("imagine-"));
        ASSERT_EQ(b.find_first_not_of("0123456789abcdef", 8), std::string::npos) << b;
        EXPECT_TRUE(seen.insert(b).second) << b;
        EXPECT_EQ(form.content_type(), "multipart/form-data; boundary=" + b);
    }
    // 16 random bytes: every hex digit shows up across 200 boundaries, in every position.
    for (std::size_t pos = 8; pos < 40; ++pos) {
        std::set<char> digits;
        for (const auto& b : seen)
            digits.insert(b[pos]);
        EXPECT_GE(digits.size(), 12u) << "position " << pos;
    }
}

TEST_F(HttpMultipart, RandomBoundaryIsReplacedWhenDataContainsIt)
{
    http::multipart_form form;
    const std::string first = form.boundary();
    form.add_field("a", "one");
    form.add_field("b", "xx" + first + "yy"); // not even a delimiter: still replaced
    EXPECT_NE(form.boundary(), first);
    EXPECT_EQ(form.boundary().size(), first.size());
    const std::string second = form.boundary();
    form.add_file_data("c", second, "a/b", "zz" + second); // in the filename too
    EXPECT_NE(form.boundary(), second);
    const std::string body = body_of(form);
    EXPECT_EQ(body.size(), form.size());
    const auto r = read_multipart(form.boundary(), body);
    ASSERT_TRUE(r.done()) << r.error();
    ASSERT_EQ(r.parts().size(), 3u);
    EXPECT_EQ(r.parts()[1].data, "xx" + first + "yy");
    EXPECT_EQ(r.parts()[2].data, "zz" + second);
    EXPECT_EQ(r.parts()[2].filename, second);
}

TEST_F(HttpMultipart, SourceReadsInSpansOfAnySize)
{
    std::string big(300 * 1024 + 7, '\0');
    std::mt19937 rng(7);
    for (char& c : big)
        c = static_cast<char>(rng());
    const fs::path file = write_file("big.bin", big);
    http::multipart_form form("bnd");
    form.add_field("a", "small");
    form.add_file("big", file, "big.bin", "application/octet-stream");
    form.add_file_data("mem", "m", "a/b", big.substr(0, 100000));
    form.add_file("big2", file, "", "application/octet-stream");
    form.add_field("z", "last");

    const std::string expected = body_of(form);
    ASSERT_EQ(expected.size(), form.size());
    for (std::size_t span : {1u, 2u, 3u, 7u, 64u, 1000u, 4096u, 65536u, 65537u, 1u << 20}) {
        SCOPED_TRACE("span " + std::to_string(span));
        const auto source = form.source();
        std::error_code ec;
        const std::string got = read_all(*source, span, ec);
        ASSERT_FALSE(ec) << ec.message();
        EXPECT_EQ(got, expected);
        // At the end: 0 and no error, again and again.
        std::vector<char> more(16);
        EXPECT_EQ(source->read(more, ec), 0u);
        EXPECT_FALSE(ec);
        EXPECT_EQ(source->read(more, ec), 0u);
        EXPECT_FALSE(ec);
    }
    const auto r = read_multipart("bnd", expected);
    ASSERT_TRUE(r.done()) << r.error();
    EXPECT_EQ(r.parts().at(1).data, big);
    EXPECT_EQ(r.parts().at(3).data, big);
    EXPECT_EQ(r.parts().at(3).filename, "big.bin");
}

TEST_F(HttpMultipart, RewindReplaysIdentically)
{
    const fs::path file = write_file("f.bin", std::string(10000, 'f'));
    http::multipart_form form("rw");
    form.add_field("a", "b");
    form.add_file("f", file, "f.bin", "a/b");
    const std::string expected = body_of(form);
    const auto source = form.source();
    std::error_code ec = http::error::bad_chunk;
    source->rewind(ec); // at the start: harmless
    EXPECT_FALSE(ec);
    for (std::size_t stop : {0u, 1u, 50u, 200u, 5000u, static_cast<unsigned>(expected.size())}) {
        std::vector<char> part(stop);
        std::size_t got = 0;
        while (got < stop) {
            const std::size_t n = source->read(
                std::span<char>(part).subspan(got, std::min<std::size_t>(33, stop - got)), ec);
            ASSERT_FALSE(ec);
            ASSERT_NE(n, 0u);
            got += n;
        }
        EXPECT_EQ(std::string(part.begin(), part.end()), expected.substr(0, stop));
        source->rewind(ec);
        ASSERT_FALSE(ec);
        EXPECT_EQ(read_all(*source, 4096, ec), expected) << "after stopping at " << stop;
        ASSERT_FALSE(ec);
        source->rewind(ec);
    }
}

TEST_F(HttpMultipart, SourcesAreIndependent)
{
    const fs::path file = write_file("f.bin", std::string(5000, 'q'));
    http::multipart_form form("ind");
    form.add_file("f", file, "f", "a/b");
    form.add_field("x", "y");
    const std::string expected = body_of(form);
    const auto a = form.source();
    const auto b = form.source();
    std::string got_a;
    std::string got_b;
    std::vector<char> buffer(97);
    std::error_code ec;
    // Interleaved reads, different span sizes: neither disturbs the other.
    while (got_a.size() < expected.size() || got_b.size() < expected.size()) {
        std::size_t n = a->read(std::span<char>(buffer).first(97), ec);
        ASSERT_FALSE(ec);
        got_a.append(buffer.data(), n);
        n = b->read(std::span<char>(buffer).first(13), ec);
        ASSERT_FALSE(ec);
        got_b.append(buffer.data(), n);
        if (got_b.size() == 403) { // once, midway: a starts again, b goes on
            a->rewind(ec);
            got_a.clear();
        }
    }
    EXPECT_EQ(got_a, expected);
    EXPECT_EQ(got_b, expected);

    // Parts added later do not reach sources made earlier.
    const auto before = form.source();
    form.add_field("later", "z");
    EXPECT_EQ(read_all(*before, 1000, ec), expected);
    EXPECT_EQ(before->size(), expected.size());
    EXPECT_GT(form.size(), expected.size());
    EXPECT_EQ(read_all(*form.source(), 1000, ec), body_of(form));
}

TEST_F(HttpMultipart, FileThatChangedSizeIsAnError)
{
    for (const std::string& changed : {std::string("0123456789+"), std::string("012345678"),
                                       std::string(), std::string(100000, 'x')}) {
        SCOPED_TRACE("now " + std::to_string(changed.size()) + " bytes");
        const fs::path file = write_file("f.bin", "0123456789");
        http::multipart_form form("sz");
        form.add_file("f", file, "f", "a/b");
        write_file("f.bin", changed);
        std::error_code ec;
        EXPECT_EQ(form.to_string(ec), "");
        EXPECT_EQ(ec, http::error::body_size_changed);
        const auto source = form.source();
        static_cast<void>(read_all(*source, 7, ec));
        EXPECT_EQ(ec, http::error::body_size_changed);
        // The error sticks until rewind.
        std::vector<char> buffer(8);
        EXPECT_EQ(source->read(buffer, ec), 0u);
        EXPECT_EQ(ec, http::error::body_size_changed);
        // Restored: a rewind makes the same source good again.
        write_file("f.bin", "0123456789");
        source->rewind(ec);
        EXPECT_FALSE(ec);
        EXPECT_EQ(read_all(*source, 7, ec), body_of(form));
        EXPECT_FALSE(ec);
    }
}

TEST_F(HttpMultipart, FileThatChangesWhileBeingReadIsAnError)
{
    const std::string content(50000, 'c');
    // Grows after the source opened it: noticed at the end of the file.
    {
        const fs::path file = write_file("grow.bin", content);
        http::multipart_form form("g");
        form.add_file("f", file, "f", "a/b");
        const auto source = form.source();
        std::vector<char> buffer(1000);
        std::error_code ec;
        ASSERT_EQ(source->read(buffer, ec), 1000u);
        std::ofstream(file, std::ios::binary | std::ios::app) << "more";
        static_cast<void>(read_all(*source, 1000, ec));
        EXPECT_EQ(ec, http::error::body_size_changed);
    }
    // Shrinks after the source opened it: the file ends early.
    {
        const fs::path file = write_file("shrink.bin", content);
        http::multipart_form form("s");
        form.add_file("f", file, "f", "a/b");
        const auto source = form.source();
        std::vector<char> buffer(1000);
        std::error_code ec;
        ASSERT_EQ(source->read(buffer, ec), 1000u);
        fs::resize_file(file, 20000);
        static_cast<void>(read_all(*source, 1000, ec));
        EXPECT_EQ(ec, http::error::body_size_changed);
    }
}

TEST_F(HttpMultipart, MissingAndUnusableFiles)
{
    http::multipart_form form("m");
    const fs::path missing = dir_ / "no-such-file.png";
    std::error_code ec;
    form.add_file("f", missing, "", "image/png", ec);
    EXPECT_EQ(ec, std::errc::no_such_file_or_directory);
    try {
        form.add_file("f", missing, "", "image/png");
        ADD_FAILURE() << "no exception";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code(), std::errc::no_such_file_or_directory);
        EXPECT_NE(std::string_view(e.what()).find(missing.string()), std::string_view::npos)
            << e.what();
    }
    form.add_file("f", dir_, "", "image/png", ec);
    EXPECT_EQ(ec, std::errc::is_a_directory);
    if (fs::exists("/dev/null")) {
        form.add_file("f", "/dev/null", "", "image/png", ec);
        EXPECT_EQ(ec, std::errc::not_supported);
    }
    EXPECT_EQ(form.part_count(), 0u);
    EXPECT_EQ(form.size(), 7u);

    if (::geteuid() != 0) { // root reads everything
        const fs::path locked = write_file("locked.png", "x");
        fs::permissions(locked, fs::perms::none);
        form.add_file("f", locked, "", "image/png", ec);
        EXPECT_EQ(ec, std::errc::permission_denied);
        fs::permissions(locked, fs::perms::owner_all);
    }

    // Deleted after add_file: the OS error from the source.
    const fs::path gone = write_file("gone.png", "abc");
    form.add_file("f", gone, "", "image/png", ec);
    ASSERT_FALSE(ec);
    fs::remove(gone);
    static_cast<void>(form.to_string(ec));
    EXPECT_EQ(ec, std::errc::no_such_file_or_directory);
}

TEST_F(HttpMultipart, LargeSpansAreFilledCompletely)
{
    const std::string big(3 * 1024 * 1024 + 11, 'L');
    const fs::path file = write_file("large.bin", big);
    http::multipart_form form("L");
    form.add_file("f", file, "f", "a/b");
    const auto source = form.source();
    std::vector<char> buffer(64 * 1024);
    std::error_code ec;
    std::uint64_t total = 0;
    std::size_t reads = 0;
    while (const std::size_t n = source->read(buffer, ec)) {
        ++reads;
        total += n;
        if (total != source->size()) {
            ASSERT_EQ(n, buffer.size()) << "read " << reads;
        }
    }
    ASSERT_FALSE(ec);
    EXPECT_EQ(total, form.size());
    EXPECT_EQ(reads, (form.size() + buffer.size() - 1) / buffer.size());
}

} // namespace
