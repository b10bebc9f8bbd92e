#pragma once

// SHA-256 in hex, for comparing bytes that crossed the wire with the bytes sent.

#include <openssl/evp.h>

#include <string>
#include <string_view>

namespace imagine::test {

inline std::string sha256_hex(std::string_view data)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < size; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

} // namespace imagine::test
