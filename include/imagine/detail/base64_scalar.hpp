#pragma once

// Portable bulk base64 kernels (no SIMD). They handle only the easy case - whole blocks
// of valid, unpadded characters - and leave everything else (padding, errors, short
// tails) to the byte-at-a-time path in base64.hpp, which is slow but exact.

#include <imagine/detail/base64_tables.hpp>

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
