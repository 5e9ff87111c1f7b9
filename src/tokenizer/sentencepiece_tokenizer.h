// SentencePiece tokenizers for SigLIP (REFERENCE.md §4.7) over
// libsentencepiece: HF SiglipTokenizer (slow) and open_clip's HFTokenizer
// with clean='canonicalize' for SigLIP (T5 unigram model), and for SigLIP2
// (Gemma BPE model with byte fallback) transformers' Siglip2Tokenizer and
// open_clip's HFTokenizer. EOS appended (SigLIP2 HF: per add_eos_token),
// padded to the context length (64) with the pad id (T5: eos; Gemma:
// <pad> = 0), truncated keeping EOS last; no BOS, no attention mask.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tokenizer/tokenizer.h"
#include "tokenizer/unigram_viterbi.h"

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace cliprt {

class SentencePieceTokenizer final : public Tokenizer {
 public:
  static StatusOr<std::unique_ptr<SentencePieceTokenizer>> Create(const std::string& model_path,
                                                                  const TokenizerOptions& options);
  static StatusOr<std::unique_ptr<SentencePieceTokenizer>> CreateFromBytes(std::string model_bytes,
                                                                           std::string name,
                                                                           const TokenizerOptions& options);
  ~SentencePieceTokenizer() override;

  StatusOr<std::vector<int64_t>> EncodeUnpadded(std::string_view text,
                                                int64_t* invalid_utf8_replaced) const override;

 private:
  SentencePieceTokenizer();
  Status EncodeHfSiglipChunk(std::u32string_view chunk, std::vector<int>* ids) const;
  // transformers' Gemma tokenizers without the end token: Siglip2Tokenizer
  // (lowercase = true) or GemmaTokenizer (false).
  Status EncodeHfGemma(std::u32string_view text, bool lowercase, std::vector<int64_t>* ids) const;
  // BPE by piece scores without matching user-defined pieces whole (the
  // tokenizers backend's behaviour inside a stretch of text); slow, for the
  // rare stretch whose lowercase spells a user-defined piece.
  void MergeBpe(const std::string& text, std::vector<int>* ids) const;
  // Normalizes with the model's normalizer (libsentencepiece), then segments
  // with UnigramViterbi (the references' tie-breaking).
  Status EncodeIds(std::string_view text, std::vector<int>* ids) const;

  std::unique_ptr<sentencepiece::SentencePieceProcessor> sp_;
  TokenizerVariant variant_ = TokenizerVariant::kHfSiglip;
  // HF added tokens (</s>, <unk>, <pad>) with their ids; lstrip/rstrip.
  std::vector<std::pair<std::string, int32_t>> added_tokens_;
  std::string unk_token_;
  std::vector<std::string> user_defined_;  // Gemma: user-defined pieces (matched whole only in the raw text)
  size_t unk_token_pieces_ = 0;
  bool use_viterbi_ = false;  // unigram models: segment with UnigramViterbi
  UnigramViterbi viterbi_;
};

}  // namespace cliprt
