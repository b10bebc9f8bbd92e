// The SIMD string scan under the reader: results must not depend on where the text sits
// in memory, nor on where a special byte falls relative to the 16/32/64-byte vector steps
// and the 16 KB copy blocks; the scan must never read past the end of the text.

#include <imagine/json/detail/scan.hpp>
#include <imagine/json/read.hpp>
#include <imagine/json/write.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <optional>
#include <random>
#include <string>
#include <vector>

#if __has_include(<sys/mman.h>) && __has_include(<unistd.h>)
#include <sys/mman.h>
#include <unistd.h>
#define IMAGINE_TEST_GUARD_PAGES 1
#else
#define IMAGINE_TEST_GUARD_PAGES 0
#endif

namespace json = imagine::json;

// Allocations are counted while `counting` is set (LongRunsBetweenEscapesAllocateLittle).
namespace {
std::atomic<bool> counting{false};
std::atomic<long> allocations{0};
} // namespace

// g++ pairs the malloc below with the frees in the replaced deletes across inlining and
// warns about a mismatch that is not one.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t n)
{
    if (counting.load(std::memory_order_relaxed))
        allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n ? n : 1))
        return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n)
{
    return operator new(n);
}
void operator delete(void* p) noexcept
{
    std::free(p);
}
void operator delete[](void* p) noexcept
{
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept
{
    std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept
{
    std::free(p);
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace read_scan_test {

struct token_usage {
    std::int64_t input_tokens;
    std::int64_t output_tokens;
    bool operator==(const token_usage&) const = default;
};
struct image_data {
    std::string b64_json;
    std::optional<std::string> revised_prompt;
    bool operator==(const image_data&) const = default;
};
struct images_response {
    std::int64_t created;
    std::vector<image_data> data;
    std::optional<token_usage> usage;
    bool operator==(const images_response&) const = default;
};
struct one_string {
    std::string s;
};

} // namespace read_scan_test

namespace {

using namespace read_scan_test;
using E = json::error;

std::string base64_like(std::size_t n, unsigned seed)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::mt19937 rng(seed);
    std::string out(n, '=');
    for (std::size_t i = 0; i + 2 < n; ++i)
        out[i] = alphabet[rng() % 64];
    return out;
}

images_response realistic()
{
    return {1713833628,
        {{base64_like(3001, 1), "A sea otter \"floating\"\n\xE2\x80\x94 caf\xC3\xA9 \xF0\x9F\xA6\xA6 \\ /"},
            {base64_like(200, 2), std::nullopt}, {"", "\x01\x1f"}},
        token_usage{50, 4160}};
}

// The text placed `offset` bytes into its own buffer.
std::string_view at_offset(std::string& storage, std::string_view text, std::size_t offset)
{
    storage.assign(offset, 'X');
    storage.append(text);
    return std::string_view(storage).substr(offset);
}

TEST(JsonReadScan, RealisticDocumentAtEveryAlignment)
{
    const images_response expected = realistic();
    const std::string text = json::write(expected);
    const json::value expected_dynamic = json::read<json::value>(text);
    std::string storage;
    for (std::size_t offset = 0; offset < 64; ++offset) {
        std::string_view view = at_offset(storage, text, offset);
        images_response got{};
        json::read_error e = json::read(view, got);
        ASSERT_FALSE(e) << offset << ": " << e.message();
        ASSERT_TRUE(got == expected) << offset;
        json::value dynamic;
        ASSERT_FALSE(json::read(view, dynamic)) << offset;
        ASSERT_TRUE(dynamic == expected_dynamic) << offset;
        ASSERT_EQ(dynamic.at("data").at(0).at("b64_json").as_string(), expected.data[0].b64_json);
    }
}

TEST(JsonReadScan, ErrorsAtEveryAlignment)
{
    std::string text = json::write(realistic());
    const std::size_t bad = text.find("\"b64_json\":\"") + 12 + 1500;
    text[bad] = '\x05';  // a raw control character in the middle of the long string
    std::string storage;
    for (std::size_t offset = 0; offset < 64; ++offset) {
        images_response got{};
        json::read_error e = json::read(at_offset(storage, text, offset), got);
        ASSERT_EQ(e.code, E::control_character) << offset;
        ASSERT_EQ(e.offset, bad) << offset;
        ASSERT_EQ(e.path, "$.data[0].b64_json") << offset;
    }
}

// ------------------------------------------------------------------------------------
// A special byte at every position

struct special_case {
    std::string raw;      // as it appears in the JSON text
    std::string decoded;  // what it reads as; empty with an error
    E error;              // error::{} when valid
};

const std::vector<special_case>& specials()
{
    static const std::vector<special_case> cases = {
        {R"(\")", "\"", {}},
        {R"(\\)", "\\", {}},
        {R"(\/)", "/", {}},
        {R"(\n)", "\n", {}},
        {R"(\u00e9)", "\xC3\xA9", {}},
        {R"(\ud83d\ude00)", "\xF0\x9F\x98\x80", {}},
        {"\xC3\xA9", "\xC3\xA9", {}},
        {"\xE2\x82\xAC", "\xE2\x82\xAC", {}},
        {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80", {}},
        {"\x7f", "\x7f", {}},
        {"\x01", "", E::control_character},
        {"\x1f", "", E::control_character},
        {"\x80", "", E::invalid_utf8},
        {"\xE2\x82", "", E::invalid_utf8},
        {"\xED\xA0\x80", "", E::invalid_utf8},
        {"\xFF", "", E::invalid_utf8},
        {R"(\x)", "", E::invalid_escape},
    };
    return cases;
}

void check_string_at(std::size_t pos, std::size_t tail, const special_case& sc, std::size_t offset,
    std::string& storage)
{
    const std::string head(pos, 'a');
    const std::string after(tail, 'b');
    const std::string content = head + sc.raw + after;
    const std::string expected = head + sc.decoded + after;
    const std::string where = "pos " + std::to_string(pos) + " tail " + std::to_string(tail) +
                              " offset " + std::to_string(offset) + " raw " +
                              ::testing::PrintToString(sc.raw);

    // A top-level string.
    std::string text = "\"" + content + "\"";
    std::string got;
    json::read_error e = json::read(at_offset(storage, text, offset), got);
    if (sc.error == E{}) {
        ASSERT_FALSE(e) << where << ": " << e.message();
        ASSERT_EQ(got, expected) << where;
    } else {
        ASSERT_EQ(e.code, sc.error) << where;
        ASSERT_EQ(e.offset, 1 + pos) << where;
    }

    // A key (its own fast path) and a member value.
    text = "{\"" + content + "\":1,\"s\":\"" + content + "\"}";
    std::map<std::string, json::value> m;
    e = json::read(at_offset(storage, text, offset), m);
    if (sc.error == E{}) {
        ASSERT_FALSE(e) << where << ": " << e.message();
        ASSERT_EQ(m.size(), expected == "s" ? 1u : 2u) << where;
        ASSERT_EQ(m.at("s").as_string(), expected) << where;
        ASSERT_TRUE(m.count(expected)) << where;
    } else {
        ASSERT_EQ(e.code, sc.error) << where;
        ASSERT_EQ(e.offset, 2 + pos) << where;
    }

    // A string that is skipped.
    text = "{\"skip\":\"" + content + "\",\"s\":\"x\"}";
    one_string os;
    e = json::read(at_offset(storage, text, offset), os);
    if (sc.error == E{}) {
        ASSERT_FALSE(e) << where << ": " << e.message();
        ASSERT_EQ(os.s, "x");
    } else {
        ASSERT_EQ(e.code, sc.error) << where;
        ASSERT_EQ(e.offset, 9 + pos) << where;
        ASSERT_EQ(e.path, "$.skip") << where;
    }
}

TEST(JsonReadScan, SpecialAtEveryPosition)
{
    std::string storage;
    for (const special_case& sc : specials())
        for (std::size_t pos = 0; pos <= 130; ++pos)
            for (std::size_t tail : {std::size_t{0}, std::size_t{1}, std::size_t{17}, std::size_t{70}})
                check_string_at(pos, tail, sc, 0, storage);
}

TEST(JsonReadScan, SpecialAtEveryPositionAndAlignment)
{
    std::string storage;
    for (const special_case& sc : {specials()[0], specials()[7], specials()[12]})
        for (std::size_t offset = 1; offset < 64; ++offset)
            for (std::size_t pos = 0; pos <= 130; ++pos)
                check_string_at(pos, 5, sc, offset, storage);
}

TEST(JsonReadScan, StringEndsAtEveryPosition)
{
    std::string storage;
    for (std::size_t length = 0; length <= 200; ++length) {
        const std::string content = base64_like(length, static_cast<unsigned>(length));
        const std::string text = "[\"" + content + "\"," + std::to_string(length) + "]";
        for (std::size_t offset : {std::size_t{0}, std::size_t{1}, std::size_t{31}}) {
            json::value v;
            ASSERT_FALSE(json::read(at_offset(storage, text, offset), v)) << length;
            ASSERT_EQ(v.at(0).as_string(), content) << length;
            ASSERT_EQ(v.at(1).as_int64(), static_cast<std::int64_t>(length));
        }
        // Unterminated: the scan runs into the end of the text.
        std::string s;
        json::read_error e = json::read("\"" + content, s);
        ASSERT_EQ(e.code, E::unexpected_end) << length;
        ASSERT_EQ(e.offset, 1 + length) << length;
    }
}

// ------------------------------------------------------------------------------------
// Long strings: the reader copies runs longer than 16 KB block by block.

TEST(JsonReadScan, LongRunsAroundCopyBlocks)
{
    const std::size_t k = 16 * 1024;
    for (std::size_t run : {k - 1, k, k + 1, k + 31, k + 64, 2 * k - 1, 2 * k, 2 * k + 1, 3 * k + 5}) {
        for (const special_case& sc : {specials()[0], specials()[3], specials()[7], specials()[8]}) {
            for (std::size_t trailing : {std::size_t{0}, std::size_t{1}, std::size_t{100}, k + 10}) {
                const std::string a = base64_like(run, static_cast<unsigned>(run));
                const std::string b = base64_like(run / 2 + 3, 5);
                const std::string text = "[\"" + a + sc.raw + b + "\"," + "\"" + std::string(trailing, 't') + "\"]";
                const std::string where = std::to_string(run) + " " + std::to_string(trailing) + " " +
                                          ::testing::PrintToString(sc.raw);
                std::vector<std::string> got;
                json::read_error e = json::read(text, got);
                ASSERT_FALSE(e) << where << ": " << e.message();
                ASSERT_EQ(got.size(), 2u);
                ASSERT_TRUE(got[0] == a + sc.decoded + b) << where;
                ASSERT_EQ(got[1], std::string(trailing, 't')) << where;
                // Skipped, and as a key.
                one_string os;
                ASSERT_FALSE(json::read("{\"x\":\"" + a + sc.raw + b + "\",\"s\":\"ok\"}", os)) << where;
                ASSERT_EQ(os.s, "ok");
                std::map<std::string, int> m;
                ASSERT_FALSE(json::read("{\"" + a + sc.raw + b + "\":1}", m)) << where;
                ASSERT_EQ(m.begin()->first.size(), a.size() + sc.decoded.size() + b.size()) << where;
            }
        }
        // Only the text up to the end: no closing quote after a long run.
        std::string s;
        json::read_error e = json::read("\"" + std::string(run, 'q'), s);
        ASSERT_EQ(e.code, E::unexpected_end) << run;
        ASSERT_EQ(e.offset, run + 1) << run;
        // An error right after a long run.
        e = json::read("\"" + std::string(run, 'q') + "\x01\"", s);
        ASSERT_EQ(e.code, E::control_character) << run;
        ASSERT_EQ(e.offset, run + 1) << run;
    }
}

TEST(JsonReadScan, LongStringInLargeDocumentIsNotOversized)
{
    // A 40 KB string early in a 4 MB document: the buffer reserved for it must not stay
    // the size of the rest of the document.
    images_response r{1, {{base64_like(40000, 9), std::nullopt}, {base64_like(4'000'000, 10), std::nullopt}}, {}};
    const std::string text = json::write(r);
    images_response got{};
    ASSERT_FALSE(json::read(text, got));
    ASSERT_TRUE(got == r);
    EXPECT_LT(got.data[0].b64_json.capacity(), 2 * 40000u + 8192u);
}

// Regression (performance): the reader used to reserve the rest of the document and trim
// again for every run longer than its 16 KB copy block, so a string made of many such
// runs between escapes was reallocated and copied twice per run: quadratic (8 MB in 17 KB
// runs read in ~460 ms, in 1 KB runs in ~8 ms). Counted in allocations, not time.
TEST(JsonReadScan, LongRunsBetweenEscapesAllocateLittle)
{
    std::string text = "\"";
    std::size_t runs = 0;
    for (; text.size() < 2'000'000; ++runs) {
        text.append(17000, 'a');
        text += "\\n";
    }
    text += "\"";
    std::string s;
    s.reserve(16);
    allocations = 0;
    counting = true;
    json::read_error e = json::read(text, s);
    counting = false;
    ASSERT_FALSE(e) << e.message();
    ASSERT_EQ(s.size(), runs * 17001);
    EXPECT_LT(allocations.load(), 32) << runs << " runs";
}

// ------------------------------------------------------------------------------------
// The scanner itself

#if IMAGINE_TEST_GUARD_PAGES
// Text that ends right before an unreadable page: any read past the end faults.
TEST(JsonReadScan, NoReadPastTheEnd)
{
    const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    void* mem = mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(mem, MAP_FAILED);
    char* base = static_cast<char*>(mem);
    ASSERT_EQ(mprotect(base + page, page, PROT_NONE), 0);
    for (std::size_t length = 0; length < 300; ++length) {
        // A string that is never closed, then one that is, both ending at the guard page.
        const std::string open = "\"" + std::string(length, 'a');
        char* at = base + page - open.size();
        std::memcpy(at, open.data(), open.size());
        std::string s;
        json::read_error e = json::read(std::string_view(at, open.size()), s);
        ASSERT_EQ(e.code, E::unexpected_end) << length;
        const std::string closed = "\"" + std::string(length, 'b') + "\"";
        at = base + page - closed.size();
        std::memcpy(at, closed.data(), closed.size());
        ASSERT_FALSE(json::read(std::string_view(at, closed.size()), s)) << length;
        ASSERT_EQ(s.size(), length);
        for (std::size_t skip = 0; skip <= 64 && skip <= length; ++skip)
            ASSERT_EQ(json::detail::find_string_special(at + 1 + skip, base + page), base + page - 1);
    }
    munmap(mem, 2 * page);
}
#endif

TEST(JsonReadScan, ScannerVariantsAgree)
{
    std::mt19937 rng(3);
    const char fill[] = "abcXYZ019 +/=-_~{}[]:,";
    const unsigned char hits[] = {'"', '\\', 0x00, 0x1F, 0x0A, 0x80, 0xC3, 0xFF, 0xF0};
    std::string buffer(512, 'a');
    for (int round = 0; round < 4000; ++round) {
        for (char& c : buffer)
            c = fill[rng() % (sizeof fill - 1)];
        const std::size_t start = rng() % 70;
        const std::size_t length = rng() % 400;
        if (rng() % 4 != 0)
            buffer[start + rng() % (length + 1)] = static_cast<char>(hits[rng() % sizeof hits]);
        if (rng() % 3 == 0)
            buffer[start + rng() % (length + 1)] = static_cast<char>(hits[rng() % sizeof hits]);
        const char* p = buffer.data() + start;
        const char* end = p + length;
        const char* expected = p;
        while (expected != end && !json::detail::is_string_special(static_cast<unsigned char>(*expected)))
            ++expected;
        ASSERT_EQ(json::detail::find_string_special_scalar(p, end), expected);
        ASSERT_EQ(json::detail::find_string_special(p, end), expected) << start << " " << length;
#if IMAGINE_X86
        ASSERT_EQ(json::detail::find_string_special_sse2(p, end), expected);
        if (imagine::detail::cpu_has_avx2()) {
            ASSERT_EQ(json::detail::find_string_special_avx2(p, end), expected);
        }
#endif
    }
    for (int c = 0; c < 256; ++c) {
        bool special = c == '"' || c == '\\' || c < 0x20 || c >= 0x80;
        EXPECT_EQ(json::detail::is_string_special(static_cast<unsigned char>(c)), special) << c;
        std::string one(100, 'a');
        one[77] = static_cast<char>(c);
        EXPECT_EQ(json::detail::find_string_special(one.data(), one.data() + one.size()) - one.data(),
            special ? 77 : 100) << c;
    }
}

// Unicode Table 3-7, decoded the slow way.
std::size_t reference_utf8_length(const unsigned char* p, std::size_t available)
{
    const unsigned lead = p[0];
    std::size_t n;
    std::uint32_t cp;
    if ((lead & 0xE0) == 0xC0) {
        n = 2;
        cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
        n = 3;
        cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
        n = 4;
        cp = lead & 0x07;
    } else {
        return 0;
    }
    if (available < n)
        return 0;
    for (std::size_t i = 1; i < n; ++i) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    const std::uint32_t minimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < minimum[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

TEST(JsonReadScan, Utf8ValidationMatchesTheStandard)
{
    const unsigned char tails[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
    std::size_t valid = 0;
    for (unsigned lead = 0x80; lead <= 0xFF; ++lead) {
        for (unsigned b1 = 0; b1 <= 0xFF; ++b1) {
            for (unsigned char b2 : tails) {
                for (unsigned char b3 : tails) {
                    const unsigned char bytes[4] = {static_cast<unsigned char>(lead),
                        static_cast<unsigned char>(b1), b2, b3};
                    const char* p = reinterpret_cast<const char*>(bytes);
                    for (std::size_t available = 1; available <= 4; ++available) {
                        const std::size_t expected = reference_utf8_length(bytes, available);
                        ASSERT_EQ(json::detail::utf8_sequence_length(p, p + available), expected)
                            << std::hex << lead << " " << b1 << " " << int(b2) << " " << int(b3)
                            << " available " << available;
                        valid += expected != 0;
                    }
                }
            }
        }
    }
    EXPECT_GT(valid, 0u);
}

} // namespace
