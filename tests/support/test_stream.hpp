#pragma once

// An in-memory Asio stream (AsyncReadStream + AsyncWriteStream) for testing code that
// reads and writes through Asio without a socket, after Beast's test::stream idea:
//
//   * a test feeds the input (append_input, close_input) and inspects the output;
//   * set_read_size / set_write_size split reads and writes at every byte count;
//   * a fail_count makes the n-th operation (0-based) and every later one fail, so a
//     test can walk n = 0, 1, 2... until the code under test succeeds, proving that
//     every failure point is handled.
//
// Every operation completes through asio::post to the handler's associated executor
// (defaulting to the stream's), never inside the initiating call. A read with no input
// stays pending until input arrives, the input is closed, the stream is closed, or the
// read is cancelled through its handler's cancellation slot (terminal, partial or total:
// nothing has been transferred, so all three are honoured) -> operation_aborted.
//
// Not thread-safe: one stream belongs to one (single-threaded) io_context.

#include <imagine/config.hpp>

#include <asio/any_io_executor.hpp>
#include <asio/associated_cancellation_slot.hpp>
#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/buffer.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/cancellation_type.hpp>
#include <asio/error.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/post.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace imagine::test {

/// Counts operations; the n-th (0-based) and every later one fails with `ec`.
class fail_count {
public:
    explicit fail_count(std::size_t n, std::error_code ec = asio::error::connection_reset)
        : n_(n), ec_(ec)
    {
    }

    /// Counts one call. True (and `ec` set) for call number n and later.
    bool fail(std::error_code& ec)
    {
        if (calls_++ < n_)
            return false;
        ec = ec_;
        return true;
    }

    /// Calls so far: once the code under test succeeds with a given n, calls() <= n.
    std::size_t calls() const noexcept { return calls_; }

private:
    std::size_t n_ = 0;
    std::size_t calls_ = 0;
    std::error_code ec_{};
};

class test_stream {
public:
    using executor_type = asio::any_io_executor;

    explicit test_stream(executor_type ex, fail_count* fc = nullptr)
        : state_(std::make_shared<state>())
    {
        state_->ex = std::move(ex);
        state_->fc = fc;
    }

    test_stream(test_stream&&) noexcept = default;
    test_stream& operator=(test_stream&&) = delete; // would abandon a pending read
    test_stream(const test_stream&) = delete;
    test_stream& operator=(const test_stream&) = delete;

    /// A read still pending completes with operation_aborted.
    ~test_stream()
    {
        if (state_)
            state_->finish_pending(asio::error::operation_aborted);
    }

    executor_type get_executor() const noexcept { return state_->ex; }

    /// Bytes the next reads return (completing a pending read at once).
    void append_input(std::string_view bytes)
    {
        state_->input.append(bytes);
        if (state_->pending)
            state_->finish_pending({});
    }

    /// At most `max` bytes per read (to force splits); default unlimited.
    void set_read_size(std::size_t max) { state_->read_size = std::max<std::size_t>(max, 1); }

    /// At most `max` bytes per write (partial writes); default unlimited.
    void set_write_size(std::size_t max) { state_->write_size = std::max<std::size_t>(max, 1); }

    /// Once the input is drained, reads complete with asio::error::eof.
    void close_input()
    {
        state_->input_closed = true;
        if (state_->pending && state_->available() == 0)
            state_->finish_pending(asio::error::eof);
    }

    /// Everything written so far.
    const std::string& output() const noexcept { return state_->output; }
    void clear_output() { state_->output.clear(); }

    /// Input appended but not read yet.
    std::size_t pending_input() const noexcept { return state_->available(); }

    /// A read is waiting for input.
    bool read_pending() const noexcept { return state_->pending != nullptr; }

    /// A pending read fails with operation_aborted, later operations with not_connected.
    void close()
    {
        state_->closed = true;
        state_->finish_pending(asio::error::operation_aborted);
    }

    bool is_open() const noexcept { return !state_->closed; }

    template <class MutableBufferSequence, class Token>
    auto async_read_some(const MutableBufferSequence& buffers, Token&& token)
    {
        return asio::async_initiate<Token, void(std::error_code, std::size_t)>(
            [state = state_](auto handler, const MutableBufferSequence& b) {
                start_read(state, std::move(handler), b);
            },
            token, buffers);
    }

    template <class ConstBufferSequence, class Token>
    auto async_write_some(const ConstBufferSequence& buffers, Token&& token)
    {
        return asio::async_initiate<Token, void(std::error_code, std::size_t)>(
            [state = state_](auto handler, const ConstBufferSequence& b) {
                start_write(*state, std::move(handler), b);
            },
            token, buffers);
    }

private:
    // A read waiting for input, its handler and buffer sequence type-erased.
    struct pending_read_base {
        virtual ~pending_read_base() = default;
        virtual std::size_t copy(std::string_view from) = 0;
        virtual void complete(const executor_type& ex, std::error_code ec, std::size_t n) = 0;
    };

    // Runs `handler(ec, n)` later, on the handler's associated executor. `slot` (if
    // connected) still holds our cancellation handler: it is cleared right before the
    // handler runs, outside any cancellation_signal::emit, and before the caller can
    // reuse the slot for its next operation.
    template <class Handler, class Slot>
    static void post_completion(const executor_type& ex, Handler handler, Slot slot,
                                std::error_code ec, std::size_t n)
    {
        auto target = asio::get_associated_executor(handler, ex);
        asio::post(target, [handler = std::move(handler), slot, ec, n]() mutable {
            if (slot.is_connected())
                slot.clear();
            std::move(handler)(ec, n);
        });
    }

    template <class Handler, class Buffers>
    struct pending_read final : pending_read_base {
        using slot_type = asio::associated_cancellation_slot_t<Handler>;
        using work_type =
            asio::executor_work_guard<asio::associated_executor_t<Handler, executor_type>>;

        pending_read(Handler h, const Buffers& b, const executor_type& ex)
            : handler(std::move(h)), buffers(b), work(asio::get_associated_executor(handler, ex)),
              slot(asio::get_associated_cancellation_slot(handler))
        {
        }

        std::size_t copy(std::string_view from) override
        {
            return asio::buffer_copy(buffers, asio::buffer(from.data(), from.size()));
        }

        void complete(const executor_type& ex, std::error_code ec, std::size_t n) override
        {
            post_completion(ex, std::move(handler), slot, ec, n);
            work.reset(); // post() tracks the work from here on
        }

        Handler handler;
        Buffers buffers;
        work_type work;
        slot_type slot;
    };

    struct state {
        executor_type ex{};
        fail_count* fc = nullptr;
        std::string input{};
        std::size_t input_pos = 0; // input before this has been read
        bool input_closed = false;
        bool closed = false;
        std::size_t read_size = std::numeric_limits<std::size_t>::max();
        std::size_t write_size = std::numeric_limits<std::size_t>::max();
        std::string output{};
        std::unique_ptr<pending_read_base> pending{};
        std::uint64_t pending_id = 0; // which read a cancellation handler belongs to

        std::size_t available() const noexcept { return input.size() - input_pos; }

        std::string_view next_chunk() const noexcept
        {
            return std::string_view(input).substr(input_pos, std::min(available(), read_size));
        }

        void consume(std::size_t n)
        {
            input_pos += n;
            if (input_pos == input.size()) {
                input.clear();
                input_pos = 0;
            }
        }

        // Completes the pending read, if any: with data (ec empty), or with `ec`.
        void finish_pending(std::error_code ec)
        {
            if (!pending)
                return;
            auto op = std::move(pending);
            std::size_t n = 0;
            if (!ec) {
                n = op->copy(next_chunk());
                consume(n);
            }
            op->complete(ex, ec, n);
        }
    };

    template <class Handler, class Buffers>
    static void start_read(const std::shared_ptr<state>& s, Handler handler, const Buffers& buffers)
    {
        std::error_code ec;
        const asio::cancellation_slot unused{};
        if (s->fc && s->fc->fail(ec))
            return post_completion(s->ex, std::move(handler), unused, ec, 0);
        if (s->closed)
            return post_completion(s->ex, std::move(handler), unused, asio::error::not_connected,
                                   0);
        if (asio::buffer_size(buffers) == 0) // Asio convention: completes at once, 0 bytes
            return post_completion(s->ex, std::move(handler), unused, {}, 0);
        if (s->available() > 0) {
            const auto n = asio::buffer_copy(
                buffers, asio::buffer(s->next_chunk().data(), s->next_chunk().size()));
            s->consume(n);
            return post_completion(s->ex, std::move(handler), unused, {}, n);
        }
        if (s->input_closed)
            return post_completion(s->ex, std::move(handler), unused, asio::error::eof, 0);
        if (s->pending)
            throw std::logic_error("test_stream: a second read while one is pending");

        auto op =
            std::make_unique<pending_read<Handler, Buffers>>(std::move(handler), buffers, s->ex);
        const auto id = ++s->pending_id;
        if (op->slot.is_connected()) {
            // A weak reference: the stream may be gone when a stale slot fires.
            op->slot.assign([weak = std::weak_ptr<state>(s), id](asio::cancellation_type type) {
                constexpr auto honoured = asio::cancellation_type::terminal |
                                          asio::cancellation_type::partial |
                                          asio::cancellation_type::total;
                if ((type & honoured) == asio::cancellation_type::none)
                    return;
                if (auto locked = weak.lock(); locked && locked->pending_id == id)
                    locked->finish_pending(asio::error::operation_aborted);
            });
        }
        s->pending = std::move(op);
    }

    template <class Handler, class Buffers>
    static void start_write(state& s, Handler handler, const Buffers& buffers)
    {
        std::error_code ec;
        const asio::cancellation_slot unused{};
        if (s.fc && s.fc->fail(ec))
            return post_completion(s.ex, std::move(handler), unused, ec, 0);
        if (s.closed)
            return post_completion(s.ex, std::move(handler), unused, asio::error::not_connected, 0);
        const auto n = std::min(asio::buffer_size(buffers), s.write_size);
        const auto old = s.output.size();
        s.output.resize(old + n);
        asio::buffer_copy(asio::buffer(s.output.data() + old, n), buffers);
        post_completion(s.ex, std::move(handler), unused, {}, n);
    }

    std::shared_ptr<state> state_{};
};

} // namespace imagine::test
