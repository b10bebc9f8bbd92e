#pragma once

// Images handed out by URL (dall-e's default response_format), served at
// GET /_emulator/files/<id>.<ext>. Content-addressed: the same image gets the same URL.
// Written from worker threads, read on the I/O thread, hence the lock.

#include "text.hpp"

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace imagine_emulator {

struct stored_file {
    std::string content_type{};
    std::string bytes{};
};

class file_store {
public:
    /// Stores `bytes` and returns its name, e.g. "img-3f2a...c1.png".
    std::string add(std::string bytes, std::string content_type, std::string_view extension)
    {
        auto name = "img-" + sha256_hex(bytes).substr(0, 24) + "." + std::string(extension);
        const std::lock_guard lock(mutex_);
        files_.try_emplace(name, stored_file{std::move(content_type), std::move(bytes)});
        return name;
    }

    std::optional<stored_file> find(const std::string& name) const
    {
        const std::lock_guard lock(mutex_);
        const auto it = files_.find(name);
        if (it == files_.end())
            return std::nullopt;
        return it->second;
    }

private:
    mutable std::mutex mutex_{};
    std::map<std::string, stored_file, std::less<>> files_{};
};

} // namespace imagine_emulator
