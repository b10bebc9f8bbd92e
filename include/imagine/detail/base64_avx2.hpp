#pragma once

// AVX2 bulk base64 kernels (vector nibble lookups, after Muła and Lemire). Every function
// here carries IMAGINE_TARGET_AVX2, so users build with no -m flags; callers must check
// imagine::detail::cpu_has_avx2() first. Like the scalar kernels, these only take whole
// blocks of valid characters and leave the rest to the exact byte-at-a-time path.

#include <imagine/detail/base64_scalar.hpp>
#include <imagine/detail/base64_tables.hpp>
#include <imagine/detail/cpu.hpp>

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
