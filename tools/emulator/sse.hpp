#pragma once

// Server-sent events as the OpenAI API writes them: one `event:` line naming the type,
// one `data:` line of compact JSON (which never contains a raw newline), a blank line.
// A stream is a list of steps rendered lazily, so a big image is encoded only when its
// event is due, on the worker pool, and the connection can pace and break the stream.

#include <imagine/json/value.hpp>
#include <imagine/json/write.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace imagine_emulator {

inline std::string sse_event(std::string_view type, const imagine::json::value& data)
{
    std::string out;
    out.reserve(64);
    out += "event: ";
    out += type;
    out += "\ndata: ";
    imagine::json::write(data, out);
    out += "\n\n";
    return out;
}

enum class step_kind {
    partial, ///< a partial result: counted by reset-after-partial / stream-error
    final,   ///< anything else
};

struct stream_step {
    step_kind kind = step_kind::final;
    std::function<std::string()> render{}; ///< the event text; may take long (run off-loop)
};

using event_stream = std::vector<stream_step>;

} // namespace imagine_emulator
