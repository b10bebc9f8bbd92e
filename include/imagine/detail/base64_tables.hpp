#pragma once

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
