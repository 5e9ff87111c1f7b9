// Kernel self-test: runs the dispatched kernels of every ISA level this CPU
// supports against the scalar references in kernels/ref/ on small random
// problems. Used by `cliprt selfcheck` and cliprt_self_test_run().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace cliprt::kernels {

struct SelfTestCheck {
  bool passed = false;
  std::string line;  // "pass f32_gemm avx512 M=7 N=33 K=65: max rel err ... (bound ...)"
};

// Appends one check per (kernel, ISA level, shape). Returns an error only if
// the test itself could not run (e.g. out of memory, bad thread count).
Status RunSelfTest(int num_threads, uint32_t seed, std::vector<SelfTestCheck>* checks);

}  // namespace cliprt::kernels
