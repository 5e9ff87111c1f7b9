// The machine's fp32 FMA peak, measured in the same binary as the GEMMs: each
// pool thread runs 16 independent chains of FMAs on 512-bit (AVX-512) or
// 256-bit (AVX2) registers — enough chains to hide the FMA latency on both
// pipes — with no memory traffic. This source alone gets the ISA flags
// (bench/kernels/CMakeLists.txt); the CPU is checked before running.
#include "bench/kernels/gemm_bench_shapes.h"

#if defined(__x86_64__) || defined(_M_X64)
// GCC 12 reports its own AVX-512 intrinsics' "undefined" vectors as maybe
// uninitialized once inlined (a false positive).
#if defined(__GNUC__) && !defined(__clang__)  // clang has no such warning
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <benchmark/benchmark.h>
#include <immintrin.h>

#include <atomic>
#include <memory>
#include <string>

#include "core/cpu_features.h"
#include "core/thread_pool.h"

namespace cliprt::bench {
namespace {

// ~5 ms of FMAs per call, so the pool wake-up per iteration (tens of µs on a
// VM) does not pull the "peak" below what the GEMMs themselves reach.
constexpr int64_t kInnerIterations = 1 << 20;

template <typename Vec, Vec (*Fma)(Vec, Vec, Vec), Vec (*Set1)(float), float (*Sum)(Vec)>
float FmaChains(int64_t iterations) {
  Vec acc[16];
  for (int i = 0; i < 16; ++i) acc[i] = Set1(0.001f * i);
  const Vec a = Set1(0.999999f), b = Set1(1e-7f);
  for (int64_t it = 0; it < iterations; ++it) {
#pragma GCC unroll 16
    for (int i = 0; i < 16; ++i) acc[i] = Fma(acc[i], a, b);
  }
  Vec total = acc[0];
  for (int i = 1; i < 16; ++i) total = Fma(total, a, acc[i]);
  return Sum(total);
}

__m512 Fma512(__m512 x, __m512 y, __m512 z) { return _mm512_fmadd_ps(x, y, z); }
__m512 Set512(float v) { return _mm512_set1_ps(v); }
float Sum512(__m512 v) {
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, v);
  float s = 0;
  for (float l : lanes) s += l;
  return s;
}
__m256 Fma256(__m256 x, __m256 y, __m256 z) { return _mm256_fmadd_ps(x, y, z); }
__m256 Set256(float v) { return _mm256_set1_ps(v); }
float Sum256(__m256 v) {
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, v);
  float s = 0;
  for (float l : lanes) s += l;
  return s;
}

void RunFmaPeak(benchmark::State& state, bool avx512, int threads) {
  auto created = ThreadPool::Create(threads);
  if (!created.ok()) {
    state.SkipWithError("thread pool");
    return;
  }
  std::unique_ptr<ThreadPool> pool = std::move(created).value();
  std::atomic<float> sink{0};
  for (auto _ : state) {
    pool->ParallelFor(threads, [&](int64_t, int64_t, int) {
      const float r = avx512 ? FmaChains<__m512, Fma512, Set512, Sum512>(kInnerIterations)
                             : FmaChains<__m256, Fma256, Set256, Sum256>(kInnerIterations);
      sink.store(r, std::memory_order_relaxed);
    });
  }
  benchmark::DoNotOptimize(sink.load());
  const double lanes = avx512 ? 16 : 8;
  state.counters["GFLOPS"] = benchmark::Counter(2.0 * 16 * lanes * kInnerIterations * threads * 1e-9,
                                                benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(std::string(avx512 ? "avx512" : "avx2") + " t" + std::to_string(threads));
}

}  // namespace

void RegisterFmaPeakBenchmarks(int threads) {
  if (DetectedIsaLevel() >= IsaLevel::kAvx512) {
    benchmark::RegisterBenchmark(("fma_peak/avx512_t" + std::to_string(threads)).c_str(),
                                 RunFmaPeak, true, threads)
        ->Apply(ApplyGemmBenchTiming)
        ->Unit(benchmark::kMicrosecond);
  }
  if (DetectedIsaLevel() >= IsaLevel::kAvx2) {
    benchmark::RegisterBenchmark(("fma_peak/avx2_t" + std::to_string(threads)).c_str(), RunFmaPeak,
                                 false, threads)
        ->Apply(ApplyGemmBenchTiming)
        ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace cliprt::bench
#else
namespace cliprt::bench {
// No FMA-peak loop off x86-64 yet (a NEON one would go here).
void RegisterFmaPeakBenchmarks(int) {}
}  // namespace cliprt::bench
#endif
