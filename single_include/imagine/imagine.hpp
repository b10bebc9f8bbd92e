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
// (http/ and api/ follow.)

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
// ---- end imagine/imagine.hpp ----
