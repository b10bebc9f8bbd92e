#pragma once

// Library version and the configuration every header that touches Asio needs.
// Include this header before any Asio header (our own headers do).

#define IMAGINE_VERSION_MAJOR 0
#define IMAGINE_VERSION_MINOR 1
#define IMAGINE_VERSION_PATCH 0

/// major * 10000 + minor * 100 + patch, e.g. 100 for 0.1.0.
#define IMAGINE_VERSION                                                                            \
    (IMAGINE_VERSION_MAJOR * 10000 + IMAGINE_VERSION_MINOR * 100 + IMAGINE_VERSION_PATCH)
#define IMAGINE_VERSION_STRING "0.1.0"

// <asio/version.hpp> only defines ASIO_VERSION; it pulls in nothing else. It is
// guarded so that the parts of imagine that do not touch Asio (JSON, base64) still
// compile where Asio is absent.
#if __has_include(<asio/version.hpp>)
#include <asio/version.hpp>
#endif

// Asio before 1.26 enables co_await on clang only when <experimental/coroutine>
// exists. libstdc++ (which clang uses on Linux) has only <coroutine>, so with
// clang 14 + libstdc++ 12 + Asio 1.22 `asio::awaitable`, `co_spawn` and
// `use_awaitable` silently compile to nothing. Asio fixed the detection in 1.26.
// We switch the support on ourselves so that users need no -D flags. It has to
// happen before Asio's own config is read, hence "include imagine first".
// ASIO_HAS_STD_INVOKE_RESULT avoids deprecation warnings for std::result_of in
// asio/impl/co_spawn.hpp under the same conditions.
#if defined(__clang__) && defined(ASIO_VERSION) && ASIO_VERSION < 102600
#if defined(__cpp_impl_coroutine) && __cpp_impl_coroutine >= 201902L && __has_include(<coroutine>)
#ifndef ASIO_HAS_CO_AWAIT
#if defined(ASIO_AWAITABLE_HPP) || defined(ASIO_CO_SPAWN_HPP) || defined(ASIO_USE_AWAITABLE_HPP)
#error "imagine: an Asio coroutine header was included before imagine, without coroutine \
support (clang + Asio < 1.26). Include imagine headers first, or define ASIO_HAS_CO_AWAIT=1."
#endif
#define ASIO_HAS_CO_AWAIT 1
#endif
#endif
#if __cplusplus >= 201703L
#ifndef ASIO_HAS_STD_INVOKE_RESULT
#define ASIO_HAS_STD_INVOKE_RESULT 1
#endif
#endif
#endif
