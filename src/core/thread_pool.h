// ThreadPool: a fixed set of threads created once, used for every parallel
// loop of one model or session. Never creates threads per call.
//
// Determinism contract: ParallelFor splits a range into num_threads()
// contiguous chunks with fixed boundaries (static chunking), so which thread
// runs a chunk never decides what is computed. Callers keep results
// independent of the thread count by making each output element's arithmetic
// independent of chunk boundaries (e.g. GEMM splits over output tiles, never
// over the reduction dimension).
//
// Hand-off cost. A transformer layer is a dozen parallel loops of 0.05-1 ms
// each, back to back. Waking a sleeping thread through a condition variable
// takes tens of microseconds on a VM, which is a third of an int8 GEMM of a
// text-tower layer. So after finishing a chunk, workers (and a caller waiting
// for its workers) spin for up to spin_micros (200 by default), checking for the next loop,
// before they sleep: back-to-back loops then start within a microsecond, and
// an idle pool still goes to sleep promptly instead of burning a core.
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

  // How long an idle worker, or a caller waiting for its workers, spins
  // before blocking (see "Hand-off cost" above). kAutoSpin: 200 us when the
  // pool has no more threads than the CPUs this process may run on, else 0
  // (threads of an oversubscribed pool would spin on cores their siblings
  // need).
  static constexpr int kAutoSpin = -1;
  static constexpr int kSpinMicrosWhenCoresSuffice = 200;

  // num_threads <= 0 means "hardware threads" (std::thread::hardware_concurrency).
  // Creates num_threads - 1 worker threads; the caller of ParallelFor acts as
  // thread 0. Fails (never aborts) if the OS refuses to create a thread.
  // spin_micros: kAutoSpin, or how long idle threads spin before sleeping
  // in [0, 1'000'000]; 0 = sleep at once (for hosts where a spinning thread
  // would take a core another program needs).
  static StatusOr<std::unique_ptr<ThreadPool>> Create(int num_threads,
                                                      int spin_micros = kAutoSpin);

  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int num_threads() const { return num_threads_; }
  int spin_micros() const { return spin_micros_; }  // as resolved (never kAutoSpin)

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
  ThreadPool(int num_threads, int spin_micros);
  Status Start();
  void WorkerLoop(int thread_index);
  void RunChunk(int thread_index);
  // True once generation_ differs from `seen` (a new loop) or stopping_ is set.
  bool JobArrived(uint64_t seen) const;

  const int num_threads_;
  const int spin_micros_;
  std::vector<std::thread> workers_;

  std::mutex submit_mutex_;  // serializes concurrent ParallelFor callers

  // Current job: job_count_ and job_body_ are written, then generation_ is
  // bumped (release) under wake_mutex_; a worker that sees the new
  // generation (acquire) reads them. sleepers_ counts workers blocked on
  // wake_cv_, so a submit only notifies when someone sleeps.
  std::mutex wake_mutex_;
  std::condition_variable wake_cv_;
  std::condition_variable done_cv_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> stopping_{false};
  int sleepers_ = 0;  // guarded by wake_mutex_
  int64_t job_count_ = 0;
  const LoopBody* job_body_ = nullptr;
  std::atomic<int> chunks_pending_{0};
};

// The index of the pool thread running the current code (0 when the current
// thread is not inside a ParallelFor body of any pool).
int CurrentPoolThreadIndex();

}  // namespace cliprt
