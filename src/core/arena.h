// Arena: bump allocator for per-call scratch (activations, packed inputs).
//
// One inference call allocates from the arena and Reset()s it at the end.
// The first calls may grow it; Reset() then merges all blocks into a single
// block large enough for the peak seen so far, so once warm, a call of the
// same shape never goes to the system allocator ("no allocation in steady
// state"). An arena is not thread-safe: use one per thread or per session.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/status.h"

namespace cliprt {

// 64-byte (cache line, one AVX-512 register) aligned heap memory.
struct AlignedFree {
  void operator()(void* p) const;
};
using AlignedBuffer = std::unique_ptr<void, AlignedFree>;

inline constexpr size_t kDefaultAlignment = 64;

// Allocates `bytes` (> 0) aligned to `alignment` (a power of two >= 8).
// Returns an error instead of throwing or aborting when memory is exhausted.
StatusOr<AlignedBuffer> AllocateAligned(size_t bytes, size_t alignment = kDefaultAlignment);

class Arena {
 public:
  // Upper bound on what one arena may hold in total; a request beyond it is a
  // ResourceExhausted error, never an unbounded allocation.
  static constexpr size_t kDefaultLimitBytes = size_t{64} << 30;

  explicit Arena(size_t initial_bytes = 0, size_t limit_bytes = kDefaultLimitBytes);

  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  Arena(Arena&&) = default;
  Arena& operator=(Arena&&) = default;

  // Returns `bytes` of uninitialized memory aligned to `alignment` (power of
  // two, at most 4096), valid until the next Reset(). bytes == 0 returns a
  // valid non-null pointer that must not be dereferenced.
  StatusOr<void*> Allocate(size_t bytes, size_t alignment = kDefaultAlignment);

  // Typed convenience: `count` elements of T (trivially constructible).
  template <typename T>
  StatusOr<T*> AllocateArray(size_t count) {
    if (count > SIZE_MAX / sizeof(T)) {
      return ResourceExhaustedError("arena request of " + std::to_string(count) +
                                    " elements overflows size_t");
    }
    ASSIGN_OR_RETURN(void* p, Allocate(count * sizeof(T), alignof(T) > kDefaultAlignment
                                                               ? alignof(T)
                                                               : kDefaultAlignment));
    return static_cast<T*>(p);
  }

  // Frees everything allocated since the last Reset(). If more than one block
  // was in use, they are replaced by one block of their combined size.
  void Reset();

  // Bytes reserved from the system (sum of block sizes).
  size_t capacity_bytes() const;
  // Bytes handed out since the last Reset() (including alignment padding).
  size_t used_bytes() const { return used_before_current_ + offset_; }
  // Largest used_bytes() seen at any Reset() or now.
  size_t peak_bytes() const;
  // How many times the arena asked the system allocator for a block; a warm
  // arena's count stops changing.
  uint64_t system_allocations() const { return system_allocations_; }

 private:
  struct Block {
    AlignedBuffer memory;
    size_t size = 0;
  };
  Status AddBlock(size_t min_bytes);

  std::vector<Block> blocks_;
  size_t current_ = 0;              // index of the block being bumped
  size_t offset_ = 0;               // bytes used in blocks_[current_]
  size_t used_before_current_ = 0;  // bytes used in earlier blocks
  size_t peak_ = 0;
  size_t limit_;
  uint64_t system_allocations_ = 0;
};

}  // namespace cliprt
