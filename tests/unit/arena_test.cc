#include "core/arena.h"

#include <gtest/gtest.h>

namespace cliprt {
namespace {

// One "inference call": several differently sized, differently aligned
// allocations, like the activations of a forward pass.
void SimulateCall(Arena& arena, int scale) {
  for (int i = 1; i <= 6; ++i) {
    StatusOr<float*> p = arena.AllocateArray<float>(static_cast<size_t>(1000 * i * scale));
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(reinterpret_cast<uintptr_t>(*p) % 64, 0u);
    (*p)[0] = 1.0f;  // memory is usable
    (*p)[1000 * i * scale - 1] = 2.0f;
  }
  StatusOr<void*> page = arena.Allocate(100, 4096);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(reinterpret_cast<uintptr_t>(*page) % 4096, 0u);
}

TEST(ArenaTest, StopsGrowingAfterWarmUp) {
  Arena arena;
  SimulateCall(arena, 40);
  arena.Reset();
  const uint64_t allocations_after_warmup = arena.system_allocations();
  const size_t capacity_after_warmup = arena.capacity_bytes();
  for (int call = 0; call < 50; ++call) {
    SimulateCall(arena, 40);
    arena.Reset();
  }
  EXPECT_EQ(arena.system_allocations(), allocations_after_warmup);
  EXPECT_EQ(arena.capacity_bytes(), capacity_after_warmup);
  EXPECT_GE(arena.peak_bytes(), 21u * 1000 * 40 * sizeof(float));
}

TEST(ArenaTest, ResetCoalescesBlocksIntoOne) {
  Arena arena;
  SimulateCall(arena, 200);  // forces several blocks
  EXPECT_GT(arena.system_allocations(), 1u);
  arena.Reset();
  const uint64_t before = arena.system_allocations();
  SimulateCall(arena, 200);
  EXPECT_EQ(arena.system_allocations(), before);
}

TEST(ArenaTest, EnforcesItsLimitWithAnError) {
  Arena arena(0, 1 << 20);
  EXPECT_TRUE(arena.Allocate(1 << 19).ok());
  StatusOr<void*> too_big = arena.Allocate(size_t{1} << 21);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.status().code(), StatusCode::kResourceExhausted);
  EXPECT_FALSE(arena.AllocateArray<double>(SIZE_MAX / 4).ok());
  EXPECT_FALSE(arena.Allocate(16, 3).ok());  // alignment not a power of two
}

TEST(ArenaTest, ZeroByteRequestsReturnDistinctValidPointers) {
  Arena arena;
  StatusOr<void*> a = arena.Allocate(0);
  ASSERT_TRUE(a.ok());
  EXPECT_NE(*a, nullptr);
}

}  // namespace
}  // namespace cliprt
