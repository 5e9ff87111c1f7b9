// Per-architecture benchmarks with random weights of the exact architecture,
// generated in memory (no files): image encode at batch 1/8/32, text encode
// at batch 1/32, model build (config + weight packing), and preprocessing of
// a 1-megapixel JPEG to the architecture's resolution. Counters: images/s or
// texts/s and effective GFLOP/s (model FLOPs / time). The label names the
// thread count and ISA. Threads: $CLIPRT_BENCH_THREADS, default all cores;
// the pool's idle spin: $CLIPRT_BENCH_SPIN_US (default automatic, 0 = none).
//
//   build/bench/model/model_bench --benchmark_filter='ViT-B-32'
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <thread>

#include "core/cpu_features.h"
#include "image/preprocess.h"
#include "model/clip_model.h"
#include "model/flops.h"
#include "random_model.h"

namespace cliprt::bench {
namespace {

int BenchThreads() {
  if (const char* env = std::getenv("CLIPRT_BENCH_THREADS")) {
    const int n = std::atoi(env);
    if (n > 0) return n;
  }
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

ThreadPool* Pool();

std::string Label() {
  return "threads=" + std::to_string(BenchThreads()) + " spin_us=" + std::to_string(Pool()->spin_micros()) +
         " isa=" + IsaLevelName(ActiveIsaLevel());
}

// One architecture's model at a time (ViT-L weights are GBs): benchmarks run
// in registration order, so the cache is replaced when the arch changes.
struct Loaded {
  std::string arch;
  io::ModelConfig config;
  std::unique_ptr<model::ClipModel> model;
};
Loaded& ModelFor(const std::string& arch) {
  static Loaded loaded;
  if (loaded.arch != arch) {
    loaded = Loaded();
    auto ck = RandomCheckpoint(arch);
    if (!ck.ok()) return loaded;
    auto m = model::ClipModel::Create(*ck, {});
    if (!m.ok()) return loaded;
    loaded.arch = arch;
    loaded.config = ck->config;
    loaded.model = std::move(m).value();
  }
  return loaded;
}

int BenchSpinMicros() {
  const char* env = std::getenv("CLIPRT_BENCH_SPIN_US");
  const int us = env != nullptr ? std::atoi(env) : ThreadPool::kAutoSpin;
  return us >= 0 && us <= 1'000'000 ? us : ThreadPool::kAutoSpin;
}

ThreadPool* Pool() {
  static std::unique_ptr<ThreadPool> pool = ThreadPool::Create(BenchThreads(), BenchSpinMicros()).value();
  return pool.get();
}

void BM_ImageEncode(benchmark::State& state, std::string arch) {
  Loaded& l = ModelFor(arch);
  if (!l.model) return state.SkipWithError(("cannot build " + arch).c_str());
  const int64_t batch = state.range(0);
  const int64_t s = l.model->vision()->image_size();
  std::vector<float> pixels(static_cast<size_t>(batch * 3 * s * s));
  std::mt19937 rng(1);
  std::normal_distribution<float> dist(0.0f, 1.0f);
  for (float& p : pixels) p = dist(rng);
  std::vector<float> out(static_cast<size_t>(batch * l.model->embed_dim()));
  Arena arena;
  model::RunContext ctx{Pool(), &arena};
  for (auto _ : state) {
    Status st = l.model->EncodeImages(pixels.data(), batch, out.data(), l.model->embed_dim(), ctx);
    arena.Reset();
    if (!st.ok()) return state.SkipWithError(st.ToString().c_str());
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["images/s"] = benchmark::Counter(static_cast<double>(batch), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["GFLOP/s"] = benchmark::Counter(model::VisionFlops(l.config) * batch * 1e-9,
                                                 benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(Label());
}

// Captions of a typical length: <sot> + 14 tokens + <eot>, then padding (CLIP
// computes only up to the end-of-text; SigLIP always runs all 64 positions).
void BM_TextEncode(benchmark::State& state, std::string arch) {
  Loaded& l = ModelFor(arch);
  if (!l.model) return state.SkipWithError(("cannot build " + arch).c_str());
  const int64_t batch = state.range(0);
  const int64_t ctx_len = l.model->text()->context_length();
  const bool siglip = l.config.family == io::ArchFamily::kHfSiglip;
  std::vector<int64_t> ids(static_cast<size_t>(batch * ctx_len), siglip ? 1 : 0);
  std::mt19937 rng(2);
  for (int64_t b = 0; b < batch; ++b) {
    int64_t* row = ids.data() + b * ctx_len;
    if (siglip) {
      for (int64_t i = 0; i < 15; ++i) row[i] = 100 + static_cast<int64_t>(rng() % 30000);
      row[15] = 1;
    } else {
      row[0] = 49406;
      for (int64_t i = 1; i < 15; ++i) row[i] = 256 + static_cast<int64_t>(rng() % 40000);
      row[15] = 49407;
    }
  }
  std::vector<float> out(static_cast<size_t>(batch * l.model->embed_dim()));
  Arena arena;
  model::RunContext ctx{Pool(), &arena};
  for (auto _ : state) {
    Status st = l.model->EncodeTexts(ids.data(), batch, out.data(), l.model->embed_dim(), ctx);
    arena.Reset();
    if (!st.ok()) return state.SkipWithError(st.ToString().c_str());
    benchmark::DoNotOptimize(out.data());
  }
  const int64_t positions = siglip ? ctx_len : 16;
  state.counters["texts/s"] = benchmark::Counter(static_cast<double>(batch), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["GFLOP/s"] = benchmark::Counter(model::TextFlops(l.config, positions) * batch * 1e-9,
                                                 benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(Label() + " positions=" + std::to_string(positions));
}

void BM_Build(benchmark::State& state, std::string arch) {
  auto ck = RandomCheckpoint(arch);
  if (!ck.ok()) return state.SkipWithError(ck.status().ToString().c_str());
  for (auto _ : state) {
    auto m = model::ClipModel::Create(*ck, {});
    if (!m.ok()) return state.SkipWithError(m.status().ToString().c_str());
    benchmark::DoNotOptimize(m->get());
  }
  state.SetLabel("config + weight packing (fp32), single thread");
}

void BM_Preprocess(benchmark::State& state, std::string arch) {
  Loaded& l = ModelFor(arch);
  if (!l.model || !l.model->vision()) return state.SkipWithError("no model");
  const int s = static_cast<int>(l.model->vision()->image_size());
  // A 1200x800 RGB test pattern (smooth gradients plus noise), preprocessed
  // with the OpenAI preset at the model's resolution.
  image::Image img;
  img.mode = image::ImageMode::kRGB;
  img.width = 1200;
  img.height = 800;
  img.pixels.resize(size_t{1200} * 800 * 3);
  std::mt19937 rng(3);
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x)
      for (int c = 0; c < 3; ++c)
        img.pixels[(static_cast<size_t>(y) * img.width + x) * 3 + c] =
            static_cast<uint8_t>((x * (c + 1) + y * 2 + static_cast<int>(rng() % 16)) & 0xff);
  const image::PreprocessConfig config = image::OpenAIPreset(s);
  std::vector<float> out(static_cast<size_t>(3 * s * s));
  for (auto _ : state) {
    Status st = image::PreprocessInto(img, config, out.data(), out.size());
    if (!st.ok()) return state.SkipWithError(st.ToString().c_str());
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["images/s"] = benchmark::Counter(1, benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel("1200x800 RGB → " + std::to_string(s) + " px (openai preset), single thread");
}

int RegisterAll() {
  for (const std::string& arch : BenchArchitectures()) {
    benchmark::RegisterBenchmark(("image_encode/" + arch).c_str(), BM_ImageEncode, arch)
        ->Arg(1)->Arg(8)->Arg(32)->ArgName("batch")->Unit(benchmark::kMillisecond)->UseRealTime();
    benchmark::RegisterBenchmark(("text_encode/" + arch).c_str(), BM_TextEncode, arch)
        ->Arg(1)->Arg(32)->ArgName("batch")->Unit(benchmark::kMillisecond)->UseRealTime();
    benchmark::RegisterBenchmark(("preprocess/" + arch).c_str(), BM_Preprocess, arch)
        ->Unit(benchmark::kMillisecond)->UseRealTime();
    benchmark::RegisterBenchmark(("build/" + arch).c_str(), BM_Build, arch)
        ->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
  }
  return 0;
}
const int registered = RegisterAll();

}  // namespace
}  // namespace cliprt::bench

BENCHMARK_MAIN();
