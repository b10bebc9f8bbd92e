// libFuzzer target for the image header probes (see json_fuzz.cpp for how it is run).
// Properties checked on every input:
// - probe_image never crashes or reads outside the input (the sanitizers watch);
// - on success the format is the sniffed one and both sides are non-zero; on error the
//   result is empty and the code is an image_error;
// - the file reader (pread through a small window, on a memfd) gives exactly what the
//   in-memory reader gives, code included;
// - bytes after a successful header change nothing: the probe reads headers only.

#include <imagine/util/image_info.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <system_error>

namespace {

[[noreturn]] void fail(const char* what)
{
    std::fprintf(stderr, "image_info_fuzz: %s\n", what);
    std::abort();
}

/// One memfd for the whole run, rewritten for each input.
int memory_file()
{
    static const int fd = ::memfd_create("image_info_fuzz", MFD_CLOEXEC);
    if (fd < 0)
        fail("memfd_create failed");
    return fd;
}

imagine::image_info probe_through_fd(std::string_view bytes, std::error_code& ec)
{
    const int fd = memory_file();
    if (::ftruncate(fd, 0) != 0 ||
        ::pwrite(fd, bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size()))
        fail("cannot write the memfd");
    // A window of 32 bytes instead of 4096, so that reads straddle its edges.
    imagine::detail::fd_source source(fd, 32);
    return imagine::detail::probe_source(source, ec);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using imagine::image_info;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);

    std::error_code ec;
    const image_info info = imagine::probe_image(bytes, ec);
    if (ec) {
        if (info != image_info{} || ec.category() != imagine::image_category())
            fail("an error with a result, or an error outside imagine.image");
    } else if (info.format != imagine::sniff_image_format(bytes) || info.width == 0 ||
               info.height == 0) {
        fail("a success with another format than sniffed, or an empty side");
    }

    std::error_code file_ec;
    if (probe_through_fd(bytes, file_ec) != info || file_ec != ec)
        fail("the file reader and the memory reader disagree");

    if (!ec) {
        const std::string longer = std::string(bytes) + std::string(bytes);
        std::error_code longer_ec;
        if (imagine::probe_image(longer, longer_ec) != info || longer_ec)
            fail("bytes after the header changed the result");
    }
    return 0;
}
