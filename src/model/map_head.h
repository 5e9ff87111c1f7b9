// SigLIP's multihead attention pooling ("MAP") head (REFERENCE.md §2.6):
// transformers SiglipMultiheadAttentionPoolingHead, timm AttentionPoolLatent
// with one latent. Over canonical names `<prefix>probe [1,1,D]`,
// `<prefix>attention.in_proj_{weight [3D,D],bias [3D]}` (q;k;v rows),
// `<prefix>attention.out_proj.*`, `<prefix>layernorm.*`, `<prefix>mlp.fc{1,2}.*`:
//
//   q = probe·Wqᵀ + bq                     (one query, the same for every image)
//   k, v = tokens·W{k,v}ᵀ + b{k,v}
//   y = out_proj(MultiHeadAttention(q, k, v))   (no mask)
//   y = y + fc2(act(fc1(LN(y))))           (residual only around the MLP)
//   out = y                                 [batch, D]
//
// The probe query depends on no input, so it is projected once at load, in
// fp32 whatever the precision; the attention reads it for every image with a
// batch stride of 0.
#pragma once

#include <string>

#include "core/status.h"
#include "io/model_config.h"
#include "kernels/gemm.h"
#include "model/packed_linear.h"
#include "model/run_context.h"
#include "model/weight_reader.h"
#include "tensor/tensor.h"

namespace cliprt::model {

struct MapHeadConfig {
  int64_t width = 0;
  int64_t heads = 0;
  int64_t mlp_hidden = 0;
  io::Activation act = io::Activation::kGeluTanh;
  float ln_eps = 1e-6f;
  kernels::GemmPrecision precision = kernels::GemmPrecision::kF32;
};

class MapHead {
 public:
  static StatusOr<MapHead> Create(const WeightReader& weights, const std::string& prefix,
                                  const MapHeadConfig& config);

  const MapHeadConfig& config() const { return config_; }

  // tokens: [batch·seq, width] (row stride width); out: [batch, ldo >= width].
  // Scratch from ctx.arena. Each image's row depends only on its own tokens.
  Status Forward(const float* tokens, int64_t batch, int64_t seq, float* out, int64_t ldo,
                 const RunContext& ctx) const;

 private:
  MapHeadConfig config_;
  Tensor query_;        // fp32 [width]: the projected probe
  PackedLinear kv_;     // [2·width, width]
  PackedLinear out_proj_;
  Tensor ln_weight_, ln_bias_;
  PackedLinear fc1_, fc2_;
};

}  // namespace cliprt::model
