#pragma once

// multipart/form-data bodies (RFC 7578): the boundary from Content-Type, then each part's
// name, filename, Content-Type and bytes. Parts are views into the body, which the
// caller keeps alive; a 50 MB image is never copied to be looked at.

#include "text.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace imagine_emulator {

struct form_part {
    std::string name{};
    std::optional<std::string> filename{};     ///< present: a file part
    std::optional<std::string> content_type{}; ///< as sent (trimmed), if any
    std::string_view data{};                   ///< into the request body
};

struct multipart_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// A parameter of a header value such as `form-data; name="image[]"; filename="a.png"`.
inline std::optional<std::string> header_parameter(std::string_view value, std::string_view wanted)
{
    std::size_t i = value.find(';');
    while (i != std::string_view::npos && i < value.size()) {
        ++i;
        while (i < value.size() && (value[i] == ' ' || value[i] == '\t'))
            ++i;
        const auto eq = value.find('=', i);
        if (eq == std::string_view::npos)
            return std::nullopt;
        const auto key = trim(value.substr(i, eq - i));
        std::string parameter;
        i = eq + 1;
        if (i < value.size() && value[i] == '"') { // quoted-string, backslash escapes
            for (++i; i < value.size() && value[i] != '"'; ++i) {
                if (value[i] == '\\' && i + 1 < value.size())
                    ++i;
                parameter += value[i];
            }
            i = value.find(';', i);
        } else {
            const auto end = value.find(';', i);
            parameter =
                std::string(trim(value.substr(i, end == std::string_view::npos ? end : end - i)));
            i = end;
        }
        if (iequals(key, wanted))
            return parameter;
    }
    return std::nullopt;
}

/// The parts of `body`, sent with Content-Type `content_type`. Throws multipart_error.
inline std::vector<form_part> parse_multipart(std::string_view content_type, std::string_view body)
{
    const auto boundary = header_parameter(content_type, "boundary");
    if (!boundary || boundary->empty() || boundary->size() > 200)
        throw multipart_error("multipart/form-data without a valid boundary");
    const std::string delimiter = "--" + *boundary;

    // The first delimiter may start the body or follow a preamble.
    std::size_t at =
        body.substr(0, delimiter.size()) == delimiter ? 0 : body.find("\r\n" + delimiter);
    if (at == std::string_view::npos)
        throw multipart_error("no multipart boundary in the body");
    at += at == 0 ? delimiter.size() : delimiter.size() + 2;

    std::vector<form_part> parts;
    const std::string next_delimiter = "\r\n" + delimiter;
    for (;;) {
        if (body.substr(at, 2) == "--")
            return parts; // close delimiter
        // Transport padding, then CRLF.
        while (at < body.size() && (body[at] == ' ' || body[at] == '\t'))
            ++at;
        if (body.substr(at, 2) != "\r\n")
            throw multipart_error("malformed multipart delimiter line");
        at += 2;
        form_part part;
        std::size_t data_start = 0;
        if (body.substr(at, 2) == "\r\n") { // a part with no header fields at all
            data_start = at + 2;
        } else {
            const auto head_end = body.find("\r\n\r\n", at);
            if (head_end == std::string_view::npos)
                throw multipart_error("multipart part head not terminated");
            for (auto head = body.substr(at, head_end - at); !head.empty();) {
                const auto eol = head.find("\r\n");
                const auto line = head.substr(0, eol);
                head.remove_prefix(eol == std::string_view::npos ? head.size() : eol + 2);
                const auto colon = line.find(':');
                if (colon == std::string_view::npos)
                    throw multipart_error("malformed part header");
                const auto name = trim(line.substr(0, colon));
                const auto value = trim(line.substr(colon + 1));
                if (iequals(name, "Content-Disposition")) {
                    if (!istarts_with(value, "form-data"))
                        throw multipart_error("part is not form-data");
                    part.name = header_parameter(value, "name").value_or("");
                    part.filename = header_parameter(value, "filename");
                } else if (iequals(name, "Content-Type")) {
                    part.content_type = std::string(value);
                }
            }
            data_start = head_end + 4;
        }
        const auto data_end = body.find(next_delimiter, data_start);
        if (data_end == std::string_view::npos)
            throw multipart_error("multipart body ends inside a part");
        part.data = body.substr(data_start, data_end - data_start);
        parts.push_back(std::move(part));
        at = data_end + next_delimiter.size();
    }
}

} // namespace imagine_emulator
