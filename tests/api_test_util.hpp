#pragma once

// Shared by the API tests: one emulator per test program, a client pointed at it (its
// CA trusted, no proxy, a test key), and a way to run a coroutine to completion.

#include <imagine/api/client.hpp>

#include "http_test_util.hpp"
#include "support/digest.hpp"
#include "support/emulator.hpp"

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/use_future.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <string_view>

namespace imagine::test {

class api_test : public ::testing::Test {
protected:
    static void SetUpTestSuite() { emu_ = std::make_unique<emulator>(); }
    static void TearDownTestSuite() { emu_.reset(); }

    void SetUp() override { emu().clear_requests(); }

    static emulator& emu() { return *emu_; }

    /// Options for a client of the emulator; `retry` delays are kept short.
    static client_options options(std::string key = "sk-test")
    {
        client_options o;
        o.api_key = std::move(key);
        o.base_url = emu().base_url();
        o.read_environment = false;
        o.http = trusting(emu().ca_pem());
        o.retry.initial_delay = std::chrono::milliseconds(10);
        o.retry.max_delay = std::chrono::milliseconds(40);
        return o;
    }

    /// Runs `task` on io until it finishes; rethrows what it throws. Other work (an open
    /// stream's deadline timer) stays pending for the next call.
    template <class T>
    T run(asio::awaitable<T> task)
    {
        auto result = asio::co_spawn(io, std::move(task), asio::use_future);
        io.restart();
        while (result.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
            if (io.run_one() == 0)
                io.restart();
        return result.get();
    }

    /// The requests the emulator received since SetUp, oldest first.
    static json::value::array recorded()
    {
        return json::read<json::value>(emu().requests()).as_array();
    }

    asio::io_context io;
    static inline std::unique_ptr<emulator> emu_{};
};

} // namespace imagine::test
