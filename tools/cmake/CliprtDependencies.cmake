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
