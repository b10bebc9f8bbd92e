#pragma once

// Test certificates made on the fly with the OpenSSL 3 C API: a CA (test_authority)
// that issues server and client certificates, and self-signed server certificates.
// Keys are EC P-256: generated in microseconds, unlike RSA. Everything comes out as
// PEM strings, the form servers (files) and SSL contexts (memory BIOs) both take.
//
//   imagine::test::test_authority ca;
//   auto server = ca.issue();                                   // localhost, 127.0.0.1
//   auto expired = ca.issue({.not_after_offset = -60});
//   auto client = ca.issue({.common_name = "imagine client", .client = true});

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace imagine::test {

struct pem_pair {
    std::string cert{}; ///< PEM certificate (the leaf first if it holds a chain)
    std::string key{};  ///< PEM private key (PKCS#8, unencrypted)
};

struct cert_options {
    std::string common_name = "localhost";
    std::vector<std::string> dns = {"localhost"};
    std::vector<std::string> ips = {"127.0.0.1"}; ///< IP SANs (v4 and v6)
    long not_before_offset = -3600;               ///< seconds relative to now
    long not_after_offset = 30L * 24 * 3600;      ///< seconds relative to now (negative: expired)
    bool client = false; ///< extendedKeyUsage clientAuth instead of serverAuth
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

/// Throws with the reason OpenSSL queued (and clears its error queue).
[[noreturn]] inline void fail(const std::string& what)
{
    std::string message = "imagine::test certs: " + what;
    while (const unsigned long code = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        message += "; ";
        message += buffer;
    }
    throw std::runtime_error(message);
}

inline pkey_ptr generate_key()
{
    pkey_ptr key(EVP_EC_gen("P-256"));
    if (!key)
        fail("EVP_EC_gen");
    return key;
}

inline bio_ptr memory_bio(const std::string& pem)
{
    bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio)
        fail("BIO_new_mem_buf");
    return bio;
}

inline std::string bio_string(BIO* bio)
{
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(size));
}

inline x509_ptr parse_cert(const std::string& pem)
{
    auto bio = memory_bio(pem);
    x509_ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert)
        fail("PEM_read_bio_X509");
    return cert;
}

inline pkey_ptr parse_key(const std::string& pem)
{
    auto bio = memory_bio(pem);
    pkey_ptr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key)
        fail("PEM_read_bio_PrivateKey");
    return key;
}

inline std::string cert_pem(X509* cert)
{
    bio_ptr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1)
        fail("PEM_write_bio_X509");
    return bio_string(bio.get());
}

inline std::string key_pem(EVP_PKEY* key)
{
    bio_ptr bio(BIO_new(BIO_s_mem()));
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        fail("PEM_write_bio_PrivateKey");
    return bio_string(bio.get());
}

// Adds one extension given in openssl.cnf syntax ("critical,CA:TRUE"); `context` knows
// the issuer and subject, which subjectKeyIdentifier / authorityKeyIdentifier need.
inline void add_extension(X509* cert, X509V3_CTX* context, int nid, const std::string& value)
{
    ext_ptr extension(X509V3_EXT_conf_nid(nullptr, context, nid, value.c_str()));
    if (!extension || X509_add_ext(cert, extension.get(), -1) != 1)
        fail("extension " + std::string(OBJ_nid2sn(nid)) + " = " + value);
}

struct cert_spec {
    std::string common_name{};
    std::vector<std::string> dns{};
    std::vector<std::string> ips{};
    long not_before_offset = 0;
    long not_after_offset = 0;
    bool authority = false;
    bool client = false;
};

// Makes and signs one certificate for `subject_key`. With no issuer it is self-signed
// (issuer name = subject name, signed with the subject's own key).
inline x509_ptr make_cert(const cert_spec& spec, EVP_PKEY* subject_key, X509* issuer,
                          EVP_PKEY* issuer_key)
{
    x509_ptr cert(X509_new());
    if (!cert)
        fail("X509_new");
    X509_set_version(cert.get(), X509_VERSION_3);

    // Random 63-bit serials: certificates from different authorities (or runs) never
    // share an issuer + serial pair by accident.
    bn_ptr serial(BN_new());
    if (!serial || BN_rand(serial.get(), 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
        !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())))
        fail("serial number");

    if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), spec.not_before_offset) ||
        !X509_gmtime_adj(X509_getm_notAfter(cert.get()), spec.not_after_offset))
        fail("validity");

    X509_NAME* name = X509_get_subject_name(cert.get());
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(spec.common_name.c_str()),
                                   -1, -1, 0) != 1)
        fail("subject name");
    if (X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name) != 1 ||
        X509_set_pubkey(cert.get(), subject_key) != 1)
        fail("issuer name / public key");

    X509V3_CTX context;
    X509V3_set_ctx(&context, issuer ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
    if (spec.authority) {
        add_extension(cert.get(), &context, NID_basic_constraints, "critical,CA:TRUE");
        add_extension(cert.get(), &context, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        add_extension(cert.get(), &context, NID_basic_constraints, "critical,CA:FALSE");
        // No keyUsage on self-signed leaves: OpenSSL only treats a certificate as
        // self-signed (usable as its own trust anchor) if keyUsage is absent or allows
        // keyCertSign.
        if (issuer)
            add_extension(cert.get(), &context, NID_key_usage,
                          "critical,digitalSignature,keyAgreement");
        add_extension(cert.get(), &context, NID_ext_key_usage,
                      spec.client ? "clientAuth" : "serverAuth");
    }
    std::string names;
    for (const auto& dns : spec.dns)
        names += (names.empty() ? "DNS:" : ",DNS:") + dns;
    for (const auto& ip : spec.ips)
        names += (names.empty() ? "IP:" : ",IP:") + ip;
    if (!names.empty())
        add_extension(cert.get(), &context, NID_subject_alt_name, names);
    add_extension(cert.get(), &context, NID_subject_key_identifier, "hash");
    if (issuer)
        add_extension(cert.get(), &context, NID_authority_key_identifier, "keyid:always");

    if (X509_sign(cert.get(), issuer_key ? issuer_key : subject_key, EVP_sha256()) <= 0)
        fail("X509_sign");
    return cert;
}

inline cert_spec leaf_spec(const cert_options& options)
{
    return {options.common_name,      options.dns, options.ips,   options.not_before_offset,
            options.not_after_offset, false,       options.client};
}

} // namespace certs_detail

/// A certificate authority: a self-signed CA certificate (CA:TRUE, keyCertSign) valid
/// from an hour ago for ten years, and its key. Copyable: it holds only PEM text.
class test_authority {
public:
    explicit test_authority(std::string name = "imagine test CA")
    {
        auto key = certs_detail::generate_key();
        auto cert = certs_detail::make_cert(
            {std::move(name), {}, {}, -3600, 10L * 365 * 24 * 3600, true, false}, key.get(),
            nullptr, nullptr);
        cert_pem_ = certs_detail::cert_pem(cert.get());
        key_pem_ = certs_detail::key_pem(key.get());
    }

    /// The CA certificate: what clients trust (ca_pem) and servers verify clients with.
    const std::string& cert_pem() const noexcept { return cert_pem_; }
    const std::string& key_pem() const noexcept { return key_pem_; }

    /// A new key and a certificate for it, signed by this authority.
    pem_pair issue(const cert_options& options = {}) const
    {
        auto ca_cert = certs_detail::parse_cert(cert_pem_);
        auto ca_key = certs_detail::parse_key(key_pem_);
        auto key = certs_detail::generate_key();
        auto cert = certs_detail::make_cert(certs_detail::leaf_spec(options), key.get(),
                                            ca_cert.get(), ca_key.get());
        return {certs_detail::cert_pem(cert.get()), certs_detail::key_pem(key.get())};
    }

private:
    std::string cert_pem_{};
    std::string key_pem_{};
};

/// A self-signed server (or client) certificate: CA:FALSE, no keyUsage, the SANs and
/// validity of `options`. Verifies only against itself as the trust anchor; against
/// any other store it fails with X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT.
inline pem_pair self_signed(const cert_options& options = {})
{
    auto key = certs_detail::generate_key();
    auto cert =
        certs_detail::make_cert(certs_detail::leaf_spec(options), key.get(), nullptr, nullptr);
    return {certs_detail::cert_pem(cert.get()), certs_detail::key_pem(key.get())};
}

} // namespace imagine::test
