// OpenBLAS cblas_sgemm (bench only, never a library dependency). Built with
// CLIPRT_BENCH_HAVE_OPENBLAS when CMake found BLAS; otherwise registers
// nothing. Run with OPENBLAS_CORETYPE=SKYLAKEX and OPENBLAS_L2_SIZE unset so
// this Zen 4 gets OpenBLAS's AVX-512 kernels (docs/performance.md).
#include "bench/kernels/gemm_bench_shapes.h"

#if defined(CLIPRT_BENCH_HAVE_OPENBLAS)
#include <benchmark/benchmark.h>
#include <cblas.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

extern "C" void openblas_set_num_threads(int num_threads);
extern "C" char* openblas_get_corename(void);

namespace cliprt::bench {
namespace {

void RunOpenBlasGemm(benchmark::State& state, GemmBenchShape shape, int threads) {
  openblas_set_num_threads(threads);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> x(shape.m * shape.k), w(shape.n * shape.k), y(shape.m * shape.n);
  for (float& v : x) v = dist(rng);
  for (float& v : w) v = dist(rng);
  const int m = static_cast<int>(shape.m), n = static_cast<int>(shape.n), k = static_cast<int>(shape.k);
  for (auto _ : state) {
    // Y[M,N] = X[M,K] · W[N,K]ᵀ, both row-major: the same product as ours.
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0f, x.data(), k, w.data(), k,
                0.0f, y.data(), n);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  state.counters["GFLOPS"] = benchmark::Counter(2.0 * shape.m * shape.n * shape.k * 1e-9,
                                                benchmark::Counter::kIsIterationInvariantRate);
  const char* coretype = std::getenv("OPENBLAS_CORETYPE");
  state.SetLabel(std::string("openblas ") + openblas_get_corename() + " CORETYPE=" +
                 (coretype != nullptr ? coretype : "unset") + " t" + std::to_string(threads));
}

}  // namespace

void RegisterOpenBlasGemmBenchmark(const GemmBenchShape& shape, int threads) {
  const std::string name = "gemm/" + shape.name + "/openblas_t" + std::to_string(threads);
  benchmark::RegisterBenchmark(name.c_str(), RunOpenBlasGemm, shape, threads)
      ->Apply(ApplyGemmBenchTiming)
      ->Unit(benchmark::kMicrosecond);
}

}  // namespace cliprt::bench
#else
namespace cliprt::bench {
void RegisterOpenBlasGemmBenchmark(const GemmBenchShape&, int) {}
}  // namespace cliprt::bench
#endif
