// imagine 0.1.0 -- single-header edition.
//
// GENERATED FILE, DO NOT EDIT. Produced by tools/amalgamate.py from
// include/imagine/imagine.hpp and the headers it includes; edit those and run
//     python3 tools/amalgamate.py
// Needs standalone Asio (>= 1.22) and OpenSSL; link with -lssl -lcrypto -pthread.
//
// Distributed under the Boost Software License, Version 1.0.
// (See https://www.boost.org/LICENSE_1_0.txt)
// SPDX-License-Identifier: BSL-1.0

#pragma once

// ---- begin imagine/imagine.hpp ----

// imagine: a header-only C++20 coroutine client for OpenAI image generation, on standalone
// Asio and OpenSSL. This umbrella header brings in the whole public API.
//
// Layers, each including only the ones below it:
//   json/      compile-time reflection, reader, writer, dynamic value
//   base64.hpp scalar and AVX2 codecs, incremental decoder
//   http/      HTTPS/1.1 client: URL, TLS, parser, pool, proxy, SSE, multipart
//   util/      image formats from their bytes; atomic image files
//   api/       the OpenAI client: types, checks, retries, images, event streams

// ---- begin imagine/config.hpp ----

// Library version and the configuration every header that touches Asio needs.
// Include this header before any Asio header (our own headers do).

#define IMAGINE_VERSION_MAJOR 0
#define IMAGINE_VERSION_MINOR 1
#define IMAGINE_VERSION_PATCH 0

/// major * 10000 + minor * 100 + patch, e.g. 100 for 0.1.0.
#define IMAGINE_VERSION                                                                            \
    (IMAGINE_VERSION_MAJOR * 10000 + IMAGINE_VERSION_MINOR * 100 + IMAGINE_VERSION_PATCH)
#define IMAGINE_VERSION_STRING "0.1.0"

// <asio/version.hpp> only defines ASIO_VERSION; it pulls in nothing else. It is
// guarded so that the parts of imagine that do not touch Asio (JSON, base64) still
// compile where Asio is absent.
#if __has_include(<asio/version.hpp>)
#include <asio/version.hpp>
#endif

// Asio before 1.26 enables co_await on clang only when <experimental/coroutine>
// exists. libstdc++ (which clang uses on Linux) has only <coroutine>, so with
// clang 14 + libstdc++ 12 + Asio 1.22 `asio::awaitable`, `co_spawn` and
// `use_awaitable` silently compile to nothing. Asio fixed the detection in 1.26.
// We switch the support on ourselves so that users need no -D flags. It has to
// happen before Asio's own config is read, hence "include imagine first".
// ASIO_HAS_STD_INVOKE_RESULT avoids deprecation warnings for std::result_of in
// asio/impl/co_spawn.hpp under the same conditions.
#if defined(__clang__) && defined(ASIO_VERSION) && ASIO_VERSION < 102600
#if defined(__cpp_impl_coroutine) && __cpp_impl_coroutine >= 201902L && __has_include(<coroutine>)
#ifndef ASIO_HAS_CO_AWAIT
#if defined(ASIO_AWAITABLE_HPP) || defined(ASIO_CO_SPAWN_HPP) || defined(ASIO_USE_AWAITABLE_HPP)
#error "imagine: an Asio coroutine header was included before imagine, without coroutine \
support (clang + Asio < 1.26). Include imagine headers first, or define ASIO_HAS_CO_AWAIT=1."
#endif
#define ASIO_HAS_CO_AWAIT 1
#endif
#endif
#if __cplusplus >= 201703L
#ifndef ASIO_HAS_STD_INVOKE_RESULT
#define ASIO_HAS_STD_INVOKE_RESULT 1
#endif
#endif
#endif
// ---- end imagine/config.hpp ----

// ---- begin imagine/base64.hpp ----

// Base64 (RFC 4648 §4 alphabet, '=' padding) encoding and strict decoding.
//
// Decoding accepts only canonical base64: no whitespace, padding only at the very end
// and only as much as needed, input length a multiple of 4, and zero bits in the unused
// part of the last quad (RFC 4648 §3.5). Anything else is an error, detected at the
// first byte (in input order) at which the input can no longer be valid, and reported
// with this offset:
//
//   errc::invalid_character       a byte outside the alphabet and not '=' (anywhere,
//                                 also after the padding)
//   errc::invalid_padding         a '=' that cannot be there ("=AAA", "A==="), the byte
//                                 where a second '=' was needed ("AA=A"), or the first
//                                 byte after the final quad once it was padded
//   errc::non_zero_trailing_bits  the last data character before the '=', whose unused
//                                 low bits are not zero ("AB==" instead of "AA==");
//                                 detected at the first '=', reported one byte earlier
//   errc::truncated_input         the end of the input (offset == size), which stopped
//                                 inside a quad, padded or not ("AAA", "AA=")
//
// Bulk input goes through an AVX2 kernel when the CPU has it (chosen at run time) and a
// table-driven scalar kernel otherwise; both give the same output and the same error
// and offset.

// ---- begin imagine/detail/base64_avx2.hpp ----

// AVX2 bulk base64 kernels (vector nibble lookups, after Muła and Lemire). Every function
// here carries IMAGINE_TARGET_AVX2, so users build with no -m flags; callers must check
// imagine::detail::cpu_has_avx2() first. Like the scalar kernels, these only take whole
// blocks of valid characters and leave the rest to the exact byte-at-a-time path.

// ---- begin imagine/detail/base64_scalar.hpp ----

// Portable bulk base64 kernels (no SIMD). They handle only the easy case - whole blocks
// of valid, unpadded characters - and leave everything else (padding, errors, short
// tails) to the byte-at-a-time path in base64.hpp, which is slow but exact.

// ---- begin imagine/detail/base64_tables.hpp ----

// Lookup tables for the base64 codecs. Every table is computed at compile time from the
// alphabet string below, so no hand-typed constant can drift out of step with it; the
// SIMD tables are derived by the same rules the vector code applies, and a table that
// those rules cannot express fails to compile.

#include <array>
#include <cstddef>
#include <cstdint>

namespace imagine::base64::detail {

/// RFC 4648 §4 alphabet, indexed by sextet value.
inline constexpr char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
inline constexpr char pad_char = '=';

// ---------------------------------------------------------------------------------------
// Byte -> sextet, for the byte-at-a-time path that has to tell '=' from garbage.

inline constexpr std::uint8_t invalid_sextet = 0xFF;
inline constexpr std::uint8_t pad_sextet = 0x40;

consteval std::array<std::uint8_t, 256> make_sextet_table()
{
    std::array<std::uint8_t, 256> table{};
    for (auto& entry : table) {
        entry = invalid_sextet;
    }
    for (std::size_t value = 0; value < 64; ++value) {
        table[static_cast<unsigned char>(alphabet[value])] = static_cast<std::uint8_t>(value);
    }
    table[static_cast<unsigned char>(pad_char)] = pad_sextet;
    return table;
}

inline constexpr std::array<std::uint8_t, 256> sextet_of = make_sextet_table();

// ---------------------------------------------------------------------------------------
// Scalar bulk decode: 8 input characters -> 6 output bytes with 8 table loads ORed
// together. Table p holds, for the character at position p of the 8-byte step, its bits
// already shifted to where they land in the little-endian 64-bit output word, so the
// step needs no shifts or masks beyond extracting the index bytes.
//
// Output bytes 6 and 7 of the word are never data (the next step overwrites them), which
// leaves room for an error flag: an invalid character (including '=') sets those two
// bytes, and ORing the words of a whole block lets one test cover all of it.

inline constexpr std::uint64_t decode8_error_bits = 0xFFFF'0000'0000'0000ULL;

using decode8_table = std::array<std::array<std::uint64_t, 256>, 8>;

consteval decode8_table make_decode8_tables()
{
    decode8_table tables{};
    for (std::size_t position = 0; position < 8; ++position) {
        const std::size_t quad = position / 4;
        const std::size_t in_quad = position % 4;
        for (std::size_t byte = 0; byte < 256; ++byte) {
            const std::uint8_t value = sextet_of[byte];
            if (value >= 64) {
                tables[position][byte] = decode8_error_bits;
                continue;
            }
            // The 24-bit group of a quad is big-endian: the first character is the top sextet.
            const std::uint32_t group = std::uint32_t{value} << (18 - 6 * in_quad);
            std::uint64_t word = 0;
            for (std::size_t out_byte = 0; out_byte < 3; ++out_byte) {
                const std::uint64_t bits = (group >> (16 - 8 * out_byte)) & 0xFF;
                word |= bits << (8 * (3 * quad + out_byte));
            }
            tables[position][byte] = word;
        }
    }
    return tables;
}

inline constexpr decode8_table decode8_tables = make_decode8_tables();

// ---------------------------------------------------------------------------------------
// Scalar encode: one lookup turns 12 input bits into two output characters.

using encode_pair_table = std::array<std::array<char, 2>, 4096>;

consteval encode_pair_table make_encode_pairs()
{
    encode_pair_table table{};
    for (std::size_t bits = 0; bits < 4096; ++bits) {
        table[bits][0] = alphabet[bits >> 6];
        table[bits][1] = alphabet[bits & 63];
    }
    return table;
}

inline constexpr encode_pair_table encode_pairs = make_encode_pairs();

// ---------------------------------------------------------------------------------------
// SIMD decode: classify each byte by its two nibbles with 16-entry shuffle lookups.
//
// Group the high nibbles by which low nibbles make a valid character with them (e.g.
// high nibbles 4 and 6 both accept low nibbles 1..F). Each group gets one bit: hi_class
// maps a high nibble to its group's bit, and lo_accept maps a low nibble to the bits of
// every group that accepts it. A byte is valid exactly when its group bit is among the
// accepting ones, i.e. (hi_class & ~lo_accept) == 0 - which is the carry flag of one
// vptest. High nibbles 8..F form a group that accepts nothing, and pshufb reads a byte
// >= 0x80 as "lookup gives zero", which accepts nothing either, so the low-nibble lookup
// can index with the raw byte and needs no mask.
//
// Translation adds a per-high-nibble offset (char -> sextet). Only '+' and '/' share a
// high nibble yet need different offsets, so '/' is moved to the unused slot just below
// its high nibble by adding the (-1) of a compare-equal against '/'.

struct nibble_luts {
    std::array<std::uint8_t, 16> lo_accept{};
    std::array<std::uint8_t, 16> hi_class{};
    std::array<std::int8_t, 16> offset{};
};

inline constexpr char shifted_char = '/';

// Reached only in a constant expression, where calling it makes the table ill-formed.
inline void table_rule_violated() {}

consteval nibble_luts make_nibble_luts()
{
    nibble_luts luts{};

    std::array<std::uint16_t, 16> accepted{}; // per high nibble: bit lo set if valid
    for (std::size_t value = 0; value < 64; ++value) {
        const auto c = static_cast<unsigned char>(alphabet[value]);
        accepted[c >> 4] = static_cast<std::uint16_t>(accepted[c >> 4] | (1u << (c & 15)));
    }

    std::array<std::uint16_t, 8> group_pattern{};
    std::size_t groups = 0;
    for (std::size_t hi = 0; hi < 16; ++hi) {
        std::size_t group = 0;
        while (group < groups && group_pattern[group] != accepted[hi]) {
            ++group;
        }
        if (group == groups) {
            if (groups == 8) {
                table_rule_violated(); // more groups than bits in a byte
            }
            group_pattern[groups++] = accepted[hi];
        }
        luts.hi_class[hi] = static_cast<std::uint8_t>(1u << group);
    }
    for (std::size_t hi = 8; hi < 16; ++hi) {
        if (accepted[hi] != 0) {
            table_rule_violated(); // bytes >= 0x80 always fail the unmasked lookup
        }
    }
    for (std::size_t lo = 0; lo < 16; ++lo) {
        std::uint8_t accept = 0;
        for (std::size_t group = 0; group < groups; ++group) {
            if ((group_pattern[group] & (1u << lo)) != 0) {
                accept = static_cast<std::uint8_t>(accept | (1u << group));
            }
        }
        luts.lo_accept[lo] = accept;
    }

    std::array<bool, 16> offset_set{};
    for (std::size_t value = 0; value < 64; ++value) {
        const auto c = static_cast<unsigned char>(alphabet[value]);
        const std::size_t slot = (c >> 4) - (c == static_cast<unsigned char>(shifted_char) ? 1 : 0);
        const int offset = static_cast<int>(value) - static_cast<int>(c);
        if (offset_set[slot] && luts.offset[slot] != offset) {
            table_rule_violated(); // two characters need different offsets in one slot
        }
        offset_set[slot] = true;
        luts.offset[slot] = static_cast<std::int8_t>(offset);
    }
    return luts;
}

inline constexpr nibble_luts decode_luts = make_nibble_luts();

// ---------------------------------------------------------------------------------------
// SIMD encode: sextet -> character is "sextet + offset", with the offset looked up by a
// small class index computed with two saturating/compare operations:
//   class = saturating(sextet - 51), then | 13 when sextet < 26.
// That gives 13 for A..Z, 0 for a..z, 1..10 for digits, 11 for '+' and 12 for '/'.

inline constexpr std::uint8_t encode_class_cut = 51;
inline constexpr std::uint8_t encode_upper_limit = 26;
inline constexpr std::uint8_t encode_upper_class = 13;

constexpr std::uint8_t encode_class(std::uint8_t sextet) noexcept
{
    std::uint8_t cls = sextet > encode_class_cut
                           ? static_cast<std::uint8_t>(sextet - encode_class_cut)
                           : std::uint8_t{0};
    if (sextet < encode_upper_limit) {
        cls = static_cast<std::uint8_t>(cls | encode_upper_class);
    }
    return cls;
}

consteval std::array<std::int8_t, 16> make_encode_offsets()
{
    std::array<std::int8_t, 16> offsets{};
    std::array<bool, 16> set{};
    for (std::size_t value = 0; value < 64; ++value) {
        const std::uint8_t cls = encode_class(static_cast<std::uint8_t>(value));
        const int offset = static_cast<int>(static_cast<unsigned char>(alphabet[value])) -
                           static_cast<int>(value);
        if (cls >= 16 || (set[cls] && offsets[cls] != offset)) {
            table_rule_violated();
        }
        set[cls] = true;
        offsets[cls] = static_cast<std::int8_t>(offset);
    }
    return offsets;
}

inline constexpr std::array<std::int8_t, 16> encode_offsets = make_encode_offsets();

} // namespace imagine::base64::detail
// ---- end imagine/detail/base64_tables.hpp ----

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace imagine::base64::detail {

/// How far a bulk kernel got: input bytes consumed (whole quads) and bytes written.
struct bulk_progress {
    std::size_t consumed = 0;
    std::size_t written = 0;
};

constexpr std::uint64_t byte_swap64(std::uint64_t v) noexcept
{
    v = ((v & 0x00FF00FF00FF00FFULL) << 8) | ((v >> 8) & 0x00FF00FF00FF00FFULL);
    v = ((v & 0x0000FFFF0000FFFFULL) << 16) | ((v >> 16) & 0x0000FFFF0000FFFFULL);
    return (v << 32) | (v >> 32);
}

/// Reads 8 bytes so that input byte k is bits 8k..8k+7 (memcpy: no alignment needed).
inline std::uint64_t load_le64(const char* p) noexcept
{
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    if constexpr (std::endian::native == std::endian::big) {
        v = byte_swap64(v);
    }
    return v;
}

/// Writes 8 bytes so that bits 8k..8k+7 become output byte k.
inline void store_le64(char* p, std::uint64_t v) noexcept
{
    if constexpr (std::endian::native == std::endian::big) {
        v = byte_swap64(v);
    }
    std::memcpy(p, &v, sizeof v);
}

/// 8 characters -> 6 bytes in the low 48 bits; decode8_error_bits set if any was invalid.
inline std::uint64_t decode8(std::uint64_t chars) noexcept
{
    const auto& t = decode8_tables;
    // Two independent OR chains shorten the dependency chain of the eight loads.
    const std::uint64_t low = t[0][chars & 0xFF] | t[1][(chars >> 8) & 0xFF] |
                              t[2][(chars >> 16) & 0xFF] | t[3][(chars >> 24) & 0xFF];
    const std::uint64_t high = t[4][(chars >> 32) & 0xFF] | t[5][(chars >> 40) & 0xFF] |
                               t[6][(chars >> 48) & 0xFF] | t[7][chars >> 56];
    return low | high;
}

/// Bytes of input per error check in the scalar bulk loop.
inline constexpr std::size_t scalar_block = 32;

/// Decodes whole 32-byte blocks of valid characters from in[0..n) and stops before the
/// first block holding anything else ('=' included) or when too little input is left.
/// Writes stay within out[0 .. n/4*3): each 8-byte store spills 2 bytes past the 6 it
/// produces, so a block is only started when at least one more quad follows it.
inline bulk_progress decode_bulk_scalar(const char* in, std::size_t n, char* out) noexcept
{
    // The last store of a block ends 26 bytes past its start; 36 input bytes guarantee
    // 27 bytes of output room.
    constexpr std::size_t needed = scalar_block + 4;
    std::size_t i = 0;
    std::size_t o = 0;
    while (n - i >= needed) {
        const std::uint64_t w0 = decode8(load_le64(in + i));
        const std::uint64_t w1 = decode8(load_le64(in + i + 8));
        const std::uint64_t w2 = decode8(load_le64(in + i + 16));
        const std::uint64_t w3 = decode8(load_le64(in + i + 24));
        // Stored before the check: a bad block's output is garbage but within bounds, and
        // the exact path rewrites it; checking first would serialise loads and stores.
        store_le64(out + o, w0);
        store_le64(out + o + 6, w1);
        store_le64(out + o + 12, w2);
        store_le64(out + o + 18, w3);
        if (((w0 | w1 | w2 | w3) & decode8_error_bits) != 0) {
            break;
        }
        i += scalar_block;
        o += scalar_block / 4 * 3;
    }
    return {i, o};
}

/// Encodes the whole 3-byte groups of in[0..n); returns the input bytes consumed (a
/// multiple of 3). Output is exactly 4 characters per group.
inline std::size_t encode_bulk_scalar(const unsigned char* in, std::size_t n, char* out) noexcept
{
    const auto& pairs = encode_pairs;
    std::size_t i = 0;
    std::size_t o = 0;
    for (; n - i >= 3; i += 3, o += 4) {
        const std::uint32_t group = std::uint32_t{in[i]} << 16 | std::uint32_t{in[i + 1]} << 8 |
                                    std::uint32_t{in[i + 2]};
        std::memcpy(out + o, pairs[group >> 12].data(), 2);
        std::memcpy(out + o + 2, pairs[group & 0xFFF].data(), 2);
    }
    return i;
}

/// Encodes the final 1 or 2 bytes of input with '=' padding (4 characters).
inline void encode_tail(const unsigned char* in, std::size_t n, char* out) noexcept
{
    const std::uint32_t group =
        std::uint32_t{in[0]} << 16 | (n > 1 ? std::uint32_t{in[1]} << 8 : 0u);
    out[0] = alphabet[group >> 18];
    out[1] = alphabet[(group >> 12) & 63];
    out[2] = n > 1 ? alphabet[(group >> 6) & 63] : pad_char;
    out[3] = pad_char;
}

} // namespace imagine::base64::detail
// ---- end imagine/detail/base64_scalar.hpp ----
// ---- begin imagine/detail/cpu.hpp ----

// Run-time CPU feature checks for the SIMD paths. The library is compiled for the
// baseline ISA (users pass no -m flags); wider paths are compiled per function with a
// target attribute and chosen once at run time.

#if defined(__x86_64__) || defined(__i386__)
#define IMAGINE_X86 1
#define IMAGINE_TARGET_AVX2 __attribute__((target("avx2")))
#else
#define IMAGINE_X86 0
#define IMAGINE_TARGET_AVX2
#endif

namespace imagine::detail {

/// True when the running CPU (and the OS, for the wide registers) supports AVX2.
/// The answer is computed once; later calls read a cached value.
inline bool cpu_has_avx2() noexcept
{
#if IMAGINE_X86
    static const bool has = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") != 0;
    }();
    return has;
#else
    return false;
#endif
}

} // namespace imagine::detail
// ---- end imagine/detail/cpu.hpp ----

#include <cstddef>
#include <cstdint>

#if IMAGINE_X86
#include <immintrin.h>
#endif

namespace imagine::base64::detail {

/// True when this build contains the AVX2 kernels (x86 only); the CPU may still lack AVX2.
inline constexpr bool avx2_compiled = IMAGINE_X86 != 0;

#if IMAGINE_X86

IMAGINE_TARGET_AVX2 inline __m256i broadcast_lut(const void* sixteen_bytes) noexcept
{
    return _mm256_broadcastsi128_si256(
        _mm_loadu_si128(static_cast<const __m128i*>(sixteen_bytes)));
}

/// Constants of the decode kernel, built once per call so the loop keeps them in registers.
struct avx2_decode_constants {
    __m256i lo_accept;
    __m256i hi_class;
    __m256i offset;
    __m256i low_nibble;
    __m256i shifted_char;
    __m256i merge_pairs;
    __m256i merge_quads;
    __m256i gather_bytes;
};

IMAGINE_TARGET_AVX2 inline avx2_decode_constants make_avx2_decode_constants() noexcept
{
    avx2_decode_constants k;
    k.lo_accept = broadcast_lut(decode_luts.lo_accept.data());
    k.hi_class = broadcast_lut(decode_luts.hi_class.data());
    k.offset = broadcast_lut(decode_luts.offset.data());
    k.low_nibble = _mm256_set1_epi8(0x0F);
    k.shifted_char = _mm256_set1_epi8(shifted_char);
    // Sextets a,b,c,d (memory order) -> 16-bit a*64+b and c*64+d -> 32-bit
    // (a*64+b)*4096 + (c*64+d), i.e. the 24-bit group with its first byte in bits 16..23.
    k.merge_pairs = _mm256_set1_epi32(0x01400140);
    k.merge_quads = _mm256_set1_epi32(0x00011000);
    // Per 128-bit lane: take bytes 2,1,0 of each 32-bit group (big-endian output order)
    // into the first 12 bytes. The lanes are stored separately rather than joined with
    // a cross-lane permute: a 128-bit extract to memory is a plain store on x86, so this
    // saves a shuffle-port uop per block.
    k.gather_bytes = _mm256_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1,
                                      2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    return k;
}

/// Classification of 32 characters: all valid exactly when valid32(classes) holds.
struct char_classes {
    __m256i accepted; // per byte: groups that accept its low nibble
    __m256i group;    // per byte: the group bit of its high nibble
};

/// 32 characters -> 32 sextets (garbage where a character is invalid).
IMAGINE_TARGET_AVX2 inline __m256i translate32(const avx2_decode_constants& k, __m256i chars,
                                               char_classes& classes) noexcept
{
    // The shift drags bits across byte boundaries; the mask keeps each byte's own high
    // nibble and clears bit 7, which would make pshufb return zero.
    const __m256i hi = _mm256_and_si256(_mm256_srli_epi32(chars, 4), k.low_nibble);
    classes.accepted = _mm256_shuffle_epi8(k.lo_accept, chars);
    classes.group = _mm256_shuffle_epi8(k.hi_class, hi);
    const __m256i slot = _mm256_add_epi8(hi, _mm256_cmpeq_epi8(chars, k.shifted_char));
    return _mm256_add_epi8(chars, _mm256_shuffle_epi8(k.offset, slot));
}

IMAGINE_TARGET_AVX2 inline bool valid32(const char_classes& classes) noexcept
{
    // testc: (~accepted & group) == 0, i.e. every byte's group accepts its low nibble.
    return _mm256_testc_si256(classes.accepted, classes.group) != 0;
}

/// 32 sextets -> 24 bytes at out; writes out[0..28) (the last 4 bytes are garbage).
IMAGINE_TARGET_AVX2 inline void pack32_store(const avx2_decode_constants& k, __m256i sextets,
                                             char* out) noexcept
{
    const __m256i pairs = _mm256_maddubs_epi16(sextets, k.merge_pairs);
    const __m256i groups = _mm256_madd_epi16(pairs, k.merge_quads);
    const __m256i bytes = _mm256_shuffle_epi8(groups, k.gather_bytes);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm256_castsi256_si128(bytes));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 12), _mm256_extracti128_si256(bytes, 1));
}

IMAGINE_TARGET_AVX2 inline __m256i load32(const char* p) noexcept
{
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

IMAGINE_TARGET_AVX2 inline void store32(char* p, __m256i v) noexcept
{
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v);
}

/// Decodes whole 32-byte blocks of valid characters from in[0..n); stops before the
/// first block holding anything else ('=' included) or when too little input is left.
/// Writes stay within out[0 .. n/4*3) although each block writes 4 bytes past its data.
IMAGINE_TARGET_AVX2 inline bulk_progress decode_bulk_avx2(const char* in, std::size_t n,
                                                          char* out) noexcept
{
    const avx2_decode_constants k = make_avx2_decode_constants();
    std::size_t i = 0;
    std::size_t o = 0;
    // A block's stores end 28 bytes past its output start; 40 input bytes give 30 of room.
    while (n - i >= 40) {
        char_classes classes;
        const __m256i sextets = translate32(k, load32(in + i), classes);
        if (!valid32(classes)) {
            break;
        }
        pack32_store(k, sextets, out + o);
        i += 32;
        o += 24;
    }
    return {i, o};
}

/// Encodes 24-byte groups of in[0..n) while at least 28 bytes remain (each round reads 28);
/// returns input bytes consumed (a multiple of 24). Writes exactly 32 characters per round.
IMAGINE_TARGET_AVX2 inline std::size_t encode_bulk_avx2(const unsigned char* in, std::size_t n,
                                                        char* out) noexcept
{
    // Per 128-bit lane, 12 input bytes s0..s11 in 4 groups of 3 are spread to 4 dwords,
    // each holding bytes (s1, s0, s2, s1) of its group: as 16-bit halves that is s0:s1
    // and s1:s2, from which each sextet is one mask plus one multiply (mulhi shifts
    // right, mullo shifts left) away from its byte in the output.
    const __m256i spread = _mm256_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10,
                                            1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10);
    // Sextets 0 (s0:s1 >> 10) and 2 (s1:s2 >> 6) land in the low byte of their halves ...
    const __m256i high_mask = _mm256_set1_epi32(0x0FC0FC00);
    const __m256i high_shift = _mm256_set1_epi32(0x04000040);
    // ... and sextets 1 ((s0:s1 >> 4) & 63) and 3 (s1:s2 & 63) in the high byte.
    const __m256i low_mask = _mm256_set1_epi32(0x003F03F0);
    const __m256i low_shift = _mm256_set1_epi32(0x01000010);
    const __m256i class_cut = _mm256_set1_epi8(static_cast<char>(encode_class_cut));
    const __m256i upper_limit = _mm256_set1_epi8(static_cast<char>(encode_upper_limit));
    const __m256i upper_class = _mm256_set1_epi8(static_cast<char>(encode_upper_class));
    const __m256i offsets = broadcast_lut(encode_offsets.data());

    std::size_t i = 0;
    std::size_t o = 0;
    for (; n - i >= 28; i += 24, o += 32) {
        const __m256i raw = _mm256_inserti128_si256(
            _mm256_castsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i))),
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i + 12)), 1);
        const __m256i groups = _mm256_shuffle_epi8(raw, spread);
        const __m256i high = _mm256_mulhi_epu16(_mm256_and_si256(groups, high_mask), high_shift);
        const __m256i low = _mm256_mullo_epi16(_mm256_and_si256(groups, low_mask), low_shift);
        const __m256i sextets = _mm256_or_si256(high, low);
        // Sextets are < 64, so the signed compare is safe.
        const __m256i cls = _mm256_or_si256(
            _mm256_subs_epu8(sextets, class_cut),
            _mm256_and_si256(_mm256_cmpgt_epi8(upper_limit, sextets), upper_class));
        store32(out + o, _mm256_add_epi8(sextets, _mm256_shuffle_epi8(offsets, cls)));
    }
    return i;
}

#else // !IMAGINE_X86: never called (cpu_has_avx2() is false); keeps callers portable.

inline bulk_progress decode_bulk_avx2(const char*, std::size_t, char*) noexcept
{
    return {};
}

inline std::size_t encode_bulk_avx2(const unsigned char*, std::size_t, char*) noexcept
{
    return 0;
}

#endif

} // namespace imagine::base64::detail
// ---- end imagine/detail/base64_avx2.hpp ----

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace imagine::base64 {

// ---------------------------------------------------------------------------------------
// Errors

enum class errc {
    invalid_character = 1,
    invalid_padding,
    truncated_input,
    non_zero_trailing_bits,
};

} // namespace imagine::base64

template <>
struct std::is_error_code_enum<imagine::base64::errc> : std::true_type {};

namespace imagine::base64 {

namespace detail {

class error_category_impl final : public std::error_category {
public:
    const char* name() const noexcept override { return "imagine.base64"; }

    std::string message(int value) const override
    {
        switch (static_cast<errc>(value)) {
        case errc::invalid_character:
            return "invalid character in base64 input";
        case errc::invalid_padding:
            return "misplaced '=' padding or data after padding in base64 input";
        case errc::truncated_input:
            return "base64 input ends in the middle of a 4-character group";
        case errc::non_zero_trailing_bits:
            return "non-canonical base64: unused bits before the padding are not zero";
        }
        return "unknown base64 error";
    }
};

} // namespace detail

/// The category of errc values (name "imagine.base64").
inline const std::error_category& category() noexcept
{
    static const detail::error_category_impl instance;
    return instance;
}

inline std::error_code make_error_code(errc e) noexcept
{
    return {static_cast<int>(e), category()};
}

/// Outcome of a decode call.
struct decode_result {
    /// Output bytes written by this call. On error: the output of every complete quad
    /// before the offending one (later bytes of the buffer may have been overwritten).
    std::size_t written = 0;
    /// Empty on success, else an errc in category().
    std::error_code error;
    /// On error, the absolute input offset described at the top of this file; on
    /// success, the total number of input bytes consumed.
    std::size_t offset = 0;

    [[nodiscard]] bool ok() const noexcept { return !error; }
};

/// Thrown only by the convenience decode overload that returns a std::string.
class decode_error : public std::system_error {
public:
    decode_error(std::error_code error, std::size_t offset)
        : std::system_error(error,
                            "base64 decoding failed at input offset " + std::to_string(offset)),
          offset_(offset)
    {
    }

    [[nodiscard]] std::size_t offset() const noexcept { return offset_; }

private:
    std::size_t offset_;
};

// ---------------------------------------------------------------------------------------
// Sizes

/// Characters produced by encoding n bytes (padding included).
constexpr std::size_t encoded_size(std::size_t n) noexcept
{
    return (n + 2) / 3 * 4;
}

/// Output room needed to decode n input characters: enough for decode() of n characters
/// and for one decoder::update() with an n-character piece (which may complete a quad
/// begun by an earlier piece). Exact for valid unpadded input.
constexpr std::size_t max_decoded_size(std::size_t n) noexcept
{
    return (n + 3) / 4 * 3;
}

// ---------------------------------------------------------------------------------------
// Internals shared by one-shot and incremental decoding

namespace detail {

enum class stream_phase : std::uint8_t {
    data,    // no '=' seen yet
    one_pad, // "xx=" seen, the quad's second '=' must come next
    closed,  // padding complete, nothing may follow
};

/// Everything the decoder must remember between pieces.
struct stream_state {
    std::size_t offset = 0;       // absolute offset of the next input byte
    std::size_t error_offset = 0; // valid when error != errc{}
    std::uint32_t bits = 0;       // sextets of the quad being assembled, first one highest
    std::uint8_t count = 0;       // sextets in bits (0..3)
    stream_phase phase = stream_phase::data;
    errc error{};                 // errc{} (zero) = no error

    [[nodiscard]] bool failed() const noexcept { return error != errc{}; }

    [[nodiscard]] bool at_quad_boundary() const noexcept
    {
        return count == 0 && phase == stream_phase::data;
    }
};

/// The exact path: decodes in[0..n) byte by byte until the end or the first error (then
/// recorded in st). Handles everything the bulk kernels refuse. Returns bytes written,
/// at most 3 per quad completed here, so n/4*3 + 3 bounds it; output for a padded final
/// quad is only written once the quad is complete.
inline std::size_t decode_exact(stream_state& st, const char* in, std::size_t n, char* out) noexcept
{
    std::size_t o = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t value = sextet_of[static_cast<unsigned char>(in[i])];
        if (value < 64 && st.phase == stream_phase::data) [[likely]] {
            st.bits = st.bits << 6 | value;
            if (++st.count == 4) {
                out[o] = static_cast<char>(st.bits >> 16);
                out[o + 1] = static_cast<char>(st.bits >> 8);
                out[o + 2] = static_cast<char>(st.bits);
                o += 3;
                st.bits = 0;
                st.count = 0;
            }
            continue;
        }

        const std::size_t at = st.offset + i;
        auto fail = [&](errc e, std::size_t where) {
            st.error = e;
            st.error_offset = where;
            st.offset = at;
            return o;
        };
        if (value == invalid_sextet) {
            return fail(errc::invalid_character, at);
        }
        if (st.phase == stream_phase::closed) {
            return fail(errc::invalid_padding, at);
        }
        if (st.phase == stream_phase::one_pad) {
            if (value != pad_sextet) {
                return fail(errc::invalid_padding, at);
            }
            out[o++] = static_cast<char>(st.bits >> 4); // 12 bits held, low 4 are zero
            st.bits = 0;
            st.count = 0;
            st.phase = stream_phase::closed;
            continue;
        }
        // First '=' of the stream. Only "xx==" and "xxx=" are valid final quads.
        if (st.count < 2) {
            return fail(errc::invalid_padding, at);
        }
        // The unused low bits of the last data character must be zero; checked here, at
        // the first '=', because this is where the character becomes the last one.
        const std::uint32_t unused_mask = st.count == 2 ? 0xF : 0x3;
        if ((st.bits & unused_mask) != 0) {
            return fail(errc::non_zero_trailing_bits, at - 1);
        }
        if (st.count == 3) {
            const std::uint32_t two_bytes = st.bits >> 2;
            out[o] = static_cast<char>(two_bytes >> 8);
            out[o + 1] = static_cast<char>(two_bytes);
            o += 2;
            st.bits = 0;
            st.count = 0;
            st.phase = stream_phase::closed;
        } else {
            st.phase = stream_phase::one_pad;
        }
    }
    st.offset += n;
    return o;
}

inline decode_result result_of(const stream_state& st, std::size_t written) noexcept
{
    if (st.failed()) {
        return {written, make_error_code(st.error), st.error_offset};
    }
    return {written, {}, st.offset};
}

/// Decodes one piece of a stream. out needs max_decoded_size(n) bytes.
template <bool UseAvx2>
inline decode_result decode_piece(stream_state& st, const char* in, std::size_t n,
                                  char* out) noexcept
{
    if (st.failed()) {
        return result_of(st, 0);
    }
    std::size_t i = 0;
    std::size_t o = 0;

    // The bulk kernels start on a quad boundary, so first finish a quad an earlier piece
    // left open. After padding everything is handled exactly (it can only be an error).
    if (!st.at_quad_boundary()) {
        const std::size_t quad_rest = 4u - st.count;
        const std::size_t head = st.phase == stream_phase::data && n > quad_rest ? quad_rest : n;
        o = decode_exact(st, in, head, out);
        i = head;
    }

    if (!st.failed() && st.at_quad_boundary()) {
        // What the kernels consume is whole valid quads, so the stream state is unchanged
        // apart from the offset. Their own output bound (rest/4*3) fits in what is left
        // of max_decoded_size(n) after the head's at most 3 bytes.
        bulk_progress done{};
        if constexpr (UseAvx2) {
            done = decode_bulk_avx2(in + i, n - i, out + o);
        }
        const bulk_progress more = decode_bulk_scalar(
            in + i + done.consumed, n - i - done.consumed, out + o + done.written);
        const std::size_t consumed = done.consumed + more.consumed;
        st.offset += consumed;
        i += consumed;
        o += done.written + more.written;
    }

    if (!st.failed()) {
        o += decode_exact(st, in + i, n - i, out + o);
    }
    return result_of(st, o);
}

inline decode_result decode_piece(bool use_avx2, stream_state& st, const char* in,
                                  std::size_t n, char* out) noexcept
{
    return use_avx2 ? decode_piece<avx2_compiled>(st, in, n, out)
                    : decode_piece<false>(st, in, n, out);
}

inline decode_result finish_stream(stream_state& st) noexcept
{
    if (!st.failed() && (st.count != 0 || st.phase == stream_phase::one_pad)) {
        st.error = errc::truncated_input;
        st.error_offset = st.offset;
    }
    return result_of(st, 0);
}

inline decode_result decode_whole(bool use_avx2, std::string_view in, char* out) noexcept
{
    stream_state st;
    const decode_result r = decode_piece(use_avx2, st, in.data(), in.size(), out);
    if (!r.ok()) {
        return r;
    }
    decode_result end = finish_stream(st);
    end.written = r.written;
    return end;
}

/// One-shot decode forced onto the scalar kernel. out needs max_decoded_size(in.size()).
inline decode_result decode_scalar(std::string_view in, char* out) noexcept
{
    return decode_whole(false, in, out);
}

/// One-shot decode forced onto the AVX2 kernel. Precondition: cpu_has_avx2().
inline decode_result decode_avx2(std::string_view in, char* out) noexcept
{
    return decode_whole(true, in, out);
}

inline std::size_t encode_with(bool use_avx2, std::span<const std::byte> bytes, char* out) noexcept
{
    const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t n = bytes.size();
    std::size_t i = 0;
    if (use_avx2) {
        i = encode_bulk_avx2(in, n, out);
    }
    const std::size_t j = i + encode_bulk_scalar(in + i, n - i, out + i / 3 * 4);
    if (j < n) {
        encode_tail(in + j, n - j, out + j / 3 * 4);
    }
    return encoded_size(n);
}

/// Encode forced onto the scalar kernel; out needs encoded_size(in.size()).
inline std::size_t encode_scalar(std::string_view in, char* out) noexcept
{
    return encode_with(false, std::as_bytes(std::span(in.data(), in.size())), out);
}

/// Encode forced onto the AVX2 kernel. Precondition: cpu_has_avx2().
inline std::size_t encode_avx2(std::string_view in, char* out) noexcept
{
    return encode_with(true, std::as_bytes(std::span(in.data(), in.size())), out);
}

inline bool use_avx2() noexcept
{
    return avx2_compiled && ::imagine::detail::cpu_has_avx2();
}

} // namespace detail

// ---------------------------------------------------------------------------------------
// Encoding

/// Writes encoded_size(in.size()) characters to out; returns that count.
inline std::size_t encode(std::span<const std::byte> in, char* out) noexcept
{
    return detail::encode_with(detail::use_avx2(), in, out);
}

inline std::size_t encode(std::string_view in, char* out) noexcept
{
    return encode(std::as_bytes(std::span(in.data(), in.size())), out);
}

inline std::string encode(std::span<const std::byte> in)
{
    std::string out(encoded_size(in.size()), '\0');
    encode(in, out.data());
    return out;
}

inline std::string encode(std::string_view in)
{
    return encode(std::as_bytes(std::span(in.data(), in.size())));
}

// ---------------------------------------------------------------------------------------
// One-shot decoding

/// Decodes in to out, which needs max_decoded_size(in.size()) bytes.
inline decode_result decode(std::string_view in, char* out) noexcept
{
    return detail::decode_whole(detail::use_avx2(), in, out);
}

inline decode_result decode(std::string_view in, std::byte* out) noexcept
{
    return decode(in, reinterpret_cast<char*>(out));
}

/// Appends the decoded bytes to out. On error out keeps what was decoded before the
/// offending quad (see decode_result::written).
inline decode_result decode(std::string_view in, std::string& out)
{
    const std::size_t old_size = out.size();
    out.resize(old_size + max_decoded_size(in.size()));
    const decode_result r = decode(in, out.data() + old_size);
    out.resize(old_size + r.written);
    return r;
}

/// Convenience: returns the decoded bytes or throws decode_error (with the offset).
inline std::string decode(std::string_view in)
{
    std::string out;
    const decode_result r = decode(in, out);
    if (!r.ok()) {
        throw decode_error(r.error, r.offset);
    }
    return out;
}

// ---------------------------------------------------------------------------------------
// Incremental decoding

/// Which bulk kernel to use; for tests and benchmarks, normally left automatic.
enum class implementation {
    automatic, // AVX2 if the CPU has it, else scalar
    scalar,
    avx2,      // falls back to scalar if the CPU lacks AVX2
};

/// Decodes a base64 stream fed in pieces of any size (a quad may straddle pieces).
/// Output is written as soon as each quad is complete; error offsets count from the
/// start of the stream. The large middle of each piece goes through the bulk kernels.
///
///     imagine::base64::decoder dec;
///     std::vector<char> buf(imagine::base64::max_decoded_size(piece_capacity));
///     for (each piece) {
///         auto r = dec.update(piece, buf.data());
///         if (!r.ok()) ...;            // r.error, r.offset (absolute)
///         file.write(buf.data(), r.written);
///     }
///     if (auto r = dec.finish(); !r.ok()) ...;   // e.g. truncated_input
///
/// After an error every call returns the same error and consumes nothing.
class decoder {
public:
    decoder() noexcept = default;

    explicit decoder(implementation impl) noexcept
        : use_avx2_(impl != implementation::scalar && detail::use_avx2())
    {
    }

    /// Decodes the next piece into out, which needs max_decoded_size(piece.size())
    /// bytes. result.written counts this call's bytes; result.offset is absolute.
    decode_result update(std::string_view piece, char* out) noexcept
    {
        return detail::decode_piece(use_avx2_, state_, piece.data(), piece.size(), out);
    }

    decode_result update(std::string_view piece, std::byte* out) noexcept
    {
        return update(piece, reinterpret_cast<char*>(out));
    }

    /// Decodes the next piece and appends its output to out.
    decode_result update(std::string_view piece, std::string& out)
    {
        const std::size_t old_size = out.size();
        out.resize(old_size + max_decoded_size(piece.size()));
        const decode_result r = update(piece, out.data() + old_size);
        out.resize(old_size + r.written);
        return r;
    }

    /// Declares the end of input: errc::truncated_input if it stopped inside a quad.
    /// Writes nothing (result.written is 0); may be called more than once.
    decode_result finish() noexcept { return detail::finish_stream(state_); }

    /// Total input bytes accepted so far (up to the error offset after an error).
    [[nodiscard]] std::size_t consumed() const noexcept { return state_.offset; }

    /// Starts a new stream, keeping the implementation choice.
    void reset() noexcept { state_ = {}; }

private:
    detail::stream_state state_;
    bool use_avx2_ = detail::use_avx2();
};

} // namespace imagine::base64
// ---- end imagine/base64.hpp ----
// ---- begin imagine/json/enum.hpp ----

// Enums travel as their wire names, declared in meta<E>::values.

// ---- begin imagine/json/meta.hpp ----

// Customisation point of the JSON layer. Specialise `imagine::json::meta<T>` to change how
// a type is read and written; a type without a specialisation uses the defaults:
// aggregates by their member names, enums are rejected (they need wire names).
//
//   template <> struct imagine::json::meta<my_request> {
//       // C++ member name -> key on the wire
//       static constexpr json::rename renames[] = {{"default_", "default"}};
//   };
//   template <> struct imagine::json::meta<partial_image_event> {
//       // value of the "type" member that selects this alternative of a std::variant
//       static constexpr std::string_view tag = "image_generation.partial_image";
//   };
//   template <> struct imagine::json::meta<quality> {
//       static constexpr std::pair<quality, std::string_view> values[] = {
//           {quality::low, "low"}, {quality::high, "high"}};
//       static constexpr quality unknown = quality::unknown;  // optional: read-side fallback
//   };
//   template <> struct imagine::json::meta<not_an_aggregate> {
//       // explicit member list, for classes that are not aggregates
//       static constexpr auto members =
//           std::make_tuple(json::member("id", &not_an_aggregate::id_));
//   };

#include <concepts>
#include <string_view>
#include <type_traits>

namespace imagine::json {

template <class T>
struct meta {};

/// One entry of `meta<T>::renames`: the C++ member name and the key it has on the wire.
struct rename {
    std::string_view member;
    std::string_view key;
};

/// One entry of `meta<T>::members` for classes that are not aggregates.
template <class Class, class Member>
struct member_descriptor {
    std::string_view key;
    Member Class::*pointer;
};

template <class Class, class Member>
constexpr member_descriptor<Class, Member> member(std::string_view key, Member Class::*pointer)
{
    return {key, pointer};
}

namespace detail {

template <class T>
concept has_meta_members = requires { meta<T>::members; };

template <class T>
concept has_meta_renames = requires { meta<T>::renames; };

template <class T>
concept has_meta_tag = requires {
    { meta<T>::tag } -> std::convertible_to<std::string_view>;
};

template <class T>
concept has_meta_values = std::is_enum_v<T> && requires { meta<T>::values; };

template <class T>
concept has_meta_unknown = std::is_enum_v<T> && requires {
    { meta<T>::unknown } -> std::convertible_to<T>;
};

template <class T>
concept has_meta_tag_key = requires {
    { meta<T>::tag_key } -> std::convertible_to<std::string_view>;
};

} // namespace detail

/// The key that discriminates the alternatives of variant `V` ("type" unless
/// `meta<V>::tag_key` says otherwise).
template <class V>
constexpr std::string_view tag_key_v = [] {
    if constexpr (detail::has_meta_tag_key<V>)
        return std::string_view{meta<V>::tag_key};
    else
        return std::string_view{"type"};
}();

} // namespace imagine::json
// ---- end imagine/json/meta.hpp ----

#include <optional>
#include <string_view>
#include <type_traits>

namespace imagine::json {

template <class E>
concept named_enum = detail::has_meta_values<E>;

/// The wire name of `e`, or an empty view when the value has no name.
template <named_enum E>
constexpr std::string_view enum_to_string(E e) noexcept
{
    for (const auto& [value, name] : meta<E>::values)
        if (value == e)
            return name;
    return {};
}

/// The value named `name`; `meta<E>::unknown` (when declared) for a name the table lacks,
/// else nothing.
template <named_enum E>
constexpr std::optional<E> enum_from_string(std::string_view name) noexcept
{
    for (const auto& [value, n] : meta<E>::values)
        if (n == name)
            return value;
    if constexpr (detail::has_meta_unknown<E>)
        return E{meta<E>::unknown};
    else
        return std::nullopt;
}

} // namespace imagine::json
// ---- end imagine/json/enum.hpp ----
// ---- begin imagine/json/error.hpp ----

// Errors of the JSON layer: an error code, and for reading, where it happened (byte offset
// and JSON path) so that a bad response names the field at fault.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <system_error>
#include <type_traits>

namespace imagine::json {

enum class error {
    unexpected_end = 1,      // the text ended inside a value
    syntax_error,            // a character that the grammar does not allow here
    invalid_number,          // a number that breaks RFC 8259's grammar
    number_out_of_range,     // does not fit the target type
    invalid_escape,          // backslash followed by something that is no escape
    invalid_unicode_escape,  // bad \u escape: not hex, or a lone surrogate
    control_character,       // raw byte below 0x20 inside a string
    invalid_utf8,            // a string that is not UTF-8
    type_mismatch,           // e.g. a string where an integer belongs
    missing_member,          // a required member is absent
    unknown_enum_value,      // a string that names no value of the enum
    unknown_variant_tag,     // no alternative of the variant has this "type"
    depth_exceeded,          // nested deeper than read_options::max_depth
    trailing_characters,     // more than whitespace after the value
    wrong_array_size,        // std::array read from an array of another length
    not_representable,       // writing: NaN, infinity, or an enum value without a name
    unknown_member,          // with read_options::error_on_unknown_keys
};

namespace detail {

class error_category_impl final : public std::error_category {
public:
    const char* name() const noexcept override { return "imagine.json"; }

    std::string message(int value) const override
    {
        switch (static_cast<error>(value)) {
        case error::unexpected_end: return "unexpected end of input";
        case error::syntax_error: return "syntax error";
        case error::invalid_number: return "invalid number";
        case error::number_out_of_range: return "number out of range";
        case error::invalid_escape: return "invalid escape sequence";
        case error::invalid_unicode_escape: return "invalid \\u escape";
        case error::control_character: return "control character in string";
        case error::invalid_utf8: return "invalid UTF-8";
        case error::type_mismatch: return "type mismatch";
        case error::missing_member: return "missing required member";
        case error::unknown_enum_value: return "unknown enum value";
        case error::unknown_variant_tag: return "unknown variant tag";
        case error::depth_exceeded: return "nesting too deep";
        case error::trailing_characters: return "trailing characters after the value";
        case error::wrong_array_size: return "wrong array size";
        case error::not_representable: return "value not representable in JSON";
        case error::unknown_member: return "unknown member";
        }
        return "unknown imagine.json error";
    }
};

} // namespace detail

inline const std::error_category& error_category() noexcept
{
    static const detail::error_category_impl instance;
    return instance;
}

inline std::error_code make_error_code(error e) noexcept
{
    return {static_cast<int>(e), error_category()};
}

/// The outcome of a read: empty on success (tests false), else what went wrong and where.
struct read_error {
    std::error_code code;
    std::size_t offset = 0;  // byte offset into the text
    std::string path;        // JSON path of the value at fault, e.g. "$.data[0].usage"
    std::string detail;      // e.g. "expected integer, found string"

    explicit operator bool() const noexcept { return static_cast<bool>(code); }

    /// "$.data[0].usage.input_tokens: expected integer, found string (at byte 123)"
    std::string message() const
    {
        std::string out = path.empty() ? std::string("$") : path;
        out += ": ";
        out += detail.empty() ? code.message() : detail;
        out += " (at byte ";
        out += std::to_string(offset);
        out += ')';
        return out;
    }
};

/// Thrown by the throwing forms of read; carries the whole read_error.
class read_exception : public std::system_error {
public:
    explicit read_exception(read_error e)
        : std::system_error(e.code, e.message()), error_(std::move(e))
    {
    }

    const read_error& details() const noexcept { return error_; }

private:
    read_error error_;
};

/// Thrown by write for values JSON cannot express (NaN, an enum value without a name).
class write_exception : public std::system_error {
public:
    write_exception(error e, const std::string& what) : std::system_error(make_error_code(e), what)
    {
    }
};

} // namespace imagine::json

template <>
struct std::is_error_code_enum<imagine::json::error> : std::true_type {};
// ---- end imagine/json/error.hpp ----
// ---- begin imagine/json/read.hpp ----

// JSON text straight into C++ types, with no intermediate document.
//
//   image_response r;
//   if (json::read_error e = json::read(text, r))
//       log(e.message());         // "$.data[0].b64_json: expected string, found null (at byte 57)"
//   auto r2 = json::read<image_response>(text);   // throws json::read_exception
//
// Supported: bool, integers (range-checked), float/double, std::string, enums with
// meta<E>::values, std::optional (null or absent -> empty), std::vector, std::array,
// string-keyed maps, std::variant (by JSON kind, objects by their "type" member),
// std::monostate / std::nullptr_t (null), json::value, and reflectable structs: unknown
// keys are skipped, members that are not std::optional are required.

// ---- begin imagine/json/detail/reader.hpp ----

// The lexical half of the reader: a cursor over the text with the error state, and the
// tokens every typed read is built from (strings, numbers, literals, skipping a value).
// Grammar: RFC 8259.
//
// Functions return false on error after recording it with fail(); callers add their path
// segment while the failure unwinds, so the success path does no path bookkeeping.

// ---- begin imagine/json/detail/scan.hpp ----

// Byte scanning shared by the reader and the writer. A base64 image is one JSON string of
// several megabytes, so strings are searched 32 or 64 bytes at a time for the few bytes
// that need attention, and copied in one piece.


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
// ---- end imagine/json/detail/scan.hpp ----

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

namespace imagine::json {

struct read_options {
    /// Deepest nesting of arrays and objects accepted; deeper input is an error rather
    /// than a stack overflow.
    std::size_t max_depth = 128;
    /// Reject members a struct does not declare instead of skipping them. Off by default:
    /// the API adds fields, and a client must keep working when it does.
    bool error_on_unknown_keys = false;
};

namespace detail {

struct number_token {
    const char* begin;
    const char* end;
    bool integer;  // no fraction, no exponent
};

class reader {
public:
    reader(std::string_view text, const read_options& options) noexcept
        : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()), options_(options)
    {
    }

    // ------------------------------------------------------------------ cursor
    const char* position() const noexcept { return p_; }
    void rewind(const char* p) noexcept { p_ = p; }
    void rewind(const char* p, std::size_t depth) noexcept
    {
        p_ = p;
        depth_ = depth;
    }
    std::size_t depth() const noexcept { return depth_; }
    bool at_end() const noexcept { return p_ == end_; }
    const read_options& options() const noexcept { return options_; }

    void skip_whitespace() noexcept
    {
        while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t'))
            ++p_;
    }

    /// The next byte, or 0 at the end (0 is never valid there, so it reads as an error).
    char peek() const noexcept { return p_ != end_ ? *p_ : '\0'; }

    bool consume(char c) noexcept
    {
        if (p_ != end_ && *p_ == c) {
            ++p_;
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ errors
    bool fail(error code, std::string detail = {})
    {
        code_ = code;
        error_at_ = p_;
        detail_ = std::move(detail);
        return false;
    }

    bool fail_at(const char* at, error code, std::string detail = {})
    {
        fail(code, std::move(detail));
        error_at_ = at;
        return false;
    }

    /// "expected X, found Y", or the syntax error the next byte really is.
    bool fail_expected(const char* what)
    {
        if (p_ == end_)
            return fail(error::unexpected_end, std::string("expected ") + what + ", found end of input");
        return fail(describe_next() == nullptr ? error::syntax_error : error::type_mismatch,
            std::string("expected ") + what + ", found " + found_text());
    }

    bool fail_syntax(const char* expected)
    {
        if (p_ == end_)
            return fail(error::unexpected_end, std::string("expected ") + expected + ", found end of input");
        return fail(error::syntax_error, std::string("expected ") + expected + ", found " + found_text());
    }

    void push_key(std::string_view key)
    {
        bool plain = !key.empty();
        for (char c : key)
            plain = plain && (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                 (c >= '0' && c <= '9'));
        if (plain) {
            path_.push_back("." + std::string(key));
        } else {
            std::string segment = "[\"";
            for (char c : key) {
                if (c == '"' || c == '\\')
                    segment += '\\';
                segment += c;
            }
            path_.push_back(segment + "\"]");
        }
    }

    void push_index(std::size_t i) { path_.push_back("[" + std::to_string(i) + "]"); }

    read_error take_error()
    {
        read_error e;
        e.code = make_error_code(code_);
        e.offset = static_cast<std::size_t>(error_at_ - begin_);
        e.path = "$";
        for (auto it = path_.rbegin(); it != path_.rend(); ++it)
            e.path += *it;
        e.detail = std::move(detail_);
        return e;
    }

    /// Forgets an error (after a failed look-ahead).
    void clear_error() noexcept
    {
        code_ = error{};
        path_.clear();
    }

    // ------------------------------------------------------------------ nesting
    void leave() noexcept { --depth_; }

    /// Opens an array or object: more = false when it is empty (and then already closed).
    bool open(char open, char close, const char* what, bool& more)
    {
        if (!consume(open))
            return fail_expected(what);
        if (++depth_ > options_.max_depth)
            return fail_at(p_ - 1, error::depth_exceeded,
                "nesting deeper than " + std::to_string(options_.max_depth) + " levels");
        skip_whitespace();
        more = !consume(close);
        if (!more)
            leave();
        return true;
    }

    /// After a member or element: true and more = true after ',', more = false after the
    /// closing bracket.
    bool next_in(char close, bool& more)
    {
        skip_whitespace();
        if (consume(',')) {
            skip_whitespace();
            more = true;
            return true;
        }
        if (consume(close)) {
            more = false;
            leave();
            return true;
        }
        return fail_syntax(close == '}' ? "',' or '}'" : "',' or ']'");
    }

    // ------------------------------------------------------------------ literals
    bool literal(std::string_view word)
    {
        if (static_cast<std::size_t>(end_ - p_) >= word.size() &&
            std::memcmp(p_, word.data(), word.size()) == 0) {
            p_ += word.size();
            return true;
        }
        return fail(error::syntax_error, "invalid literal, expected '" + std::string(word) + "'");
    }

    // ------------------------------------------------------------------ strings
    /// Reads a string value (cursor on the opening quote) into out.
    bool string(std::string& out)
    {
        if (!consume('"'))
            return fail_expected("string");
        out.clear();
        return string_body(out);
    }

    /// Reads an object key and the ':' after it. The view points into the text when the
    /// key has no escapes, else into a scratch buffer valid until the next key.
    bool key(std::string_view& out)
    {
        if (!consume('"'))
            return fail_syntax("'\"' to start a member name");
        const char* start = p_;
        const char* stop = find_string_special(p_, end_);
        if (stop != end_ && *stop == '"') {
            out = {start, static_cast<std::size_t>(stop - start)};
            p_ = stop + 1;
        } else {
            scratch_.clear();
            if (!string_body(scratch_))
                return false;
            out = scratch_;
        }
        skip_whitespace();
        if (!consume(':'))
            return fail_syntax("':'");
        skip_whitespace();
        return true;
    }

    /// True if the view from key() lives in the scratch buffer (and so must be copied
    /// before the next key is read).
    bool in_scratch(std::string_view v) const noexcept { return v.data() == scratch_.data(); }

    /// Validates a string without keeping it.
    bool skip_string()
    {
        if (!consume('"'))
            return fail_expected("string");
        return string_body(discard_);
    }

    // ------------------------------------------------------------------ numbers
    /// Validates number grammar: -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?
    bool number(number_token& t)
    {
        const char* start = p_;
        auto digit = [&] { return p_ != end_ && *p_ >= '0' && *p_ <= '9'; };
        consume('-');
        if (!digit())
            return p_ == end_ && p_ != start ? fail(error::unexpected_end, "number ends early")
                                              : fail_expected("number");
        if (*p_ == '0') {
            ++p_;
            if (digit())
                return fail(error::invalid_number, "leading zero in number");
        } else {
            while (digit())
                ++p_;
        }
        bool integer = true;
        if (consume('.')) {
            integer = false;
            if (!digit())
                return fail(p_ == end_ ? error::unexpected_end : error::invalid_number,
                    "expected digit after '.'");
            while (digit())
                ++p_;
        }
        if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
            integer = false;
            ++p_;
            if (!consume('+'))
                consume('-');
            if (!digit())
                return fail(p_ == end_ ? error::unexpected_end : error::invalid_number,
                    "expected digit in exponent");
            while (digit())
                ++p_;
        }
        t = {start, p_, integer};
        return true;
    }

    template <class I>
    bool integer(I& out)
    {
        const char* start = p_;
        number_token t;
        if (!number(t))
            return false;
        if (!t.integer)
            return fail_at(start, error::type_mismatch,
                "expected integer, found number with fraction or exponent");
        bool negative = *t.begin == '-';
        std::uint64_t magnitude = 0;
        for (const char* d = t.begin + negative; d != t.end; ++d) {
            unsigned digit = static_cast<unsigned>(*d - '0');
            if (magnitude > (std::numeric_limits<std::uint64_t>::max() - digit) / 10)
                return out_of_range<I>(start);
            magnitude = magnitude * 10 + digit;
        }
        if constexpr (std::is_signed_v<I>) {
            using U = std::make_unsigned_t<I>;
            const std::uint64_t limit = static_cast<U>(std::numeric_limits<I>::max()) + (negative ? 1u : 0u);
            if (magnitude > limit)
                return out_of_range<I>(start);
            // Two's complement wrap is defined for unsigned; the cast back is exact here.
            out = negative ? static_cast<I>(static_cast<U>(0u - magnitude)) : static_cast<I>(magnitude);
        } else {
            if (negative && magnitude != 0)
                return out_of_range<I>(start);
            if (magnitude > std::numeric_limits<I>::max())
                return out_of_range<I>(start);
            out = static_cast<I>(magnitude);
        }
        return true;
    }

    template <class F>
    bool floating(F& out)
    {
        const char* start = p_;
        number_token t;
        if (!number(t))
            return false;
        auto [ptr, ec] = std::from_chars(t.begin, t.end, out);
        if (ec == std::errc::result_out_of_range && decimal_exponent(t) < 0) {
            // Too small to represent: rounds to zero, as RFC 8259 readers do.
            out = *t.begin == '-' ? -F{0} : F{0};
            return true;
        }
        if (ec == std::errc::result_out_of_range)
            return fail_at(start, error::number_out_of_range,
                "number does not fit " + std::string(sizeof(F) == sizeof(float) ? "float" : "double"));
        if (ec != std::errc{} || ptr != t.end)
            return fail_at(start, error::invalid_number);
        return true;
    }

    // ------------------------------------------------------------------ any value
    bool skip_value()
    {
        switch (peek()) {
        case '"': return skip_string();
        case '{': {
            bool more;
            if (!open('{', '}', "object", more))
                return false;
            while (more) {
                std::string_view k;
                if (!key(k) || !skip_value() || !next_in('}', more))
                    return false;
            }
            return true;
        }
        case '[': {
            bool more;
            if (!open('[', ']', "array", more))
                return false;
            while (more)
                if (!skip_value() || !next_in(']', more))
                    return false;
            return true;
        }
        case 't': return literal("true");
        case 'f': return literal("false");
        case 'n': return literal("null");
        default: {
            number_token t;
            return number(t);
        }
        }
    }

    bool at_number() const noexcept
    {
        char c = peek();
        return c == '-' || (c >= '0' && c <= '9');
    }

    /// Power of ten of the first significant digit of a validated number token (only
    /// its sign matters: it tells underflow from overflow). 0 for zero.
    static long long decimal_exponent(const number_token& t) noexcept
    {
        const char* p = t.begin + (*t.begin == '-');
        long long position = 0;  // of the first significant digit, relative to the units
        const char* int_end = p;
        while (int_end != t.end && *int_end >= '0' && *int_end <= '9')
            ++int_end;
        if (!(int_end - p == 1 && *p == '0')) {
            position = int_end - p - 1;
        } else if (int_end != t.end && *int_end == '.') {
            const char* f = int_end + 1;
            while (f != t.end && *f == '0')
                ++f;
            if (f == t.end || *f < '0' || *f > '9')
                return 0;
            position = -(f - int_end);
        } else {
            return 0;
        }
        long long exponent = 0;
        const char* e = int_end;
        while (e != t.end && *e != 'e' && *e != 'E')
            ++e;
        if (e != t.end) {
            ++e;
            bool negative = *e == '-';
            if (*e == '-' || *e == '+')
                ++e;
            for (; e != t.end; ++e)
                exponent = exponent < 1'000'000'000 ? exponent * 10 + (*e - '0') : exponent;
            if (negative)
                exponent = -exponent;
        }
        return position + exponent;
    }

    /// Kind of the value that starts at the cursor, for messages; nullptr if none does.
    const char* describe_next() const noexcept
    {
        switch (peek()) {
        case '"': return "string";
        case '{': return "object";
        case '[': return "array";
        case 't':
        case 'f': return "boolean";
        case 'n': return "null";
        case '-':
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9': return "number";
        default: return nullptr;
        }
    }

private:
    struct discard_sink {
        void push_back(char) noexcept {}
    };

    template <class I>
    bool out_of_range(const char* start)
    {
        return fail_at(start, error::number_out_of_range,
            "integer out of range [" + std::to_string(std::numeric_limits<I>::min()) + ", " +
                std::to_string(std::numeric_limits<I>::max()) + "]");
    }

    std::string found_text() const
    {
        if (const char* kind = describe_next())
            return kind;
        unsigned char c = static_cast<unsigned char>(*p_);
        if (c >= 0x20 && c < 0x7F)
            return std::string("'") + static_cast<char>(c) + "'";
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", c);
        return std::string("byte ") + hex;
    }

    // Cursor just after the opening quote. Appends the decoded content to out; plain runs
    // are found with the SIMD scan and appended whole.
    template <class Out>
    bool string_body(Out& out)
    {
        for (;;) {
            p_ = scan_and_copy(out, p_);
            if (p_ == end_)
                return fail(error::unexpected_end, "unterminated string");
            const unsigned char c = static_cast<unsigned char>(*p_);
            if (c == '"') {
                ++p_;
                trim(out);
                return true;
            }
            if (c == '\\') {
                if (!escape(out))
                    return false;
            } else if (c < 0x20) {
                return fail(error::control_character,
                    "unescaped control character in string");
            } else {
                std::size_t n = utf8_sequence_length(p_, end_);
                if (n == 0)
                    return fail(error::invalid_utf8, "invalid UTF-8 in string");
                append(out, p_, p_ + n);
                p_ += n;
            }
        }
    }

    // Finds the next special byte from `from` and appends the plain run before it. Long
    // runs (base64 images) go in blocks that fit the L1 cache, each copied while still hot
    // from the scan, into a buffer reserved once: a single pass over memory instead of a
    // scan followed by a copy. The reservation is the rest of the text, an upper bound on
    // the string; an oversized buffer is trimmed at the end.
    const char* scan_and_copy(std::string& out, const char* from)
    {
        constexpr std::size_t block = 16 * 1024;
        if (static_cast<std::size_t>(end_ - from) <= block) {
            const char* stop = find_string_special(from, end_);
            append(out, from, stop);
            return stop;
        }
        const char* stop = find_string_special(from, from + block);
        if (stop != from + block) {
            append(out, from, stop);
            return stop;
        }
        out.reserve(out.size() + static_cast<std::size_t>(end_ - from));
        for (;;) {
            append(out, from, stop);
            from = stop;
            const char* limit = static_cast<std::size_t>(end_ - from) > block ? from + block : end_;
            stop = find_string_special(from, limit);
            if (stop != limit || limit == end_)
                break;
        }
        append(out, from, stop);
        return stop;
    }

    // The reservation above may exceed the string by the rest of the document; give it
    // back once the string is complete (once, not per run: runs between escapes would
    // otherwise reallocate again and again).
    static void trim(std::string& out)
    {
        if (out.capacity() - out.size() > out.size() / 8 + 4096)
            out.shrink_to_fit();
    }
    static void trim(discard_sink&) noexcept {}

    const char* scan_and_copy(discard_sink&, const char* from) noexcept
    {
        return find_string_special(from, end_);
    }

    static void append(std::string& out, const char* from, const char* to)
    {
        out.append(from, static_cast<std::size_t>(to - from));
    }
    static void append(discard_sink&, const char*, const char*) noexcept {}

    bool hex4(std::uint32_t& out)
    {
        out = 0;
        for (int i = 0; i < 4; ++i, ++p_) {
            if (p_ == end_)
                return fail(error::unexpected_end, "\\u escape ends early");
            char c = *p_;
            unsigned v;
            if (c >= '0' && c <= '9')
                v = static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f')
                v = static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                v = static_cast<unsigned>(c - 'A' + 10);
            else
                return fail(error::invalid_unicode_escape, "expected 4 hex digits after \\u");
            out = out << 4 | v;
        }
        return true;
    }

    // Cursor on the backslash.
    template <class Out>
    bool escape(Out& out)
    {
        const char* at = p_++;
        if (p_ == end_)
            return fail(error::unexpected_end, "string ends inside an escape");
        char c = *p_++;
        switch (c) {
        case '"': out.push_back('"'); return true;
        case '\\': out.push_back('\\'); return true;
        case '/': out.push_back('/'); return true;
        case 'b': out.push_back('\b'); return true;
        case 'f': out.push_back('\f'); return true;
        case 'n': out.push_back('\n'); return true;
        case 'r': out.push_back('\r'); return true;
        case 't': out.push_back('\t'); return true;
        case 'u': break;
        default: return fail_at(at, error::invalid_escape, "invalid escape sequence");
        }
        std::uint32_t cp;
        if (!hex4(cp))
            return false;
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return fail_at(at, error::invalid_unicode_escape, "lone low surrogate in \\u escape");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t low;
            if (static_cast<std::size_t>(end_ - p_) < 2 || p_[0] != '\\' || p_[1] != 'u')
                return fail_at(at, error::invalid_unicode_escape,
                    "high surrogate not followed by a low surrogate");
            p_ += 2;
            if (!hex4(low))
                return false;
            if (low < 0xDC00 || low > 0xDFFF)
                return fail_at(at, error::invalid_unicode_escape,
                    "high surrogate not followed by a low surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(out, cp);
        return true;
    }

    const char* begin_;
    const char* p_;
    const char* end_;
    read_options options_;
    std::size_t depth_ = 0;

    error code_{};
    const char* error_at_ = nullptr;
    std::string detail_;
    std::vector<std::string> path_;  // innermost segment first
    std::string scratch_;
    discard_sink discard_;
};

} // namespace detail
} // namespace imagine::json
// ---- end imagine/json/detail/reader.hpp ----
// ---- begin imagine/json/detail/traits.hpp ----

// Type categories shared by the reader and the writer.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace imagine::json::detail {

template <class T, template <class...> class Template>
inline constexpr bool is_specialization_v = false;
template <template <class...> class Template, class... A>
inline constexpr bool is_specialization_v<Template<A...>, Template> = true;

template <class T>
concept optional_like = is_specialization_v<T, std::optional>;

template <class T>
concept vector_like = is_specialization_v<T, std::vector>;

template <class T>
inline constexpr bool is_std_array_v = false;
template <class E, std::size_t N>
inline constexpr bool is_std_array_v<std::array<E, N>> = true;

template <class T>
concept std_array = is_std_array_v<T>;

template <class T>
concept variant_like = is_specialization_v<T, std::variant>;

/// std::map, std::unordered_map and the like, keyed by std::string.
template <class T>
concept string_map = requires {
    typename T::key_type;
    typename T::mapped_type;
} && std::is_same_v<typename T::key_type, std::string>;

/// Integers JSON numbers map to. Plain `char` is left out: it means text, not a number.
template <class T>
concept json_integer = std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                       !std::is_same_v<T, char> && !std::is_same_v<T, char8_t> &&
                       !std::is_same_v<T, char16_t> && !std::is_same_v<T, char32_t> &&
                       !std::is_same_v<T, wchar_t>;

template <class T>
concept null_like = std::is_same_v<T, std::nullptr_t> || std::is_same_v<T, std::monostate>;

template <class T>
inline constexpr bool always_false_v = false;

} // namespace imagine::json::detail
// ---- end imagine/json/detail/traits.hpp ----
// ---- begin imagine/json/reflect.hpp ----

// Compile-time reflection of aggregates: how many members, their names, and access by index.
//
// Three ingredients (the technique every reflection library converges on; the probes behind
// the choices are in shared/STYLE-ANCHORS.md B.1/B.2):
// - the member count is the largest N for which `T{a1, ..., aN}` compiles, where each `a`
//   converts to anything;
// - member references come from a structured binding, one generated overload per count;
// - a member's name is read from `__PRETTY_FUNCTION__` of a function templated on the
//   member's address. clang 14 rejects a raw subobject pointer as a template argument, so
//   the pointer travels wrapped in a struct. The text around the name differs between
//   compilers; it is measured on a known struct instead of hard-coded.

// ---- begin imagine/json/detail/tie_generated.hpp ----

// Generated by tools/gen_tie.py: do not edit by hand.

#include <cstddef>
#include <tuple>
#include <type_traits>

// g++ can ask whether a member's address can be taken; clang 14 refuses to name a
// structured binding inside a requires-expression, so there the compiler's own error
// about the bit-field's address is the first one shown.
#if defined(__clang__)
#define IMAGINE_JSON_CAN_DETECT_BIT_FIELDS 0
#else
#define IMAGINE_JSON_CAN_DETECT_BIT_FIELDS 1
#endif

namespace imagine::json::detail {

inline constexpr std::size_t max_reflected_members = 64;

template <std::size_t N>
using member_count_tag = std::integral_constant<std::size_t, N>;

/// References to every member of an aggregate, in declaration order.
template <class T>
constexpr auto tie_members(T&, member_count_tag<0>) noexcept
{
    return std::tuple<>{};
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<1>) noexcept
{
    auto& [m0] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<2>) noexcept
{
    auto& [m0, m1] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<3>) noexcept
{
    auto& [m0, m1, m2] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<4>) noexcept
{
    auto& [m0, m1, m2, m3] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<5>) noexcept
{
    auto& [m0, m1, m2, m3, m4] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<6>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<7>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<8>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<9>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<10>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<11>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<12>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<13>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<14>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<15>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<16>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<17>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<18>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<19>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<20>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<21>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<22>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<23>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<24>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<25>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<26>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<27>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<28>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<29>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<30>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<31>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<32>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<33>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<34>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<35>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<36>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<37>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<38>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<39>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<40>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<41>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<42>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<43>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; } && requires { &m42; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<44>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; } && requires { &m42; } && requires { &m43; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<45>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; } && requires { &m42; } && requires { &m43; } && requires { &m44; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<46>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; } && requires { &m42; } && requires { &m43; } && requires { &m44; } && requires { &m45; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<47>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; } && requires { &m42; } && requires { &m43; } && requires { &m44; } && requires { &m45; } && requires { &m46; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<48>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; } && requires { &m42; } && requires { &m43; } && requires { &m44; } && requires { &m45; } && requires { &m46; } && requires { &m47; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<49>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; } && requires { &m42; } && requires { &m43; } && requires { &m44; } && requires { &m45; } && requires { &m46; } && requires { &m47; } && requires { &m48; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<50>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; } && requires { &m42; } && requires { &m43; } && requires { &m44; } && requires { &m45; } && requires { &m46; } && requires { &m47; } && requires { &m48; } && requires { &m49; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<51>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; } && requires { &m42; } && requires { &m43; } && requires { &m44; } && requires { &m45; } && requires { &m46; } && requires { &m47; } && requires { &m48; } && requires { &m49; } && requires { &m50; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<52>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; } && requires { &m42; } && requires { &m43; } && requires { &m44; } && requires { &m45; } && requires { &m46; } && requires { &m47; } && requires { &m48; } && requires { &m49; } && requires { &m50; } && requires { &m51; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<53>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; } && requires { &m42; } && requires { &m43; } && requires { &m44; } && requires { &m45; } && requires { &m46; } && requires { &m47; } && requires { &m48; } && requires { &m49; } && requires { &m50; } && requires { &m51; } && requires { &m52; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<54>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; } && requires { &m42; } && requires { &m43; } && requires { &m44; } && requires { &m45; } && requires { &m46; } && requires { &m47; } && requires { &m48; } && requires { &m49; } && requires { &m50; } && requires { &m51; } && requires { &m52; } && requires { &m53; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<55>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; } && requires { &m42; } && requires { &m43; } && requires { &m44; } && requires { &m45; } && requires { &m46; } && requires { &m47; } && requires { &m48; } && requires { &m49; } && requires { &m50; } && requires { &m51; } && requires { &m52; } && requires { &m53; } && requires { &m54; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<56>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; } && requires { &m42; } && requires { &m43; } && requires { &m44; } && requires { &m45; } && requires { &m46; } && requires { &m47; } && requires { &m48; } && requires { &m49; } && requires { &m50; } && requires { &m51; } && requires { &m52; } && requires { &m53; } && requires { &m54; } && requires { &m55; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<57>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55, m56] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; } && requires { &m42; } && requires { &m43; } && requires { &m44; } && requires { &m45; } && requires { &m46; } && requires { &m47; } && requires { &m48; } && requires { &m49; } && requires { &m50; } && requires { &m51; } && requires { &m52; } && requires { &m53; } && requires { &m54; } && requires { &m55; } && requires { &m56; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55, m56);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<58>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55, m56, m57] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; } && requires { &m42; } && requires { &m43; } && requires { &m44; } && requires { &m45; } && requires { &m46; } && requires { &m47; } && requires { &m48; } && requires { &m49; } && requires { &m50; } && requires { &m51; } && requires { &m52; } && requires { &m53; } && requires { &m54; } && requires { &m55; } && requires { &m56; } && requires { &m57; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55, m56, m57);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<59>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55, m56, m57, m58] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; } && requires { &m42; } && requires { &m43; } && requires { &m44; } && requires { &m45; } && requires { &m46; } && requires { &m47; } && requires { &m48; } && requires { &m49; } && requires { &m50; } && requires { &m51; } && requires { &m52; } && requires { &m53; } && requires { &m54; } && requires { &m55; } && requires { &m56; } && requires { &m57; } && requires { &m58; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55, m56, m57, m58);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<60>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55, m56, m57, m58, m59] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; } && requires { &m42; } && requires { &m43; } && requires { &m44; } && requires { &m45; } && requires { &m46; } && requires { &m47; } && requires { &m48; } && requires { &m49; } && requires { &m50; } && requires { &m51; } && requires { &m52; } && requires { &m53; } && requires { &m54; } && requires { &m55; } && requires { &m56; } && requires { &m57; } && requires { &m58; } && requires { &m59; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55, m56, m57, m58, m59);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<61>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55, m56, m57, m58, m59, m60] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; } && requires { &m42; } && requires { &m43; } && requires { &m44; } && requires { &m45; } && requires { &m46; } && requires { &m47; } && requires { &m48; } && requires { &m49; } && requires { &m50; } && requires { &m51; } && requires { &m52; } && requires { &m53; } && requires { &m54; } && requires { &m55; } && requires { &m56; } && requires { &m57; } && requires { &m58; } && requires { &m59; } && requires { &m60; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55, m56, m57, m58, m59, m60);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<62>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55, m56, m57, m58, m59, m60, m61] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; } && requires { &m42; } && requires { &m43; } && requires { &m44; } && requires { &m45; } && requires { &m46; } && requires { &m47; } && requires { &m48; } && requires { &m49; } && requires { &m50; } && requires { &m51; } && requires { &m52; } && requires { &m53; } && requires { &m54; } && requires { &m55; } && requires { &m56; } && requires { &m57; } && requires { &m58; } && requires { &m59; } && requires { &m60; } && requires { &m61; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55, m56, m57, m58, m59, m60, m61);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<63>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55, m56, m57, m58, m59, m60, m61, m62] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; } && requires { &m42; } && requires { &m43; } && requires { &m44; } && requires { &m45; } && requires { &m46; } && requires { &m47; } && requires { &m48; } && requires { &m49; } && requires { &m50; } && requires { &m51; } && requires { &m52; } && requires { &m53; } && requires { &m54; } && requires { &m55; } && requires { &m56; } && requires { &m57; } && requires { &m58; } && requires { &m59; } && requires { &m60; } && requires { &m61; } && requires { &m62; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55, m56, m57, m58, m59, m60, m61, m62);
}

template <class T>
constexpr auto tie_members(T& t, member_count_tag<64>) noexcept
{
    auto& [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55, m56, m57, m58, m59, m60, m61, m62, m63] = t;
#if IMAGINE_JSON_CAN_DETECT_BIT_FIELDS
    static_assert(requires { &m0; } && requires { &m1; } && requires { &m2; } && requires { &m3; } && requires { &m4; } && requires { &m5; } && requires { &m6; } && requires { &m7; } && requires { &m8; } && requires { &m9; } && requires { &m10; } && requires { &m11; } && requires { &m12; } && requires { &m13; } && requires { &m14; } && requires { &m15; } && requires { &m16; } && requires { &m17; } && requires { &m18; } && requires { &m19; } && requires { &m20; } && requires { &m21; } && requires { &m22; } && requires { &m23; } && requires { &m24; } && requires { &m25; } && requires { &m26; } && requires { &m27; } && requires { &m28; } && requires { &m29; } && requires { &m30; } && requires { &m31; } && requires { &m32; } && requires { &m33; } && requires { &m34; } && requires { &m35; } && requires { &m36; } && requires { &m37; } && requires { &m38; } && requires { &m39; } && requires { &m40; } && requires { &m41; } && requires { &m42; } && requires { &m43; } && requires { &m44; } && requires { &m45; } && requires { &m46; } && requires { &m47; } && requires { &m48; } && requires { &m49; } && requires { &m50; } && requires { &m51; } && requires { &m52; } && requires { &m53; } && requires { &m54; } && requires { &m55; } && requires { &m56; } && requires { &m57; } && requires { &m58; } && requires { &m59; } && requires { &m60; } && requires { &m61; } && requires { &m62; } && requires { &m63; },
        "imagine::json: bit-field members are not supported");
#endif
    return std::tie(m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55, m56, m57, m58, m59, m60, m61, m62, m63);
}

} // namespace imagine::json::detail
// ---- end imagine/json/detail/tie_generated.hpp ----

#include <array>
#include <cstddef>
#include <cstdlib>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#if defined(__clang__)
// The fake object below is declared and never defined on purpose: it is only ever named
// inside constant expressions, so no definition is needed and none must be emitted.
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wundefined-var-template"
#pragma clang diagnostic ignored "-Wundefined-inline"
#pragma clang diagnostic ignored "-Wundefined-internal"
#endif

namespace imagine::json::detail {

// ---------------------------------------------------------------------------------------
// Member count

// Converts to any member type. Only ever used in unevaluated checks, yet it has a body:
// clang instantiates constructors such as std::optional's in those checks, and a
// conversion used there with no definition is a hard error for types without linkage
// (local and anonymous-namespace structs). Not constexpr, which keeps g++ from asking
// for a constant-evaluable body. It refuses to become a base of `T`, so an aggregate with
// a base class cannot pass its base off as a member.
template <class T>
struct any_member {
    template <class U>
        requires(!std::is_base_of_v<U, T>)
    [[noreturn]] operator U() const noexcept
    {
        std::abort();
    }
};

template <class T, std::size_t>
using any_member_at = any_member<T>;

template <class T, std::size_t... I>
consteval bool initializable_with(std::index_sequence<I...>)
{
    return requires { T{any_member_at<T, I>{}...}; };
}

// Each initializer in its own braces: brace elision cannot spread one C array over several
// initializers, so this fails where `T` has a C array member.
template <class T, std::size_t... I>
consteval bool initializable_braced(std::index_sequence<I...>)
{
    return requires { T{{any_member_at<T, I>{}}...}; };
}

template <class T, std::size_t N = 0>
consteval std::size_t count_initializers()
{
    if constexpr (N > max_reflected_members)
        return N;
    else if constexpr (!initializable_with<T>(std::make_index_sequence<N + 1>{}))
        return N;
    else
        return count_initializers<T, N + 1>();
}

template <class T, std::size_t Before, std::size_t Nested, std::size_t After>
consteval bool initializable_nested()
{
    return []<std::size_t... B, std::size_t... N, std::size_t... A>(
               std::index_sequence<B...>, std::index_sequence<N...>, std::index_sequence<A...>) {
        return requires { T{any_member_at<T, B>{}..., {any_member_at<T, N>{}...}, any_member_at<T, A>{}...}; };
    }(std::make_index_sequence<Before>{}, std::make_index_sequence<Nested>{},
           std::make_index_sequence<After>{});
}

// How many flat initializers the member starting at initializer `Index` swallows: more
// than one only for a C array. Members that refuse a braced initializer count as one.
template <class T, std::size_t Index, std::size_t Size, std::size_t Rest>
consteval std::size_t initializers_taken_at()
{
    if constexpr (Size < 1)
        return 1;
    else if constexpr (initializable_nested<T, Index, Size, Rest>() &&
                       !initializable_nested<T, Index, Size, Rest + 1>())
        return Size;
    else
        return initializers_taken_at<T, Index, Size - 1, Rest + 1>();
}

template <class T, std::size_t Total, std::size_t Index = 0>
consteval std::size_t count_members_slowly()
{
    if constexpr (Index >= Total)
        return 0;
    else
        return 1 + count_members_slowly<T, Total,
                       Index + initializers_taken_at<T, Index, Total - Index, 0>()>();
}

template <class T>
consteval std::size_t count_members()
{
    constexpr std::size_t n = count_initializers<T>();
    if constexpr (n > max_reflected_members)
        return n;
    else if constexpr (initializable_braced<T>(std::make_index_sequence<n>{}))
        return n;
    else
        return count_members_slowly<T, n>();
}

// Converts only to the base classes of `T`: the first initializer of an aggregate with a
// base initializes that base, and a conversion wins over brace elision into its members.
template <class T>
struct only_base_of {
    template <class U>
        requires(std::is_base_of_v<U, T> && !std::is_same_v<U, T>)
    [[noreturn]] operator U() const noexcept
    {
        std::abort();
    }
};

template <class T>
concept has_base_class = requires { T{only_base_of<T>{}}; };

template <class T>
concept plain_aggregate = std::is_class_v<T> && std::is_aggregate_v<T> && !has_meta_members<T>;

/// Fails with one clear message for each kind of class the reflection cannot see into.
template <class T>
consteval bool check_reflectable()
{
    if constexpr (has_meta_members<T>) {
        return true;
    } else {
        static_assert(std::is_aggregate_v<T>,
            "imagine::json: this class is not an aggregate; declare its members in "
            "imagine::json::meta<T>::members");
        if constexpr (std::is_aggregate_v<T>) {
            static_assert(!has_base_class<T>,
                "imagine::json: aggregates with base classes are not supported; make the "
                "base a member");
            constexpr std::size_t n = count_initializers<T>();
            static_assert(n <= max_reflected_members,
                "imagine::json: more than 64 members; split the struct");
            if constexpr (n <= max_reflected_members) {
                static_assert(count_members<T>() == n,
                    "imagine::json: C array members are not supported; use std::array");
            }
        }
        return true;
    }
}

// ---------------------------------------------------------------------------------------
// Member names

template <class T>
struct fake_holder {
    T value;
};

template <class T>
extern const fake_holder<T> fake_object;

template <class Pointer>
struct pointer_box {
    Pointer pointer;
};

template <auto Box>
consteval std::string_view signature_of()
{
    return __PRETTY_FUNCTION__;
}

template <class T, std::size_t I>
consteval std::string_view member_signature()
{
    constexpr auto* pointer = &std::get<I>(
        tie_members(fake_object<T>.value, member_count_tag<count_members<T>()>{}));
    return signature_of<pointer_box<decltype(pointer)>{pointer}>();
}

struct calibration_probe {
    int imagine_calibration_member;
};

inline constexpr std::string_view calibration_name = "imagine_calibration_member";

struct signature_layout {
    std::size_t suffix;  // characters after the member name
    char separator;      // character right before the member name
};

inline constexpr signature_layout layout = [] {
    constexpr std::string_view text = member_signature<calibration_probe, 0>();
    constexpr std::size_t at = text.rfind(calibration_name);
    static_assert(at != std::string_view::npos && at > 0,
        "imagine::json: this compiler's __PRETTY_FUNCTION__ is not understood");
    return signature_layout{text.size() - at - calibration_name.size(), text[at - 1]};
}();

template <class T, std::size_t I>
consteval std::string_view raw_member_name()
{
    std::string_view text = member_signature<T, I>();
    text.remove_suffix(layout.suffix);
    return text.substr(text.rfind(layout.separator) + 1);
}

template <std::size_t N>
struct fixed_string {
    char data[N + 1];
    constexpr std::string_view view() const noexcept { return {data, N}; }
};

// Copies the name out of the signature so the long signature text is not kept in the binary.
template <class T, std::size_t I>
inline constexpr auto member_name_storage = [] {
    constexpr std::string_view name = raw_member_name<T, I>();
    fixed_string<name.size()> out{};
    for (std::size_t i = 0; i < name.size(); ++i)
        out.data[i] = name[i];
    return out;
}();

struct self_check_probe {
    int first;
    double second_member;
    fake_holder<int> third_;
};
static_assert(member_name_storage<self_check_probe, 0>.view() == "first" &&
                  member_name_storage<self_check_probe, 1>.view() == "second_member" &&
                  member_name_storage<self_check_probe, 2>.view() == "third_",
    "imagine::json: member names are parsed wrongly on this compiler");

// ---------------------------------------------------------------------------------------
// Uniform access for aggregates and for classes with meta<T>::members

template <class T>
consteval std::size_t member_count_of()
{
    if constexpr (has_meta_members<T>)
        return std::tuple_size_v<std::remove_cvref_t<decltype(meta<T>::members)>>;
    else
        return count_members<T>();
}

template <class T, std::size_t... I>
consteval auto member_names_of(std::index_sequence<I...>)
{
    if constexpr (has_meta_members<T>)
        return std::array<std::string_view, sizeof...(I)>{std::get<I>(meta<T>::members).key...};
    else
        return std::array<std::string_view, sizeof...(I)>{member_name_storage<T, I>.view()...};
}

template <class Array>
consteval bool renames_name_members(const Array& names, auto const& renames)
{
    for (const auto& r : renames) {
        bool found = false;
        for (std::string_view n : names)
            found = found || n == r.member;
        if (!found)
            return false;
    }
    return true;
}

template <class T, std::size_t N>
consteval auto keys_of(std::array<std::string_view, N> names)
{
    if constexpr (has_meta_renames<T>) {
        for (auto& n : names)
            for (const auto& r : meta<T>::renames)
                if (r.member == n)
                    n = r.key;
    }
    return names;
}

template <class T>
consteval bool keys_unique(const T& keys)
{
    for (std::size_t i = 0; i < keys.size(); ++i)
        for (std::size_t j = i + 1; j < keys.size(); ++j)
            if (keys[i] == keys[j])
                return false;
    return true;
}

} // namespace imagine::json::detail

namespace imagine::json {

/// Types the JSON layer reads and writes member by member.
template <class T>
concept reflectable = detail::has_meta_members<T> || detail::plain_aggregate<T>;

/// Number of members of a reflectable type.
template <class T>
    requires(detail::check_reflectable<T>())
inline constexpr std::size_t member_count_v = detail::member_count_of<T>();

/// C++ names of the members, in declaration order (`meta<T>::members` keys for classes
/// declared that way).
template <class T>
inline constexpr auto member_names_v =
    detail::member_names_of<T>(std::make_index_sequence<member_count_v<T>>{});

/// Keys on the wire, in declaration order: the member names after `meta<T>::renames`.
template <class T>
inline constexpr auto keys_v = [] {
    if constexpr (detail::has_meta_renames<T>)
        static_assert(detail::renames_name_members(member_names_v<T>, meta<T>::renames),
            "imagine::json: meta<T>::renames names a member that T does not have");
    constexpr auto keys = detail::keys_of<T>(member_names_v<T>);
    static_assert(detail::keys_unique(keys), "imagine::json: two members have the same key");
    return keys;
}();

/// Reference to member `I` of `object`.
template <std::size_t I, class T>
constexpr decltype(auto) get_member(T& object) noexcept
{
    using plain = std::remove_const_t<T>;
    if constexpr (detail::has_meta_members<plain>)
        return (object.*(std::get<I>(meta<plain>::members).pointer));
    else
        return std::get<I>(
            detail::tie_members(object, detail::member_count_tag<member_count_v<plain>>{}));
}

/// Calls `f(key, member)` for every member in declaration order.
template <class T, class F>
constexpr void for_each_member(T& object, F&& f)
{
    using plain = std::remove_const_t<T>;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (f(keys_v<plain>[I], get_member<I>(object)), ...);
    }(std::make_index_sequence<member_count_v<plain>>{});
}

} // namespace imagine::json

#if defined(__clang__)
#pragma clang diagnostic pop
#endif
// ---- end imagine/json/reflect.hpp ----
// ---- begin imagine/json/value.hpp ----

// A dynamic JSON value, for what has no struct: extension data, tool types the library does
// not model, stream events and output items of types the API adds later. Hot paths read
// straight into structs; this is the escape hatch.
//
// Objects keep their members in document order (a vector of key/value pairs): the objects
// this carries are small, and order-preserving output is easier to read and to diff.
// Reading and writing live in read.hpp and write.hpp: `json::read<json::value>(text)`,
// `json::write(v)`.

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace imagine::json {

class value {
public:
    using array = std::vector<value>;
    using object = std::vector<std::pair<std::string, value>>;

    enum class kind { null, boolean, number, string, array, object };

    value() noexcept = default;
    value(std::nullptr_t) noexcept {}
    value(bool b) noexcept : data_(b) {}
    value(double d) noexcept : data_(d) {}
    value(float f) noexcept : data_(static_cast<double>(f)) {}
    value(const char* s) : data_(std::string(s)) {}
    value(std::string_view s) : data_(std::string(s)) {}
    value(std::string s) noexcept : data_(std::move(s)) {}
    value(array a) noexcept : data_(std::move(a)) {}
    value(object o) noexcept : data_(std::move(o)) {}

    template <class I>
        requires(std::is_integral_v<I> && !std::is_same_v<I, bool> && !std::is_same_v<I, char>)
    value(I i) noexcept
    {
        if constexpr (std::is_signed_v<I>)
            data_ = static_cast<std::int64_t>(i);
        else if (i <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            data_ = static_cast<std::int64_t>(i);
        else
            data_ = static_cast<std::uint64_t>(i);
    }

    kind type() const noexcept
    {
        switch (data_.index()) {
        case 0: return kind::null;
        case 1: return kind::boolean;
        case 2:
        case 3:
        case 4: return kind::number;
        case 5: return kind::string;
        case 6: return kind::array;
        default: return kind::object;
        }
    }

    bool is_null() const noexcept { return data_.index() == 0; }
    bool is_bool() const noexcept { return data_.index() == 1; }
    bool is_number() const noexcept { return type() == kind::number; }
    /// A number that was written without fraction or exponent and fits 64 bits.
    bool is_integer() const noexcept { return data_.index() == 2 || data_.index() == 3; }
    bool is_string() const noexcept { return data_.index() == 5; }
    bool is_array() const noexcept { return data_.index() == 6; }
    bool is_object() const noexcept { return data_.index() == 7; }

    /// Pointer to the alternative `T` (bool, std::int64_t, std::uint64_t, double,
    /// std::string, array, object), or nullptr.
    template <class T>
    const T* get_if() const noexcept
    {
        return std::get_if<T>(&data_);
    }
    template <class T>
    T* get_if() noexcept
    {
        return std::get_if<T>(&data_);
    }

    bool as_bool() const { return checked<bool>("a boolean"); }
    const std::string& as_string() const { return checked<std::string>("a string"); }
    const array& as_array() const { return checked<array>("an array"); }
    array& as_array() { return const_cast<array&>(std::as_const(*this).as_array()); }
    const object& as_object() const { return checked<object>("an object"); }
    object& as_object() { return const_cast<object&>(std::as_const(*this).as_object()); }

    /// The number as a signed 64-bit integer; throws if it is not an integer that fits.
    std::int64_t as_int64() const
    {
        if (auto* i = std::get_if<std::int64_t>(&data_))
            return *i;
        throw std::domain_error("imagine::json::value: not an integer that fits int64");
    }

    /// Any number as a double (large integers round).
    double as_double() const
    {
        if (auto* d = std::get_if<double>(&data_))
            return *d;
        if (auto* i = std::get_if<std::int64_t>(&data_))
            return static_cast<double>(*i);
        if (auto* u = std::get_if<std::uint64_t>(&data_))
            return static_cast<double>(*u);
        throw std::domain_error("imagine::json::value: not a number");
    }

    /// Elements of an array or members of an object; 0 for anything else.
    std::size_t size() const noexcept
    {
        if (auto* a = std::get_if<array>(&data_))
            return a->size();
        if (auto* o = std::get_if<object>(&data_))
            return o->size();
        return 0;
    }

    /// The member named `key`, or nullptr when this is not an object or has no such member.
    /// With duplicate keys, the last one counts, as it does when reading into a struct.
    const value* find(std::string_view key) const noexcept
    {
        if (auto* o = std::get_if<object>(&data_))
            for (auto it = o->rbegin(); it != o->rend(); ++it)
                if (it->first == key)
                    return &it->second;
        return nullptr;
    }
    value* find(std::string_view key) noexcept
    {
        return const_cast<value*>(std::as_const(*this).find(key));
    }

    bool contains(std::string_view key) const noexcept { return find(key) != nullptr; }

    const value& at(std::string_view key) const
    {
        if (auto* v = find(key))
            return *v;
        throw std::out_of_range("imagine::json::value: no member '" + std::string(key) + "'");
    }
    value& at(std::string_view key) { return const_cast<value&>(std::as_const(*this).at(key)); }

    const value& at(std::size_t index) const
    {
        const array& a = as_array();
        if (index >= a.size())
            throw std::out_of_range("imagine::json::value: index " + std::to_string(index) +
                                    " out of range (size " + std::to_string(a.size()) + ")");
        return a[index];
    }
    value& at(std::size_t index) { return const_cast<value&>(std::as_const(*this).at(index)); }

    /// Member access that creates: a null value becomes an empty object, a missing member
    /// is appended as null.
    value& operator[](std::string_view key)
    {
        if (is_null())
            data_ = object{};
        if (auto* v = find(key))
            return *v;
        object& o = as_object();
        o.emplace_back(std::string(key), value{});
        return o.back().second;
    }

    /// Checked element access (throws std::out_of_range).
    value& operator[](std::size_t index) { return at(index); }
    const value& operator[](std::size_t index) const { return at(index); }

    void push_back(value v)
    {
        if (is_null())
            data_ = array{};
        as_array().push_back(std::move(v));
    }

    /// Numbers compare by value across representations (1 == 1.0); objects compare as
    /// sets of members, whatever their order.
    friend bool operator==(const value& a, const value& b) noexcept
    {
        if (a.is_number() && b.is_number())
            return numbers_equal(a, b);
        if (a.data_.index() != b.data_.index())
            return false;
        if (auto* ao = std::get_if<object>(&a.data_)) {
            // Same keys, and each key's (last) value equal; checked both ways so that
            // duplicate keys cannot make the comparison one-sided.
            for (auto& [k, v] : *ao) {
                const value* other = b.find(k);
                if (!other || !(*a.find(k) == *other))
                    return false;
            }
            for (auto& [k, v] : std::get<object>(b.data_))
                if (!a.find(k))
                    return false;
            return true;
        }
        return a.data_ == b.data_;
    }

private:
    template <class T>
    const T& checked(const char* what) const
    {
        if (auto* p = std::get_if<T>(&data_))
            return *p;
        throw std::domain_error(std::string("imagine::json::value: not ") + what);
    }

    static bool numbers_equal(const value& a, const value& b) noexcept
    {
        if (a.data_.index() == b.data_.index())
            return a.data_ == b.data_;
        // int64 and uint64 never hold the same number: uint64 is used only above int64.
        if (a.is_integer() && b.is_integer())
            return false;
        double x = a.as_double_unchecked(), y = b.as_double_unchecked();
        if (x != y)
            return false;
        // Equal as doubles; make sure the integer side converted exactly.
        const value& integer = a.is_integer() ? a : b;
        double d = a.is_integer() ? y : x;
        if (!(std::fabs(d) < 18446744073709551616.0))
            return false;
        if (auto* i = std::get_if<std::int64_t>(&integer.data_))
            return d >= -9223372036854775808.0 && d < 9223372036854775808.0 &&
                   static_cast<std::int64_t>(d) == *i;
        return d >= 0 && static_cast<std::uint64_t>(d) == std::get<std::uint64_t>(integer.data_);
    }

    double as_double_unchecked() const noexcept
    {
        switch (data_.index()) {
        case 2: return static_cast<double>(std::get<std::int64_t>(data_));
        case 3: return static_cast<double>(std::get<std::uint64_t>(data_));
        default: return std::get<double>(data_);
        }
    }

    std::variant<std::nullptr_t, bool, std::int64_t, std::uint64_t, double, std::string, array,
        object>
        data_;
};

} // namespace imagine::json
// ---- end imagine/json/value.hpp ----

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace imagine::json {
namespace detail {

template <class T>
bool read_value(reader& r, T& out);

template <class T>
bool read_struct(reader& r, T& out, std::string_view tag_key = tag_key_v<T>);

template <class... A>
bool read_variant(reader& r, std::variant<A...>& out);

inline bool read_dynamic(reader& r, value& out);

/// Reads the array at the cursor; `element(i)` reads element i. Adds the index to the path
/// of an error inside an element.
template <class F>
bool read_elements(reader& r, F&& element)
{
    bool more;
    if (!r.open('[', ']', "array", more))
        return false;
    for (std::size_t i = 0; more; ++i) {
        if (!element(i)) {
            r.push_index(i);
            return false;
        }
        if (!r.next_in(']', more))
            return false;
    }
    return true;
}

/// Reads the object at the cursor; `member(key)` reads one member's value. Adds the key to
/// the path of an error inside a member. The key stays valid during the call.
template <class F>
bool read_members(reader& r, F&& member)
{
    bool more;
    if (!r.open('{', '}', "object", more))
        return false;
    while (more) {
        std::string_view key;
        if (!r.key(key))
            return false;
        std::string owned;
        if (r.in_scratch(key)) {
            owned = key;  // the scratch buffer is reused by keys further in
            key = owned;
        }
        if (!member(key)) {
            r.push_key(key);
            return false;
        }
        if (!r.next_in('}', more))
            return false;
    }
    return true;
}

template <class T>
bool read_value(reader& r, T& out)
{
    if constexpr (std::is_same_v<T, value>) {
        return read_dynamic(r, out);
    } else if constexpr (std::is_same_v<T, bool>) {
        if (r.peek() == 't') {
            out = true;
            return r.literal("true");
        }
        if (r.peek() == 'f') {
            out = false;
            return r.literal("false");
        }
        return r.fail_expected("boolean");
    } else if constexpr (json_integer<T>) {
        if (!r.at_number())
            return r.fail_expected("integer");
        return r.integer(out);
    } else if constexpr (std::is_floating_point_v<T>) {
        if (!r.at_number())
            return r.fail_expected("number");
        return r.floating(out);
    } else if constexpr (std::is_same_v<T, std::string>) {
        if (r.peek() != '"')
            return r.fail_expected("string");
        return r.string(out);
    } else if constexpr (std::is_enum_v<T>) {
        static_assert(named_enum<T>,
            "imagine::json: enums need their wire names in imagine::json::meta<E>::values");
        if (r.peek() != '"')
            return r.fail_expected("string");
        const char* start = r.position();
        std::string name;
        if (!r.string(name))
            return false;
        if (auto e = enum_from_string<T>(name)) {
            out = *e;
            return true;
        }
        return r.fail_at(start, error::unknown_enum_value, "unknown value \"" + name + "\"");
    } else if constexpr (optional_like<T>) {
        if (r.peek() == 'n') {
            out.reset();
            return r.literal("null");
        }
        return read_value(r, out.emplace());
    } else if constexpr (null_like<T>) {
        if (r.peek() != 'n')
            return r.fail_expected("null");
        return r.literal("null");
    } else if constexpr (vector_like<T>) {
        out.clear();
        return read_elements(r, [&](std::size_t) {
            if constexpr (std::is_same_v<typename T::value_type, bool>) {
                bool b = false;  // std::vector<bool> hands out proxies, not bool&
                return read_value(r, b) && (out.push_back(b), true);
            } else {
                return read_value(r, out.emplace_back());
            }
        });
    } else if constexpr (std_array<T>) {
        const char* start = r.position();
        std::size_t n = 0;
        // Extra elements are validated and counted, so the error can say how many came.
        if (!read_elements(r, [&](std::size_t i) {
                n = i + 1;
                return i < out.size() ? read_value(r, out[i]) : r.skip_value();
            }))
            return false;
        return n == out.size() ||
               r.fail_at(start, error::wrong_array_size,
                   "expected an array of " + std::to_string(out.size()) + " elements, found " +
                       std::to_string(n));
    } else if constexpr (string_map<T>) {
        out.clear();
        return read_members(
            r, [&](std::string_view key) { return read_value(r, out[std::string(key)]); });
    } else if constexpr (variant_like<T>) {
        return read_variant(r, out);
    } else if constexpr (reflectable<T>) {
        return read_struct(r, out);
    } else if constexpr (std::is_same_v<T, std::string_view>) {
        static_assert(always_false_v<T>,
            "imagine::json: a std::string_view would dangle once the text is gone; read into "
            "std::string");
        return false;
    } else if constexpr (std::is_class_v<T>) {
        // Gives check_reflectable's message for this kind of class.
        static_assert(check_reflectable<T>());
        return false;
    } else {
        static_assert(always_false_v<T>,
            "imagine::json: this type cannot be read; see the list at the top of read.hpp");
        return false;
    }
}

// ---------------------------------------------------------------------------------------
// Structs

template <class T, std::size_t I>
using member_type_t = std::remove_cvref_t<decltype(get_member<I>(std::declval<T&>()))>;

template <class T>
inline constexpr std::uint64_t required_mask = []<std::size_t... I>(std::index_sequence<I...>) {
    return ((optional_like<member_type_t<T, I>> ? std::uint64_t{0} : std::uint64_t{1} << I) | ... |
            std::uint64_t{0});
}(std::make_index_sequence<member_count_v<T>>{});

template <class T>
using member_reader = bool (*)(reader&, T&);

template <class T>
inline constexpr auto member_readers = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<member_reader<T>, sizeof...(I)>{
        +[](reader& r, T& object) { return read_value(r, get_member<I>(object)); }...};
}(std::make_index_sequence<member_count_v<T>>{});

template <class T>
constexpr std::size_t find_member(std::string_view key) noexcept
{
    constexpr auto& keys = keys_v<T>;
    for (std::size_t i = 0; i < keys.size(); ++i)
        if (keys[i].size() == key.size() && keys[i] == key)
            return i;
    return keys.size();
}

// `tag_key` is the member that carries a variant alternative's tag: not a member of the
// struct, yet never an unknown key.
template <class T>
bool read_struct(reader& r, T& out, std::string_view tag_key)
{
    constexpr std::size_t count = member_count_v<T>;
    std::uint64_t seen = 0;
    if (!read_members(r, [&](std::string_view key) {
            const std::size_t index = find_member<T>(key);
            if (index < count) {
                seen |= std::uint64_t{1} << index;
                return member_readers<T>[index](r, out);
            }
            if (r.options().error_on_unknown_keys && !(has_meta_tag<T> && key == tag_key))
                return r.fail(error::unknown_member,
                    "unknown member (read_options::error_on_unknown_keys)");
            return r.skip_value();
        }))
        return false;
    if (std::uint64_t missing = required_mask<T> & ~seen) {
        std::size_t index = static_cast<std::size_t>(__builtin_ctzll(missing));
        r.fail_at(r.position() - 1, error::missing_member, "missing required member");
        r.push_key(keys_v<T>[index]);
        return false;
    }
    return true;
}

// ---------------------------------------------------------------------------------------
// Variants: the JSON kind picks the alternative; among objects, the tag member does.

template <class T>
concept object_alternative = (reflectable<T> && !null_like<T>) || string_map<T>;

template <class T>
concept tagged_alternative = object_alternative<T> && has_meta_tag<T>;

enum class tag_search { found, absent, failed };

// Finds the tag member's string value anywhere in the object at the cursor, then rewinds.
// Text that breaks the grammar before the tag is reported as the error it is (`failed`,
// with the error recorded), not as a missing tag.
inline tag_search peek_tag(reader& r, std::string_view tag_key, std::string& tag)
{
    const char* start = r.position();
    const std::size_t depth = r.depth();
    bool more = false;
    bool ok = r.open('{', '}', "object", more);
    bool found = false;
    if (ok) {
        while (ok && more && !found) {
            std::string_view k;
            ok = r.key(k);
            std::string owned;
            if (ok && r.in_scratch(k)) {
                owned = k; // skipping the value reuses the scratch buffer for its keys
                k = owned;
            }
            if (ok && k == tag_key && r.peek() == '"')
                ok = found = r.string(tag);
            else if (ok && !r.skip_value()) {
                r.push_key(k);
                ok = false;
            } else if (ok)
                ok = r.next_in('}', more);
        }
    }
    if (!ok)
        return tag_search::failed;
    r.rewind(start, depth);
    return found ? tag_search::found : tag_search::absent;
}

template <class V, std::size_t I = 0>
bool emplace_first(reader& r, V& out, auto&& accepts)
{
    if constexpr (I == std::variant_size_v<V>) {
        return false;
    } else {
        using A = std::variant_alternative_t<I, V>;
        if (accepts(static_cast<A*>(nullptr)))
            return true;
        return emplace_first<V, I + 1>(r, out, accepts);
    }
}

template <class... A>
bool read_variant(reader& r, std::variant<A...>& out)
{
    using V = std::variant<A...>;
    constexpr bool has_value = (std::is_same_v<A, value> || ...);
    bool done = false;
    bool ok = false;
    // Reads alternative T in place when `pick` holds for it; the first match wins.
    auto try_each = [&](auto pick) {
        emplace_first<V>(r, out, [&]<class T>(T*) {
            if (done || !pick(static_cast<T*>(nullptr)))
                return false;
            done = true;
            if constexpr (tagged_alternative<T> && reflectable<T>)
                ok = read_struct(r, out.template emplace<T>(), tag_key_v<V>);
            else
                ok = read_value(r, out.template emplace<T>());
            return true;
        });
    };
    auto is_value = []<class T>(T*) { return std::is_same_v<T, value>; };

    switch (r.peek()) {
    case '{': {
        constexpr bool any_tagged = (tagged_alternative<A> || ...);
        if constexpr (any_tagged) {
            std::string tag;
            const tag_search search = peek_tag(r, tag_key_v<V>, tag);
            if (search == tag_search::failed)
                return false;
            if (search == tag_search::found) {
                try_each([&]<class T>(T*) {
                    if constexpr (tagged_alternative<T>)
                        return std::string_view(meta<T>::tag) == tag;
                    else
                        return false;
                });
                if (!done && !has_value && ((object_alternative<A> && !tagged_alternative<A>) + ... + 0) == 0)
                    return r.fail(error::unknown_variant_tag,
                        "no alternative for " + std::string(tag_key_v<V>) + " \"" + tag + "\"");
            }
        }
        try_each([]<class T>(T*) { return object_alternative<T> && !tagged_alternative<T>; });
        try_each(is_value);
        if (!done && any_tagged)
            return r.fail(error::unknown_variant_tag,
                "object has no \"" + std::string(tag_key_v<V>) + "\" naming an alternative");
        break;
    }
    case '[': try_each([]<class T>(T*) { return vector_like<T> || std_array<T>; }); break;
    case '"': {
        // An enum that knows the string beats a plain string; that beats an enum that
        // would only fall back to its `unknown` value.
        const char* start = r.position();
        std::string text;
        if (!r.string(text))
            return false;
        r.rewind(start);
        try_each([&]<class T>(T*) {
            if constexpr (named_enum<T>) {
                for (const auto& [value, name] : meta<T>::values)
                    if (name == text)
                        return true;
            }
            return false;
        });
        try_each([]<class T>(T*) { return std::is_same_v<T, std::string>; });
        try_each([]<class T>(T*) { return named_enum<T>; });
        break;
    }
    case 't':
    case 'f': try_each([]<class T>(T*) { return std::is_same_v<T, bool>; }); break;
    case 'n': try_each([]<class T>(T*) { return null_like<T> || optional_like<T>; }); break;
    case '\0': return r.fail_expected("value");
    default: {
        const char* start = r.position();
        number_token t;
        if (!r.number(t))
            return false;
        r.rewind(start);
        if (t.integer)
            try_each([]<class T>(T*) { return json_integer<T>; });
        try_each([]<class T>(T*) { return std::is_floating_point_v<T>; });
        break;
    }
    }
    if (!done)
        try_each(is_value);
    if (!done)
        return r.fail_expected("a value matching one of the variant's alternatives");
    return ok;
}

// ---------------------------------------------------------------------------------------
// json::value

inline bool read_dynamic(reader& r, value& out)
{
    switch (r.peek()) {
    case '{': {
        value::object members;
        if (!read_members(r, [&](std::string_view key) {
                return read_dynamic(r, members.emplace_back(std::string(key), value{}).second);
            }))
            return false;
        out = std::move(members);
        return true;
    }
    case '[': {
        value::array elements;
        if (!read_value(r, elements))
            return false;
        out = std::move(elements);
        return true;
    }
    case '"': {
        std::string s;
        if (!r.string(s))
            return false;
        out = std::move(s);
        return true;
    }
    case 't': out = true; return r.literal("true");
    case 'f': out = false; return r.literal("false");
    case 'n': out = nullptr; return r.literal("null");
    default: {
        const char* start = r.position();
        number_token t;
        if (!r.number(t))
            return false;
        r.rewind(start);
        // "-0" is an integer by grammar, but only a double keeps its sign.
        if (t.integer && !(t.end - t.begin == 2 && t.begin[0] == '-' && t.begin[1] == '0')) {
            std::int64_t i = 0;
            if (r.integer(i)) {
                out = i;
                return true;
            }
            r.clear_error();
            r.rewind(start);
            std::uint64_t u = 0;
            if (*start != '-' && r.integer(u)) {
                out = u;
                return true;
            }
            r.clear_error();
            r.rewind(start);
        }
        double d = 0;
        if (!r.floating(d))
            return false;
        out = d;
        return true;
    }
    }
}

} // namespace detail

/// Reads `text` into `out`. Returns an empty read_error on success; on failure, `out` may
/// hold part of the input.
template <class T>
read_error read(std::string_view text, T& out, const read_options& options = {})
{
    detail::reader r(text, options);
    r.skip_whitespace();
    if (detail::read_value(r, out)) {
        r.skip_whitespace();
        if (r.at_end())
            return {};
        r.fail(error::trailing_characters, "unexpected data after the value");
    }
    return r.take_error();
}

/// Reads `text` as a `T`; throws read_exception on failure.
template <class T>
T read(std::string_view text, const read_options& options = {})
{
    T out{};
    if (read_error e = read(text, out, options))
        throw read_exception(std::move(e));
    return out;
}

} // namespace imagine::json
// ---- end imagine/json/read.hpp ----
// ---- begin imagine/json/write.hpp ----

// C++ values straight to compact JSON text.
//
//   std::string body = json::write(request);     // or json::write(request, out) to append
//
// Empty std::optional members are left out (the API treats absent and null differently
// for some fields, and absent is what the SDKs send). A struct with meta<T>::tag writes
// its tag member ("type" unless the variant says otherwise) first. Numbers use the
// shortest text that reads back to the same value. Strings must be UTF-8; NaN, infinity,
// invalid UTF-8 and enum values without a name throw write_exception rather than produce
// text the server would reject.


#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

namespace imagine::json {
namespace detail {

inline void write_string(std::string& out, std::string_view s)
{
    static constexpr char hex[] = "0123456789abcdef";
    const char* p = s.data();
    const char* end = p + s.size();
    // Room for the unescaped text up front, and the scan in L1-sized blocks, so a
    // multi-megabyte base64 string is copied while the scan has it in cache.
    constexpr std::size_t block = 16 * 1024;
    out.reserve(out.size() + s.size() + 2);
    out.push_back('"');
    for (;;) {
        const char* run = p;
        const char* limit = static_cast<std::size_t>(end - p) > block ? p + block : end;
        p = find_string_special(p, limit);
        out.append(run, static_cast<std::size_t>(p - run));
        if (p == limit && limit != end)
            continue;
        if (p == end)
            break;
        const unsigned char c = static_cast<unsigned char>(*p);
        if (c >= 0x80) {
            std::size_t n = utf8_sequence_length(p, end);
            if (n == 0)
                throw write_exception(error::invalid_utf8,
                    "imagine::json: string is not valid UTF-8 at byte " +
                        std::to_string(p - s.data()));
            out.append(p, n);
            p += n;
            continue;
        }
        out.push_back('\\');
        switch (c) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '\b': out.push_back('b'); break;
        case '\f': out.push_back('f'); break;
        case '\n': out.push_back('n'); break;
        case '\r': out.push_back('r'); break;
        case '\t': out.push_back('t'); break;
        default:
            out.append("u00", 3);
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xF]);
        }
        ++p;
    }
    out.push_back('"');
}

template <class N>
void write_number(std::string& out, N n)
{
    if constexpr (std::is_floating_point_v<N>) {
        if (!std::isfinite(n))
            throw write_exception(error::not_representable,
                "imagine::json: NaN and infinity have no JSON form");
    }
    char buffer[64];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, n);
    out.append(buffer, result.ptr);
}

template <class T>
void write_value(std::string& out, const T& v);

inline void write_dynamic(std::string& out, const value& v);

/// An object from key/value pairs: string-keyed maps and json::value's members.
template <class Pairs>
void write_pairs(std::string& out, const Pairs& pairs)
{
    out.push_back('{');
    bool first = true;
    for (const auto& [key, element] : pairs) {
        if (!first)
            out.push_back(',');
        first = false;
        write_string(out, key);
        out.push_back(':');
        write_value(out, element);
    }
    out.push_back('}');
}

// `tag_key` names the member that carries meta<T>::tag: the enclosing variant's choice
// when it makes one, else the struct's own (default "type").
template <class T>
void write_struct(std::string& out, const T& v, std::string_view tag_key = tag_key_v<T>)
{
    out.push_back('{');
    bool first = true;
    auto separator = [&] {
        if (!first)
            out.push_back(',');
        first = false;
    };
    constexpr bool tagged = has_meta_tag<T>;
    if constexpr (tagged) {
        separator();
        write_string(out, tag_key);
        out.push_back(':');
        write_string(out, meta<T>::tag);
    }
    for_each_member(v, [&](std::string_view key, const auto& member) {
        using M = std::remove_cvref_t<decltype(member)>;
        if constexpr (optional_like<M>) {
            if (!member.has_value())
                return;
        }
        if (tagged && key == tag_key)
            return;  // the tag above already says it
        separator();
        write_string(out, key);
        out.push_back(':');
        write_value(out, member);
    });
    out.push_back('}');
}

template <class T>
void write_value(std::string& out, const T& v)
{
    if constexpr (std::is_same_v<T, value>) {
        write_dynamic(out, v);
    } else if constexpr (std::is_same_v<T, bool>) {
        out.append(v ? "true" : "false");
    } else if constexpr (json_integer<T> || std::is_floating_point_v<T>) {
        write_number(out, v);
    } else if constexpr (null_like<T>) {
        // Before the string case: nullptr_t converts to const char*, and so to string_view.
        out.append("null");
    } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
        write_string(out, std::string_view(v));
    } else if constexpr (std::is_enum_v<T>) {
        static_assert(named_enum<T>,
            "imagine::json: enums need their wire names in imagine::json::meta<E>::values");
        std::string_view name = enum_to_string(v);
        if (name.empty())
            throw write_exception(error::not_representable,
                "imagine::json: enum value " +
                    std::to_string(static_cast<std::underlying_type_t<T>>(v)) +
                    " has no name in meta<E>::values");
        write_string(out, name);
    } else if constexpr (optional_like<T>) {
        if (v)
            write_value(out, *v);
        else
            out.append("null");
    } else if constexpr (vector_like<T> || std_array<T>) {
        out.push_back('[');
        bool first = true;
        for (const auto& element : v) {
            if (!first)
                out.push_back(',');
            first = false;
            write_value(out, element);
        }
        out.push_back(']');
    } else if constexpr (string_map<T>) {
        write_pairs(out, v);
    } else if constexpr (variant_like<T>) {
        std::visit(
            [&](const auto& alternative) {
                using A = std::remove_cvref_t<decltype(alternative)>;
                if constexpr (reflectable<A> && has_meta_tag<A> && has_meta_tag_key<T>)
                    write_struct(out, alternative, tag_key_v<T>);
                else
                    write_value(out, alternative);
            },
            v);
    } else if constexpr (reflectable<T>) {
        write_struct(out, v);
    } else if constexpr (std::is_class_v<T>) {
        static_assert(check_reflectable<T>());
    } else {
        static_assert(always_false_v<T>, "imagine::json: this type cannot be written");
    }
}

inline void write_dynamic(std::string& out, const value& v)
{
    if (v.is_null())
        out.append("null");
    else if (auto* b = v.get_if<bool>())
        write_value(out, *b);
    else if (auto* i = v.get_if<std::int64_t>())
        write_number(out, *i);
    else if (auto* u = v.get_if<std::uint64_t>())
        write_number(out, *u);
    else if (auto* d = v.get_if<double>())
        write_number(out, *d);
    else if (auto* s = v.get_if<std::string>())
        write_string(out, *s);
    else if (auto* a = v.get_if<value::array>())
        write_value(out, *a);
    else
        write_pairs(out, v.as_object());
}

} // namespace detail

/// Appends the JSON text of `v` to `out`. Throws write_exception for values JSON cannot
/// hold; `out` then keeps what was written before the bad value.
template <class T>
void write(const T& v, std::string& out)
{
    detail::write_value(out, v);
}

/// The JSON text of `v`.
template <class T>
std::string write(const T& v)
{
    std::string out;
    detail::write_value(out, v);
    return out;
}

} // namespace imagine::json
// ---- end imagine/json/write.hpp ----

// ---- begin imagine/http/body.hpp ----

// A request body whose bytes are produced while sending: multipart uploads read their
// files from disk piece by piece instead of holding them in memory. The length is known
// before the first byte is sent (Content-Length, no chunked requests: the OpenAI API
// and many proxies expect a length), and the source can start again from the first byte
// for a retry or a redirect.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <system_error>
#include <variant>

namespace imagine::http {

class body_source {
public:
    virtual ~body_source() = default;

    /// Total size in bytes, fixed before sending starts.
    virtual std::uint64_t size() const = 0;

    /// Go back to the first byte. Sources that cannot set `ec`
    /// (http::error::body_not_replayable).
    virtual void rewind(std::error_code& ec) = 0;

    /// Copy up to out.size() next bytes into `out`; returns how many. 0 means the end
    /// (after exactly size() bytes). A source whose bytes run out early or last longer
    /// than size() sets http::error::body_size_changed.
    virtual std::size_t read(std::span<char> out, std::error_code& ec) = 0;
};

/// What a request carries: nothing, bytes in memory, or a streamed source.
using request_body = std::variant<std::monostate, std::string, std::shared_ptr<body_source>>;

/// The body's length in bytes.
inline std::uint64_t body_size(const request_body& body) noexcept
{
    if (const auto* text = std::get_if<std::string>(&body))
        return text->size();
    if (const auto* source = std::get_if<std::shared_ptr<body_source>>(&body))
        return *source ? (*source)->size() : 0;
    return 0;
}

} // namespace imagine::http
// ---- end imagine/http/body.hpp ----
// ---- begin imagine/http/client.hpp ----

// The HTTP client: a verified TLS context, a keep-alive pool, proxy selection and
// redirects, behind two asynchronous operations:
//
//   async_request(req)  -> void(error_code, response)         the body buffered
//   async_open(req)     -> void(error_code, response_stream)  the head; then pieces
//
// Both take any completion token; without one they return an asio::awaitable.
// Cancellation (terminal, through the handler's slot) aborts the operation and closes
// its connection, which never returns to the pool.


// ---- begin imagine/detail/asio_compat.hpp ----

// The one place that knows which Asio names moved between versions. Everything else
// in imagine spells `detail::as_tuple`, `detail::deferred`, ... and works on Asio
// 1.22 (Debian 12) as well as on current Asio.
//
//   name                1.22                      1.23 ... 1.32     1.33 and later
//   as_tuple, deferred  asio::experimental::      both              asio:: only
//   append, prepend     asio::experimental::      both              asio:: only
//   default token       void (no default)         void              deferred_t (1.31+)
//
// Asio 1.22's default_completion_token is `void`: an operation called without a
// token does not compile. imagine operations therefore name their own default,
// `default_token_t<Executor>`, the same on every Asio version.


#include <asio/version.hpp>

#include <asio/use_awaitable.hpp>

#if ASIO_VERSION >= 102300
#include <asio/append.hpp>
#include <asio/as_tuple.hpp>
#include <asio/deferred.hpp>
#include <asio/prepend.hpp>
#else
#include <asio/experimental/append.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/deferred.hpp>
#include <asio/experimental/prepend.hpp>
#endif

#if !defined(ASIO_HAS_CO_AWAIT)
#error "imagine: Asio was configured without C++20 coroutine support (ASIO_HAS_CO_AWAIT). \
Compile with -std=c++20, and include an imagine header before any Asio header (with clang \
and Asio < 1.26, or define ASIO_HAS_CO_AWAIT=1 yourself)."
#endif

namespace imagine::detail {

#if ASIO_VERSION >= 102300
using asio::append;
using asio::append_t;
using asio::as_tuple;
using asio::as_tuple_t;
using asio::deferred;
using asio::deferred_t;
using asio::prepend;
using asio::prepend_t;
#else
using asio::experimental::append;
using asio::experimental::append_t;
using asio::experimental::as_tuple;
using asio::experimental::as_tuple_t;
using asio::experimental::deferred;
using asio::experimental::deferred_t;
using asio::experimental::prepend;
using asio::experimental::prepend_t;
#endif

/// The completion token imagine operations use when the caller passes none:
/// `co_await op(args)` inside an `asio::awaitable<T, Executor>`.
template <class Executor>
using default_token_t = asio::use_awaitable_t<Executor>;

} // namespace imagine::detail
// ---- end imagine/detail/asio_compat.hpp ----
// ---- begin imagine/http/connection.hpp ----

// One HTTP/1.1 connection to one origin: TCP (optionally through a CONNECT proxy),
// TLS on top for https, a read buffer and a response parser that live as long as the
// connection, and one timer that enforces whichever deadline is current.
//
// The timer is lazy, like Beast's basic_stream: moving the deadline later (every body
// read does) only stores the new time point; the wait in flight notices it when it
// fires and waits again. Only a move earlier restarts the timer. On expiry the socket
// is closed, the pending operation completes with an error, and `map_error` turns that
// error into the timeout's own code.


// ---- begin imagine/http/detail/io.hpp ----

// The I/O steps of one exchange, written once for any Asio stream (the TLS socket in
// production, an in-memory stream in the fail-count tests): write the request, read
// the head, read the body whole or piece by piece. Each step returns its error instead
// of throwing, so the caller decides what a failure means (retry on a fresh
// connection, a timeout code, ...). Before every read and write a hook runs; the
// connection uses it to move its deadline.


// ---- begin imagine/http/error.hpp ----

// Error codes of the HTTP layer: URL, parser, SSE, multipart, connection, TLS, proxy and
// redirect failures, each its own value so callers (and the retry policy above) can
// tell them apart without parsing messages. OS and Asio errors pass through unchanged
// (std::errc / asio::error); these are the cases where imagine knows more than they do.

#include <string>
#include <system_error>
#include <type_traits>

namespace imagine::http {

enum class error {
    // URL
    invalid_url = 1,    ///< not a URL imagine can use (syntax, host, port)
    unsupported_scheme, ///< a scheme other than http / https

    // Response parser
    bad_status_line,                ///< malformed "HTTP/1.x NNN reason" line
    bad_version,                    ///< not HTTP/1.0 or HTTP/1.1
    bad_header,                     ///< malformed header line, name or value
    bad_content_length,             ///< Content-Length not a number, or two different values
    bad_transfer_encoding,          ///< a Transfer-Encoding other than (… ,) chunked
    bad_chunk,                      ///< malformed chunk size line, extension or CRLF
    header_limit_exceeded,          ///< the head is larger than parser_limits::header_limit
    body_limit_exceeded,            ///< the body is larger than parser_limits::body_limit
    length_mismatch,                ///< the connection ended before Content-Length bytes
    premature_end,                  ///< the connection ended inside the head or a chunked body
    chunk_extension_limit_exceeded, ///< one chunk line's extensions are too long

    // Server-sent events
    event_too_large, ///< one event is larger than sse_options::max_event_size

    // Requests
    invalid_request,     ///< a method, header name or value with CR, LF or other invalid bytes
    body_size_changed,   ///< a streamed body (a file) is not the size it was when measured
    body_not_replayable, ///< a retry or redirect needs the body again and it cannot rewind

    // Connection and timeouts
    connect_timeout,   ///< resolve + connect + TLS handshake (+ proxy CONNECT) too slow
    response_timeout,  ///< request sent, no complete response head in time
    idle_timeout,      ///< too long without a byte while reading the body
    total_timeout,     ///< the whole exchange's deadline passed
    connection_closed, ///< the server closed the connection before answering

    // TLS
    tls_handshake_failed,       ///< the TLS handshake failed for a reason not listed below
    tls_protocol_version,       ///< the server offers no TLS version >= 1.2
    certificate_expired,        ///< the server certificate has expired
    certificate_not_yet_valid,  ///< the server certificate is not valid yet
    certificate_self_signed,    ///< self-signed certificate not in the trust store
    certificate_unknown_issuer, ///< the issuing CA is not trusted
    certificate_host_mismatch,  ///< the certificate does not name the host
    certificate_ip_mismatch,    ///< the certificate does not name the IP address
    certificate_verify_failed,  ///< any other certificate verification failure
    tls_configuration,          ///< a CA file, directory, PEM or client certificate failed to load

    // Proxy
    invalid_proxy,        ///< the proxy setting is not an http:// URL
    proxy_connect_failed, ///< the proxy answered CONNECT with a non-2xx status
    proxy_auth_required,  ///< the proxy answered 407: credentials missing or wrong

    // Redirects
    too_many_redirects, ///< more than 5 redirects
    bad_redirect,       ///< a 307/308 without a usable Location, or to a non-https URL
};

} // namespace imagine::http

template <>
struct std::is_error_code_enum<imagine::http::error> : std::true_type {
};

namespace imagine::http {

namespace detail {

class error_category_impl final : public std::error_category {
public:
    const char* name() const noexcept override { return "imagine.http"; }

    std::string message(int value) const override
    {
        switch (static_cast<error>(value)) {
        case error::invalid_url:
            return "invalid URL";
        case error::unsupported_scheme:
            return "unsupported URL scheme (only http and https)";
        case error::bad_status_line:
            return "malformed HTTP status line";
        case error::bad_version:
            return "unsupported HTTP version (only HTTP/1.0 and HTTP/1.1)";
        case error::bad_header:
            return "malformed HTTP header field";
        case error::bad_content_length:
            return "invalid or conflicting Content-Length";
        case error::bad_transfer_encoding:
            return "unsupported Transfer-Encoding (only chunked)";
        case error::bad_chunk:
            return "malformed chunked transfer encoding";
        case error::header_limit_exceeded:
            return "HTTP response head exceeds the header size limit";
        case error::body_limit_exceeded:
            return "HTTP response body exceeds the body size limit";
        case error::length_mismatch:
            return "connection ended before the Content-Length was reached";
        case error::premature_end:
            return "connection ended in the middle of an HTTP response";
        case error::chunk_extension_limit_exceeded:
            return "chunk extensions exceed the size limit";
        case error::event_too_large:
            return "server-sent event exceeds the maximum event size";
        case error::invalid_request:
            return "invalid request: method, header name or value contains invalid characters";
        case error::body_size_changed:
            return "request body source changed size while being sent";
        case error::body_not_replayable:
            return "request body cannot be sent again";
        case error::connect_timeout:
            return "timed out connecting (resolve, connect, TLS handshake)";
        case error::response_timeout:
            return "timed out waiting for the response head";
        case error::idle_timeout:
            return "timed out: no data received within the idle timeout";
        case error::total_timeout:
            return "timed out: the request's total deadline passed";
        case error::connection_closed:
            return "connection closed by the server before a response";
        case error::tls_handshake_failed:
            return "TLS handshake failed";
        case error::tls_protocol_version:
            return "TLS handshake failed: the server does not offer TLS 1.2 or later";
        case error::certificate_expired:
            return "TLS certificate verification failed: certificate has expired";
        case error::certificate_not_yet_valid:
            return "TLS certificate verification failed: certificate is not yet valid";
        case error::certificate_self_signed:
            return "TLS certificate verification failed: self-signed certificate is not trusted";
        case error::certificate_unknown_issuer:
            return "TLS certificate verification failed: issuer (CA) is not trusted";
        case error::certificate_host_mismatch:
            return "TLS certificate verification failed: certificate does not match the host name";
        case error::certificate_ip_mismatch:
            return "TLS certificate verification failed: certificate does not match the IP address";
        case error::certificate_verify_failed:
            return "TLS certificate verification failed";
        case error::tls_configuration:
            return "TLS configuration error (CA file/directory/PEM or client certificate)";
        case error::invalid_proxy:
            return "invalid proxy setting (expected http://[user:password@]host[:port])";
        case error::proxy_connect_failed:
            return "the proxy refused the CONNECT request";
        case error::proxy_auth_required:
            return "the proxy requires authentication (407)";
        case error::too_many_redirects:
            return "too many redirects";
        case error::bad_redirect:
            return "redirect without a usable https Location";
        }
        return "unknown imagine.http error";
    }
};

} // namespace detail

/// The category of http::error values (name "imagine.http").
inline const std::error_category& category() noexcept
{
    static const detail::error_category_impl instance;
    return instance;
}

inline std::error_code make_error_code(error e) noexcept
{
    return {static_cast<int>(e), category()};
}

/// True for the four timeout codes.
inline bool is_timeout(const std::error_code& ec) noexcept
{
    return ec.category() == category() &&
           (ec.value() == static_cast<int>(error::connect_timeout) ||
            ec.value() == static_cast<int>(error::response_timeout) ||
            ec.value() == static_cast<int>(error::idle_timeout) ||
            ec.value() == static_cast<int>(error::total_timeout));
}

} // namespace imagine::http
// ---- end imagine/http/error.hpp ----
// ---- begin imagine/http/parser.hpp ----

// An HTTP/1.x response parser that does no I/O: the connection pushes whatever bytes it
// received, in pieces of any size, and the parser tells how many it used. It never uses
// bytes of the next response, so a keep-alive connection hands the rest to the next
// parser run. A line that arrives incomplete is kept until its end arrives, and only the
// new bytes are searched for it, so input fed one byte at a time costs the same as input
// fed whole. Bodies go to a buffer (appended in bulk, reserved once for a known length),
// or piece by piece to a sink; body_window() lets the caller receive straight into the
// buffer instead.
//
// Deliberately strict where leniency would let two parties disagree about where a
// message ends: obs-fold, whitespace before a colon, bare CR, conflicting Content-Length
// values and transfer codings other than chunked are errors, not guesses.

// ---- begin imagine/http/chunked.hpp ----

// Pieces of the chunked transfer coding (RFC 9112 §7.1) that need no parser state: the
// value of a hex digit and the syntax of a chunk line's extensions. No extension means
// anything to imagine, but a malformed one means the framing cannot be trusted.

// ---- begin imagine/http/detail/ascii.hpp ----

// ASCII helpers shared by the HTTP parsers and the URL code. Deliberately not <cctype>:
// those follow the C locale, and protocol text is ASCII whatever the locale says.

#include <cstddef>
#include <string>
#include <string_view>

namespace imagine::http::detail {

constexpr bool is_ascii_alpha(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

constexpr bool is_ascii_digit(char c) noexcept
{
    return c >= '0' && c <= '9';
}

/// The value of a hex digit, or -1.
constexpr int hex_digit(char c) noexcept
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

constexpr char ascii_lower(char c) noexcept
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string ascii_lowercase(std::string_view text)
{
    std::string out(text);
    for (char& c : out)
        c = ascii_lower(c);
    return out;
}

constexpr bool ascii_iequals(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i]))
            return false;
    return true;
}

} // namespace imagine::http::detail
// ---- end imagine/http/detail/ascii.hpp ----
// ---- begin imagine/http/fields.hpp ----

// HTTP header fields: an ordered list that keeps duplicates and the spelling the peer
// used, looked up case-insensitively. A response carries a dozen fields, so a vector
// searched linearly beats any map, and it keeps the order for requests we write.


#include <algorithm>
#include <array>
#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace imagine::http {

namespace detail {

/// tchar of RFC 9110 §5.6.2: the bytes of a token (field names, chunk extensions). A
/// table, because every byte of every header name goes through it.
inline constexpr auto tchar_table = [] {
    std::array<bool, 256> table{};
    for (int c = '0'; c <= '9'; ++c)
        table[static_cast<std::size_t>(c)] = true;
    for (int c = 'a'; c <= 'z'; ++c)
        table[static_cast<std::size_t>(c)] = table[static_cast<std::size_t>(c - 'a' + 'A')] = true;
    for (char c : std::string_view("!#$%&'*+-.^_`|~"))
        table[static_cast<unsigned char>(c)] = true;
    return table;
}();

constexpr bool is_tchar(char c) noexcept
{
    return tchar_table[static_cast<unsigned char>(c)];
}

constexpr bool is_token(std::string_view s) noexcept
{
    return !s.empty() && std::all_of(s.begin(), s.end(), is_tchar);
}

/// SP or HTAB: optional whitespace (OWS) around field values and list elements.
constexpr bool is_ows(char c) noexcept
{
    return c == ' ' || c == '\t';
}

/// A byte allowed inside a field value: VCHAR, obs-text, SP and HTAB. Everything else
/// (NUL, CR, LF, other controls, DEL) would let a value smuggle framing.
constexpr bool is_field_byte(char c) noexcept
{
    const auto u = static_cast<unsigned char>(c);
    return (u >= 0x20 && u != 0x7f) || u == '\t';
}

/// A field value (or reason phrase) holds only field bytes: no CR, LF, NUL or controls.
constexpr bool is_field_value(std::string_view s) noexcept
{
    return std::all_of(s.begin(), s.end(), is_field_byte);
}

constexpr std::string_view trim_ows(std::string_view s) noexcept
{
    while (!s.empty() && is_ows(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_ows(s.back()))
        s.remove_suffix(1);
    return s;
}

} // namespace detail

/// ASCII case-insensitive equality (header names, tokens); other bytes compare exactly.
inline bool iequals(std::string_view a, std::string_view b) noexcept
{
    return detail::ascii_iequals(a, b);
}

/// True when the comma-separated `list` ("keep-alive, Close") has an element equal to
/// `token`, ignoring ASCII case and the whitespace around elements.
inline bool has_token(std::string_view list, std::string_view token) noexcept
{
    while (true) {
        const std::size_t comma = list.find(',');
        if (iequals(detail::trim_ows(list.substr(0, comma)), token))
            return true;
        if (comma == std::string_view::npos)
            return false;
        list.remove_prefix(comma + 1);
    }
}

/// An ordered list of header fields. Duplicates are kept (Set-Cookie, or a peer that
/// repeats a field); names compare case-insensitively and keep their original spelling.
class fields {
public:
    struct field {
        std::string name{};
        std::string value{};
    };

    /// Appends a field, even when one of that name exists.
    void add(std::string_view name, std::string_view value)
    {
        list_.push_back(field{std::string(name), std::string(value)});
    }

    /// Replaces every field of that name by one with `value`, at the place of the first
    /// (or at the end when there is none).
    void set(std::string_view name, std::string_view value)
    {
        auto first = std::find_if(list_.begin(), list_.end(),
                                  [&](const field& f) { return iequals(f.name, name); });
        if (first == list_.end()) {
            add(name, value);
            return;
        }
        first->value.assign(value);
        list_.erase(std::remove_if(std::next(first), list_.end(),
                                   [&](const field& f) { return iequals(f.name, name); }),
                    list_.end());
    }

    /// Removes every field of that name; returns how many there were.
    std::size_t erase(std::string_view name)
    {
        const std::size_t before = list_.size();
        list_.erase(std::remove_if(list_.begin(), list_.end(),
                                   [&](const field& f) { return iequals(f.name, name); }),
                    list_.end());
        return before - list_.size();
    }

    /// The value of the first field of that name, or nullptr.
    const std::string* find(std::string_view name) const noexcept
    {
        for (const field& f : list_)
            if (iequals(f.name, name))
                return &f.value;
        return nullptr;
    }

    /// The value of the first field of that name, or `fallback`.
    std::string_view value_or(std::string_view name, std::string_view fallback = {}) const noexcept
    {
        const std::string* value = find(name);
        return value ? std::string_view(*value) : fallback;
    }

    bool contains(std::string_view name) const noexcept { return find(name) != nullptr; }

    std::size_t size() const noexcept { return list_.size(); }
    bool empty() const noexcept { return list_.empty(); }

    /// Removes all fields; the storage stays for the next message.
    void clear() noexcept { list_.clear(); }

    auto begin() const noexcept { return list_.cbegin(); }
    auto end() const noexcept { return list_.cend(); }

private:
    std::vector<field> list_{};
};

} // namespace imagine::http
// ---- end imagine/http/fields.hpp ----

#include <cstddef>
#include <string_view>

namespace imagine::http::detail {

/// Checks what follows the chunk size on its line, line ending removed:
///
///   chunk-ext      = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
///   chunk-ext-name = token
///   chunk-ext-val  = token / quoted-string
///   quoted-string  = DQUOTE *( qdtext / quoted-pair ) DQUOTE
///   qdtext         = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
///   quoted-pair    = "\" ( HTAB / SP / VCHAR / obs-text )
///
/// Whitespace at the end of the line is tolerated as well: it cannot change where the
/// chunk ends, and some servers pad the size.
constexpr bool valid_chunk_extensions(std::string_view s) noexcept
{
    std::size_t i = 0;
    const std::size_t n = s.size();
    const auto skip_ows = [&] {
        while (i < n && is_ows(s[i]))
            ++i;
    };
    const auto token = [&] {
        const std::size_t start = i;
        while (i < n && is_tchar(s[i]))
            ++i;
        return i != start;
    };
    const auto quoted_string = [&] {
        for (++i; i < n; ++i) {
            const char c = s[i];
            if (c == '"') {
                ++i;
                return true;
            }
            if (c == '\\' && ++i == n)
                return false;
            // After a backslash any field byte may follow, '"' and '\' included.
            if (!is_field_byte(s[i]))
                return false;
        }
        return false;
    };

    while (true) {
        skip_ows();
        if (i == n)
            return true;
        if (s[i] != ';')
            return false;
        ++i;
        skip_ows();
        if (!token())
            return false;
        skip_ows();
        if (i < n && s[i] == '=') {
            ++i;
            skip_ows();
            if (i < n && s[i] == '"' ? !quoted_string() : !token())
                return false;
        }
    }
}

} // namespace imagine::http::detail
// ---- end imagine/http/chunked.hpp ----

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace imagine::http {

/// Sizes a response may not exceed; each has its own error code.
struct parser_limits {
    /// Status line + header fields, line endings included; separately, the trailer
    /// section of a chunked body. Each 1xx interim head has this budget on its own.
    std::size_t header_limit = 64 * 1024;
    /// Decoded body bytes, buffered or streamed to a sink. UINT64_MAX: no limit.
    std::uint64_t body_limit = 256ull << 20;
    /// The bytes after the size on one chunk-size line (its extensions), without the
    /// line ending.
    std::size_t chunk_extension_limit = 4096;
};

namespace detail {

/// Parses one Content-Length field value into `value`, which may hold the value of an
/// earlier field. A list of equal numbers ("5, 5") is what a proxy that merged two
/// identical fields sends; anything else that differs is an attempt at smuggling.
inline bool merge_content_length(std::string_view list, std::optional<std::uint64_t>& value)
{
    constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    while (true) {
        const std::size_t comma = list.find(',');
        const std::string_view element = trim_ows(list.substr(0, comma));
        if (element.empty())
            return false;
        std::uint64_t v = 0;
        for (char c : element) {
            if (c < '0' || c > '9')
                return false;
            const auto digit = static_cast<std::uint64_t>(c - '0');
            if (v > (max - digit) / 10)
                return false;
            v = v * 10 + digit;
        }
        if (value && *value != v)
            return false;
        value = v;
        if (comma == std::string_view::npos)
            return true;
        list.remove_prefix(comma + 1);
    }
}

/// Checks one Transfer-Encoding field value. The only coding imagine can undo is
/// chunked, and it must come exactly once (and so last) over all fields: `chunked` says
/// whether an earlier field had it. Empty list elements are allowed by the list syntax.
inline bool merge_transfer_encoding(std::string_view list, bool& chunked)
{
    while (true) {
        const std::size_t comma = list.find(',');
        const std::string_view element = trim_ows(list.substr(0, comma));
        if (!element.empty()) {
            if (chunked || !iequals(element, "chunked"))
                return false;
            chunked = true;
        }
        if (comma == std::string_view::npos)
            return true;
        list.remove_prefix(comma + 1);
    }
}

inline std::string_view strip_cr(std::string_view line) noexcept
{
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    return line;
}

} // namespace detail

/// Parses one HTTP/1.0 or HTTP/1.1 response at a time; reset() readies it for the next
/// one on the same connection. Errors are sticky until reset().
class response_parser {
public:
    /// Receives decoded body bytes (chunk framing removed) in order. Setting `ec` stops
    /// parsing: put() returns that error.
    using body_sink = std::function<void(std::string_view piece, std::error_code& ec)>;

    explicit response_parser(parser_limits limits = {}) : limits_(limits) {}

    /// Readies the parser for the next response on the same connection. The limits and
    /// the sink stay; the HEAD flag is cleared. Large buffers are released rather than
    /// kept for the life of a pooled connection.
    void reset()
    {
        head_request_ = false;
        state_ = state::status_line;
        error_ = {};
        started_ = false;
        header_done_ = false;
        chunked_ = false;
        keep_alive_ = false;
        status_ = 0;
        version_minor_ = 0;
        reason_.clear();
        headers_.clear();
        trailers_.clear();
        content_length_.reset();
        release(body_);
        release(line_);
        body_bytes_ = 0;
        remaining_ = 0;
        size_digits_ = false;
        head_size_ = 0;
        window_ = 0;
        slack_ = 0;
    }

    /// The request was HEAD: the response has no body whatever its headers say.
    void set_head_request(bool head) noexcept { head_request_ = head; }

    /// Streams body pieces to `sink` instead of buffering them; an empty function
    /// buffers. May be set any time before the body, e.g. once the head is known.
    void set_body_sink(body_sink sink) { sink_ = std::move(sink); }

    /// Consumes bytes of the response and returns how many. Stops at the end of the
    /// message (the rest belongs to the next response) and, once, right after the final
    /// head so the caller can look at it before any body byte is delivered. 1xx interim
    /// responses other than 101 are consumed and forgotten. On error the count covers
    /// the bytes used before it, and the parser keeps failing with the same code until
    /// reset().
    std::size_t put(std::string_view bytes, std::error_code& ec)
    {
        drop_window();
        ec = error_;
        if (error_ || state_ == state::done || bytes.empty())
            return 0;
        started_ = true;
        const char* const begin = bytes.data();
        const char* p = begin;
        const char* const end = begin + bytes.size();
        while (p != end && !error_ && state_ != state::done) {
            switch (state_) {
            case state::status_line:
            case state::fields:
                if (parse_head(p, end))
                    return finish_put(begin, p, ec); // the first look at the head
                break;
            case state::body_length: {
                const auto n = static_cast<std::size_t>(
                    std::min<std::uint64_t>(remaining_, static_cast<std::size_t>(end - p)));
                reserve_length_body();
                deliver(p, n);
                p += n;
                break;
            }
            case state::body_eof: {
                const std::uint64_t room = limits_.body_limit - body_bytes_;
                const auto n = static_cast<std::size_t>(
                    std::min<std::uint64_t>(room, static_cast<std::size_t>(end - p)));
                deliver(p, n);
                p += n;
                // Delivering exactly up to the limit keeps the result the same however the
                // input was split.
                if (p != end && !error_)
                    fail(error::body_limit_exceeded);
                break;
            }
            default:
                parse_chunked(p, end);
                break;
            }
        }
        return finish_put(begin, p, ec);
    }

    /// The peer closed the connection. Completes a body delimited by the close; inside a
    /// head or a chunked body it is premature_end, inside a Content-Length body
    /// length_mismatch. Nothing happens once done().
    void put_eof(std::error_code& ec)
    {
        drop_window();
        if (!error_) {
            if (state_ == state::body_eof)
                state_ = state::done;
            else if (state_ == state::body_length)
                fail(error::length_mismatch);
            else if (state_ != state::done)
                fail(error::premature_end);
        }
        ec = error_;
    }

    /// True once any byte of this response (an interim 1xx included) was consumed: an
    /// end of stream before that is a close, not a truncated response.
    bool started() const noexcept { return started_; }
    /// The final (non-1xx) head is complete: status, headers and framing are known.
    bool header_done() const noexcept { return header_done_; }
    /// The whole response, trailers included, is complete.
    bool done() const noexcept { return state_ == state::done; }

    unsigned status() const noexcept { return status_; }
    std::string_view reason() const noexcept { return reason_; }
    /// HTTP/1.0 -> 0, HTTP/1.1 -> 1.
    unsigned version_minor() const noexcept { return version_minor_; }
    const fields& headers() const noexcept { return headers_; }
    /// Fields of a chunked body's trailer section.
    const fields& trailers() const noexcept { return trailers_; }

    /// The body is framed by the chunked coding (false for responses without a body).
    bool chunked() const noexcept { return chunked_; }
    /// The Content-Length, when present and not overridden by Transfer-Encoding; also for
    /// HEAD and 304 responses, whose body it describes without framing one.
    std::optional<std::uint64_t> content_length() const noexcept { return content_length_; }

    /// The connection can carry another response after this one: HTTP/1.1 without
    /// "Connection: close" or HTTP/1.0 with "keep-alive", a body not delimited by the
    /// close, and framing no intermediary could read differently. Known at header_done().
    bool keep_alive() const noexcept { return keep_alive_; }

    /// The buffered body (no sink); may be moved from. Closes an open body_window().
    std::string& body() noexcept
    {
        drop_window();
        return body_;
    }
    /// Decoded body bytes so far, buffered or streamed.
    std::uint64_t body_bytes() const noexcept { return body_bytes_; }

    /// For receiving a buffered body without a copy: inside a Content-Length body or a
    /// chunk's data, with no sink, a writable region at the end of body() of
    /// min(max, bytes left in that body or chunk) bytes; empty otherwise. Write into it,
    /// then commit_body(). Any other call before that abandons the window.
    std::span<char> body_window(std::size_t max)
    {
        // The bytes of an earlier window that no read filled stay behind the body as
        // slack and are lent out again: a window is zero-filled once, not once per read.
        slack_ += window_;
        window_ = 0;
        if (error_ || sink_ || max == 0 ||
            (state_ != state::body_length && state_ != state::chunk_data)) {
            drop_window();
            return {};
        }
        reserve_length_body();
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(max, remaining_));
        const std::size_t end = body_.size() - slack_;
        if (slack_ < n)
            body_.resize(end + n);
        window_ = n;
        slack_ = body_.size() - end - n;
        return {body_.data() + end, n};
    }

    /// Takes the first `n` bytes written into the last body_window() (n is at most its
    /// size) as body, exactly as put() of those bytes would.
    void commit_body(std::size_t n, std::error_code& ec)
    {
        n = std::min(n, window_);
        slack_ += window_ - n;
        window_ = 0;
        if (!error_ && n != 0) {
            started_ = true;
            advance_body(n);
        }
        if (error_ || (state_ != state::body_length && state_ != state::chunk_data))
            drop_window(); // the body is exact once it leaves a body state
        ec = error_;
    }

private:
    enum class state : unsigned char {
        status_line,
        fields,
        body_length,   // remaining_ bytes of a Content-Length body left
        body_eof,      // body until the connection closes
        chunk_size,    // hex digits, value in remaining_
        chunk_ext,     // rest of the chunk-size line, buffered in line_
        chunk_data,    // remaining_ bytes of the chunk left
        chunk_data_cr, // the CRLF after chunk data
        chunk_data_lf,
        trailers,
        done,
    };

    enum class line_status { incomplete, complete, too_long };

    // Above this, a buffer is freed by reset() instead of kept for the next response.
    static constexpr std::size_t keep_capacity = 64 * 1024;
    // A larger Content-Length is believed only as far as the bytes really arrive.
    static constexpr std::uint64_t max_reserve = std::uint64_t{1} << 30;

    static void release(std::string& s) noexcept
    {
        if (s.capacity() > keep_capacity)
            std::string().swap(s);
        else
            s.clear();
    }

    void fail(std::error_code ec) noexcept
    {
        if (!error_)
            error_ = ec;
    }

    std::size_t finish_put(const char* begin, const char* p, std::error_code& ec) const noexcept
    {
        ec = error_;
        return static_cast<std::size_t>(p - begin);
    }

    void drop_window() noexcept
    {
        if (window_ + slack_ != 0) {
            body_.resize(body_.size() - window_ - slack_);
            window_ = 0;
            slack_ = 0;
        }
    }

    // Finds the end of the current line. Only [p, end) is searched: line_ holds the
    // beginning of the line, already known to have no LF. `max` bounds the whole line
    // with its LF; an unfinished line that already fills it cannot fit. A complete line
    // is returned without its LF, and views the input when it was not split.
    line_status next_line(const char*& p, const char* end, std::size_t max, std::string_view& line)
    {
        const auto avail = static_cast<std::size_t>(end - p);
        const void* lf = std::memchr(p, '\n', avail);
        if (lf == nullptr) {
            if (line_.size() + avail >= max)
                return line_status::too_long;
            line_.append(p, avail);
            p = end;
            return line_status::incomplete;
        }
        const auto n = static_cast<std::size_t>(static_cast<const char*>(lf) - p);
        if (line_.size() + n + 1 > max)
            return line_status::too_long;
        if (line_.empty()) {
            line = std::string_view(p, n);
        } else {
            line_.append(p, n);
            line = line_;
        }
        p += n + 1;
        return line_status::complete;
    }

    // Reads one line of the status line / header section (or trailer section, whose
    // fields go to `out`). Returns the line when complete; sets the error when too long.
    bool section_line(const char*& p, const char* end, std::string_view& line)
    {
        switch (next_line(p, end, limits_.header_limit - head_size_, line)) {
        case line_status::too_long:
            fail(error::header_limit_exceeded);
            return false;
        case line_status::incomplete:
            return false;
        case line_status::complete:
            head_size_ += line.size() + 1;
            return true;
        }
        return false;
    }

    // Status line and header fields. Returns true when the final head just completed.
    bool parse_head(const char*& p, const char* end)
    {
        std::string_view line;
        if (!section_line(p, end, line))
            return false;
        line = detail::strip_cr(line);
        bool final_head = false;
        if (state_ == state::status_line) {
            parse_status_line(line);
            state_ = state::fields;
        } else if (line.empty()) {
            final_head = finish_head();
        } else {
            parse_field(line, headers_);
        }
        line_.clear();
        return final_head && !error_;
    }

    // status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4); the
    // space before an empty reason may be missing, as some servers send it.
    void parse_status_line(std::string_view line)
    {
        constexpr std::string_view prefix = "HTTP/";
        if (line.substr(0, prefix.size()) != prefix)
            return fail(error::bad_status_line);
        line.remove_prefix(prefix.size());
        const std::size_t space = line.find(' ');
        const std::string_view version = line.substr(0, space);
        if (version != "1.1" && version != "1.0")
            return fail(error::bad_version);
        if (space == std::string_view::npos)
            return fail(error::bad_status_line);
        version_minor_ = static_cast<unsigned>(version[2] - '0');
        line.remove_prefix(space + 1);
        if (line.size() < 3 || (line.size() > 3 && line[3] != ' '))
            return fail(error::bad_status_line);
        unsigned code = 0;
        for (char c : line.substr(0, 3)) {
            if (c < '0' || c > '9')
                return fail(error::bad_status_line);
            code = code * 10 + static_cast<unsigned>(c - '0');
        }
        if (code < 100 || code > 599)
            return fail(error::bad_status_line);
        const std::string_view reason = line.substr(std::min<std::size_t>(line.size(), 4));
        if (!detail::is_field_value(reason))
            return fail(error::bad_status_line);
        status_ = code;
        reason_.assign(reason);
    }

    // field-line = field-name ":" OWS field-value OWS (RFC 9112 §5).
    void parse_field(std::string_view line, fields& out)
    {
        // A leading space is obs-fold (or junk between status line and fields): both
        // are rejected by RFC 9112 §5.2 and §2.2 for a client that does not repair them.
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || !detail::is_token(line.substr(0, colon)))
            return fail(error::bad_header);
        const std::string_view value = detail::trim_ows(line.substr(colon + 1));
        if (!detail::is_field_value(value))
            return fail(error::bad_header);
        out.add(line.substr(0, colon), value);
    }

    // The empty line after the fields: decides how the body is framed. Returns true for
    // the final head; a 1xx interim head is dropped and parsing starts again.
    bool finish_head()
    {
        if (status_ / 100 == 1 && status_ != 101) {
            status_ = 0;
            reason_.clear();
            headers_.clear();
            head_size_ = 0;
            state_ = state::status_line;
            return false;
        }
        std::optional<std::uint64_t> length;
        bool has_length = false;
        bool has_te = false;
        bool te_chunked = false;
        bool close = false;
        bool keep_alive_token = false;
        for (const fields::field& f : headers_) {
            if (iequals(f.name, "content-length")) {
                has_length = true;
                if (!detail::merge_content_length(f.value, length))
                    fail(error::bad_content_length);
            } else if (iequals(f.name, "transfer-encoding")) {
                has_te = true;
                if (!detail::merge_transfer_encoding(f.value, te_chunked))
                    fail(error::bad_transfer_encoding);
            } else if (iequals(f.name, "connection")) {
                close = close || has_token(f.value, "close");
                keep_alive_token = keep_alive_token || has_token(f.value, "keep-alive");
            }
        }
        if (has_te && !te_chunked)
            fail(error::bad_transfer_encoding); // only empty elements
        if (error_)
            return false;
        header_done_ = true;
        if (!has_te)
            content_length_ = length;

        keep_alive_ = version_minor_ == 1 ? !close : keep_alive_token && !close;
        // A message with both framings is how request smuggling starts, and an HTTP/1.0
        // peer cannot have meant chunked: the next response on this connection could
        // start anywhere (RFC 9112 §6.1).
        if ((has_te && has_length) || (has_te && version_minor_ == 0) || status_ == 101)
            keep_alive_ = false;

        if (head_request_ || status_ / 100 == 1 || status_ == 204 || status_ == 304) {
            state_ = state::done;
        } else if (has_te) {
            chunked_ = true;
            start_chunk();
        } else if (length) {
            if (*length > limits_.body_limit)
                fail(error::body_limit_exceeded);
            remaining_ = *length;
            state_ = *length == 0 ? state::done : state::body_length;
        } else {
            keep_alive_ = false;
            state_ = state::body_eof;
        }
        return true;
    }

    void start_chunk() noexcept
    {
        state_ = state::chunk_size;
        remaining_ = 0;
        size_digits_ = false;
    }

    // Reserves a whole Content-Length body once, before its first byte, so that appending
    // the pieces never moves it.
    void reserve_length_body()
    {
        if (state_ != state::body_length || sink_)
            return;
        const std::uint64_t want = std::min(remaining_, max_reserve);
        const std::size_t end = body_.size() - slack_ - window_; // slack is not body
        if (body_.capacity() - end < want)
            body_.reserve(end + static_cast<std::size_t>(want));
    }

    void deliver(const char* p, std::size_t n)
    {
        if (n == 0)
            return;
        if (sink_) {
            std::error_code ec;
            sink_(std::string_view(p, n), ec);
            if (ec)
                fail(ec);
        } else {
            body_.append(p, n);
        }
        advance_body(n);
    }

    // Counts n body bytes that are now in place and moves to what follows them.
    void advance_body(std::size_t n) noexcept
    {
        body_bytes_ += n;
        if (state_ == state::body_eof)
            return;
        remaining_ -= n;
        if (remaining_ == 0)
            state_ = state_ == state::body_length ? state::done : state::chunk_data_cr;
    }

    // The chunked transfer coding, RFC 9112 §7.1:
    //
    //   chunked-body   = *chunk last-chunk trailer-section CRLF
    //   chunk          = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
    //   chunk-size     = 1*HEXDIG
    //   last-chunk     = 1*("0") [ chunk-ext ] CRLF
    //   chunk-data     = 1*OCTET ; a sequence of chunk-size octets
    //   chunk-ext      = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
    //   chunk-ext-name = token
    //   chunk-ext-val  = token / quoted-string
    //   trailer-section = *( field-line CRLF )
    //
    // The size is read digit by digit (leading zeros cost nothing); the rest of the line
    // is kept whole, within chunk_extension_limit, and checked once complete (see
    // chunked.hpp). Chunk data goes out in one piece per call. Like every line, CRLF
    // may be a bare LF.
    void parse_chunked(const char*& p, const char* end)
    {
        switch (state_) {
        case state::chunk_size: {
            constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
            for (; p != end; ++p) {
                const int digit = detail::hex_digit(*p);
                if (digit < 0)
                    break;
                if (remaining_ > (max >> 4))
                    return fail(error::bad_chunk);
                remaining_ = remaining_ << 4 | static_cast<std::uint64_t>(digit);
                size_digits_ = true;
            }
            if (p != end && !size_digits_)
                fail(error::bad_chunk);
            else if (p != end)
                state_ = state::chunk_ext; // the rest of the line starts at *p
            return;
        }
        case state::chunk_ext: {
            const std::size_t limit = limits_.chunk_extension_limit;
            // Room for the CRLF: too_long then means the extensions alone exceed the limit.
            constexpr std::size_t size_max = std::numeric_limits<std::size_t>::max();
            const std::size_t max = limit > size_max - 2 ? size_max : limit + 2;
            std::string_view line;
            const line_status status = next_line(p, end, max, line);
            if (status == line_status::too_long)
                return fail(error::chunk_extension_limit_exceeded);
            if (status == line_status::incomplete)
                return;
            line = detail::strip_cr(line);
            if (line.size() > limit)
                fail(error::chunk_extension_limit_exceeded);
            else if (!detail::valid_chunk_extensions(line))
                fail(error::bad_chunk);
            line_.clear();
            if (error_)
                return;
            if (remaining_ == 0) {
                state_ = state::trailers;
                head_size_ = 0;
            } else if (remaining_ > limits_.body_limit - body_bytes_) {
                // Known before the first byte of the chunk: stop here rather than read it.
                fail(error::body_limit_exceeded);
            } else {
                state_ = state::chunk_data;
            }
            return;
        }
        case state::chunk_data: {
            const auto n = static_cast<std::size_t>(
                std::min<std::uint64_t>(remaining_, static_cast<std::size_t>(end - p)));
            deliver(p, n);
            p += n;
            return;
        }
        case state::chunk_data_cr:
        case state::chunk_data_lf: {
            const char c = *p++;
            if (c == '\r' && state_ == state::chunk_data_cr)
                state_ = state::chunk_data_lf;
            else if (c == '\n')
                start_chunk();
            else
                fail(error::bad_chunk);
            return;
        }
        case state::trailers: {
            std::string_view line;
            if (!section_line(p, end, line))
                return;
            line = detail::strip_cr(line);
            if (line.empty())
                state_ = state::done;
            else
                parse_field(line, trailers_);
            line_.clear();
            return;
        }
        default:
            return;
        }
    }

    parser_limits limits_{};
    body_sink sink_{};
    bool head_request_ = false;
    state state_ = state::status_line;
    std::error_code error_{};
    bool started_ = false;
    bool header_done_ = false;
    bool chunked_ = false;
    bool keep_alive_ = false;
    bool size_digits_ = false; // the chunk-size line has a digit
    unsigned status_ = 0;
    unsigned version_minor_ = 0;
    std::string reason_{};
    fields headers_{};
    fields trailers_{};
    std::optional<std::uint64_t> content_length_{};
    std::string body_{};
    std::uint64_t body_bytes_ = 0;
    std::uint64_t remaining_ = 0; // see state
    std::size_t head_size_ = 0;   // complete lines of the current head or trailer section
    std::string line_{};          // the beginning of an unfinished line
    std::size_t window_ = 0;      // bytes of body_ lent out by body_window()
    std::size_t slack_ = 0;       // spare bytes after the window (or the body), reused
};

} // namespace imagine::http
// ---- end imagine/http/parser.hpp ----

#include <asio/awaitable.hpp>
#include <asio/buffer.hpp>
#include <asio/error.hpp>
#include <asio/ssl/error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <array>
#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>
#include <vector>

namespace imagine::http::detail {

using imagine::detail::as_tuple;

/// Bytes received and not yet parsed. One allocation for the connection's lifetime.
class read_buffer {
public:
    explicit read_buffer(std::size_t capacity = 64 * 1024) : data_(capacity) {}

    std::string_view pending() const noexcept { return {data_.data() + begin_, end_ - begin_}; }
    bool empty() const noexcept { return begin_ == end_; }
    void consume(std::size_t n) noexcept
    {
        begin_ += n;
        if (begin_ == end_)
            begin_ = end_ = 0;
    }
    /// Free space at the end, after moving pending bytes to the front when that helps.
    std::span<char> prepare() noexcept
    {
        if (begin_ > 0 && end_ == data_.size()) {
            std::memmove(data_.data(), data_.data() + begin_, end_ - begin_);
            end_ -= begin_;
            begin_ = 0;
        }
        return {data_.data() + end_, data_.size() - end_};
    }
    void commit(std::size_t n) noexcept { end_ += n; }
    void clear() noexcept { begin_ = end_ = 0; }

private:
    std::vector<char> data_;
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
};

enum class io_phase { write, head, body };

/// A clean end of stream: EOF, or a TLS close without close_notify. The latter is
/// only acceptable where the message is complete anyway; the parser decides.
inline bool is_end_of_stream(const std::error_code& ec) noexcept
{
    return ec == asio::error::eof || ec == asio::ssl::error::stream_truncated;
}

// One piece of the request; `written` counts the bytes the stream accepted.
template <class Stream, class Hook>
asio::awaitable<std::error_code> write_piece(Stream& stream, asio::const_buffer piece,
                                             std::uint64_t& written, Hook& before)
{
    before(io_phase::write);
    auto [ec, n] = co_await asio::async_write(stream, piece, as_tuple(asio::use_awaitable));
    written += n;
    co_return ec;
}

/// Writes the head and the body. `written` counts bytes the stream accepted, so the
/// caller knows whether any request byte may have reached the server. Bodies go in
/// pieces of at most 256 KiB, so the idle timeout measures progress.
template <class Stream, class Hook>
asio::awaitable<std::error_code> write_request(Stream& stream, std::string head,
                                               const request_body& body, std::uint64_t& written,
                                               Hook&& before)
{
    constexpr std::size_t piece_size = 256 * 1024;
    written = 0;
    const auto* text = std::get_if<std::string>(&body);
    // Small bodies travel with the head: one write, one TLS record.
    if (text && text->size() <= 64 * 1024) {
        head.append(*text);
        co_return co_await write_piece(stream, asio::buffer(head), written, before);
    }
    if (auto ec = co_await write_piece(stream, asio::buffer(head), written, before))
        co_return ec;
    if (text) {
        for (std::size_t at = 0; at < text->size(); at += piece_size) {
            const std::size_t n = std::min(piece_size, text->size() - at);
            if (auto ec = co_await write_piece(stream, asio::buffer(text->data() + at, n), written,
                                               before))
                co_return ec;
        }
        co_return std::error_code{};
    }
    const auto* source = std::get_if<std::shared_ptr<body_source>>(&body);
    if (!source || !*source)
        co_return std::error_code{};
    std::vector<char> chunk(piece_size);
    std::uint64_t sent = 0;
    for (;;) {
        std::error_code ec;
        const std::size_t got = (*source)->read(chunk, ec);
        if (ec)
            co_return ec;
        if (got == 0)
            break;
        sent += got;
        if (auto wec =
                co_await write_piece(stream, asio::buffer(chunk.data(), got), written, before))
            co_return wec;
    }
    co_return sent == (*source)->size() ? std::error_code{}
                                        : make_error_code(error::body_size_changed);
}

/// Reads until the parser has the whole head (1xx responses are skipped by the parser).
/// EOF before the first byte of the answer is error::connection_closed: the server
/// dropped the connection, typically a keep-alive connection it had just timed out.
template <class Stream, class Hook>
asio::awaitable<std::error_code> read_head(Stream& stream, read_buffer& buffer,
                                           response_parser& parser, Hook&& before)
{
    using asio::use_awaitable;
    for (;;) {
        if (!buffer.empty()) {
            std::error_code ec;
            buffer.consume(parser.put(buffer.pending(), ec));
            if (ec)
                co_return ec;
            if (parser.header_done())
                co_return std::error_code{};
            if (!buffer.empty())
                continue;
        }
        before(io_phase::head);
        auto space = buffer.prepare();
        auto [ec, n] = co_await stream.async_read_some(asio::buffer(space.data(), space.size()),
                                                       as_tuple(use_awaitable));
        buffer.commit(n);
        if (ec) {
            if (!is_end_of_stream(ec))
                co_return ec;
            if (!parser.started())
                co_return make_error_code(error::connection_closed);
            std::error_code eof_ec;
            parser.put_eof(eof_ec);
            co_return eof_ec ? eof_ec : make_error_code(error::premature_end);
        }
    }
}

/// Reads body bytes until the parser has at least one new piece for its sink or the
/// message is complete. With no sink the parser buffers, and large reads go straight
/// into its body (`body_window`) instead of through `buffer`.
template <class Stream, class Hook>
asio::awaitable<std::error_code> read_body_step(Stream& stream, read_buffer& buffer,
                                                response_parser& parser, bool tls, Hook&& before)
{
    using asio::use_awaitable;
    if (!buffer.empty()) {
        std::error_code ec;
        buffer.consume(parser.put(buffer.pending(), ec));
        co_return ec;
    }
    before(io_phase::body);
    // Large reads go straight into the body. A TLS read fills what OpenSSL can decrypt
    // without waiting (read-ahead), a plain read what the socket holds.
    std::span<char> window = parser.body_window(256 * 1024);
    const bool direct = window.size() >= 8 * 1024;
    std::span<char> space = direct ? window : buffer.prepare();
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(space.data(), space.size()),
                                                   as_tuple(use_awaitable));
    std::error_code pec;
    if (n > 0) {
        if (direct) {
            parser.commit_body(n, pec);
        } else {
            buffer.commit(n);
            buffer.consume(parser.put(buffer.pending(), pec));
        }
        if (pec)
            co_return pec;
    }
    if (ec) {
        if (!is_end_of_stream(ec))
            co_return ec;
        if (parser.done())
            co_return std::error_code{};
        // A TLS peer that closes without close_notify may have been cut off by an
        // attacker: a body delimited only by the close cannot be trusted then.
        if (tls && ec == asio::ssl::error::stream_truncated && !parser.chunked() &&
            !parser.content_length())
            co_return make_error_code(error::premature_end);
        parser.put_eof(pec);
        co_return pec;
    }
    co_return std::error_code{};
}

/// Reads the rest of the message.
template <class Stream, class Hook>
asio::awaitable<std::error_code> read_body(Stream& stream, read_buffer& buffer,
                                           response_parser& parser, bool tls, Hook&& before)
{
    while (!parser.done()) {
        auto ec = co_await read_body_step(stream, buffer, parser, tls, before);
        if (ec)
            co_return ec;
    }
    co_return std::error_code{};
}

} // namespace imagine::http::detail
// ---- end imagine/http/detail/io.hpp ----
// ---- begin imagine/http/detail/tls_io.hpp ----

// TLS on a connected TCP socket, driven by readiness: OpenSSL reads and writes the
// non-blocking socket itself (a socket BIO), and when it needs more bytes or more room
// the operation waits for the socket to become readable or writable.
//
// Why not asio::ssl::stream: it moves every byte through a memory BIO pair, so each
// received record is copied twice more before decryption (socket -> Asio's buffer ->
// BIO pair -> OpenSSL's record buffer), and every record costs a trip through the
// reactor. With the socket BIO and read-ahead, OpenSSL receives whole records straight
// into its record buffer, and one read operation decrypts what has arrived into the
// caller's buffer before it waits again. (A record buffer larger than OpenSSL's default
// measured no faster, so connections keep the small one.) bench/http_bench
// compares the result with a blocking OpenSSL loop.
//
// Error codes follow Asio's SSL conventions, so callers need not know which stream
// they use: OpenSSL errors in asio::error::get_ssl_category(), a TLS close_notify as
// asio::error::eof, a close without close_notify as asio::ssl::error::stream_truncated.


#include <asio/buffer.hpp>
#include <asio/compose.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/ssl/error.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <cstddef>
#include <system_error>
#include <utility>

namespace imagine::http::detail {

class tls_session {
public:
    tls_session() = default;
    tls_session(const tls_session&) = delete;
    tls_session& operator=(const tls_session&) = delete;
    ~tls_session() { reset(); }

    /// A client session on `socket` (made non-blocking). False if OpenSSL cannot
    /// allocate one.
    bool attach(SSL_CTX* context, asio::ip::tcp::socket& socket)
    {
        reset();
        std::error_code ec;
        socket.non_blocking(true, ec);
        if (ec)
            return false;
        ssl_ = SSL_new(context);
        if (!ssl_ || SSL_set_fd(ssl_, static_cast<int>(socket.native_handle())) != 1) {
            reset();
            return false;
        }
        SSL_set_connect_state(ssl_);
        // Whole records per recv(); a write may return after part of the buffer and be
        // retried with the buffer at another address (async_write's loop does both).
        SSL_set_read_ahead(ssl_, 1);
        SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
        return true;
    }

    SSL* native_handle() const noexcept { return ssl_; }

    /// Decrypted bytes OpenSSL holds that no read has taken yet.
    bool has_buffered_input() const noexcept { return ssl_ && SSL_has_pending(ssl_) == 1; }

    template <class Token>
    auto async_handshake(asio::ip::tcp::socket& socket, Token&& token)
    {
        return start(
            socket, [](SSL* ssl) -> long { return SSL_connect(ssl); }, std::forward<Token>(token));
    }

    /// Reads into the first buffer as many decrypted bytes as are available without
    /// waiting, at least one.
    template <class MutableBuffers, class Token>
    auto async_read_some(asio::ip::tcp::socket& socket, const MutableBuffers& buffers,
                         Token&& token)
    {
        const asio::mutable_buffer target = first_buffer<asio::mutable_buffer>(buffers);
        return start(
            socket,
            [this, target](SSL* ssl) -> long {
                auto* data = static_cast<char*>(target.data());
                std::size_t total = 0;
                while (total < target.size()) {
                    std::size_t got = 0;
                    if (SSL_read_ex(ssl, data + total, target.size() - total, &got) == 1) {
                        total += got;
                        // With nothing left in OpenSSL's buffer, another call would only
                        // find the socket empty: one wasted recv() per read.
                        if (SSL_has_pending(ssl) != 1)
                            break;
                        continue;
                    }
                    if (total == 0)
                        return 0; // the io_op asks SSL_get_error what happened
                    // Bytes first; a real failure (not "wants more input") is
                    // reported by the next read.
                    want want_more = want::none;
                    if (auto ec = classify(ssl, 0, want_more); ec || want_more == want::none)
                        deferred_ = ec ? ec : std::error_code(asio::error::eof);
                    ERR_clear_error();
                    break;
                }
                return static_cast<long>(total);
            },
            std::forward<Token>(token));
    }

    template <class ConstBuffers, class Token>
    auto async_write_some(asio::ip::tcp::socket& socket, const ConstBuffers& buffers, Token&& token)
    {
        const asio::const_buffer source = first_buffer<asio::const_buffer>(buffers);
        return start(
            socket,
            [source](SSL* ssl) -> long {
                std::size_t written = 0;
                if (source.size() == 0)
                    return 0;
                if (SSL_write_ex(ssl, source.data(), source.size(), &written) == 1)
                    return static_cast<long>(written);
                return 0;
            },
            std::forward<Token>(token));
    }

private:
    enum class want { none, read, write };

    // What a failed OpenSSL call (return value `result`) means: wait for the socket
    // (`next`), or an error in Asio's terms.
    static std::error_code classify(SSL* ssl, int result, want& next)
    {
        next = want::none;
        const int saved_errno = errno;
        switch (SSL_get_error(ssl, result)) {
        case SSL_ERROR_WANT_READ:
            next = want::read;
            return {};
        case SSL_ERROR_WANT_WRITE:
            next = want::write;
            return {};
        case SSL_ERROR_ZERO_RETURN:
            return asio::error::eof;
        case SSL_ERROR_SYSCALL:
            if (ERR_peek_error() == 0)
                return saved_errno != 0
                           ? std::error_code(saved_errno, asio::error::get_system_category())
                           : std::error_code(asio::ssl::error::stream_truncated);
            [[fallthrough]];
        default: {
            const unsigned long code = ERR_get_error();
            ERR_clear_error();
            if (code == 0)
                return asio::error::connection_aborted; // a session already failed earlier
            if (ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
                return asio::ssl::error::stream_truncated;
            return std::error_code(static_cast<int>(code), asio::error::get_ssl_category());
        }
        }
    }

    template <class Buffer, class Buffers>
    static Buffer first_buffer(const Buffers& buffers)
    {
        for (auto it = asio::buffer_sequence_begin(buffers);
             it != asio::buffer_sequence_end(buffers); ++it) {
            Buffer buffer(*it);
            if (buffer.size() != 0)
                return buffer;
        }
        return Buffer();
    }

    // One OpenSSL call retried after each readiness wait it asks for. A call that
    // succeeds at once still completes through post(): completion handlers are never
    // invoked inside the initiating function (and coroutines do not recurse).
    template <class Call>
    struct io_op {
        tls_session* session;
        asio::ip::tcp::socket* socket;
        Call call;
        bool waited = false;
        bool finished = false;
        std::error_code result_ec{};
        std::size_t result_bytes = 0;

        template <class Self>
        void operator()(Self& self, std::error_code ec = {})
        {
            if (finished) {
                self.complete(result_ec, result_bytes);
                return;
            }
            if (ec)
                return finish(self, ec, 0);
            SSL* ssl = session->ssl_;
            if (!ssl)
                return finish(self, asio::error::bad_descriptor, 0);
            if (session->deferred_) {
                auto deferred = std::exchange(session->deferred_, std::error_code{});
                return finish(self, deferred, 0);
            }
            ERR_clear_error();
            errno = 0;
            const long result = call(ssl);
            if (result > 0)
                return finish(self, {}, static_cast<std::size_t>(result));
            want next = want::none;
            auto failure = classify(ssl, static_cast<int>(result), next);
            if (next == want::none)
                return finish(self, failure, 0);
            waited = true;
            socket->async_wait(next == want::read ? asio::ip::tcp::socket::wait_read
                                                  : asio::ip::tcp::socket::wait_write,
                               std::move(self));
        }

        template <class Self>
        void finish(Self& self, std::error_code ec, std::size_t bytes)
        {
            if (waited) {
                self.complete(ec, bytes);
                return;
            }
            finished = true;
            result_ec = ec;
            result_bytes = bytes;
            auto executor = socket->get_executor();
            asio::post(executor, std::move(self));
        }
    };

public:
    /// Frees the session. Operations still in flight then fail with bad_descriptor
    /// instead of touching a socket number the OS may have handed out again.
    void reset() noexcept
    {
        if (ssl_) {
            SSL_free(ssl_);
            ssl_ = nullptr;
        }
        deferred_.clear();
    }

private:
    template <class Call, class Token>
    auto start(asio::ip::tcp::socket& socket, Call call, Token&& token)
    {
        return asio::async_compose<Token, void(std::error_code, std::size_t)>(
            io_op<Call>{this, &socket, std::move(call)}, token, socket);
    }

    SSL* ssl_ = nullptr;
    std::error_code deferred_{};
};

} // namespace imagine::http::detail
// ---- end imagine/http/detail/tls_io.hpp ----
// ---- begin imagine/http/message.hpp ----

// What the client sends and what it returns: a request (method, URL, fields, body,
// per-request timeouts) and a buffered response, plus the serialization of a request
// head. Requests are validated while serializing, so a header value carrying CR/LF
// (header injection) is refused before a byte is sent.

// ---- begin imagine/http/url.hpp ----

// Absolute http/https URLs, parsed strictly enough that what reaches the resolver, the
// Host header and the request line is exactly what the caller wrote, or an error.
//
//   auto u = http::parse_url("https://api.openai.com/v1/images/generations");
//   u.host_header();   // "api.openai.com"
//   u.authority();     // "api.openai.com:443"
//   u.target;          // "/v1/images/generations"
//
// Rules (anything else is error::invalid_url):
// - scheme http or https, any case (another well-formed scheme: error::unsupported_scheme),
//   followed by "//"; no leading or trailing whitespace.
// - userinfo (proxy URLs): RFC 3986 characters, percent escapes decoded into username and
//   password. The raw text may not hold a second '@'.
// - host: a bracketed IPv6 literal (RFC 4291 text form, no zone id), a dotted quad of four
//   decimal numbers 0-255 without leading zeros, or a name of letters, digits, '-' and
//   '_' (Docker and other internal names use it; resolvers accept it) in non-empty labels
//   of at most 63 characters, 253 in all; one trailing dot is removed. A name whose last
//   label looks like a number ("1.2.3", "0x7f.1", "2130706433") is refused: resolvers
//   read such names as IPv4 addresses in forms we do not validate.
// - port: decimal digits, 1-65535; absent means 80 or 443. "host:" with no digits is refused.
// - path and query: kept byte for byte (no percent-encoding is added or removed); spaces,
//   control characters and bytes >= 0x80 are refused everywhere in the URL. The fragment
//   is dropped.


#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

namespace imagine::http {

/// An absolute http or https URL, split into what a request needs.
struct url {
    std::string scheme{};   ///< "http" or "https", lower-cased
    std::string username{}; ///< percent-decoded userinfo (proxy URLs); empty when absent
    std::string password{}; ///< percent-decoded; never shown by to_string()
    std::string host{};     ///< lower-cased name, dotted IPv4, or IPv6 without brackets
    std::uint16_t port = 0; ///< explicit, else the scheme default (80 / 443)
    std::string target{};   ///< path + optional "?query"; "/" when empty; no fragment

    bool is_https() const noexcept { return scheme == "https"; }

    /// The host is an IPv6 literal (names and IPv4 addresses never contain ':').
    bool is_ipv6() const noexcept { return host.find(':') != std::string::npos; }

    /// The host is an IPv4 or IPv6 literal, not a name to resolve.
    bool is_ip() const noexcept;

    bool has_default_port() const noexcept { return port == (is_https() ? 443 : 80); }

    /// Host header value: "example.com", "example.com:8443", "[::1]:8443"; the port only
    /// when it is not the scheme's default.
    std::string host_header() const;

    /// Host and port, always with the port: "example.com:443", "[::1]:8443" (CONNECT target).
    std::string authority() const;

    /// "https://example.com:443": scheme and authority (the connection pool's key).
    std::string origin() const;

    /// The URL without credentials: "https://example.com:8443/path?q". Username and
    /// password are both left out (the username may be a token too); the port shows when
    /// it is not the default. parse_url() of the result gives the same fields minus the
    /// credentials.
    std::string to_string() const;

    friend bool operator==(const url&, const url&) = default;
};

namespace detail {

/// Bytes a URL never carries raw: space, controls, DEL and everything >= 0x80.
inline bool is_unsafe_url_byte(char c) noexcept
{
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u >= 0x7f;
}

/// Length of a leading RFC 3986 scheme that is followed by ':', else 0.
inline std::size_t scheme_length(std::string_view text) noexcept
{
    if (text.empty() || !is_ascii_alpha(text[0]))
        return 0;
    for (std::size_t i = 1; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ':')
            return i;
        if (!is_ascii_alpha(c) && !is_ascii_digit(c) && c != '+' && c != '-' && c != '.')
            return 0;
    }
    return 0;
}

/// Strict dotted quad: four decimal numbers 0-255, no leading zeros, no other forms.
inline bool parse_ipv4(std::string_view text, std::array<std::uint8_t, 4>& out) noexcept
{
    std::size_t i = 0;
    for (std::size_t part = 0; part < 4; ++part) {
        const std::size_t start = i;
        unsigned value = 0;
        while (i < text.size() && is_ascii_digit(text[i]) && i - start < 4) {
            value = value * 10 + static_cast<unsigned>(text[i] - '0');
            ++i;
        }
        const std::size_t length = i - start;
        if (length == 0 || length > 3 || value > 255 || (length > 1 && text[start] == '0'))
            return false;
        out[part] = static_cast<std::uint8_t>(value);
        if (part < 3) {
            if (i == text.size() || text[i] != '.')
                return false;
            ++i;
        }
    }
    return i == text.size();
}

inline bool is_ipv4(std::string_view text) noexcept
{
    std::array<std::uint8_t, 4> ignored{};
    return parse_ipv4(text, ignored);
}

/// RFC 4291 section 2.2 text form: eight groups of 1-4 hex digits, one "::" standing for
/// at least one zero group, optionally a dotted quad as the last 32 bits. Written here
/// rather than taken from inet_pton so that no socket header is needed; the tests and the
/// URL fuzzer check that both accept the same strings and give the same bytes.
inline bool parse_ipv6(std::string_view text, std::array<std::uint8_t, 16>& out) noexcept
{
    std::array<std::uint16_t, 8> groups{};
    std::size_t count = 0;
    std::size_t gap = 9; // index in `groups` where "::" stands; 9: none
    std::size_t i = 0;
    if (text.starts_with("::")) {
        gap = 0;
        i = 2;
    } else if (text.starts_with(":")) {
        return false;
    }
    while (!(gap == 0 && count == 0 && i == text.size())) {
        if (i == text.size())
            return false; // a single ':' at the end
        const std::size_t end = text.find(':', i);
        const std::string_view piece =
            text.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
        if (piece.find('.') != std::string_view::npos) {
            std::array<std::uint8_t, 4> v4{};
            if (end != std::string_view::npos || count > 6 || !parse_ipv4(piece, v4))
                return false;
            groups[count++] = static_cast<std::uint16_t>(v4[0] << 8 | v4[1]);
            groups[count++] = static_cast<std::uint16_t>(v4[2] << 8 | v4[3]);
            break;
        }
        if (piece.empty() || piece.size() > 4 || count == 8)
            return false;
        unsigned value = 0;
        for (char c : piece) {
            const int h = hex_digit(c);
            if (h < 0)
                return false;
            value = value << 4 | static_cast<unsigned>(h);
        }
        groups[count++] = static_cast<std::uint16_t>(value);
        if (end == std::string_view::npos)
            break;
        i = end + 1;
        if (i < text.size() && text[i] == ':') {
            if (gap != 9)
                return false;
            gap = count;
            ++i;
            if (i == text.size())
                break;
        }
    }
    if (gap == 9 ? count != 8 : count > 7)
        return false;
    std::array<std::uint16_t, 8> full{};
    const std::size_t tail = gap == 9 ? 0 : count - gap;
    for (std::size_t k = 0; k < count - tail; ++k)
        full[k] = groups[k];
    for (std::size_t k = 0; k < tail; ++k)
        full[8 - tail + k] = groups[count - tail + k];
    for (std::size_t k = 0; k < 8; ++k) {
        out[2 * k] = static_cast<std::uint8_t>(full[k] >> 8);
        out[2 * k + 1] = static_cast<std::uint8_t>(full[k] & 0xff);
    }
    return true;
}

inline bool is_ipv6(std::string_view text) noexcept
{
    std::array<std::uint8_t, 16> ignored{};
    return parse_ipv6(text, ignored);
}

/// WHATWG's "ends in a number": such names are IPv4 addresses to getaddrinfo.
inline bool ends_in_number(std::string_view host) noexcept
{
    const auto dot = host.rfind('.');
    const std::string_view last = dot == std::string_view::npos ? host : host.substr(dot + 1);
    if (last.empty())
        return false;
    bool digits = true;
    for (char c : last)
        digits = digits && is_ascii_digit(c);
    if (digits)
        return true;
    if (!last.starts_with("0x"))
        return false;
    for (char c : last.substr(2))
        if (hex_digit(c) < 0)
            return false;
    return true;
}

/// A lower-cased host name without its trailing dot: see the rules at the top.
inline bool is_valid_host_name(std::string_view host) noexcept
{
    if (host.empty() || host.size() > 253)
        return false;
    std::size_t label = 0;
    for (char c : host) {
        if (c == '.') {
            if (label == 0)
                return false;
            label = 0;
            continue;
        }
        if (!is_ascii_alpha(c) && !is_ascii_digit(c) && c != '-' && c != '_')
            return false;
        if (++label > 63)
            return false;
    }
    return label != 0 && !ends_in_number(host);
}

/// Percent-encodes everything but RFC 3986 unreserved characters (userinfo, query
/// names and values).
inline std::string percent_encode(std::string_view in)
{
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (char c : in) {
        if (is_ascii_alpha(c) || is_ascii_digit(c) || c == '-' || c == '.' || c == '_' ||
            c == '~') {
            out += c;
        } else {
            const auto u = static_cast<unsigned char>(c);
            out += '%';
            out += digits[u >> 4];
            out += digits[u & 15];
        }
    }
    return out;
}

/// Decodes %XX escapes; false on a malformed escape.
inline bool percent_decode(std::string_view in, std::string& out)
{
    out.clear();
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        if (i + 2 >= in.size())
            return false;
        const int hi = hex_digit(in[i + 1]);
        const int lo = hex_digit(in[i + 2]);
        if (hi < 0 || lo < 0)
            return false;
        out += static_cast<char>(hi << 4 | lo);
        i += 2;
    }
    return true;
}

/// RFC 3986 userinfo characters (unreserved, sub-delims, ':' and '%' of an escape).
inline bool is_userinfo_char(char c) noexcept
{
    return is_ascii_alpha(c) || is_ascii_digit(c) ||
           std::string_view("-._~!$&'()*+,;=:%").find(c) != std::string_view::npos;
}

/// The host as it appears in a URL: IPv6 literals in brackets.
inline std::string bracketed_host(const url& u)
{
    return u.is_ipv6() ? "[" + u.host + "]" : u.host;
}

/// Parses "host[:port]" (the authority after userinfo) into u.host and u.port.
inline bool parse_host_port(std::string_view text, url& u)
{
    std::string_view rest;
    if (text.starts_with("[")) {
        const auto close = text.find(']');
        if (close == std::string_view::npos)
            return false;
        const std::string_view literal = text.substr(1, close - 1);
        if (!is_ipv6(literal))
            return false;
        u.host = ascii_lowercase(literal);
        rest = text.substr(close + 1);
    } else {
        const auto colon = text.find(':');
        std::string host = ascii_lowercase(text.substr(0, colon));
        if (host.size() > 1 && host.back() == '.')
            host.pop_back();
        if (!is_ipv4(host) && !is_valid_host_name(host))
            return false;
        u.host = std::move(host);
        rest = colon == std::string_view::npos ? std::string_view() : text.substr(colon);
    }
    u.port = u.is_https() ? 443 : 80;
    if (rest.empty())
        return true;
    if (rest[0] != ':' || rest.size() == 1)
        return false;
    unsigned long value = 0;
    for (char c : rest.substr(1)) {
        if (!is_ascii_digit(c))
            return false;
        value = value * 10 + static_cast<unsigned long>(c - '0');
        if (value > 65535)
            return false;
    }
    if (value == 0)
        return false;
    u.port = static_cast<std::uint16_t>(value);
    return true;
}

/// RFC 3986 section 5.2.4: removes "." and ".." segments from an absolute path.
inline std::string remove_dot_segments(std::string_view in)
{
    std::string out;
    const auto drop_last_segment = [&out] {
        const auto slash = out.rfind('/');
        out.erase(slash == std::string::npos ? 0 : slash);
    };
    while (!in.empty()) {
        if (in.starts_with("../")) {
            in.remove_prefix(3);
        } else if (in.starts_with("./")) {
            in.remove_prefix(2);
        } else if (in.starts_with("/./")) {
            in.remove_prefix(2);
        } else if (in == "/.") {
            out += '/';
            break;
        } else if (in.starts_with("/../")) {
            in.remove_prefix(3);
            drop_last_segment();
        } else if (in == "/..") {
            drop_last_segment();
            out += '/';
            break;
        } else if (in == "." || in == "..") {
            break;
        } else {
            const auto next = in.find('/', 1);
            const auto segment = in.substr(0, next);
            out += segment;
            in.remove_prefix(segment.size());
        }
    }
    return out;
}

inline url parse_url_impl(std::string_view text, std::error_code& ec)
{
    url u;
    const std::size_t scheme_end = scheme_length(text);
    if (scheme_end == 0) {
        ec = error::invalid_url;
        return {};
    }
    const std::string_view scheme = text.substr(0, scheme_end);
    if (!ascii_iequals(scheme, "http") && !ascii_iequals(scheme, "https")) {
        ec = error::unsupported_scheme;
        return {};
    }
    for (char c : text)
        if (is_unsafe_url_byte(c)) {
            ec = error::invalid_url;
            return {};
        }
    u.scheme = ascii_lowercase(scheme);
    std::string_view rest = text.substr(scheme_end + 1);
    if (!rest.starts_with("//")) {
        ec = error::invalid_url;
        return {};
    }
    rest.remove_prefix(2);
    rest = rest.substr(0, rest.find('#'));
    const auto authority_end = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, authority_end);
    const std::string_view path_and_query =
        authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);

    const auto at = authority.find('@');
    if (at != std::string_view::npos) {
        const std::string_view userinfo = authority.substr(0, at);
        authority.remove_prefix(at + 1);
        bool ok = authority.find('@') == std::string_view::npos;
        for (char c : userinfo)
            ok = ok && is_userinfo_char(c);
        const auto colon = userinfo.find(':');
        ok = ok && percent_decode(userinfo.substr(0, colon), u.username);
        if (ok && colon != std::string_view::npos)
            ok = percent_decode(userinfo.substr(colon + 1), u.password);
        if (!ok) {
            ec = error::invalid_url;
            return {};
        }
    }
    if (!parse_host_port(authority, u)) {
        ec = error::invalid_url;
        return {};
    }
    u.target = path_and_query.starts_with("/") ? std::string(path_and_query)
                                               : "/" + std::string(path_and_query);
    ec.clear();
    return u;
}

} // namespace detail

inline bool url::is_ip() const noexcept
{
    return is_ipv6() || detail::is_ipv4(host);
}

inline std::string url::host_header() const
{
    std::string out = detail::bracketed_host(*this);
    if (!has_default_port())
        out += ":" + std::to_string(port);
    return out;
}

inline std::string url::authority() const
{
    return detail::bracketed_host(*this) + ":" + std::to_string(port);
}

inline std::string url::origin() const
{
    return scheme + "://" + authority();
}

inline std::string url::to_string() const
{
    return scheme + "://" + host_header() + target;
}

/// Parses an absolute http/https URL (rules at the top of this header); on failure sets
/// error::invalid_url or error::unsupported_scheme and returns an empty url.
inline url parse_url(std::string_view text, std::error_code& ec)
{
    return detail::parse_url_impl(text, ec);
}

/// As above; throws std::system_error. The message never quotes the text (it may hold a
/// password or a key in its query).
inline url parse_url(std::string_view text)
{
    std::error_code ec;
    url u = parse_url(text, ec);
    if (ec)
        throw std::system_error(ec, "imagine::http::parse_url");
    return u;
}

/// `base` and `path` with exactly one '/' between them, whatever slashes either side
/// brings: join_url("https://h/v1/", "/images") == "https://h/v1/images". `path` may carry
/// a query. A `path` starting with '?' is appended as it is; an empty one returns `base`.
inline std::string join_url(std::string_view base, std::string_view path)
{
    if (path.empty() || path.starts_with("?"))
        return std::string(base) + std::string(path);
    while (base.ends_with("/"))
        base.remove_suffix(1);
    while (path.starts_with("/"))
        path.remove_prefix(1);
    return std::string(base) + "/" + std::string(path);
}

/// Resolves a redirect's Location against the URL that was requested (RFC 3986 section
/// 5.2): an absolute URL, a network-path "//host/x" (base scheme), an absolute path
/// "/p?q", a query "?q", or a relative path "x" merged with the base path. Dot segments
/// are removed from the resulting path, the fragment is dropped, and the result carries
/// no credentials (a redirect never passes the base's userinfo on). Errors as parse_url.
inline url resolve_location(const url& base, std::string_view location, std::error_code& ec)
{
    url out;
    if (detail::scheme_length(location) != 0) {
        out = parse_url(location, ec);
    } else if (location.starts_with("//")) {
        out = parse_url(base.scheme + ":" + std::string(location), ec);
    } else {
        for (char c : location)
            if (detail::is_unsafe_url_byte(c)) {
                ec = error::invalid_url;
                return {};
            }
        if (location.empty() || base.target.empty()) {
            ec = error::invalid_url;
            return {};
        }
        out = base;
        location = location.substr(0, location.find('#'));
        const auto query_at = location.find('?');
        const std::string_view path = location.substr(0, query_at);
        const std::string_view base_path =
            std::string_view(base.target).substr(0, std::string_view(base.target).find('?'));
        if (path.empty()) {
            // "?q" replaces the base query; "" and "#f" keep the whole base target.
            out.target = query_at == std::string_view::npos
                             ? base.target
                             : std::string(base_path) + std::string(location.substr(query_at));
        } else {
            out.target = path.starts_with("/")
                             ? std::string(path)
                             : std::string(base_path.substr(0, base_path.rfind('/') + 1)) +
                                   std::string(path);
            if (query_at != std::string_view::npos)
                out.target += location.substr(query_at);
        }
        ec.clear();
    }
    if (ec)
        return {};
    const auto query_at = out.target.find('?');
    std::string path =
        detail::remove_dot_segments(std::string_view(out.target).substr(0, query_at));
    if (!path.starts_with("/"))
        path.insert(0, "/");
    out.target = query_at == std::string::npos ? path : path + out.target.substr(query_at);
    out.username.clear();
    out.password.clear();
    return out;
}

} // namespace imagine::http
// ---- end imagine/http/url.hpp ----

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace imagine::http {

/// Time limits of one exchange. Each has its own error code. Zero means no limit.
struct timeout_options {
    /// Resolve + TCP connect + proxy CONNECT + TLS handshake (error::connect_timeout).
    std::chrono::milliseconds connect{std::chrono::seconds(30)};
    /// From the end of the request to the end of the response head
    /// (error::response_timeout). A non-streamed high quality image takes 1-4 minutes
    /// before the first response byte.
    std::chrono::milliseconds response{std::chrono::minutes(10)};
    /// Longest gap without a byte while writing the body or reading the response body
    /// (error::idle_timeout).
    std::chrono::milliseconds idle{std::chrono::minutes(2)};
    /// The whole exchange, redirects and body included (error::total_timeout).
    std::chrono::milliseconds total{std::chrono::minutes(15)};
};

/// What happened to a request on the wire, for callers that must know whether the
/// server may have acted on it (a retry of a fully sent generation can bill twice).
struct request_progress {
    /// Request bytes written to the last connection tried (head included).
    std::uint64_t bytes_written = 0;
    /// The whole request was written: the server may be processing it.
    bool sent = false;
    /// Some of the response has arrived.
    bool response_started = false;
};

struct request {
    std::string method = "GET";
    url target{};
    /// Host and Content-Length are written by the client; do not set them here.
    fields headers{};
    request_body body{};
    /// Replaces the client's timeouts for this request.
    std::optional<timeout_options> timeouts{};
    /// When set, updated as the request travels; must outlive the operation.
    request_progress* progress = nullptr;
};

struct response {
    unsigned status = 0;
    std::string reason{};
    fields headers{};
    std::string body{};
    /// The URL that answered (differs from the request's after redirects).
    url final_url{};
};

namespace detail {

inline void append_field(std::string& out, std::string_view name, std::string_view value)
{
    out.append(name).append(": ").append(value).append("\r\n");
}

/// The request head in origin form ("POST /v1/x HTTP/1.1"), with Host and, when there is
/// a body or the method usually carries one, Content-Length. Sets
/// error::invalid_request for an invalid method or field.
inline std::string serialize_head(const request& req, std::error_code& ec)
{
    ec.clear();
    std::string out;
    if (!is_token(req.method)) {
        ec = make_error_code(error::invalid_request);
        return out;
    }
    out.reserve(256);
    out.append(req.method).append(" ").append(req.target.target).append(" HTTP/1.1\r\n");
    append_field(out, "Host", req.target.host_header());
    for (const auto& field : req.headers) {
        if (!is_token(field.name) || !is_field_value(field.value)) {
            ec = make_error_code(error::invalid_request);
            out.clear();
            return out;
        }
        if (iequals(field.name, "host") || iequals(field.name, "content-length") ||
            iequals(field.name, "transfer-encoding"))
            continue; // ours to write
        append_field(out, field.name, field.value);
    }
    const std::uint64_t length = body_size(req.body);
    if (length > 0 || req.method == "POST" || req.method == "PUT" || req.method == "PATCH")
        append_field(out, "Content-Length", std::to_string(length));
    out.append("\r\n");
    return out;
}

} // namespace detail

} // namespace imagine::http
// ---- end imagine/http/message.hpp ----
// ---- begin imagine/http/proxy.hpp ----

// HTTP proxies (reached with CONNECT for https targets): the setting's syntax, the
// environment variables curl and most tools read, and no_proxy matching.
//
//   std::error_code ec;
//   if (auto proxy = http::proxy_from_environment(target, ec))
//       connect_through(*proxy, http::proxy_authorization(*proxy));
//
// Only plain http:// proxies are supported (no TLS to the proxy, no SOCKS). A proxy
// without a port uses 80, the http default (Go, Python and libproxy do the same; curl
// uses 1080). Credentials never appear in to_string() or in an error.


#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace imagine::http {

/// Where to send requests through, and who to say we are.
struct proxy_settings {
    url address{};          ///< http://host:port/ of the proxy, without credentials
    std::string username{}; ///< percent-decoded; empty: no Proxy-Authorization
    std::string password{}; ///< percent-decoded; never shown

    /// "http://host:port", or "http://user:***@host:port" when there is a username (or
    /// ":***@" for a password alone): the password never, the username percent-encoded.
    std::string to_string() const;
};

namespace detail {

/// An IP address for no_proxy matching: 4 or 16 bytes.
struct ip_address {
    std::array<std::uint8_t, 16> bytes{};
    std::size_t size = 0; // 4 or 16; 0: not an address
};

inline ip_address parse_ip(std::string_view text) noexcept
{
    ip_address ip;
    std::array<std::uint8_t, 4> v4{};
    if (parse_ipv4(text, v4)) {
        for (std::size_t i = 0; i < 4; ++i)
            ip.bytes[i] = v4[i];
        ip.size = 4;
    } else if (parse_ipv6(text, ip.bytes)) {
        ip.size = 16;
    }
    return ip;
}

/// True when the first `bits` bits of both addresses are equal.
inline bool same_prefix(const ip_address& a, const ip_address& b, unsigned bits) noexcept
{
    for (std::size_t i = 0; bits > 0; ++i, bits = bits > 8 ? bits - 8 : 0) {
        const unsigned mask = bits >= 8 ? 0xffU : (0xff00U >> bits) & 0xffU;
        if ((a.bytes[i] & mask) != (b.bytes[i] & mask))
            return false;
    }
    return true;
}

/// Decimal digits only, at most `max_digits`, into `value`.
inline bool parse_small_number(std::string_view text, std::size_t max_digits,
                               unsigned& value) noexcept
{
    value = 0;
    if (text.empty() || text.size() > max_digits)
        return false;
    for (char c : text) {
        if (!is_ascii_digit(c))
            return false;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    return true;
}

/// One no_proxy entry against a host (lower-case, as in url::host) and port.
inline bool no_proxy_entry_matches(std::string_view entry, std::string_view host,
                                   std::uint16_t port) noexcept
{
    // Take "address", ":port" and "/prefix" apart: "[v6]:port", "[v6]/len", "v4/len",
    // "v6/len", "name:port", "v4:port". An IPv6 address without brackets has more than
    // one ':' and so no port.
    std::string_view address = entry;
    std::string_view port_text;
    std::string_view prefix_text;
    bool has_port = false;
    bool has_prefix = false;
    if (entry.starts_with("[")) {
        const auto close = entry.find(']');
        if (close == std::string_view::npos)
            return false;
        address = entry.substr(1, close - 1);
        const std::string_view rest = entry.substr(close + 1);
        has_port = rest.starts_with(":");
        has_prefix = rest.starts_with("/");
        if (!rest.empty() && !has_port && !has_prefix)
            return false;
        if (has_port)
            port_text = rest.substr(1);
        else if (has_prefix)
            prefix_text = rest.substr(1);
    } else {
        if (const auto slash = entry.find('/'); slash != std::string_view::npos) {
            has_prefix = true;
            prefix_text = entry.substr(slash + 1);
            address = entry.substr(0, slash);
        }
        const auto colon = address.find(':');
        if (colon != std::string_view::npos &&
            address.find(':', colon + 1) == std::string_view::npos) {
            has_port = true;
            port_text = address.substr(colon + 1);
            address = address.substr(0, colon);
        }
    }
    unsigned number = 0;
    if (has_port && (!parse_small_number(port_text, 5, number) || number != port))
        return false;

    const ip_address target = parse_ip(host);
    if (has_prefix) {
        const ip_address network = parse_ip(address);
        return network.size != 0 && network.size == target.size &&
               parse_small_number(prefix_text, 3, number) && number <= network.size * 8 &&
               same_prefix(network, target, number);
    }

    // An address: equal addresses ("::1" matches "0:0::1"), never a suffix.
    if (const ip_address ip = parse_ip(address); ip.size != 0)
        return ip.size == target.size &&
               same_prefix(ip, target, static_cast<unsigned>(ip.size * 8));
    if (target.size != 0)
        return false;

    // A name: ".example.com", "*.example.com" and "example.com" all match example.com
    // itself and every name below it.
    if (address.starts_with("*."))
        address.remove_prefix(2);
    else if (address.starts_with("."))
        address.remove_prefix(1);
    if (address.ends_with("."))
        address.remove_suffix(1);
    if (address.empty() || address.size() > host.size())
        return false;
    const std::string_view tail = host.substr(host.size() - address.size());
    if (!ascii_iequals(tail, address))
        return false;
    return host.size() == address.size() || host[host.size() - address.size() - 1] == '.';
}

inline std::string_view getenv_view(const char* name) noexcept
{
    const char* value = std::getenv(name);
    return value ? std::string_view(value) : std::string_view();
}

} // namespace detail

inline std::string proxy_settings::to_string() const
{
    std::string out = "http://";
    if (!username.empty() || !password.empty())
        out += detail::percent_encode(username) + ":***@";
    return out + address.authority();
}

/// Parses a proxy setting: "http://[user:password@]host[:port][/]" (scheme in any case)
/// or a bare "[user:password@]host[:port]", taken as http. Credentials are
/// percent-decoded into username and password. Anything else, including https:// and
/// socks proxies, a path, or a username containing ':' (which Basic authentication
/// cannot carry), is error::invalid_proxy.
inline proxy_settings parse_proxy(std::string_view text, std::error_code& ec)
{
    const std::string full = text.find("://") == std::string_view::npos
                                 ? "http://" + std::string(text)
                                 : std::string(text);
    const bool http = detail::scheme_length(full) == 4 &&
                      detail::ascii_iequals(std::string_view(full).substr(0, 4), "http");
    url address;
    if (http)
        address = parse_url(full, ec);
    if (!http || ec || address.target != "/" || full.find_first_of("?#") != std::string::npos ||
        address.username.find(':') != std::string::npos) {
        ec = error::invalid_proxy;
        return {};
    }
    proxy_settings out;
    out.username = std::move(address.username);
    out.password = std::move(address.password);
    address.username.clear();
    address.password.clear();
    out.address = std::move(address);
    ec.clear();
    return out;
}

/// curl's no_proxy rules: entries separated by commas and/or whitespace, compared without
/// regard to case. "*" matches every host. A name matches itself and the names below it
/// (a leading "." or "*." changes nothing: ".example.com" matches example.com too). An IP
/// address matches that address only, a CIDR block ("10.0.0.0/8", "::1/128") the
/// addresses in it; IPv6 entries may be bracketed. ":port" after a name or address
/// ("[::1]:8080" for IPv6) restricts the entry to that port. Names are never resolved: an
/// IP entry does not match a name, nor a name entry an IP address. Malformed entries
/// match nothing.
inline bool no_proxy_matches(std::string_view no_proxy, const url& target) noexcept
{
    std::size_t i = 0;
    while (i < no_proxy.size()) {
        const auto start = no_proxy.find_first_not_of(", \t\r\n", i);
        if (start == std::string_view::npos)
            break;
        auto end = no_proxy.find_first_of(", \t\r\n", start);
        if (end == std::string_view::npos)
            end = no_proxy.size();
        const std::string_view entry = no_proxy.substr(start, end - start);
        if (entry == "*" || detail::no_proxy_entry_matches(entry, target.host, target.port))
            return true;
        i = end;
    }
    return false;
}

/// The proxy for `target` from the environment, as curl reads it: for https targets
/// https_proxy, then HTTPS_PROXY; for http targets http_proxy only (never HTTP_PROXY,
/// which CGI servers fill from a request's "Proxy:" header: "httpoxy"); then all_proxy,
/// then ALL_PROXY. An empty variable counts as unset. nullopt when none is set or
/// no_proxy (else NO_PROXY) matches the target. A value parse_proxy() refuses gives
/// error::invalid_proxy and nullopt. std::getenv is not synchronized with setenv.
inline std::optional<proxy_settings> proxy_from_environment(const url& target, std::error_code& ec)
{
    ec.clear();
    std::string_view value;
    if (target.is_https()) {
        value = detail::getenv_view("https_proxy");
        if (value.empty())
            value = detail::getenv_view("HTTPS_PROXY");
    } else {
        value = detail::getenv_view("http_proxy");
    }
    if (value.empty())
        value = detail::getenv_view("all_proxy");
    if (value.empty())
        value = detail::getenv_view("ALL_PROXY");
    if (value.empty())
        return std::nullopt;
    std::string_view no_proxy = detail::getenv_view("no_proxy");
    if (no_proxy.empty())
        no_proxy = detail::getenv_view("NO_PROXY");
    if (no_proxy_matches(no_proxy, target))
        return std::nullopt;
    proxy_settings proxy = parse_proxy(value, ec);
    if (ec)
        return std::nullopt;
    return proxy;
}

/// The Proxy-Authorization value: "Basic " + base64(username ":" password); "" when
/// there is no username.
inline std::string proxy_authorization(const proxy_settings& proxy)
{
    if (proxy.username.empty())
        return {};
    return "Basic " + base64::encode(proxy.username + ":" + proxy.password);
}

} // namespace imagine::http
// ---- end imagine/http/proxy.hpp ----
// ---- begin imagine/http/tls.hpp ----

// TLS for imagine's client: a context that always verifies the peer, and the per
// connection setup (SNI, host name or IP address check) plus the translation of
// OpenSSL's verification results into error codes a caller can act on.
//
// There is deliberately no option to switch verification off. A test server is trusted
// by adding its CA (ca_file / ca_directory / ca_pem), which is what production code
// behind a corporate proxy needs too.



#include <asio/ssl/context.hpp>
#include <asio/ssl/error.hpp>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <memory>
#include <string>
#include <string_view>
#include <system_error>

namespace imagine::http {

/// How the client authenticates servers (and, optionally, itself).
struct tls_options {
    /// Trust the system CA store. OpenSSL's default paths, which honour the
    /// SSL_CERT_FILE and SSL_CERT_DIR environment variables.
    bool use_system_store = true;
    /// Extra trusted CAs: a PEM bundle file, a hashed directory (c_rehash), PEM text.
    std::string ca_file{};
    std::string ca_directory{};
    std::string ca_pem{};
    /// Client certificate for mutual TLS: a PEM chain and its key, as files or text.
    std::string client_certificate_file{};
    std::string client_key_file{};
    std::string client_certificate_pem{};
    std::string client_key_pem{};
};

namespace detail {

// Every certificate in `pem` into the context's trust store; an empty or unreadable
// bundle is an error (a silently empty store would make every handshake fail later
// with a misleading "unknown issuer").
inline bool add_ca_pem(SSL_CTX* ctx, std::string_view pem)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
    if (!bio)
        return false;
    std::unique_ptr<STACK_OF(X509_INFO), void (*)(STACK_OF(X509_INFO)*)> infos(
        PEM_X509_INFO_read_bio(bio.get(), nullptr, nullptr, nullptr),
        [](STACK_OF(X509_INFO) * s) { sk_X509_INFO_pop_free(s, X509_INFO_free); });
    if (!infos)
        return false;
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    int added = 0;
    for (int i = 0; i < sk_X509_INFO_num(infos.get()); ++i) {
        X509_INFO* info = sk_X509_INFO_value(infos.get(), i);
        if (info->x509 && X509_STORE_add_cert(store, info->x509) == 1)
            ++added;
    }
    ERR_clear_error();
    return added > 0;
}

} // namespace detail

/// A client context: TLS 1.2 minimum, peer verification on, the trust sources of
/// `options`. On failure `ec` is error::tls_configuration and the result is null.
inline std::shared_ptr<asio::ssl::context> make_tls_context(const tls_options& options,
                                                            std::error_code& ec)
{
    ec.clear();
    auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
    SSL_CTX* native = ctx->native_handle();
    auto fail = [&] {
        ERR_clear_error();
        ec = make_error_code(error::tls_configuration);
        return nullptr;
    };
    if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1)
        return fail();
    ctx->set_verify_mode(asio::ssl::verify_peer);
    // Compression is off in OpenSSL 3 builds already; renegotiation and session
    // tickets stay at OpenSSL's defaults.
    ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_compression);

    asio::error_code aec;
    if (options.use_system_store) {
        ctx->set_default_verify_paths(aec);
        if (aec)
            return fail();
    }
    if (!options.ca_file.empty() && ctx->load_verify_file(options.ca_file, aec))
        return fail();
    if (!options.ca_directory.empty() && ctx->add_verify_path(options.ca_directory, aec))
        return fail();
    if (!options.ca_pem.empty() && !detail::add_ca_pem(native, options.ca_pem))
        return fail();

    if (!options.client_certificate_file.empty() &&
        ctx->use_certificate_chain_file(options.client_certificate_file, aec))
        return fail();
    if (!options.client_certificate_pem.empty() &&
        ctx->use_certificate_chain(asio::buffer(options.client_certificate_pem.data(),
                                                options.client_certificate_pem.size()),
                                   aec))
        return fail();
    if (!options.client_key_file.empty() &&
        ctx->use_private_key_file(options.client_key_file, asio::ssl::context::pem, aec))
        return fail();
    if (!options.client_key_pem.empty() &&
        ctx->use_private_key(
            asio::buffer(options.client_key_pem.data(), options.client_key_pem.size()),
            asio::ssl::context::pem, aec))
        return fail();
    const bool has_certificate =
        !options.client_certificate_file.empty() || !options.client_certificate_pem.empty();
    const bool has_key = !options.client_key_file.empty() || !options.client_key_pem.empty();
    if (has_certificate != has_key)
        return fail();
    if (has_certificate && SSL_CTX_check_private_key(native) != 1)
        return fail();
    return ctx;
}

namespace detail {

/// Prepares one connection's SSL object for `target`'s host: SNI for names (RFC 6066
/// forbids IP literals there), and the name or IP address the certificate must carry.
/// OpenSSL then checks it during the handshake, so a mismatch fails the handshake itself.
inline bool prepare_tls_peer(SSL* ssl, const url& target)
{
    const std::string& host = target.host;
    if (target.is_ip()) {
        X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
        return X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) == 1;
    }
    if (SSL_set_tlsext_host_name(ssl, host.c_str()) != 1)
        return false;
    // No partial wildcards ("f*o.example.com"), as browsers do.
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    return SSL_set1_host(ssl, host.c_str()) == 1;
}

/// A handshake failure in words a caller can act on. `verify_result` is
/// SSL_get_verify_result() after the failed handshake.
inline std::error_code classify_handshake_error(const std::error_code& ec, long verify_result)
{
    switch (verify_result) {
    case X509_V_OK:
        break;
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return make_error_code(error::certificate_expired);
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return make_error_code(error::certificate_not_yet_valid);
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        return make_error_code(error::certificate_self_signed);
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        return make_error_code(error::certificate_unknown_issuer);
    case X509_V_ERR_HOSTNAME_MISMATCH:
        return make_error_code(error::certificate_host_mismatch);
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return make_error_code(error::certificate_ip_mismatch);
    default:
        return make_error_code(error::certificate_verify_failed);
    }
    if (ec.category() == asio::error::get_ssl_category()) {
        switch (ERR_GET_REASON(static_cast<unsigned long>(ec.value()))) {
        case SSL_R_UNSUPPORTED_PROTOCOL:
        case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
        case SSL_R_NO_PROTOCOLS_AVAILABLE:
        case SSL_R_WRONG_VERSION_NUMBER:
            return make_error_code(error::tls_protocol_version);
        default:
            return make_error_code(error::tls_handshake_failed);
        }
    }
    // The peer closed or reset the connection during the handshake: keep the system
    // error, it says more than "handshake failed".
    return ec;
}

} // namespace detail

} // namespace imagine::http
// ---- end imagine/http/tls.hpp ----


#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ssl/context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <poll.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

namespace imagine::http {

class connection : public std::enable_shared_from_this<connection> {
public:
    using clock = std::chrono::steady_clock;
    using socket_type = asio::ip::tcp::socket;
    using executor_type = asio::any_io_executor;

    /// Which limit the current deadline enforces.
    enum class deadline { none, connect, response, idle, total };

    connection(executor_type executor, std::shared_ptr<asio::ssl::context> context,
               parser_limits limits)
        : context_(std::move(context)), socket_(executor), resolver_(executor), timer_(executor),
          parser_(limits)
    {
    }

    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    executor_type get_executor() noexcept { return socket_.get_executor(); }
    socket_type& socket() noexcept { return socket_; }
    /// An https connection: reads and writes go through its TLS session.
    bool tls() const noexcept { return tls_session_.native_handle() != nullptr; }
    response_parser& parser() noexcept { return parser_; }
    detail::read_buffer& buffer() noexcept { return buffer_; }
    clock::time_point idle_since() const noexcept { return idle_since_; }
    void mark_idle() noexcept { idle_since_ = clock::now(); }

    // --- the stream interface the generic I/O steps use (TLS or plain) ---

    template <class MutableBuffers, class Token>
    auto async_read_some(const MutableBuffers& buffers, Token&& token)
    {
        if (tls())
            return tls_session_.async_read_some(socket_, buffers, std::forward<Token>(token));
        return socket_.async_read_some(buffers, std::forward<Token>(token));
    }

    template <class ConstBuffers, class Token>
    auto async_write_some(const ConstBuffers& buffers, Token&& token)
    {
        if (tls())
            return tls_session_.async_write_some(socket_, buffers, std::forward<Token>(token));
        return socket_.async_write_some(buffers, std::forward<Token>(token));
    }

    // --- deadlines ---

    /// The end of the whole exchange (clock::time_point::max() for none).
    void set_total_deadline(clock::time_point at) noexcept { total_deadline_ = at; }

    /// From now, `limit` for the next step, capped by the total deadline.
    void arm(deadline kind, std::chrono::milliseconds limit)
    {
        clock::time_point at = clock::time_point::max();
        if (limit.count() > 0)
            at = clock::now() + limit;
        if (total_deadline_ <= at) {
            at = total_deadline_;
            kind = deadline::total;
        }
        deadline_ = at;
        kind_ = kind;
        if (at == clock::time_point::max())
            return;
        if (waiting_ && timer_.expiry() <= at)
            return; // the wait in flight fires first and re-waits for the later deadline
        start_wait(at);
    }

    /// No deadline (between exchanges, while pooled).
    void disarm()
    {
        deadline_ = clock::time_point::max();
        kind_ = deadline::none;
        if (waiting_) {
            ++generation_; // the aborted wait's handler must not touch the new state
            waiting_ = false;
            timer_.cancel();
        }
    }

    /// The deadline that expired, if one did.
    deadline expired() const noexcept { return expired_; }

    /// An error from an operation interrupted by our own expiry becomes the timeout's
    /// code; every other error passes unchanged.
    std::error_code map_error(const std::error_code& ec) const
    {
        if (!ec)
            return ec;
        switch (expired_) {
        case deadline::connect:
            return make_error_code(error::connect_timeout);
        case deadline::response:
            return make_error_code(error::response_timeout);
        case deadline::idle:
            return make_error_code(error::idle_timeout);
        case deadline::total:
            return make_error_code(error::total_timeout);
        case deadline::none:
            break;
        }
        return ec;
    }

    // --- lifetime ---

    /// Resolve, connect, CONNECT through `proxy` when given, TLS handshake for https.
    /// The caller arms nothing: the connect deadline covers all of it.
    asio::awaitable<std::error_code> connect(const url& target, const proxy_settings* proxy,
                                             std::chrono::milliseconds limit)
    {
        using asio::use_awaitable;
        using imagine::detail::as_tuple;
        arm(deadline::connect, limit);
        const url& hop = proxy ? proxy->address : target;
        auto [rec, endpoints] = co_await resolver_.async_resolve(hop.host, std::to_string(hop.port),
                                                                 as_tuple(use_awaitable));
        if (rec || expired_ != deadline::none)
            co_return fail(rec ? rec : make_error_code(asio::error::operation_aborted));
        auto [cec, endpoint] =
            co_await asio::async_connect(socket(), endpoints, as_tuple(use_awaitable));
        if (cec)
            co_return fail(cec);
        (void)endpoint;
        std::error_code option_ec;
        socket().set_option(asio::ip::tcp::no_delay(true), option_ec);
        if (proxy) {
            auto pec = co_await tunnel(target, *proxy);
            if (pec)
                co_return fail(pec);
        }
        if (target.is_https()) {
            if (!tls_session_.attach(context_->native_handle(), socket_) ||
                !detail::prepare_tls_peer(tls_session_.native_handle(), target))
                co_return fail(make_error_code(error::tls_configuration));
            auto [hec, unused] =
                co_await tls_session_.async_handshake(socket_, as_tuple(use_awaitable));
            (void)unused;
            if (hec) {
                const long verify = SSL_get_verify_result(tls_session_.native_handle());
                co_return fail(expired_ != deadline::none
                                   ? hec
                                   : detail::classify_handshake_error(hec, verify));
            }
        }
        disarm();
        co_return std::error_code{};
    }

    /// Whether a pooled connection can take another request: open, and nothing to read.
    /// A server that closed the connection while it was idle has sent FIN (or a TLS
    /// close_notify), which makes the socket readable; so does any unexpected byte. Either
    /// way the connection must not carry a request, and no byte of one has reached it.
    bool looks_alive() noexcept
    {
        if (!socket_.is_open() || !buffer_.empty() || expired_ != deadline::none ||
            tls_session_.has_buffered_input())
            return false;
        pollfd descriptor{socket().native_handle(), POLLIN, 0};
        return ::poll(&descriptor, 1, 0) == 0;
    }

    void close() noexcept
    {
        disarm();
        std::error_code ignored;
        resolver_.cancel();
        socket().shutdown(socket_type::shutdown_both, ignored);
        socket().close(ignored);
        tls_session_.reset();
    }

private:
    std::error_code fail(const std::error_code& ec)
    {
        auto mapped = map_error(ec);
        close();
        return mapped;
    }

    // CONNECT host:port through the proxy; on 2xx the socket is a tunnel to the origin.
    asio::awaitable<std::error_code> tunnel(const url& target, const proxy_settings& proxy)
    {
        using asio::use_awaitable;
        using imagine::detail::as_tuple;
        const std::string authority = target.authority();
        std::string head = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n";
        if (auto credentials = proxy_authorization(proxy); !credentials.empty())
            head.append("Proxy-Authorization: ").append(credentials).append("\r\n");
        head.append("\r\n");
        auto [wec, written] =
            co_await asio::async_write(socket(), asio::buffer(head), as_tuple(use_awaitable));
        (void)written;
        if (wec)
            co_return wec;
        response_parser answer(parser_limits{});
        // A successful CONNECT answer has no body, whatever its fields say (RFC 9110 9.3.6).
        answer.set_head_request(true);
        auto rec = co_await detail::read_head(socket(), buffer_, answer, [](detail::io_phase) {});
        if (rec)
            co_return rec == error::connection_closed ? make_error_code(error::proxy_connect_failed)
                                                      : rec;
        if (answer.status() == 407)
            co_return make_error_code(error::proxy_auth_required);
        // Bytes after the answer would be the origin speaking before our ClientHello.
        if (answer.status() / 100 != 2 || !buffer_.empty())
            co_return make_error_code(error::proxy_connect_failed);
        co_return std::error_code{};
    }

    void start_wait(clock::time_point at)
    {
        waiting_ = true;
        const std::uint64_t generation = ++generation_;
        timer_.expires_at(at);
        timer_.async_wait([self = shared_from_this(), generation](std::error_code ec) {
            self->on_timer(ec, generation);
        });
    }

    void on_timer(std::error_code ec, std::uint64_t generation)
    {
        if (generation != generation_)
            return; // superseded by a later start_wait or a disarm
        waiting_ = false;
        if (ec == asio::error::operation_aborted || deadline_ == clock::time_point::max())
            return;
        if (clock::now() < deadline_) {
            start_wait(deadline_); // the deadline moved later while we waited
            return;
        }
        expired_ = kind_;
        std::error_code ignored;
        resolver_.cancel();
        socket().close(ignored);
    }

    std::shared_ptr<asio::ssl::context> context_;
    socket_type socket_;
    detail::tls_session tls_session_{};
    asio::ip::tcp::resolver resolver_;
    asio::steady_timer timer_;
    response_parser parser_;
    detail::read_buffer buffer_{};
    clock::time_point idle_since_ = clock::now();

    clock::time_point total_deadline_ = clock::time_point::max();
    clock::time_point deadline_ = clock::time_point::max();
    deadline kind_ = deadline::none;
    deadline expired_ = deadline::none;
    bool waiting_ = false;
    std::uint64_t generation_ = 0;
};

} // namespace imagine::http
// ---- end imagine/http/connection.hpp ----
// ---- begin imagine/http/detail/launch.hpp ----

// Runs an internal coroutine as an Asio asynchronous operation with any completion
// token. The coroutine returns {error_code, T}; the operation completes with
// void(std::error_code, T). The handler's associated executor and cancellation slot
// are honoured: the slot is bound to the coroutine, whose awaited operations then see
// the cancellation (co_spawn forwards terminal cancellation into the coroutine).


#include <asio/associated_cancellation_slot.hpp>
#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/awaitable.hpp>
#include <asio/bind_cancellation_slot.hpp>
#include <asio/bind_executor.hpp>
#include <asio/co_spawn.hpp>

#include <exception>
#include <system_error>
#include <utility>

namespace imagine::http::detail {

template <class T>
using op_result = std::pair<std::error_code, T>;

/// Runs `factory()` (an awaitable) with co_spawn. Its completion, (exception_ptr, R),
/// reaches the handler through `Adapt::wrap(handler)`, on the handler's associated
/// executor, and the handler's cancellation slot is bound to the coroutine.
template <class Executor, class Adapt>
struct spawn_initiation {
    Executor executor;

    using executor_type = Executor;
    executor_type get_executor() const noexcept { return executor; }

    template <class Handler, class Factory>
    void operator()(Handler handler, Factory factory) const
    {
        auto slot = asio::get_associated_cancellation_slot(handler);
        auto handler_executor = asio::get_associated_executor(handler, executor);
        asio::co_spawn(
            executor, factory(),
            asio::bind_cancellation_slot(
                slot, asio::bind_executor(handler_executor, Adapt::wrap(std::move(handler)))));
    }
};

/// The transport's completions: the coroutine's {error_code, T} as void(error_code, T).
struct codes_from_result {
    template <class Handler>
    static auto wrap(Handler handler)
    {
        return [handler = std::move(handler)](std::exception_ptr failure, auto result) mutable {
            // Internal coroutines report errors as codes; what escapes is bad_alloc and
            // the like.
            if (failure)
                std::rethrow_exception(failure);
            std::move(handler)(result.first, std::move(result.second));
        };
    }
};

/// `factory()` must return asio::awaitable<op_result<T>>.
template <class T, class Executor, class Token, class Factory>
auto launch(const Executor& executor, Token&& token, Factory&& factory)
{
    return asio::async_initiate<Token, void(std::error_code, T)>(
        spawn_initiation<Executor, codes_from_result>{executor}, token,
        std::forward<Factory>(factory));
}

} // namespace imagine::http::detail
// ---- end imagine/http/detail/launch.hpp ----
// ---- begin imagine/http/pool.hpp ----

// Keep-alive connections per origin. A caller first takes a slot for its origin
// (waiting while `max_per_origin` are in use), then gets an idle connection that still
// looks alive, or none, in which case it connects a new one into that slot. Idle
// connections past `idle_expiry`, or that the server has closed meanwhile, are closed
// and skipped; no request byte was ever written to them, so skipping them is invisible
// to the caller.
//
// Not thread-safe: use a client (and so its pool) from one thread or one strand, like
// any Asio I/O object.



#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace imagine::http {

struct pool_options {
    /// Connections per origin, in use and idle together.
    std::size_t max_per_origin = 16;
    /// An idle connection older than this is closed instead of reused. Servers time out
    /// idle keep-alive connections too (nginx 75 s, many load balancers 60 s): staying
    /// below theirs avoids most races with their close.
    std::chrono::milliseconds idle_expiry{std::chrono::seconds(30)};
};

class connection_pool {
public:
    using executor_type = asio::any_io_executor;

    connection_pool(executor_type executor, pool_options options)
        : executor_(std::move(executor)), options_(options)
    {
        if (options_.max_per_origin == 0)
            options_.max_per_origin = 1;
    }

    connection_pool(const connection_pool&) = delete;
    connection_pool& operator=(const connection_pool&) = delete;

    ~connection_pool() { clear(); }

    /// Takes a slot for `key`, then returns an idle connection or null (connect one).
    /// Completes with operation_aborted if cancelled while waiting for a slot.
    asio::awaitable<std::pair<std::error_code, std::shared_ptr<connection>>>
    acquire(const std::string& key)
    {
        using asio::use_awaitable;
        using imagine::detail::as_tuple;
        origin& slot = origins_[key];
        while (slot.in_use >= options_.max_per_origin) {
            if (!slot.wake)
                slot.wake = std::make_unique<asio::steady_timer>(
                    executor_, asio::steady_timer::time_point::max());
            ++slot.waiters;
            auto [ec] = co_await slot.wake->async_wait(as_tuple(use_awaitable));
            (void)ec; // a wake-up (cancel_one) and a cancellation both abort the wait
            --slot.waiters;
            auto state = co_await asio::this_coro::cancellation_state;
            if (state.cancelled() != asio::cancellation_type::none) {
                wake_one(slot); // pass on a wake-up this waiter may have taken
                co_return std::pair{make_error_code(asio::error::operation_aborted),
                                    std::shared_ptr<connection>{}};
            }
        }
        ++slot.in_use;
        co_return std::pair{std::error_code{}, take_idle(slot)};
    }

    /// Gives back the slot taken by acquire(). `connection` (may be null) goes to the
    /// idle list when `reusable`, else it is closed.
    void release(const std::string& key, std::shared_ptr<connection> conn, bool reusable)
    {
        auto it = origins_.find(key);
        if (it == origins_.end())
            return;
        origin& slot = it->second;
        if (slot.in_use > 0)
            --slot.in_use;
        if (conn) {
            if (reusable) { // take_idle() checks liveness when it is reused
                conn->disarm();
                conn->mark_idle();
                slot.idle.push_back(std::move(conn));
            } else {
                conn->close();
            }
        }
        wake_one(slot);
    }

    /// Closes every idle connection.
    void clear()
    {
        for (auto& [key, slot] : origins_) {
            for (auto& conn : slot.idle)
                conn->close();
            slot.idle.clear();
            if (slot.wake)
                slot.wake->cancel();
        }
    }

    std::size_t idle_count(const std::string& key) const
    {
        auto it = origins_.find(key);
        return it == origins_.end() ? 0 : it->second.idle.size();
    }

    std::size_t in_use_count(const std::string& key) const
    {
        auto it = origins_.find(key);
        return it == origins_.end() ? 0 : it->second.in_use;
    }

    const pool_options& options() const noexcept { return options_; }

private:
    struct origin {
        std::vector<std::shared_ptr<connection>> idle{};
        std::size_t in_use = 0;
        std::size_t waiters = 0;
        std::unique_ptr<asio::steady_timer> wake{};
    };

    void wake_one(origin& slot)
    {
        if (slot.waiters > 0 && slot.wake && slot.in_use < options_.max_per_origin)
            slot.wake->cancel_one();
    }

    // Most recently used first: the likeliest to be alive.
    std::shared_ptr<connection> take_idle(origin& slot)
    {
        const auto now = connection::clock::now();
        while (!slot.idle.empty()) {
            auto conn = std::move(slot.idle.back());
            slot.idle.pop_back();
            if (now - conn->idle_since() < options_.idle_expiry && conn->looks_alive())
                return conn;
            conn->close();
        }
        return nullptr;
    }

    executor_type executor_;
    pool_options options_;
    std::map<std::string, origin> origins_{};
};

} // namespace imagine::http
// ---- end imagine/http/pool.hpp ----
// ---- begin imagine/http/response_stream.hpp ----

// A response whose head has arrived and whose body is read piece by piece: the server
// sent events of a streamed generation, or a download written to disk as it arrives.
// The stream owns its connection until the body ends; then the connection goes back
// to the pool if the server keeps it alive. Dropping a stream before the end closes the
// connection (its unread bytes make it useless for another request).



#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/this_coro.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

namespace imagine::http {

namespace detail {

// One request/response on a pooled connection, from the slot taken to the slot given
// back. Shared by the client's coroutine and, for streams, the response_stream.
struct exchange {
    exchange(std::shared_ptr<connection_pool> owner, std::string pool_key)
        : pool(std::move(owner)), key(std::move(pool_key))
    {
    }
    exchange(const exchange&) = delete;
    exchange& operator=(const exchange&) = delete;
    ~exchange() { finish(false); }

    std::shared_ptr<connection_pool> pool;
    std::string key;
    std::shared_ptr<connection> conn{};
    bool holds_slot = false;
    timeout_options limits{};
    url final_url{};
    std::string pending{}; // streamed body bytes not yet handed out
    response result{};     // the buffered response, complete after read_rest()

    /// Gives the connection and the slot back; the connection is pooled only when
    /// `reusable` (a complete message on a keep-alive connection, nothing left over).
    void finish(bool reusable)
    {
        if (!holds_slot)
            return;
        holds_slot = false;
        if (conn)
            conn->parser().set_body_sink({});
        pool->release(key, std::move(conn), reusable);
        conn.reset();
    }

    /// Before each write and body read: the idle limit starts again.
    auto hook()
    {
        return [this](io_phase phase) {
            if (phase != io_phase::head && conn)
                conn->arm(connection::deadline::idle, limits.idle);
        };
    }

    void capture_head()
    {
        const response_parser& parser = conn->parser();
        result.status = parser.status();
        result.reason = std::string(parser.reason());
        result.headers = parser.headers();
        result.final_url = final_url;
    }

    bool reusable_after_body() { return conn->parser().keep_alive() && conn->buffer().empty(); }

    /// The rest of the body into `result`, then the connection back to the pool.
    asio::awaitable<std::error_code> read_rest()
    {
        capture_head();
        auto ec = co_await read_body(*conn, conn->buffer(), conn->parser(), conn->tls(), hook());
        if (ec) {
            ec = conn->map_error(ec);
            finish(false);
            co_return ec;
        }
        result.body = std::move(conn->parser().body());
        finish(reusable_after_body());
        co_return std::error_code{};
    }

    /// The next piece of a streamed body; empty at the end.
    asio::awaitable<std::pair<std::error_code, std::string>> read_piece()
    {
        co_await asio::this_coro::throw_if_cancelled(false);
        while (pending.empty() && conn && !conn->parser().done()) {
            auto ec =
                co_await read_body_step(*conn, conn->buffer(), conn->parser(), conn->tls(), hook());
            if (ec) {
                ec = conn->map_error(ec);
                finish(false);
                co_return std::pair{ec, std::string{}};
            }
        }
        if (conn && conn->parser().done()) {
            finish(reusable_after_body());
        } else if (conn) {
            // Between reads the caller is busy with this piece, however long that takes;
            // only the total deadline keeps running.
            conn->arm(connection::deadline::total, std::chrono::milliseconds(0));
        }
        co_return std::pair{std::error_code{}, std::exchange(pending, std::string{})};
    }
};

} // namespace detail

class response_stream {
public:
    using executor_type = asio::any_io_executor;

    response_stream() = default;
    explicit response_stream(std::shared_ptr<detail::exchange> exchange)
        : exchange_(std::move(exchange))
    {
        exchange_->capture_head();
        executor_ = exchange_->conn->get_executor();
    }

    executor_type get_executor() const noexcept { return executor_; }

    unsigned status() const noexcept { return exchange_ ? exchange_->result.status : 0; }
    const std::string& reason() const noexcept { return exchange_->result.reason; }
    const fields& headers() const noexcept { return exchange_->result.headers; }
    const url& final_url() const noexcept { return exchange_->result.final_url; }

    /// True once the whole body has been handed out.
    bool done() const noexcept
    {
        return !exchange_ || (!exchange_->holds_slot && exchange_->pending.empty());
    }

    /// Reads the next decoded body piece (chunk framing removed); an empty string at the
    /// end of the body. One read at a time.
    ///
    /// @par Completion signature
    /// void(std::error_code, std::string)
    /// @par Per-operation cancellation
    /// terminal: the connection is closed and the stream ends.
    template <class Token = imagine::detail::default_token_t<executor_type>>
    auto async_read_some(Token&& token = {})
    {
        return detail::launch<std::string>(executor_, std::forward<Token>(token),
                                           [exchange = exchange_]() { return read(exchange); });
    }

    /// Stops reading: the connection is closed (not pooled).
    void close()
    {
        if (exchange_)
            exchange_->finish(false);
    }

private:
    static asio::awaitable<detail::op_result<std::string>>
    read(std::shared_ptr<detail::exchange> exchange)
    {
        if (!exchange)
            co_return detail::op_result<std::string>{make_error_code(asio::error::not_connected),
                                                     {}};
        co_return co_await exchange->read_piece();
    }

    std::shared_ptr<detail::exchange> exchange_{};
    executor_type executor_{};
};

} // namespace imagine::http
// ---- end imagine/http/response_stream.hpp ----

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/this_coro.hpp>

#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

namespace imagine::http {

struct client_options {
    tls_options tls{};
    timeout_options timeouts{};
    parser_limits limits{};
    pool_options pool{};
    /// An HTTP proxy for every request ("http://[user:password@]host[:port]"); an empty
    /// string means none. Unset: https_proxy / HTTPS_PROXY (and no_proxy) when
    /// `proxy_from_environment`.
    std::optional<std::string> proxy{};
    bool proxy_from_environment = true;
    /// 307 / 308 redirects followed before error::too_many_redirects.
    unsigned max_redirects = 5;
};

class client {
public:
    using executor_type = asio::any_io_executor;

    /// Throws std::system_error (error::tls_configuration, error::invalid_proxy) for
    /// options that cannot work.
    explicit client(executor_type executor, client_options options = {})
        : executor_(executor), options_(std::move(options)),
          pool_(std::make_shared<connection_pool>(executor, options_.pool))
    {
        std::error_code ec;
        context_ = make_tls_context(options_.tls, ec);
        if (ec)
            throw std::system_error(ec);
        if (options_.proxy && !options_.proxy->empty()) {
            fixed_proxy_ = parse_proxy(*options_.proxy, ec);
            if (ec)
                throw std::system_error(ec); // the message never carries credentials
        }
    }

    client(const client&) = delete;
    client& operator=(const client&) = delete;

    executor_type get_executor() const noexcept { return executor_; }
    const client_options& options() const noexcept { return options_; }
    connection_pool& pool() noexcept { return *pool_; }

    /// The pool key of `target`: its origin plus the proxy it goes through.
    std::string pool_key(const url& target) const
    {
        std::error_code ec;
        auto proxy = select_proxy(target, ec);
        return key_of(target, proxy ? &*proxy : nullptr);
    }

    /// Sends `req` and reads the whole response into memory (up to
    /// client_options::limits.body_limit).
    ///
    /// @par Completion signature
    /// void(std::error_code, http::response)
    /// @par Per-operation cancellation
    /// terminal: the connection is closed, the operation completes with
    /// asio::error::operation_aborted.
    template <class Token = imagine::detail::default_token_t<executor_type>>
    auto async_request(request req, Token&& token = {})
    {
        return detail::launch<response>(
            executor_, std::forward<Token>(token),
            [this, req = std::move(req)]() mutable { return run_request(std::move(req)); });
    }

    /// Sends `req` and reads the response head; the body is then read piece by piece
    /// from the returned stream (server-sent events, large downloads).
    ///
    /// @par Completion signature
    /// void(std::error_code, http::response_stream)
    /// @par Per-operation cancellation
    /// terminal, as async_request.
    template <class Token = imagine::detail::default_token_t<executor_type>>
    auto async_open(request req, Token&& token = {})
    {
        return detail::launch<response_stream>(
            executor_, std::forward<Token>(token),
            [this, req = std::move(req)]() mutable { return run_open(std::move(req)); });
    }

private:
    std::optional<proxy_settings> select_proxy(const url& target, std::error_code& ec) const
    {
        ec.clear();
        if (options_.proxy)
            return fixed_proxy_;
        if (!options_.proxy_from_environment)
            return std::nullopt;
        return proxy_from_environment(target, ec);
    }

    static std::string key_of(const url& target, const proxy_settings* proxy)
    {
        std::string key = target.origin();
        if (proxy) // credentials are part of the tunnel's identity; the key is never printed
            key.append(" via ")
                .append(proxy->address.origin())
                .append(" ")
                .append(proxy->username + ":" + proxy->password);
        return key;
    }

    asio::awaitable<detail::op_result<response>> run_request(request req)
    {
        auto [ec, exchange] = co_await open_exchange(std::move(req), false);
        if (ec)
            co_return detail::op_result<response>{ec, {}};
        ec = co_await exchange->read_rest();
        if (ec)
            co_return detail::op_result<response>{ec, {}};
        co_return detail::op_result<response>{std::error_code{}, std::move(exchange->result)};
    }

    asio::awaitable<detail::op_result<response_stream>> run_open(request req)
    {
        auto [ec, exchange] = co_await open_exchange(std::move(req), true);
        if (ec)
            co_return detail::op_result<response_stream>{ec, {}};
        co_return detail::op_result<response_stream>{std::error_code{},
                                                     response_stream(std::move(exchange))};
    }

    // Sends the request and reads the head, following redirects. On success the
    // exchange owns the connection and its pool slot.
    asio::awaitable<std::pair<std::error_code, std::shared_ptr<detail::exchange>>>
    open_exchange(request req, bool streaming)
    {
        using result = std::pair<std::error_code, std::shared_ptr<detail::exchange>>;
        co_await asio::this_coro::throw_if_cancelled(false);
        const timeout_options limits = req.timeouts.value_or(options_.timeouts);
        const auto total_deadline = limits.total.count() > 0
                                        ? connection::clock::now() + limits.total
                                        : connection::clock::time_point::max();
        for (unsigned redirects = 0;; ++redirects) {
            std::error_code ec;
            auto proxy = select_proxy(req.target, ec);
            if (ec)
                co_return result{ec, nullptr};
            auto head = detail::serialize_head(req, ec);
            if (ec)
                co_return result{ec, nullptr};
            auto exchange = std::make_shared<detail::exchange>(
                pool_, key_of(req.target, proxy ? &*proxy : nullptr));
            ec = co_await send(*exchange, req, head, proxy ? &*proxy : nullptr, limits,
                               total_deadline, streaming);
            if (ec)
                co_return result{ec, nullptr};
            const unsigned status = exchange->conn->parser().status();
            if ((status != 307 && status != 308) || options_.max_redirects == 0)
                co_return result{{}, std::move(exchange)};

            // A redirect: drain its body (keeps the connection reusable), then go again.
            const std::string* location = exchange->conn->parser().headers().find("location");
            const std::string where = location ? *location : std::string();
            exchange->conn->parser().set_body_sink({});
            ec = co_await exchange->read_rest();
            if (ec)
                co_return result{ec, nullptr};
            if (redirects + 1 > options_.max_redirects)
                co_return result{make_error_code(error::too_many_redirects), nullptr};
            if (!location)
                co_return result{make_error_code(error::bad_redirect), nullptr};
            std::error_code lec;
            url next = resolve_location(req.target, where, lec);
            if (lec || !next.is_https())
                co_return result{make_error_code(error::bad_redirect), nullptr};
            // Credentials are for the host they were given for.
            if (next.host != req.target.host || next.port != req.target.port)
                req.headers.erase("authorization");
            req.target = std::move(next); // send() rewinds a streamed body
        }
    }

    // One attempt chain for one URL: a pooled connection the server closed while idle
    // is replaced by another (or a new one) as long as no request byte was written to
    // it. Any other failure ends the exchange: the server may have acted on the request.
    asio::awaitable<std::error_code> send(detail::exchange& ex, const request& req,
                                          const std::string& head, const proxy_settings* proxy,
                                          const timeout_options& limits,
                                          connection::clock::time_point total_deadline,
                                          bool streaming)
    {
        for (;;) {
            auto [aec, conn] = co_await pool_->acquire(ex.key);
            if (aec)
                co_return aec;
            ex.holds_slot = true;
            const bool reused = conn != nullptr;
            if (!conn) {
                conn = std::make_shared<connection>(executor_, context_, options_.limits);
                conn->set_total_deadline(total_deadline);
                auto cec = co_await conn->connect(req.target, proxy, limits.connect);
                if (cec) {
                    ex.conn = std::move(conn);
                    ex.finish(false);
                    co_return cec;
                }
            }
            conn->set_total_deadline(total_deadline);
            ex.conn = conn;
            ex.limits = limits;
            response_parser& parser = conn->parser();
            parser.reset();
            parser.set_head_request(req.method == "HEAD");
            ex.final_url = req.target;
            if (streaming)
                parser.set_body_sink(
                    [&pending = ex.pending](std::string_view piece, std::error_code&) {
                        pending.append(piece);
                    });
            else
                parser.set_body_sink({});
            // Every attempt (a replaced connection, a redirect) sends the body from its
            // first byte.
            if (auto* source = std::get_if<std::shared_ptr<body_source>>(&req.body);
                source && *source) {
                std::error_code rec;
                (*source)->rewind(rec);
                if (rec) {
                    ex.finish(false);
                    co_return make_error_code(error::body_not_replayable);
                }
            }
            std::uint64_t written = 0;
            auto hook = ex.hook();
            auto wec = co_await detail::write_request(*conn, head, req.body, written, hook);
            if (req.progress) {
                req.progress->bytes_written = written;
                req.progress->sent = !wec;
            }
            if (wec) {
                wec = conn->map_error(wec);
                const bool stale = reused && written == 0 &&
                                   conn->expired() == connection::deadline::none &&
                                   wec != asio::error::operation_aborted;
                ex.finish(false);
                if (stale)
                    continue;
                co_return wec;
            }
            conn->arm(connection::deadline::response, limits.response);
            auto rec = co_await detail::read_head(*conn, conn->buffer(), parser, hook);
            if (req.progress)
                req.progress->response_started = parser.started();
            if (rec) {
                rec = conn->map_error(rec);
                ex.finish(false);
                co_return rec;
            }
            co_return std::error_code{};
        }
    }

    executor_type executor_;
    client_options options_;
    std::shared_ptr<connection_pool> pool_;
    std::shared_ptr<asio::ssl::context> context_{};
    std::optional<proxy_settings> fixed_proxy_{};
};

} // namespace imagine::http
// ---- end imagine/http/client.hpp ----
// ---- begin imagine/http/exchange.hpp ----

// One request and its response over a stream the caller already connected: any Asio
// AsyncReadStream + AsyncWriteStream (a TLS stream, a plain socket, a test stream). No
// pool, no redirects, no timeouts: those belong to http::client, which uses the same
// steps. Useful for custom transports, and it is how the transport's failure handling
// is tested with a stream that fails on its n-th operation.



#include <asio/awaitable.hpp>
#include <asio/this_coro.hpp>

#include <string>
#include <system_error>
#include <utility>

namespace imagine::http {

namespace detail {

template <class Stream>
asio::awaitable<op_result<response>> run_exchange(Stream& stream, request req, parser_limits limits)
{
    co_await asio::this_coro::throw_if_cancelled(false);
    std::error_code ec;
    std::string head = serialize_head(req, ec);
    if (ec)
        co_return op_result<response>{ec, {}};
    auto no_hook = [](io_phase) {};
    std::uint64_t written = 0;
    ec = co_await write_request(stream, std::move(head), req.body, written, no_hook);
    if (ec)
        co_return op_result<response>{ec, {}};
    response_parser parser(limits);
    parser.set_head_request(req.method == "HEAD");
    read_buffer buffer;
    ec = co_await read_head(stream, buffer, parser, no_hook);
    if (!ec)
        ec = co_await read_body(stream, buffer, parser, false, no_hook);
    if (ec)
        co_return op_result<response>{ec, {}};
    response out;
    out.status = parser.status();
    out.reason = std::string(parser.reason());
    out.headers = parser.headers();
    out.body = std::move(parser.body());
    out.final_url = std::move(req.target);
    co_return op_result<response>{std::error_code{}, std::move(out)};
}

} // namespace detail

/// Writes `req` to `stream` and reads the whole response.
///
/// @par Completion signature
/// void(std::error_code, http::response)
/// @par Per-operation cancellation
/// terminal: the pending read or write of `stream` is cancelled; the stream is then in
/// an unknown state and should be closed.
template <class Stream,
          class Token = imagine::detail::default_token_t<typename Stream::executor_type>>
auto async_exchange(Stream& stream, request req, parser_limits limits = {}, Token&& token = {})
{
    return detail::launch<response>(stream.get_executor(), std::forward<Token>(token),
                                    [&stream, req = std::move(req), limits]() mutable {
                                        return detail::run_exchange(stream, std::move(req), limits);
                                    });
}

} // namespace imagine::http
// ---- end imagine/http/exchange.hpp ----
// ---- begin imagine/http/multipart.hpp ----

// multipart/form-data request bodies (RFC 7578), written while they are sent: files on
// disk are read piece by piece straight into the sender's buffer, and the total length is
// known before the first byte (Content-Length).
//
//   http::multipart_form form;
//   form.add_field("model", "gpt-image-1");
//   form.add_file("image[]", "/tmp/cat.png", "cat.png", "image/png");  // throws on error
//   form.add_file_data("mask", "mask.png", "image/png", std::move(png_bytes));
//   request.body = form.source();
//   request.headers.set("Content-Type", form.content_type());
//
// The body is, for each part,
//
//   "--" boundary CRLF
//   "Content-Disposition: form-data; name=\"<name>\"[; filename=\"<filename>\"]" CRLF
//   ["Content-Type: <media type>" CRLF]           (file parts only)
//   CRLF
//   <data> CRLF
//
// followed by "--" boundary "--" CRLF (also when there is no part). Names and filenames
// are escaped as browsers do (WHATWG HTML, "multipart/form-data encoding algorithm"):
// '"' -> "%22", CR -> "%0D", LF -> "%0A"; no other byte changes, so a header line can
// never end early and a quote can never close the value. '%' itself is not escaped,
// exactly as in browsers, so "%22" in a name reads back as a quote on the server.


#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace imagine::http {
namespace detail {

/// RFC 2046 bchars: digits, letters and '()+_,-./:=? plus space.
inline bool is_boundary_char(char c) noexcept
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

inline bool is_valid_boundary(std::string_view b) noexcept
{
    return !b.empty() && b.size() <= 70 && b.back() != ' ' &&
           std::all_of(b.begin(), b.end(), is_boundary_char);
}

/// RFC 9110 tchar.
inline bool is_token_char(char c) noexcept
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

/// "type/subtype" followed by any number of `;` parameters (token=token or
/// token=quoted-string; empty ones allowed, as RFC 9110 section 5.6.6 does). No CR, LF or
/// other controls anywhere.
inline bool is_valid_media_type(std::string_view text) noexcept
{
    std::size_t i = 0;
    const auto token = [&] {
        const std::size_t start = i;
        while (i < text.size() && is_token_char(text[i]))
            ++i;
        return i > start;
    };
    const auto skip_ows = [&] {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t'))
            ++i;
    };
    if (!token() || i == text.size() || text[i++] != '/' || !token())
        return false;
    while (true) {
        skip_ows();
        if (i == text.size())
            return text.back() != ' ' && text.back() != '\t'; // receivers would trim it
        if (text[i++] != ';')
            return false;
        skip_ows();
        if (i == text.size() || text[i] == ';')
            continue;
        if (!token() || i == text.size() || text[i++] != '=')
            return false;
        if (i < text.size() && text[i] == '"') {
            for (++i;; ++i) {
                if (i == text.size())
                    return false;
                const auto c = static_cast<unsigned char>(text[i]);
                if (c == '"')
                    break;
                if (c == '\\' && ++i == text.size())
                    return false;
                const auto q = static_cast<unsigned char>(text[i]);
                if ((q < 0x20 && q != '\t') || q == 0x7f)
                    return false;
            }
            ++i;
        } else if (!token()) {
            return false;
        }
    }
}

/// WHATWG form-data name escaping: '"' -> %22, CR -> %0D, LF -> %0A.
inline std::string escape_disposition_value(std::string_view in)
{
    std::string out;
    out.reserve(in.size());
    for (char c : in) {
        if (c == '"')
            out += "%22";
        else if (c == '\r')
            out += "%0D";
        else if (c == '\n')
            out += "%0A";
        else
            out += c;
    }
    return out;
}

/// "imagine-" + 32 hex digits from 16 bytes of OpenSSL's CSPRNG. 128 random bits make a
/// collision with the contents of a file (which are never searched) as unlikely as
/// guessing a random AES key; in-memory parts are searched and the boundary replaced.
inline std::string random_boundary()
{
    std::array<unsigned char, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw std::runtime_error("imagine: RAND_bytes failed to make a multipart boundary");
    static constexpr char digits[] = "0123456789abcdef";
    std::string out = "imagine-";
    for (unsigned char b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

/// One run of body bytes: from memory (`bytes` set) or from the file at `path`.
struct multipart_segment {
    std::shared_ptr<const std::string> bytes{};
    std::filesystem::path path{};
    std::uint64_t size = 0;
};

/// Reads the segments one after the other; a file is opened when its turn comes and read
/// unbuffered straight into the caller's span.
class multipart_source final : public body_source {
public:
    multipart_source(std::vector<multipart_segment> segments, std::uint64_t size)
        : segments_(std::move(segments)), size_(size)
    {
    }

    std::uint64_t size() const override { return size_; }

    void rewind(std::error_code& ec) override
    {
        close();
        index_ = 0;
        offset_ = 0;
        error_.clear();
        ec.clear();
    }

    std::size_t read(std::span<char> out, std::error_code& ec) override
    {
        // An error sticks until rewind(): half a part must not be followed by the rest.
        ec = error_;
        std::size_t written = 0;
        while (!ec && written < out.size() && index_ < segments_.size()) {
            const multipart_segment& s = segments_[index_];
            const std::uint64_t left = s.size - offset_;
            const std::size_t want =
                static_cast<std::size_t>(std::min<std::uint64_t>(left, out.size() - written));
            std::size_t got = want;
            if (s.bytes)
                std::memcpy(out.data() + written, s.bytes->data() + offset_, want);
            else
                got = read_file(s, out.subspan(written, want), ec);
            written += got;
            offset_ += got;
            if (!ec && offset_ == s.size) {
                if (!s.bytes)
                    finish_file(ec);
                ++index_;
                offset_ = 0;
            }
        }
        error_ = ec;
        return ec ? 0 : written;
    }

    ~multipart_source() override { close(); }
    multipart_source(const multipart_source&) = delete;
    multipart_source& operator=(const multipart_source&) = delete;

private:
    std::size_t read_file(const multipart_segment& s, std::span<char> out, std::error_code& ec)
    {
        if (!file_) {
            std::error_code size_ec;
            const auto now = std::filesystem::file_size(s.path, size_ec);
            if (size_ec) {
                ec = size_ec;
                return 0;
            }
            if (now != s.size) {
                ec = error::body_size_changed;
                return 0;
            }
            errno = 0;
            file_ = std::fopen(s.path.string().c_str(), "rb");
            if (!file_) {
                ec = std::error_code(errno ? errno : EIO, std::generic_category());
                return 0;
            }
            // Unbuffered: fread then reads into `out` directly, one read(2) per call for
            // large spans, instead of going through a 4 KiB stdio buffer.
            std::setvbuf(file_, nullptr, _IONBF, 0);
        }
        std::size_t got = 0;
        while (got < out.size()) {
            errno = 0;
            const std::size_t n = std::fread(out.data() + got, 1, out.size() - got, file_);
            got += n;
            if (n == 0) {
                // End of file before the measured size: the file shrank.
                ec = std::ferror(file_)
                         ? std::error_code(errno ? errno : EIO, std::generic_category())
                         : make_error_code(error::body_size_changed);
                return got;
            }
        }
        return got;
    }

    // The file must end exactly where its measured size does.
    void finish_file(std::error_code& ec)
    {
        if (std::fgetc(file_) != EOF)
            ec = error::body_size_changed;
        close();
    }

    void close() noexcept
    {
        if (file_)
            std::fclose(file_);
        file_ = nullptr;
    }

    std::vector<multipart_segment> segments_{};
    std::uint64_t size_ = 0;
    std::size_t index_ = 0;
    std::uint64_t offset_ = 0;
    std::FILE* file_ = nullptr;
    std::error_code error_{};
};

} // namespace detail

/// A multipart/form-data body under construction. Parts keep the order they were added
/// in. The form can be changed after source() was called; sources made earlier keep the
/// parts they were made with.
class multipart_form {
public:
    /// A random boundary: "imagine-" + 32 hex digits (128 bits from RAND_bytes).
    multipart_form() : boundary_(detail::random_boundary()), random_(true)
    {
        size_ = closing_size();
    }

    /// A fixed boundary (tests): 1-70 RFC 2046 characters, not ending in a space; throws
    /// std::invalid_argument otherwise. Adding an in-memory part whose data contains the
    /// delimiter "--<boundary>" throws std::invalid_argument too.
    explicit multipart_form(std::string boundary) : boundary_(std::move(boundary))
    {
        if (!detail::is_valid_boundary(boundary_))
            throw std::invalid_argument("imagine: invalid multipart boundary (1-70 RFC 2046 "
                                        "characters, not ending in a space)");
        size_ = closing_size();
    }

    /// A text field (no Content-Type header).
    void add_field(std::string_view name, std::string_view value)
    {
        add_memory_part(name, disposition(name, nullptr, {}), std::string(value));
    }

    /// A file from memory. `content_type` must be a media type ("image/png"), empty for
    /// "application/octet-stream"; otherwise std::invalid_argument naming the part.
    /// (Not an add_file overload: with a string_view for `data`, overload resolution would
    /// silently pick the disk version and take the file name for a path.)
    void add_file_data(std::string_view name, std::string_view filename,
                       std::string_view content_type, std::string data)
    {
        add_memory_part(name, disposition(name, &filename, content_type), std::move(data));
    }

    /// A file streamed from disk when the body is sent. Its size is taken now; it must be
    /// a regular, readable file (else `ec`: the OS error, std::errc::is_a_directory or
    /// std::errc::not_supported for other kinds). An empty `filename` sends the path's
    /// last component. An invalid content type throws as above.
    void add_file(std::string_view name, const std::filesystem::path& path,
                  std::string_view filename, std::string_view content_type, std::error_code& ec)
    {
        const std::string fallback = filename.empty() ? path.filename().string() : std::string();
        const std::string_view shown = filename.empty() ? std::string_view(fallback) : filename;
        std::string head = disposition(name, &shown, content_type);
        const auto status = std::filesystem::status(path, ec);
        if (ec)
            return;
        if (status.type() == std::filesystem::file_type::directory) {
            ec = std::make_error_code(std::errc::is_a_directory);
            return;
        }
        if (status.type() != std::filesystem::file_type::regular) {
            ec = std::make_error_code(std::errc::not_supported);
            return;
        }
        // Open once now so that an unreadable file fails here, not halfway through sending.
        errno = 0;
        std::FILE* probe = std::fopen(path.string().c_str(), "rb");
        if (!probe) {
            ec = std::error_code(errno ? errno : EIO, std::generic_category());
            return;
        }
        std::fclose(probe);
        const std::uint64_t file_size = std::filesystem::file_size(path, ec);
        if (ec)
            return;
        add_part(part{std::move(head), nullptr, path, file_size});
        keep_boundary_clear();
    }

    /// As above; throws std::system_error whose message names the path.
    void add_file(std::string_view name, const std::filesystem::path& path,
                  std::string_view filename, std::string_view content_type)
    {
        std::error_code ec;
        add_file(name, path, filename, content_type, ec);
        if (ec)
            throw std::system_error(ec, "imagine: multipart file \"" + path.string() + "\"");
    }

    const std::string& boundary() const noexcept { return boundary_; }

    /// "multipart/form-data; boundary=<b>", the boundary quoted when it holds characters
    /// that are not token characters (space, '(', ')', ',', '/', ':', '=', '?').
    std::string content_type() const
    {
        const bool quote = !std::all_of(boundary_.begin(), boundary_.end(), detail::is_token_char);
        return "multipart/form-data; boundary=" + (quote ? "\"" + boundary_ + "\"" : boundary_);
    }

    /// Exact length of the body in bytes.
    std::uint64_t size() const noexcept { return size_; }

    std::size_t part_count() const noexcept { return parts_.size(); }

    /// A new reader over the whole body, independent of every other one. rewind() starts
    /// it again (files are reopened). A file whose size differs from the one measured by
    /// add_file gives error::body_size_changed; a file that cannot be opened any more, the
    /// OS error. A read() that fails returns 0 (whatever it copied before the error is not
    /// counted), and so does every read() after it until rewind(). An empty span reads
    /// nothing and returns 0.
    std::shared_ptr<body_source> source() const
    {
        std::vector<detail::multipart_segment> segments;
        std::string pending;
        const auto flush = [&] {
            const std::uint64_t n = pending.size();
            segments.push_back({std::make_shared<const std::string>(std::move(pending)), {}, n});
            pending.clear();
        };
        for (const part& p : parts_) {
            pending += "--" + boundary_ + "\r\n" + p.head + "\r\n";
            // Empty files too: a file that grew since add_file must be noticed.
            if (p.size != 0 || !p.data) {
                flush();
                segments.push_back({p.data, p.path, p.size});
            }
            pending += "\r\n";
        }
        pending += "--" + boundary_ + "--\r\n";
        flush();
        return std::make_shared<detail::multipart_source>(std::move(segments), size_);
    }

    /// The whole body in memory (tests, small forms); on error `ec` and "".
    std::string to_string(std::error_code& ec) const
    {
        std::string out(static_cast<std::size_t>(size_), '\0');
        const auto reader = source();
        std::size_t at = 0;
        ec.clear();
        while (at < out.size()) {
            const std::size_t n = reader->read(std::span<char>(out).subspan(at), ec);
            if (ec)
                return {};
            if (n == 0)
                break;
            at += n;
        }
        if (at != out.size()) {
            ec = error::body_size_changed;
            return {};
        }
        return out;
    }

private:
    struct part {
        std::string head{};                        // header lines, each ending in CRLF
        std::shared_ptr<const std::string> data{}; // in memory; null for a file
        std::filesystem::path path{};              // the file, when data is null
        std::uint64_t size = 0;
    };

    static std::string disposition(std::string_view name, const std::string_view* filename,
                                   std::string_view content_type)
    {
        std::string head = "Content-Disposition: form-data; name=\"" +
                           detail::escape_disposition_value(name) + "\"";
        if (!filename)
            return head + "\r\n";
        if (content_type.empty())
            content_type = "application/octet-stream";
        if (!detail::is_valid_media_type(content_type))
            throw std::invalid_argument("imagine: multipart part \"" +
                                        detail::escape_disposition_value(name) +
                                        "\": invalid content type");
        return head + "; filename=\"" + detail::escape_disposition_value(*filename) +
               "\"\r\nContent-Type: " + std::string(content_type) + "\r\n";
    }

    std::uint64_t closing_size() const noexcept { return boundary_.size() + 6; }

    static std::uint64_t part_size(const part& p, std::size_t boundary_size) noexcept
    {
        // "--" b CRLF head CRLF data CRLF
        return 2 + boundary_size + 2 + p.head.size() + 2 + p.size + 2;
    }

    // True when `data` holds the delimiter: "--boundary" at its start (it follows a CRLF)
    // or after a CRLF inside it.
    bool holds_delimiter(std::string_view data) const
    {
        const std::string delimiter = "--" + boundary_;
        return data.starts_with(delimiter) ||
               data.find("\r\n" + delimiter) != std::string_view::npos;
    }

    void add_memory_part(std::string_view name, std::string head, std::string data)
    {
        if (!random_ && holds_delimiter(data))
            throw std::invalid_argument("imagine: multipart part \"" +
                                        detail::escape_disposition_value(name) +
                                        "\" contains the boundary delimiter");
        const std::uint64_t n = data.size();
        add_part(
            part{std::move(head), std::make_shared<const std::string>(std::move(data)), {}, n});
        keep_boundary_clear();
    }

    // A random boundary must not occur in any in-memory bytes (headers included): if it
    // does, a new one is drawn and every part checked again. Stricter than needed (the
    // boundary anywhere, not only as a delimiter), which costs nothing with 128 random
    // bits. The length stays the same, so size_ does too.
    void keep_boundary_clear()
    {
        if (!random_ || parts_.empty())
            return;
        const auto clashes = [this](const part& p) {
            return p.head.find(boundary_) != std::string::npos ||
                   (p.data && p.data->find(boundary_) != std::string::npos);
        };
        // Earlier parts were clear of the current boundary: only the newest is searched,
        // unless a new boundary has to be drawn.
        if (!clashes(parts_.back()))
            return;
        do
            boundary_ = detail::random_boundary();
        while (std::any_of(parts_.begin(), parts_.end(), clashes));
    }

    void add_part(part p)
    {
        size_ += part_size(p, boundary_.size());
        parts_.push_back(std::move(p));
    }

    std::string boundary_{};
    bool random_ = false;
    std::vector<part> parts_{};
    std::uint64_t size_ = 0;
};

} // namespace imagine::http
// ---- end imagine/http/multipart.hpp ----
// ---- begin imagine/http/sse.hpp ----

// Server-sent events: the "event stream interpretation" of the WHATWG HTML standard
// (§9.2.6), fed with body pieces as they arrive. An image generation stream sends events
// whose one data line is a base64 image of tens of megabytes, so nothing here holds a
// line before using it: data bytes go straight into the event's data as they arrive,
// and each byte is searched for a line ending once, however the stream is split.


#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace imagine::http {

/// One dispatched event.
struct sse_event {
    std::string event{}; ///< the type; "message" when the stream named none
    std::string data{};  ///< the data lines joined by "\n"
    std::string id{};    ///< the last event ID when the event was dispatched
};

struct sse_options {
    /// 0: unlimited. Otherwise the most bytes one event may hold while it is received:
    /// its data so far (a "\n" per data line included) + its type + the bytes of the
    /// current line that are not data (field name, colon, comment, other values), line
    /// endings not counted. More is error::event_too_large.
    std::size_t max_event_size = 0;
};

/// Turns an event stream, in pieces split anywhere, into events (FIFO). After an error
/// the decoder keeps failing until reset().
class sse_decoder {
public:
    explicit sse_decoder(sse_options options = {}) : options_(options) {}

    /// Decodes the next piece of the stream; complete events are queued.
    void put(std::string_view piece, std::error_code& ec)
    {
        const char* p = piece.data();
        const char* const end = p + piece.size();
        if (!error_ && !bom_checked_)
            p = skip_bom(p, end);
        if (!error_)
            decode(p, end);
        ec = error_;
    }

    /// The end of the stream: an event whose blank line did not arrive is discarded, as
    /// is an unfinished line. Queued events, the last event ID and the retry time stay;
    /// a following put() starts a new stream (a reconnection).
    void finish() noexcept
    {
        discard_pending();
        bom_checked_ = false;
        bom_matched_ = 0;
    }

    bool has_event() const noexcept { return !events_.empty(); }

    /// The oldest queued event. Precondition: has_event().
    sse_event take_event()
    {
        sse_event e = std::move(events_.front());
        events_.pop_front();
        return e;
    }

    std::size_t pending_events() const noexcept { return events_.size(); }

    /// The event source's last event ID: what a reconnection sends as Last-Event-ID. Set
    /// at each blank line from the last valid `id` field.
    const std::string& last_event_id() const noexcept { return last_event_id_; }

    /// The reconnection time (ms) of the last valid `retry` field.
    std::optional<std::uint64_t> retry() const noexcept { return retry_; }

    /// Back to a new decoder with the same options.
    void reset()
    {
        discard_pending();
        events_.clear();
        id_buffer_.clear();
        last_event_id_.clear();
        retry_.reset();
        error_ = {};
        bom_checked_ = false;
        bom_matched_ = 0;
    }

private:
    enum class line_state : unsigned char {
        start,       // nothing of the line yet
        name,        // in the field name
        value_start, // right after the colon: one space to drop
        value,       // in the value
        ignore,      // a comment, or the rest of an unknown field
    };
    enum class field_kind : unsigned char { other, data, event, id, retry };

    static constexpr std::string_view bom = "\xEF\xBB\xBF";
    // The longest field name that means something ("event", "retry").
    static constexpr std::size_t max_name = 5;

    // A BOM may arrive a byte at a time; bytes that turn out not to be one are stream
    // bytes after all.
    const char* skip_bom(const char* p, const char* end)
    {
        while (p != end && bom_matched_ < bom.size()) {
            if (*p != bom[bom_matched_]) {
                bom_checked_ = true;
                decode(bom.data(), bom.data() + bom_matched_);
                return p;
            }
            ++bom_matched_;
            ++p;
        }
        bom_checked_ = bom_matched_ == bom.size();
        return p;
    }

    // The next CR or LF at or after p, or end. The positions found are remembered for
    // the rest of the piece, so a run of short lines does not search a long tail again.
    struct eol_finder {
        const char* end = nullptr;
        const char* cr = nullptr;
        const char* lf = nullptr;

        const char* operator()(const char* p) noexcept
        {
            if (cr == nullptr || cr < p)
                cr = find(p, '\r');
            if (lf == nullptr || lf < p)
                lf = find(p, '\n');
            return std::min(cr, lf);
        }

        const char* find(const char* p, char c) const noexcept
        {
            const void* hit = std::memchr(p, c, static_cast<std::size_t>(end - p));
            return hit ? static_cast<const char*>(hit) : end;
        }
    };

    void decode(const char* p, const char* const end)
    {
        eol_finder eol{end};
        while (p != end && !error_) {
            if (skip_lf_) {
                // The LF of a CRLF whose CR ended the previous line, maybe in an earlier piece.
                skip_lf_ = false;
                if (*p == '\n') {
                    ++p;
                    continue;
                }
            }
            switch (line_) {
            case line_state::start:
                if (*p == '\r' || *p == '\n') {
                    skip_lf_ = *p++ == '\r';
                    dispatch();
                } else if (*p == ':') {
                    ++p;
                    ++line_bytes_;
                    line_ = line_state::ignore;
                } else {
                    line_ = line_state::name;
                }
                break;
            case line_state::name: {
                const char* const stop = eol(p);
                const void* colon = std::memchr(p, ':', static_cast<std::size_t>(stop - p));
                const char* const name_end = colon ? static_cast<const char*>(colon) : stop;
                const auto n = static_cast<std::size_t>(name_end - p);
                if (name_.size() + n <= max_name)
                    name_.append(p, n);
                else
                    name_.assign(max_name + 1, ':'); // matches no known name
                line_bytes_ += n;
                p = name_end;
                if (colon) {
                    ++p;
                    ++line_bytes_;
                    kind_ = classify(name_);
                    line_ =
                        kind_ == field_kind::other ? line_state::ignore : line_state::value_start;
                } else if (p != end) {
                    kind_ = classify(name_); // no colon: the whole line is the name
                }
                check_size();
                if (!colon && p != end)
                    end_line(p);
                break;
            }
            case line_state::value_start:
                if (*p == ' ') {
                    ++p;
                    ++line_bytes_;
                }
                line_ = line_state::value;
                break;
            case line_state::value:
            case line_state::ignore: {
                const char* const stop = eol(p);
                const auto n = static_cast<std::size_t>(stop - p);
                if (line_ == line_state::ignore) {
                    line_bytes_ += n;
                } else if (kind_ == field_kind::data) {
                    data_.append(p, n); // counted in data_, not line_bytes_
                } else {
                    value_.append(p, n);
                    line_bytes_ += n;
                }
                p = stop;
                check_size();
                if (p != end)
                    end_line(p);
                break;
            }
            }
        }
    }

    static field_kind classify(std::string_view name) noexcept
    {
        if (name == "data")
            return field_kind::data;
        if (name == "event")
            return field_kind::event;
        if (name == "id")
            return field_kind::id;
        if (name == "retry")
            return field_kind::retry;
        return field_kind::other;
    }

    // Called after every stretch of a line. The measure only shrinks at line ends, so
    // these checks see every maximum, wherever the stream was split.
    void check_size() noexcept
    {
        if (options_.max_event_size != 0 &&
            data_.size() + event_.size() + line_bytes_ > options_.max_event_size)
            error_ = error::event_too_large;
    }

    // *p is the CR or LF ending a field line (after a failed check_size() too: harmless).
    void end_line(const char*& p)
    {
        skip_lf_ = *p++ == '\r';
        if (error_)
            return;
        switch (kind_) {
        case field_kind::data:
            data_.push_back('\n');
            break;
        case field_kind::event:
            event_.swap(value_);
            break;
        case field_kind::id:
            if (value_.find('\0') == std::string::npos)
                id_buffer_.swap(value_);
            break;
        case field_kind::retry:
            set_retry(value_);
            break;
        case field_kind::other:
            break;
        }
        start_line();
    }

    void set_retry(std::string_view value) noexcept
    {
        if (value.empty())
            return;
        std::uint64_t ms = 0;
        constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
        for (char c : value) {
            if (c < '0' || c > '9')
                return;
            const auto digit = static_cast<std::uint64_t>(c - '0');
            if (ms > (max - digit) / 10)
                return; // not a time anyone means; ignored like any invalid value
            ms = ms * 10 + digit;
        }
        retry_ = ms;
    }

    // A blank line.
    void dispatch()
    {
        last_event_id_ = id_buffer_;
        if (!data_.empty()) {
            data_.pop_back(); // the "\n" of the last data line
            events_.push_back(sse_event{event_.empty() ? std::string("message") : std::move(event_),
                                        std::move(data_), id_buffer_});
        }
        data_.clear();
        event_.clear();
    }

    void start_line() noexcept
    {
        line_ = line_state::start;
        kind_ = field_kind::other;
        name_.clear();
        value_.clear();
        line_bytes_ = 0;
    }

    void discard_pending() noexcept
    {
        start_line();
        data_.clear();
        event_.clear();
        skip_lf_ = false;
    }

    sse_options options_{};
    std::error_code error_{};
    bool bom_checked_ = false;
    std::size_t bom_matched_ = 0;
    bool skip_lf_ = false;
    line_state line_ = line_state::start;
    field_kind kind_ = field_kind::other;
    std::string name_{};          // at most max_name + 1 bytes
    std::string value_{};         // the value of an event, id or retry line
    std::size_t line_bytes_ = 0;  // bytes of the current line not in data_
    std::string data_{};          // data buffer
    std::string event_{};         // event type buffer
    std::string id_buffer_{};     // last event ID buffer
    std::string last_event_id_{}; // set from id_buffer_ at each blank line
    std::optional<std::uint64_t> retry_{};
    std::deque<sse_event> events_{};
};

} // namespace imagine::http
// ---- end imagine/http/sse.hpp ----

// ---- begin imagine/util/image_error.hpp ----

// Error codes of the image helpers (probing headers, saving files). OS errors from
// opening, reading and writing files pass through unchanged (std::errc / system codes);
// these are the cases where the bytes themselves are the problem.

#include <string>
#include <system_error>
#include <type_traits>

namespace imagine {

enum class image_error {
    not_an_image = 1,   ///< the bytes do not start like a PNG, JPEG or WebP file
    truncated,          ///< the bytes end before the header that holds the size
    malformed,          ///< the header is there but breaks the format's rules
    extension_mismatch, ///< the path's extension names another image format
};

} // namespace imagine

template <>
struct std::is_error_code_enum<imagine::image_error> : std::true_type {
};

namespace imagine {

namespace detail {

class image_error_category_impl final : public std::error_category {
public:
    const char* name() const noexcept override { return "imagine.image"; }

    std::string message(int value) const override
    {
        switch (static_cast<image_error>(value)) {
        case image_error::not_an_image:
            return "not a PNG, JPEG or WebP image";
        case image_error::truncated:
            return "image header truncated";
        case image_error::malformed:
            return "malformed image header";
        case image_error::extension_mismatch:
            return "file extension does not match the image format";
        }
        return "unknown imagine.image error";
    }
};

} // namespace detail

/// The category of image_error values (name "imagine.image").
inline const std::error_category& image_category() noexcept
{
    static const detail::image_error_category_impl instance;
    return instance;
}

inline std::error_code make_error_code(image_error e) noexcept
{
    return {static_cast<int>(e), image_category()};
}

} // namespace imagine
// ---- end imagine/util/image_error.hpp ----
// ---- begin imagine/util/image_info.hpp ----

// What kind of image a byte string or a file holds, and how large it is, read from the
// headers alone (PNG, JPEG, WebP: what the Images API returns).
//
// The bytes are untrusted (a server's answer, a user's file), so the parsers are strict:
// every length is checked against what is there before it is used, a header that ends
// early is image_error::truncated, one that breaks its format's rules is
// image_error::malformed, and nothing is ever read outside the input.
//
// "The header" of each format, all of which must be present for a probe to succeed:
//   PNG   the signature, IHDR, and every chunk up to the 8-byte head of the first IDAT
//         (a tRNS chunk gives transparency, and it may come anywhere before IDAT)
//   JPEG  every segment up to the end of the first frame header (SOF0..SOF15 except
//         DHT C4, JPG C8 and DAC CC); APPn (EXIF thumbnails included) and COM segments
//         before it are skipped by their length
//   WebP  the RIFF header and the first chunk's fixed fields (VP8, VP8L or VP8X)


#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <system_error>

#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

namespace imagine {

enum class image_format { unknown, png, jpeg, webp };

/// "image/png", "image/jpeg", "image/webp"; "" for unknown.
constexpr std::string_view mime_type(image_format format) noexcept
{
    switch (format) {
    case image_format::png:
        return "image/png";
    case image_format::jpeg:
        return "image/jpeg";
    case image_format::webp:
        return "image/webp";
    case image_format::unknown:
        break;
    }
    return "";
}

/// ".png", ".jpg", ".webp"; "" for unknown.
constexpr std::string_view file_extension(image_format format) noexcept
{
    switch (format) {
    case image_format::png:
        return ".png";
    case image_format::jpeg:
        return ".jpg";
    case image_format::webp:
        return ".webp";
    case image_format::unknown:
        break;
    }
    return "";
}

/// "png", "jpeg", "webp", "unknown".
constexpr std::string_view to_string(image_format format) noexcept
{
    switch (format) {
    case image_format::png:
        return "png";
    case image_format::jpeg:
        return "jpeg";
    case image_format::webp:
        return "webp";
    case image_format::unknown:
        break;
    }
    return "unknown";
}

struct image_info {
    image_format format{};
    std::uint32_t width{};
    std::uint32_t height{};
    /// PNG: colour type 4 or 6, or a tRNS chunk before IDAT. WebP: the VP8X alpha flag
    /// or the VP8L alpha hint. JPEG: always false.
    bool has_alpha{};

    friend bool operator==(const image_info&, const image_info&) = default;
};

namespace detail {

constexpr std::string_view png_signature{"\x89PNG\r\n\x1a\n", 8};
constexpr std::string_view jpeg_signature{"\xff\xd8\xff", 3};
constexpr std::size_t webp_signature_size = 12; // "RIFF" size32 "WEBP"

/// The format whose magic bytes begin `bytes`, or unknown.
constexpr image_format sniff_magic(std::string_view bytes) noexcept
{
    if (bytes.substr(0, png_signature.size()) == png_signature)
        return image_format::png;
    if (bytes.substr(0, jpeg_signature.size()) == jpeg_signature)
        return image_format::jpeg;
    if (bytes.size() >= webp_signature_size && bytes.substr(0, 4) == "RIFF" &&
        bytes.substr(8, 4) == "WEBP")
        return image_format::webp;
    return image_format::unknown;
}

/// True when `bytes` is non-empty and shorter than some signature it could still become,
/// i.e. the input was cut inside the magic bytes.
constexpr bool is_magic_prefix(std::string_view bytes) noexcept
{
    if (bytes.empty())
        return false;
    if (bytes.size() < png_signature.size() && png_signature.substr(0, bytes.size()) == bytes)
        return true;
    if (bytes.size() < jpeg_signature.size() && jpeg_signature.substr(0, bytes.size()) == bytes)
        return true;
    if (bytes.size() < webp_signature_size) {
        constexpr std::string_view riff = "RIFF";
        constexpr std::string_view webp = "WEBP";
        const std::string_view head = bytes.substr(0, 4);
        if (riff.substr(0, head.size()) != head)
            return false;
        if (bytes.size() <= 8)
            return true;
        const std::string_view tail = bytes.substr(8);
        return webp.substr(0, tail.size()) == tail;
    }
    return false;
}

inline std::uint32_t load_be16(const unsigned char* p) noexcept
{
    return std::uint32_t{p[0]} << 8 | p[1];
}

inline std::uint32_t load_be32(const unsigned char* p) noexcept
{
    return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

inline std::uint32_t load_le16(const unsigned char* p) noexcept
{
    return std::uint32_t{p[1]} << 8 | p[0];
}

inline std::uint32_t load_le24(const unsigned char* p) noexcept
{
    return std::uint32_t{p[2]} << 16 | std::uint32_t{p[1]} << 8 | p[0];
}

inline std::uint32_t load_le32(const unsigned char* p) noexcept
{
    return std::uint32_t{p[3]} << 24 | load_le24(p);
}

/// Bytes held in memory. read() copies what exists of [offset, offset + n).
struct memory_source {
    std::string_view bytes;

    std::size_t read(std::uint64_t offset, std::size_t n, unsigned char* out,
                     std::error_code&) const noexcept
    {
        if (offset >= bytes.size())
            return 0;
        const std::size_t available = bytes.size() - static_cast<std::size_t>(offset);
        const std::size_t count = n < available ? n : available;
        std::memcpy(out, bytes.data() + offset, count);
        return count;
    }
};

/// An open file read with pread through a small window, so that the byte-by-byte walk
/// over JPEG markers costs one system call per window, and skipping a large chunk or
/// segment costs nothing (the next read simply starts further on).
class fd_source {
public:
    static constexpr std::size_t window_size = 4096;
    static constexpr std::size_t largest_read = 32; // the probes read at most 20 bytes at once

    /// `window` below window_size only makes the window's edges easier to reach (fuzzing).
    explicit fd_source(int fd, std::size_t window = window_size) noexcept
        : fd_(fd), window_(window < largest_read  ? largest_read
                           : window > window_size ? window_size
                                                  : window)
    {
    }

    /// Copies what exists of [offset, offset + n), n <= largest_read; a short count means
    /// the end of the file. A read error sets ec.
    std::size_t read(std::uint64_t offset, std::size_t n, unsigned char* out,
                     std::error_code& ec) noexcept
    {
        if (!(offset >= start_ && offset - start_ + n <= length_)) {
            if (!fill(offset, ec))
                return 0;
        }
        const std::size_t at = static_cast<std::size_t>(offset - start_);
        const std::size_t available = length_ > at ? length_ - at : 0;
        const std::size_t count = n < available ? n : available;
        std::memcpy(out, buffer_ + at, count);
        return count;
    }

private:
    bool fill(std::uint64_t offset, std::error_code& ec) noexcept
    {
        start_ = offset;
        length_ = 0;
        // An offset past what off_t can express is past the end of any file.
        if (offset > static_cast<std::uint64_t>(INT64_MAX - window_size))
            return true;
        while (length_ < window_) {
            const ssize_t got = ::pread(fd_, buffer_ + length_, window_ - length_,
                                        static_cast<off_t>(offset + length_));
            if (got < 0) {
                if (errno == EINTR)
                    continue;
                ec.assign(errno, std::generic_category());
                return false;
            }
            if (got == 0)
                break;
            length_ += static_cast<std::size_t>(got);
        }
        return true;
    }

    int fd_;
    std::size_t window_;
    std::uint64_t start_ = 0;
    std::size_t length_ = 0; // bytes of the file in buffer_, from offset start_
    unsigned char buffer_[window_size];
};

/// Reads exactly n bytes at offset; fewer available is image_error::truncated.
template <class Source>
bool read_exact(Source& source, std::uint64_t offset, std::size_t n, unsigned char* out,
                std::error_code& ec) noexcept
{
    const std::size_t got = source.read(offset, n, out, ec);
    if (ec)
        return false;
    if (got < n) {
        ec = image_error::truncated;
        return false;
    }
    return true;
}

inline image_info fail(std::error_code& ec, image_error e) noexcept
{
    ec = e;
    return {};
}

inline bool png_depth_valid(unsigned colour_type, unsigned depth) noexcept
{
    switch (colour_type) {
    case 0:
        return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 3:
        return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 2:
    case 4:
    case 6:
        return depth == 8 || depth == 16;
    default:
        return false;
    }
}

template <class Source>
image_info probe_png(Source& source, std::error_code& ec) noexcept
{
    // Signature, IHDR's length and type, IHDR's 13 data bytes.
    unsigned char h[8 + 8 + 13];
    if (!read_exact(source, 0, sizeof h, h, ec))
        return {};
    if (load_be32(h + 8) != 13 || std::memcmp(h + 12, "IHDR", 4) != 0)
        return fail(ec, image_error::malformed);
    const std::uint32_t width = load_be32(h + 16);
    const std::uint32_t height = load_be32(h + 20);
    const unsigned depth = h[24];
    const unsigned colour_type = h[25];
    if (width == 0 || height == 0 || width > 0x7fffffffu || height > 0x7fffffffu ||
        !png_depth_valid(colour_type, depth) || h[26] != 0 || h[27] != 0 || h[28] > 1)
        return fail(ec, image_error::malformed);

    image_info info{image_format::png, width, height, colour_type == 4 || colour_type == 6};
    // Walk the chunk heads (skipping their data) to the first IDAT: a tRNS chunk, which
    // gives a grey, RGB or palette image transparency, may come anywhere before it.
    std::uint64_t at = sizeof h + 4; // after IHDR's CRC
    for (;;) {
        unsigned char c[8];
        if (!read_exact(source, at, sizeof c, c, ec))
            return {};
        const std::uint32_t length = load_be32(c);
        if (length > 0x7fffffffu)
            return fail(ec, image_error::malformed);
        for (int i = 4; i < 8; ++i) {
            const unsigned char letter = static_cast<unsigned char>(c[i] | 0x20);
            if (letter < 'a' || letter > 'z')
                return fail(ec, image_error::malformed);
        }
        const std::string_view type(reinterpret_cast<const char*>(c + 4), 4);
        if (type == "IDAT")
            return info;
        if (type == "IEND" || type == "IHDR")
            return fail(ec, image_error::malformed);
        if (type == "tRNS")
            info.has_alpha = true;
        at += 12 + std::uint64_t{length}; // length, type, data, CRC
    }
}

/// SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
constexpr bool is_jpeg_frame_marker(unsigned marker) noexcept
{
    return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
}

template <class Source>
image_info probe_jpeg(Source& source, std::error_code& ec) noexcept
{
    std::uint64_t at = 2; // after SOI
    for (;;) {
        unsigned char byte;
        if (!read_exact(source, at++, 1, &byte, ec))
            return {};
        if (byte != 0xff)
            return fail(ec, image_error::malformed); // only markers between segments
        do { // any number of 0xFF fill bytes may precede a marker
            if (!read_exact(source, at++, 1, &byte, ec))
                return {};
        } while (byte == 0xff);
        const unsigned marker = byte;

        if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
            continue; // TEM, RSTn: standalone, no length
        // 00 is a stuffed byte (only inside entropy-coded data); a second SOI, an EOI
        // or a scan before any frame header means there is no frame to describe.
        if (marker == 0x00 || marker == 0xd8 || marker == 0xd9 || marker == 0xda)
            return fail(ec, image_error::malformed);

        unsigned char s[8];
        if (!read_exact(source, at, 2, s, ec))
            return {};
        const std::uint32_t length = load_be16(s); // counts itself, not the marker
        if (length < 2)
            return fail(ec, image_error::malformed);
        if (is_jpeg_frame_marker(marker)) {
            // Lf, P, Y, X, Nf, then Nf three-byte component specifications.
            if (!read_exact(source, at, sizeof s, s, ec))
                return {};
            const std::uint32_t height = load_be16(s + 3);
            const std::uint32_t width = load_be16(s + 5);
            const unsigned components = s[7];
            // Height 0 means "given later by a DNL marker": no size to report here.
            if (components == 0 || length != 8 + 3 * components || width == 0 || height == 0)
                return fail(ec, image_error::malformed);
            unsigned char last; // the whole frame header must be there
            if (!read_exact(source, at + length - 1, 1, &last, ec))
                return {};
            return {image_format::jpeg, width, height, false};
        }
        at += length;
    }
}

template <class Source>
image_info probe_webp(Source& source, std::error_code& ec) noexcept
{
    // "RIFF" size "WEBP", then the first chunk's FourCC and size.
    unsigned char h[20];
    if (!read_exact(source, 0, sizeof h, h, ec))
        return {};
    const std::uint64_t riff_size = load_le32(h + 4);
    const std::uint32_t chunk_size = load_le32(h + 16);
    if (riff_size < 4 + 8 + std::uint64_t{chunk_size}) // "WEBP" + chunk head + data
        return fail(ec, image_error::malformed);
    const std::string_view fourcc(reinterpret_cast<const char*>(h + 12), 4);
    unsigned char d[10];

    if (fourcc == "VP8 ") {
        // Frame tag (key frame, version <= 3, shown, first partition inside the chunk),
        // start code 9D 01 2A, then 14-bit width and height, each with 2 scale bits.
        if (chunk_size < sizeof d)
            return fail(ec, image_error::malformed);
        if (!read_exact(source, sizeof h, sizeof d, d, ec))
            return {};
        const std::uint32_t tag = load_le24(d);
        const bool key_frame = (tag & 1) == 0;
        const unsigned version = (tag >> 1) & 7;
        const bool shown = ((tag >> 4) & 1) != 0;
        if (!key_frame || version > 3 || !shown || (tag >> 5) >= chunk_size || d[3] != 0x9d ||
            d[4] != 0x01 || d[5] != 0x2a)
            return fail(ec, image_error::malformed);
        const std::uint32_t width = load_le16(d + 6) & 0x3fff;
        const std::uint32_t height = load_le16(d + 8) & 0x3fff;
        if (width == 0 || height == 0)
            return fail(ec, image_error::malformed);
        return {image_format::webp, width, height, false};
    }
    if (fourcc == "VP8L") {
        // Signature 0x2F, then width-1 and height-1 (14 bits each), the alpha hint bit
        // and a 3-bit version that must be 0.
        if (chunk_size < 5)
            return fail(ec, image_error::malformed);
        if (!read_exact(source, sizeof h, 5, d, ec))
            return {};
        const std::uint32_t bits = load_le32(d + 1);
        if (d[0] != 0x2f || (bits >> 29) != 0)
            return fail(ec, image_error::malformed);
        return {image_format::webp, (bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1,
                ((bits >> 28) & 1) != 0};
    }
    if (fourcc == "VP8X") {
        // Flags, 3 reserved bytes, canvas width-1 and height-1 (24 bits each).
        if (chunk_size != sizeof d)
            return fail(ec, image_error::malformed);
        if (!read_exact(source, sizeof h, sizeof d, d, ec))
            return {};
        const std::uint32_t width = load_le24(d + 4) + 1;
        const std::uint32_t height = load_le24(d + 7) + 1;
        // The container caps the canvas at 2^32 - 1 pixels.
        if (std::uint64_t{width} * height > 0xffffffffu)
            return fail(ec, image_error::malformed);
        return {image_format::webp, width, height, (d[0] & 0x10) != 0};
    }
    return fail(ec, image_error::malformed); // a WebP file starts with one of those three
}

template <class Source>
image_info probe_source(Source& source, std::error_code& ec) noexcept
{
    ec.clear();
    unsigned char magic[webp_signature_size];
    const std::size_t got = source.read(0, sizeof magic, magic, ec);
    if (ec)
        return {};
    const std::string_view head(reinterpret_cast<const char*>(magic), got);
    switch (sniff_magic(head)) {
    case image_format::png:
        return probe_png(source, ec);
    case image_format::jpeg:
        return probe_jpeg(source, ec);
    case image_format::webp:
        return probe_webp(source, ec);
    case image_format::unknown:
        break;
    }
    return fail(ec, is_magic_prefix(head) ? image_error::truncated : image_error::not_an_image);
}

/// probe_image on an open file descriptor (read with pread: its offset is not moved).
inline image_info probe_image_fd(int fd, std::error_code& ec) noexcept
{
    fd_source source(fd);
    return probe_source(source, ec);
}

} // namespace detail

/// The format named by the magic bytes at the start of `bytes` (nothing else is checked).
inline image_format sniff_image_format(std::string_view bytes) noexcept
{
    return detail::sniff_magic(bytes);
}

/// Format, size and transparency from the headers of an image held in memory. On error
/// returns {} and sets ec: image_error::not_an_image, truncated or malformed.
inline image_info probe_image(std::string_view bytes, std::error_code& ec) noexcept
{
    detail::memory_source source{bytes};
    return detail::probe_source(source, ec);
}

/// probe_image for a file, reading only the headers: small reads, and large chunks or
/// segments are skipped by offset, never read. On error returns {} and sets ec: the
/// system error of open or read, else an image_error as for probe_image.
inline image_info probe_image_file(const std::filesystem::path& path, std::error_code& ec)
{
    ec.clear();
    // O_NONBLOCK: opening a FIFO must not wait for a writer (pread on it then fails).
    int fd;
    do {
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        ec.assign(errno, std::generic_category());
        return {};
    }
    const image_info info = detail::probe_image_fd(fd, ec);
    ::close(fd);
    return info;
}

} // namespace imagine
// ---- end imagine/util/image_info.hpp ----
// ---- begin imagine/util/save_image.hpp ----

// Saving an image to a file, all or nothing: the synchronous core under imagine's
// save_image. POSIX only.
//
// The format is read from the bytes (and the path's extension checked against it)
// before anything is created. The bytes then go to a temporary file in the target's
// directory (".<name>.XXXXXX.tmp", created with O_EXCL), which is flushed with fsync and
// only then published under the target name: with rename() when overwriting, else with
// renameat2(RENAME_NOREPLACE), or link() + unlink() where the file system lacks it, so
// an existing file is never replaced. The directory is flushed last. Whatever fails
// (bad base64 half-way through, a full disk, a file size limit, a name taken meanwhile)
// the temporary file is removed and the target is left as it was.
//
// Errors (std::error_code): the system errors of the file operations (std::errc::
// file_exists for a name that is taken, ENOENT for a missing directory: directories are
// not created); image_error::not_an_image, truncated, malformed (from the probe) and
// extension_mismatch; base64::errc for invalid base64; std::errc::invalid_argument for
// a path that names no file ("", "dir/", "..").


#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

namespace imagine {

struct save_options {
    /// An existing file is replaced only when true; otherwise std::errc::file_exists.
    bool overwrite = false;
    /// When the path's extension is a known image extension of another format (".jpg"
    /// and ".jpeg" both mean JPEG; case-insensitive): image_error::extension_mismatch.
    /// A path without extension gets the format's one (file_extension()) appended.
    /// When false the path is used exactly as given.
    bool check_extension = true;
    /// A relative path is resolved against $IMAGE_PATH when that is set and non-empty.
    bool use_image_path = true;
};

struct saved_image {
    std::filesystem::path path; ///< where the file is now (after $IMAGE_PATH, extension)
    image_format format{};
    std::uint64_t size{}; ///< bytes written
    std::uint32_t width{};
    std::uint32_t height{};
};

/// `path` with $IMAGE_PATH in front when options.use_image_path, the path is relative,
/// and the variable is set and non-empty; else `path` unchanged. No extension handling.
inline std::filesystem::path resolve_image_path(const std::filesystem::path& path,
                                                const save_options& options = {})
{
    if (options.use_image_path && path.is_relative()) {
        const char* dir = std::getenv("IMAGE_PATH");
        if (dir != nullptr && *dir != '\0')
            return std::filesystem::path(dir) / path;
    }
    return path;
}

namespace detail {

inline bool equals_ascii_nocase(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

/// The format an extension (with its dot) stands for: png, jpeg or webp; unknown for an
/// image format imagine does not write (".gif", ".avif" ...: always a mismatch);
/// nullopt for anything else (".bin", ".v2"), which is left alone.
inline std::optional<image_format> format_of_extension(std::string_view extension) noexcept
{
    struct entry {
        std::string_view extension;
        image_format format;
    };
    static constexpr std::array<entry, 15> table{{
        {".png", image_format::png},
        {".jpg", image_format::jpeg},
        {".jpeg", image_format::jpeg},
        {".webp", image_format::webp},
        {".gif", image_format::unknown},
        {".bmp", image_format::unknown},
        {".tif", image_format::unknown},
        {".tiff", image_format::unknown},
        {".avif", image_format::unknown},
        {".heic", image_format::unknown},
        {".heif", image_format::unknown},
        {".jxl", image_format::unknown},
        {".ico", image_format::unknown},
        {".svg", image_format::unknown},
        {".jp2", image_format::unknown},
    }};
    for (const entry& e : table) {
        if (equals_ascii_nocase(extension, e.extension))
            return e.format;
    }
    return std::nullopt;
}

/// A path whose last element is a file name (not "", "." or "..").
inline bool names_a_file(const std::filesystem::path& path)
{
    const std::filesystem::path name = path.filename();
    return !name.empty() && name != "." && name != "..";
}

/// The path to write `format` to, after the extension rules of save_options.
inline std::filesystem::path target_path(const std::filesystem::path& resolved, image_format format,
                                         const save_options& options, std::error_code& ec)
{
    if (!options.check_extension)
        return resolved;
    const std::string extension = resolved.extension().string();
    if (extension.empty()) {
        std::filesystem::path with = resolved;
        with += file_extension(format);
        return with;
    }
    const std::optional<image_format> named = format_of_extension(extension);
    if (named && *named != format)
        ec = image_error::extension_mismatch;
    return resolved;
}

inline std::error_code last_system_error() noexcept
{
    return {errno, std::generic_category()};
}

/// A temporary file next to the target, removed by the destructor unless published.
class staged_file {
public:
    staged_file() = default;
    staged_file(const staged_file&) = delete;
    staged_file& operator=(const staged_file&) = delete;
    ~staged_file() { discard(); }

    /// Opens the target's directory and creates the temporary file in it. Without
    /// overwrite, a taken name fails here already, before any byte is written (publish()
    /// checks again, atomically).
    void create(const std::filesystem::path& target, bool overwrite, std::error_code& ec)
    {
        std::filesystem::path dir = target.parent_path();
        if (dir.empty())
            dir = ".";
        dir_fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd_ < 0) {
            ec = last_system_error();
            return;
        }
        name_ = target.filename().string();

        struct stat st;
        if (::fstatat(dir_fd_, name_.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
            if (!overwrite) {
                ec = std::make_error_code(std::errc::file_exists);
                return;
            }
            if (S_ISDIR(st.st_mode)) {
                ec = std::make_error_code(std::errc::is_a_directory);
                return;
            }
        } else if (errno != ENOENT) {
            ec = last_system_error();
            return;
        }

        // A long target name is shortened in the temporary one, which must still fit
        // NAME_MAX (255) with its dot, random part and ".tmp".
        const std::string stem = "." + name_.substr(0, 200) + ".";
        for (int attempt = 0; attempt < 100; ++attempt) {
            std::string candidate = stem + random_suffix() + ".tmp";
            // 0666: the file gets the permissions of any new file (umask applies).
            const int fd = ::openat(dir_fd_, candidate.c_str(),
                                    O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
            if (fd >= 0) {
                fd_ = fd;
                temp_name_ = std::move(candidate);
                return;
            }
            if (errno != EEXIST && errno != EINTR) {
                ec = last_system_error();
                return;
            }
        }
        ec = std::make_error_code(std::errc::file_exists);
    }

    void write(const char* data, std::size_t size, std::error_code& ec) noexcept
    {
        while (size > 0) {
            const std::size_t step = size < (std::size_t{1} << 30) ? size : std::size_t{1} << 30;
            const ssize_t n = ::write(fd_, data, step);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                ec = last_system_error(); // ENOSPC, EFBIG, EIO ...
                return;
            }
            data += n;
            size -= static_cast<std::size_t>(n);
            written_ += static_cast<std::uint64_t>(n);
        }
    }

    [[nodiscard]] int fd() const noexcept { return fd_; }
    [[nodiscard]] std::uint64_t written() const noexcept { return written_; }

    /// fsync, close, move to the target name, fsync the directory.
    void publish(bool overwrite, std::error_code& ec) noexcept
    {
        if (::fsync(fd_) != 0) {
            ec = last_system_error();
            return;
        }
        const int fd = fd_;
        fd_ = -1;
        if (::close(fd) != 0 && errno != EINTR) { // some file systems report write errors here
            ec = last_system_error();
            return;
        }
        if (overwrite ? ::renameat(dir_fd_, temp_name_.c_str(), dir_fd_, name_.c_str()) != 0
                      : !move_no_replace(ec)) {
            if (!ec)
                ec = last_system_error();
            return;
        }
        temp_name_.clear();
        // Makes the new name itself durable. EINVAL: the file system cannot sync
        // directories, nothing to do.
        if (::fsync(dir_fd_) != 0 && errno != EINVAL) {
            ec = last_system_error();
            // The file we created without overwrite is ours to take back; an overwritten
            // one cannot be restored, so it stays.
            if (!overwrite)
                ::unlinkat(dir_fd_, name_.c_str(), 0);
        }
    }

    /// Removes the temporary file (if still there) and closes everything. Idempotent.
    void discard() noexcept
    {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = -1;
        if (!temp_name_.empty() && dir_fd_ >= 0)
            ::unlinkat(dir_fd_, temp_name_.c_str(), 0);
        temp_name_.clear();
        if (dir_fd_ >= 0)
            ::close(dir_fd_);
        dir_fd_ = -1;
    }

private:
    /// Gives the temporary file the target name unless that name exists. Returns false
    /// with ec set (file_exists when the name is taken).
    bool move_no_replace(std::error_code& ec) noexcept
    {
#if defined(__linux__) && defined(SYS_renameat2)
        constexpr unsigned rename_noreplace = 1; // RENAME_NOREPLACE, <linux/fs.h>
        if (::syscall(SYS_renameat2, dir_fd_, temp_name_.c_str(), dir_fd_, name_.c_str(),
                      rename_noreplace) == 0)
            return true;
        // Any answer but "not supported here" is final.
        if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP && errno != EOPNOTSUPP) {
            ec = last_system_error();
            return false;
        }
#endif
        // link() fails with EEXIST rather than replace; then the temporary name goes.
        if (::linkat(dir_fd_, temp_name_.c_str(), dir_fd_, name_.c_str(), 0) != 0) {
            ec = last_system_error();
            return false;
        }
        ::unlinkat(dir_fd_, temp_name_.c_str(), 0);
        return true;
    }

    /// Six characters of [A-Za-z0-9], different per call and per process. Only O_EXCL
    /// makes the file ours; the name needs to be unlikely to collide, not secret.
    static std::string random_suffix()
    {
        static std::atomic<std::uint64_t> counter{0};
        std::uint64_t x = counter.fetch_add(1, std::memory_order_relaxed) * 0x9e3779b97f4a7c15u;
        x ^= static_cast<std::uint64_t>(::getpid()) << 32;
        x ^=
            static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
        // splitmix64 finaliser
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
        x ^= x >> 31;
        constexpr std::string_view alphabet =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        std::string out(6, '\0');
        for (char& c : out) {
            c = alphabet[x % alphabet.size()];
            x /= alphabet.size();
        }
        return out;
    }

    int dir_fd_ = -1;
    int fd_ = -1;
    std::string name_;
    std::string temp_name_;
    std::uint64_t written_ = 0;
};

/// Base64 is decoded this many input characters at a time (a multiple of 4).
inline constexpr std::size_t base64_piece = std::size_t{1} << 20;

inline std::system_error save_failure(std::error_code ec, const std::filesystem::path& path,
                                      const save_options& options)
{
    return {ec, "imagine: cannot save image to " + resolve_image_path(path, options).string()};
}

} // namespace detail

/// Writes an image held in memory to `path` (see the top of this file). On error returns
/// {} and sets ec; nothing is left behind.
inline saved_image save_image_bytes(std::string_view bytes, const std::filesystem::path& path,
                                    const save_options& options, std::error_code& ec)
{
    ec.clear();
    const std::filesystem::path resolved = resolve_image_path(path, options);
    if (!detail::names_a_file(resolved)) {
        ec = std::make_error_code(std::errc::invalid_argument);
        return {};
    }
    const image_info info = probe_image(bytes, ec);
    if (ec)
        return {};
    std::filesystem::path target = detail::target_path(resolved, info.format, options, ec);
    if (ec)
        return {};

    detail::staged_file file;
    file.create(target, options.overwrite, ec);
    if (!ec)
        file.write(bytes.data(), bytes.size(), ec);
    if (!ec)
        file.publish(options.overwrite, ec);
    if (ec)
        return {};
    return {std::move(target), info.format, bytes.size(), info.width, info.height};
}

/// Decodes base64 (canonical, as base64::decode accepts it) straight into `path`, about
/// 1 MiB of input at a time: the decoded image is never held whole. The format and the
/// extension are checked on the first piece, before anything is created. On error
/// returns {} and sets ec (base64::errc for invalid base64); nothing is left behind.
inline saved_image save_image_base64(std::string_view base64, const std::filesystem::path& path,
                                     const save_options& options, std::error_code& ec)
{
    ec.clear();
    const std::filesystem::path resolved = resolve_image_path(path, options);
    if (!detail::names_a_file(resolved)) {
        ec = std::make_error_code(std::errc::invalid_argument);
        return {};
    }

    base64::decoder decoder;
    const std::size_t first =
        base64.size() < detail::base64_piece ? base64.size() : detail::base64_piece;
    const std::unique_ptr<char[]> buffer(new char[base64::max_decoded_size(first)]);
    auto decode = [&](std::size_t offset, std::size_t size) -> std::size_t {
        const base64::decode_result r = decoder.update(base64.substr(offset, size), buffer.get());
        if (!r.ok())
            ec = r.error;
        return r.written;
    };

    const std::size_t head_size = decode(0, first);
    const bool whole = first == base64.size();
    if (!ec && whole) {
        if (const base64::decode_result r = decoder.finish(); !r.ok())
            ec = r.error;
    }
    if (ec)
        return {};

    // The headers are almost always inside the first piece. When they are not (a PNG
    // with large chunks before IDAT), the format is known from the magic bytes and the
    // probe runs again on the finished temporary file.
    const std::string_view head(buffer.get(), head_size);
    image_info info = probe_image(head, ec);
    const bool probe_file =
        ec == image_error::truncated && !whole && sniff_image_format(head) != image_format::unknown;
    if (probe_file) {
        info.format = sniff_image_format(head);
        ec.clear();
    }
    if (ec)
        return {};
    std::filesystem::path target = detail::target_path(resolved, info.format, options, ec);
    if (ec)
        return {};

    detail::staged_file file;
    file.create(target, options.overwrite, ec);
    if (!ec)
        file.write(head.data(), head.size(), ec);
    for (std::size_t offset = first; !ec && offset < base64.size();) {
        const std::size_t size = base64.size() - offset < detail::base64_piece
                                     ? base64.size() - offset
                                     : detail::base64_piece;
        const std::size_t written = decode(offset, size);
        if (!ec)
            file.write(buffer.get(), written, ec);
        offset += size;
    }
    if (!ec && !whole) {
        if (const base64::decode_result r = decoder.finish(); !r.ok())
            ec = r.error;
    }
    if (!ec && probe_file)
        info = detail::probe_image_fd(file.fd(), ec);
    if (!ec)
        file.publish(options.overwrite, ec);
    if (ec)
        return {};
    return {std::move(target), info.format, file.written(), info.width, info.height};
}

/// save_image_bytes, throwing std::system_error (its message names the path) on error.
inline saved_image save_image_bytes(std::string_view bytes, const std::filesystem::path& path,
                                    const save_options& options = {})
{
    std::error_code ec;
    saved_image saved = save_image_bytes(bytes, path, options, ec);
    if (ec)
        throw detail::save_failure(ec, path, options);
    return saved;
}

/// save_image_base64, throwing std::system_error (its message names the path) on error.
inline saved_image save_image_base64(std::string_view base64, const std::filesystem::path& path,
                                     const save_options& options = {})
{
    std::error_code ec;
    saved_image saved = save_image_base64(base64, path, options, ec);
    if (ec)
        throw detail::save_failure(ec, path, options);
    return saved;
}

} // namespace imagine
// ---- end imagine/util/save_image.hpp ----

// ---- begin imagine/api/client.hpp ----

// The OpenAI client: one per application (or per key), shared by every coroutine that
// calls it. It owns the connection pool; its services are members:
//
//   imagine::client ai(io.get_executor());          // OPENAI_API_KEY, OPENAI_BASE_URL, ...
//   imagine::image_generate_request req{.prompt = "a red fox"};
//   auto r = co_await ai.images.generate(req);
//
// Not copyable or movable: the services refer to it. Operations must complete before
// the client is destroyed.


// ---- begin imagine/api/detail/core.hpp ----

// What every API call shares: the request head the SDKs send (api-facts §5), the
// billing-safe retry loop, and turning a non-2xx answer into an api_error. Internal
// coroutines throw; the operations hand the exception to their completion handler.


// ---- begin imagine/api/error.hpp ----

// Errors of the API layer. Every operation completes with a std::exception_ptr: a
// coroutine's `co_await` rethrows it, so callers catch what they care about:
//
//   try { auto r = co_await ai.images.generate(req); }
//   catch (const imagine::request_error& e) { e.field(); }   // refused before sending
//   catch (const imagine::api_error& e)     { e.status(); e.code_string(); e.request_id(); }
//   catch (const std::system_error& e)      { e.code(); }    // transport (imagine.http)
//
// All three are std::system_error, so `e.code()` always classifies. Code without
// exceptions in its own flow reads them with error_code_of() / api_error_of().
// No message ever contains the API key.


#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

namespace imagine {

enum class error {
    /// A request the API would refuse, caught before anything was sent.
    invalid_request = 1,
    /// No API key in the options or in OPENAI_API_KEY.
    missing_api_key,
    /// The client options cannot work (a bad base URL, a header with CR/LF).
    invalid_configuration,
    // HTTP statuses, grouped as the official SDKs group them.
    bad_request,          ///< 400
    authentication,       ///< 401
    permission_denied,    ///< 403
    not_found,            ///< 404
    conflict,             ///< 409
    unprocessable_entity, ///< 422
    rate_limited,         ///< 429
    server_error,         ///< 5xx
    http_status,          ///< any other non-2xx status
    /// A 2xx answer whose body is not what the API documents.
    bad_response,
    /// The server reported an error inside an event stream.
    stream_error,
    /// An event stream ended before its final event.
    incomplete_stream,
    /// responses.wait gave up: the response was still queued or in progress.
    wait_timeout,
};

namespace detail {

class error_category_impl final : public std::error_category {
public:
    const char* name() const noexcept override { return "imagine"; }

    std::string message(int value) const override
    {
        switch (static_cast<error>(value)) {
        case error::invalid_request:
            return "invalid request";
        case error::missing_api_key:
            return "no API key (set OPENAI_API_KEY or client_options::api_key)";
        case error::invalid_configuration:
            return "invalid client configuration";
        case error::bad_request:
            return "bad request (400)";
        case error::authentication:
            return "authentication failed (401)";
        case error::permission_denied:
            return "permission denied (403)";
        case error::not_found:
            return "not found (404)";
        case error::conflict:
            return "conflict (409)";
        case error::unprocessable_entity:
            return "unprocessable entity (422)";
        case error::rate_limited:
            return "rate limited (429)";
        case error::server_error:
            return "server error (5xx)";
        case error::http_status:
            return "unexpected HTTP status";
        case error::bad_response:
            return "malformed response";
        case error::stream_error:
            return "error event in the stream";
        case error::incomplete_stream:
            return "the stream ended before its final event";
        case error::wait_timeout:
            return "the response did not finish within the wait's timeout";
        }
        return "unknown imagine error";
    }
};

} // namespace detail

inline const std::error_category& error_category() noexcept
{
    static const detail::error_category_impl instance;
    return instance;
}

inline std::error_code make_error_code(error e) noexcept
{
    return {static_cast<int>(e), error_category()};
}

/// The error code for an HTTP status the API answered with.
inline error error_for_status(unsigned status) noexcept
{
    switch (status) {
    case 400:
        return error::bad_request;
    case 401:
        return error::authentication;
    case 403:
        return error::permission_denied;
    case 404:
        return error::not_found;
    case 409:
        return error::conflict;
    case 422:
        return error::unprocessable_entity;
    case 429:
        return error::rate_limited;
    default:
        return status >= 500 ? error::server_error : error::http_status;
    }
}

} // namespace imagine

template <>
struct std::is_error_code_enum<imagine::error> : std::true_type {
};

namespace imagine {

/// A request refused before anything was sent; `field()` names the offending field
/// ("size", "image[2]", "mask", ...).
class request_error : public std::system_error {
public:
    request_error(std::string field, const std::string& reason)
        : std::system_error(make_error_code(error::invalid_request),
                            (field.empty() ? reason : field + ": " + reason)),
          field_(std::move(field))
    {
    }

    const std::string& field() const noexcept { return field_; }

private:
    std::string field_;
};

/// What the server said about an error: the `error` object of the body plus the status
/// and the x-request-id header.
struct api_error_details {
    unsigned status = 0;
    std::string type{};
    std::string code{};
    std::string param{};
    std::string message{};
    std::string request_id{};
};

/// A non-2xx answer (or an error event in a stream).
class api_error : public std::system_error {
public:
    api_error(std::error_code ec, api_error_details details)
        : std::system_error(ec, describe(details)), details_(std::move(details))
    {
    }

    unsigned status() const noexcept { return details_.status; }
    /// error.type, e.g. "invalid_request_error"; empty when the body had none.
    const std::string& type() const noexcept { return details_.type; }
    /// error.code, e.g. "unsupported_file_mimetype"; empty when null.
    const std::string& code_string() const noexcept { return details_.code; }
    /// error.param, the request field the server blames; empty when null.
    const std::string& param() const noexcept { return details_.param; }
    /// error.message, or a bounded excerpt of a body that was not an error object.
    const std::string& server_message() const noexcept { return details_.message; }
    const std::string& request_id() const noexcept { return details_.request_id; }
    const api_error_details& details() const noexcept { return details_; }

private:
    static std::string describe(const api_error_details& d)
    {
        std::string text;
        if (d.status != 0)
            text = std::to_string(d.status) + " ";
        text += d.message.empty() ? std::string("(no message)") : d.message;
        if (!d.param.empty())
            text += " [param: " + d.param + "]";
        if (!d.code.empty())
            text += " [code: " + d.code + "]";
        if (!d.request_id.empty())
            text += " [request id: " + d.request_id + "]";
        return text;
    }

    api_error_details details_;
};

/// The error code of what `failure` holds: empty for no failure, the code of a
/// std::system_error, not_enough_memory for std::bad_alloc, state_not_recoverable else.
inline std::error_code error_code_of(const std::exception_ptr& failure) noexcept
{
    if (!failure)
        return {};
    try {
        std::rethrow_exception(failure);
    } catch (const std::system_error& e) {
        return e.code();
    } catch (const std::bad_alloc&) {
        return std::make_error_code(std::errc::not_enough_memory);
    } catch (...) {
        return std::make_error_code(std::errc::state_not_recoverable);
    }
}

/// The server's error details when `failure` holds an api_error.
inline std::optional<api_error_details> api_error_of(const std::exception_ptr& failure) noexcept
{
    if (!failure)
        return std::nullopt;
    try {
        std::rethrow_exception(failure);
    } catch (const api_error& e) {
        try {
            return e.details();
        } catch (...) {
            return std::nullopt;
        }
    } catch (...) {
        return std::nullopt;
    }
}

} // namespace imagine
// ---- end imagine/api/error.hpp ----
// ---- begin imagine/api/options.hpp ----

// Client-wide options (with the environment defaults the official SDKs read) and the
// per-request overrides.


// ---- begin imagine/api/retry.hpp ----

// The billing-safe retry policy. What is retried, and how long to wait, follows the
// official SDKs (api-facts §5): the server's `x-should-retry` first, else 408, 409, 429
// and 5xx; `retry-after-ms`, then `retry-after` (seconds or an HTTP date) when it is at
// most `max_server_delay`; else min(0.5 * 2^n, 8) s minus up to 25 % jitter.
//
// Where we are stricter than the SDKs: a request whose every byte reached the server and
// whose connection then died is NOT retried by default. An image generation takes
// minutes and is billed when it finishes; the server may be generating still, and a
// second request would bill twice. Connection failures before the request was fully
// written are always safe to retry. A streamed response is never retried once its first
// event has reached the caller (the operations never do that).



#include <asio/error.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace imagine {

struct retry_options {
    /// Retries after the first attempt (so at most max_retries + 1 requests).
    unsigned max_retries = 2;
    std::chrono::milliseconds initial_delay{500};
    std::chrono::milliseconds max_delay{8000};
    /// A server-requested delay longer than this is ignored (the backoff is used).
    std::chrono::milliseconds max_server_delay{60000};
    /// Also retry when the connection failed after the whole request was sent. The
    /// server may have acted on it: a generation can be billed twice. Off by default.
    bool retry_sent_requests = false;
};

namespace detail {

inline bool parse_decimal_seconds(std::string_view text, double scale, double& out) noexcept
{
    text = http::detail::trim_ows(text);
    if (text.empty())
        return false;
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
        return false;
    out = value * scale;
    return true;
}

/// Seconds since the epoch of an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT").
inline std::optional<std::time_t> parse_http_date(std::string_view text) noexcept
{
    static constexpr std::string_view months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    // "Www, DD Mon YYYY HH:MM:SS GMT" is exactly 29 characters.
    if (text.size() != 29 || text.substr(3, 2) != ", " || text.substr(25) != " GMT")
        return std::nullopt;
    auto number = [&](std::size_t at, std::size_t n, int& out) {
        auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + n, out);
        return ec == std::errc{} && end == text.data() + at + n;
    };
    std::tm tm{};
    int month = -1;
    for (int i = 0; i < 12; ++i)
        if (text.substr(8, 3) == months[i])
            month = i;
    if (month < 0 || !number(5, 2, tm.tm_mday) || !number(12, 4, tm.tm_year) ||
        !number(17, 2, tm.tm_hour) || !number(20, 2, tm.tm_min) || !number(23, 2, tm.tm_sec) ||
        text[16] != ' ' || text[19] != ':' || text[22] != ':')
        return std::nullopt;
    tm.tm_mon = month;
    tm.tm_year -= 1900;
    return ::timegm(&tm);
}

/// The delay the server asks for: retry-after-ms (milliseconds, may be fractional),
/// else retry-after (seconds, or an HTTP date measured from `now`).
inline std::optional<std::chrono::milliseconds>
server_retry_delay(const http::fields& headers,
                   std::chrono::system_clock::time_point now = std::chrono::system_clock::now())
{
    double ms = 0;
    if (const std::string* v = headers.find("retry-after-ms");
        v && parse_decimal_seconds(*v, 1, ms))
        return std::chrono::milliseconds(static_cast<long long>(std::ceil(ms)));
    const std::string* v = headers.find("retry-after");
    if (!v)
        return std::nullopt;
    if (parse_decimal_seconds(*v, 1000, ms))
        return std::chrono::milliseconds(static_cast<long long>(std::ceil(ms)));
    if (auto when = parse_http_date(*v)) {
        const auto delta = std::chrono::system_clock::from_time_t(*when) - now;
        return std::chrono::duration_cast<std::chrono::milliseconds>(delta);
    }
    return std::nullopt;
}

/// Whether an HTTP answer may be retried: x-should-retry decides when present.
inline bool retryable_status(unsigned status, const http::fields& headers) noexcept
{
    if (const std::string* v = headers.find("x-should-retry")) {
        if (*v == "true")
            return true;
        if (*v == "false")
            return false;
    }
    return status == 408 || status == 409 || status == 429 || status >= 500;
}

/// Failures that the same request would meet again: configuration, certificates,
/// malformed requests. Retrying them only delays the error.
inline bool permanent_transport_error(const std::error_code& ec) noexcept
{
    if (ec.category() != http::category())
        return false;
    switch (static_cast<http::error>(ec.value())) {
    case http::error::invalid_url:
    case http::error::unsupported_scheme:
    case http::error::invalid_request:
    case http::error::body_size_changed:
    case http::error::body_not_replayable:
    case http::error::tls_protocol_version:
    case http::error::certificate_expired:
    case http::error::certificate_not_yet_valid:
    case http::error::certificate_self_signed:
    case http::error::certificate_unknown_issuer:
    case http::error::certificate_host_mismatch:
    case http::error::certificate_ip_mismatch:
    case http::error::certificate_verify_failed:
    case http::error::tls_configuration:
    case http::error::invalid_proxy:
    case http::error::proxy_auth_required:
    case http::error::too_many_redirects:
    case http::error::bad_redirect:
    case http::error::header_limit_exceeded:
    case http::error::body_limit_exceeded:
        return true;
    default:
        return false;
    }
}

/// Whether a failed exchange may be sent again.
inline bool retryable_transport_error(const std::error_code& ec,
                                      const http::request_progress& progress,
                                      const retry_options& options) noexcept
{
    if (ec == asio::error::operation_aborted || permanent_transport_error(ec))
        return false;
    // Total timeout: the caller's whole budget is spent.
    if (ec == http::error::total_timeout)
        return false;
    if (!progress.sent)
        return true;
    return options.retry_sent_requests;
}

/// The backoff before retry number `retries_done + 1`; `random01` in [0, 1).
inline std::chrono::milliseconds backoff_delay(unsigned retries_done, const retry_options& options,
                                               double random01) noexcept
{
    const double initial = static_cast<double>(options.initial_delay.count());
    const double cap = static_cast<double>(options.max_delay.count());
    const double base = std::min(initial * std::pow(2.0, std::min(retries_done, 30u)), cap);
    const double jitter = 1.0 - 0.25 * std::clamp(random01, 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<long long>(base * jitter));
}

/// The wait before the next attempt after an HTTP answer: the server's delay when it
/// asks for one within bounds, else the backoff.
inline std::chrono::milliseconds retry_delay(const http::fields& headers, unsigned retries_done,
                                             const retry_options& options, double random01)
{
    if (auto asked = server_retry_delay(headers);
        asked && asked->count() >= 0 && *asked <= options.max_server_delay)
        return *asked;
    return backoff_delay(retries_done, options, random01);
}

} // namespace detail
} // namespace imagine
// ---- end imagine/api/retry.hpp ----

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace imagine {

inline constexpr char default_base_url[] = "https://api.openai.com/v1";

struct client_options {
    /// Unset: OPENAI_API_KEY. A missing key fails the first call (error::missing_api_key).
    std::optional<std::string> api_key{};
    /// Unset: OPENAI_BASE_URL, else https://api.openai.com/v1.
    std::optional<std::string> base_url{};
    /// Sent as OpenAI-Organization. Unset: OPENAI_ORG_ID.
    std::optional<std::string> organization{};
    /// Sent as OpenAI-Project. Unset: OPENAI_PROJECT_ID.
    std::optional<std::string> project{};
    /// Extra headers on every request, after those of OPENAI_CUSTOM_HEADERS
    /// (newline-separated "Name: value" lines); a name set here replaces the variable's.
    http::fields headers{};
    /// Read the OPENAI_* variables for what is unset above.
    bool read_environment = true;
    retry_options retry{};
    /// Transport: TLS (extra CAs), timeouts, pool, proxy. The default timeouts let a
    /// high-quality image take minutes: 10 min to the response head, 15 min in all.
    http::client_options http{};
    /// Check requests before sending them (sizes, ranges, model rules, image files).
    /// Turn off for models this library does not know yet.
    bool validate = true;
};

/// Overrides for one request.
struct request_options {
    /// Added to the client's headers; a name the client sets is replaced.
    http::fields headers{};
    std::optional<http::timeout_options> timeouts{};
    std::optional<retry_options> retry{};
    std::optional<bool> validate{};
};

namespace detail {

/// The value of an environment variable, trimmed; empty counts as unset (as in the SDKs).
inline std::optional<std::string> read_env(const char* name)
{
    const char* raw = std::getenv(name);
    if (!raw)
        return std::nullopt;
    const std::string_view v(raw);
    constexpr std::string_view blank = " \t\r\n";
    const auto first = v.find_first_not_of(blank);
    if (first == std::string_view::npos)
        return std::nullopt;
    return std::string(v.substr(first, v.find_last_not_of(blank) - first + 1));
}

/// Client options with the environment applied and the base URL checked.
struct resolved_options {
    std::optional<std::string> api_key{};
    /// Checked to parse as an http(s) URL.
    std::string base_text{};
    std::optional<std::string> organization{};
    std::optional<std::string> project{};
    http::fields headers{};
};

inline void add_custom_headers(std::string_view lines, http::fields& out)
{
    while (!lines.empty()) {
        const auto end = lines.find('\n');
        std::string_view line = lines.substr(0, end);
        lines = end == std::string_view::npos ? std::string_view{} : lines.substr(end + 1);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.find_first_not_of(" \t") == std::string_view::npos)
            continue;
        const auto colon = line.find(':');
        const std::string_view name =
            colon == std::string_view::npos ? line : line.substr(0, colon);
        if (colon == std::string_view::npos || !http::detail::is_token(name))
            throw std::system_error(
                make_error_code(error::invalid_configuration),
                "imagine: OPENAI_CUSTOM_HEADERS: a line is not \"Name: value\"");
        out.set(name, http::detail::trim_ows(line.substr(colon + 1)));
    }
}

/// Throws std::system_error(error::invalid_configuration) for options that cannot work.
inline resolved_options resolve(const client_options& options)
{
    resolved_options r;
    const bool env = options.read_environment;
    r.api_key = options.api_key ? options.api_key : env ? read_env("OPENAI_API_KEY") : std::nullopt;
    r.organization = options.organization ? options.organization
                     : env                ? read_env("OPENAI_ORG_ID")
                                          : std::nullopt;
    r.project = options.project ? options.project
                : env           ? read_env("OPENAI_PROJECT_ID")
                                : std::nullopt;
    if (r.api_key && !http::detail::is_field_value(*r.api_key))
        throw std::system_error(
            make_error_code(error::invalid_configuration),
            "imagine: the API key has bytes a header cannot carry (CR, LF, controls)");
    std::optional<std::string> base = options.base_url;
    if (!base && env)
        base = read_env("OPENAI_BASE_URL");
    r.base_text = base ? *base : std::string(default_base_url);
    std::error_code ec;
    http::parse_url(r.base_text, ec);
    if (ec)
        throw std::system_error(make_error_code(error::invalid_configuration),
                                "imagine: base URL: " + ec.message());
    if (env)
        if (auto custom = read_env("OPENAI_CUSTOM_HEADERS"))
            add_custom_headers(*custom, r.headers);
    for (const auto& [name, value] : options.headers)
        r.headers.set(name, value);
    for (const auto& [name, value] : r.headers)
        if (!http::detail::is_token(name) || !http::detail::is_field_value(value))
            throw std::system_error(make_error_code(error::invalid_configuration),
                                    "imagine: header \"" + name +
                                        "\" has an invalid name or value");
    return r;
}

} // namespace detail
} // namespace imagine
// ---- end imagine/api/options.hpp ----

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace imagine::detail {

/// One API call: where, and a body made afresh for every attempt (a streamed multipart
/// body is rewound by the transport; a string is copied).
struct call_spec {
    std::string method = "POST";
    /// Relative to the base URL: "/images/generations".
    std::string path{};
    /// Empty for no body.
    std::string content_type{};
    std::function<http::request_body()> body{};
    /// Read the answer as a stream of events (the head is checked, the body is not read).
    bool stream = false;
    /// Repeating it cannot do harm (GET, cancel): a connection that dies after the
    /// request was sent is retried as well.
    bool idempotent = false;
};

/// Most bytes of an error body kept for the message when it is not an error object.
inline constexpr std::size_t error_excerpt_limit = 512;
/// Most bytes read of an error body at all (streams are not read to their end).
inline constexpr std::size_t error_body_limit = 64 * 1024;

/// Printable text of at most `limit` bytes: control bytes become spaces.
inline std::string excerpt(std::string_view body, std::size_t limit = error_excerpt_limit)
{
    std::string out(body.substr(0, limit));
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            c = ' ';
    if (body.size() > limit)
        out += "...";
    return out;
}

inline std::string text_of(const json::value* v)
{
    if (!v || v->is_null())
        return {};
    if (const auto* s = v->get_if<std::string>())
        return *s;
    if (const auto* i = v->get_if<std::int64_t>())
        return std::to_string(*i);
    if (const auto* u = v->get_if<std::uint64_t>())
        return std::to_string(*u);
    return {};
}

/// Fills type/code/param/message from an OpenAI error object ({"message","type","param",
/// "code"}); false when `object` is not one.
inline bool read_error_object(const json::value& object, api_error_details& out)
{
    if (!object.is_object())
        return false;
    const auto* message = object.find("message");
    if (!message || !message->get_if<std::string>())
        return false;
    out.message = *message->get_if<std::string>();
    out.type = text_of(object.find("type"));
    out.code = text_of(object.find("code"));
    out.param = text_of(object.find("param"));
    return true;
}

/// The api_error for a non-2xx answer. A body that is not {"error":{...}} still gives
/// one, with an excerpt of the body as the message.
inline api_error make_api_error(unsigned status, const http::fields& headers, std::string_view body)
{
    api_error_details d;
    d.status = status;
    d.request_id = headers.value_or("x-request-id", "");
    json::value parsed;
    const bool json_ok = !json::read(body, parsed);
    const json::value* object = json_ok && parsed.is_object() ? parsed.find("error") : nullptr;
    if (!object || !read_error_object(*object, d)) {
        const std::string kind(headers.value_or("content-type", "no content type"));
        d.message = body.empty() ? "status code " + std::to_string(status) + " (no body)"
                                 : "status code " + std::to_string(status) +
                                       " with a body that is not an "
                                       "error object (" +
                                       kind + "): " + excerpt(body);
    }
    return api_error(make_error_code(error_for_status(status)), std::move(d));
}

inline double random_unit()
{
    thread_local std::minstd_rand engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

/// Waits `delay` on the calling coroutine's executor (cancellable like any wait).
inline asio::awaitable<void> sleep_for(std::chrono::milliseconds delay)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, delay);
    co_await timer.async_wait(asio::use_awaitable);
}

inline bool is_success(unsigned status) noexcept
{
    return status >= 200 && status < 300;
}

/// A 2xx body read as `T`; one that does not fit is error::bad_response. A `request_id`
/// member, when T has one, gets the x-request-id header.
template <class T>
T read_json_body(const http::response& response, std::string_view what)
{
    T out;
    const std::string_view request_id = response.headers.value_or("x-request-id", "");
    if (auto e = json::read(response.body, out))
        throw std::system_error(make_error_code(error::bad_response),
                                "imagine: " + std::string(what) + ": " + e.message() +
                                    " (request id " + std::string(request_id) + ")");
    if constexpr (requires { out.request_id = std::string(); })
        if (!request_id.empty())
            out.request_id = std::string(request_id);
    return out;
}

inline call_spec json_call(std::string path, std::string body)
{
    call_spec spec;
    spec.path = std::move(path);
    spec.content_type = "application/json";
    spec.body = [text = std::move(body)]() -> http::request_body { return text; };
    return spec;
}

inline call_spec form_call(std::string path, std::shared_ptr<http::multipart_form> form)
{
    call_spec spec;
    spec.path = std::move(path);
    spec.content_type = form->content_type();
    spec.body = [form]() -> http::request_body { return form->source(); };
    return spec;
}

class api_core {
public:
    api_core(asio::any_io_executor executor, client_options options)
        : options_(std::move(options)), resolved_(resolve(options_)), http_(executor, options_.http)
    {
    }

    const client_options& options() const noexcept { return options_; }
    http::client& http() noexcept { return http_; }
    asio::any_io_executor get_executor() const noexcept { return http_.get_executor(); }

    bool validating(const request_options& per) const noexcept
    {
        return per.validate.value_or(options_.validate);
    }

    /// Sends the call (retrying as the policy allows) and reads the whole answer.
    /// Returns a 2xx response; throws api_error, or std::system_error for the transport.
    asio::awaitable<http::response> call(call_spec spec, request_options per)
    {
        auto [response, stream] = co_await exchange(spec, per);
        co_return std::move(response);
    }

    /// As call(), for an answer read as a stream: returns once a 2xx head has arrived.
    asio::awaitable<http::response_stream> open(call_spec spec, request_options per)
    {
        spec.stream = true;
        auto [response, stream] = co_await exchange(spec, per);
        co_return std::move(stream);
    }

    /// The request of a call without its body (tests read it; the key is in it).
    http::request build(const call_spec& spec, const request_options& per) const
    {
        if (!resolved_.api_key)
            throw std::system_error(
                make_error_code(error::missing_api_key),
                "imagine: no API key: set OPENAI_API_KEY or client_options::api_key");
        http::request req;
        req.method = spec.method;
        std::error_code ec;
        req.target = http::parse_url(http::join_url(resolved_.base_text, spec.path), ec);
        if (ec)
            throw std::system_error(make_error_code(error::invalid_configuration),
                                    "imagine: request URL for " + spec.path + ": " + ec.message());
        req.headers.set("Authorization", "Bearer " + *resolved_.api_key);
        req.headers.set("Accept", "application/json");
        if (!spec.content_type.empty())
            req.headers.set("Content-Type", spec.content_type);
        req.headers.set("User-Agent", "imagine/" IMAGINE_VERSION_STRING);
        if (resolved_.organization)
            req.headers.set("OpenAI-Organization", *resolved_.organization);
        if (resolved_.project)
            req.headers.set("OpenAI-Project", *resolved_.project);
        for (const auto& [name, value] : resolved_.headers)
            req.headers.set(name, value);
        for (const auto& [name, value] : per.headers)
            req.headers.set(name, value);
        req.timeouts = per.timeouts;
        return req;
    }

private:
    struct outcome {
        http::response response{};
        http::response_stream stream{};
    };

    asio::awaitable<outcome> exchange(const call_spec& spec, const request_options& per)
    {
        retry_options retry = per.retry.value_or(options_.retry);
        retry.retry_sent_requests = retry.retry_sent_requests || spec.idempotent;
        const http::request head = build(spec, per);
        for (unsigned attempt = 0;; ++attempt) {
            // The same head each attempt; the body afresh (a streamed one starts over).
            http::request req = head;
            if (spec.body)
                req.body = spec.body();
            http::request_progress progress;
            req.progress = &progress;
            outcome out;
            std::error_code ec;
            if (spec.stream) {
                std::tie(ec, out.stream) =
                    co_await http_.async_open(std::move(req), as_tuple(asio::use_awaitable));
                if (!ec) {
                    out.response.status = out.stream.status();
                    out.response.headers = out.stream.headers();
                    if (!is_success(out.response.status))
                        ec = co_await read_error_body(out.stream, out.response.body);
                }
            } else {
                std::tie(ec, out.response) =
                    co_await http_.async_request(std::move(req), as_tuple(asio::use_awaitable));
            }
            const bool more = attempt < retry.max_retries;
            if (ec) {
                if (more && retryable_transport_error(ec, progress, retry)) {
                    co_await sleep_for(backoff_delay(attempt, retry, random_unit()));
                    continue;
                }
                throw std::system_error(ec);
            }
            if (is_success(out.response.status))
                co_return out;
            if (more && retryable_status(out.response.status, out.response.headers)) {
                out.stream.close();
                co_await sleep_for(
                    retry_delay(out.response.headers, attempt, retry, random_unit()));
                continue;
            }
            throw make_api_error(out.response.status, out.response.headers, out.response.body);
        }
    }

    static asio::awaitable<std::error_code> read_error_body(http::response_stream& stream,
                                                            std::string& body)
    {
        while (body.size() < error_body_limit) {
            auto [ec, piece] = co_await stream.async_read_some(as_tuple(asio::use_awaitable));
            if (ec)
                co_return ec;
            if (piece.empty())
                break;
            body.append(piece);
        }
        stream.close();
        co_return std::error_code{};
    }

    client_options options_;
    resolved_options resolved_;
    http::client http_;
};

} // namespace imagine::detail
// ---- end imagine/api/detail/core.hpp ----
// ---- begin imagine/api/files.hpp ----

// client.files: upload an image once (purpose vision by default) and refer to it by
// file_id in input_image parts, image tool masks and JSON edits.
//
//   imagine::file_upload_request up{.file = imagine::input_file::from_path("cat.png")};
//   auto f = co_await ai.files.upload(up);
//   auto part = imagine::input_image::from_file_id(f.id);


// ---- begin imagine/api/detail/image_checks.hpp ----

// The checks made before an Images request is sent (api-facts §1). Each failure is a
// request_error naming the field as the server would ("size", "image[1]", "mask"), and
// nothing goes on the wire. Models this library does not know get only the checks that
// hold for every model; client_options::validate = false turns all of them off.

// ---- begin imagine/api/types/images.hpp ----

// Requests and responses of the Images API (/images/generations, /images/edits,
// /images/variations), member for member as the OpenAPI schemas name them. Unset
// std::optional members are not sent; `model` is always sent, because the server's own
// default for generations is dall-e-2, which is rarely what anyone wants.

// ---- begin imagine/api/types/enums.hpp ----

// The closed sets of the image endpoints, with their wire names. Reading tolerates
// values added to the API later (`unknown`); writing `unknown` is refused by the JSON
// writer, so it never reaches the server.


#include <string_view>
#include <utility>

namespace imagine {

enum class quality { auto_, low, medium, high, standard, hd, unknown };
enum class background { auto_, transparent, opaque, unknown };
enum class output_format { png, jpeg, webp, unknown };
enum class moderation { auto_, low, unknown };
enum class input_fidelity { low, high, unknown };
enum class image_style { vivid, natural, unknown };
enum class response_format { url, b64_json, unknown };

/// The wire name of a value ("auto", "b64_json", ...); empty for `unknown`.
template <json::named_enum E>
constexpr std::string_view to_string(E value) noexcept
{
    return json::enum_to_string(value);
}

} // namespace imagine

template <>
struct imagine::json::meta<imagine::quality> {
    static constexpr std::pair<imagine::quality, std::string_view> values[] = {
        {imagine::quality::auto_, "auto"},        {imagine::quality::low, "low"},
        {imagine::quality::medium, "medium"},     {imagine::quality::high, "high"},
        {imagine::quality::standard, "standard"}, {imagine::quality::hd, "hd"}};
    static constexpr imagine::quality unknown = imagine::quality::unknown;
};

template <>
struct imagine::json::meta<imagine::background> {
    static constexpr std::pair<imagine::background, std::string_view> values[] = {
        {imagine::background::auto_, "auto"},
        {imagine::background::transparent, "transparent"},
        {imagine::background::opaque, "opaque"}};
    static constexpr imagine::background unknown = imagine::background::unknown;
};

template <>
struct imagine::json::meta<imagine::output_format> {
    static constexpr std::pair<imagine::output_format, std::string_view> values[] = {
        {imagine::output_format::png, "png"},
        {imagine::output_format::jpeg, "jpeg"},
        {imagine::output_format::webp, "webp"}};
    static constexpr imagine::output_format unknown = imagine::output_format::unknown;
};

template <>
struct imagine::json::meta<imagine::moderation> {
    static constexpr std::pair<imagine::moderation, std::string_view> values[] = {
        {imagine::moderation::auto_, "auto"}, {imagine::moderation::low, "low"}};
    static constexpr imagine::moderation unknown = imagine::moderation::unknown;
};

template <>
struct imagine::json::meta<imagine::input_fidelity> {
    static constexpr std::pair<imagine::input_fidelity, std::string_view> values[] = {
        {imagine::input_fidelity::low, "low"}, {imagine::input_fidelity::high, "high"}};
    static constexpr imagine::input_fidelity unknown = imagine::input_fidelity::unknown;
};

template <>
struct imagine::json::meta<imagine::image_style> {
    static constexpr std::pair<imagine::image_style, std::string_view> values[] = {
        {imagine::image_style::vivid, "vivid"}, {imagine::image_style::natural, "natural"}};
    static constexpr imagine::image_style unknown = imagine::image_style::unknown;
};

template <>
struct imagine::json::meta<imagine::response_format> {
    static constexpr std::pair<imagine::response_format, std::string_view> values[] = {
        {imagine::response_format::url, "url"}, {imagine::response_format::b64_json, "b64_json"}};
    static constexpr imagine::response_format unknown = imagine::response_format::unknown;
};
// ---- end imagine/api/types/enums.hpp ----
// ---- begin imagine/api/types/models.hpp ----

// Model names and image sizes. Both are free strings on the wire (the API adds models,
// and gpt-image-2 takes any WIDTHxHEIGHT); these are the names known today, and the
// model families the request checks need.

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace imagine {

namespace models {
inline constexpr const char* gpt_image_1 = "gpt-image-1";
inline constexpr const char* gpt_image_1_mini = "gpt-image-1-mini";
inline constexpr const char* gpt_image_1_5 = "gpt-image-1.5";
inline constexpr const char* gpt_image_2 = "gpt-image-2";
inline constexpr const char* gpt_image_2_2026_04_21 = "gpt-image-2-2026-04-21";
inline constexpr const char* chatgpt_image_latest = "chatgpt-image-latest";
inline constexpr const char* dall_e_2 = "dall-e-2";
inline constexpr const char* dall_e_3 = "dall-e-3";
} // namespace models

namespace sizes {
inline constexpr const char* auto_ = "auto";
inline constexpr const char* square_256 = "256x256";
inline constexpr const char* square_512 = "512x512";
inline constexpr const char* square_1024 = "1024x1024";
inline constexpr const char* landscape_1536x1024 = "1536x1024";
inline constexpr const char* portrait_1024x1536 = "1024x1536";
inline constexpr const char* landscape_1792x1024 = "1792x1024";
inline constexpr const char* portrait_1024x1792 = "1024x1792";
} // namespace sizes

/// "WIDTHxHEIGHT", the size text the API takes.
inline std::string size_string(std::uint32_t width, std::uint32_t height)
{
    return std::to_string(width) + "x" + std::to_string(height);
}

struct image_size {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
};

/// Parses "WIDTHxHEIGHT" (decimal, no sign, no spaces); nothing for "auto" or bad text.
inline std::optional<image_size> parse_size(std::string_view text) noexcept
{
    const auto x = text.find('x');
    if (x == std::string_view::npos || x == 0 || x + 1 == text.size())
        return std::nullopt;
    image_size out;
    auto parse = [](std::string_view digits, std::uint32_t& value) {
        if (digits.size() > 6 || digits.front() == '+')
            return false;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        return ec == std::errc{} && end == digits.data() + digits.size();
    };
    if (!parse(text.substr(0, x), out.width) || !parse(text.substr(x + 1), out.height))
        return std::nullopt;
    return out;
}

/// The model families the request checks know. `unknown` models get only the checks
/// that hold for every model.
enum class model_family { gpt_image, dall_e_2, dall_e_3, unknown };

inline model_family family_of(std::string_view model) noexcept
{
    if (model == models::dall_e_2)
        return model_family::dall_e_2;
    if (model == models::dall_e_3)
        return model_family::dall_e_3;
    for (std::string_view known :
         {models::gpt_image_1, models::gpt_image_1_mini, models::gpt_image_1_5, models::gpt_image_2,
          models::gpt_image_2_2026_04_21, models::chatgpt_image_latest})
        if (model == known)
            return model_family::gpt_image;
    return model_family::unknown;
}

/// gpt-image-2 and its snapshots take any size within limits, not only the three fixed ones.
inline bool takes_free_size(std::string_view model) noexcept
{
    return model == models::gpt_image_2 || model == models::gpt_image_2_2026_04_21;
}

} // namespace imagine
// ---- end imagine/api/types/models.hpp ----

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace imagine {

/// POST /images/generations [CreateImageRequest].
struct image_generate_request {
    std::string prompt{};
    std::string model = models::gpt_image_1_5;
    std::optional<int> n{};
    /// "auto", "1024x1024", ... or any WIDTHxHEIGHT for gpt-image-2 (see size_string).
    std::optional<std::string> size{};
    std::optional<imagine::quality> quality{};
    std::optional<imagine::background> background{};
    std::optional<imagine::output_format> output_format{};
    std::optional<int> output_compression{};
    std::optional<imagine::moderation> moderation{};
    /// 0–3; with images.generate_stream.
    std::optional<int> partial_images{};
    /// Set by the operation: generate sends false or nothing, generate_stream true.
    std::optional<bool> stream{};
    /// dall-e-2 / dall-e-3 only; GPT image models always answer with base64.
    std::optional<imagine::response_format> response_format{};
    /// dall-e-3 only.
    std::optional<image_style> style{};
    std::optional<std::string> user{};
};

/// An image file sent in a multipart request: read from disk while sending (never held
/// in memory whole), or bytes held in memory when `path` is empty.
struct input_file {
    std::filesystem::path path{};
    std::string bytes{};
    /// Default: the file name of `path`, else "image" plus the extension of the format.
    std::string filename{};
    /// Default: image/png, image/jpeg or image/webp, from the bytes (never from the name).
    std::string content_type{};

    static input_file from_path(std::filesystem::path p) { return {std::move(p), {}, {}, {}}; }
    static input_file from_bytes(std::string data, std::string name = {})
    {
        return {{}, std::move(data), std::move(name), {}};
    }
};

/// POST /images/edits as multipart/form-data [CreateImageEditRequest]. One image goes
/// as the part `image`, several as repeated `image[]` parts, then `mask`.
struct image_edit_request {
    /// 1–16 images (dall-e-2: one square PNG).
    std::vector<input_file> image{};
    std::string prompt{};
    /// A PNG with an alpha channel, the size of the first image; transparent pixels
    /// mark where to edit.
    std::optional<input_file> mask{};
    std::string model = models::gpt_image_1_5;
    std::optional<int> n{};
    std::optional<std::string> size{};
    std::optional<imagine::quality> quality{};
    std::optional<imagine::background> background{};
    std::optional<imagine::output_format> output_format{};
    std::optional<int> output_compression{};
    std::optional<imagine::input_fidelity> input_fidelity{};
    std::optional<int> partial_images{};
    std::optional<bool> stream{};
    std::optional<imagine::response_format> response_format{};
    std::optional<std::string> user{};
};

/// An image by reference [ImageRefParam]: exactly one of an https or data: URL, or the
/// id of an uploaded file.
struct image_reference {
    std::optional<std::string> image_url{};
    std::optional<std::string> file_id{};
};

/// POST /images/edits as application/json [EditImageBodyJsonParam]; GPT image models only.
struct image_edit_json_request {
    std::vector<image_reference> images{};
    std::string prompt{};
    std::optional<image_reference> mask{};
    std::string model = models::gpt_image_1_5;
    std::optional<int> n{};
    std::optional<std::string> size{};
    std::optional<imagine::quality> quality{};
    std::optional<imagine::background> background{};
    std::optional<imagine::output_format> output_format{};
    std::optional<int> output_compression{};
    std::optional<imagine::input_fidelity> input_fidelity{};
    std::optional<imagine::moderation> moderation{};
    std::optional<int> partial_images{};
    std::optional<bool> stream{};
    std::optional<std::string> user{};
};

/// POST /images/variations [CreateImageVariationRequest]; dall-e-2 only.
struct image_variation_request {
    /// A square PNG under 4 MB.
    input_file image{};
    std::string model = models::dall_e_2;
    std::optional<int> n{};
    std::optional<std::string> size{};
    std::optional<imagine::response_format> response_format{};
    std::optional<std::string> user{};
};

/// One generated image [Image].
struct image {
    /// Base64 of the encoded image (PNG/JPEG/WebP); see save_image.
    std::optional<std::string> b64_json{};
    /// dall-e only, with response_format url; valid for 60 minutes.
    std::optional<std::string> url{};
    /// dall-e-3 only.
    std::optional<std::string> revised_prompt{};
};

struct image_input_tokens_details {
    std::int64_t text_tokens = 0;
    std::int64_t image_tokens = 0;
};

struct image_output_tokens_details {
    std::int64_t image_tokens = 0;
    std::int64_t text_tokens = 0;
};

/// Token usage of a GPT image request [ImageGenUsage / ImagesUsage].
struct image_usage {
    std::int64_t input_tokens = 0;
    std::int64_t output_tokens = 0;
    std::int64_t total_tokens = 0;
    std::optional<image_input_tokens_details> input_tokens_details{};
    std::optional<image_output_tokens_details> output_tokens_details{};
};

/// The answer of generate, edit and create_variation [ImagesResponse].
struct images_response {
    std::int64_t created = 0;
    std::vector<image> data{};
    std::optional<imagine::background> background{};
    std::optional<imagine::output_format> output_format{};
    /// A free string: gpt-image-2 answers with the size it was asked for.
    std::optional<std::string> size{};
    std::optional<imagine::quality> quality{};
    std::optional<image_usage> usage{};
    /// Not in the body: the x-request-id header, for support requests.
    std::optional<std::string> request_id{};
};

} // namespace imagine
// ---- end imagine/api/types/images.hpp ----

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace imagine::detail {

inline constexpr std::uint64_t gpt_image_file_limit = 50ull * 1024 * 1024;
inline constexpr std::uint64_t dall_e_file_limit = 4ull * 1024 * 1024;
inline constexpr std::size_t image_url_limit = 20971520;

[[noreturn]] inline void refuse(std::string field, const std::string& reason)
{
    throw request_error(std::move(field), reason);
}

/// Characters as the API counts them: Unicode code points of the UTF-8 text.
inline std::size_t code_points(std::string_view text) noexcept
{
    std::size_t n = 0;
    for (char c : text)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

inline void check_range(const std::optional<int>& v, int low, int high, const char* field)
{
    if (v && (*v < low || *v > high))
        refuse(field, "must be between " + std::to_string(low) + " and " + std::to_string(high) +
                          ", got " + std::to_string(*v));
}

inline void check_prompt(std::string_view prompt, model_family family,
                         std::size_t gpt_limit = 32000)
{
    if (prompt.empty())
        refuse("prompt", "must not be empty");
    const std::size_t limit = family == model_family::dall_e_2    ? 1000
                              : family == model_family::dall_e_3  ? 4000
                              : family == model_family::gpt_image ? gpt_limit
                                                                  : 0;
    const std::size_t length = code_points(prompt);
    if (limit != 0 && length > limit)
        refuse("prompt", "is " + std::to_string(length) + " characters; the model takes at most " +
                             std::to_string(limit));
}

/// The options every request shares, whatever the model.
struct common_fields {
    std::string_view model;
    const std::optional<int>* n;
    const std::optional<quality>* quality_;
    const std::optional<background>* background_;
    const std::optional<output_format>* output_format_;
    const std::optional<int>* output_compression;
    const std::optional<int>* partial_images;
    const std::optional<response_format>* response_format_;
};

inline void check_size(std::string_view model, model_family family, const std::string& size,
                       std::initializer_list<std::string_view> fixed,
                       const std::string& field = "size")
{
    if (size == sizes::auto_)
        return;
    for (std::string_view s : fixed)
        if (size == s)
            return;
    if (takes_free_size(model)) {
        const auto wh = parse_size(size);
        if (!wh || wh->width == 0 || wh->height == 0)
            refuse(field, "\"" + size + "\" is not \"auto\" or WIDTHxHEIGHT");
        if (wh->width % 16 != 0 || wh->height % 16 != 0)
            refuse(field,
                   "width and height must both be multiples of 16 for " + std::string(model));
        const std::uint32_t longer = std::max(wh->width, wh->height);
        const std::uint32_t shorter = std::min(wh->width, wh->height);
        if (longer > 3 * static_cast<std::uint64_t>(shorter))
            refuse(field, "the aspect ratio must be between 1:3 and 3:1");
        if (longer > 3840 || shorter > 2160)
            refuse(field, "at most 3840x2160 (or 2160x3840) for " + std::string(model));
        return;
    }
    if (family == model_family::unknown)
        return;
    std::string allowed;
    for (std::string_view s : fixed)
        allowed += (allowed.empty() ? "" : ", ") + std::string(s);
    refuse(field, "\"" + size + "\" is not a size " + std::string(model) + " takes (auto, " +
                      allowed + ")");
}

inline void check_common(const common_fields& f, model_family family)
{
    if (f.model.empty())
        refuse("model", "must not be empty");
    check_range(*f.n, 1, 10, "n");
    check_range(*f.partial_images, 0, 3, "partial_images");
    check_range(*f.output_compression, 0, 100, "output_compression");
    const auto format = f.output_format_->value_or(output_format::png);
    if (*f.output_compression && format != output_format::jpeg && format != output_format::webp)
        refuse("output_compression", "needs output_format jpeg or webp");
    if (*f.background_ == background::transparent && format != output_format::png &&
        format != output_format::webp)
        refuse("background", "transparent needs output_format png or webp");
    const std::string model(f.model);
    if (family == model_family::gpt_image) {
        if (*f.response_format_)
            refuse("response_format",
                   "is for dall-e models; " + model + " always answers with b64_json");
        if (auto q = *f.quality_; q && *q != quality::auto_ && *q != quality::low &&
                                  *q != quality::medium && *q != quality::high)
            refuse("quality", std::string(to_string(*q)) + " is not a quality of " + model +
                                  " (low, medium, high, auto)");
    } else if (family == model_family::dall_e_2 || family == model_family::dall_e_3) {
        const char* gpt_only[] = {"output_format", "output_compression", "background",
                                  "partial_images"};
        const bool set[] = {f.output_format_->has_value(), f.output_compression->has_value(),
                            f.background_->has_value(), f.partial_images->has_value()};
        for (std::size_t i = 0; i < 4; ++i)
            if (set[i])
                refuse(gpt_only[i], "is for GPT image models, not " + model);
        if (auto q = *f.quality_; q && *q != quality::auto_ && *q != quality::standard &&
                                  (family == model_family::dall_e_2 || *q != quality::hd))
            refuse("quality", std::string(to_string(*q)) + " is not a quality of " + model);
    }
}

inline void check_generate(const image_generate_request& r)
{
    const model_family family = family_of(r.model);
    check_prompt(r.prompt, family);
    check_common({r.model, &r.n, &r.quality, &r.background, &r.output_format, &r.output_compression,
                  &r.partial_images, &r.response_format},
                 family);
    const bool dall_e = family == model_family::dall_e_2 || family == model_family::dall_e_3;
    if (dall_e && r.moderation)
        refuse("moderation", "is for GPT image models, not " + r.model);
    if (dall_e && r.stream.value_or(false))
        refuse("stream", "streaming is for GPT image models, not " + r.model);
    if (family == model_family::dall_e_3 && r.n && *r.n != 1)
        refuse("n", "dall-e-3 makes one image per request (n = 1)");
    if (r.style && family != model_family::dall_e_3 && family != model_family::unknown)
        refuse("style", "is for dall-e-3 only");
    if (r.size) {
        if (family == model_family::dall_e_2)
            check_size(r.model, family, *r.size,
                       {sizes::square_256, sizes::square_512, sizes::square_1024});
        else if (family == model_family::dall_e_3)
            check_size(r.model, family, *r.size,
                       {sizes::square_1024, sizes::landscape_1792x1024, sizes::portrait_1024x1792});
        else
            check_size(r.model, family, *r.size,
                       {sizes::square_1024, sizes::landscape_1536x1024, sizes::portrait_1024x1536});
    }
}

/// What an input file turned out to be, from its bytes.
struct inspected_file {
    image_info info{};
    std::uint64_t size = 0;
    std::string filename{};
    std::string content_type{};
};

/// Reads the header of an input file (from disk, only its first bytes) to learn its
/// format, dimensions and size. With `strict`, a file that is not PNG/JPEG/WebP is refused.
inline inspected_file inspect(const input_file& f, const std::string& field, bool strict)
{
    inspected_file out;
    std::error_code ec;
    if (!f.path.empty()) {
        out.size = std::filesystem::file_size(f.path, ec);
        if (ec)
            refuse(field, "cannot read \"" + f.path.string() + "\": " + ec.message());
        out.info = probe_image_file(f.path, ec);
    } else {
        out.size = f.bytes.size();
        out.info = probe_image(f.bytes, ec);
    }
    if (ec && strict)
        refuse(field, (f.path.empty() ? std::string("the bytes") : "\"" + f.path.string() + "\"") +
                          " are not a PNG, JPEG or WebP image (" + ec.message() + ")");
    if (ec)
        out.info = image_info{};
    out.content_type = !f.content_type.empty() ? f.content_type
                       : out.info.format != image_format::unknown
                           ? std::string(mime_type(out.info.format))
                           : std::string("application/octet-stream");
    out.filename = !f.filename.empty() ? f.filename
                   : !f.path.empty()   ? f.path.filename().string()
                                       : "image" + std::string(file_extension(out.info.format));
    return out;
}

inline void check_dall_e_png(const inspected_file& f, const std::string& field)
{
    if (f.info.format != image_format::png)
        refuse(field, "dall-e-2 takes a PNG, this is " + std::string(to_string(f.info.format)));
    if (f.info.width != f.info.height)
        refuse(field, "dall-e-2 takes a square image, this is " + std::to_string(f.info.width) +
                          "x" + std::to_string(f.info.height));
    if (f.size >= dall_e_file_limit)
        refuse(field,
               "dall-e-2 takes images under 4 MB, this is " + std::to_string(f.size) + " bytes");
}

/// Inspects every file of an edit (needed for the content types) and, with `strict`,
/// checks the request. Returns the images' inspections, then the mask's when present.
inline std::vector<inspected_file> check_edit(const image_edit_request& r, bool strict)
{
    const model_family family = family_of(r.model);
    if (strict) {
        if (family == model_family::dall_e_3)
            refuse("model", "dall-e-3 cannot edit images (use a GPT image model or dall-e-2)");
        check_prompt(r.prompt, family);
        check_common({r.model, &r.n, &r.quality, &r.background, &r.output_format,
                      &r.output_compression, &r.partial_images, &r.response_format},
                     family);
        if (r.image.empty())
            refuse("image", "at least one image is needed");
        if (r.image.size() > 16)
            refuse("image", "at most 16 images, got " + std::to_string(r.image.size()));
        if (family == model_family::dall_e_2 && r.image.size() != 1)
            refuse("image", "dall-e-2 edits exactly one image");
        if (family == model_family::dall_e_2 && (r.input_fidelity || r.stream.value_or(false)))
            refuse(r.input_fidelity ? "input_fidelity" : "stream",
                   "is for GPT image models, not dall-e-2");
        if (r.input_fidelity && r.model == models::gpt_image_1_mini)
            refuse("input_fidelity", "is not supported by gpt-image-1-mini");
        if (r.size) {
            if (family == model_family::dall_e_2)
                check_size(r.model, family, *r.size,
                           {sizes::square_256, sizes::square_512, sizes::square_1024});
            else
                check_size(
                    r.model, family, *r.size,
                    {sizes::square_1024, sizes::landscape_1536x1024, sizes::portrait_1024x1536});
        }
    }
    std::vector<inspected_file> files;
    for (std::size_t i = 0; i < r.image.size(); ++i) {
        const std::string field =
            r.image.size() == 1 ? "image" : "image[" + std::to_string(i) + "]";
        files.push_back(inspect(r.image[i], field, strict));
        if (!strict)
            continue;
        if (family == model_family::dall_e_2)
            check_dall_e_png(files.back(), field);
        else if (files.back().size >= gpt_image_file_limit)
            refuse(field, "images must be under 50 MB, this is " +
                              std::to_string(files.back().size) + " bytes");
    }
    if (r.mask) {
        files.push_back(inspect(*r.mask, "mask", strict));
        const inspected_file& m = files.back();
        if (strict) {
            if (m.info.format != image_format::png || !m.info.has_alpha)
                refuse("mask", "must be a PNG with an alpha channel (transparent pixels mark the "
                               "area to edit)");
            if (m.size >= dall_e_file_limit)
                refuse("mask", "must be under 4 MB, this is " + std::to_string(m.size) + " bytes");
            const image_info& first = files.front().info;
            if (m.info.width != first.width || m.info.height != first.height)
                refuse("mask", "is " + std::to_string(m.info.width) + "x" +
                                   std::to_string(m.info.height) + " but the first image is " +
                                   std::to_string(first.width) + "x" +
                                   std::to_string(first.height));
        }
    }
    return files;
}

/// Non-empty, whole quads of the standard alphabet, `=` padding only at the very end.
inline bool well_formed_base64(std::string_view text) noexcept
{
    if (text.empty() || text.size() % 4 != 0)
        return false;
    std::size_t body = text.size();
    for (int pad = 0; pad < 2 && body > 0 && text[body - 1] == '='; ++pad)
        --body;
    for (std::size_t i = 0; i < body; ++i) {
        const char c = text[i];
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '+' || c == '/';
        if (!ok)
            return false;
    }
    return true;
}

/// `raw_base64`: a bare base64 image is also accepted (the image tool's mask is
/// documented as "Base64-encoded mask image").
inline void check_reference(const image_reference& ref, const std::string& field,
                            bool raw_base64 = false)
{
    if (ref.image_url.has_value() == ref.file_id.has_value())
        refuse(field, "needs exactly one of image_url and file_id");
    if (ref.file_id && ref.file_id->empty())
        refuse(field + ".file_id", "must not be empty");
    if (!ref.image_url)
        return;
    const std::string& u = *ref.image_url;
    if (u.size() > image_url_limit)
        refuse(field + ".image_url", "is longer than 20971520 characters");
    if (u.rfind("https://", 0) == 0 || u.rfind("http://", 0) == 0)
        return;
    if (u.rfind("data:", 0) != 0) {
        if (raw_base64 && well_formed_base64(u))
            return;
        refuse(field + ".image_url", raw_base64 ? "must be an http(s) URL, a data: URL or base64"
                                                : "must be an http(s) URL or a data: URL");
    }
    const auto comma = u.find(',');
    const std::string_view header = std::string_view(u).substr(0, comma);
    if (comma == std::string::npos || header.size() < 12 ||
        header.substr(header.size() - 7) != ";base64" || header.substr(5, 6) != "image/")
        refuse(field + ".image_url", "a data URL must look like data:image/png;base64,...");
    if (!well_formed_base64(std::string_view(u).substr(comma + 1)))
        refuse(field + ".image_url", "the data URL's payload is not well-formed base64");
}

inline void check_edit_json(const image_edit_json_request& r)
{
    const model_family family = family_of(r.model);
    if (family == model_family::dall_e_2 || family == model_family::dall_e_3)
        refuse("model", "JSON edits take GPT image models only (dall-e-2 edits are multipart)");
    check_prompt(r.prompt, family);
    const std::optional<response_format> none;
    check_common({r.model, &r.n, &r.quality, &r.background, &r.output_format, &r.output_compression,
                  &r.partial_images, &none},
                 family);
    if (r.images.empty() || r.images.size() > 16)
        refuse("images", "takes 1 to 16 images, got " + std::to_string(r.images.size()));
    for (std::size_t i = 0; i < r.images.size(); ++i)
        check_reference(r.images[i], "images[" + std::to_string(i) + "]");
    if (r.mask)
        check_reference(*r.mask, "mask");
    if (r.input_fidelity && r.model == models::gpt_image_1_mini)
        refuse("input_fidelity", "is not supported by gpt-image-1-mini");
    if (r.size && family == model_family::gpt_image)
        check_size(r.model, family, *r.size,
                   {sizes::square_1024, sizes::landscape_1536x1024, sizes::portrait_1024x1536});
}

inline inspected_file check_variation(const image_variation_request& r, bool strict)
{
    const model_family family = family_of(r.model);
    if (strict) {
        if (family != model_family::dall_e_2 && family != model_family::unknown)
            refuse("model", "variations are made by dall-e-2 only");
        check_range(r.n, 1, 10, "n");
        if (r.size)
            check_size(r.model, family, *r.size,
                       {sizes::square_256, sizes::square_512, sizes::square_1024});
    }
    inspected_file f = inspect(r.image, "image", strict);
    if (strict && family == model_family::dall_e_2)
        check_dall_e_png(f, "image");
    return f;
}

} // namespace imagine::detail
// ---- end imagine/api/detail/image_checks.hpp ----
// ---- begin imagine/api/detail/launch.hpp ----

// Runs an API coroutine as an Asio asynchronous operation with any completion token.
// The coroutine returns T or throws; the operation completes with
// void(std::exception_ptr, T), so `co_await` rethrows the typed error (api_error,
// request_error, std::system_error) and other tokens receive it as a value. The
// handler's executor and cancellation slot are honoured: co_spawn forwards terminal
// cancellation into the coroutine, whose awaited operations then abort.



#include <asio/async_result.hpp>

#include <exception>
#include <utility>

namespace imagine::detail {

/// The API's completions: co_spawn's own void(exception_ptr, T), handed on as it is.
struct exception_as_is {
    template <class Handler>
    static Handler wrap(Handler handler)
    {
        return handler;
    }
};

/// `factory()` must return asio::awaitable<T>; T must be default-constructible.
template <class T, class Executor, class Token, class Factory>
auto launch_api(const Executor& executor, Token&& token, Factory&& factory)
{
    return asio::async_initiate<Token, void(std::exception_ptr, T)>(
        http::detail::spawn_initiation<Executor, exception_as_is>{executor}, token,
        std::forward<Factory>(factory));
}

} // namespace imagine::detail
// ---- end imagine/api/detail/launch.hpp ----
// ---- begin imagine/api/detail/response_checks.hpp ----

// The checks made before a Responses request is sent (api-facts §3), in the manner of
// image_checks.hpp: each failure is a request_error naming the field as the server
// would ("tools[0].partial_images", "input[1].content[0].image_url"), and nothing is sent.

// ---- begin imagine/api/types/files.hpp ----

// POST /files [CreateFileRequest] and the File object [OpenAIFile]: upload an image once
// and refer to it by file_id in input_image parts, image masks and JSON edits.

// ---- begin imagine/api/types/response_enums.hpp ----

// The closed sets of the Responses API and Files, with their wire names. As everywhere
// in this library, reading tolerates values added later (`unknown`); writing `unknown`
// is refused by the JSON writer.


#include <string_view>
#include <utility>

namespace imagine {

/// Response.status. queued and in_progress are the only non-terminal values.
enum class response_status {
    queued,
    in_progress,
    completed,
    failed,
    incomplete,
    cancelled,
    unknown
};

/// ImageGenToolCall.status.
enum class image_call_status { in_progress, generating, completed, failed, unknown };

/// What the image tool does with an input image [ImageGenActionEnum].
enum class image_action { auto_, generate, edit, unknown };

/// How closely the model looks at an input image [ImageDetail].
enum class image_detail { auto_, low, high, original, unknown };

/// tool_choice as a string [ToolChoiceOptions].
enum class tool_choice_mode { auto_, none, required, unknown };

/// Why a response ended incomplete.
enum class incomplete_reason { max_output_tokens, content_filter, unknown };

/// What an uploaded file is for [CreateFileRequest.purpose].
enum class file_purpose { assistants, batch, fine_tune, vision, user_data, evals, unknown };

/// Order of a listing.
enum class list_order { asc, desc, unknown };

/// True for completed, failed, incomplete, cancelled, and for values this library does
/// not know: polling stops at anything that is not queued or in_progress, as the
/// background-mode guide says.
constexpr bool is_terminal(response_status s) noexcept
{
    return s != response_status::queued && s != response_status::in_progress;
}

} // namespace imagine

template <>
struct imagine::json::meta<imagine::response_status> {
    using E = imagine::response_status;
    static constexpr std::pair<E, std::string_view> values[] = {
        {E::queued, "queued"}, {E::in_progress, "in_progress"}, {E::completed, "completed"},
        {E::failed, "failed"}, {E::incomplete, "incomplete"},   {E::cancelled, "cancelled"}};
    static constexpr E unknown = E::unknown;
};

template <>
struct imagine::json::meta<imagine::image_call_status> {
    using E = imagine::image_call_status;
    static constexpr std::pair<E, std::string_view> values[] = {{E::in_progress, "in_progress"},
                                                                {E::generating, "generating"},
                                                                {E::completed, "completed"},
                                                                {E::failed, "failed"}};
    static constexpr E unknown = E::unknown;
};

template <>
struct imagine::json::meta<imagine::image_action> {
    using E = imagine::image_action;
    static constexpr std::pair<E, std::string_view> values[] = {
        {E::auto_, "auto"}, {E::generate, "generate"}, {E::edit, "edit"}};
    static constexpr E unknown = E::unknown;
};

template <>
struct imagine::json::meta<imagine::image_detail> {
    using E = imagine::image_detail;
    static constexpr std::pair<E, std::string_view> values[] = {
        {E::auto_, "auto"}, {E::low, "low"}, {E::high, "high"}, {E::original, "original"}};
    static constexpr E unknown = E::unknown;
};

template <>
struct imagine::json::meta<imagine::tool_choice_mode> {
    using E = imagine::tool_choice_mode;
    static constexpr std::pair<E, std::string_view> values[] = {
        {E::auto_, "auto"}, {E::none, "none"}, {E::required, "required"}};
    static constexpr E unknown = E::unknown;
};

template <>
struct imagine::json::meta<imagine::incomplete_reason> {
    using E = imagine::incomplete_reason;
    static constexpr std::pair<E, std::string_view> values[] = {
        {E::max_output_tokens, "max_output_tokens"}, {E::content_filter, "content_filter"}};
    static constexpr E unknown = E::unknown;
};

template <>
struct imagine::json::meta<imagine::file_purpose> {
    using E = imagine::file_purpose;
    static constexpr std::pair<E, std::string_view> values[] = {
        {E::assistants, "assistants"}, {E::batch, "batch"},         {E::fine_tune, "fine-tune"},
        {E::vision, "vision"},         {E::user_data, "user_data"}, {E::evals, "evals"}};
    static constexpr E unknown = E::unknown;
};

template <>
struct imagine::json::meta<imagine::list_order> {
    using E = imagine::list_order;
    static constexpr std::pair<E, std::string_view> values[] = {{E::asc, "asc"}, {E::desc, "desc"}};
    static constexpr E unknown = E::unknown;
};
// ---- end imagine/api/types/response_enums.hpp ----

#include <cstdint>
#include <optional>
#include <string>

namespace imagine {

struct file_upload_request {
    /// From disk (streamed while sending) or from memory; see input_file.
    input_file file{};
    file_purpose purpose = file_purpose::vision;
    /// Expire this many seconds after creation (3600–2592000); absent: the API's
    /// default for the purpose.
    std::optional<std::int64_t> expires_after_seconds{};
};

/// [OpenAIFile].
struct file_object {
    std::string id{};
    std::string object = "file";
    std::int64_t bytes = 0;
    std::int64_t created_at = 0;
    std::optional<std::int64_t> expires_at{};
    std::string filename{};
    /// Kept as text: the API lists more purposes than uploads accept.
    std::string purpose{};
    std::optional<std::string> status{};
    /// Not in the body: the x-request-id header.
    std::optional<std::string> request_id{};
};

} // namespace imagine
// ---- end imagine/api/types/files.hpp ----
// ---- begin imagine/api/types/response_request.hpp ----

// POST /responses [CreateResponse]: the members that matter for image work typed, each
// optional so that only what is set is sent; `model` is always sent.
//
//   imagine::response_create_request req;
//   req.input = "a lighthouse at dawn";
//   req.tools = {imagine::image_generation_tool{.quality = imagine::quality::high}};

// ---- begin imagine/api/types/image_tool.hpp ----

// The image_generation tool of the Responses API [ImageGenTool] and tool_choice
// [ToolChoiceParam]. Other tools (function, web_search, mcp, ...) travel as JSON values:
// this library types what it is about and carries the rest faithfully.


#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace imagine {

/// `{"type":"image_generation", ...}`; every member optional, the server's defaults apply.
struct image_generation_tool {
    /// gpt-image-1 (the server's default), gpt-image-1-mini, gpt-image-1.5, gpt-image-2, ...
    std::optional<std::string> model{};
    /// "auto", "1024x1024", "1024x1536", "1536x1024", or WIDTHxHEIGHT for gpt-image-2.
    std::optional<std::string> size{};
    std::optional<imagine::quality> quality{};
    std::optional<imagine::output_format> output_format{};
    /// 0–100, jpeg and webp.
    std::optional<int> output_compression{};
    std::optional<imagine::moderation> moderation{};
    std::optional<imagine::background> background{};
    std::optional<imagine::input_fidelity> input_fidelity{};
    /// Where to edit: exactly one of a base64 / https image_url and a file_id.
    std::optional<image_reference> input_image_mask{};
    /// 0–3 coarser renditions sent while streaming.
    std::optional<int> partial_images{};
    std::optional<image_action> action{};
};

/// A tool of a request or response: the image tool typed, any other as its JSON.
using response_tool = std::variant<image_generation_tool, json::value>;

/// tool_choice `{"type":"image_generation"}`: the model must call the image tool.
struct force_image_generation {};

/// tool_choice: "auto" / "none" / "required", the image tool, or any other object
/// (`{"type":"function","name":...}`, `{"type":"allowed_tools",...}`) as JSON.
using tool_choice = std::variant<tool_choice_mode, force_image_generation, json::value>;

} // namespace imagine

template <>
struct imagine::json::meta<imagine::image_generation_tool> {
    static constexpr std::string_view tag = "image_generation";
};

template <>
struct imagine::json::meta<imagine::force_image_generation> {
    static constexpr std::string_view tag = "image_generation";
};
// ---- end imagine/api/types/image_tool.hpp ----
// ---- begin imagine/api/types/response_input.hpp ----

// The input of a Responses request [InputParam]: a string, or a list of items. Typed
// here: messages with text and image parts, a reference to an earlier image call (the
// multi-turn pattern of OpenAI's image guide) and an item_reference. Any other item or
// content part travels as a JSON value.


#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace imagine {

/// `{"type":"input_text","text":...}`.
struct input_text {
    std::string text{};
};

/// `{"type":"input_image", ...}` [InputImageContent]: exactly one of image_url (https or
/// a data: URL of at most 20971520 characters) and file_id (an uploaded file, see
/// files.upload). `detail` is always sent: the schema requires it.
struct input_image {
    std::optional<std::string> image_url{};
    std::optional<std::string> file_id{};
    image_detail detail = image_detail::auto_;

    static input_image from_url(std::string url, image_detail d = image_detail::auto_)
    {
        return {std::move(url), std::nullopt, d};
    }
    static input_image from_file_id(std::string id, image_detail d = image_detail::auto_)
    {
        return {std::nullopt, std::move(id), d};
    }
};

using input_content = std::variant<input_text, input_image, json::value>;

/// `{"type":"message","role":...,"content":...}`: content is a string or parts.
struct input_message {
    /// user, assistant, system or developer.
    std::string role = "user";
    std::variant<std::string, std::vector<input_content>> content{};
    /// Set on items read back (input_items); never needed when sending.
    std::optional<std::string> id{};
    std::optional<std::string> status{};
};

/// `{"type":"image_generation_call","id":"ig_..."}`: the image of an earlier call, as
/// input for an edit.
struct image_generation_call_reference {
    std::string id{};
};

/// `{"type":"item_reference","id":...}` [ItemReferenceParam].
struct item_reference {
    std::string id{};
};

using input_item =
    std::variant<input_message, image_generation_call_reference, item_reference, json::value>;

/// The `input` of a request: plain text or a list of items.
using response_input = std::variant<std::string, std::vector<input_item>>;

/// A user message of text and images: `user_message("make it night", input_image::from_url(u))`.
template <class... Parts>
input_message user_message(Parts&&... parts)
{
    input_message m;
    auto& list = m.content.emplace<std::vector<input_content>>();
    list.reserve(sizeof...(Parts));
    auto add = [&]<class P>(P&& part) {
        if constexpr (std::is_convertible_v<P, std::string_view>)
            list.emplace_back(input_text{std::string(std::string_view(part))});
        else
            list.emplace_back(std::forward<P>(part));
    };
    (add(std::forward<Parts>(parts)), ...);
    return m;
}

} // namespace imagine

template <>
struct imagine::json::meta<imagine::input_text> {
    static constexpr std::string_view tag = "input_text";
};
template <>
struct imagine::json::meta<imagine::input_image> {
    static constexpr std::string_view tag = "input_image";
};
template <>
struct imagine::json::meta<imagine::input_message> {
    static constexpr std::string_view tag = "message";
};
template <>
struct imagine::json::meta<imagine::image_generation_call_reference> {
    static constexpr std::string_view tag = "image_generation_call";
};
template <>
struct imagine::json::meta<imagine::item_reference> {
    static constexpr std::string_view tag = "item_reference";
};
// ---- end imagine/api/types/response_input.hpp ----

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace imagine {

namespace models {
/// A mainline model that calls the image_generation tool (the spec's example model).
inline constexpr const char* gpt_5_1 = "gpt-5.1";
} // namespace models

struct response_create_request {
    std::string model = models::gpt_5_1;
    std::optional<response_input> input{};
    /// A system (developer) message; not carried over by previous_response_id.
    std::optional<std::string> instructions{};
    std::optional<std::vector<response_tool>> tools{};
    std::optional<imagine::tool_choice> tool_choice{};
    /// Continue from a stored response (the refinement chain); needs store not false.
    std::optional<std::string> previous_response_id{};
    /// Run as a background job: the answer comes at once, queued; see responses.wait.
    std::optional<bool> background{};
    /// Server default true; background and previous_response_id need it.
    std::optional<bool> store{};
    /// Set by the operation: create sends false or nothing, create_stream true.
    std::optional<bool> stream{};
    /// At least 16.
    std::optional<std::int64_t> max_output_tokens{};
    std::optional<std::int64_t> max_tool_calls{};
    /// Up to 16 pairs; keys up to 64 characters, values up to 512.
    std::optional<std::map<std::string, std::string>> metadata{};
    /// IncludeEnum values, e.g. "message.input_image.image_url".
    std::optional<std::vector<std::string>> include{};
    std::optional<bool> parallel_tool_calls{};
    std::optional<double> temperature{};
    std::optional<double> top_p{};
    std::optional<std::string> service_tier{};
    std::optional<std::string> safety_identifier{};
    std::optional<std::string> prompt_cache_key{};
    /// {"format":{"type":"text"}} and the like.
    std::optional<json::value> text{};
    /// {"effort":"low"} and the like.
    std::optional<json::value> reasoning{};
    /// Deprecated by the API in favour of safety_identifier / prompt_cache_key.
    std::optional<std::string> user{};
};

} // namespace imagine
// ---- end imagine/api/types/response_request.hpp ----

#include <string>
#include <string_view>
#include <variant>

namespace imagine::detail {

inline std::string indexed(std::string_view base, std::size_t i)
{
    std::string out(base);
    out += '[';
    out += std::to_string(i);
    out += ']';
    return out;
}

inline void check_image_tool(const image_generation_tool& t, const std::string& field)
{
    auto in = [&](const char* member) { return field + "." + member; };
    if (t.partial_images && (*t.partial_images < 0 || *t.partial_images > 3))
        refuse(in("partial_images"),
               "must be between 0 and 3, got " + std::to_string(*t.partial_images));
    if (t.output_compression && (*t.output_compression < 0 || *t.output_compression > 100))
        refuse(in("output_compression"),
               "must be between 0 and 100, got " + std::to_string(*t.output_compression));
    if (t.background == background::transparent && t.output_format == output_format::jpeg)
        refuse(in("background"), "transparent needs output_format png or webp, not jpeg");
    if (t.input_image_mask)
        check_reference(*t.input_image_mask, in("input_image_mask"), true);
    // The tool's default model is gpt-image-1.
    const std::string model = t.model.value_or(models::gpt_image_1);
    if (const model_family family = family_of(model); t.size && family == model_family::gpt_image)
        check_size(model, family, *t.size,
                   {sizes::square_1024, sizes::landscape_1536x1024, sizes::portrait_1024x1536},
                   in("size"));
}

inline void check_input_content(const input_content& part, const std::string& field)
{
    if (const auto* image = std::get_if<input_image>(&part))
        check_reference(image_reference{image->image_url, image->file_id}, field);
}

inline void check_input(const response_input& input)
{
    const auto* items = std::get_if<std::vector<input_item>>(&input);
    if (!items)
        return;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const std::string field = indexed("input", i);
        const input_item& item = (*items)[i];
        if (const auto* message = std::get_if<input_message>(&item)) {
            const auto* parts = std::get_if<std::vector<input_content>>(&message->content);
            for (std::size_t j = 0; parts && j < parts->size(); ++j)
                check_input_content((*parts)[j], indexed(field + ".content", j));
        } else if (const auto* call = std::get_if<image_generation_call_reference>(&item)) {
            if (call->id.empty())
                refuse(field + ".id", "must name an image_generation_call (ig_...)");
        } else if (const auto* ref = std::get_if<item_reference>(&item)) {
            if (ref->id.empty())
                refuse(field + ".id", "must not be empty");
        }
    }
}

inline void check_metadata(const std::map<std::string, std::string>& metadata)
{
    if (metadata.size() > 16)
        refuse("metadata", "holds at most 16 pairs, got " + std::to_string(metadata.size()));
    for (const auto& [key, value] : metadata) {
        if (key.size() > 64)
            refuse("metadata", "keys are at most 64 characters: \"" + key.substr(0, 64) + "...\"");
        if (value.size() > 512)
            refuse("metadata", "values are at most 512 characters (key \"" + key + "\")");
    }
}

inline void check_create(const response_create_request& r)
{
    if (r.model.empty())
        refuse("model", "must not be empty");
    if (r.input)
        check_input(*r.input);
    for (std::size_t i = 0; r.tools && i < r.tools->size(); ++i)
        if (const auto* tool = std::get_if<image_generation_tool>(&(*r.tools)[i]))
            check_image_tool(*tool, indexed("tools", i));
    const bool stored = r.store.value_or(true);
    if (r.previous_response_id && !stored)
        refuse("previous_response_id",
               "needs a stored chain: it cannot be combined with store: false");
    if (r.previous_response_id && r.previous_response_id->empty())
        refuse("previous_response_id", "must not be empty");
    if (r.background.value_or(false) && !stored)
        refuse("background", "background responses must be stored: store cannot be false");
    if (r.max_output_tokens && *r.max_output_tokens < 16)
        refuse("max_output_tokens",
               "must be at least 16, got " + std::to_string(*r.max_output_tokens));
    if (r.metadata)
        check_metadata(*r.metadata);
    if (r.temperature && (*r.temperature < 0 || *r.temperature > 2))
        refuse("temperature", "must be between 0 and 2");
    if (r.top_p && (*r.top_p < 0 || *r.top_p > 1))
        refuse("top_p", "must be between 0 and 1");
}

/// Ids go into the request path: anything but letters, digits, '_' and '-' is refused
/// rather than escaped, so that no id can reach another endpoint.
inline void check_id(std::string_view id, const char* field)
{
    if (id.empty())
        refuse(field, "must not be empty");
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            refuse(field, "may hold only letters, digits, '_' and '-'");
}

inline void check_upload(const file_upload_request& r)
{
    if (r.purpose == file_purpose::unknown)
        refuse("purpose", "is not a known purpose");
    if (r.expires_after_seconds &&
        (*r.expires_after_seconds < 3600 || *r.expires_after_seconds > 2592000))
        refuse("expires_after[seconds]",
               "must be between 3600 and 2592000, got " + std::to_string(*r.expires_after_seconds));
}

} // namespace imagine::detail
// ---- end imagine/api/detail/response_checks.hpp ----
// ---- begin imagine/api/images.hpp ----

// client.images: generate, edit (multipart or JSON), create_variation, and the streamed
// generate_stream / edit_stream. Every operation checks the request first (see
// detail/image_checks.hpp), sends it with the client's retry policy, and completes with
// void(std::exception_ptr, Result); without a token it returns an asio::awaitable.
//
//   imagine::image_generate_request req{.prompt = "a lighthouse at dawn",
//                                       .model = imagine::models::gpt_image_1_5};
//   auto r = co_await ai.images.generate(req);
//   req.partial_images = 2;
//   auto s = co_await ai.images.generate_stream(req);
//   while (auto ev = co_await s.next()) { ... }
//
// (Named requests, not braced temporaries inside co_await: g++ 12 destroys those twice.)


// ---- begin imagine/api/stream.hpp ----

// A stream of typed server-sent events from one response:
//
//   auto s = co_await ai.images.generate_stream(req);
//   while (auto ev = co_await s.next()) { ... }   // std::nullopt at the end
//
// The Policy turns each decoded SSE event into a typed event (or skips it) and says
// whether the stream may end where it ended. Common to every endpoint: an `error` event
// ends the stream with an api_error (error::stream_error), and `data: [DONE]` ends it.
// A stream is never retried: its events have reached the caller.



#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/use_awaitable.hpp>

#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace imagine {
namespace detail {

/// Reads only the "type" member of an event's data (the rest is skipped, not copied).
struct event_type_probe {
    std::optional<std::string> type{};
};

/// The event's type: its `event:` line, or for a stream without those the data's "type".
inline std::string event_type_of(const http::sse_event& ev)
{
    if (!ev.event.empty() && ev.event != "message")
        return ev.event;
    event_type_probe t;
    if (!json::read(ev.data, t) && t.type)
        return *t.type;
    return ev.event;
}

/// An `error` event, or data whose object starts with an "error" member or type:
/// `{"type":"error","error":{...}}` (Images), `{"type":"error","code",...}` (Responses).
inline bool is_error_event(const http::sse_event& ev) noexcept
{
    if (ev.event == "error")
        return true;
    std::string_view d(ev.data);
    return d.starts_with("{\"error\"") || d.starts_with("{\"type\":\"error\"");
}

/// The event's data read as `Event`; data that does not fit is error::bad_response.
template <class Event>
Event read_event(const http::sse_event& ev, std::string_view type, const std::string& request_id)
{
    Event out;
    if (auto e = json::read(ev.data, out))
        throw std::system_error(make_error_code(error::bad_response),
                                "imagine: " + std::string(type) + " event: " + e.message() +
                                    " (request id " + request_id + ")");
    return out;
}

inline api_error stream_error(const http::sse_event& ev, const std::string& request_id)
{
    api_error_details d;
    d.request_id = request_id;
    json::value parsed;
    bool ok = !json::read(ev.data, parsed) && parsed.is_object();
    if (ok) {
        const json::value* nested = parsed.find("error");
        ok = (nested && read_error_object(*nested, d)) || read_error_object(parsed, d);
    }
    if (!ok)
        d.message = "error event: " + excerpt(ev.data);
    return api_error(make_error_code(error::stream_error), std::move(d));
}

} // namespace detail

template <class Policy>
class event_stream {
public:
    using event_type = typename Policy::event_type;
    using executor_type = asio::any_io_executor;

    event_stream() = default;

    event_stream(http::response_stream body, Policy policy)
        : state_(std::make_shared<state>(std::move(body), std::move(policy)))
    {
        state_->request_id = state_->body.headers().value_or("x-request-id", "");
        executor_ = state_->body.get_executor();
    }

    /// The x-request-id of the response.
    const std::string& request_id() const noexcept { return state_->request_id; }
    const Policy& policy() const noexcept { return state_->policy; }

    /// The next event; std::nullopt once the stream has ended. One call at a time.
    ///
    /// @par Completion signature
    /// void(std::exception_ptr, std::optional<event_type>)
    /// @par Per-operation cancellation
    /// terminal: the connection is closed and the stream is over.
    template <class Token = imagine::detail::default_token_t<executor_type>>
    auto next(Token&& token = {})
    {
        return detail::launch_api<std::optional<event_type>>(executor_, std::forward<Token>(token),
                                                             [s = state_] { return run_next(s); });
    }

    /// Stops reading; the connection is closed (not pooled).
    void close()
    {
        if (state_)
            state_->stop();
    }

private:
    struct state {
        state(http::response_stream b, Policy p) : body(std::move(b)), policy(std::move(p)) {}
        http::response_stream body;
        http::sse_decoder decoder{};
        Policy policy;
        std::string request_id{};
        bool input_done = false;
        bool ended = false;

        void stop()
        {
            ended = true;
            body.close();
        }
    };

    static asio::awaitable<std::optional<event_type>> run_next(std::shared_ptr<state> s)
    {
        if (!s)
            throw std::system_error(make_error_code(error::incomplete_stream),
                                    "imagine: empty event_stream");
        while (!s->ended) {
            while (s->decoder.has_event()) {
                http::sse_event ev = s->decoder.take_event();
                if (ev.data == "[DONE]") {
                    finish(*s);
                    co_return std::nullopt;
                }
                if (detail::is_error_event(ev)) {
                    s->stop();
                    throw detail::stream_error(ev, s->request_id);
                }
                if (auto typed = s->policy.on_event(ev, s->request_id))
                    co_return typed;
            }
            if (s->input_done) {
                finish(*s);
                break;
            }
            auto [ec, piece] =
                co_await s->body.async_read_some(imagine::detail::as_tuple(asio::use_awaitable));
            if (!ec && !piece.empty())
                s->decoder.put(piece, ec);
            if (ec) {
                s->stop();
                throw std::system_error(ec);
            }
            if (piece.empty()) {
                s->decoder.finish();
                s->input_done = true;
            }
        }
        co_return std::nullopt;
    }

    // The end of the events: the policy decides whether the stream was complete.
    static void finish(state& s)
    {
        s.stop();
        s.policy.on_end(s.request_id);
    }

    std::shared_ptr<state> state_{};
    executor_type executor_{};
};

} // namespace imagine
// ---- end imagine/api/stream.hpp ----
// ---- begin imagine/api/types/image_events.hpp ----

// The events of a streamed generation or edit [ImageGenStreamEvent, ImageEditStreamEvent]:
// `image_generation.partial_image` / `image_edit.partial_image`, then
// `image_generation.completed` / `image_edit.completed`. One C++ type serves both
// endpoints; `type` keeps the exact event name. Event types the API adds later arrive as
// image_unknown_event instead of failing the stream.


#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace imagine {

/// A coarser rendition sent while the image is being made.
struct image_partial_event {
    std::string type{};
    std::string b64_json{};
    std::int64_t created_at = 0;
    std::string size{};
    imagine::quality quality = quality::auto_;
    imagine::background background = background::auto_;
    imagine::output_format output_format = output_format::png;
    /// 0-based.
    int partial_image_index = 0;
};

/// The final image (one per image when n > 1).
struct image_completed_event {
    std::string type{};
    std::string b64_json{};
    std::int64_t created_at = 0;
    std::string size{};
    imagine::quality quality = quality::auto_;
    imagine::background background = background::auto_;
    imagine::output_format output_format = output_format::png;
    std::optional<image_usage> usage{};
};

/// An event type this library does not know yet, kept whole.
struct image_unknown_event {
    std::string type{};
    json::value data{};
};

using image_stream_event =
    std::variant<image_partial_event, image_completed_event, image_unknown_event>;

} // namespace imagine
// ---- end imagine/api/types/image_events.hpp ----

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace imagine {

/// Turns the SSE events of a streamed generation or edit into image_stream_events.
/// The stream must carry at least one `*.completed` event to end normally.
struct image_stream_policy {
    using event_type = image_stream_event;

    /// `*.completed` events seen so far.
    unsigned completed = 0;

    std::optional<image_stream_event> on_event(const http::sse_event& ev,
                                               const std::string& request_id)
    {
        const std::string type = detail::event_type_of(ev);
        if (type.ends_with(".partial_image"))
            return detail::read_event<image_partial_event>(ev, type, request_id);
        if (type.ends_with(".completed")) {
            ++completed;
            return detail::read_event<image_completed_event>(ev, type, request_id);
        }
        if (type == "keepalive")
            return std::nullopt;
        image_unknown_event unknown{type, {}};
        if (json::read(ev.data, unknown.data))
            unknown.data = json::value(ev.data);
        return unknown;
    }

    void on_end(const std::string& request_id) const
    {
        if (completed == 0)
            throw std::system_error(make_error_code(error::incomplete_stream),
                                    "imagine: the image stream ended without a completed event"
                                    " (request id " +
                                        request_id + ")");
    }
};

using image_stream = event_stream<image_stream_policy>;

namespace detail {

/// A scalar of a request as multipart text: strings as they are, enums by their wire
/// name, integers in decimal, booleans as true/false.
template <class T>
std::string form_text(const T& v)
{
    if constexpr (std::is_same_v<T, bool>)
        return v ? "true" : "false";
    else if constexpr (std::is_enum_v<T>)
        return std::string(json::enum_to_string(v));
    else if constexpr (std::is_integral_v<T>)
        return std::to_string(v);
    else
        return std::string(v);
}

/// The text fields of a multipart request, in declaration order: every set member that
/// is not a file.
template <class Request>
void add_form_fields(http::multipart_form& form, const Request& r)
{
    json::for_each_member(r, [&](std::string_view key, const auto& member) {
        using M = std::remove_cvref_t<decltype(member)>;
        if constexpr (std::is_same_v<M, std::string>) {
            form.add_field(key, member);
        } else if constexpr (requires {
                                 member.has_value();
                                 *member;
                             }) {
            using V = std::remove_cvref_t<decltype(*member)>;
            if constexpr (!std::is_same_v<V, input_file>)
                if (member)
                    form.add_field(key, form_text(*member));
        }
    });
}

inline void add_form_file(http::multipart_form& form, std::string_view name, const input_file& f,
                          const inspected_file& info)
{
    if (f.path.empty()) {
        form.add_file_data(name, info.filename, info.content_type, f.bytes);
        return;
    }
    std::error_code ec;
    form.add_file(name, f.path, info.filename, info.content_type, ec);
    if (ec)
        throw request_error(std::string(name),
                            "cannot read \"" + f.path.string() + "\": " + ec.message());
}

/// The multipart body of an edit: the text fields, then one `image` part (or `image[]`
/// parts for several), then `mask`.
inline std::shared_ptr<http::multipart_form> edit_form(const image_edit_request& r,
                                                       const std::vector<inspected_file>& files)
{
    auto form = std::make_shared<http::multipart_form>();
    add_form_fields(*form, r);
    const std::string_view name = r.image.size() == 1 ? "image" : "image[]";
    for (std::size_t i = 0; i < r.image.size(); ++i)
        add_form_file(*form, name, r.image[i], files[i]);
    if (r.mask)
        add_form_file(*form, "mask", *r.mask, files.back());
    return form;
}

} // namespace detail

class images_service {
public:
    using executor_type = asio::any_io_executor;
    using default_token = imagine::detail::default_token_t<executor_type>;

    explicit images_service(detail::api_core& core) : core_(&core) {}

    /// POST /images/generations. Completes with void(std::exception_ptr, images_response).
    template <class Token = default_token>
    auto generate(image_generate_request req, request_options options = {}, Token&& token = {})
    {
        return start<images_response>(std::move(req), std::move(options),
                                      std::forward<Token>(token));
    }

    /// Streamed generation: completes once the response head has arrived, with an
    /// image_stream of partial images and the completed image(s).
    template <class Token = default_token>
    auto generate_stream(image_generate_request req, request_options options = {},
                         Token&& token = {})
    {
        return start<image_stream>(std::move(req), std::move(options), std::forward<Token>(token));
    }

    /// POST /images/edits as multipart/form-data, files streamed from disk.
    template <class Token = default_token>
    auto edit(image_edit_request req, request_options options = {}, Token&& token = {})
    {
        return start<images_response>(std::move(req), std::move(options),
                                      std::forward<Token>(token));
    }

    /// POST /images/edits as JSON (images by URL, data URL or file id).
    template <class Token = default_token>
    auto edit(image_edit_json_request req, request_options options = {}, Token&& token = {})
    {
        return start<images_response>(std::move(req), std::move(options),
                                      std::forward<Token>(token));
    }

    template <class Token = default_token>
    auto edit_stream(image_edit_request req, request_options options = {}, Token&& token = {})
    {
        return start<image_stream>(std::move(req), std::move(options), std::forward<Token>(token));
    }

    template <class Token = default_token>
    auto edit_stream(image_edit_json_request req, request_options options = {}, Token&& token = {})
    {
        return start<image_stream>(std::move(req), std::move(options), std::forward<Token>(token));
    }

    /// POST /images/variations (dall-e-2).
    template <class Token = default_token>
    auto create_variation(image_variation_request req, request_options options = {},
                          Token&& token = {})
    {
        return start<images_response>(std::move(req), std::move(options),
                                      std::forward<Token>(token));
    }

private:
    // Result images_response: one buffered answer; image_stream: events.
    template <class Result, class Request, class Token>
    auto start(Request req, request_options options, Token&& token)
    {
        return detail::launch_api<Result>(
            core_->get_executor(), std::forward<Token>(token),
            [this, req = std::move(req), options = std::move(options)]() mutable {
                return run<Result>(std::move(req), std::move(options));
            });
    }

    template <class Result, class Request>
    asio::awaitable<Result> run(Request req, request_options options)
    {
        constexpr bool streamed = std::is_same_v<Result, image_stream>;
        if constexpr (requires { req.stream; }) {
            if (req.stream && *req.stream != streamed)
                throw request_error("stream",
                                    streamed ? "is false, but this operation streams"
                                             : "is true; use the *_stream operation for events");
            if (streamed)
                req.stream = true;
        }
        detail::call_spec spec = call_for(req, core_->validating(options));
        if constexpr (streamed) {
            auto body = co_await core_->open(std::move(spec), std::move(options));
            co_return image_stream(std::move(body), image_stream_policy{});
        } else {
            co_return detail::read_json_body<images_response>(
                co_await core_->call(std::move(spec), std::move(options)), "images response");
        }
    }

    // The checks of each request (with `strict`), then its call.
    static detail::call_spec call_for(const image_generate_request& req, bool strict)
    {
        if (strict)
            detail::check_generate(req);
        return detail::json_call("/images/generations", json::write(req));
    }

    static detail::call_spec call_for(const image_edit_request& req, bool strict)
    {
        const auto files = detail::check_edit(req, strict);
        return detail::form_call("/images/edits", detail::edit_form(req, files));
    }

    static detail::call_spec call_for(const image_edit_json_request& req, bool strict)
    {
        if (strict)
            detail::check_edit_json(req);
        return detail::json_call("/images/edits", json::write(req));
    }

    static detail::call_spec call_for(const image_variation_request& req, bool strict)
    {
        const auto file = detail::check_variation(req, strict);
        auto form = std::make_shared<http::multipart_form>();
        detail::add_form_fields(*form, req);
        detail::add_form_file(*form, "image", req.image, file);
        return detail::form_call("/images/variations", std::move(form));
    }

    detail::api_core* core_;
};

} // namespace imagine
// ---- end imagine/api/images.hpp ----

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>

#include <memory>
#include <string>
#include <utility>

namespace imagine {

class files_service {
public:
    using executor_type = asio::any_io_executor;
    using default_token = imagine::detail::default_token_t<executor_type>;

    explicit files_service(detail::api_core& core) : core_(&core) {}

    /// POST /files as multipart/form-data: `purpose`, the expiry when set, then `file`
    /// (streamed from disk). Completes with void(std::exception_ptr, file_object).
    template <class Token = default_token>
    auto upload(file_upload_request req, request_options options = {}, Token&& token = {})
    {
        return detail::launch_api<file_object>(
            core_->get_executor(), std::forward<Token>(token),
            [this, req = std::move(req), options = std::move(options)]() mutable {
                return run_upload(std::move(req), std::move(options));
            });
    }

private:
    // By value: a lambda's captures would die before the coroutine runs.
    asio::awaitable<file_object> run_upload(file_upload_request req, request_options options)
    {
        auto spec = detail::form_call("/files", form(req, core_->validating(options)));
        auto answer = co_await core_->call(std::move(spec), std::move(options));
        co_return detail::read_json_body<file_object>(answer, "file");
    }

    static std::shared_ptr<http::multipart_form> form(const file_upload_request& req, bool strict)
    {
        if (strict)
            detail::check_upload(req);
        if (req.file.path.empty() && req.file.bytes.empty())
            throw request_error("file", "is empty: set input_file::path or input_file::bytes");
        // Any file may be uploaded: the content type comes from the bytes when they are
        // an image, else application/octet-stream.
        detail::inspected_file info = detail::inspect(req.file, "file", false);
        if (info.info.format == image_format::unknown && req.file.filename.empty() &&
            req.file.path.empty())
            info.filename = "file";
        auto out = std::make_shared<http::multipart_form>();
        out->add_field("purpose", json::enum_to_string(req.purpose));
        if (req.expires_after_seconds) {
            out->add_field("expires_after[anchor]", "created_at");
            out->add_field("expires_after[seconds]", std::to_string(*req.expires_after_seconds));
        }
        detail::add_form_file(*out, "file", req.file, info);
        return out;
    }

    detail::api_core* core_;
};

} // namespace imagine
// ---- end imagine/api/files.hpp ----
// ---- begin imagine/api/responses.hpp ----

// client.responses: the Responses API with the image_generation tool.
//
//   imagine::response_create_request req;
//   req.input = "a lighthouse at dawn";
//   req.tools = {imagine::image_generation_tool{.quality = imagine::quality::high}};
//   auto r = co_await ai.responses.create(req);
//   for (const imagine::image_generation_call* call : r.images()) ...
//
//   req.background = true;                                  // a background job
//   auto job = co_await ai.responses.create(req);
//   job = co_await ai.responses.wait(job.id);              // polls until terminal
//
// Every operation completes with void(std::exception_ptr, Result); without a token it
// returns an asio::awaitable. A failed or incomplete response is a response (see its
// status, error and incomplete_details), not an exception: exceptions are for calls
// that did not work. (Name requests before co_await: g++ 12 destroys braced
// temporaries inside co_await twice.)


// ---- begin imagine/api/detail/response_calls.hpp ----

// The Responses calls as coroutines on api_core, shared by responses_service and the
// resumable stream: retrieve (with the server's poll hint), open a stream of a stored
// response, cancel, and the polling loop of wait.


// ---- begin imagine/api/response_options.hpp ----

// Options of the Responses operations that go beyond one HTTP call: polling a background
// response (wait), resuming its stream (create_resumable / resume), and listing input
// items.

// ---- begin imagine/api/types/response.hpp ----

// The Response object [Response] and its output items. The image_generation_call item
// and messages are typed; every other item (reasoning, function calls, ...) is kept as
// its JSON value, so a response is never refused for what it contains. Members the
// schema does not require are optional; unknown members are skipped.


#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace imagine {

/// An output item `image_generation_call` [ImageGenToolCall]. The schema declares id,
/// status and result; live items also carry revised_prompt, size, quality, background,
/// output_format and action (api-facts §3), read when present.
struct image_generation_call {
    std::string id{};
    image_call_status status = image_call_status::in_progress;
    /// Base64 of the image once completed; see save_image.
    std::optional<std::string> result{};
    std::optional<std::string> revised_prompt{};
    std::optional<std::string> size{};
    std::optional<imagine::quality> quality{};
    std::optional<imagine::background> background{};
    std::optional<imagine::output_format> output_format{};
    std::optional<image_action> action{};
};

/// `{"type":"output_text","text":...}`.
struct output_text_part {
    std::string text{};
    std::optional<json::value> annotations{};
};

/// `{"type":"refusal","refusal":...}`.
struct refusal_part {
    std::string refusal{};
};

using output_content = std::variant<output_text_part, refusal_part, json::value>;

/// An output item `message` [OutputMessage].
struct output_message {
    std::string id{};
    std::string role = "assistant";
    std::optional<std::string> status{};
    std::vector<output_content> content{};
};

using output_item = std::variant<image_generation_call, output_message, json::value>;

/// Why a response failed [ResponseError]: a ResponseErrorCode such as
/// image_content_policy_violation or server_error, and a message.
struct response_error {
    std::string code{};
    std::string message{};
};

struct incomplete_details {
    std::optional<incomplete_reason> reason{};
};

struct response_input_tokens_details {
    std::int64_t cached_tokens = 0;
    std::optional<std::int64_t> cache_write_tokens{};
};

struct response_output_tokens_details {
    std::int64_t reasoning_tokens = 0;
};

/// [ResponseUsage]. The image tool's own tokens are billed as image tokens and are not
/// broken out here.
struct response_usage {
    std::int64_t input_tokens = 0;
    std::int64_t output_tokens = 0;
    std::int64_t total_tokens = 0;
    std::optional<response_input_tokens_details> input_tokens_details{};
    std::optional<response_output_tokens_details> output_tokens_details{};
};

struct response {
    std::string id{};
    std::string object = "response";
    std::int64_t created_at = 0;
    response_status status = response_status::in_progress;
    std::optional<bool> background{};
    /// Set once completed.
    std::optional<std::int64_t> completed_at{};
    /// Set when failed.
    std::optional<response_error> error{};
    /// Set when incomplete.
    std::optional<imagine::incomplete_details> incomplete_details{};
    /// A string, or the input items of a prompt template.
    std::optional<json::value> instructions{};
    std::string model{};
    std::vector<output_item> output{};
    std::optional<std::string> previous_response_id{};
    std::optional<std::int64_t> max_output_tokens{};
    std::optional<bool> store{};
    std::optional<bool> parallel_tool_calls{};
    std::optional<double> temperature{};
    std::optional<double> top_p{};
    std::optional<std::vector<response_tool>> tools{};
    std::optional<imagine::tool_choice> tool_choice{};
    std::optional<std::map<std::string, std::string>> metadata{};
    std::optional<std::string> service_tier{};
    std::optional<std::string> user{};
    /// Absent until the response is finished.
    std::optional<response_usage> usage{};
    /// Not in the body: the x-request-id header of the answer that carried it.
    std::optional<std::string> request_id{};

    /// The image calls of the output, in order (completed or not; a completed one has
    /// its base64 in `result`).
    std::vector<const image_generation_call*> images() const
    {
        std::vector<const image_generation_call*> out;
        for (const auto& item : output)
            if (const auto* call = std::get_if<image_generation_call>(&item))
                out.push_back(call);
        return out;
    }

    /// The text of every output_text part of every message, joined (what the SDKs call
    /// output_text).
    std::string output_text() const
    {
        std::string out;
        for (const auto& item : output)
            if (const auto* message = std::get_if<output_message>(&item))
                for (const auto& part : message->content)
                    if (const auto* text = std::get_if<output_text_part>(&part))
                        out += text->text;
        return out;
    }
};

/// DELETE /responses/{id}.
struct response_deleted {
    std::string id{};
    std::string object{};
    bool deleted = false;
};

/// GET /responses/{id}/input_items [ResponseItemList].
struct response_item_list {
    std::string object = "list";
    std::vector<input_item> data{};
    std::optional<std::string> first_id{};
    std::optional<std::string> last_id{};
    bool has_more = false;
};

} // namespace imagine

template <>
struct imagine::json::meta<imagine::image_generation_call> {
    static constexpr std::string_view tag = "image_generation_call";
};
template <>
struct imagine::json::meta<imagine::output_text_part> {
    static constexpr std::string_view tag = "output_text";
};
template <>
struct imagine::json::meta<imagine::refusal_part> {
    static constexpr std::string_view tag = "refusal";
};
template <>
struct imagine::json::meta<imagine::output_message> {
    static constexpr std::string_view tag = "message";
};
// ---- end imagine/api/types/response.hpp ----

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace imagine {

struct wait_options {
    /// Between two polls when the server does not say (`openai-poll-after-ms` wins).
    std::chrono::milliseconds poll_interval{std::chrono::seconds(1)};
    /// A server's poll-after above this is capped, so that a bad header cannot stall.
    std::chrono::milliseconds max_poll_interval{std::chrono::seconds(30)};
    /// The whole wait; then error::wait_timeout. High-quality images can take minutes.
    std::chrono::milliseconds timeout{std::chrono::minutes(20)};
    /// When the wait is cancelled or times out, also cancel the job on the server
    /// (POST /responses/{id}/cancel) before completing.
    bool cancel_on_stop = false;
    /// Called after each poll that found the response unfinished, with the delay before
    /// the next one: a status line, a log.
    std::function<void(const response&, std::chrono::milliseconds next_poll)> on_poll{};
};

struct resume_options {
    /// Reconnections of one stream; then (or when the server refuses to resume, or a
    /// resumed stream brings nothing new) the stream falls back to polling.
    unsigned max_resumes = 5;
    /// Before each reconnection.
    std::chrono::milliseconds resume_delay{std::chrono::milliseconds(250)};
    /// The polling fallback.
    wait_options fallback{};
    /// Headers, timeouts and retries of the reconnections and polls; absent: those of
    /// the call that opened the stream.
    std::optional<request_options> request{};
};

/// GET /responses/{id}/input_items.
struct input_items_query {
    /// 1–100; the server's default is 20.
    std::optional<int> limit{};
    /// The server's default is desc.
    std::optional<list_order> order{};
    /// An item id: list the items after it (the last_id of the previous page).
    std::optional<std::string> after{};
    std::vector<std::string> include{};
};

} // namespace imagine
// ---- end imagine/api/response_options.hpp ----
// ---- begin imagine/api/response_stream.hpp ----

// The typed events of a streamed response (see types/response_events.hpp):
//
//   auto s = co_await ai.responses.create_stream(req);
//   while (auto ev = co_await s.next()) {
//       if (auto* p = std::get_if<imagine::image_call_partial_event>(&*ev)) ...
//   }
//
// The stream ends normally only after a terminal lifecycle event (response.completed,
// .failed, .incomplete); one that stops before is error::incomplete_stream. For
// background responses, responses.create_resumable / resume continue a broken stream.


// ---- begin imagine/api/types/response_events.hpp ----

// The events of a streamed response (`stream: true`, or GET /responses/{id}?stream=true),
// each with its sequence_number:
//   response.created / queued / in_progress / completed / failed / incomplete
//       -> response_lifecycle_event (the whole Response as it stands)
//   response.output_item.added / done -> output_item_event (on done, an image call has
//       its result)
//   response.image_generation_call.in_progress / generating / completed
//       -> image_call_progress_event
//   response.image_generation_call.partial_image -> image_call_partial_event
//   anything else (text deltas, content parts, types added later) -> response_unknown_event
// `error` events end the stream with an api_error; keepalives are skipped.


#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace imagine {

struct response_lifecycle_event {
    std::string type{};
    std::int64_t sequence_number = 0;
    imagine::response response{};
    /// Not on the wire: true when a resumable stream could not resume and made this final
    /// event from a polled response (its sequence_number is then the last one seen).
    std::optional<bool> from_polling{};

    bool is_terminal() const noexcept { return imagine::is_terminal(response.status); }
};

struct output_item_event {
    std::string type{};
    std::int64_t sequence_number = 0;
    int output_index = 0;
    output_item item{};
};

struct image_call_progress_event {
    std::string type{};
    std::int64_t sequence_number = 0;
    int output_index = 0;
    std::string item_id{};
};

struct image_call_partial_event {
    std::string type{};
    std::int64_t sequence_number = 0;
    int output_index = 0;
    std::string item_id{};
    /// 0-based.
    int partial_image_index = 0;
    /// Base64 of a coarser rendition; see save_image.
    std::string partial_image_b64{};
    std::optional<std::string> size{};
    std::optional<imagine::quality> quality{};
    std::optional<imagine::background> background{};
    std::optional<imagine::output_format> output_format{};
};

/// An event this library does not type, kept whole.
struct response_unknown_event {
    std::string type{};
    std::int64_t sequence_number = 0;
    json::value data{};
};

using response_stream_event =
    std::variant<response_lifecycle_event, output_item_event, image_call_progress_event,
                 image_call_partial_event, response_unknown_event>;

/// The sequence_number of any event.
inline std::int64_t sequence_number_of(const response_stream_event& ev) noexcept
{
    return std::visit([](const auto& e) { return e.sequence_number; }, ev);
}

} // namespace imagine
// ---- end imagine/api/types/response_events.hpp ----

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace imagine {

namespace detail {
/// The sequence number of an event this library does not type.
struct sequence_probe {
    std::int64_t sequence_number = 0;
};

inline bool is_lifecycle_event(std::string_view type) noexcept
{
    constexpr std::string_view names[] = {
        "response.created", "response.queued",     "response.in_progress", "response.completed",
        "response.failed",  "response.incomplete", "response.cancelled"};
    for (std::string_view n : names)
        if (type == n)
            return true;
    return false;
}
} // namespace detail

struct response_stream_policy {
    using event_type = response_stream_event;

    /// The highest sequence_number seen; -1 before the first event.
    std::int64_t last_sequence_number = -1;
    /// From the first lifecycle event; what a resume needs.
    std::string response_id{};
    /// A terminal lifecycle event has arrived.
    bool finished = false;

    std::optional<response_stream_event> on_event(const http::sse_event& ev,
                                                  const std::string& request_id)
    {
        const std::string type = detail::event_type_of(ev);
        if (type == "keepalive")
            return std::nullopt;
        response_stream_event out = read(ev, type, request_id);
        std::visit([&](auto& e) { e.type = type; }, out);
        if (const auto* life = std::get_if<response_lifecycle_event>(&out)) {
            if (!life->response.id.empty())
                response_id = life->response.id;
            finished = finished || life->is_terminal();
        }
        last_sequence_number = std::max(last_sequence_number, sequence_number_of(out));
        return out;
    }

    void on_end(const std::string& request_id) const
    {
        if (!finished)
            throw std::system_error(
                make_error_code(error::incomplete_stream),
                "imagine: the response stream ended before the response finished (last sequence "
                "number " +
                    std::to_string(last_sequence_number) + ", request id " + request_id + ")");
    }

private:
    static response_stream_event read(const http::sse_event& ev, const std::string& type,
                                      const std::string& request_id)
    {
        constexpr std::string_view image_call = "response.image_generation_call.";
        if (detail::is_lifecycle_event(type))
            return detail::read_event<response_lifecycle_event>(ev, type, request_id);
        if (type == "response.output_item.added" || type == "response.output_item.done")
            return detail::read_event<output_item_event>(ev, type, request_id);
        if (type == "response.image_generation_call.partial_image")
            return detail::read_event<image_call_partial_event>(ev, type, request_id);
        if (type.starts_with(image_call))
            return detail::read_event<image_call_progress_event>(ev, type, request_id);
        response_unknown_event unknown;
        if (json::read(ev.data, unknown.data))
            unknown.data = json::value(ev.data);
        detail::sequence_probe probe;
        if (!json::read(ev.data, probe))
            unknown.sequence_number = probe.sequence_number;
        return unknown;
    }
};

using response_stream = event_stream<response_stream_policy>;

} // namespace imagine
// ---- end imagine/api/response_stream.hpp ----

#include <asio/awaitable.hpp>
#include <asio/error.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace imagine::detail {

/// Builds "?a=1&b=2" from the pairs added.
class query_string {
public:
    void add(std::string_view name, std::string_view value)
    {
        text_.push_back(text_.empty() ? '?' : '&');
        text_ += http::detail::percent_encode(name);
        text_.push_back('=');
        text_ += http::detail::percent_encode(value);
    }
    const std::string& str() const noexcept { return text_; }

private:
    std::string text_{};
};

/// "/responses/{id}" plus `suffix`; the id is checked, never escaped.
inline std::string response_path(std::string_view id, std::string_view suffix = {})
{
    check_id(id, "response_id");
    std::string path = "/responses/";
    path += id;
    path += suffix;
    return path;
}

inline call_spec idempotent_call(std::string method, std::string path)
{
    call_spec spec;
    spec.method = std::move(method);
    spec.path = std::move(path);
    spec.idempotent = true;
    return spec;
}

/// The `openai-poll-after-ms` header, when it is a plain number.
inline std::optional<std::chrono::milliseconds> poll_after(const http::response& r)
{
    const std::string_view text = r.headers.value_or("openai-poll-after-ms", "");
    std::int64_t ms = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || ms < 0)
        return std::nullopt;
    return std::chrono::milliseconds(ms);
}

struct polled_response {
    imagine::response response{};
    std::optional<std::chrono::milliseconds> poll_after{};
};

inline asio::awaitable<polled_response> fetch_response(api_core& core, std::string id,
                                                       request_options per)
{
    auto answer = co_await core.call(idempotent_call("GET", response_path(id)), std::move(per));
    polled_response out;
    out.poll_after = poll_after(answer);
    out.response = read_json_body<imagine::response>(answer, "response");
    co_return out;
}

/// GET /responses/{id}?stream=true[&starting_after=N]: the events of a background
/// response after sequence number N, then its live events.
inline asio::awaitable<response_stream> open_response_stream(api_core& core, std::string id,
                                                             std::optional<std::int64_t> after,
                                                             request_options per)
{
    query_string query;
    query.add("stream", "true");
    if (after)
        query.add("starting_after", std::to_string(*after));
    call_spec spec = idempotent_call("GET", response_path(id) + query.str());
    auto body = co_await core.open(std::move(spec), std::move(per));
    co_return response_stream(std::move(body), response_stream_policy{});
}

inline asio::awaitable<imagine::response> cancel_response(api_core& core, std::string id,
                                                          request_options per)
{
    // A repeated cancel returns the final object: safe to retry.
    auto answer =
        co_await core.call(idempotent_call("POST", response_path(id, "/cancel")), std::move(per));
    co_return read_json_body<imagine::response>(answer, "cancelled response");
}

/// The answer of DELETE /responses/{id}. The spec gives the 200 no body schema (NODE
/// ignores it): the status is the answer, and a body, when it is the deletion object,
/// adds nothing but its own id.
inline response_deleted read_deleted(const http::response& answer, const std::string& id)
{
    response_deleted out;
    if (json::read(answer.body, out) || out.id.empty())
        out = response_deleted{id, "response.deleted", true};
    return out;
}

inline bool is_aborted(std::exception_ptr ep) noexcept
{
    return error_code_of(ep) == asio::error::operation_aborted;
}

/// Cancels the server job after the wait stopped. The caller must have cleared its
/// cancellation state first (co_await of a nested awaitable throws while it is set).
/// The cancel gets a short budget of its own, and its own failure is not reported (the
/// wait's reason for stopping is).
inline asio::awaitable<void> cancel_after_stop(api_core& core, const std::string& id,
                                               request_options per)
{
    http::timeout_options budget = per.timeouts.value_or(http::timeout_options{});
    budget.total = std::min(budget.total, std::chrono::milliseconds(std::chrono::seconds(15)));
    per.timeouts = budget;
    try {
        co_await cancel_response(core, id, std::move(per));
    } catch (const std::exception&) {
    }
}

/// Polls GET /responses/{id} while it is queued or in progress.
inline asio::awaitable<imagine::response>
wait_for_response(api_core& core, std::string id, wait_options options, request_options per)
{
    check_id(id, "response_id");
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + options.timeout;
    std::exception_ptr stopped;
    try {
        for (;;) {
            polled_response polled = co_await fetch_response(core, id, per);
            if (is_terminal(polled.response.status))
                co_return std::move(polled.response);
            auto delay = std::min(polled.poll_after.value_or(options.poll_interval),
                                  options.max_poll_interval);
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
            if (left <= std::chrono::milliseconds::zero())
                throw std::system_error(
                    make_error_code(error::wait_timeout),
                    "imagine: response " + id + " was still " +
                        std::string(json::enum_to_string(polled.response.status)) + " after " +
                        std::to_string(options.timeout.count()) + " ms");
            delay = std::min(delay, left);
            if (options.on_poll)
                options.on_poll(polled.response, delay);
            co_await sleep_for(delay);
        }
    } catch (...) {
        stopped = std::current_exception();
    }
    const bool stop = is_aborted(stopped) || error_code_of(stopped) == error::wait_timeout;
    if (options.cancel_on_stop && stop) {
        co_await asio::this_coro::reset_cancellation_state();
        co_await cancel_after_stop(core, id, per);
    }
    std::rethrow_exception(stopped);
}

} // namespace imagine::detail
// ---- end imagine/api/detail/response_calls.hpp ----
// ---- begin imagine/api/resumable_stream.hpp ----

// The event stream of a background response that survives broken connections:
//
//   auto s = co_await ai.responses.create_resumable(req);   // background + stream
//   while (auto ev = co_await s.next()) { ... }
//
// When the connection drops (or the stream stops before a terminal event), it
// reconnects with GET /responses/{id}?stream=true&starting_after=<last sequence number
// seen> and goes on; events already delivered are dropped by sequence number, so none is
// lost or repeated. When the server refuses to resume (the stream expired, a 4xx), a
// resumed stream brings nothing new, or resume_options::max_resumes is used up, it polls
// the response (responses.wait) and ends with one lifecycle event made from the polled
// response, marked `from_polling`.



#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/use_awaitable.hpp>

#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

namespace imagine {

namespace detail {
/// Whether a broken stream may be resumed: the connection failed or the stream stopped
/// early. Not: the caller cancelled, the server sent an error event, or its data was bad.
inline bool resumable_failure(const std::error_code& ec) noexcept
{
    if (ec == asio::error::operation_aborted)
        return false;
    if (ec.category() == imagine::error_category())
        return ec == error::incomplete_stream;
    return true;
}

/// A server's refusal to stream a stored response again: poll it instead.
inline bool resume_refused(const std::error_code& ec) noexcept
{
    return ec == error::bad_request || ec == error::not_found || ec == error::conflict ||
           ec == error::unprocessable_entity || ec == error::http_status;
}
} // namespace detail

class resumable_response_stream {
public:
    using executor_type = asio::any_io_executor;
    using event_type = response_stream_event;

    resumable_response_stream() = default;

    /// `first` is the stream as opened (a create, or a GET from `after`).
    resumable_response_stream(detail::api_core& core, response_stream first, std::string id,
                              std::int64_t after, resume_options options, request_options per)
        : state_(std::make_shared<state>(core, std::move(first), std::move(id), after,
                                         std::move(options), std::move(per))),
          executor_(core.get_executor())
    {
    }

    /// Known from the first lifecycle event (or given to resume()).
    const std::string& response_id() const noexcept { return state_->id; }
    /// The last sequence number delivered; -1 before the first event.
    std::int64_t last_sequence_number() const noexcept { return state_->last; }
    /// Reconnections so far.
    unsigned resumes() const noexcept { return state_->resumes; }
    /// Whether the end came from polling rather than from the stream.
    bool fell_back_to_polling() const noexcept { return state_->polled; }

    /// The next event; std::nullopt after the terminal one.
    ///
    /// @par Completion signature
    /// void(std::exception_ptr, std::optional<response_stream_event>)
    template <class Token = imagine::detail::default_token_t<executor_type>>
    auto next(Token&& token = {})
    {
        return detail::launch_api<std::optional<event_type>>(executor_, std::forward<Token>(token),
                                                             [s = state_] { return run_next(s); });
    }

    void close()
    {
        if (state_) {
            state_->done = true;
            state_->current.close();
        }
    }

private:
    struct state {
        state(detail::api_core& c, response_stream first, std::string response_id,
              std::int64_t after, resume_options o, request_options p)
            : core(&c), current(std::move(first)), id(std::move(response_id)), last(after),
              options(std::move(o)), per(options.request.value_or(std::move(p)))
        {
        }
        detail::api_core* core;
        response_stream current;
        std::string id;
        std::int64_t last;
        resume_options options;
        /// Of the reconnections and polls.
        request_options per;
        unsigned resumes = 0;
        /// Events delivered since the last (re)connection.
        unsigned fresh = 0;
        bool done = false;
        bool polled = false;
    };

    static asio::awaitable<std::optional<event_type>> run_next(std::shared_ptr<state> s)
    {
        if (!s)
            throw std::system_error(make_error_code(error::incomplete_stream),
                                    "imagine: empty resumable_response_stream");
        while (!s->done) {
            std::exception_ptr broke;
            try {
                std::optional<event_type> ev = co_await s->current.next(asio::use_awaitable);
                if (!ev) {
                    s->done = true;
                    co_return std::nullopt;
                }
                const std::int64_t seq = sequence_number_of(*ev);
                if (seq <= s->last)
                    continue; // already delivered before the reconnection
                s->last = seq;
                ++s->fresh;
                if (const std::string& id = s->current.policy().response_id; !id.empty())
                    s->id = id;
                co_return ev;
            } catch (...) {
                broke = std::current_exception();
            }
            const std::error_code ec = error_code_of(broke);
            if (s->id.empty() || !detail::resumable_failure(ec))
                std::rethrow_exception(broke);
            if (auto final_event = co_await reconnect(*s))
                co_return final_event;
        }
        co_return std::nullopt;
    }

    // Opens the stream again after the last event seen; returns the polled final event
    // when resuming is refused or no longer worth it.
    static asio::awaitable<std::optional<event_type>> reconnect(state& s)
    {
        const bool stalled = s.fresh == 0 && s.resumes > 0;
        if (!stalled && s.resumes < s.options.max_resumes) {
            ++s.resumes;
            s.fresh = 0;
            co_await detail::sleep_for(s.options.resume_delay);
            std::exception_ptr refused;
            try {
                s.current = co_await detail::open_response_stream(*s.core, s.id, s.last, s.per);
                co_return std::nullopt;
            } catch (...) {
                refused = std::current_exception();
            }
            const std::error_code ec = error_code_of(refused);
            if (!detail::resume_refused(ec) && !detail::resumable_failure(ec))
                std::rethrow_exception(refused);
        }
        response r = co_await detail::wait_for_response(*s.core, s.id, s.options.fallback, s.per);
        s.done = true;
        s.polled = true;
        response_lifecycle_event final_event;
        final_event.type = "response." + std::string(json::enum_to_string(r.status));
        final_event.sequence_number = s.last;
        final_event.response = std::move(r);
        final_event.from_polling = true;
        co_return event_type(std::move(final_event));
    }

    std::shared_ptr<state> state_{};
    executor_type executor_{};
};

} // namespace imagine
// ---- end imagine/api/resumable_stream.hpp ----

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace imagine {

class responses_service {
public:
    using executor_type = asio::any_io_executor;
    using default_token = imagine::detail::default_token_t<executor_type>;

    explicit responses_service(detail::api_core& core) : core_(&core) {}

    executor_type get_executor() const noexcept { return core_->get_executor(); }

    /// POST /responses. Completes with void(std::exception_ptr, response): the finished
    /// response, or with background: true the queued one (see wait).
    template <class Token = default_token>
    auto create(response_create_request req, request_options options = {}, Token&& token = {})
    {
        return launch<response>(
            std::forward<Token>(token),
            [this, req = std::move(req), options = std::move(options)]() mutable {
                return run_create(std::move(req), std::move(options));
            });
    }

    /// POST /responses with stream: true. Completes once the head has arrived, with a
    /// response_stream of typed events.
    template <class Token = default_token>
    auto create_stream(response_create_request req, request_options options = {},
                       Token&& token = {})
    {
        return launch<response_stream>(
            std::forward<Token>(token),
            [this, req = std::move(req), options = std::move(options)]() mutable {
                return run_create_stream(std::move(req), std::move(options));
            });
    }

    /// A background response streamed so that a dropped connection is resumed (see
    /// resumable_stream.hpp). Sets background and stream; store must not be false.
    template <class Token = default_token>
    auto create_resumable(response_create_request req, resume_options resume = {},
                          request_options options = {}, Token&& token = {})
    {
        return launch<resumable_response_stream>(
            std::forward<Token>(token), [this, req = std::move(req), resume = std::move(resume),
                                         options = std::move(options)]() mutable {
                return run_create_resumable(std::move(req), std::move(resume), std::move(options));
            });
    }

    /// The events of a stored background response after `starting_after` (all when
    /// absent), resumed as create_resumable's are.
    template <class Token = default_token>
    auto resume(std::string id, std::optional<std::int64_t> starting_after = {},
                resume_options resume = {}, request_options options = {}, Token&& token = {})
    {
        return launch<resumable_response_stream>(
            std::forward<Token>(token),
            [this, id = std::move(id), starting_after, resume = std::move(resume),
             options = std::move(options)]() mutable {
                return run_resume(std::move(id), starting_after, std::move(resume),
                                  std::move(options));
            });
    }

    /// GET /responses/{id}: the response as it stands.
    template <class Token = default_token>
    auto retrieve(std::string id, request_options options = {}, Token&& token = {})
    {
        return launch<response>(std::forward<Token>(token),
                                [this, id = std::move(id), options = std::move(options)]() mutable {
                                    return run_retrieve(std::move(id), std::move(options));
                                });
    }

    /// GET /responses/{id}?stream=true&starting_after=N: a plain (not resumed) stream.
    template <class Token = default_token>
    auto retrieve_stream(std::string id, std::optional<std::int64_t> starting_after = {},
                         request_options options = {}, Token&& token = {})
    {
        return launch<response_stream>(
            std::forward<Token>(token),
            [this, id = std::move(id), starting_after, options = std::move(options)]() mutable {
                return detail::open_response_stream(*core_, std::move(id), starting_after,
                                                    std::move(options));
            });
    }

    /// POST /responses/{id}/cancel: background responses only; a finished one comes
    /// back unchanged.
    template <class Token = default_token>
    auto cancel(std::string id, request_options options = {}, Token&& token = {})
    {
        return launch<response>(std::forward<Token>(token),
                                [this, id = std::move(id), options = std::move(options)]() mutable {
                                    return detail::cancel_response(*core_, std::move(id),
                                                                   std::move(options));
                                });
    }

    /// DELETE /responses/{id}.
    template <class Token = default_token>
    auto remove(std::string id, request_options options = {}, Token&& token = {})
    {
        return launch<response_deleted>(
            std::forward<Token>(token),
            [this, id = std::move(id), options = std::move(options)]() mutable {
                return run_remove(std::move(id), std::move(options));
            });
    }

    /// GET /responses/{id}/input_items: one page; pass its last_id as `after` for the next.
    template <class Token = default_token>
    auto input_items(std::string id, input_items_query query = {}, request_options options = {},
                     Token&& token = {})
    {
        return launch<response_item_list>(
            std::forward<Token>(token), [this, id = std::move(id), query = std::move(query),
                                         options = std::move(options)]() mutable {
                return run_input_items(std::move(id), std::move(query), std::move(options));
            });
    }

    /// Polls GET /responses/{id} while it is queued or in progress and completes with
    /// the terminal response. The interval is the server's `openai-poll-after-ms`, else
    /// wait_options::poll_interval; after wait_options::timeout, error::wait_timeout.
    /// Cancelling the operation stops polling (operation_aborted), and with
    /// cancel_on_stop also cancels the job on the server.
    template <class Token = default_token>
    auto wait(std::string id, wait_options wait = {}, request_options options = {},
              Token&& token = {})
    {
        return launch<response>(std::forward<Token>(token),
                                [this, id = std::move(id), wait = std::move(wait),
                                 options = std::move(options)]() mutable {
                                    return detail::wait_for_response(
                                        *core_, std::move(id), std::move(wait), std::move(options));
                                });
    }

private:
    template <class Result, class Token, class Factory>
    auto launch(Token&& token, Factory&& factory)
    {
        return detail::launch_api<Result>(core_->get_executor(), std::forward<Token>(token),
                                          std::forward<Factory>(factory));
    }

    // The request as the operation sends it: `stream` set by the operation, checked.
    detail::call_spec prepare(response_create_request& req, bool streamed,
                              const request_options& options) const
    {
        if (req.stream && *req.stream != streamed)
            throw request_error("stream", streamed ? "is false, but this operation streams"
                                                   : "is true; use create_stream for events");
        if (streamed)
            req.stream = true;
        if (core_->validating(options))
            detail::check_create(req);
        return detail::json_call("/responses", json::write(req));
    }

    asio::awaitable<response> run_create(response_create_request req, request_options options)
    {
        auto spec = prepare(req, false, options);
        auto answer = co_await core_->call(std::move(spec), std::move(options));
        co_return detail::read_json_body<response>(answer, "response");
    }

    asio::awaitable<response_stream> run_create_stream(response_create_request req,
                                                       request_options options)
    {
        auto spec = prepare(req, true, options);
        auto body = co_await core_->open(std::move(spec), std::move(options));
        co_return response_stream(std::move(body), response_stream_policy{});
    }

    asio::awaitable<resumable_response_stream> run_create_resumable(response_create_request req,
                                                                    resume_options resume,
                                                                    request_options options)
    {
        if (req.background == false)
            throw request_error("background", "is false, but only background responses resume");
        req.background = true;
        auto spec = prepare(req, true, options);
        auto body = co_await core_->open(std::move(spec), options);
        co_return resumable_response_stream(
            *core_, response_stream(std::move(body), response_stream_policy{}), {}, -1,
            std::move(resume), std::move(options));
    }

    // The operations' coroutines take their arguments by value: a lambda's captures
    // would die with the lambda, before the coroutine runs.
    asio::awaitable<resumable_response_stream> run_resume(std::string id,
                                                          std::optional<std::int64_t> after,
                                                          resume_options resume,
                                                          request_options options)
    {
        auto first = co_await detail::open_response_stream(*core_, id, after, options);
        co_return resumable_response_stream(*core_, std::move(first), std::move(id),
                                            after.value_or(-1), std::move(resume),
                                            std::move(options));
    }

    asio::awaitable<response> run_retrieve(std::string id, request_options options)
    {
        auto polled = co_await detail::fetch_response(*core_, std::move(id), std::move(options));
        co_return std::move(polled.response);
    }

    asio::awaitable<response_deleted> run_remove(std::string id, request_options options)
    {
        detail::call_spec spec;
        spec.method = "DELETE";
        spec.path = detail::response_path(id);
        auto answer = co_await core_->call(std::move(spec), std::move(options));
        co_return detail::read_deleted(answer, id);
    }

    asio::awaitable<response_item_list> run_input_items(std::string id, input_items_query query,
                                                        request_options options)
    {
        auto spec = detail::idempotent_call("GET", detail::response_path(id, "/input_items") +
                                                       items_query(query));
        auto answer = co_await core_->call(std::move(spec), std::move(options));
        co_return detail::read_json_body<response_item_list>(answer, "input items");
    }

    static std::string items_query(const input_items_query& q)
    {
        if (q.limit && (*q.limit < 1 || *q.limit > 100))
            throw request_error("limit",
                                "must be between 1 and 100, got " + std::to_string(*q.limit));
        if (q.after)
            detail::check_id(*q.after, "after");
        detail::query_string query;
        if (q.limit)
            query.add("limit", std::to_string(*q.limit));
        if (q.order == list_order::unknown)
            throw request_error("order", "must be asc or desc");
        if (q.order)
            query.add("order", json::enum_to_string(*q.order));
        if (q.after)
            query.add("after", *q.after);
        for (const auto& value : q.include)
            query.add("include[]", value);
        return query.str();
    }

    detail::api_core* core_;
};

} // namespace imagine
// ---- end imagine/api/responses.hpp ----

#include <asio/any_io_executor.hpp>

#include <utility>

namespace imagine {

class client {
public:
    using executor_type = asio::any_io_executor;

    /// Throws std::system_error for options that cannot work (error::invalid_configuration,
    /// or a TLS / proxy error of the transport). A missing API key is reported by the
    /// first call instead, so that a client can be built before the key is known to exist.
    explicit client(executor_type executor, client_options options = {})
        : core_(executor, std::move(options)), images(core_), responses(core_), files(core_)
    {
    }

    client(const client&) = delete;
    client& operator=(const client&) = delete;

    executor_type get_executor() const noexcept { return core_.get_executor(); }
    const client_options& options() const noexcept { return core_.options(); }
    /// The transport, for its pool statistics and the like.
    http::client& transport() noexcept { return core_.http(); }

private:
    detail::api_core core_;

public:
    images_service images;
    responses_service responses;
    files_service files;
};

} // namespace imagine
// ---- end imagine/api/client.hpp ----
// ---- begin imagine/api/image_session.hpp ----

// A refinement session: conversational image work on the Responses API, where each
// step builds on the last (the ImageEditor of OpenAI's image guide).
//
//   imagine::image_session editor(ai.responses, {.save_directory = "out"});
//   auto first = co_await editor.generate("a lighthouse at dawn");
//   auto night = co_await editor.refine("make it nighttime");     // previous_response_id
//   auto rain  = co_await editor.refine("add rain");
//   auto alt   = co_await editor.refine_from(first.image()->id, "in watercolour");
//
// refine() continues the chain with previous_response_id (the server keeps the
// context); refine_from() starts a branch from any earlier image by referencing its
// image_generation_call. Steps run one at a time; the session is not thread-safe.



#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/use_awaitable.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace imagine {

struct image_session_options {
    /// The mainline model that calls the image tool.
    std::string model = models::gpt_5_1;
    /// The image tool of every step (size, quality, format, ...).
    image_generation_tool tool{};
    std::optional<std::string> instructions{};
    /// Each step's images are saved here as step-<n>-<call id>.<ext> when not empty.
    std::filesystem::path save_directory{};
    save_options save{};
    /// Make every step call the image tool (tool_choice {"type":"image_generation"}).
    bool force_image = true;
    request_options request{};
};

struct session_step {
    /// 1 for the first step of the session.
    unsigned number = 0;
    imagine::response response{};
    /// The files written, when save_directory is set.
    std::vector<saved_image> saved{};

    /// The first image of the step; nullptr when the model made none.
    const image_generation_call* image() const
    {
        const auto all = response.images();
        return all.empty() ? nullptr : all.front();
    }
};

class image_session {
public:
    using executor_type = asio::any_io_executor;
    using default_token = imagine::detail::default_token_t<executor_type>;

    /// The session must outlive its steps.
    explicit image_session(responses_service& responses, image_session_options options = {})
        : responses_(&responses), options_(std::move(options))
    {
    }

    /// Starts a new chain. Completes with void(std::exception_ptr, session_step).
    template <class Token = default_token>
    auto generate(std::string prompt, Token&& token = {})
    {
        return start(std::forward<Token>(token), [this, prompt = std::move(prompt)] {
            auto req = base();
            req.input = prompt;
            return step(std::move(req));
        });
    }

    /// Continues from the last step (previous_response_id).
    template <class Token = default_token>
    auto refine(std::string instruction, Token&& token = {})
    {
        return start(std::forward<Token>(token), [this, instruction = std::move(instruction)] {
            return refine_step(std::move(instruction));
        });
    }

    /// Edits the image of an earlier image_generation_call (any step's, by its id).
    template <class Token = default_token>
    auto refine_from(std::string call_id, std::string instruction, Token&& token = {})
    {
        return start(std::forward<Token>(token),
                     [this, call_id = std::move(call_id), instruction = std::move(instruction)] {
                         auto req = base();
                         std::vector<input_item> items;
                         items.emplace_back(image_generation_call_reference{call_id});
                         items.emplace_back(user_message(instruction));
                         req.input = std::move(items);
                         return step(std::move(req));
                     });
    }

    /// The id of the last completed step's response; empty before the first.
    const std::string& last_response_id() const noexcept { return last_response_id_; }
    /// Steps completed so far.
    unsigned steps() const noexcept { return steps_; }

private:
    template <class Token, class Factory>
    auto start(Token&& token, Factory&& factory)
    {
        return detail::launch_api<session_step>(
            responses_->get_executor(), std::forward<Token>(token), std::forward<Factory>(factory));
    }

    response_create_request base() const
    {
        response_create_request req;
        req.model = options_.model;
        req.instructions = options_.instructions;
        req.tools = std::vector<response_tool>{options_.tool};
        if (options_.force_image)
            req.tool_choice = force_image_generation{};
        return req;
    }

    // A coroutine, so that the refusal reaches the completion handler; by value, as a
    // lambda's captures would die before it runs.
    asio::awaitable<session_step> refine_step(std::string instruction)
    {
        if (last_response_id_.empty())
            throw request_error("previous_response_id",
                                "refine() needs an earlier step: call generate() first");
        auto req = base();
        req.input = std::move(instruction);
        req.previous_response_id = last_response_id_;
        co_return co_await step(std::move(req));
    }

    asio::awaitable<session_step> step(response_create_request req)
    {
        session_step out;
        out.response =
            co_await responses_->create(std::move(req), options_.request, asio::use_awaitable);
        out.number = ++steps_;
        // A failed or incomplete step is returned, but the chain goes on from the last
        // good one.
        if (out.response.status == response_status::completed)
            last_response_id_ = out.response.id;
        if (!options_.save_directory.empty())
            for (const image_generation_call* call : out.response.images())
                if (call->result)
                    out.saved.push_back(save_image_base64(
                        *call->result,
                        options_.save_directory /
                            ("step-" + std::to_string(out.number) + "-" + call->id),
                        options_.save));
        co_return out;
    }

    responses_service* responses_;
    image_session_options options_;
    std::string last_response_id_{};
    unsigned steps_ = 0;
};

} // namespace imagine
// ---- end imagine/api/image_session.hpp ----
// ---- begin imagine/api/save_image.hpp ----

// Saving API results to files, atomically (see util/save_image.hpp for the rules: the
// format comes from the bytes, the extension is checked, nothing is left behind on
// failure, an existing file is replaced only when asked).
//
//   auto saved = co_await imagine::save_image(r.data.at(0), "sunset.png");
//   auto p = co_await imagine::save_image(partial_event, "partial-1.png");
//
// The base64 text is decoded in pieces straight into the file. The file is written on
// the calling thread (a few milliseconds for a 4 MB image); the completion is posted,
// never run inline. Completes with void(std::exception_ptr, saved_image); the
// std::system_error's message names the path.



#include <asio/any_io_executor.hpp>
#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/post.hpp>

#include <exception>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace imagine {
namespace detail {

inline std::string_view base64_of(const image& img, const std::filesystem::path& path)
{
    if (!img.b64_json) {
        throw std::system_error(
            std::make_error_code(std::errc::invalid_argument),
            "imagine: save_image \"" + path.string() + "\": the image has no b64_json" +
                (img.url ? " (only a URL: ask for response_format b64_json)" : ""));
    }
    return *img.b64_json;
}

inline std::string_view base64_of(const image_partial_event& e, const std::filesystem::path&)
{
    return e.b64_json;
}

inline std::string_view base64_of(const image_completed_event& e, const std::filesystem::path&)
{
    return e.b64_json;
}

inline std::string_view base64_of(const image_generation_call& call,
                                  const std::filesystem::path& path)
{
    if (!call.result)
        throw std::system_error(std::make_error_code(std::errc::invalid_argument),
                                "imagine: save_image \"" + path.string() + "\": image call " +
                                    call.id + " has no result (status " +
                                    std::string(json::enum_to_string(call.status)) + ")");
    return *call.result;
}

inline std::string_view base64_of(const image_call_partial_event& e, const std::filesystem::path&)
{
    return e.partial_image_b64;
}

} // namespace detail

/// Decodes an image (an images_response entry, a partial or a completed event, an
/// image_generation_call or its partial image event) and writes it atomically to `path`.
template <class Image, class Token = imagine::detail::default_token_t<asio::any_io_executor>>
requires requires(const Image& i, const std::filesystem::path& p)
{
    detail::base64_of(i, p);
}
auto save_image(const Image& img, std::filesystem::path path, save_options options = {},
                Token&& token = {})
{
    return asio::async_initiate<Token, void(std::exception_ptr, saved_image)>(
        [](auto handler, const Image* source, std::filesystem::path p, save_options o) {
            std::exception_ptr failure;
            saved_image saved;
            try {
                saved = save_image_base64(detail::base64_of(*source, p), p, o);
            } catch (...) {
                failure = std::current_exception();
            }
            auto executor = asio::get_associated_executor(handler);
            asio::post(executor,
                       [handler = std::move(handler), failure, saved = std::move(saved)]() mutable {
                           std::move(handler)(failure, std::move(saved));
                       });
        },
        token, &img, std::move(path), options);
}

} // namespace imagine
// ---- end imagine/api/save_image.hpp ----
// ---- end imagine/imagine.hpp ----
