// Fuzz target: arbitrary bytes through every tokenizer variant. The first
// byte picks the variant, truncation policy and context length; the rest is
// the text. Any input must give a well-formed batch or a clean Status.
// The BPE vocabulary is a small synthetic one (OpenAI's is third-party data
// and not committed); the SentencePiece models are the committed test
// models (T5-style for SigLIP, Gemma-style for SigLIP2). Each input also
// runs the text pipeline's fast paths against the plain functions they
// stand in for (differential: any disagreement aborts).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "tokenizer/bit_parallel_pattern.h"
#include "tokenizer/bpe_vocabulary.h"
#include "tokenizer/clip_bpe_tokenizer.h"
#include "tokenizer/compiled_pattern.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/unicode_tables.h"
#include "tokenizer/unicode_text.h"
#include "tokenizer/utf8.h"

namespace {

using namespace cliprt;

constexpr TokenizerVariant kBpeVariants[] = {
    TokenizerVariant::kOpenAiClip, TokenizerVariant::kOpenClip, TokenizerVariant::kOpenClipWhitespace,
    TokenizerVariant::kOpenClipCanonicalize, TokenizerVariant::kHfClipSlow, TokenizerVariant::kHfClipSlowNoFtfy,
    TokenizerVariant::kHfClipFast};

const char kMerges[] =
    "#version: synthetic\nt h\nth e</w>\na n\nan d</w>\ni n\nin g</w>\no f</w>\nc a\nca t</w>\n"
    "\xc4\xa0 t\ne e\nee e\neee e\n' s</w>\n";

[[noreturn]] void Fail(const Status& s) {
  std::fprintf(stderr, "fuzz_tokenizer_text setup failed: %s\n", s.ToString().c_str());
  std::abort();
}

std::vector<std::unique_ptr<Tokenizer>> Build() {
  std::vector<std::unique_ptr<Tokenizer>> out;
  for (TokenizerVariant v : kBpeVariants) {
    for (int pad_bang = 0; pad_bang < 2; ++pad_bang) {
      for (int strict = 0; strict < 2; ++strict) {
        auto vocab = BpeVocabulary::FromOpenAiMergesBytes(kMerges, "synthetic");
        if (!vocab.ok()) Fail(vocab.status());
        TokenizerOptions o;
        o.variant = v;
        if (pad_bang) o.hf_pad_token = "!";  // (a ?: of literals into std::string trips GCC 12 -Wrestrict)
        o.truncation = strict ? TruncationPolicy::kStrict : TruncationPolicy::kTruncate;
        o.context_length = strict ? 16 : 77;
        auto t = ClipBpeTokenizer::Create(std::move(vocab).value(), o);
        if (!t.ok()) Fail(t.status());
        out.push_back(std::move(t).value());
      }
    }
  }
#ifdef CLIPRT_FUZZ_SPM_MODEL
  for (TokenizerVariant v : {TokenizerVariant::kHfSiglip, TokenizerVariant::kOpenClipSiglip}) {
    TokenizerOptions o;
    o.variant = v;
    auto t = CreateSentencePieceTokenizer(CLIPRT_FUZZ_SPM_MODEL, o);
    if (!t.ok()) Fail(t.status());
    out.push_back(std::move(t).value());
  }
#endif
#ifdef CLIPRT_FUZZ_GEMMA_MODEL
  for (TokenizerVariant v : {TokenizerVariant::kHfSiglip2, TokenizerVariant::kOpenClipSiglip2}) {
    for (int eos = 0; eos < 2; ++eos) {
      TokenizerOptions o;
      o.variant = v;
      o.sp_append_eos = eos != 0;
      auto t = CreateSentencePieceTokenizer(CLIPRT_FUZZ_GEMMA_MODEL, o);
      if (!t.ok()) Fail(t.status());
      out.push_back(std::move(t).value());
    }
  }
#endif
  return out;
}

// The fast paths of the text pipeline agree with the plain functions.
void CheckFastPaths(std::string_view bytes) {
  const CodePoints text = DecodeUtf8Lossy(bytes);
  PatternMatch m;
  if (PatternMatchesAnywhere(unicode::kBadnessPattern, text) != SearchPattern(unicode::kBadnessPattern, text, 0, &m)) {
    std::abort();
  }
  if (CollapseStripLower(text) != PythonLower(StripPython(CollapseRegexWhitespace(text)))) std::abort();
  const CodePoints nfc = NormalizeNfcFull(text);
  if (IsNfcQuickYes(text) && nfc != text) std::abort();
  if (NormalizeNfc(text) != nfc) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<std::unique_ptr<Tokenizer>> tokenizers = Build();
  if (size == 0) return 0;
  const Tokenizer& tok = *tokenizers[data[0] % tokenizers.size()];
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  CheckFastPaths(text);
  std::vector<std::string> texts = {text, "", text.substr(0, text.size() / 2)};
  auto batch = tok.Encode(texts);
  if (!batch.ok()) {
    if (tok.info().truncation != TruncationPolicy::kStrict) std::abort();  // only strict mode may refuse
    return 0;
  }
  const int ctx = tok.context_length();
  const int64_t* ids = batch->ids.data_as<int64_t>();
  for (size_t i = 0; i < texts.size(); ++i) {
    int32_t len = batch->lengths[i];
    const bool eos = tok.info().eos_appended;
    if (len < (eos ? 1 : 0) || len > ctx) std::abort();
    if (eos && ids[i * static_cast<size_t>(ctx) + static_cast<size_t>(len) - 1] != tok.info().eos_id) std::abort();
    for (int k = 0; k < ctx; ++k) {
      int64_t id = ids[i * static_cast<size_t>(ctx) + static_cast<size_t>(k)];
      if (id < 0 || id >= tok.info().vocabulary_size) std::abort();
    }
  }
  return 0;
}
