// Tokens per second on the committed tokenizer corpus, single thread, per
// variant (warm BPE cache: the steady state of a long-running process, as
// for the Python and Rust peers in bench/compare/tokenizer_compare.py).
//
// Needs OpenAI's bpe_simple_vocab_16e6.txt.gz: $CLIPRT_TEST_ASSETS or
// ../shared/assets beside the checkout.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "tokenizer/tokenizer.h"
#include "io/json.h"

namespace {

using namespace cliprt;

std::vector<std::string> LoadCorpus() {
  std::ifstream f(CLIPRT_TOKENIZER_CORPUS);
  std::vector<std::string> texts;
  std::string line;
  while (std::getline(f, line)) {
    auto v = io::ParseJson(line, "corpus");
    if (v.ok()) texts.push_back(v->string());
  }
  return texts;
}

std::string AssetPath() {
  const char* env = std::getenv("CLIPRT_TEST_ASSETS");
  return std::string(env ? env : CLIPRT_DEFAULT_ASSETS) + "/bpe_simple_vocab_16e6.txt.gz";
}

// The corpus lines that are plain printable-ASCII captions (no entities):
// the common case, where cliprt proves ftfy and html.unescape are no-ops.
std::vector<std::string> AsciiCaptions() {
  std::vector<std::string> out;
  for (const auto& t : LoadCorpus()) {
    bool plain = !t.empty();
    for (unsigned char c : t) plain = plain && c >= 0x20 && c < 0x7F && c != '&';
    if (plain) out.push_back(t);
  }
  return out;
}

void RunTokenizer(benchmark::State& state, const Tokenizer& tok, bool captions_only) {
  static const std::vector<std::string> all = LoadCorpus();
  static const std::vector<std::string> captions = AsciiCaptions();
  const std::vector<std::string>& corpus = captions_only ? captions : all;
  int64_t tokens = 0;
  for (const auto& t : corpus) {
    auto ids = tok.EncodeUnpadded(t, nullptr);
    if (!ids.ok()) {
      state.SkipWithError(ids.status().ToString().c_str());
      return;
    }
    tokens += static_cast<int64_t>(ids->size());
  }
  for (auto _ : state) {
    for (const auto& t : corpus) {
      auto ids = tok.EncodeUnpadded(t, nullptr);
      benchmark::DoNotOptimize(ids);
    }
  }
  state.counters["tokens_per_s"] = benchmark::Counter(static_cast<double>(tokens) * static_cast<double>(state.iterations()),
                                                      benchmark::Counter::kIsRate);
  state.counters["texts_per_s"] = benchmark::Counter(
      static_cast<double>(corpus.size()) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["tokens_per_pass"] = static_cast<double>(tokens);
}

void BM_ClipBpe(benchmark::State& state, TokenizerVariant variant, bool captions_only = false) {
  TokenizerOptions o;
  o.variant = variant;
  auto tok = CreateClipBpeTokenizer(AssetPath(), "", o);
  if (!tok.ok()) {
    state.SkipWithError(tok.status().ToString().c_str());
    return;
  }
  RunTokenizer(state, **tok, captions_only);
}

void BM_SentencePiece(benchmark::State& state, TokenizerVariant variant) {
  const bool gemma = variant == TokenizerVariant::kHfSiglip2 || variant == TokenizerVariant::kOpenClipSiglip2;
  TokenizerOptions o;
  o.variant = variant;
  o.sp_append_eos = variant != TokenizerVariant::kHfSiglip2;
  auto tok = CreateSentencePieceTokenizer(gemma ? CLIPRT_TOKENIZER_GEMMA_MODEL : CLIPRT_TOKENIZER_SPM_MODEL, o);
  if (!tok.ok()) {
    state.SkipWithError(tok.status().ToString().c_str());
    return;
  }
  RunTokenizer(state, **tok, false);
}

BENCHMARK_CAPTURE(BM_ClipBpe, openai_clip, TokenizerVariant::kOpenAiClip)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ClipBpe, openai_clip_ascii_captions, TokenizerVariant::kOpenAiClip, true)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ClipBpe, open_clip, TokenizerVariant::kOpenClip)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ClipBpe, hf_clip_fast, TokenizerVariant::kHfClipFast)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SentencePiece, hf_siglip, TokenizerVariant::kHfSiglip)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SentencePiece, hf_siglip2, TokenizerVariant::kHfSiglip2)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
