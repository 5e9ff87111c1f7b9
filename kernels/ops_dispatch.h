// Dispatch table of the op kernels: one table per ISA level, built at compile
// time; the active one is chosen once from the CPU features (and CLIPRT_ISA).
#pragma once

#include "core/cpu_features.h"
#include "kernels/ops_kernels.h"

namespace cliprt::kernels {

struct OpsKernels {
  IsaLevel isa = IsaLevel::kScalar;
  int lanes = 1;  // fp32 lanes per vector
  F32LayerNormRowFn layernorm = nullptr;
  F32UnaryFn softmax = nullptr;
  F32UnaryFn gelu_erf = nullptr;
  F32UnaryFn gelu_tanh = nullptr;
  F32UnaryFn quick_gelu = nullptr;
  F32UnaryFn relu = nullptr;
  F32L2NormalizeRowFn l2_normalize = nullptr;
  F32AttentionQueriesFn attention = nullptr;
};

// The table of `level`, or nullptr if this CPU (or this build: non-x86-64)
// cannot run it.
const OpsKernels* OpsKernelsForIsa(IsaLevel level);

// The table of ActiveIsaLevel(), chosen on first use (thread-safe).
const OpsKernels& ActiveOpsKernels();

}  // namespace cliprt::kernels
