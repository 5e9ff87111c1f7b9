// Kernel self-test: runs the dispatched kernels of every ISA level this CPU
// supports against the scalar references in kernels/ref/ on small random
// problems. Used by `cliprt selfcheck` and cliprt_self_test_run().
#pragma once

#include <cstdint>
#include <vector>

#include "core/status.h"
#include "kernels/self_test_check.h"

namespace cliprt::kernels {

// Appends one check per (kernel, ISA level, shape). Returns an error only if
// the test itself could not run (e.g. out of memory, bad thread count).
Status RunSelfTest(int num_threads, uint32_t seed, std::vector<SelfTestCheck>* checks);

// The two halves, one per kernel family (gemm_self_test.cc, ops_self_test.cc).
Status RunGemmSelfTest(int num_threads, uint32_t seed, std::vector<SelfTestCheck>* checks);
Status RunOpsSelfTest(int num_threads, uint32_t seed, std::vector<SelfTestCheck>* checks);

}  // namespace cliprt::kernels
