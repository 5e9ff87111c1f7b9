#!/usr/bin/env bash
# usage: run_consumer_test.sh <cliprt build dir> <consumer source dir> <scratch dir> [sanitizer]
# Installs the build into <scratch>/prefix, then builds and runs the consumer
# programs via find_package(cliprt) (shared and static) and via pkg-config.
set -euo pipefail
build_dir=$1
consumer_src=$2
scratch=$3
sanitizer=${4:-}

rm -rf "$scratch"
mkdir -p "$scratch"
prefix="$scratch/prefix"
cmake --install "$build_dir" --prefix "$prefix" >/dev/null

flags=""
if [ -n "$sanitizer" ]; then flags="-fsanitize=$sanitizer"; fi

echo "== find_package(cliprt)"
cmake -S "$consumer_src" -B "$scratch/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" >/dev/null
cmake --build "$scratch/cmake-build" -j2 >/dev/null
"$scratch/cmake-build/consumer_c"
"$scratch/cmake-build/consumer_cpp"
"$scratch/cmake-build/consumer_cpp_static"

echo "== pkg-config"
libdir=$(ls -d "$prefix"/lib*/pkgconfig | head -n 1)
export PKG_CONFIG_PATH="$libdir"
cc -std=c99 $flags -o "$scratch/pc_consumer_c" "$consumer_src/consumer.c" $(pkg-config --cflags --libs cliprt)
c++ -std=c++20 $flags -o "$scratch/pc_consumer_cpp" "$consumer_src/consumer.cc" $(pkg-config --cflags --libs cliprt)
LD_LIBRARY_PATH="$(dirname "$libdir")" "$scratch/pc_consumer_c"
LD_LIBRARY_PATH="$(dirname "$libdir")" "$scratch/pc_consumer_cpp"
echo "install consumer test passed"
