// Packaging test consumer: includes the umbrella header and runs one coroutine, so the
// include path, Asio (with its clang configuration), OpenSSL and threads all resolve.
#include <imagine/imagine.hpp>

#include <imagine/config.hpp>
#include <imagine/detail/asio_compat.hpp>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>

#include <openssl/opensslv.h>

#include <chrono>
#include <cstdio>
#include <string_view>

#ifdef IMAGINE_EXPECTED_VERSION
static_assert(std::string_view(IMAGINE_VERSION_STRING) == IMAGINE_EXPECTED_VERSION,
              "installed headers and package metadata disagree on the version");
#endif

int main()
{
    asio::io_context io;
    bool ran = false;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            asio::steady_timer timer(co_await asio::this_coro::executor,
                                     std::chrono::milliseconds(1));
            co_await timer.async_wait(imagine::detail::default_token_t<asio::any_io_executor>{});
            ran = true;
        },
        asio::detached);
    io.run();
    std::printf("imagine %s, Asio %d, %s: %s\n", IMAGINE_VERSION_STRING, ASIO_VERSION,
                OPENSSL_VERSION_TEXT, ran ? "ok" : "coroutine did not run");
    return ran ? 0 : 1;
}
