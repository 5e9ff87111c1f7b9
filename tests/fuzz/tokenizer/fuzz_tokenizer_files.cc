// Fuzz target: arbitrary bytes as tokenizer files - OpenAI merges (plain or
// gzip), HF vocab.json + merges.txt, tokenizer JSON, SentencePiece model.
// The first byte picks the parser. Every input must give a value or a clean
// Status, never a crash or unbounded allocation.
#include <cstdint>
#include <string>

#include "tokenizer/bpe_vocabulary.h"
#include "tokenizer/sentencepiece_tokenizer.h"
#include "io/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cliprt;
  if (size == 0) return 0;
  std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 4) {
    case 0: {
      auto v = BpeVocabulary::FromOpenAiMergesBytes(body, "fuzz-merges");
      (void)v;
      break;
    }
    case 1: {
      size_t split = body.find('\x01');
      std::string vocab = body.substr(0, split);
      std::string merges = split == std::string::npos ? "" : body.substr(split + 1);
      auto v = BpeVocabulary::FromHfBytes(vocab, merges, {});
      (void)v;
      break;
    }
    case 2: {
      auto v = io::ParseJson(body, "fuzz.json");
      (void)v;
      break;
    }
    default: {
      TokenizerOptions o;
      o.variant = TokenizerVariant::kOpenClipSiglip;
      auto t = SentencePieceTokenizer::CreateFromBytes(body, "fuzz.model", o);
      if (t.ok()) {
        auto ids = (*t)->EncodeUnpadded("a photo of a cat", nullptr);
        (void)ids;
      }
      break;
    }
  }
  return 0;
}
