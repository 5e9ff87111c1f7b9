#include "tokenizer/bpe_piece_cache.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace cliprt {

BpePieceCache::BpePieceCache(size_t max_entries)
    : max_entries_(max_entries),
      // ~16 code points + ids per entry on average before starting over; a
      // hostile stream of long pieces clears earlier instead of growing.
      max_pool_(max_entries * 24),
      slots_(std::bit_ceil(std::max<size_t>(2 * max_entries, 16)), 0) {
  pool_.reserve(std::min<size_t>(max_pool_, size_t{1} << 20));
}

void BpePieceCache::Clear() {
  std::fill(slots_.begin(), slots_.end(), 0);
  pool_.clear();
  entries_ = 0;
}

bool BpePieceCache::Lookup(std::u32string_view piece, uint64_t hash, std::vector<int64_t>* out) const {
  const size_t mask = slots_.size() - 1;
  const uint32_t tag = static_cast<uint32_t>(hash);
  for (size_t i = static_cast<size_t>(hash >> 32) & mask;; i = (i + 1) & mask) {
    const uint32_t slot = slots_[i];
    if (slot == 0) return false;
    const uint32_t* e = pool_.data() + (slot - 1);
    if (e[0] != tag || e[1] != piece.size()) continue;
    if (std::memcmp(e + 3, piece.data(), piece.size() * sizeof(char32_t)) != 0) continue;
    const uint32_t* ids = e + 3 + e[1];
    out->insert(out->end(), ids, ids + e[2]);
    return true;
  }
}

void BpePieceCache::Insert(std::u32string_view piece, uint64_t hash, std::span<const int32_t> ids) {
  if (piece.size() > kMaxPieceChars) return;
  const size_t words = 3 + piece.size() + ids.size();
  if (entries_ >= max_entries_ || pool_.size() + words > max_pool_) Clear();
  if (words > max_pool_) return;
  const size_t mask = slots_.size() - 1;
  size_t i = static_cast<size_t>(hash >> 32) & mask;
  while (slots_[i] != 0) i = (i + 1) & mask;  // load factor <= 1/2: a free slot is near
  slots_[i] = static_cast<uint32_t>(pool_.size() + 1);
  pool_.push_back(static_cast<uint32_t>(hash));
  pool_.push_back(static_cast<uint32_t>(piece.size()));
  pool_.push_back(static_cast<uint32_t>(ids.size()));
  pool_.insert(pool_.end(), piece.begin(), piece.end());
  for (int32_t id : ids) pool_.push_back(static_cast<uint32_t>(id));
  ++entries_;
}

}  // namespace cliprt
