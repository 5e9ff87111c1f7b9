// What one encoder call runs on: the threads it may use and the arena its
// scratch comes from. A tower is immutable; everything a call writes lives
// in the caller's arena, so any number of threads may call one tower at
// once, each with its own RunContext (its own Arena; the pool may be shared,
// concurrent submitters are serialized by ThreadPool).
#pragma once

#include "core/arena.h"
#include "core/thread_pool.h"

namespace cliprt::model {

struct RunContext {
  ThreadPool* pool = nullptr;  // nullptr: run on the calling thread
  Arena* arena = nullptr;      // required; the caller Reset()s it after the call
  int num_threads() const { return pool ? pool->num_threads() : 1; }
};

}  // namespace cliprt::model
