// A Linear layer packed once at load for kernels/gemm.h:
// y = act(x·Wᵀ + b) [+ residual], W in PyTorch layout [out, in] of any
// stored float dtype and strides (widened exactly to fp32, then packed for
// the requested precision: fp32, bf16 or int8). Several Linears that read
// the same input (q, k, v) can be packed as one wider GEMM; each output
// column is the same dot product either way, so fusing changes no bits.
#pragma once

#include <span>
#include <string>

#include "core/status.h"
#include "kernels/gemm.h"
#include "model/run_context.h"
#include "tensor/tensor.h"

namespace cliprt::model {

class PackedLinear {
 public:
  PackedLinear() = default;

  // weight [out, in] (2-D, any float dtype/strides); bias [out] or nullptr.
  // `name` is used in error messages.
  static StatusOr<PackedLinear> Create(const Tensor& weight, const Tensor* bias,
                                       kernels::GemmPrecision precision, const std::string& name);
  // Rows of weights[0], then weights[1], ... as one [Σout, in] layer
  // (biases: all present or all nullptr).
  static StatusOr<PackedLinear> CreateConcat(std::span<const Tensor* const> weights,
                                             std::span<const Tensor* const> biases,
                                             kernels::GemmPrecision precision,
                                             const std::string& name);

  int64_t in_features() const { return weights_.plan().k; }
  int64_t out_features() const { return weights_.plan().n; }
  const kernels::GemmPlan& plan() const { return weights_.plan(); }

  // Per-call scratch for m rows on `num_threads` threads (kernels::GemmScratchBytes).
  size_t ScratchBytes(int64_t m, int num_threads) const;
  // y[m, 0:out] (row stride ldy) = act(x[m, 0:in]·Wᵀ + b) + residual (may be
  // nullptr, or equal y with ldr == ldy), with caller scratch of at least
  // ScratchBytes(m, ctx.num_threads()) bytes (64-byte aligned). Layers run
  // one after another can share one scratch buffer sized for the largest.
  Status RunWithScratch(int64_t m, const float* x, int64_t ldx, float* y, int64_t ldy,
                        kernels::GemmActivation act, const float* residual, int64_t ldr,
                        const RunContext& ctx, void* scratch, size_t scratch_bytes) const;
  // Same with the scratch taken from ctx.arena (one allocation per call:
  // fine for a single layer; stacks should share scratch as above).
  Status Run(int64_t m, const float* x, int64_t ldx, float* y, int64_t ldy,
             kernels::GemmActivation act, const float* residual, int64_t ldr,
             const RunContext& ctx) const;
  Status Run(int64_t m, const float* x, int64_t ldx, float* y, int64_t ldy,
             const RunContext& ctx) const {
    return Run(m, x, ldx, y, ldy, kernels::GemmActivation::kNone, nullptr, 0, ctx);
  }

 private:
  kernels::PackedGemmWeights weights_;
  AlignedBuffer bias_;  // [out] floats, or empty
  bool has_bias_ = false;
};

}  // namespace cliprt::model
