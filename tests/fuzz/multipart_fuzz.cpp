// libFuzzer target for the multipart/form-data writer (see json_fuzz.cpp for how it is
// run). The input chooses a boundary (random or fixed), fields and in-memory files with
// arbitrary names, filenames, values and content types, a split point and a read size.
// Properties checked on every input:
// - the writer refuses exactly the fixed-boundary data that holds a delimiter, and a
//   refused part leaves the form unchanged;
// - size() is the number of bytes produced, by to_string() and by source() read in spans
//   of the chosen size;
// - the test reader (tests/multipart_reader.hpp), fed the body in two pieces, finds
//   exactly the parts that were added: same count, escaped names and filenames, content
//   types and data; no name, filename or value can add, remove or change a part.

#include <imagine/http/multipart.hpp>

#include "../multipart_reader.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace {

namespace http = imagine::http;

[[noreturn]] void fail(const char* what)
{
    std::fprintf(stderr, "multipart_fuzz: %s\n", what);
    std::abort();
}

// Takes the input apart front to back; runs out gracefully.
class input {
public:
    input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

    bool empty() const { return at_ == size_; }

    std::uint8_t byte() { return at_ < size_ ? data_[at_++] : 0; }

    std::string bytes(std::size_t max)
    {
        const std::size_t n = std::min<std::size_t>(max, size_ - at_);
        std::string out(reinterpret_cast<const char*>(data_ + at_), n);
        at_ += n;
        return out;
    }

    // A length byte, then that many bytes.
    std::string text() { return bytes(byte()); }

private:
    const std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t at_ = 0;
};

// The WHATWG escaping, written again here rather than taken from the writer.
std::string escaped(std::string_view in)
{
    std::string out;
    out.reserve(in.size());
    for (char c : in) {
        if (c == '"')
            out.append("%22");
        else if (c == '\r')
            out.append("%0D");
        else if (c == '\n')
            out.append("%0A");
        else
            out.push_back(c);
    }
    return out;
}

struct expected_part {
    std::string name{};
    std::optional<std::string> filename{};
    std::optional<std::string> content_type{};
    std::string data{};
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    input in(data, size);
    const std::uint8_t mode = in.byte();
    std::optional<http::multipart_form> form;
    if (mode & 1) {
        // A fixed boundary of RFC 2046 characters, chosen by the input.
        static constexpr std::string_view bchars =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ";
        std::string boundary(in.byte() % 70 + 1, 'x');
        for (char& c : boundary)
            c = bchars[in.byte() % bchars.size()];
        if (boundary.back() == ' ')
            boundary.back() = '-';
        form.emplace(boundary);
    } else {
        form.emplace();
    }
    // Tiny spans are the unit test's business; here they would only slow every run down.
    const std::size_t span = (mode & 2) ? 65536 + in.byte() : std::size_t{in.byte()} % 200 + 13;
    const std::size_t split_seed = std::size_t{in.byte()} << 8 | in.byte();

    static constexpr std::string_view types[] = {"image/png", "", "text/plain; charset=utf-8",
                                                 "application/octet-stream"};
    std::vector<expected_part> expected;
    while (!in.empty() && expected.size() < 64) {
        const std::uint8_t kind = in.byte();
        expected_part p;
        const std::string name = in.text();
        p.name = escaped(name);
        std::string filename;
        std::string type;
        if (kind % 3 != 0) {
            filename = in.text();
            type = kind % 3 == 1 ? std::string(types[(kind >> 2) % 4]) : in.text();
            p.filename = escaped(filename);
            p.content_type = type.empty() ? "application/octet-stream" : type;
        }
        p.data = in.bytes(std::size_t{in.byte()} << 4 | (in.byte() & 15));

        const std::string delimiter = "--" + form->boundary();
        const bool holds_delimiter =
            p.data.starts_with(delimiter) || p.data.find("\r\n" + delimiter) != std::string::npos;
        const std::size_t count_before = form->part_count();
        const std::uint64_t size_before = form->size();
        try {
            if (kind % 3 == 0)
                form->add_field(name, p.data);
            else
                form->add_file_data(name, filename, type, p.data);
        } catch (const std::invalid_argument&) {
            if (form->part_count() != count_before || form->size() != size_before)
                fail("a refused part changed the form");
            if ((mode & 1) && holds_delimiter)
                continue;
            if (kind % 3 == 2)
                continue; // an invalid content type
            fail("a valid part was refused");
        }
        if ((mode & 1) && holds_delimiter)
            fail("data holding the delimiter was accepted");
        expected.push_back(std::move(p));
    }
    if (form->part_count() != expected.size())
        fail("part_count differs");

    std::error_code ec;
    const std::string body = form->to_string(ec);
    if (ec || body.size() != form->size())
        fail("to_string failed or its length differs from size()");

    const auto source = form->source();
    std::string streamed;
    std::vector<char> buffer(span);
    while (const std::size_t n = source->read(buffer, ec))
        streamed.append(buffer.data(), n);
    if (ec || streamed != body)
        fail("source() gives other bytes than to_string()");

    imagine_test::multipart_reader reader(form->boundary());
    const std::size_t split = body.empty() ? 0 : split_seed % (body.size() + 1);
    reader.feed(std::string_view(body).substr(0, split));
    reader.feed(std::string_view(body).substr(split));
    if (!reader.finish()) {
        std::fprintf(stderr, "reader: %s\n", reader.error().c_str());
        fail("the reader rejects the body");
    }
    if (reader.parts().size() != expected.size())
        fail("the reader finds another number of parts");
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto& got = reader.parts()[i];
        const auto& want = expected[i];
        if (got.name != want.name || got.filename != want.filename ||
            got.content_type != want.content_type || got.data != want.data)
            fail("a part reads back differently");
    }
    return 0;
}
