#pragma once

// Byte scanning shared by the reader and the writer. A base64 image is one JSON string of
// several megabytes, so strings are searched 32 or 64 bytes at a time for the few bytes
// that need attention, and copied in one piece.

#include <imagine/detail/cpu.hpp>

#include <cstddef>
#include <cstdint>

#if IMAGINE_X86
#include <immintrin.h>
#endif

namespace imagine::json::detail {

/// True for the bytes a string scan must stop at: '"', '\\', controls below 0x20, and
/// every byte of a multi-byte UTF-8 sequence (they need validating).
constexpr bool is_string_special(unsigned char c) noexcept
{
    return c == '"' || c == '\\' || c < 0x20 || c >= 0x80;
}

inline const char* find_string_special_scalar(const char* p, const char* end) noexcept
{
    while (p != end && !is_string_special(static_cast<unsigned char>(*p)))
        ++p;
    return p;
}

#if IMAGINE_X86

inline const char* find_string_special_sse2(const char* p, const char* end) noexcept
{
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    // Signed compare: bytes >= 0x80 are negative, so "less than 0x20" catches both them
    // and the control characters.
    const __m128i space = _mm_set1_epi8(0x20);
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
                                       _mm_cmpeq_epi8(v, backslash)),
            _mm_cmplt_epi8(v, space));
        if (int mask = _mm_movemask_epi8(hit))
            return p + __builtin_ctz(static_cast<unsigned>(mask));
        p += 16;
    }
    return find_string_special_scalar(p, end);
}

IMAGINE_TARGET_AVX2 inline __m256i string_special_mask_avx2(__m256i v) noexcept
{
    const __m256i quote = _mm256_set1_epi8('"');
    const __m256i backslash = _mm256_set1_epi8('\\');
    const __m256i space = _mm256_set1_epi8(0x20);
    return _mm256_or_si256(
        _mm256_or_si256(_mm256_cmpeq_epi8(v, quote), _mm256_cmpeq_epi8(v, backslash)),
        _mm256_cmpgt_epi8(space, v));
}

IMAGINE_TARGET_AVX2 inline const char* find_string_special_avx2(const char* p,
    const char* end) noexcept
{
    // Two vectors per step, tested together: the common case (no hit in 64 bytes) costs
    // one branch.
    while (end - p >= 64) {
        __m256i a = string_special_mask_avx2(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
        __m256i b =
            string_special_mask_avx2(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32)));
        if (!_mm256_testz_si256(_mm256_or_si256(a, b), _mm256_or_si256(a, b))) {
            if (unsigned m = static_cast<unsigned>(_mm256_movemask_epi8(a)))
                return p + __builtin_ctz(m);
            return p + 32 + __builtin_ctz(static_cast<unsigned>(_mm256_movemask_epi8(b)));
        }
        p += 64;
    }
    return find_string_special_sse2(p, end);
}

#endif

/// First byte in [p, end) for which is_string_special holds, or end.
inline const char* find_string_special(const char* p, const char* end) noexcept
{
#if IMAGINE_X86
    if (end - p >= 64 && imagine::detail::cpu_has_avx2())
        return find_string_special_avx2(p, end);
    return find_string_special_sse2(p, end);
#else
    return find_string_special_scalar(p, end);
#endif
}

/// Length of the well-formed UTF-8 sequence starting at p (a byte >= 0x80), or 0 if it is
/// malformed: overlong forms, surrogates and code points above U+10FFFF are rejected
/// (Unicode Table 3-7).
inline std::size_t utf8_sequence_length(const char* p, const char* end) noexcept
{
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(p[i]); };
    const std::size_t available = static_cast<std::size_t>(end - p);
    const unsigned char lead = byte(0);
    auto continuation = [&](std::size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return i < available && byte(i) >= lo && byte(i) <= hi;
    };
    if (lead >= 0xC2 && lead <= 0xDF)
        return continuation(1) ? 2 : 0;
    if (lead >= 0xE0 && lead <= 0xEF) {
        unsigned char lo = lead == 0xE0 ? 0xA0 : 0x80;
        unsigned char hi = lead == 0xED ? 0x9F : 0xBF;
        return continuation(1, lo, hi) && continuation(2) ? 3 : 0;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        unsigned char lo = lead == 0xF0 ? 0x90 : 0x80;
        unsigned char hi = lead == 0xF4 ? 0x8F : 0xBF;
        return continuation(1, lo, hi) && continuation(2) && continuation(3) ? 4 : 0;
    }
    return 0;
}

/// Appends the UTF-8 encoding of a code point (at most U+10FFFF, not a surrogate).
template <class Out>
void append_utf8(Out& out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

} // namespace imagine::json::detail
