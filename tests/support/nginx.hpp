#pragma once

// nginx (1.22, /usr/sbin/nginx, or $IMAGINE_TEST_NGINX) as a real HTTP/1.1 peer on
// 127.0.0.1, HTTPS or plain, one private instance per nginx_server object. It runs in
// the foreground as a single process (`daemon off; master_process off;`): there is no
// worker, so no privilege drop (the `user` directive does not apply, as root or not),
// and SIGTERM ends it at once. Everything it writes lives in a temporary directory.
//
// Locations (files are written under root()):
//
//   /<file>            the file, for GET, HEAD and POST. A POST body is read in full
//                      (mirror_request_body: $request_length in the access log counts
//                      it) and the file is served with 200 (error_page 405 =200), so a
//                      POST keeps the connection alive. Missing files: 404.
//   /chunked/<file>    the same file, "Transfer-Encoding: chunked" and no Content-Length
//                      (SSI filter on every type, which drops the length).
//   /close/<file>      the same file with "Connection: close" (keepalive_timeout 0); nginx
//                      closes the connection after the response.
//   /status/<code>     `return <code>` with nginx's default body, for 204 400 401 403 404
//                      408 413 429 500 501 502 503 504. A request body is discarded. Note
//                      that nginx closes the connection after 400, 408, 413, 500 and 501.
//
// Anything else goes in nginx_options::extra_server_config (verbatim in server { }),
// e.g. redirects and headers:
//   location = /old { return 301 /hello.txt; }
//   location = /busy { add_header Retry-After 2 always; return 503; }
//
// The access log is unbuffered and written when a request finishes, which can be just
// after the client has the response: wait_for_access_log(n) polls for n entries.

#include "certs.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace imagine::test {

struct nginx_options {
    std::optional<pem_pair> tls{}; ///< none: plain http
    int keepalive_timeout_seconds = 75;
    int keepalive_requests = 1000;
    std::string extra_server_config{}; ///< inserted verbatim into the server { } block
};

/// One access log line. `method` is the request's own (a POST stays POST even though
/// error_page answers it as a GET).
struct nginx_log_entry {
    std::uint64_t connection = 0;          ///< $connection: same value, same connection
    std::uint64_t connection_requests = 0; ///< $connection_requests: 1, 2, 3 on one connection
    int status = 0;
    std::string method{};
    std::string uri{}; ///< $uri (decoded path, no query)
    std::uint64_t body_bytes_sent = 0;
    std::uint64_t request_length = 0; ///< request line, headers and body
};

class nginx_server {
public:
    /// Starts nginx on a free port; returns once it accepts connections. Throws
    /// std::runtime_error with nginx's error log if it cannot start.
    explicit nginx_server(nginx_options options = {}) : options_(std::move(options))
    {
        const auto& dir = temp_.path();
        root_ = dir / "www";
        std::filesystem::create_directories(root_);
        std::filesystem::permissions(
            root_, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                       std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                       std::filesystem::perms::others_exec);
        if (options_.tls) {
            temp_.write("cert.pem", options_.tls->cert);
            temp_.write("key.pem", options_.tls->key);
        }
        const char* binary = std::getenv("IMAGINE_TEST_NGINX");
        const std::string nginx = binary ? binary : "/usr/sbin/nginx";

        // A free port can be taken by someone else before nginx binds it (tests run in
        // parallel): try again with another one.
        for (int attempt = 1;; ++attempt) {
            port_ = pick_free_port();
            temp_.write("nginx.conf", config());
            for (const char* file : {"error.log", "output.log", "nginx.pid"})
                std::filesystem::remove(dir / file);
            process_ =
                child_process({nginx, "-p", dir.string() + "/", "-c", (dir / "nginx.conf").string(),
                               "-e", (dir / "error.log").string()},
                              dir / "output.log");
            // nginx writes its pid file after binding and listening, so "the pid file
            // names our child" proves the port is nginx's and not another program's.
            // The LISTEN check is belt and braces, without a probe connection.
            const bool ready = poll_until(std::chrono::seconds(20), [&] {
                return !process_.running() || (read_text_file_if_exists(dir / "nginx.pid") ==
                                                   std::to_string(process_.pid()) + "\n" &&
                                               port_listening(port_));
            });
            if (ready && process_.running())
                return;
            const int status = process_.stop(SIGKILL);
            const auto logs = startup_logs();
            if (!ready)
                throw std::runtime_error("nginx did not start within 20 s:\n" + logs);
            if (attempt < 5 && logs.find("Address already in use") != std::string::npos)
                continue;
            throw std::runtime_error("nginx failed to start (" + describe_wait_status(status) +
                                     "):\n" + logs);
        }
    }

    // Not copyable or movable. The deleted copy constructor takes a non-const reference
    // on purpose: `nginx_server server({})` is then unambiguous on g++ 12, which otherwise
    // also considers converting {} to `const nginx_server&`.
    nginx_server(nginx_server&) = delete;
    nginx_server& operator=(const nginx_server&) = delete;

    /// Stops nginx (SIGTERM, reaped); the temporary directory goes with the object.
    ~nginx_server() { process_.stop(); }

    std::uint16_t port() const noexcept { return port_; }

    /// The document root (world-readable). Write test files here, or with write_file.
    const std::filesystem::path& root() const noexcept { return root_; }

    /// Writes root()/name (subdirectories allowed) and returns its path.
    std::filesystem::path write_file(std::string_view name, std::string_view content) const
    {
        const std::filesystem::path relative(name);
        if (relative.is_absolute() || relative.empty())
            throw std::invalid_argument("nginx_server::write_file: name must be relative");
        const auto file = root_ / relative;
        std::filesystem::create_directories(file.parent_path());
        write_text_file(file, content);
        return file;
    }

    /// The access log so far, parsed.
    std::vector<nginx_log_entry> access_log() const
    {
        std::vector<nginx_log_entry> entries;
        std::istringstream lines(read_text_file_if_exists(temp_.path() / "access.log"));
        for (std::string line; std::getline(lines, line);)
            if (auto entry = parse_log_line(line))
                entries.push_back(std::move(*entry));
        return entries;
    }

    /// The access log once it has at least `count` entries (or whatever it has after
    /// `limit`; the caller's assertions then show what is missing).
    std::vector<nginx_log_entry>
    wait_for_access_log(std::size_t count,
                        std::chrono::milliseconds limit = std::chrono::seconds(20)) const
    {
        std::vector<nginx_log_entry> entries;
        poll_until(limit, [&] {
            entries = access_log();
            return entries.size() >= count;
        });
        return entries;
    }

    std::string error_log() const { return read_text_file_if_exists(temp_.path() / "error.log"); }

    pid_t pid() const noexcept { return process_.pid(); }

private:
    std::string config() const
    {
        const auto dir = temp_.path().string();
        const auto root = root_.string();
        std::ostringstream c;
        c << "daemon off;\n"
          << "master_process off;\n"
          << "worker_processes 1;\n"
          << "pid " << dir << "/nginx.pid;\n"
          << "error_log " << dir << "/error.log info;\n"
          << "events { worker_connections 1024; }\n"
          << "http {\n"
          << "  types { text/plain txt; text/html html; application/json json; image/png png; }\n"
          << "  default_type application/octet-stream;\n"
          << "  log_format imagine '$connection $connection_requests $status $body_bytes_sent "
             "$request_length \"$request\" $uri';\n"
          << "  access_log " << dir << "/access.log imagine;\n";
        // The compiled-in temp paths (/var/lib/nginx/...) are not writable without root.
        for (const char* temp : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"})
            c << "  " << temp << "_temp_path " << dir << "/" << temp << ";\n";
        c << "  client_max_body_size 0;\n"      // no 413 for large uploads
          << "  client_body_buffer_size 16m;\n" // bodies stay in memory
          << "  keepalive_timeout " << options_.keepalive_timeout_seconds << "s;\n"
          << "  keepalive_requests " << options_.keepalive_requests << ";\n"
          << "  server {\n"
          << "    listen 127.0.0.1:" << port_ << (options_.tls ? " ssl" : "") << ";\n"
          << "    server_name localhost;\n";
        if (options_.tls)
            c << "    ssl_certificate " << dir << "/cert.pem;\n"
              << "    ssl_certificate_key " << dir << "/key.pem;\n";
        c << "    root " << root
          << ";\n"
          // The static module answers POST with 405 without reading the body. Mirroring
          // to an internal location makes nginx read the whole body first; error_page then
          // serves the file (as GET) with 200 on the same, still usable, connection.
          << "    mirror /.imagine-read-body;\n"
          << "    mirror_request_body on;\n"
          << "    error_page 405 =200 $uri;\n"
          << "    location = /.imagine-read-body { internal; return 204; }\n"
          << "    location / { }\n"
          << "    location /chunked/ { alias " << root << "/; ssi on; ssi_types *; }\n"
          << "    location /close/ { alias " << root << "/; keepalive_timeout 0; }\n";
        for (int code : {204, 400, 401, 403, 404, 408, 413, 429, 500, 501, 502, 503, 504})
            c << "    location = /status/" << code << " { return " << code << "; }\n";
        c << options_.extra_server_config << "\n"
          << "  }\n"
          << "}\n";
        return c.str();
    }

    std::string startup_logs() const
    {
        return "--- error.log\n" + read_text_file_if_exists(temp_.path() / "error.log") +
               "--- output\n" + read_text_file_if_exists(temp_.path() / "output.log") +
               "--- nginx.conf\n" + read_text_file_if_exists(temp_.path() / "nginx.conf");
    }

    // "<connection> <requests> <status> <bytes sent> <length> "<request line>" <uri>"
    static std::optional<nginx_log_entry> parse_log_line(const std::string& line)
    {
        nginx_log_entry entry;
        std::istringstream in(line);
        in >> entry.connection >> entry.connection_requests >> entry.status >>
            entry.body_bytes_sent >> entry.request_length;
        const auto open = line.find('"');
        const auto close = open == std::string::npos ? open : line.find('"', open + 1);
        if (!in || close == std::string::npos)
            return std::nullopt;
        const auto request = line.substr(open + 1, close - open - 1); // nginx escapes '"'
        entry.method = request.substr(0, request.find(' '));
        entry.uri = close + 2 <= line.size() ? line.substr(close + 2) : std::string();
        return entry;
    }

    nginx_options options_{};
    temp_dir temp_{};
    std::filesystem::path root_{};
    std::uint16_t port_ = 0;
    child_process process_{}; // last: stopped before the directory is removed
};

} // namespace imagine::test
