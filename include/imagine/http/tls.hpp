#pragma once

// TLS for imagine's client: a context that always verifies the peer, and the per
// connection setup (SNI, host name or IP address check) plus the translation of
// OpenSSL's verification results into error codes a caller can act on.
//
// There is deliberately no option to switch verification off. A test server is trusted
// by adding its CA (ca_file / ca_directory / ca_pem), which is what production code
// behind a corporate proxy needs too.

#include <imagine/config.hpp>

#include <imagine/http/error.hpp>
#include <imagine/http/url.hpp>

#include <asio/ssl/context.hpp>
#include <asio/ssl/error.hpp>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <memory>
#include <string>
#include <string_view>
#include <system_error>

namespace imagine::http {

/// How the client authenticates servers (and, optionally, itself).
struct tls_options {
    /// Trust the system CA store. OpenSSL's default paths, which honour the
    /// SSL_CERT_FILE and SSL_CERT_DIR environment variables.
    bool use_system_store = true;
    /// Extra trusted CAs: a PEM bundle file, a hashed directory (c_rehash), PEM text.
    std::string ca_file{};
    std::string ca_directory{};
    std::string ca_pem{};
    /// Client certificate for mutual TLS: a PEM chain and its key, as files or text.
    std::string client_certificate_file{};
    std::string client_key_file{};
    std::string client_certificate_pem{};
    std::string client_key_pem{};
};

namespace detail {

// Every certificate in `pem` into the context's trust store; an empty or unreadable
// bundle is an error (a silently empty store would make every handshake fail later
// with a misleading "unknown issuer").
inline bool add_ca_pem(SSL_CTX* ctx, std::string_view pem)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
    if (!bio)
        return false;
    std::unique_ptr<STACK_OF(X509_INFO), void (*)(STACK_OF(X509_INFO)*)> infos(
        PEM_X509_INFO_read_bio(bio.get(), nullptr, nullptr, nullptr),
        [](STACK_OF(X509_INFO) * s) { sk_X509_INFO_pop_free(s, X509_INFO_free); });
    if (!infos)
        return false;
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    int added = 0;
    for (int i = 0; i < sk_X509_INFO_num(infos.get()); ++i) {
        X509_INFO* info = sk_X509_INFO_value(infos.get(), i);
        if (info->x509 && X509_STORE_add_cert(store, info->x509) == 1)
            ++added;
    }
    ERR_clear_error();
    return added > 0;
}

} // namespace detail

/// A client context: TLS 1.2 minimum, peer verification on, the trust sources of
/// `options`. On failure `ec` is error::tls_configuration and the result is null.
inline std::shared_ptr<asio::ssl::context> make_tls_context(const tls_options& options,
                                                            std::error_code& ec)
{
    ec.clear();
    auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
    SSL_CTX* native = ctx->native_handle();
    auto fail = [&] {
        ERR_clear_error();
        ec = make_error_code(error::tls_configuration);
        return nullptr;
    };
    if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1)
        return fail();
    ctx->set_verify_mode(asio::ssl::verify_peer);
    // Compression is off in OpenSSL 3 builds already; renegotiation and session
    // tickets stay at OpenSSL's defaults.
    ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_compression);

    asio::error_code aec;
    if (options.use_system_store) {
        ctx->set_default_verify_paths(aec);
        if (aec)
            return fail();
    }
    if (!options.ca_file.empty() && ctx->load_verify_file(options.ca_file, aec))
        return fail();
    if (!options.ca_directory.empty() && ctx->add_verify_path(options.ca_directory, aec))
        return fail();
    if (!options.ca_pem.empty() && !detail::add_ca_pem(native, options.ca_pem))
        return fail();

    if (!options.client_certificate_file.empty() &&
        ctx->use_certificate_chain_file(options.client_certificate_file, aec))
        return fail();
    if (!options.client_certificate_pem.empty() &&
        ctx->use_certificate_chain(asio::buffer(options.client_certificate_pem.data(),
                                                options.client_certificate_pem.size()),
                                   aec))
        return fail();
    if (!options.client_key_file.empty() &&
        ctx->use_private_key_file(options.client_key_file, asio::ssl::context::pem, aec))
        return fail();
    if (!options.client_key_pem.empty() &&
        ctx->use_private_key(
            asio::buffer(options.client_key_pem.data(), options.client_key_pem.size()),
            asio::ssl::context::pem, aec))
        return fail();
    const bool has_certificate =
        !options.client_certificate_file.empty() || !options.client_certificate_pem.empty();
    const bool has_key = !options.client_key_file.empty() || !options.client_key_pem.empty();
    if (has_certificate != has_key)
        return fail();
    if (has_certificate && SSL_CTX_check_private_key(native) != 1)
        return fail();
    return ctx;
}

namespace detail {

/// Prepares one connection's SSL object for `target`'s host: SNI for names (RFC 6066
/// forbids IP literals there), and the name or IP address the certificate must carry.
/// OpenSSL then checks it during the handshake, so a mismatch fails the handshake itself.
inline bool prepare_tls_peer(SSL* ssl, const url& target)
{
    const std::string& host = target.host;
    if (target.is_ip()) {
        X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
        return X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) == 1;
    }
    if (SSL_set_tlsext_host_name(ssl, host.c_str()) != 1)
        return false;
    // No partial wildcards ("f*o.example.com"), as browsers do.
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    return SSL_set1_host(ssl, host.c_str()) == 1;
}

/// A handshake failure in words a caller can act on. `verify_result` is
/// SSL_get_verify_result() after the failed handshake.
inline std::error_code classify_handshake_error(const std::error_code& ec, long verify_result)
{
    switch (verify_result) {
    case X509_V_OK:
        break;
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return make_error_code(error::certificate_expired);
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return make_error_code(error::certificate_not_yet_valid);
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        return make_error_code(error::certificate_self_signed);
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        return make_error_code(error::certificate_unknown_issuer);
    case X509_V_ERR_HOSTNAME_MISMATCH:
        return make_error_code(error::certificate_host_mismatch);
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return make_error_code(error::certificate_ip_mismatch);
    default:
        return make_error_code(error::certificate_verify_failed);
    }
    if (ec.category() == asio::error::get_ssl_category()) {
        switch (ERR_GET_REASON(static_cast<unsigned long>(ec.value()))) {
        case SSL_R_UNSUPPORTED_PROTOCOL:
        case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
        case SSL_R_NO_PROTOCOLS_AVAILABLE:
        case SSL_R_WRONG_VERSION_NUMBER:
            return make_error_code(error::tls_protocol_version);
        default:
            return make_error_code(error::tls_handshake_failed);
        }
    }
    // The peer closed or reset the connection during the handshake: keep the system
    // error, it says more than "handshake failed".
    return ec;
}

} // namespace detail

} // namespace imagine::http
