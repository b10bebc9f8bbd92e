#pragma once

// Small text and hashing helpers shared by the emulator's parts: ASCII case folding,
// UTF-8 repair (our JSON writer refuses invalid UTF-8, and request bytes are not ours),
// SHA-256 in hex and a seedable 64-bit hash for deterministic images.

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace imagine_emulator {

inline char ascii_lower(char c) noexcept
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string to_lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
    return out;
}

inline bool iequals(std::string_view a, std::string_view b) noexcept
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return ascii_lower(x) == ascii_lower(y);
           });
}

inline bool istarts_with(std::string_view s, std::string_view prefix) noexcept
{
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

inline std::string_view trim(std::string_view s) noexcept
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

/// Splits on `separator`, trimming each piece; empty pieces are dropped.
inline std::vector<std::string_view> split_list(std::string_view s, char separator)
{
    std::vector<std::string_view> pieces;
    while (!s.empty()) {
        const auto at = s.find(separator);
        const auto piece = trim(s.substr(0, at));
        if (!piece.empty())
            pieces.push_back(piece);
        if (at == std::string_view::npos)
            break;
        s.remove_prefix(at + 1);
    }
    return pieces;
}

/// A whole decimal number, or nullopt (no sign, no spaces, no overflow).
template <class Int>
std::optional<Int> parse_decimal(std::string_view s) noexcept
{
    Int value{};
    const auto* end = s.data() + s.size();
    const auto [ptr, ec] = std::from_chars(s.data(), end, value);
    if (s.empty() || ec != std::errc{} || ptr != end)
        return std::nullopt;
    return value;
}

/// `s` with every invalid UTF-8 sequence replaced by U+FFFD.
inline std::string valid_utf8(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t length = c < 0x80         ? 1
                             : (c >> 5) == 6  ? 2
                             : (c >> 4) == 14 ? 3
                             : (c >> 3) == 30 ? 4
                                              : 0;
        bool ok = length != 0 && i + length <= s.size();
        for (std::size_t k = 1; ok && k < length; ++k)
            ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
        if (ok && length > 1) { // no overlong forms, surrogates or values above U+10FFFF
            std::uint32_t cp = c & (0x7F >> length);
            for (std::size_t k = 1; k < length; ++k)
                cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
            static constexpr std::uint32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
            ok = cp >= min_for_length[length] && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
        }
        if (ok) {
            out.append(s.substr(i, length));
            i += length;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

inline std::string to_hex(const unsigned char* data, std::size_t size)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 15];
    }
    return out;
}

inline std::array<unsigned char, 32> sha256(std::string_view data)
{
    std::array<unsigned char, 32> digest{};
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("EVP_Digest(sha256) failed");
    return digest;
}

inline std::string sha256_hex(std::string_view data)
{
    const auto digest = sha256(data);
    return to_hex(digest.data(), digest.size());
}

/// SplitMix64 step: a cheap, well-mixed 64-bit generator and hash finalizer.
inline std::uint64_t splitmix64(std::uint64_t& state) noexcept
{
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/// 64-bit FNV-1a over `data`, continued from `seed`, then mixed.
inline std::uint64_t hash64(std::string_view data,
                            std::uint64_t seed = 0xCBF29CE484222325ull) noexcept
{
    std::uint64_t h = seed;
    for (const char c : data)
        h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ull;
    return splitmix64(h);
}

} // namespace imagine_emulator
