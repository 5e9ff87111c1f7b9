// Checkpoint load time, peak RSS and SHA-256 throughput for a ViT-B/32-sized
// checkpoint with random weights, written by this binary at start-up in each
// format (fp32 safetensors, fp16 TorchScript archive) — nothing large is
// committed. Files are warm in the page cache (just written): the numbers
// are the loader's own cost, not the disk's.
//
//   build-io/bench/io/io_load_bench [--benchmark_filter=...]
//   CLIPRT_BENCH_DIR=/path  chooses where the ~0.9 GB of files go (default /tmp)
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "io/checkpoint.h"
#include "io/mapped_file.h"
#include "io/sha256.h"
#include "vit_b32_writer.h"

namespace cliprt::bench {
namespace {

struct BenchFiles {
  std::string dir;
  std::string safetensors;
  std::string torchscript;
  int64_t elements = 0;
  ~BenchFiles() {
    std::error_code ec;
    if (!dir.empty()) std::filesystem::remove_all(dir, ec);
  }
};

const BenchFiles& Files() {
  static BenchFiles* files = [] {
    auto* f = new BenchFiles;
    const char* base = std::getenv("CLIPRT_BENCH_DIR");
    f->dir = std::string(base ? base : "/tmp") + "/cliprt_io_bench_" + std::to_string(getpid());
    std::filesystem::create_directories(f->dir);
    const auto shapes = VitB32Shapes();
    f->elements = TotalElements(shapes);
    f->safetensors = f->dir + "/vit_b32_f32.safetensors";
    f->torchscript = f->dir + "/ViT-B-32.pt";
    Status s = WriteSafetensorsF32(f->safetensors, shapes);
    if (s.ok()) s = WriteTorchScriptF16(f->torchscript, shapes);
    if (!s.ok()) {
      std::fprintf(stderr, "cannot write bench checkpoints: %s\n", s.ToString().c_str());
      std::exit(1);
    }
    std::atexit([] { delete files; });
    return f;
  }();
  return *files;
}

io::LoadOptions NoHash() {
  io::LoadOptions o;
  o.compute_sha256 = false;
  return o;
}

// Reads one byte per page of every tensor: what the first encode would fault in.
uint64_t TouchAll(const io::Checkpoint& ck) {
  uint64_t sum = 0;
  for (const auto& [name, t] : ck.tensors) {
    const auto* p = static_cast<const uint8_t*>(t.data());
    const size_t n = static_cast<size_t>(t.numel()) * DTypeSize(t.dtype());
    for (size_t i = 0; i < n; i += 4096) sum += p[i];
  }
  return sum;
}

void Load(benchmark::State& state, const std::string& path, bool touch) {
  for (auto _ : state) {
    auto ck = io::LoadCheckpoint(path, NoHash());
    if (!ck.ok()) {
      state.SkipWithError(ck.status().ToString().c_str());
      return;
    }
    if (touch) benchmark::DoNotOptimize(TouchAll(*ck));
    benchmark::DoNotOptimize(ck->tensors.size());
  }
  state.counters["fp32_weight_MB"] = static_cast<double>(Files().elements) * 4 / 1e6;
}

void BM_Load_Safetensors_F32(benchmark::State& s) { Load(s, Files().safetensors, false); }
void BM_Load_TorchScript_F16(benchmark::State& s) { Load(s, Files().torchscript, false); }
void BM_LoadAndTouchPages_Safetensors_F32(benchmark::State& s) { Load(s, Files().safetensors, true); }
void BM_LoadAndTouchPages_TorchScript_F16(benchmark::State& s) { Load(s, Files().torchscript, true); }

void BM_LoadWidenToF32_TorchScript_F16(benchmark::State& state) {
  // Load + widen every fp16 tensor to an owned fp32 copy (the most a
  // consumer that computes in fp32 from fp16 storage would do).
  for (auto _ : state) {
    auto ck = io::LoadCheckpoint(Files().torchscript, NoHash());
    if (!ck.ok()) {
      state.SkipWithError(ck.status().ToString().c_str());
      return;
    }
    for (const auto& [name, t] : ck->tensors) {
      auto wide = t.ToContiguousF32();
      benchmark::DoNotOptimize(wide.ok());
    }
  }
}

void BM_Sha256(benchmark::State& state) {
  auto file = io::MappedFile::Open(Files().safetensors);
  if (!file.ok()) {
    state.SkipWithError(file.status().ToString().c_str());
    return;
  }
  for (auto _ : state) {
    auto h = io::Sha256Hex((*file)->data(), (*file)->size());
    benchmark::DoNotOptimize(h.ok());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>((*file)->size()));
}

// Peak RSS of a fresh process that loads the file and touches every tensor
// page, measured in a forked child so earlier benchmarks do not count.
void PeakRss(benchmark::State& state, const std::string& path, bool widen, bool release = false) {
  double peak_mb = 0;
  for (auto _ : state) {
    int fds[2];
    if (pipe(fds) != 0) {
      state.SkipWithError("pipe failed");
      return;
    }
    const pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      long kb = -1;
      auto ck = io::LoadCheckpoint(path, NoHash());
      if (ck.ok()) {
        benchmark::DoNotOptimize(TouchAll(*ck));
        if (widen) {
          for (auto& [name, t] : ck->tensors) {
            auto wide = t.ToContiguousF32();
            if (!wide.ok()) continue;
            // The mapped fp16 copy is no longer read: release its pages.
            if (release) ck->ReleasePages(t);
            t = std::move(*wide);
          }
        }
        struct rusage ru {};
        getrusage(RUSAGE_SELF, &ru);
        kb = ru.ru_maxrss;
      }
      if (write(fds[1], &kb, sizeof(kb)) != sizeof(kb)) _exit(1);
      _exit(0);
    }
    close(fds[1]);
    long kb = -1;
    if (read(fds[0], &kb, sizeof(kb)) != sizeof(kb)) kb = -1;
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    peak_mb = static_cast<double>(kb) * 1024 / 1e6;
  }
  const double fp32_mb = static_cast<double>(Files().elements) * 4 / 1e6;
  state.counters["peak_rss_MB"] = peak_mb;
  state.counters["fp32_weight_MB"] = fp32_mb;
  state.counters["rss_over_fp32"] = peak_mb / fp32_mb;
}

void BM_PeakRss_Safetensors_F32(benchmark::State& s) { PeakRss(s, Files().safetensors, false); }
void BM_PeakRss_TorchScript_F16(benchmark::State& s) { PeakRss(s, Files().torchscript, false); }
void BM_PeakRss_TorchScript_F16_WidenedToF32(benchmark::State& s) { PeakRss(s, Files().torchscript, true); }
void BM_PeakRss_TorchScript_F16_WidenedReleased(benchmark::State& s) {
  PeakRss(s, Files().torchscript, true, true);
}

BENCHMARK(BM_Load_Safetensors_F32)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Load_TorchScript_F16)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoadAndTouchPages_Safetensors_F32)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoadAndTouchPages_TorchScript_F16)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoadWidenToF32_TorchScript_F16)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Sha256)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PeakRss_Safetensors_F32)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PeakRss_TorchScript_F16)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PeakRss_TorchScript_F16_WidenedToF32)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PeakRss_TorchScript_F16_WidenedReleased)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cliprt::bench

BENCHMARK_MAIN();
