#pragma once

// The emulator's own certificates, made at start-up with the OpenSSL 3 API: a CA and a
// leaf for 127.0.0.1 / ::1 / localhost signed by it. Clients trust the CA file (ca.pem),
// exactly as they would trust a corporate CA, so their normal verification path runs.
// EC P-256 keys: generated in microseconds.

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace imagine_emulator {

struct pem_identity {
    std::string cert{};    ///< leaf certificate PEM
    std::string key{};     ///< its private key PEM
    std::string ca_cert{}; ///< the CA certificate PEM clients trust
};

namespace certs_detail {

template <class T, void (*Free)(T*)>
struct deleter {
    void operator()(T* p) const noexcept { Free(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY, EVP_PKEY_free>>;
using x509_ptr = std::unique_ptr<X509, deleter<X509, X509_free>>;
using bio_ptr = std::unique_ptr<BIO, deleter<BIO, BIO_free_all>>;
using bn_ptr = std::unique_ptr<BIGNUM, deleter<BIGNUM, BN_free>>;
using ext_ptr = std::unique_ptr<X509_EXTENSION, deleter<X509_EXTENSION, X509_EXTENSION_free>>;

[[noreturn]] inline void fail(const std::string& what)
{
    std::string message = "certificate generation: " + what;
    while (const unsigned long code = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        message += "; ";
        message += buffer;
    }
    throw std::runtime_error(message);
}

inline std::string to_pem(X509* cert, EVP_PKEY* key)
{
    bio_ptr bio(BIO_new(BIO_s_mem()));
    const bool ok = bio && (cert ? PEM_write_bio_X509(bio.get(), cert)
                                 : PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0,
                                                            nullptr, nullptr)) == 1;
    if (!ok)
        fail("PEM output");
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

inline void add_extension(X509* cert, X509V3_CTX* context, int nid, const char* value)
{
    ext_ptr extension(X509V3_EXT_conf_nid(nullptr, context, nid, value));
    if (!extension || X509_add_ext(cert, extension.get(), -1) != 1)
        fail(std::string("extension ") + OBJ_nid2sn(nid));
}

// One certificate for `key`, signed by `issuer_key` (self-signed when issuer is null).
inline x509_ptr make_cert(const char* common_name, bool authority, EVP_PKEY* key, X509* issuer,
                          EVP_PKEY* issuer_key)
{
    x509_ptr cert(X509_new());
    if (!cert)
        fail("X509_new");
    X509_set_version(cert.get(), X509_VERSION_3);
    // Random serials: two emulator runs never issue the same issuer + serial pair.
    bn_ptr serial(BN_new());
    if (!serial || BN_rand(serial.get(), 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
        !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())))
        fail("serial number");
    if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) ||
        !X509_gmtime_adj(X509_getm_notAfter(cert.get()), 30L * 24 * 3600))
        fail("validity");
    X509_NAME* name = X509_get_subject_name(cert.get());
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(common_name), -1, -1,
                                   0) != 1 ||
        X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name) != 1 ||
        X509_set_pubkey(cert.get(), key) != 1)
        fail("names / public key");

    X509V3_CTX context;
    X509V3_set_ctx(&context, issuer ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
    if (authority) {
        add_extension(cert.get(), &context, NID_basic_constraints, "critical,CA:TRUE");
        add_extension(cert.get(), &context, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        add_extension(cert.get(), &context, NID_basic_constraints, "critical,CA:FALSE");
        add_extension(cert.get(), &context, NID_key_usage,
                      "critical,digitalSignature,keyAgreement");
        add_extension(cert.get(), &context, NID_ext_key_usage, "serverAuth");
        add_extension(cert.get(), &context, NID_subject_alt_name,
                      "DNS:localhost,IP:127.0.0.1,IP:::1");
    }
    add_extension(cert.get(), &context, NID_subject_key_identifier, "hash");
    if (issuer)
        add_extension(cert.get(), &context, NID_authority_key_identifier, "keyid:always");
    if (X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) <= 0)
        fail("X509_sign");
    return cert;
}

} // namespace certs_detail

/// A fresh CA and a leaf for loopback signed by it.
inline pem_identity generate_identity()
{
    using namespace certs_detail;
    pkey_ptr ca_key(EVP_EC_gen("P-256"));
    pkey_ptr leaf_key(EVP_EC_gen("P-256"));
    if (!ca_key || !leaf_key)
        fail("EVP_EC_gen");
    auto ca = make_cert("imagine emulator CA", true, ca_key.get(), nullptr, nullptr);
    auto leaf = make_cert("localhost", false, leaf_key.get(), ca.get(), ca_key.get());
    return {to_pem(leaf.get(), nullptr), to_pem(nullptr, leaf_key.get()),
            to_pem(ca.get(), nullptr)};
}

} // namespace imagine_emulator
