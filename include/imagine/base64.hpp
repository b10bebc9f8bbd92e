#pragma once

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

#include <imagine/detail/base64_avx2.hpp>
#include <imagine/detail/base64_scalar.hpp>
#include <imagine/detail/base64_tables.hpp>
#include <imagine/detail/cpu.hpp>

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
