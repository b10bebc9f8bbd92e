# FindAsio.cmake -- standalone Asio (header-only, no Boost).
#
# Debian's libasio-dev (and most distributions) ship neither a CMake package nor an
# asio.pc, so imagine ships this module and installs it next to imagineConfig.cmake.
#
# Input:  Asio_ROOT / ASIO_ROOT (or CMAKE_PREFIX_PATH) may point at an Asio tree
#         (either <root>/include/asio.hpp or <root>/asio/include/asio.hpp).
# Output: Asio_FOUND, Asio_VERSION, Asio_INCLUDE_DIR, Asio_INCLUDE_DIRS and the
#         imported target Asio::Asio (INTERFACE, defines ASIO_STANDALONE).
#
# Asio < 1.26 does not detect C++20 coroutines on clang with libstdc++ (it looks for
# <experimental/coroutine>); for those versions the target also carries
# ASIO_HAS_CO_AWAIT=1 and ASIO_HAS_STD_INVOKE_RESULT=1 when compiling with clang,
# so that code including Asio before imagine's headers sees the same configuration.

find_path(Asio_INCLUDE_DIR
    NAMES asio.hpp
    HINTS ${ASIO_ROOT} ENV ASIO_ROOT
    PATH_SUFFIXES include asio/include
    DOC "Directory containing asio.hpp (standalone Asio)")

set(Asio_VERSION "")
if(Asio_INCLUDE_DIR AND EXISTS "${Asio_INCLUDE_DIR}/asio/version.hpp")
    file(STRINGS "${Asio_INCLUDE_DIR}/asio/version.hpp" _asio_version_line
        REGEX "^#define[ \t]+ASIO_VERSION[ \t]+[0-9]+")
    string(REGEX REPLACE "^#define[ \t]+ASIO_VERSION[ \t]+([0-9]+).*$" "\\1"
        _asio_version_number "${_asio_version_line}")
    if(_asio_version_number MATCHES "^[0-9]+$")
        # ASIO_VERSION = major * 100000 + minor * 100 + patch, e.g. 102201 = 1.22.1
        math(EXPR _asio_major "${_asio_version_number} / 100000")
        math(EXPR _asio_minor "${_asio_version_number} / 100 % 1000")
        math(EXPR _asio_patch "${_asio_version_number} % 100")
        set(Asio_VERSION "${_asio_major}.${_asio_minor}.${_asio_patch}")
    endif()
    unset(_asio_version_line)
    unset(_asio_version_number)
    unset(_asio_major)
    unset(_asio_minor)
    unset(_asio_patch)
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Asio
    REQUIRED_VARS Asio_INCLUDE_DIR
    VERSION_VAR Asio_VERSION)

if(Asio_FOUND)
    set(Asio_INCLUDE_DIRS "${Asio_INCLUDE_DIR}")
    if(NOT TARGET Asio::Asio)
        add_library(Asio::Asio INTERFACE IMPORTED)
        set_target_properties(Asio::Asio PROPERTIES
            INTERFACE_INCLUDE_DIRECTORIES "${Asio_INCLUDE_DIR}"
            INTERFACE_COMPILE_DEFINITIONS "ASIO_STANDALONE")
        if(Asio_VERSION VERSION_LESS 1.26)
            set_property(TARGET Asio::Asio APPEND PROPERTY INTERFACE_COMPILE_DEFINITIONS
                "$<$<COMPILE_LANG_AND_ID:CXX,Clang,AppleClang>:ASIO_HAS_CO_AWAIT=1>"
                "$<$<COMPILE_LANG_AND_ID:CXX,Clang,AppleClang>:ASIO_HAS_STD_INVOKE_RESULT=1>")
        endif()
    endif()
endif()

mark_as_advanced(Asio_INCLUDE_DIR)
