#pragma once

// Server-sent events: the "event stream interpretation" of the WHATWG HTML standard
// (§9.2.6), fed with body pieces as they arrive. An image generation stream sends events
// whose one data line is a base64 image of tens of megabytes, so nothing here holds a
// line before using it: data bytes go straight into the event's data as they arrive,
// and each byte is searched for a line ending once, however the stream is split.

#include <imagine/http/error.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace imagine::http {

/// One dispatched event.
struct sse_event {
    std::string event{}; ///< the type; "message" when the stream named none
    std::string data{};  ///< the data lines joined by "\n"
    std::string id{};    ///< the last event ID when the event was dispatched
};

struct sse_options {
    /// 0: unlimited. Otherwise the most bytes one event may hold while it is received:
    /// its data so far (a "\n" per data line included) + its type + the bytes of the
    /// current line that are not data (field name, colon, comment, other values), line
    /// endings not counted. More is error::event_too_large.
    std::size_t max_event_size = 0;
};

/// Turns an event stream, in pieces split anywhere, into events (FIFO). After an error
/// the decoder keeps failing until reset().
class sse_decoder {
public:
    explicit sse_decoder(sse_options options = {}) : options_(options) {}

    /// Decodes the next piece of the stream; complete events are queued.
    void put(std::string_view piece, std::error_code& ec)
    {
        const char* p = piece.data();
        const char* const end = p + piece.size();
        if (!error_ && !bom_checked_)
            p = skip_bom(p, end);
        if (!error_)
            decode(p, end);
        ec = error_;
    }

    /// The end of the stream: an event whose blank line did not arrive is discarded, as
    /// is an unfinished line. Queued events, the last event ID and the retry time stay;
    /// a following put() starts a new stream (a reconnection).
    void finish() noexcept
    {
        discard_pending();
        bom_checked_ = false;
        bom_matched_ = 0;
    }

    bool has_event() const noexcept { return !events_.empty(); }

    /// The oldest queued event. Precondition: has_event().
    sse_event take_event()
    {
        sse_event e = std::move(events_.front());
        events_.pop_front();
        return e;
    }

    std::size_t pending_events() const noexcept { return events_.size(); }

    /// The event source's last event ID: what a reconnection sends as Last-Event-ID. Set
    /// at each blank line from the last valid `id` field.
    const std::string& last_event_id() const noexcept { return last_event_id_; }

    /// The reconnection time (ms) of the last valid `retry` field.
    std::optional<std::uint64_t> retry() const noexcept { return retry_; }

    /// Back to a new decoder with the same options.
    void reset()
    {
        discard_pending();
        events_.clear();
        id_buffer_.clear();
        last_event_id_.clear();
        retry_.reset();
        error_ = {};
        bom_checked_ = false;
        bom_matched_ = 0;
    }

private:
    enum class line_state : unsigned char {
        start,       // nothing of the line yet
        name,        // in the field name
        value_start, // right after the colon: one space to drop
        value,       // in the value
        ignore,      // a comment, or the rest of an unknown field
    };
    enum class field_kind : unsigned char { other, data, event, id, retry };

    static constexpr std::string_view bom = "\xEF\xBB\xBF";
    // The longest field name that means something ("event", "retry").
    static constexpr std::size_t max_name = 5;

    // A BOM may arrive a byte at a time; bytes that turn out not to be one are stream
    // bytes after all.
    const char* skip_bom(const char* p, const char* end)
    {
        while (p != end && bom_matched_ < bom.size()) {
            if (*p != bom[bom_matched_]) {
                bom_checked_ = true;
                decode(bom.data(), bom.data() + bom_matched_);
                return p;
            }
            ++bom_matched_;
            ++p;
        }
        bom_checked_ = bom_matched_ == bom.size();
        return p;
    }

    // The next CR or LF at or after p, or end. The positions found are remembered for
    // the rest of the piece, so a run of short lines does not search a long tail again.
    struct eol_finder {
        const char* end = nullptr;
        const char* cr = nullptr;
        const char* lf = nullptr;

        const char* operator()(const char* p) noexcept
        {
            if (cr == nullptr || cr < p)
                cr = find(p, '\r');
            if (lf == nullptr || lf < p)
                lf = find(p, '\n');
            return std::min(cr, lf);
        }

        const char* find(const char* p, char c) const noexcept
        {
            const void* hit = std::memchr(p, c, static_cast<std::size_t>(end - p));
            return hit ? static_cast<const char*>(hit) : end;
        }
    };

    void decode(const char* p, const char* const end)
    {
        eol_finder eol{end};
        while (p != end && !error_) {
            if (skip_lf_) {
                // The LF of a CRLF whose CR ended the previous line, maybe in an earlier piece.
                skip_lf_ = false;
                if (*p == '\n') {
                    ++p;
                    continue;
                }
            }
            switch (line_) {
            case line_state::start:
                if (*p == '\r' || *p == '\n') {
                    skip_lf_ = *p++ == '\r';
                    dispatch();
                } else if (*p == ':') {
                    ++p;
                    ++line_bytes_;
                    line_ = line_state::ignore;
                } else {
                    line_ = line_state::name;
                }
                break;
            case line_state::name: {
                const char* const stop = eol(p);
                const void* colon = std::memchr(p, ':', static_cast<std::size_t>(stop - p));
                const char* const name_end = colon ? static_cast<const char*>(colon) : stop;
                const auto n = static_cast<std::size_t>(name_end - p);
                if (name_.size() + n <= max_name)
                    name_.append(p, n);
                else
                    name_.assign(max_name + 1, ':'); // matches no known name
                line_bytes_ += n;
                p = name_end;
                if (colon) {
                    ++p;
                    ++line_bytes_;
                    kind_ = classify(name_);
                    line_ =
                        kind_ == field_kind::other ? line_state::ignore : line_state::value_start;
                } else if (p != end) {
                    kind_ = classify(name_); // no colon: the whole line is the name
                }
                check_size();
                if (!colon && p != end)
                    end_line(p);
                break;
            }
            case line_state::value_start:
                if (*p == ' ') {
                    ++p;
                    ++line_bytes_;
                }
                line_ = line_state::value;
                break;
            case line_state::value:
            case line_state::ignore: {
                const char* const stop = eol(p);
                const auto n = static_cast<std::size_t>(stop - p);
                if (line_ == line_state::ignore) {
                    line_bytes_ += n;
                } else if (kind_ == field_kind::data) {
                    data_.append(p, n); // counted in data_, not line_bytes_
                } else {
                    value_.append(p, n);
                    line_bytes_ += n;
                }
                p = stop;
                check_size();
                if (p != end)
                    end_line(p);
                break;
            }
            }
        }
    }

    static field_kind classify(std::string_view name) noexcept
    {
        if (name == "data")
            return field_kind::data;
        if (name == "event")
            return field_kind::event;
        if (name == "id")
            return field_kind::id;
        if (name == "retry")
            return field_kind::retry;
        return field_kind::other;
    }

    // Called after every stretch of a line. The measure only shrinks at line ends, so
    // these checks see every maximum, wherever the stream was split.
    void check_size() noexcept
    {
        if (options_.max_event_size != 0 &&
            data_.size() + event_.size() + line_bytes_ > options_.max_event_size)
            error_ = error::event_too_large;
    }

    // *p is the CR or LF ending a field line (after a failed check_size() too: harmless).
    void end_line(const char*& p)
    {
        skip_lf_ = *p++ == '\r';
        if (error_)
            return;
        switch (kind_) {
        case field_kind::data:
            data_.push_back('\n');
            break;
        case field_kind::event:
            event_.swap(value_);
            break;
        case field_kind::id:
            if (value_.find('\0') == std::string::npos)
                id_buffer_.swap(value_);
            break;
        case field_kind::retry:
            set_retry(value_);
            break;
        case field_kind::other:
            break;
        }
        start_line();
    }

    void set_retry(std::string_view value) noexcept
    {
        if (value.empty())
            return;
        std::uint64_t ms = 0;
        constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
        for (char c : value) {
            if (c < '0' || c > '9')
                return;
            const auto digit = static_cast<std::uint64_t>(c - '0');
            if (ms > (max - digit) / 10)
                return; // not a time anyone means; ignored like any invalid value
            ms = ms * 10 + digit;
        }
        retry_ = ms;
    }

    // A blank line.
    void dispatch()
    {
        last_event_id_ = id_buffer_;
        if (!data_.empty()) {
            data_.pop_back(); // the "\n" of the last data line
            events_.push_back(sse_event{event_.empty() ? std::string("message") : std::move(event_),
                                        std::move(data_), id_buffer_});
        }
        data_.clear();
        event_.clear();
    }

    void start_line() noexcept
    {
        line_ = line_state::start;
        kind_ = field_kind::other;
        name_.clear();
        value_.clear();
        line_bytes_ = 0;
    }

    void discard_pending() noexcept
    {
        start_line();
        data_.clear();
        event_.clear();
        skip_lf_ = false;
    }

    sse_options options_{};
    std::error_code error_{};
    bool bom_checked_ = false;
    std::size_t bom_matched_ = 0;
    bool skip_lf_ = false;
    line_state line_ = line_state::start;
    field_kind kind_ = field_kind::other;
    std::string name_{};          // at most max_name + 1 bytes
    std::string value_{};         // the value of an event, id or retry line
    std::size_t line_bytes_ = 0;  // bytes of the current line not in data_
    std::string data_{};          // data buffer
    std::string event_{};         // event type buffer
    std::string id_buffer_{};     // last event ID buffer
    std::string last_event_id_{}; // set from id_buffer_ at each blank line
    std::optional<std::uint64_t> retry_{};
    std::deque<sse_event> events_{};
};

} // namespace imagine::http
