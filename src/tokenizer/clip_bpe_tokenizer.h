// CLIP byte-level BPE tokenizer in its reference flavours (OpenAI clip,
// open_clip SimpleTokenizer, HF CLIPTokenizer slow / fast). See tokenizer.h.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/bpe_piece_cache.h"
#include "tokenizer/bpe_vocabulary.h"
#include "tokenizer/clip_pretokenizer.h"
#include "tokenizer/tokenizer.h"

namespace cliprt {

class ClipBpeTokenizer final : public Tokenizer {
 public:
  static StatusOr<std::unique_ptr<ClipBpeTokenizer>> Create(BpeVocabulary vocab, const TokenizerOptions& options);

  StatusOr<std::vector<int64_t>> EncodeUnpadded(std::string_view text,
                                                int64_t* invalid_utf8_replaced) const override;

  // Ids of already-cleaned text (no specials added): pre-tokenize + BPE.
  void EncodeCleaned(std::u32string_view cleaned, std::vector<int64_t>* out) const;

  const BpeVocabulary& vocabulary() const { return vocab_; }

 private:
  ClipBpeTokenizer(BpeVocabulary vocab, const TokenizerOptions& options);
  void EncodePiece(std::u32string_view piece, std::vector<int64_t>* out) const;
  void EncodeHf(std::u32string_view text, std::vector<int64_t>* out) const;

  BpeVocabulary vocab_;
  TokenizerOptions options_;
  ClipPretokenizerSpec pretokenizer_;
  // Special strings that map straight to ids when a piece equals them
  // (clip's cache seeding / the HF added tokens).
  std::vector<std::pair<CodePoints, int32_t>> special_ids_;
  int32_t bos_id_ = 0, eos_id_ = 0, unknown_id_ = 0;

  // Bounded BPE cache (see bpe_piece_cache.h), shared by all threads.
  static constexpr size_t kCacheMaxEntries = 1 << 16;
  mutable std::mutex cache_mutex_;
  mutable BpePieceCache cache_{kCacheMaxEntries};
};

}  // namespace cliprt
