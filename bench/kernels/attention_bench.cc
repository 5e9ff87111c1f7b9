// attention_bench: fused fp32 attention (kernels/attention.h), µs per call at
// the attention shapes of real CLIP towers (batch 1: one image / one text),
// for every ISA level this CPU has, with 1 thread and with
// CLIPRT_BENCH_THREADS threads (default 2). Counter "GFLOPS" = 4·q·kv·d·heads
// per second (halved for causal), the two matrix products.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/cpu_features.h"
#include "core/thread_pool.h"
#include "kernels/attention.h"
#include "kernels/ops_dispatch.h"

namespace cliprt::bench {
namespace {

struct AttentionShape {
  const char* name;
  int64_t seq, heads, head_dim;
  bool causal;
};

const AttentionShape kShapes[] = {
    {"ViT-B-32_vision", 50, 12, 64, false},      {"ViT-B-16_vision", 197, 12, 64, false},
    {"ViT-L-14_vision", 257, 16, 64, false},     {"ViT-L-14-336_vision", 577, 16, 64, false},
    {"ViT-H-14_vision", 257, 16, 80, false},     {"SigLIP-So400m-14-384_vision", 729, 16, 72, false},
    {"CLIP-B_text", 77, 8, 64, true},            {"CLIP-L_text", 77, 12, 64, true},
    {"seq1024_d128", 1024, 8, 128, false},
};

int BenchThreads() {
  const char* env = std::getenv("CLIPRT_BENCH_THREADS");
  const int n = env != nullptr ? std::atoi(env) : 2;
  return n >= 1 && n <= 256 ? n : 2;
}

void RunAttention(benchmark::State& state, AttentionShape shape, const kernels::OpsKernels* ops,
                  int threads) {
  const int64_t w = shape.heads * shape.head_dim;
  std::vector<float> qkv(shape.seq * 3 * w), out(shape.seq * w);
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (float& v : qkv) v = dist(rng);
  auto pool_or = ThreadPool::Create(threads);
  if (!pool_or.ok()) {
    state.SkipWithError(pool_or.status().message().c_str());
    return;
  }
  std::unique_ptr<ThreadPool> pool = std::move(pool_or).value();
  kernels::F32AttentionArgs a;
  a.batch = 1;
  a.heads = shape.heads;
  a.q_len = a.kv_len = shape.seq;
  a.head_dim = shape.head_dim;
  a.q = qkv.data();
  a.k = qkv.data() + w;
  a.v = qkv.data() + 2 * w;
  a.q_row_stride = a.k_row_stride = a.v_row_stride = 3 * w;
  a.q_batch_stride = a.k_batch_stride = a.v_batch_stride = shape.seq * 3 * w;
  a.out = out.data();
  a.out_row_stride = w;
  a.out_batch_stride = shape.seq * w;
  a.scale = kernels::AttentionDefaultScale(shape.head_dim);
  a.causal = shape.causal;
  std::vector<float> scratch(kernels::F32AttentionScratchFloats(shape.seq, shape.head_dim, threads));
  for (auto _ : state) {
    const Status s = kernels::F32Attention(*ops, a, pool.get(), scratch.data(), scratch.size());
    if (!s.ok()) {
      state.SkipWithError(s.message().c_str());
      return;
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  double flops = 4.0 * shape.seq * shape.seq * shape.head_dim * shape.heads;
  if (shape.causal) flops /= 2;
  state.counters["GFLOPS"] =
      benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace
}  // namespace cliprt::bench

int main(int argc, char** argv) {
  using namespace cliprt;
  const int threads = bench::BenchThreads();
  for (const bench::AttentionShape& shape : bench::kShapes) {
    for (IsaLevel level : {IsaLevel::kScalar, IsaLevel::kAvx2, IsaLevel::kAvx512}) {
      const kernels::OpsKernels* ops = kernels::OpsKernelsForIsa(level);
      if (ops == nullptr) continue;
      for (int t : {1, threads}) {
        char name[160];  // snprintf: GCC 12 warns (-Wrestrict) on chained std::string +
        std::snprintf(name, sizeof(name), "attention/%s/seq%lld_h%lld_d%lld/%s/threads:%d",
                      shape.name, static_cast<long long>(shape.seq),
                      static_cast<long long>(shape.heads), static_cast<long long>(shape.head_dim),
                      IsaLevelName(level), t);
        benchmark::RegisterBenchmark(name, bench::RunAttention, shape, ops, t)
            ->Unit(benchmark::kMicrosecond)
            ->UseRealTime();
        if (threads == 1) break;
      }
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
