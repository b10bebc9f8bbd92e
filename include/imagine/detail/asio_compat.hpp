#pragma once

// The one place that knows which Asio names moved between versions. Everything else
// in imagine spells `detail::as_tuple`, `detail::deferred`, ... and works on Asio
// 1.22 (Debian 12) as well as on current Asio.
//
//   name                1.22                      1.23 ... 1.32     1.33 and later
//   as_tuple, deferred  asio::experimental::      both              asio:: only
//   append, prepend     asio::experimental::      both              asio:: only
//   default token       void (no default)         void              deferred_t (1.31+)
//
// Asio 1.22's default_completion_token is `void`: an operation called without a
// token does not compile. imagine operations therefore name their own default,
// `default_token_t<Executor>`, the same on every Asio version.

#include <imagine/config.hpp>

#include <asio/version.hpp>

#include <asio/use_awaitable.hpp>

#if ASIO_VERSION >= 102300
#include <asio/append.hpp>
#include <asio/as_tuple.hpp>
#include <asio/deferred.hpp>
#include <asio/prepend.hpp>
#else
#include <asio/experimental/append.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/deferred.hpp>
#include <asio/experimental/prepend.hpp>
#endif

#if !defined(ASIO_HAS_CO_AWAIT)
#error "imagine: Asio was configured without C++20 coroutine support (ASIO_HAS_CO_AWAIT). \
Compile with -std=c++20, and include an imagine header before any Asio header (with clang \
and Asio < 1.26, or define ASIO_HAS_CO_AWAIT=1 yourself)."
#endif

namespace imagine::detail {

#if ASIO_VERSION >= 102300
using asio::append;
using asio::append_t;
using asio::as_tuple;
using asio::as_tuple_t;
using asio::deferred;
using asio::deferred_t;
using asio::prepend;
using asio::prepend_t;
#else
using asio::experimental::append;
using asio::experimental::append_t;
using asio::experimental::as_tuple;
using asio::experimental::as_tuple_t;
using asio::experimental::deferred;
using asio::experimental::deferred_t;
using asio::experimental::prepend;
using asio::experimental::prepend_t;
#endif

/// The completion token imagine operations use when the caller passes none:
/// `co_await op(args)` inside an `asio::awaitable<T, Executor>`.
template <class Executor>
using default_token_t = asio::use_awaitable_t<Executor>;

} // namespace imagine::detail
