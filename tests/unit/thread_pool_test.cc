#include "core/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>
#include <vector>

namespace cliprt {
namespace {

std::unique_ptr<ThreadPool> MakePool(int n, int spin_micros = ThreadPool::kAutoSpin) {
  StatusOr<std::unique_ptr<ThreadPool>> pool = ThreadPool::Create(n, spin_micros);
  EXPECT_TRUE(pool.ok()) << pool.status().ToString();
  return std::move(pool).value();
}

TEST(ThreadPoolTest, CoversEveryIndexExactlyOnceWithStaticChunks) {
  for (int threads : {1, 2, 3, 8}) {
    auto pool = MakePool(threads);
    ASSERT_EQ(pool->num_threads(), threads);
    for (int64_t count : {0, 1, 2, 7, 1000}) {
      std::vector<std::atomic<int>> hits(static_cast<size_t>(count));
      std::vector<int> owner(static_cast<size_t>(count), -1);
      pool->ParallelFor(count, [&](int64_t begin, int64_t end, int t) {
        EXPECT_EQ(begin, ThreadPool::ChunkBegin(count, threads, t));
        EXPECT_EQ(end, ThreadPool::ChunkBegin(count, threads, t + 1));
        for (int64_t i = begin; i < end; ++i) {
          hits[i]++;
          owner[i] = t;
        }
      });
      for (int64_t i = 0; i < count; ++i) EXPECT_EQ(hits[i].load(), 1);
      // Static chunking: the owner of index i is a pure function of (i, count, threads).
      for (int64_t i = 1; i < count; ++i) EXPECT_LE(owner[i - 1], owner[i]);
    }
  }
}

// A reduction written the deterministic way (per-element arithmetic that
// does not depend on chunking) gives identical bits at any thread count.
TEST(ThreadPoolTest, ResultsDoNotDependOnThreadCount) {
  const int64_t n = 4099;
  std::vector<float> reference;
  for (int threads : {1, 2, 3, 8}) {
    auto pool = MakePool(threads);
    std::vector<float> out(n);
    pool->ParallelFor(n, [&](int64_t begin, int64_t end, int) {
      for (int64_t i = begin; i < end; ++i) {
        float acc = 0.0f;
        for (int k = 1; k <= 64; ++k) acc += std::sin(static_cast<float>(i * k)) / k;
        out[i] = acc;
      }
    });
    if (reference.empty()) {
      reference = out;
    } else {
      EXPECT_EQ(out, reference) << threads << " threads";
    }
  }
}

TEST(ThreadPoolTest, ConcurrentSubmittersAreSerializedCorrectly) {
  auto pool = MakePool(3);
  constexpr int kSubmitters = 6;
  constexpr int kRounds = 200;
  std::vector<int64_t> totals(kSubmitters, 0);
  std::vector<std::thread> submitters;
  for (int s = 0; s < kSubmitters; ++s) {
    submitters.emplace_back([&, s] {
      for (int round = 0; round < kRounds; ++round) {
        std::atomic<int64_t> sum{0};
        pool->ParallelFor(100, [&](int64_t begin, int64_t end, int) {
          int64_t local = 0;
          for (int64_t i = begin; i < end; ++i) local += i;
          sum += local;
        });
        totals[s] += sum.load();
      }
    });
  }
  for (std::thread& t : submitters) t.join();
  for (int s = 0; s < kSubmitters; ++s) EXPECT_EQ(totals[s], int64_t{4950} * kRounds);
}

TEST(ThreadPoolTest, NestedUseRunsInlineWithoutDeadlock) {
  auto pool = MakePool(4);
  std::vector<std::atomic<int>> cells(16 * 10);
  pool->ParallelFor(16, [&](int64_t begin, int64_t end, int outer_thread) {
    for (int64_t i = begin; i < end; ++i) {
      pool->ParallelFor(10, [&](int64_t b, int64_t e, int inner_thread) {
        EXPECT_EQ(inner_thread, outer_thread);  // inline on the same thread
        for (int64_t j = b; j < e; ++j) cells[i * 10 + j]++;
      });
    }
  });
  for (auto& c : cells) EXPECT_EQ(c.load(), 1);
}

// Both hand-off paths give the same loops: workers that sleep at once
// (spin 0), workers that always catch the next loop while spinning (1 s),
// and loops spaced so that spinning workers have gone to sleep.
TEST(ThreadPoolTest, SpinningAndSleepingWorkersRunEveryChunk) {
  for (int spin : {0, 1, ThreadPool::kSpinMicrosWhenCoresSuffice, 1'000'000}) {
    auto pool = MakePool(3, spin);
    ASSERT_EQ(pool->spin_micros(), spin);
    for (int round = 0; round < 300; ++round) {
      std::vector<std::atomic<int>> hits(10);
      pool->ParallelFor(10, [&](int64_t begin, int64_t end, int) {
        for (int64_t i = begin; i < end; ++i) hits[i]++;
      });
      for (auto& h : hits) ASSERT_EQ(h.load(), 1) << "spin " << spin << " round " << round;
      if (round % 100 == 99) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }  // destroying a pool whose workers spin or sleep must not hang
}

TEST(ThreadPoolTest, AutoSpinNeverSpinsWhenThreadsOutnumberCpus) {
  const unsigned hw = std::thread::hardware_concurrency();
  auto one = MakePool(1);
  EXPECT_EQ(one->spin_micros(), ThreadPool::kSpinMicrosWhenCoresSuffice);
  auto crowded = MakePool(static_cast<int>(hw == 0 ? 1 : hw) + 1);
  EXPECT_EQ(crowded->spin_micros(), 0);
}

TEST(ThreadPoolTest, RejectsBadSpinTimes) {
  EXPECT_EQ(ThreadPool::Create(2, -2).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ThreadPool::Create(2, 1'000'001).status().code(), StatusCode::kInvalidArgument);
}

TEST(ThreadPoolTest, RejectsAbsurdThreadCounts) {
  EXPECT_EQ(ThreadPool::Create(ThreadPool::kMaxThreads + 1).status().code(),
            StatusCode::kInvalidArgument);
  StatusOr<std::unique_ptr<ThreadPool>> hw = ThreadPool::Create(0);
  ASSERT_TRUE(hw.ok());
  EXPECT_GE((*hw)->num_threads(), 1);
}

}  // namespace
}  // namespace cliprt
