// libFuzzer target for base64 (see json_fuzz.cpp for how it is run). Properties: the
// scalar and AVX2 decoders agree on every input (bytes, error and offset); the incremental
// decoder fed in two pieces, split where the first byte says, agrees with both; what
// decodes re-encodes to the same text.

#include <imagine/base64.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

[[noreturn]] void fail(const char* what)
{
    std::fprintf(stderr, "base64_fuzz: %s\n", what);
    std::abort();
}

bool same(const imagine::base64::decode_result& a, const imagine::base64::decode_result& b)
{
    return a.error == b.error && a.offset == b.offset && (a.error || a.written == b.written);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    namespace b64 = imagine::base64;
    if (size == 0)
        return 0;
    const std::size_t split = data[0] % size;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

    std::string scalar(b64::max_decoded_size(text.size()), '\0');
    std::string avx2(scalar.size(), '\0');
    const auto rs = b64::detail::decode_scalar(text, scalar.data());
    const auto ra = b64::detail::decode_avx2(text, avx2.data());
    if (!same(rs, ra) || (!rs.error && scalar.compare(0, rs.written, avx2, 0, ra.written) != 0))
        fail("scalar and AVX2 decoders disagree");

    b64::decoder d;
    std::string pieces;
    auto first = d.update(text.substr(0, split), pieces);
    auto result = first;
    if (!first.error)
        result = d.update(text.substr(split), pieces);
    if (!result.error)
        result = d.finish();
    if (result.error != rs.error || (rs.error && result.offset != rs.offset))
        fail("incremental decoder disagrees with one-shot decode");
    if (!rs.error) {
        if (pieces != scalar.substr(0, rs.written))
            fail("incremental decoder produced other bytes");
        if (b64::encode(std::string_view(scalar.data(), rs.written)) != text)
            fail("decoded bytes do not re-encode to the input");
    }
    return 0;
}
