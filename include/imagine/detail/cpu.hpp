#pragma once

// Run-time CPU feature checks for the SIMD paths. The library is compiled for the
// baseline ISA (users pass no -m flags); wider paths are compiled per function with a
// target attribute and chosen once at run time.

#if defined(__x86_64__) || defined(__i386__)
#define IMAGINE_X86 1
#define IMAGINE_TARGET_AVX2 __attribute__((target("avx2")))
#else
#define IMAGINE_X86 0
#define IMAGINE_TARGET_AVX2
#endif

namespace imagine::detail {

/// True when the running CPU (and the OS, for the wide registers) supports AVX2.
/// The answer is computed once; later calls read a cached value.
inline bool cpu_has_avx2() noexcept
{
#if IMAGINE_X86
    static const bool has = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") != 0;
    }();
    return has;
#else
    return false;
#endif
}

} // namespace imagine::detail
