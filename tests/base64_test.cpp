#include <imagine/base64.hpp>

#include <imagine/detail/cpu.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace {

namespace b64 = imagine::base64;
using b64::errc;

constexpr std::string_view alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool have_avx2()
{
    return imagine::detail::cpu_has_avx2();
}

// ---------------------------------------------------------------------------------------
// Reference model, written independently of the library: quad by quad with the whole
// input in view, following the rules documented at the top of base64.hpp.

struct outcome {
    std::string bytes; // output up to the error (or all of it)
    std::error_code error;
    std::size_t offset = 0;

    friend bool operator==(const outcome&, const outcome&) = default;
};

void PrintTo(const outcome& o, std::ostream* os)
{
    *os << "{" << o.bytes.size() << " bytes, error '" << o.error.message() << "', offset "
        << o.offset << "}";
}

int sextet(char c)
{
    const auto at = alphabet.find(c);
    return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

outcome reference_decode(std::string_view in)
{
    outcome r;
    const std::size_t n = in.size();
    auto fail = [&](errc e, std::size_t at) {
        r.error = e;
        r.offset = at;
        return r;
    };
    for (std::size_t quad = 0;; quad += 4) {
        if (quad == n) {
            r.offset = n;
            return r;
        }
        int v[4] = {};
        for (std::size_t k = 0; k < 4; ++k) {
            const std::size_t at = quad + k;
            if (at >= n) {
                return fail(errc::truncated_input, n);
            }
            if (in[at] != '=') {
                v[k] = sextet(in[at]);
                if (v[k] < 0) {
                    return fail(errc::invalid_character, at);
                }
                continue;
            }
            if (k < 2) {
                return fail(errc::invalid_padding, at);
            }
            const int unused_bits = k == 2 ? 4 : 2;
            if ((v[k - 1] & ((1 << unused_bits) - 1)) != 0) {
                return fail(errc::non_zero_trailing_bits, at - 1);
            }
            if (k == 2) {
                if (at + 1 >= n) {
                    return fail(errc::truncated_input, n);
                }
                if (in[at + 1] != '=') {
                    const bool known = sextet(in[at + 1]) >= 0;
                    return fail(known ? errc::invalid_padding : errc::invalid_character, at + 1);
                }
            }
            r.bytes += static_cast<char>(v[0] << 2 | v[1] >> 4);
            if (k == 3) {
                r.bytes += static_cast<char>((v[1] & 15) << 4 | v[2] >> 2);
            }
            const std::size_t after = quad + 4;
            if (after < n) {
                const bool known = in[after] == '=' || sextet(in[after]) >= 0;
                return fail(known ? errc::invalid_padding : errc::invalid_character, after);
            }
            r.offset = n;
            return r;
        }
        r.bytes += static_cast<char>(v[0] << 2 | v[1] >> 4);
        r.bytes += static_cast<char>((v[1] & 15) << 4 | v[2] >> 2);
        r.bytes += static_cast<char>((v[2] & 3) << 6 | v[3]);
    }
}

std::string reference_encode(std::string_view in)
{
    std::string out;
    std::uint32_t bits = 0;
    int held = 0;
    for (const char c : in) {
        bits = bits << 8 | static_cast<unsigned char>(c);
        held += 8;
        while (held >= 6) {
            held -= 6;
            out += alphabet[(bits >> held) & 63];
        }
    }
    if (held > 0) {
        out += alphabet[(bits << (6 - held)) & 63];
    }
    while (out.size() % 4 != 0) {
        out += '=';
    }
    return out;
}

// ---------------------------------------------------------------------------------------
// Running the library. Input and output live in heap blocks of exactly the documented
// size, so AddressSanitizer reports any read or write past them.

enum class path { dispatch, scalar, avx2 };

std::vector<path> paths()
{
    std::vector<path> all = {path::dispatch, path::scalar};
    if (have_avx2()) {
        all.push_back(path::avx2);
    }
    return all;
}

const char* name(path p)
{
    return p == path::dispatch ? "dispatch" : p == path::scalar ? "scalar" : "avx2";
}

std::unique_ptr<char[]> exact_copy(std::string_view s)
{
    auto copy = std::make_unique<char[]>(s.size());
    std::copy(s.begin(), s.end(), copy.get());
    return copy;
}

outcome to_outcome(const b64::decode_result& r, const char* out)
{
    return {std::string(out, r.written), r.error, r.offset};
}

outcome run_decode(path p, std::string_view text)
{
    const auto in = exact_copy(text);
    const std::string_view view(in.get(), text.size());
    const auto out = std::make_unique<char[]>(b64::max_decoded_size(text.size()));
    b64::decode_result r;
    switch (p) {
    case path::dispatch:
        r = b64::decode(view, out.get());
        break;
    case path::scalar:
        r = b64::detail::decode_scalar(view, out.get());
        break;
    case path::avx2:
        r = b64::detail::decode_avx2(view, out.get());
        break;
    }
    return to_outcome(r, out.get());
}

b64::implementation implementation_of(path p)
{
    return p == path::dispatch ? b64::implementation::automatic
           : p == path::scalar ? b64::implementation::scalar
                               : b64::implementation::avx2;
}

/// Feeds text to a decoder in pieces of the given sizes (the last piece takes the rest),
/// then finishes. Output is collected the way a streaming user would.
outcome run_decoder(path p, std::string_view text, const std::vector<std::size_t>& piece_sizes)
{
    b64::decoder dec(implementation_of(p));
    outcome result;
    std::size_t at = 0;
    std::size_t piece_index = 0;
    while (true) {
        const bool last = piece_index == piece_sizes.size() || at >= text.size();
        const std::size_t left = text.size() - at;
        const std::size_t size = last ? left : std::min(piece_sizes[piece_index], left);
        const auto in = exact_copy(text.substr(at, size));
        const auto out = std::make_unique<char[]>(b64::max_decoded_size(size));
        const b64::decode_result r = dec.update(std::string_view(in.get(), size), out.get());
        result.bytes.append(out.get(), r.written);
        if (!r.ok()) {
            result.error = r.error;
            result.offset = r.offset;
            return result;
        }
        EXPECT_EQ(r.offset, at + size);
        at += size;
        ++piece_index;
        if (last) {
            break;
        }
    }
    const b64::decode_result end = dec.finish();
    EXPECT_EQ(end.written, 0u);
    result.error = end.error;
    result.offset = end.offset;
    return result;
}

std::string random_bytes(std::mt19937_64& rng, std::size_t n)
{
    std::string s(n, '\0');
    for (auto& c : s) {
        c = static_cast<char>(rng() & 0xFF);
    }
    return s;
}

/// A valid encoding of random bytes damaged in one to three random ways.
std::string corrupt(std::mt19937_64& rng, std::string text)
{
    const int damages = 1 + static_cast<int>(rng() % 3);
    for (int d = 0; d < damages; ++d) {
        const std::size_t at = text.empty() ? 0 : rng() % text.size();
        switch (rng() % 6) {
        case 0: // any byte
            if (!text.empty()) {
                text[at] = static_cast<char>(rng() & 0xFF);
            }
            break;
        case 1: // a stray '='
            if (!text.empty()) {
                text[at] = '=';
            }
            break;
        case 2: // another alphabet character (may break canonical padding)
            if (!text.empty()) {
                text[at] = alphabet[rng() % 64];
            }
            break;
        case 3: // truncate
            text.resize(at);
            break;
        case 4: // insert
            text.insert(at, 1, static_cast<char>(rng() & 0xFF));
            break;
        default: // append
            text += static_cast<char>(rng() % 2 == 0 ? '=' : alphabet[rng() % 64]);
            break;
        }
    }
    return text;
}

/// Checks every decode path and a single-piece decoder against the reference model.
void expect_all_paths_match_reference(std::string_view text)
{
    const outcome expected = reference_decode(text);
    for (const path p : paths()) {
        SCOPED_TRACE(name(p));
        EXPECT_EQ(run_decode(p, text), expected) << "input size " << text.size();
        EXPECT_EQ(run_decoder(p, text, {}), expected) << "input size " << text.size();
    }
}

// ---------------------------------------------------------------------------------------
// Errors and sizes

TEST(Base64Error, CategoryAndMessages)
{
    const std::error_code ec = errc::invalid_character;
    EXPECT_EQ(&ec.category(), &b64::category());
    EXPECT_STREQ(b64::category().name(), "imagine.base64");
    EXPECT_EQ(ec.value(), 1);
    EXPECT_EQ(ec, errc::invalid_character);
    EXPECT_NE(ec, errc::invalid_padding);

    const errc all[] = {errc::invalid_character, errc::invalid_padding, errc::truncated_input,
                        errc::non_zero_trailing_bits};
    std::vector<std::string> messages;
    for (const errc e : all) {
        const std::string message = b64::make_error_code(e).message();
        EXPECT_FALSE(message.empty());
        EXPECT_EQ(std::find(messages.begin(), messages.end(), message), messages.end()) << message;
        messages.push_back(message);
    }
    EXPECT_EQ(b64::category().message(0), "unknown base64 error");
}

TEST(Base64Size, EncodedAndMaxDecoded)
{
    EXPECT_EQ(b64::encoded_size(0), 0u);
    EXPECT_EQ(b64::encoded_size(1), 4u);
    EXPECT_EQ(b64::encoded_size(2), 4u);
    EXPECT_EQ(b64::encoded_size(3), 4u);
    EXPECT_EQ(b64::encoded_size(4), 8u);
    EXPECT_EQ(b64::encoded_size(3'750'000), 5'000'000u);
    EXPECT_EQ(b64::max_decoded_size(0), 0u);
    EXPECT_EQ(b64::max_decoded_size(1), 3u);
    EXPECT_EQ(b64::max_decoded_size(4), 3u);
    EXPECT_EQ(b64::max_decoded_size(5), 6u);
    EXPECT_EQ(b64::max_decoded_size(5'000'000), 3'750'000u);
}

// ---------------------------------------------------------------------------------------
// RFC 4648 §10 test vectors

struct vector_case {
    std::string_view raw;
    std::string_view encoded;
};

constexpr vector_case rfc4648_vectors[] = {
    {"", ""},           {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
};

TEST(Base64Rfc4648, Encode)
{
    for (const auto& v : rfc4648_vectors) {
        EXPECT_EQ(b64::encode(v.raw), v.encoded);
        EXPECT_EQ(b64::encode(std::as_bytes(std::span(v.raw.data(), v.raw.size()))), v.encoded);
        std::string out(b64::encoded_size(v.raw.size()), '?');
        EXPECT_EQ(b64::detail::encode_scalar(v.raw, out.data()), v.encoded.size());
        EXPECT_EQ(out, v.encoded);
        if (have_avx2()) {
            std::fill(out.begin(), out.end(), '?');
            EXPECT_EQ(b64::detail::encode_avx2(v.raw, out.data()), v.encoded.size());
            EXPECT_EQ(out, v.encoded);
        }
    }
}

TEST(Base64Rfc4648, Decode)
{
    for (const auto& v : rfc4648_vectors) {
        SCOPED_TRACE(v.encoded);
        EXPECT_EQ(b64::decode(v.encoded), v.raw);
        for (const path p : paths()) {
            EXPECT_EQ(run_decode(p, v.encoded), (outcome{std::string(v.raw), {}, v.encoded.size()}))
                << name(p);
        }
        std::string appended = "prefix";
        const b64::decode_result r = b64::decode(v.encoded, appended);
        EXPECT_TRUE(r.ok());
        EXPECT_EQ(r.written, v.raw.size());
        EXPECT_EQ(appended, "prefix" + std::string(v.raw));

        std::vector<std::byte> bytes(b64::max_decoded_size(v.encoded.size()));
        const b64::decode_result rb = b64::decode(v.encoded, bytes.data());
        ASSERT_TRUE(rb.ok());
        ASSERT_EQ(rb.written, v.raw.size());
        EXPECT_TRUE(std::equal(v.raw.begin(), v.raw.end(), bytes.begin(),
                               [](char c, std::byte b) { return static_cast<std::byte>(c) == b; }));
    }
}

// ---------------------------------------------------------------------------------------
// Encoding

TEST(Base64Encode, AllPathsMatchReferenceForLengths0To300)
{
    std::mt19937_64 rng(1);
    for (std::size_t n = 0; n <= 300; ++n) {
        const std::string raw = random_bytes(rng, n);
        const std::string expected = reference_encode(raw);
        const auto in = exact_copy(raw);
        const std::string_view view(in.get(), n);
        for (const path p : paths()) {
            const auto out = std::make_unique<char[]>(b64::encoded_size(n));
            std::size_t written = 0;
            if (p == path::dispatch) {
                written = b64::encode(view, out.get());
            } else if (p == path::scalar) {
                written = b64::detail::encode_scalar(view, out.get());
            } else {
                written = b64::detail::encode_avx2(view, out.get());
            }
            ASSERT_EQ(written, expected.size());
            ASSERT_EQ(std::string_view(out.get(), written), expected) << name(p) << " n=" << n;
        }
    }
}

TEST(Base64Encode, LargeInputScalarAndAvx2Agree)
{
    if (!have_avx2()) {
        GTEST_SKIP() << "CPU lacks AVX2";
    }
    std::mt19937_64 rng(2);
    const std::string raw = random_bytes(rng, 3'000'001);
    std::string scalar(b64::encoded_size(raw.size()), '\0');
    std::string avx2(scalar.size(), '\0');
    b64::detail::encode_scalar(raw, scalar.data());
    b64::detail::encode_avx2(raw, avx2.data());
    EXPECT_EQ(scalar, avx2);
    EXPECT_EQ(scalar, reference_encode(raw));
}

// ---------------------------------------------------------------------------------------
// Round trips

TEST(Base64RoundTrip, Lengths0To300)
{
    std::mt19937_64 rng(3);
    for (std::size_t n = 0; n <= 300; ++n) {
        const std::string raw = random_bytes(rng, n);
        const std::string text = b64::encode(raw);
        for (const path p : paths()) {
            ASSERT_EQ(run_decode(p, text), (outcome{raw, {}, text.size()}))
                << name(p) << " n=" << n;
        }
    }
}

TEST(Base64RoundTrip, SeveralMegabytes)
{
    std::mt19937_64 rng(4);
    for (const std::size_t n : {3'750'000, 2'999'999, 1'000'001}) {
        const std::string raw = random_bytes(rng, n);
        const std::string text = b64::encode(raw);
        for (const path p : paths()) {
            const outcome got = run_decode(p, text);
            EXPECT_TRUE(got.error == std::error_code{}) << name(p) << ": " << got.error.message();
            EXPECT_EQ(got.offset, text.size());
            EXPECT_TRUE(got.bytes == raw) << name(p) << " n=" << n;
        }
        EXPECT_TRUE(b64::decode(text) == raw);
    }
}

// ---------------------------------------------------------------------------------------
// Invalid input: explicit cases with hand-computed offsets

struct bad_case {
    std::string_view text;
    errc error;
    std::size_t offset;
    std::size_t written; // output produced before the error
};

constexpr bad_case bad_cases[] = {
    // Not in the alphabet (whitespace included: OpenAI's b64_json has none).
    {"Zm9v!", errc::invalid_character, 4, 3},
    {"Zm9v\n", errc::invalid_character, 4, 3},
    {" Zm9v", errc::invalid_character, 0, 0},
    {"Zm 9v", errc::invalid_character, 2, 0},
    {"Zm9vYmFy\r\n", errc::invalid_character, 8, 6},
    {"Zm9-", errc::invalid_character, 3, 0}, // URL-safe alphabet is not accepted
    {"Zm9_", errc::invalid_character, 3, 0},
    {"Zg==\n", errc::invalid_character, 4, 1},
    {"Zg=!", errc::invalid_character, 3, 0},
    // Padding in the wrong place or amount.
    {"=", errc::invalid_padding, 0, 0},
    {"====", errc::invalid_padding, 0, 0},
    {"Z===", errc::invalid_padding, 1, 0},
    {"Zm9v=", errc::invalid_padding, 4, 3},
    {"Zm9vY===", errc::invalid_padding, 5, 3},
    {"Zg=A", errc::invalid_padding, 3, 0},
    {"Zg===", errc::invalid_padding, 4, 1},
    {"Zm8==", errc::invalid_padding, 4, 2},
    {"Zg==Zg==", errc::invalid_padding, 4, 1},
    {"Zm8=Zm9v", errc::invalid_padding, 4, 2},
    {"Zg==A", errc::invalid_padding, 4, 1},
    // Input ends inside a quad.
    {"Z", errc::truncated_input, 1, 0},
    {"Zm", errc::truncated_input, 2, 0},
    {"Zm9", errc::truncated_input, 3, 0},
    {"Zg=", errc::truncated_input, 3, 0},
    {"Zm9vYg", errc::truncated_input, 6, 3},
    {"Zm9vYg=", errc::truncated_input, 7, 3},
    // Non-zero bits under the padding (RFC 4648 §3.5): 'h' = 33 = 0b100001, '9' = 61.
    {"Zh==", errc::non_zero_trailing_bits, 1, 0},
    {"Zm9=", errc::non_zero_trailing_bits, 2, 0},
    {"Zm9vZh==", errc::non_zero_trailing_bits, 5, 3},
    {"Zh=", errc::non_zero_trailing_bits, 1, 0}, // found at the '=', before the truncation
    {"Zh=A", errc::non_zero_trailing_bits, 1, 0},
};

TEST(Base64Invalid, ExplicitCases)
{
    for (const auto& c : bad_cases) {
        SCOPED_TRACE(std::string(c.text));
        for (const path p : paths()) {
            const outcome got = run_decode(p, c.text);
            EXPECT_EQ(got.error, c.error) << name(p) << ": " << got.error.message();
            EXPECT_EQ(got.offset, c.offset) << name(p);
            EXPECT_EQ(got.bytes.size(), c.written) << name(p);
        }
        EXPECT_EQ(reference_decode(c.text), run_decode(path::scalar, c.text));
    }
}

TEST(Base64Invalid, ThrowingOverloadReportsOffset)
{
    try {
        (void)b64::decode("Zm9vYm!y");
        FAIL() << "no exception";
    } catch (const b64::decode_error& e) {
        EXPECT_EQ(e.code(), errc::invalid_character);
        EXPECT_EQ(e.offset(), 6u);
        EXPECT_NE(std::string(e.what()).find("offset 6"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)b64::decode("Zg="), b64::decode_error);
}

TEST(Base64Invalid, StringOverloadKeepsOutputBeforeError)
{
    std::string out = "x";
    const b64::decode_result r = b64::decode("Zm9vYmFy!AAA", out);
    EXPECT_EQ(r.error, errc::invalid_character);
    EXPECT_EQ(r.offset, 8u);
    EXPECT_EQ(out, "xfoobar");
}

TEST(Base64Invalid, CanonicalTrailingBitsForEveryLastCharacter)
{
    for (std::size_t v = 0; v < 64; ++v) {
        const std::string one = std::string("Zm9vZ") + alphabet[v] + "==";
        const std::string two = std::string("Zm9vZm") + alphabet[v] + "=";
        for (const path p : paths()) {
            const outcome a = run_decode(p, one);
            const outcome b = run_decode(p, two);
            if (v % 16 == 0) {
                EXPECT_FALSE(a.error) << one;
                EXPECT_EQ(a.bytes.size(), 4u);
            } else {
                EXPECT_EQ(a.error, errc::non_zero_trailing_bits) << one;
                EXPECT_EQ(a.offset, 5u) << one;
            }
            if (v % 4 == 0) {
                EXPECT_FALSE(b.error) << two;
                EXPECT_EQ(b.bytes.size(), 5u);
            } else {
                EXPECT_EQ(b.error, errc::non_zero_trailing_bits) << two;
                EXPECT_EQ(b.offset, 6u) << two;
            }
        }
    }
}

// A bad byte at every position of a 400-character input: the first ~360 positions are in
// the bulk region of both kernels, the rest in the exact tail.
TEST(Base64Invalid, BadCharacterAtEveryPosition)
{
    std::mt19937_64 rng(5);
    const std::string text = b64::encode(random_bytes(rng, 300));
    ASSERT_EQ(text.size(), 400u);
    for (const char bad : {'!', '\0', '\x80', '\xFF', '@', '[', ':', '-', ' '}) {
        for (std::size_t at = 0; at < text.size(); ++at) {
            std::string damaged = text;
            damaged[at] = bad;
            for (const path p : paths()) {
                const outcome got = run_decode(p, damaged);
                ASSERT_EQ(got.error, errc::invalid_character) << name(p) << " at " << at;
                ASSERT_EQ(got.offset, at) << name(p);
                ASSERT_EQ(got.bytes, reference_decode(damaged).bytes) << name(p) << " at " << at;
                ASSERT_EQ(got.bytes.size(), at / 4 * 3) << name(p);
            }
        }
    }
}

TEST(Base64Invalid, StrayPaddingAtEveryPosition)
{
    std::mt19937_64 rng(6);
    const std::string text = b64::encode(random_bytes(rng, 300));
    for (std::size_t at = 0; at + 4 < text.size(); ++at) {
        std::string damaged = text;
        damaged[at] = '=';
        const outcome expected = reference_decode(damaged);
        // The error is at the '=' itself (first half of a quad), the byte after it
        // ("xx=y"), the byte after the quad ("xxx=" then data), or the character before
        // it if that one has bits under the padding.
        ASSERT_TRUE(expected.error == errc::invalid_padding ||
                    expected.error == errc::non_zero_trailing_bits);
        if (at % 4 < 2) {
            ASSERT_EQ(expected.offset, at);
        }
        for (const path p : paths()) {
            ASSERT_EQ(run_decode(p, damaged), expected) << name(p) << " at " << at;
        }
    }
}

// Every byte value at positions in the bulk region and the tail, against the reference.
TEST(Base64Invalid, EveryByteValueAtSelectedPositions)
{
    std::mt19937_64 rng(7);
    const std::string text = b64::encode(random_bytes(rng, 299)); // ends "x="
    for (const std::size_t at : {0, 1, 2, 3, 31, 32, 33, 63, 64, 100, 255, 256, 300, 355, 360,
                                 371, 390, 396, 397, 398, 399}) {
        for (int byte = 0; byte < 256; ++byte) {
            std::string damaged = text;
            damaged[at] = static_cast<char>(byte);
            const outcome expected = reference_decode(damaged);
            for (const path p : paths()) {
                ASSERT_EQ(run_decode(p, damaged), expected)
                    << name(p) << " at " << at << " byte " << byte;
            }
        }
    }
}

TEST(Base64Invalid, RandomCorruptionMatchesReference)
{
    std::mt19937_64 rng(8);
    for (int round = 0; round < 3000; ++round) {
        const std::size_t n = round < 2000 ? rng() % 400 : rng() % 5000;
        const std::string damaged = corrupt(rng, b64::encode(random_bytes(rng, n)));
        expect_all_paths_match_reference(damaged);
        if (::testing::Test::HasFailure()) {
            return;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Scalar and AVX2 agree (output, error and offset)

TEST(Base64Paths, ScalarAndAvx2AgreeOnRandomValidInput)
{
    if (!have_avx2()) {
        GTEST_SKIP() << "CPU lacks AVX2";
    }
    std::mt19937_64 rng(9);
    for (int round = 0; round < 500; ++round) {
        const std::string text = b64::encode(random_bytes(rng, rng() % 3000));
        const outcome scalar = run_decode(path::scalar, text);
        ASSERT_FALSE(scalar.error);
        ASSERT_EQ(run_decode(path::avx2, text), scalar);
    }
}

TEST(Base64Paths, ScalarAndAvx2AgreeOnRandomCorruptedInput)
{
    if (!have_avx2()) {
        GTEST_SKIP() << "CPU lacks AVX2";
    }
    std::mt19937_64 rng(10);
    int errors = 0;
    for (int round = 0; round < 3000; ++round) {
        const std::string damaged = corrupt(rng, b64::encode(random_bytes(rng, rng() % 3000)));
        const outcome scalar = run_decode(path::scalar, damaged);
        errors += scalar.error ? 1 : 0;
        ASSERT_EQ(run_decode(path::avx2, damaged), scalar) << "round " << round;
    }
    EXPECT_GT(errors, 2500); // the corruption really produces errors
}

TEST(Base64Paths, Avx2ClassifiesEveryByteLikeTheTable)
{
    if (!have_avx2()) {
        GTEST_SKIP() << "CPU lacks AVX2";
    }
    // 64 characters of 'A', one byte replaced, fully inside the AVX2 bulk region.
    for (int byte = 0; byte < 256; ++byte) {
        for (const std::size_t at : {0, 5, 16, 31, 32, 47, 63}) {
            std::string text(128, 'A');
            text[at] = static_cast<char>(byte);
            const outcome avx2 = run_decode(path::avx2, text);
            ASSERT_EQ(avx2, run_decode(path::scalar, text)) << byte;
            ASSERT_EQ(avx2, reference_decode(text)) << byte;
            ASSERT_EQ(!avx2.error, sextet(static_cast<char>(byte)) >= 0) << byte;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Incremental decoder

std::string sample_text(std::size_t raw_size, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    return b64::encode(random_bytes(rng, raw_size));
}

TEST(Base64Decoder, EverySplitPointOfValidInput)
{
    for (const std::size_t raw_size : {std::size_t{298}, std::size_t{299}, std::size_t{300}}) {
        const std::string text = sample_text(raw_size, raw_size);
        const outcome expected = reference_decode(text);
        ASSERT_FALSE(expected.error);
        for (const path p : paths()) {
            for (std::size_t split = 0; split <= text.size(); ++split) {
                ASSERT_EQ(run_decoder(p, text, {split}), expected) << name(p) << " split " << split;
            }
        }
    }
}

TEST(Base64Decoder, EverySplitPointOfInvalidInput)
{
    const std::string text = sample_text(299, 11);
    std::vector<std::string> damaged;
    for (const std::size_t at : {0, 5, 150, 397}) {
        std::string d = text;
        d[at] = '*';
        damaged.push_back(d);
    }
    damaged.push_back(text.substr(0, 201));          // truncated
    damaged.push_back(text + "AAAA");                 // data after padding
    damaged.push_back(text.substr(0, 398) + "B=");    // non-zero bits under the padding
    damaged.push_back(text.substr(0, 200) + "==" + text.substr(202));
    for (const std::string& d : damaged) {
        const outcome expected = reference_decode(d);
        ASSERT_TRUE(expected.error);
        for (const path p : paths()) {
            for (std::size_t split = 0; split <= d.size(); ++split) {
                ASSERT_EQ(run_decoder(p, d, {split}), expected) << name(p) << " split " << split;
            }
        }
    }
}

TEST(Base64Decoder, OneByteAtATime)
{
    const std::string valid = sample_text(301, 12);
    std::string invalid = valid;
    invalid[203] = '\x90';
    for (const std::string& text : {valid, invalid, valid.substr(0, 397)}) {
        const std::vector<std::size_t> ones(text.size(), 1);
        const outcome expected = reference_decode(text);
        for (const path p : paths()) {
            ASSERT_EQ(run_decoder(p, text, ones), expected) << name(p);
        }
    }
}

TEST(Base64Decoder, RandomPieceSizes)
{
    std::mt19937_64 rng(13);
    const std::string large = sample_text(1'000'000, 14);
    std::string large_bad = large;
    large_bad[777'777] = '.';
    for (int round = 0; round < 40; ++round) {
        const bool big = round < 10;
        const std::string text = big ? (round % 2 == 0 ? large : large_bad)
                                     : corrupt(rng, sample_text(rng() % 2000, rng()));
        std::vector<std::size_t> pieces;
        for (std::size_t total = 0; total < text.size();) {
            const std::size_t size = big ? rng() % 70'000 : rng() % 50;
            pieces.push_back(size);
            total += size;
        }
        const outcome expected = reference_decode(text);
        for (const path p : paths()) {
            ASSERT_TRUE(run_decoder(p, text, pieces) == expected) << name(p) << " round " << round;
        }
    }
}

TEST(Base64Decoder, FinishReportsTruncation)
{
    b64::decoder dec;
    EXPECT_TRUE(dec.finish().ok()); // empty stream

    std::string out;
    EXPECT_TRUE(dec.update("Zm9v", out).ok());
    EXPECT_TRUE(dec.update("Yg", out).ok());
    EXPECT_EQ(out, "foo");
    b64::decode_result r = dec.finish();
    EXPECT_EQ(r.error, errc::truncated_input);
    EXPECT_EQ(r.offset, 6u);
    EXPECT_EQ(dec.finish().offset, 6u); // sticky

    dec.reset();
    out.clear();
    EXPECT_TRUE(dec.update("Zm9vYg=", out).ok());
    r = dec.finish();
    EXPECT_EQ(r.error, errc::truncated_input);
    EXPECT_EQ(r.offset, 7u);
    EXPECT_EQ(out, "foo");

    dec.reset();
    out.clear();
    EXPECT_TRUE(dec.update("Zm9vYg=", out).ok());
    EXPECT_TRUE(dec.update("=", out).ok());
    r = dec.finish();
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.offset, 8u);
    EXPECT_EQ(out, "foob");
}

TEST(Base64Decoder, ErrorIsStickyAndAbsolute)
{
    b64::decoder dec;
    std::string out;
    EXPECT_TRUE(dec.update("Zm9vYm", out).ok());
    EXPECT_EQ(dec.consumed(), 6u);
    b64::decode_result r = dec.update("Fy!", out);
    EXPECT_EQ(r.error, errc::invalid_character);
    EXPECT_EQ(r.offset, 8u);
    EXPECT_EQ(r.written, 3u);
    EXPECT_EQ(out, "foobar");

    r = dec.update("AAAA", out);
    EXPECT_EQ(r.error, errc::invalid_character);
    EXPECT_EQ(r.offset, 8u);
    EXPECT_EQ(r.written, 0u);
    EXPECT_EQ(out, "foobar");
    EXPECT_EQ(dec.finish().error, errc::invalid_character);
}

TEST(Base64Decoder, DataAfterPaddingInALaterPiece)
{
    b64::decoder dec;
    std::string out;
    EXPECT_TRUE(dec.update("Zm8=", out).ok());
    EXPECT_TRUE(dec.update("", out).ok());
    const b64::decode_result r = dec.update("Zm9v", out);
    EXPECT_EQ(r.error, errc::invalid_padding);
    EXPECT_EQ(r.offset, 4u);
    EXPECT_EQ(out, "fo");
}

TEST(Base64Decoder, NonCanonicalBitsInAnEarlierPiece)
{
    b64::decoder dec;
    std::string out;
    EXPECT_TRUE(dec.update("Zm9vZh", out).ok());
    const b64::decode_result r = dec.update("==", out);
    EXPECT_EQ(r.error, errc::non_zero_trailing_bits);
    EXPECT_EQ(r.offset, 5u); // the 'h', one piece back
    EXPECT_EQ(out, "foo");
}

TEST(Base64Decoder, ByteOutputOverload)
{
    b64::decoder dec(b64::implementation::scalar);
    std::vector<std::byte> out(b64::max_decoded_size(8));
    const b64::decode_result r = dec.update("Zm9vYmFy", out.data());
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.written, 6u);
    EXPECT_EQ(std::memcmp(out.data(), "foobar", 6), 0);
    EXPECT_TRUE(dec.finish().ok());
}

} // namespace
