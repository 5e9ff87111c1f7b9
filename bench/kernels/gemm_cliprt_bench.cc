// cliprt's GEMM (fp32, bf16, int8) at the active ISA level, weights packed
// once, scratch allocated once, on a pool of `threads` threads.
#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "bench/kernels/gemm_bench_shapes.h"
#include "core/arena.h"
#include "core/thread_pool.h"
#include "kernels/gemm.h"

namespace cliprt::bench {
namespace {

ThreadPool* SharedPool(int threads) {
  static std::unique_ptr<ThreadPool> pool;
  if (pool == nullptr || pool->num_threads() != threads) {
    auto created = ThreadPool::Create(threads, GemmBenchSpinMicros());
    if (!created.ok()) return nullptr;
    pool = std::move(created).value();
  }
  return pool.get();
}

void RunCliprtGemm(benchmark::State& state, GemmBenchShape shape, kernels::GemmPrecision precision,
                   int threads) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> x(shape.m * shape.k), w(shape.n * shape.k), bias(shape.n), y(shape.m * shape.n);
  for (float& v : x) v = dist(rng);
  for (float& v : w) v = dist(rng);
  for (float& v : bias) v = dist(rng);
  auto packed = kernels::PackedGemmWeights::Create(precision, w.data(), shape.n, shape.k, shape.k);
  ThreadPool* pool = SharedPool(threads);
  if (!packed.ok() || pool == nullptr) {
    state.SkipWithError(packed.ok() ? "thread pool" : packed.status().ToString().c_str());
    return;
  }
  const size_t bytes = kernels::GemmScratchBytes(packed->plan(), shape.m, threads);
  auto scratch = AllocateAligned(bytes);
  if (!scratch.ok()) {
    state.SkipWithError("scratch");
    return;
  }
  kernels::GemmEpilogue ep;
  ep.bias = bias.data();
  for (auto _ : state) {
    Status st = kernels::RunGemm(packed->plan(), packed->data(), shape.m, x.data(), shape.k,
                                 y.data(), shape.n, ep, pool, scratch->get(), bytes);
    if (!st.ok()) {
      state.SkipWithError(st.ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  state.counters["GFLOPS"] = benchmark::Counter(2.0 * shape.m * shape.n * shape.k * 1e-9,
                                                benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(std::string(packed->plan().kernel_name) + " " +
                 IsaLevelName(packed->plan().isa) + " t" + std::to_string(threads));
}

}  // namespace

void RegisterCliprtGemmBenchmarks(const GemmBenchShape& shape, int threads) {
  for (auto precision : {kernels::GemmPrecision::kF32, kernels::GemmPrecision::kBF16,
                         kernels::GemmPrecision::kQS8}) {
    const std::string name = "gemm/" + shape.name + "/cliprt_" +
                             kernels::GemmPrecisionName(precision) + "_" +
                             IsaLevelName(ActiveIsaLevel()) + "_t" + std::to_string(threads);
    benchmark::RegisterBenchmark(name.c_str(), RunCliprtGemm, shape, precision, threads)
        ->Apply(ApplyGemmBenchTiming)
        ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace cliprt::bench
