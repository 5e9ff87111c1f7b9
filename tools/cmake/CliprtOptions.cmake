# Compiler flags shared by every cliprt target, exposed as the interface
# target cliprt_build_flags (warnings, sanitizers, optional -march=native).
add_library(cliprt_build_flags INTERFACE)
target_compile_options(cliprt_build_flags INTERFACE
  $<$<COMPILE_LANGUAGE:C,CXX>:-Wall -Wextra>)

if(CLIPRT_NATIVE)
  target_compile_options(cliprt_build_flags INTERFACE -march=native)
endif()

if(CLIPRT_SANITIZE)
  if(NOT CLIPRT_SANITIZE MATCHES "^(address|undefined|thread)$")
    message(FATAL_ERROR "CLIPRT_SANITIZE must be address, undefined or thread (got '${CLIPRT_SANITIZE}')")
  endif()
  set(_cliprt_san -fsanitize=${CLIPRT_SANITIZE} -fno-omit-frame-pointer)
  if(CLIPRT_SANITIZE STREQUAL "undefined")
    list(APPEND _cliprt_san -fno-sanitize-recover=all)
  endif()
  # Applied globally so tests, tools and the library agree on the runtime.
  add_compile_options(${_cliprt_san} -g)
  add_link_options(${_cliprt_san})
endif()

# libFuzzer builds (clang only): the library and fuzz targets are compiled
# with coverage instrumentation and ASan; tests/fuzz links -fsanitize=fuzzer.
if(CLIPRT_BUILD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CLIPRT_BUILD_FUZZ needs clang (CC=clang CXX=clang++)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address)
endif()
