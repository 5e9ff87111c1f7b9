# Every dependency comes from a Debian package (tools/install-deps.sh installs
# them); nothing is downloaded at configure, build or test time.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)
find_package(Eigen3 3.4 REQUIRED CONFIG)
pkg_check_modules(STB REQUIRED IMPORTED_TARGET stb)
pkg_check_modules(SENTENCEPIECE REQUIRED IMPORTED_TARGET sentencepiece)
if(CLIPRT_BUILD_TESTS)
  find_package(GTest 1.11 REQUIRED CONFIG)
endif()
if(CLIPRT_BUILD_BENCH)
  find_package(benchmark REQUIRED CONFIG)
endif()
# SHA-256 of checkpoint files (libcrypto uses SHA-NI when the CPU has it).
find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto)
# JPEG decoding with libjpeg-turbo, the decoder Pillow uses, so JPEG pixels
# match the reference pipelines exactly.
pkg_check_modules(JPEG REQUIRED IMPORTED_TARGET libjpeg)
# OpenBLAS is optional and used only by benchmarks (peer comparison).
find_package(BLAS QUIET)
