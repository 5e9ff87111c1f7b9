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
      slots_(kMinSlots, 0) {}

void BpePieceCache::Clear() {
  // Back to the small table: the working set of a text stream is often a
  // few thousand pieces, and a table sized for the bound would spread them
  // over far more cache lines than they need.
  slots_.assign(kMinSlots, 0);
  pool_.clear();
  entries_ = 0;
}

void BpePieceCache::Grow() {
  std::vector<uint64_t> bigger(slots_.size() * 2, 0);
  const size_t mask = bigger.size() - 1;
  for (uint64_t slot : slots_) {
    if (slot == 0) continue;
    const uint32_t* e = pool_.data() + (static_cast<uint32_t>(slot) - 1);
    size_t i = static_cast<size_t>(e[3 + e[1] + e[2]]) & mask;
    while (bigger[i] != 0) i = (i + 1) & mask;
    bigger[i] = slot;
  }
  slots_.swap(bigger);
}

bool BpePieceCache::Lookup(std::u32string_view piece, uint64_t hash, std::vector<int64_t>* out) const {
  const size_t mask = slots_.size() - 1;
  const uint64_t tag = static_cast<uint32_t>(hash);
  for (size_t i = static_cast<size_t>(hash >> 32) & mask;; i = (i + 1) & mask) {
    const uint64_t slot = slots_[i];
    if (slot == 0) return false;
    if ((slot >> 32) != tag) continue;  // most probes end here, without touching the pool
    const uint32_t* e = pool_.data() + (static_cast<uint32_t>(slot) - 1);
    if (e[1] != piece.size()) continue;
    // Pieces are a few code points: an inline loop beats a memcmp call.
    bool same = true;
    for (size_t k = 0; k < piece.size() && same; ++k) same = e[3 + k] == static_cast<uint32_t>(piece[k]);
    if (!same) continue;
    const uint32_t* ids = e + 3 + e[1];
    out->insert(out->end(), ids, ids + e[2]);
    return true;
  }
}

void BpePieceCache::Insert(std::u32string_view piece, uint64_t hash, std::span<const int32_t> ids) {
  if (piece.size() > kMaxPieceChars) return;
  const size_t words = 4 + piece.size() + ids.size();
  if (entries_ >= max_entries_ || pool_.size() + words > max_pool_) Clear();
  if (words > max_pool_) return;
  if (2 * (entries_ + 1) > slots_.size()) Grow();  // load factor <= 1/2
  const size_t mask = slots_.size() - 1;
  size_t i = static_cast<size_t>(hash >> 32) & mask;
  while (slots_[i] != 0) i = (i + 1) & mask;  // load factor <= 1/2: a free slot is near
  slots_[i] = (uint64_t{static_cast<uint32_t>(hash)} << 32) | static_cast<uint32_t>(pool_.size() + 1);
  pool_.push_back(static_cast<uint32_t>(hash));
  pool_.push_back(static_cast<uint32_t>(piece.size()));
  pool_.push_back(static_cast<uint32_t>(ids.size()));
  pool_.insert(pool_.end(), piece.begin(), piece.end());
  for (int32_t id : ids) pool_.push_back(static_cast<uint32_t>(id));
  pool_.push_back(static_cast<uint32_t>(hash >> 32));  // the slot index bits, for Grow
  ++entries_;
}

}  // namespace cliprt
