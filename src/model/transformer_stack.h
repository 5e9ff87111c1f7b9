// The pre-LN residual transformer every CLIP-family tower uses
// (REFERENCE.md §2.1), over canonical (Hugging Face) layer names:
//
//   for each layer:  x = x + out_proj(Attn(LN1(x)))
//                    x = x + fc2(act(fc1(LN2(x))))
//
// q, k, v are packed as one [3·D, D] GEMM (bias fused); the attention reads
// the heads straight out of that buffer (kernels/attention.h); the residual
// adds and the activation are fused into the GEMM epilogues. Tokens are rows
// of one [batch·seq, D] matrix, so every GEMM runs over the whole batch, and
// each row's result is independent of the other rows (batched = one by one,
// bit for bit, in fp32).
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "io/model_config.h"
#include "kernels/gemm.h"
#include "model/packed_linear.h"
#include "model/run_context.h"
#include "model/weight_reader.h"

namespace cliprt::model {

kernels::GemmActivation ToGemmActivation(io::Activation act);

struct TransformerStackConfig {
  int64_t width = 0;
  int64_t heads = 0;
  int64_t layers = 0;
  int64_t mlp_hidden = 0;
  io::Activation act = io::Activation::kQuickGelu;
  float ln_eps = 1e-5f;
  kernels::GemmPrecision precision = kernels::GemmPrecision::kF32;
};

class TransformerStack {
 public:
  // Reads `<prefix><i>.layer_norm1.{weight,bias}`, `.self_attn.{q,k,v,out}_proj.{weight,bias}`,
  // `.layer_norm2.{weight,bias}`, `.mlp.fc1.{weight,bias}`, `.mlp.fc2.{weight,bias}` for
  // i < layers (prefix e.g. "vision_model.encoder.layers.").
  static StatusOr<TransformerStack> Create(const WeightReader& weights, const std::string& prefix,
                                           const TransformerStackConfig& config);

  const TransformerStackConfig& config() const { return config_; }

  // x: [batch·seq, width] (row stride width), transformed in place.
  // causal: query i sees keys j <= i. key_padding_mask: nullptr or
  // [batch, seq] bytes, nonzero = key ignored. Scratch from ctx.arena.
  Status Forward(float* x, int64_t batch, int64_t seq, bool causal,
                 const uint8_t* key_padding_mask, const RunContext& ctx) const;

 private:
  struct Layer {
    Tensor ln1_weight, ln1_bias, ln2_weight, ln2_bias;  // fp32 [width]
    PackedLinear qkv;       // [3·width, width]
    PackedLinear out_proj;  // [width, width]
    PackedLinear fc1;       // [mlp_hidden, width]
    PackedLinear fc2;       // [width, mlp_hidden]
  };
  TransformerStackConfig config_;
  std::vector<Layer> layers_;
};

}  // namespace cliprt::model
