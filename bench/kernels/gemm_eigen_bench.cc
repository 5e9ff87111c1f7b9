// Eigen's fp32 GEMM at its best: this source alone is compiled with
// -O3 -march=native -fopenmp (bench/kernels/CMakeLists.txt) and Eigen runs on
// `threads` OpenMP threads.
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <random>
#include <string>

#include "bench/kernels/gemm_bench_shapes.h"

namespace cliprt::bench {
namespace {

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

void RunEigenGemm(benchmark::State& state, GemmBenchShape shape, int threads) {
  Eigen::setNbThreads(threads);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  RowMajor x(shape.m, shape.k), w(shape.n, shape.k), y(shape.m, shape.n);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = dist(rng);
  for (Eigen::Index i = 0; i < w.size(); ++i) w.data()[i] = dist(rng);
  for (auto _ : state) {
    y.noalias() = x * w.transpose();
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  state.counters["GFLOPS"] = benchmark::Counter(2.0 * shape.m * shape.n * shape.k * 1e-9,
                                                benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel("eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." +
                 std::to_string(EIGEN_MAJOR_VERSION) + " " + Eigen::SimdInstructionSetsInUse() +
                 " t" + std::to_string(Eigen::nbThreads()));
}

}  // namespace

void RegisterEigenGemmBenchmark(const GemmBenchShape& shape, int threads) {
  const std::string name = "gemm/" + shape.name + "/eigen_native_t" + std::to_string(threads);
  benchmark::RegisterBenchmark(name.c_str(), RunEigenGemm, shape, threads)
      ->Apply(ApplyGemmBenchTiming)
      ->Unit(benchmark::kMicrosecond);
}

}  // namespace cliprt::bench
