// imagine_emulator: an HTTPS server on loopback that speaks the OpenAI Images, Responses
// and Files APIs, for testing clients without the network. See tools/emulator/README.md.

#include "certs.hpp"
#include "options.hpp"
#include "server.hpp"

#include <imagine/json/value.hpp>
#include <imagine/json/write.hpp>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace fs = std::filesystem;
using namespace imagine_emulator;

namespace {

std::string read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& path, const std::string& content)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    out.close();
    if (!out)
        throw std::runtime_error("cannot write " + path.string());
}

/// Written to a temporary name and renamed: readers never see half a file.
void write_file_atomically(const fs::path& path, const std::string& content)
{
    auto temporary = path;
    temporary += ".tmp." + std::to_string(::getpid());
    write_file(temporary, content);
    fs::rename(temporary, path);
}

/// A directory removed at exit, when we made it.
struct owned_dir {
    fs::path path{};
    bool owned = false;
    owned_dir() = default;
    owned_dir(const owned_dir&) = delete;
    owned_dir& operator=(const owned_dir&) = delete;
    ~owned_dir()
    {
        std::error_code ignored;
        if (owned)
            fs::remove_all(path, ignored);
    }
};

} // namespace

int main(int argc, char** argv)
{
    options opts;
    try {
        opts = parse_options(argc, argv);
    } catch (const std::invalid_argument& e) {
        if (*e.what())
            std::cerr << "imagine_emulator: " << e.what() << '\n';
        std::cerr << usage_text;
        return 2;
    }

    try {
        server_config config;
        config.host = opts.host;
        config.port = opts.port;
        config.stream_delay = std::chrono::milliseconds(opts.stream_delay_ms);
        config.quiet = opts.quiet;
        config.job_defaults.queued = std::chrono::milliseconds(opts.job_queued_ms);
        config.job_defaults.progress = std::chrono::milliseconds(opts.job_progress_ms);
        config.job_defaults.poll_after_ms = opts.poll_after_ms;

        owned_dir cert_dir;
        fs::path ca_file;
        if (!opts.cert_file.empty()) {
            config.cert_pem = read_file(opts.cert_file);
            config.key_pem = read_file(opts.key_file);
            ca_file = fs::absolute(opts.cert_file); // the caller's pair: trust its certificate
        } else {
            if (opts.cert_dir.empty()) {
                auto pattern = (fs::temp_directory_path() / "imagine-emulator-XXXXXX").string();
                if (!::mkdtemp(pattern.data()))
                    throw std::runtime_error("mkdtemp failed");
                cert_dir.path = pattern;
                cert_dir.owned = true;
            } else {
                fs::create_directories(opts.cert_dir);
                cert_dir.path = opts.cert_dir;
            }
            const auto identity = generate_identity();
            config.cert_pem = identity.cert + identity.ca_cert;
            config.key_pem = identity.key;
            ca_file = fs::absolute(cert_dir.path / "ca.pem");
            write_file_atomically(ca_file, identity.ca_cert);
        }

        server emulator(config);
        const auto base_url = emulator.origin() + "/v1";
        std::printf("imagine-emulator: listening on %s (CA: %s)\n", base_url.c_str(),
                    ca_file.c_str());
        std::fflush(stdout);
        if (!opts.ready_file.empty()) {
            namespace json = imagine::json;
            write_file_atomically(
                opts.ready_file,
                json::write(json::value(json::value::object{{"port", emulator.port()},
                                                            {"base_url", base_url},
                                                            {"ca_file", ca_file.string()}})) +
                    "\n");
        }
        emulator.run();
        if (!opts.quiet)
            std::cerr << "imagine-emulator: stopped\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "imagine_emulator: " << e.what() << '\n';
        return 1;
    }
}
