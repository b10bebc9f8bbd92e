#pragma once

// Deterministic pictures: a smooth, seed-dependent colour field plus per-pixel noise.
// The noise is what makes the encoded files realistic in size (a 1024x1024 PNG of a
// real photo-like image is a few MB, and clients must cope with multi-MB base64), the
// smooth part makes partial images visibly coarser versions of the final one. The same
// seed and size always give the same bytes, on every machine: integer noise, and the
// floating-point tables are rounded before use.

#include "text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace imagine_emulator {

struct raster {
    int width = 0;
    int height = 0;
    int channels = 3;                   ///< 3: RGB, 4: RGBA
    std::vector<std::uint8_t> pixels{}; ///< rows top to bottom, no padding
};

namespace synth_detail {

// One smooth wave per axis and channel, sampled once per column / row. Rounded to
// integers so that libm differences cannot change a single output byte.
inline std::vector<int> wave_table(std::uint64_t& state, int length, int amplitude)
{
    const double frequency =
        1.0 + static_cast<double>(splitmix64(state) % 400) / 100.0; // 1..5 periods
    const double phase = static_cast<double>(splitmix64(state) % 6283) / 1000.0;
    std::vector<int> table(static_cast<std::size_t>(length));
    for (int i = 0; i < length; ++i) {
        const double t = static_cast<double>(i) / static_cast<double>(std::max(1, length));
        table[static_cast<std::size_t>(i)] = static_cast<int>(
            std::lround(amplitude * std::sin(6.283185307179586 * frequency * t + phase)));
    }
    return table;
}

} // namespace synth_detail

/// A width x height picture for `seed`; with `alpha`, an opaque ellipse on a fully
/// transparent background (what "background: transparent" returns).
inline raster synthesize(std::uint64_t seed, int width, int height, bool alpha)
{
    raster image{width, height, alpha ? 4 : 3, {}};
    image.pixels.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) *
                        static_cast<std::size_t>(image.channels));
    std::uint64_t state = seed;
    int base[3];
    std::vector<int> columns[3], rows[3];
    for (int c = 0; c < 3; ++c) {
        base[c] = 70 + static_cast<int>(splitmix64(state) % 116); // 70..185: no clipping below
        columns[c] = synth_detail::wave_table(state, width, 30);
        rows[c] = synth_detail::wave_table(state, height, 20);
    }
    const double cx = width / 2.0, cy = height / 2.0;
    const double rx = width * 0.42, ry = height * 0.42;
    std::uint8_t* out = image.pixels.data();
    for (int y = 0; y < height; ++y) {
        // Noise per row from its own stream: independent of how rows are produced.
        std::uint64_t noise_state =
            seed ^ (0xA24BAED4963EE407ull * static_cast<std::uint64_t>(y + 1));
        std::uint64_t bits = 0;
        int left = 0;
        const double dy = (y + 0.5 - cy) / ry;
        for (int x = 0; x < width; ++x) {
            for (int c = 0; c < 3; ++c) {
                if (left == 0) {
                    bits = splitmix64(noise_state);
                    left = 8;
                }
                const int noise = static_cast<int>(bits & 31) - 16;
                bits >>= 8;
                --left;
                const int v = base[c] + columns[c][static_cast<std::size_t>(x)] +
                              rows[c][static_cast<std::size_t>(y)] + noise;
                *out++ = static_cast<std::uint8_t>(std::clamp(v, 0, 255));
            }
            if (alpha) {
                const double dx = (x + 0.5 - cx) / rx;
                *out++ = dx * dx + dy * dy <= 1.0 ? 255 : 0;
            }
        }
    }
    return image;
}

/// `image` in blocks of block x block pixels, each the colour of its centre pixel:
/// what a partial image looks like (coarser for larger blocks).
inline raster pixelate(const raster& image, int block)
{
    raster out{image.width, image.height, image.channels,
               std::vector<std::uint8_t>(image.pixels.size())};
    const auto channels = static_cast<std::size_t>(image.channels);
    const auto stride = static_cast<std::size_t>(image.width) * channels;
    for (int y = 0; y < image.height; ++y) {
        const int sy = std::min(image.height - 1, y / block * block + block / 2);
        const std::uint8_t* source_row =
            image.pixels.data() + static_cast<std::size_t>(sy) * stride;
        std::uint8_t* row = out.pixels.data() + static_cast<std::size_t>(y) * stride;
        for (int x = 0; x < image.width; ++x) {
            const int sx = std::min(image.width - 1, x / block * block + block / 2);
            std::copy_n(source_row + static_cast<std::size_t>(sx) * channels, channels,
                        row + static_cast<std::size_t>(x) * channels);
        }
    }
    return out;
}

} // namespace imagine_emulator
