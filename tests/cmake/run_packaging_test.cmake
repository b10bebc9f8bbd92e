# Packaging test: install imagine into a scratch prefix, then build and run the
# consumer in this directory four ways: find_package from the prefix, find_package
# from the build tree, add_subdirectory, and plain compiler + `pkg-config --cflags`.
# Also checks that an incompatible version request is refused.
#
#   cmake -DSOURCE_DIR=<repo> -DWORK_DIR=<scratch dir> [-DCXX=g++] [-DGENERATOR=Ninja]
#         -P tests/cmake/run_packaging_test.cmake

cmake_minimum_required(VERSION 3.20)

if(NOT DEFINED SOURCE_DIR OR NOT DEFINED WORK_DIR)
    message(FATAL_ERROR "usage: cmake -DSOURCE_DIR=... -DWORK_DIR=... -P ${CMAKE_CURRENT_LIST_FILE}")
endif()
if(NOT DEFINED CXX OR CXX STREQUAL "")
    if(DEFINED ENV{CXX})
        set(CXX "$ENV{CXX}")
    else()
        set(CXX c++)
    endif()
endif()
set(_generator_args "")
if(DEFINED GENERATOR AND NOT GENERATOR STREQUAL "")
    set(_generator_args -G "${GENERATOR}")
endif()

set(CONSUMER_DIR "${SOURCE_DIR}/tests/cmake")
set(PREFIX "${WORK_DIR}/prefix")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

function(step what)
    message(STATUS "packaging: ${what}")
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT rc STREQUAL "0")
        message(FATAL_ERROR "packaging: ${what} FAILED (${rc}):\n${out}")
    endif()
    if(what MATCHES ": run$")
        string(STRIP "${out}" out)
        message(STATUS "packaging:   ${out}")
    endif()
endfunction()

function(step_must_fail what expect)
    message(STATUS "packaging: ${what} (must fail)")
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(rc STREQUAL "0")
        message(FATAL_ERROR "packaging: ${what} succeeded but must fail:\n${out}")
    endif()
    string(REGEX REPLACE "[ \t\r\n]+" " " flat "${out}")
    if(NOT flat MATCHES "${expect}")
        message(FATAL_ERROR "packaging: ${what} failed, but not with '${expect}':\n${out}")
    endif()
endfunction()

# 1. Configure and install imagine alone (no tests/examples/benchmarks).
step("configure imagine"
    "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${WORK_DIR}/imagine-build" ${_generator_args}
    "-DCMAKE_CXX_COMPILER=${CXX}" "-DCMAKE_INSTALL_PREFIX=${PREFIX}"
    -DIMAGINE_BUILD_TESTS=OFF -DIMAGINE_BUILD_EXAMPLES=OFF -DIMAGINE_BUILD_BENCH=OFF
    -DIMAGINE_INSTALL=ON)
step("build imagine" "${CMAKE_COMMAND}" --build "${WORK_DIR}/imagine-build")
step("install imagine" "${CMAKE_COMMAND}" --install "${WORK_DIR}/imagine-build")

foreach(file
        include/imagine/imagine.hpp
        include/imagine/config.hpp
        share/cmake/imagine/imagineConfig.cmake
        share/cmake/imagine/imagineConfigVersion.cmake
        share/cmake/imagine/imagineTargets.cmake
        share/cmake/imagine/FindAsio.cmake
        share/pkgconfig/imagine.pc)
    if(NOT EXISTS "${PREFIX}/${file}")
        message(FATAL_ERROR "packaging: not installed: ${PREFIX}/${file}")
    endif()
endforeach()
file(GLOB_RECURSE _installed RELATIVE "${PREFIX}" "${PREFIX}/*")
foreach(file IN LISTS _installed)
    if(NOT file MATCHES "^(include/imagine/.*\\.hpp|share/cmake/imagine/[A-Za-z]+\\.cmake|share/pkgconfig/imagine\\.pc)$")
        message(FATAL_ERROR "packaging: unexpected installed file: ${file}")
    endif()
endforeach()

# The version the package claims, from the generated version file.
file(STRINGS "${PREFIX}/share/cmake/imagine/imagineConfigVersion.cmake" _line
    REGEX "^set\\(PACKAGE_VERSION \"[0-9.]+\"\\)")
string(REGEX REPLACE ".*\"([0-9.]+)\".*" "\\1" VERSION "${_line}")
string(REGEX REPLACE "^([0-9]+\\.[0-9]+).*" "\\1" MAJOR_MINOR "${VERSION}")
message(STATUS "packaging: installed version ${VERSION}")

set(_consumer_common ${_generator_args} "-DCMAKE_CXX_COMPILER=${CXX}"
    "-DIMAGINE_EXPECTED_VERSION=${VERSION}")

function(consumer name)
    set(dir "${WORK_DIR}/consumer-${name}")
    step("consumer ${name}: configure"
        "${CMAKE_COMMAND}" -S "${CONSUMER_DIR}" -B "${dir}" ${_consumer_common} ${ARGN})
    step("consumer ${name}: build" "${CMAKE_COMMAND}" --build "${dir}")
    step("consumer ${name}: run" "${dir}/consumer")
endfunction()

# 2. find_package from the installed prefix (with a compatible version request).
consumer(find-package "-DCMAKE_PREFIX_PATH=${PREFIX}" "-DIMAGINE_CONSUMER_VERSION=${MAJOR_MINOR}")
# 3. find_package from the build tree.
consumer(build-tree "-Dimagine_DIR=${WORK_DIR}/imagine-build")
# 4. add_subdirectory: options must default to OFF, no warning flags leak.
consumer(add-subdirectory -DIMAGINE_CONSUMER_MODE=add_subdirectory
    "-DIMAGINE_SOURCE_DIR=${SOURCE_DIR}")
# 5. An incompatible version request is refused (SameMinorVersion while 0.x).
step_must_fail("consumer asking for imagine 99.0" "compatible with requested version"
    "${CMAKE_COMMAND}" -S "${CONSUMER_DIR}" -B "${WORK_DIR}/consumer-wrong-version"
    ${_consumer_common} "-DCMAKE_PREFIX_PATH=${PREFIX}" -DIMAGINE_CONSUMER_VERSION=99.0)

# 6. pkg-config: compile the consumer with `pkg-config --cflags/--libs imagine`.
find_program(PKG_CONFIG_EXECUTABLE NAMES pkg-config pkgconf)
if(NOT PKG_CONFIG_EXECUTABLE)
    message(FATAL_ERROR "packaging: pkg-config not found")
endif()
set(ENV{PKG_CONFIG_PATH} "${PREFIX}/share/pkgconfig")
foreach(what cflags libs modversion)
    execute_process(COMMAND "${PKG_CONFIG_EXECUTABLE}" --${what} imagine
        RESULT_VARIABLE rc OUTPUT_VARIABLE pc_${what} ERROR_VARIABLE err
        OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT rc STREQUAL "0")
        message(FATAL_ERROR "packaging: pkg-config --${what} imagine failed: ${err}")
    endif()
    message(STATUS "packaging: pkg-config --${what} imagine: ${pc_${what}}")
endforeach()
if(NOT pc_modversion STREQUAL VERSION)
    message(FATAL_ERROR "packaging: imagine.pc says ${pc_modversion}, the package ${VERSION}")
endif()
separate_arguments(_cflags UNIX_COMMAND "${pc_cflags}")
set(_pc_include_ok FALSE)
foreach(flag IN LISTS _cflags)
    if(flag MATCHES "^-I(.+)$")
        file(REAL_PATH "${CMAKE_MATCH_1}" _dir)
        file(REAL_PATH "${PREFIX}/include" _want)
        if(_dir STREQUAL _want)
            set(_pc_include_ok TRUE)
        endif()
    endif()
endforeach()
if(NOT _pc_include_ok)
    message(FATAL_ERROR "packaging: pkg-config --cflags (${pc_cflags}) misses ${PREFIX}/include")
endif()
separate_arguments(_libs UNIX_COMMAND "${pc_libs}")
step("consumer pkg-config: compile"
    "${CXX}" -std=c++20 ${_cflags} "-DIMAGINE_EXPECTED_VERSION=\"${VERSION}\""
    "${CONSUMER_DIR}/main.cpp" -o "${WORK_DIR}/consumer-pkg-config" ${_libs})
step("consumer pkg-config: run" "${WORK_DIR}/consumer-pkg-config")

message(STATUS "packaging: all checks passed")
