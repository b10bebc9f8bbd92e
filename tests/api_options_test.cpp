#include <imagine/api/options.hpp>

#include <imagine/api/detail/core.hpp>

#include "support/scoped_env.hpp"

#include <asio/io_context.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <system_error>

namespace {

using namespace imagine;

using imagine::test::scoped_env;

struct clean_env {
    scoped_env key{"OPENAI_API_KEY", nullptr};
    scoped_env base{"OPENAI_BASE_URL", nullptr};
    scoped_env org{"OPENAI_ORG_ID", nullptr};
    scoped_env project{"OPENAI_PROJECT_ID", nullptr};
    scoped_env custom{"OPENAI_CUSTOM_HEADERS", nullptr};
};

http::request build(const client_options& options, const request_options& per = {})
{
    asio::io_context io;
    detail::api_core core(io.get_executor(), options);
    detail::call_spec spec;
    spec.path = "/images/generations";
    spec.content_type = "application/json";
    return core.build(spec, per);
}

TEST(api_options, the_environment_fills_what_is_unset)
{
    clean_env clean;
    scoped_env key("OPENAI_API_KEY", "  sk-env  \n");
    scoped_env base("OPENAI_BASE_URL", "https://proxy.example:8443/openai/v1/");
    scoped_env org("OPENAI_ORG_ID", "org-1");
    scoped_env project("OPENAI_PROJECT_ID", "");
    scoped_env custom("OPENAI_CUSTOM_HEADERS", "X-One: 1\r\n\nX-Two:two  \n");
    const auto req = build({});
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.target.to_string(), "https://proxy.example:8443/openai/v1/images/generations");
    EXPECT_EQ(req.headers.value_or("authorization", ""), "Bearer sk-env");
    EXPECT_EQ(req.headers.value_or("accept", ""), "application/json");
    EXPECT_EQ(req.headers.value_or("content-type", ""), "application/json");
    EXPECT_EQ(req.headers.value_or("user-agent", ""), "imagine/" IMAGINE_VERSION_STRING);
    EXPECT_EQ(req.headers.value_or("openai-organization", ""), "org-1");
    EXPECT_FALSE(req.headers.contains("openai-project")); // empty counts as unset
    EXPECT_EQ(req.headers.value_or("x-one", ""), "1");
    EXPECT_EQ(req.headers.value_or("x-two", ""), "two");
}

TEST(api_options, code_wins_over_the_environment_and_requests_over_the_client)
{
    clean_env clean;
    scoped_env key("OPENAI_API_KEY", "sk-env");
    scoped_env custom("OPENAI_CUSTOM_HEADERS", "X-One: env");
    client_options o;
    o.api_key = "sk-code";
    o.base_url = "https://127.0.0.1:9/v1";
    o.project = "proj";
    o.headers.set("X-One", "code");
    request_options per;
    per.headers.set("X-One", "request");
    per.headers.set("Authorization", "Bearer sk-other");
    const auto req = build(o, per);
    EXPECT_EQ(req.headers.value_or("authorization", ""), "Bearer sk-other");
    EXPECT_EQ(req.headers.value_or("openai-project", ""), "proj");
    EXPECT_EQ(req.headers.value_or("x-one", ""), "request");
    EXPECT_EQ(req.target.to_string(), "https://127.0.0.1:9/v1/images/generations");
    o.read_environment = false;
    o.api_key.reset();
    EXPECT_THROW(build(o), std::system_error);
}

TEST(api_options, a_missing_key_fails_the_call_not_the_client)
{
    clean_env clean;
    asio::io_context io;
    detail::api_core core(io.get_executor(), {});
    try {
        core.build({}, {});
        FAIL() << "no error";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code(), error::missing_api_key);
        EXPECT_NE(std::string(e.what()).find("OPENAI_API_KEY"), std::string::npos);
    }
}

TEST(api_options, bad_configuration_is_refused_without_showing_the_key)
{
    clean_env clean;
    auto refused = [](client_options o) {
        try {
            build(o);
        } catch (const std::system_error& e) {
            EXPECT_EQ(std::string(e.what()).find("sk-secret"), std::string::npos) << e.what();
            return e.code() == error::invalid_configuration;
        }
        return false;
    };
    EXPECT_TRUE(refused({.api_key = "sk-secret\r\nX-Evil: 1"}));
    EXPECT_TRUE(refused({.api_key = "sk-secret", .base_url = "ftp://example.com"}));
    EXPECT_TRUE(refused({.api_key = "sk-secret", .base_url = "not a url"}));
    client_options bad_header{.api_key = "sk-secret"};
    bad_header.headers.add("Bad Name", "v");
    EXPECT_TRUE(refused(bad_header));
    scoped_env custom("OPENAI_CUSTOM_HEADERS", "no colon here");
    EXPECT_TRUE(refused({.api_key = "sk-secret"}));
}

} // namespace
