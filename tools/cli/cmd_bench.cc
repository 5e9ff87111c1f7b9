// cliprt bench MODEL — throughput of one checkpoint on this machine.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <vector>

#include "args.h"
#include "cli_error.h"
#include "command_helpers.h"
#include "commands.h"
#include "json_writer.h"
#include "model_options.h"
#include "progress.h"

namespace cliprt_cli {
namespace {

constexpr const char* kHelp =
    "usage: cliprt bench MODEL [--batch N] [--threads N] [--precision fp32|bf16|int8]\n"
    "                    [--towers both|vision|text] [--iters N] [--min-time S]\n"
    "                    [--text CAPTION] [--table] [common options]\n"
    "\n"
    "Times the image tower on preprocessed pixels (random, fixed seed) and the text\n"
    "tower on N copies of a caption, one batch of N per call: one warm-up call,\n"
    "then calls until --min-time seconds (default 2) and at least 3 calls, or\n"
    "exactly --iters calls. Prints JSON on stdout: load time, ms per call (median\n"
    "and min), images/s and texts/s (from the median), effective GFLOP/s (model\n"
    "FLOPs / median time), peak RSS. A table goes to stderr when it is a terminal,\n"
    "or always with --table.\n"
    "\n"
    "  --batch N      images / texts per call (default 1)\n"
    "  --text C       caption to encode (default \"a photo of a dog playing with a ball\")\n"
    "  --no-sha256    do not hash the weights at load (load time without hashing)\n"
    "common options: --tokenizer PATH --preset NAME --threads N --precision P --isa L\n"
    "\n"
    "example:\n"
    "  cliprt bench ViT-B-32.pt --tokenizer bpe_simple_vocab_16e6.txt.gz --batch 32 --threads 2\n";

using Clock = std::chrono::steady_clock;

struct Timing {
  int64_t calls = 0;
  double median_ms = 0;
  double min_ms = 0;
};

Timing TimeCalls(const std::function<void()>& call, int64_t iters, double min_time_s) {
  call();  // warm-up: first-touch of arenas and packed weights
  std::vector<double> ms;
  const auto start = Clock::now();
  while (true) {
    const auto t0 = Clock::now();
    call();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    if (iters > 0 ? static_cast<int64_t>(ms.size()) >= iters
                  : (elapsed >= min_time_s && ms.size() >= 3) || ms.size() >= 100000) {
      break;
    }
  }
  Timing t;
  t.calls = static_cast<int64_t>(ms.size());
  std::sort(ms.begin(), ms.end());
  t.median_ms = ms.size() % 2 ? ms[ms.size() / 2] : 0.5 * (ms[ms.size() / 2 - 1] + ms[ms.size() / 2]);
  t.min_ms = ms.front();
  return t;
}

void WriteTiming(JsonWriter& w, const char* unit, const Timing& t, int64_t batch, double flops_per_item) {
  w.Key("calls").Int(t.calls);
  w.Key("ms_per_call_median").Double(t.median_ms);
  w.Key("ms_per_call_min").Double(t.min_ms);
  w.Key(unit).Double(1000.0 * static_cast<double>(batch) / t.median_ms);
  w.Key("gflop_per_item").Double(flops_per_item * 1e-9);
  w.Key("effective_gflops").Double(flops_per_item * static_cast<double>(batch) / (t.median_ms * 1e6));
}

}  // namespace

int RunBench(Argv argv) {
  std::vector<OptionSpec> specs(std::begin(kModelOptionSpecs), std::end(kModelOptionSpecs));
  for (const char* name : {"batch", "iters", "min-time", "towers", "text"}) specs.push_back({name});
  specs.push_back({"table", false});
  specs.push_back({"no-sha256", false});
  const Args args = Args::Parse("bench", argv, specs);
  if (args.help()) return std::fputs(kHelp, stdout), kExitOk;
  if (args.positionals().size() != 1) UsageError("expected exactly one MODEL (try --help)");
  const std::string path = args.positionals()[0];
  const int64_t batch = args.GetInt("batch", 1, 1, 4096);
  const int64_t iters = args.GetInt("iters", 0, 0, 1000000);
  const double min_time = args.GetDouble("min-time").value_or(2.0);
  const std::string caption = args.Get("text", "a photo of a dog playing with a ball");
  cliprt::ModelOptions options = ModelOptionsFrom(args, ParseTowers(args.Get("towers", "both")));
  options.compute_sha256 = !args.Has("no-sha256");

  const auto load_start = Clock::now();
  const cliprt::Model model = [&] {
    Spinner spinner("loading " + path);
    return cliprt::Model::Load(path, options);
  }();
  const double load_s = std::chrono::duration<double>(Clock::now() - load_start).count();
  const cliprt::ModelInfo info = model.info();
  const cliprt::CpuInfo cpu = cliprt::GetCpuInfo();

  std::optional<Timing> image_timing, text_timing;
  double image_flops = 0, text_flops = 0;
  int text_tokens = 0;
  if (info.has_vision) {
    const size_t side = static_cast<size_t>(info.image_size);
    std::vector<float> pixels(static_cast<size_t>(batch) * 3 * side * side);
    uint32_t state = 12345;
    for (float& p : pixels) {  // deterministic values in about [-2, 2], like normalized images
      state = state * 1664525u + 1013904223u;
      p = static_cast<float>(state >> 8) * (4.0f / 16777216.0f) - 2.0f;
    }
    Spinner spinner("timing the image tower");
    image_timing = TimeCalls([&] { (void)model.EncodePixels(pixels, static_cast<size_t>(batch), side); },
                             iters, min_time);
    image_flops = cliprt::ModelFlops(model, 1).per_image;
  }
  if (info.has_text) {
    const std::vector<std::string> texts(static_cast<size_t>(batch), caption);
    // Positions the text tower runs: CLIP stops at the end-of-text token (the
    // first maximum id), SigLIP always runs the whole context.
    const cliprt::TokenIds ids = cliprt::Tokenize(model, std::span(texts).first(1));
    text_tokens = info.context_length;
    if (info.score_rule == "softmax") {
      text_tokens = static_cast<int>(std::max_element(ids.ids.begin(), ids.ids.end()) - ids.ids.begin()) + 1;
    }
    Spinner spinner("timing the text tower");
    text_timing = TimeCalls([&] { (void)model.EncodeTexts(texts); }, iters, min_time);
    text_flops = cliprt::ModelFlops(model, text_tokens).per_text;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double peak_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;

  JsonWriter w;
  w.BeginObject();
  w.Key("model").String(path);
  w.Key("family").String(info.family);
  w.Key("architecture").String(info.architecture);
  w.Key("precision").String(info.precision);
  w.Key("isa").String(cliprt::IsaName(cpu.active_isa));
  w.Key("cpu").String(cpu.brand);
  w.Key("threads").Int(info.threads);
  w.Key("batch").Int(batch);
  w.Key("load_s").Double(load_s);
  w.Key("sha256_at_load").Bool(options.compute_sha256);
  if (image_timing) {
    w.Key("image").BeginObject();
    WriteTiming(w, "images_per_s", *image_timing, batch, image_flops);
    w.EndObject();
  } else {
    w.Key("image").Null();
  }
  if (text_timing) {
    w.Key("text").BeginObject();
    w.Key("caption").String(caption);
    w.Key("positions").Int(text_tokens);
    WriteTiming(w, "texts_per_s", *text_timing, batch, text_flops);
    w.EndObject();
  } else {
    w.Key("text").Null();
  }
  w.Key("peak_rss_mib").Double(peak_rss_mib);
  w.EndObject();
  std::fputs(w.str().c_str(), stdout);

  if (args.Has("table") || StderrIsTerminal()) {
    std::fprintf(stderr, "%s  (%s, %s, %d threads, batch %lld)\n", path.c_str(), info.precision.c_str(),
                 std::string(cliprt::IsaName(cpu.active_isa)).c_str(), info.threads,
                 static_cast<long long>(batch));
    std::fprintf(stderr, "  load            %10.3f s\n", load_s);
    const auto row = [&](const char* name, const Timing& t, double flops) {
      std::fprintf(stderr, "  %-6s %8.3f ms/call  %10.2f /s  %8.1f GFLOP/s  (%lld calls)\n", name,
                   t.median_ms, 1000.0 * static_cast<double>(batch) / t.median_ms,
                   flops * static_cast<double>(batch) / (t.median_ms * 1e6), static_cast<long long>(t.calls));
    };
    if (image_timing) row("image", *image_timing, image_flops);
    if (text_timing) row("text", *text_timing, text_flops);
    std::fprintf(stderr, "  peak RSS        %10.1f MiB\n", peak_rss_mib);
  }
  return kExitOk;
}

}  // namespace cliprt_cli
