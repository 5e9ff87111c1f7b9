// The bounded BPE cache of a CLIP tokenizer: pre-tokenized piece (code
// points) -> its BPE ids. The references cache every piece without bound;
// cliprt keeps at most max_entries pieces of <= kMaxPieceChars code points
// and starts over when full, which changes speed, never ids.
//
// Flat open addressing: a power-of-two array of slots (hash tag, offset)
// into one uint32 pool holding each entry as [hash low, piece length, id
// count, code points..., ids..., hash high]. A hit costs one slot load and
// one contiguous compare, with no per-entry heap nodes to chase; a probe
// past another piece's slot usually stops at the tag. The slot array
// starts small and doubles at load 1/2, so a working set of a few thousand
// pieces stays within a few cache-resident KiB. Not synchronized: the owner
// locks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace cliprt {

class BpePieceCache {
 public:
  static constexpr size_t kMaxPieceChars = 128;

  explicit BpePieceCache(size_t max_entries);

  static uint64_t Hash(std::u32string_view piece) noexcept {
    // Pieces are short (a word): a multiply-xor per code point.
    uint64_t h = 0x9E3779B97F4A7C15ull ^ piece.size();
    for (char32_t c : piece) h = (h ^ c) * 0xFF51AFD7ED558CCDull;
    return h ^ (h >> 32);
  }

  // On a hit appends the piece's ids to *out and returns true.
  bool Lookup(std::u32string_view piece, uint64_t hash, std::vector<int64_t>* out) const;
  // Adds a piece (<= kMaxPieceChars code points, not present); clears the
  // cache first when it is full.
  void Insert(std::u32string_view piece, uint64_t hash, std::span<const int32_t> ids);

  size_t size() const { return entries_; }

 private:
  static constexpr size_t kMinSlots = 1024;
  void Clear();
  void Grow();

  size_t max_entries_;
  size_t max_pool_;             // pool words before starting over
  std::vector<uint64_t> slots_; // 0 = empty, else hash tag << 32 | (pool offset + 1)
  std::vector<uint32_t> pool_;
  size_t entries_ = 0;
};

}  // namespace cliprt
