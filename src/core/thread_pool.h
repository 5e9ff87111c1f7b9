// ThreadPool: a fixed set of threads created once, used for every parallel
// loop of one model or session. Never creates threads per call.
//
// Determinism contract: ParallelFor splits a range into num_threads()
// contiguous chunks with fixed boundaries (static chunking), so which thread
// runs a chunk never decides what is computed. Callers keep results
// independent of the thread count by making each output element's arithmetic
// independent of chunk boundaries (e.g. GEMM splits over output tiles, never
// over the reduction dimension).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/function_ref.h"
#include "core/status.h"

namespace cliprt {

class ThreadPool {
 public:
  // A loop body: processes [begin, end) on pool thread `thread_index`
  // (0 = the calling thread, 1..num_threads()-1 = workers). Must not throw.
  using LoopBody = FunctionRef<void(int64_t begin, int64_t end, int thread_index)>;

  // The most threads a pool may have; larger requests are an error.
  static constexpr int kMaxThreads = 1024;

  // num_threads <= 0 means "hardware threads" (std::thread::hardware_concurrency).
  // Creates num_threads - 1 worker threads; the caller of ParallelFor acts as
  // thread 0. Fails (never aborts) if the OS refuses to create a thread.
  static StatusOr<std::unique_ptr<ThreadPool>> Create(int num_threads);

  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int num_threads() const { return num_threads_; }

  // Runs body over [0, count): chunk t = [t*count/n, (t+1)*count/n) on thread
  // t (empty chunks are skipped). Returns when every chunk has finished.
  //
  // Thread-safety: any number of threads may call ParallelFor on one pool at
  // once; their loops run one after another. A call made from inside a loop
  // body of the same pool (nesting) does not deadlock: it runs every chunk,
  // with the same boundaries, on the calling thread, passing that thread's
  // own thread_index.
  void ParallelFor(int64_t count, LoopBody body);

  // Chunk boundaries ParallelFor uses, exposed so callers can size per-chunk
  // state: [ChunkBegin(count, n, t), ChunkBegin(count, n, t + 1)).
  static int64_t ChunkBegin(int64_t count, int num_chunks, int chunk);

 private:
  explicit ThreadPool(int num_threads);
  Status Start();
  void WorkerLoop(int thread_index);
  void RunChunk(int thread_index);

  const int num_threads_;
  std::vector<std::thread> workers_;

  std::mutex submit_mutex_;  // serializes concurrent ParallelFor callers

  // Current job, published by bumping generation_ under wake_mutex_.
  std::mutex wake_mutex_;
  std::condition_variable wake_cv_;
  std::condition_variable done_cv_;
  uint64_t generation_ = 0;
  bool stopping_ = false;
  int64_t job_count_ = 0;
  const LoopBody* job_body_ = nullptr;
  std::atomic<int> chunks_pending_{0};
};

// The index of the pool thread running the current code (0 when the current
// thread is not inside a ParallelFor body of any pool).
int CurrentPoolThreadIndex();

}  // namespace cliprt
