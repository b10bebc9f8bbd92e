// Throughput of the base64 codecs on a ~5 MB payload (the size of a b64_json image),
// next to memchr and memcpy over the same bytes as a floor for what "fast" can mean on
// this machine. Build with -O2 and no -m flags: the AVX2 path is chosen at run time.
//
//   g++ -std=c++20 -O2 -Iinclude bench/base64_bench.cpp -o base64_bench && ./base64_bench

#include <imagine/base64.hpp>
#include <imagine/detail/cpu.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

namespace b64 = imagine::base64;

constexpr std::size_t raw_size = 3'750'000; // encodes to exactly 5,000,000 characters
constexpr int repetitions = 60;

// Makes the compiler assume p's memory is read and written here, so work that produces
// it can neither be skipped nor hoisted out of the timing loop.
void escape(const void* p)
{
    __asm__ __volatile__("" : : "g"(p) : "memory");
}

std::string random_bytes(std::size_t n)
{
    std::string out(n, '\0');
    std::uint64_t x = 0x9E3779B97F4A7C15ULL;
    for (auto& c : out) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        c = static_cast<char>(x >> 56);
    }
    return out;
}

/// Best time of `repetitions` runs of fn, in seconds.
template <class Fn>
double best_seconds(Fn&& fn)
{
    double best = 1e30;
    for (int r = 0; r < repetitions; ++r) {
        const auto start = std::chrono::steady_clock::now();
        fn();
        const auto stop = std::chrono::steady_clock::now();
        best = std::min(best, std::chrono::duration<double>(stop - start).count());
    }
    return best;
}

double gbps(std::size_t bytes, double seconds)
{
    return static_cast<double>(bytes) / seconds / 1e9;
}

void report(const char* name, std::size_t bytes, double seconds, double memcpy_gbps)
{
    const double rate = gbps(bytes, seconds);
    std::printf("%-34s %7.2f GB/s  %8.1f us", name, rate, seconds * 1e6);
    if (memcpy_gbps > 0) {
        std::printf("  (%.2fx memcpy)", rate / memcpy_gbps);
    }
    std::printf("\n");
}

void check(bool ok, const char* what)
{
    if (!ok) {
        std::fprintf(stderr, "benchmark self-check failed: %s\n", what);
        std::exit(1);
    }
}

} // namespace

int main()
{
    const std::string raw = random_bytes(raw_size);
    const std::string text = b64::encode(raw);
    const std::size_t n = text.size();
    const bool avx2 = imagine::detail::cpu_has_avx2();
    std::printf("input: %zu base64 characters -> %zu bytes; AVX2 %s; best of %d runs\n", n,
                raw.size(), avx2 ? "available" : "not available", repetitions);
    std::printf("rates are input bytes per second\n\n");

    std::vector<char> out(b64::max_decoded_size(n));
    std::vector<char> copy(n);

    // Floors. 0x01 never occurs in base64, so memchr must scan every byte.
    const double memcpy_s = best_seconds([&] {
        escape(text.data());
        std::memcpy(copy.data(), text.data(), n);
        escape(copy.data());
    });
    const double memcpy_rate = gbps(n, memcpy_s);
    report("memcpy (floor)", n, memcpy_s, 0);
    const void* found = nullptr;
    const double memchr_s = best_seconds([&] {
        escape(text.data());
        found = std::memchr(text.data(), 0x01, n);
        escape(&found);
    });
    check(found == nullptr, "memchr found a byte that is not there");
    report("memchr, absent byte (floor)", n, memchr_s, memcpy_rate);
    std::printf("\n");

    auto timed_decode = [&](const char* name, auto&& decode_fn) {
        b64::decode_result r;
        const double s = best_seconds([&] {
            escape(text.data());
            r = decode_fn();
            escape(out.data());
        });
        check(r.ok() && r.written == raw.size() &&
                  std::memcmp(out.data(), raw.data(), raw.size()) == 0,
              name);
        report(name, n, s, memcpy_rate);
    };

    timed_decode("decode, scalar", [&] { return b64::detail::decode_scalar(text, out.data()); });
    if (avx2) {
        timed_decode("decode, AVX2", [&] { return b64::detail::decode_avx2(text, out.data()); });
    }
    timed_decode("decode (dispatching)", [&] { return b64::decode(text, out.data()); });

    auto incremental = [&](b64::implementation impl) {
        return [&, impl] {
            constexpr std::size_t piece = 64 * 1024;
            b64::decoder dec(impl);
            std::size_t written = 0;
            for (std::size_t at = 0; at < n; at += piece) {
                const std::string_view part = std::string_view(text).substr(at, piece);
                const auto r = dec.update(part, out.data() + written);
                if (!r.ok()) {
                    return r;
                }
                written += r.written;
            }
            auto end = dec.finish();
            end.written = written;
            return end;
        };
    };
    timed_decode("decoder, 64 KiB pieces, scalar", incremental(b64::implementation::scalar));
    timed_decode("decoder, 64 KiB pieces", incremental(b64::implementation::automatic));
    std::printf("\n");

    std::string encoded(b64::encoded_size(raw.size()), '\0');
    auto timed_encode = [&](const char* name, auto&& encode_fn) {
        const double s = best_seconds([&] {
            escape(raw.data());
            encode_fn();
            escape(encoded.data());
        });
        check(encoded == text, name);
        report(name, raw.size(), s, memcpy_rate);
    };
    timed_encode("encode, scalar", [&] { b64::detail::encode_scalar(raw, encoded.data()); });
    if (avx2) {
        timed_encode("encode, AVX2", [&] { b64::detail::encode_avx2(raw, encoded.data()); });
    }
    timed_encode("encode (dispatching)", [&] { b64::encode(raw, encoded.data()); });
    return 0;
}
