#include "core/thread_pool.h"

#include <chrono>
#include <string>
#include <system_error>

#if defined(__linux__)
#include <sched.h>
#endif
#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
#include <immintrin.h>
#endif

namespace cliprt {
namespace {

// Which pool (if any) the current thread is executing a loop body for, and as
// which thread index. Lets a nested ParallelFor run inline instead of waiting
// on workers that are busy running the outer loop.
thread_local const ThreadPool* tl_active_pool = nullptr;
thread_local int tl_thread_index = 0;

class ActivePoolScope {
 public:
  ActivePoolScope(const ThreadPool* pool, int thread_index)
      : saved_pool_(tl_active_pool), saved_index_(tl_thread_index) {
    tl_active_pool = pool;
    tl_thread_index = thread_index;
  }
  ~ActivePoolScope() {
    tl_active_pool = saved_pool_;
    tl_thread_index = saved_index_;
  }

 private:
  const ThreadPool* saved_pool_;
  int saved_index_;
};

// One polite iteration of a spin-wait: tells the core (and an SMT sibling)
// that this thread is waiting.
inline void CpuRelax() {
#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
  _mm_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Spins until done() or spin_micros have passed; returns done()'s last value.
// The clock is read once per 64 iterations (a pause is tens of cycles), and
// the thread then yields, so a thread of another pool or program that is
// waiting for this core gets it.
template <typename Done>
bool SpinUntil(int spin_micros, Done done) {
  if (spin_micros <= 0) return done();
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::microseconds(spin_micros);
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (done()) return true;
      CpuRelax();
    }
    if (std::chrono::steady_clock::now() >= deadline) return done();
    std::this_thread::yield();
  }
}

int HardwareThreads() {
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

// CPUs this process may run on (its affinity mask where the OS tells, else
// the hardware thread count).
int UsableCpuCount() {
#if defined(__linux__)
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
#endif
  return HardwareThreads();
}

}  // namespace

int CurrentPoolThreadIndex() { return tl_active_pool == nullptr ? 0 : tl_thread_index; }

int64_t ThreadPool::ChunkBegin(int64_t count, int num_chunks, int chunk) {
  // count * chunk fits in int64 for every count a caller can allocate memory
  // for; use 128-bit arithmetic anyway so absurd counts cannot overflow.
  return static_cast<int64_t>(static_cast<__int128>(count) * chunk / num_chunks);
}

StatusOr<std::unique_ptr<ThreadPool>> ThreadPool::Create(int num_threads, int spin_micros) {
  if (spin_micros != kAutoSpin && (spin_micros < 0 || spin_micros > 1'000'000)) {
    return InvalidArgumentError("thread pool spin time " + std::to_string(spin_micros) +
                                " us is outside [0, 1000000]");
  }
  if (num_threads <= 0) num_threads = HardwareThreads();
  if (num_threads > kMaxThreads) {
    return InvalidArgumentError("thread count " + std::to_string(num_threads) +
                                " exceeds the maximum of " + std::to_string(kMaxThreads));
  }
  if (spin_micros == kAutoSpin) {
    spin_micros = num_threads <= UsableCpuCount() ? kSpinMicrosWhenCoresSuffice : 0;
  }
  std::unique_ptr<ThreadPool> pool(new ThreadPool(num_threads, spin_micros));
  RETURN_IF_ERROR(pool->Start());
  return pool;
}

ThreadPool::ThreadPool(int num_threads, int spin_micros)
    : num_threads_(num_threads), spin_micros_(spin_micros) {}

Status ThreadPool::Start() {
  workers_.reserve(static_cast<size_t>(num_threads_ - 1));
  for (int t = 1; t < num_threads_; ++t) {
    try {
      workers_.emplace_back([this, t] { WorkerLoop(t); });
    } catch (const std::system_error& e) {
      return ResourceExhaustedError("could not create worker thread " + std::to_string(t) +
                                    " of " + std::to_string(num_threads_) + ": " + e.what());
    }
  }
  return Status::Ok();
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(wake_mutex_);
    stopping_.store(true, std::memory_order_release);
  }
  wake_cv_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void ThreadPool::RunChunk(int thread_index) {
  const int64_t begin = ChunkBegin(job_count_, num_threads_, thread_index);
  const int64_t end = ChunkBegin(job_count_, num_threads_, thread_index + 1);
  if (begin < end) {
    ActivePoolScope scope(this, thread_index);
    (*job_body_)(begin, end, thread_index);
  }
}

bool ThreadPool::JobArrived(uint64_t seen) const {
  return stopping_.load(std::memory_order_acquire) ||
         generation_.load(std::memory_order_acquire) != seen;
}

void ThreadPool::WorkerLoop(int thread_index) {
  uint64_t seen_generation = 0;
  for (;;) {
    const auto arrived = [&] { return JobArrived(seen_generation); };
    if (!SpinUntil(spin_micros_, arrived)) {
      std::unique_lock<std::mutex> lock(wake_mutex_);
      ++sleepers_;
      wake_cv_.wait(lock, arrived);
      --sleepers_;
    }
    if (stopping_.load(std::memory_order_acquire)) return;
    seen_generation = generation_.load(std::memory_order_acquire);
    RunChunk(thread_index);
    if (chunks_pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      // The caller may be asleep on done_cv_; the mutex orders this notify
      // after its predicate check, so the wake-up cannot be lost.
      std::lock_guard<std::mutex> lock(wake_mutex_);
      done_cv_.notify_one();
    }
  }
}

void ThreadPool::ParallelFor(int64_t count, LoopBody body) {
  if (count <= 0) return;
  if (tl_active_pool == this || num_threads_ == 1) {
    // Nested call (or a single-thread pool): same chunk boundaries, all on
    // this thread, so results match the parallel execution.
    const int self = CurrentPoolThreadIndex();
    for (int t = 0; t < num_threads_; ++t) {
      const int64_t begin = ChunkBegin(count, num_threads_, t);
      const int64_t end = ChunkBegin(count, num_threads_, t + 1);
      if (begin < end) {
        ActivePoolScope scope(this, self);
        body(begin, end, self);
      }
    }
    return;
  }

  std::lock_guard<std::mutex> submit_lock(submit_mutex_);
  bool someone_sleeps = false;
  {
    std::lock_guard<std::mutex> lock(wake_mutex_);
    job_count_ = count;
    job_body_ = &body;
    chunks_pending_.store(num_threads_ - 1, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    someone_sleeps = sleepers_ > 0;
  }
  if (someone_sleeps) wake_cv_.notify_all();
  RunChunk(0);
  const auto all_done = [&] { return chunks_pending_.load(std::memory_order_acquire) == 0; };
  if (!SpinUntil(spin_micros_, all_done)) {
    std::unique_lock<std::mutex> lock(wake_mutex_);
    done_cv_.wait(lock, all_done);
  }
  job_body_ = nullptr;
}

}  // namespace cliprt
