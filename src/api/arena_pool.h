// Arenas for concurrent calls on one model: a call borrows an arena, runs,
// Resets it and gives it back, so a warm model serving N concurrent callers
// holds N warm arenas and stops allocating (DESIGN.md: no steady-state
// allocation; an Arena itself is single-threaded).
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "core/arena.h"

namespace cliprt::api {

class ArenaPool {
 public:
  class Lease {
   public:
    Lease(ArenaPool* pool, std::unique_ptr<Arena> arena) : pool_(pool), arena_(std::move(arena)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (arena_) {
        arena_->Reset();
        pool_->Return(std::move(arena_));
      }
    }
    Arena* get() const { return arena_.get(); }

   private:
    ArenaPool* pool_;
    std::unique_ptr<Arena> arena_;
  };

  Lease Borrow() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (free_.empty()) return Lease(this, std::make_unique<Arena>());
    std::unique_ptr<Arena> a = std::move(free_.back());
    free_.pop_back();
    return Lease(this, std::move(a));
  }

 private:
  void Return(std::unique_ptr<Arena> arena) {
    std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back(std::move(arena));
  }
  std::mutex mutex_;
  std::vector<std::unique_ptr<Arena>> free_;
};

}  // namespace cliprt::api
