// gemm_bench: one binary for every GEMM implementation on the CLIP shapes,
// so the ratios in docs/performance.md come from one run. Per shape, in this
// order: cliprt f32 / bf16 / int8, Eigen (-O3 -march=native -fopenmp),
// OpenBLAS cblas_sgemm (when CMake found it); then the machine's FMA peak.
// Counter "GFLOPS" = 2·M·N·K per second (the same for every precision).
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "bench/kernels/gemm_bench_shapes.h"
#include "core/thread_pool.h"

namespace cliprt::bench {

int GemmBenchThreads() {
  const char* env = std::getenv("CLIPRT_BENCH_THREADS");
  const int n = env != nullptr ? std::atoi(env) : 2;
  return n >= 1 && n <= 256 ? n : 2;
}

int GemmBenchSpinMicros() {
  const char* env = std::getenv("CLIPRT_BENCH_SPIN_US");
  const int us = env != nullptr ? std::atoi(env) : ThreadPool::kAutoSpin;
  return us >= 0 && us <= 1'000'000 ? us : ThreadPool::kAutoSpin;
}

void ApplyGemmBenchTiming(benchmark::internal::Benchmark* b) {
  const char* env = std::getenv("CLIPRT_BENCH_CPU_TIME");
  if (env != nullptr && env[0] == '1') {
    b->MeasureProcessCPUTime();
  } else {
    b->UseRealTime();
  }
}

}  // namespace cliprt::bench

int main(int argc, char** argv) {
  using namespace cliprt::bench;
  const int threads = GemmBenchThreads();
  RegisterFmaPeakBenchmarks(threads);
  for (const GemmBenchShape& shape : ClipGemmShapes()) {
    RegisterCliprtGemmBenchmarks(shape, threads);
    RegisterEigenGemmBenchmark(shape, threads);
    RegisterOpenBlasGemmBenchmark(shape, threads);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
