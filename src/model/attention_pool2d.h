// The attention pooling head of OpenAI's ModifiedResNet (REFERENCE.md §2.5,
// clip/model.py AttentionPool2d): the final [grid, grid, C] feature map of
// an image becomes grid² tokens (row-major, token = h·grid + w); their mean
// is prepended, `positional_embedding` [grid²+1, C] added, and one
// multi-head attention step runs with the mean token as the only query
// (the reference queries every token and keeps index 0: the same numbers),
// separate q/k/v Linears with bias, then `c_proj` [E, C] with bias.
//
// k and v are packed as one [2C, C] GEMM over all grid²+1 tokens of every
// image; q is a GEMM over the mean tokens only. Each image's result depends
// only on that image (batched = one by one, bit for bit). All per-call
// memory is the caller's workspace (WorkspaceBytes), so a caller running
// many batches reuses one buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/status.h"
#include "kernels/gemm.h"
#include "model/packed_linear.h"
#include "model/run_context.h"
#include "model/weight_reader.h"
#include "tensor/tensor.h"

namespace cliprt::model {

struct AttentionPool2dConfig {
  int64_t grid = 0;        // feature map side (image_size / 32)
  int64_t channels = 0;    // C = 32 · width
  int64_t heads = 0;       // C / 64 in every released model
  int64_t output_dim = 0;  // E (c_proj out features)
  kernels::GemmPrecision precision = kernels::GemmPrecision::kF32;
};

class AttentionPool2d {
 public:
  AttentionPool2d() = default;

  // Reads `<prefix>positional_embedding`, `<prefix>{q,k,v,c}_proj.{weight,bias}`
  // (prefix e.g. "visual.attnpool."); shapes are checked against `config`.
  static StatusOr<AttentionPool2d> Create(const WeightReader& weights, const std::string& prefix,
                                          const AttentionPool2dConfig& config);

  const AttentionPool2dConfig& config() const { return config_; }
  int64_t tokens() const { return config_.grid * config_.grid + 1; }

  // Workspace Forward needs for `batch` images on `num_threads` threads.
  size_t WorkspaceBytes(int64_t batch, int num_threads) const;

  // features: [batch, grid, grid, C] dense NHWC. out: [batch, ldo >= E].
  // workspace: >= WorkspaceBytes(batch, ctx.num_threads()) bytes, 64-byte aligned.
  Status Forward(const float* features, int64_t batch, float* out, int64_t ldo,
                 const RunContext& ctx, void* workspace, size_t workspace_bytes) const;

 private:
  AttentionPool2dConfig config_;
  Tensor positional_embedding_;  // fp32 [grid²+1, C]
  PackedLinear q_proj_;          // [C, C]
  PackedLinear kv_proj_;         // [2C, C]: k rows then v rows
  PackedLinear c_proj_;          // [E, C]
};

}  // namespace cliprt::model
