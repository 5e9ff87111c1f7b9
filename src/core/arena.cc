#include "core/arena.h"

#include <algorithm>
#include <cstdlib>
#include <string>

namespace cliprt {

void AlignedFree::operator()(void* p) const { std::free(p); }

StatusOr<AlignedBuffer> AllocateAligned(size_t bytes, size_t alignment) {
  if (alignment < sizeof(void*) || (alignment & (alignment - 1)) != 0) {
    return InternalError("alignment " + std::to_string(alignment) + " is not a power of two >= 8");
  }
  if (bytes == 0) bytes = alignment;
  // aligned_alloc requires a size that is a multiple of the alignment.
  if (bytes > SIZE_MAX - alignment) {
    return ResourceExhaustedError("allocation of " + std::to_string(bytes) + " bytes overflows");
  }
  const size_t rounded = (bytes + alignment - 1) / alignment * alignment;
  void* p = std::aligned_alloc(alignment, rounded);
  if (p == nullptr) {
    return ResourceExhaustedError("out of memory allocating " + std::to_string(rounded) + " bytes");
  }
  return AlignedBuffer(p);
}

Arena::Arena(size_t initial_bytes, size_t limit_bytes) : limit_(limit_bytes) {
  if (initial_bytes > 0 && initial_bytes <= limit_) {
    // A failed initial reservation is not fatal: the first Allocate retries.
    (void)AddBlock(initial_bytes);
  }
}

size_t Arena::capacity_bytes() const {
  size_t total = 0;
  for (const Block& b : blocks_) total += b.size;
  return total;
}

size_t Arena::peak_bytes() const { return std::max(peak_, used_bytes()); }

Status Arena::AddBlock(size_t min_bytes) {
  const size_t capacity = capacity_bytes();
  // Grow geometrically so a cold arena reaches its working size in few steps.
  size_t size = std::max<size_t>({min_bytes, capacity, size_t{1} << 16});
  if (capacity + size > limit_) size = min_bytes;
  if (min_bytes > limit_ || capacity > limit_ - min_bytes) {
    return ResourceExhaustedError("arena limit of " + std::to_string(limit_) +
                                  " bytes exceeded by a request of " + std::to_string(min_bytes) +
                                  " bytes (" + std::to_string(capacity) + " already reserved)");
  }
  ASSIGN_OR_RETURN(AlignedBuffer memory, AllocateAligned(size, 4096));
  ++system_allocations_;
  blocks_.push_back(Block{std::move(memory), size});
  return Status::Ok();
}

StatusOr<void*> Arena::Allocate(size_t bytes, size_t alignment) {
  if (alignment == 0 || (alignment & (alignment - 1)) != 0 || alignment > 4096) {
    return InternalError("arena alignment " + std::to_string(alignment) +
                         " is not a power of two <= 4096");
  }
  // Try the current block, then any later (already reserved) block, then a new one.
  while (current_ < blocks_.size()) {
    Block& block = blocks_[current_];
    const size_t aligned = (offset_ + alignment - 1) & ~(alignment - 1);
    if (aligned <= block.size && bytes <= block.size - aligned) {
      offset_ = aligned + bytes;
      return static_cast<void*>(static_cast<char*>(block.memory.get()) + aligned);
    }
    if (current_ + 1 == blocks_.size()) break;
    used_before_current_ += offset_;
    ++current_;
    offset_ = 0;
  }
  if (bytes > SIZE_MAX - alignment) {
    return ResourceExhaustedError("arena request of " + std::to_string(bytes) + " bytes overflows");
  }
  RETURN_IF_ERROR(AddBlock(bytes + alignment));
  if (!blocks_.empty() && blocks_.size() > 1) {
    used_before_current_ += offset_;
    current_ = blocks_.size() - 1;
    offset_ = 0;
  } else {
    current_ = 0;
    offset_ = 0;
  }
  Block& block = blocks_[current_];
  offset_ = bytes;  // block memory is 4096-aligned, so offset 0 meets `alignment`
  return static_cast<void*>(block.memory.get());
}

void Arena::Reset() {
  peak_ = std::max(peak_, used_bytes());
  if (blocks_.size() > 1) {
    // Replace the chain by one block that holds the peak, so the next call of
    // the same shape fits without growing. If the merged reservation fails the
    // old blocks are kept: still correct, merely not coalesced.
    const size_t total = capacity_bytes();
    StatusOr<AlignedBuffer> merged = AllocateAligned(total, 4096);
    if (merged.ok()) {
      ++system_allocations_;
      blocks_.clear();
      blocks_.push_back(Block{std::move(merged).value(), total});
    }
  }
  current_ = 0;
  offset_ = 0;
  used_before_current_ = 0;
}

}  // namespace cliprt
