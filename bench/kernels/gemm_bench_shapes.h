// The Linear-layer shapes of CLIP towers the GEMM benchmarks run, shared by
// every implementation in the gemm_bench binary so ratios compare like with
// like. M = tokens × batch; N, K from the tower's width and MLP width.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

namespace cliprt::bench {

struct GemmBenchShape {
  std::string name;  // e.g. "vitb32_fc1_M50"
  int64_t m, n, k;
};

inline std::vector<GemmBenchShape> ClipGemmShapes() {
  std::vector<GemmBenchShape> shapes;
  struct Tower {
    const char* name;
    int64_t width, mlp;
    std::vector<int64_t> tokens_times_batch;  // M values
    bool all_layers;
  };
  const Tower towers[] = {
      {"vitb32", 768, 3072, {50, 400}, true},    // ViT-B/32 vision: 50 tokens, batch 1 and 8
      {"vitb16", 768, 3072, {197, 788}, true},   // ViT-B/16 vision: 197 tokens, batch 1 and 4
      {"vitl14", 1024, 4096, {257, 577}, true},  // ViT-L/14 vision (224 and 336 px), batch 1
      {"textb", 512, 2048, {77, 616}, true},     // B text tower: 77 tokens, batch 1 and 8
      {"textl", 768, 3072, {77}, false},         // L text tower
  };
  for (const Tower& t : towers) {
    for (int64_t m : t.tokens_times_batch) {
      const std::string suffix = "_M" + std::to_string(m);
      shapes.push_back({std::string(t.name) + "_fc1" + suffix, m, t.mlp, t.width});
      shapes.push_back({std::string(t.name) + "_fc2" + suffix, m, t.width, t.mlp});
      if (t.all_layers) {
        shapes.push_back({std::string(t.name) + "_qkv" + suffix, m, 3 * t.width, t.width});
        shapes.push_back({std::string(t.name) + "_out" + suffix, m, t.width, t.width});
      }
    }
  }
  // M = 1: a single embedding through a projection / MLP layer (GEMV).
  shapes.push_back({"gemv_fc1_M1", 1, 3072, 768});
  shapes.push_back({"gemv_fc2_M1", 1, 768, 3072});
  return shapes;
}

// Benchmark threads: $CLIPRT_BENCH_THREADS, default 2 (this project's machine).
int GemmBenchThreads();

// Spin time of cliprt's thread pool: $CLIPRT_BENCH_SPIN_US, default
// ThreadPool::kAutoSpin (0 = workers sleep at once, as before the pool
// spun), so the hand-off cost can be measured.
int GemmBenchSpinMicros();

// Timing: wall-clock time by default; with CLIPRT_BENCH_CPU_TIME=1 the CPU
// time of the whole process (all threads), which on a shared, oversubscribed
// machine estimates the quiet-machine ratios better (GFLOPS then means GFLOP
// per CPU-second). Passed to Benchmark::Apply.
void ApplyGemmBenchTiming(benchmark::internal::Benchmark* b);

// Registered by the per-implementation sources of gemm_bench.
void RegisterCliprtGemmBenchmarks(const GemmBenchShape& shape, int threads);
void RegisterEigenGemmBenchmark(const GemmBenchShape& shape, int threads);
void RegisterOpenBlasGemmBenchmark(const GemmBenchShape& shape, int threads);  // no-op without BLAS
void RegisterFmaPeakBenchmarks(int threads);

}  // namespace cliprt::bench
