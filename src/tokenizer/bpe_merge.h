// Rank-ordered byte-level BPE on one pre-tokenized piece (REFERENCE.md §4.3):
// the pair with the lowest merge rank is merged everywhere (left to right,
// non-overlapping) until no ranked pair remains. Two implementations with
// identical results: the reference loop (quadratic, used for short pieces)
// and a heap-based one (n log n, used for long pieces so that hostile input
// stays bounded in time).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "tokenizer/bpe_vocabulary.h"

namespace cliprt {

// Initial symbols of a piece: one byte-mapped character per byte, "</w>" on
// the last; a missing symbol becomes `unknown_id`.
std::vector<int32_t> InitialBpeSymbols(const BpeVocabulary& vocab, std::string_view piece_bytes,
                                       int32_t unknown_id);

void BpeMergeReference(const BpeVocabulary& vocab, std::vector<int32_t>* symbols);
void BpeMergeHeap(const BpeVocabulary& vocab, std::vector<int32_t>* symbols);

// Pieces up to this many symbols use the reference loop.
inline constexpr size_t kBpeReferenceMaxSymbols = 96;

inline void BpeMerge(const BpeVocabulary& vocab, std::vector<int32_t>* symbols) {
  if (symbols->size() <= kBpeReferenceMaxSymbols) {
    BpeMergeReference(vocab, symbols);
  } else {
    BpeMergeHeap(vocab, symbols);
  }
}

}  // namespace cliprt
