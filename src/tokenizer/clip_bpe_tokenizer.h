// CLIP byte-level BPE tokenizer in its reference flavours (OpenAI clip,
// open_clip SimpleTokenizer, HF CLIPTokenizer slow / fast). See tokenizer.h.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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

  // Bounded BPE cache: piece code points -> ids (the references cache
  // without bound; cliprt clears the cache when it is full). Keyed by the
  // code points with heterogeneous lookup, so a hit neither encodes the
  // piece to UTF-8 nor builds a key string.
  struct PieceHash {
    using is_transparent = void;
    // Pieces are short (a word): a multiply-xor per code point beats
    // hashing their bytes with std::hash.
    size_t operator()(std::u32string_view s) const noexcept {
      uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
      for (char32_t c : s) h = (h ^ c) * 0xFF51AFD7ED558CCDull;
      return static_cast<size_t>(h ^ (h >> 32));
    }
  };
  static constexpr size_t kCacheMaxEntries = 1 << 16;
  static constexpr size_t kCacheMaxPieceChars = 128;
  mutable std::mutex cache_mutex_;
  mutable std::unordered_map<std::u32string, std::vector<int32_t>, PieceHash, std::equal_to<>> cache_;
};

}  // namespace cliprt
