#include "model/transformer_stack.h"

#include <algorithm>

#include "kernels/attention.h"
#include "kernels/ops.h"
#include "kernels/ops_dispatch.h"

namespace cliprt::model {

kernels::GemmActivation ToGemmActivation(io::Activation act) {
  switch (act) {
    case io::Activation::kQuickGelu: return kernels::GemmActivation::kQuickGelu;
    case io::Activation::kGeluErf: return kernels::GemmActivation::kGeluErf;
    case io::Activation::kGeluTanh: return kernels::GemmActivation::kGeluTanh;
  }
  return kernels::GemmActivation::kNone;
}

StatusOr<TransformerStack> TransformerStack::Create(const WeightReader& weights, const std::string& prefix,
                                                    const TransformerStackConfig& config) {
  const int64_t d = config.width;
  if (d < 1 || config.heads < 1 || d % config.heads != 0 || config.layers < 0 || config.mlp_hidden < 1) {
    return InvalidArgumentError("transformer \"" + prefix + "\": width " + std::to_string(d) + ", heads " +
                                std::to_string(config.heads) + ", mlp " + std::to_string(config.mlp_hidden) +
                                " are not a valid shape (width must be a multiple of heads)");
  }
  TransformerStack stack;
  stack.config_ = config;
  for (int64_t i = 0; i < config.layers; ++i) {
    const std::string p = prefix + std::to_string(i) + ".";
    Layer layer;
    ASSIGN_OR_RETURN(layer.ln1_weight, weights.F32(p + "layer_norm1.weight", {d}));
    ASSIGN_OR_RETURN(layer.ln1_bias, weights.F32(p + "layer_norm1.bias", {d}));
    ASSIGN_OR_RETURN(layer.ln2_weight, weights.F32(p + "layer_norm2.weight", {d}));
    ASSIGN_OR_RETURN(layer.ln2_bias, weights.F32(p + "layer_norm2.bias", {d}));
    Tensor qkv_w[3], qkv_b[3];
    const char* names[3] = {"q_proj", "k_proj", "v_proj"};
    for (int j = 0; j < 3; ++j) {
      ASSIGN_OR_RETURN(qkv_w[j], weights.F32(p + "self_attn." + names[j] + ".weight", {d, d}));
      ASSIGN_OR_RETURN(qkv_b[j], weights.F32(p + "self_attn." + names[j] + ".bias", {d}));
    }
    const Tensor* w3[3] = {&qkv_w[0], &qkv_w[1], &qkv_w[2]};
    const Tensor* b3[3] = {&qkv_b[0], &qkv_b[1], &qkv_b[2]};
    ASSIGN_OR_RETURN(layer.qkv, PackedLinear::CreateConcat(w3, b3, config.precision, p + "self_attn.qkv"));
    ASSIGN_OR_RETURN(Tensor ow, weights.F32(p + "self_attn.out_proj.weight", {d, d}));
    ASSIGN_OR_RETURN(Tensor ob, weights.F32(p + "self_attn.out_proj.bias", {d}));
    ASSIGN_OR_RETURN(layer.out_proj, PackedLinear::Create(ow, &ob, config.precision, p + "self_attn.out_proj"));
    ASSIGN_OR_RETURN(Tensor f1w, weights.F32(p + "mlp.fc1.weight", {config.mlp_hidden, d}));
    ASSIGN_OR_RETURN(Tensor f1b, weights.F32(p + "mlp.fc1.bias", {config.mlp_hidden}));
    ASSIGN_OR_RETURN(layer.fc1, PackedLinear::Create(f1w, &f1b, config.precision, p + "mlp.fc1"));
    ASSIGN_OR_RETURN(Tensor f2w, weights.F32(p + "mlp.fc2.weight", {d, config.mlp_hidden}));
    ASSIGN_OR_RETURN(Tensor f2b, weights.F32(p + "mlp.fc2.bias", {d}));
    ASSIGN_OR_RETURN(layer.fc2, PackedLinear::Create(f2w, &f2b, config.precision, p + "mlp.fc2"));
    stack.layers_.push_back(std::move(layer));
  }
  return stack;
}

Status TransformerStack::Forward(float* x, int64_t batch, int64_t seq, bool causal,
                                 const uint8_t* key_padding_mask, const RunContext& ctx) const {
  if (!x || batch < 1 || seq < 1) {
    return InvalidArgumentError("TransformerStack::Forward: needs data, batch >= 1 and seq >= 1 (got batch " +
                                std::to_string(batch) + ", seq " + std::to_string(seq) + ")");
  }
  if (!ctx.arena) return InvalidArgumentError("TransformerStack::Forward: RunContext has no arena");
  if (layers_.empty()) return Status::Ok();
  const int64_t d = config_.width;
  const int64_t hidden = config_.mlp_hidden;
  const int64_t rows = batch * seq;
  const int threads = ctx.num_threads();
  const int64_t head_dim = d / config_.heads;
  const kernels::OpsKernels& ops = kernels::ActiveOpsKernels();

  // All scratch once per call: activations, the largest GEMM scratch, attention.
  const Layer& l0 = layers_[0];
  const size_t gemm_bytes =
      std::max({l0.qkv.ScratchBytes(rows, threads), l0.out_proj.ScratchBytes(rows, threads),
                l0.fc1.ScratchBytes(rows, threads), l0.fc2.ScratchBytes(rows, threads)});
  const size_t attn_floats = kernels::F32AttentionScratchFloats(seq, head_dim, threads);
  ASSIGN_OR_RETURN(float* h, ctx.arena->AllocateArray<float>(static_cast<size_t>(rows * d)));
  ASSIGN_OR_RETURN(float* qkv, ctx.arena->AllocateArray<float>(static_cast<size_t>(rows * 3 * d)));
  ASSIGN_OR_RETURN(float* attn, ctx.arena->AllocateArray<float>(static_cast<size_t>(rows * d)));
  ASSIGN_OR_RETURN(float* mlp, ctx.arena->AllocateArray<float>(static_cast<size_t>(rows * hidden)));
  ASSIGN_OR_RETURN(float* attn_scratch, ctx.arena->AllocateArray<float>(std::max<size_t>(attn_floats, 16)));
  ASSIGN_OR_RETURN(void* gemm_scratch, ctx.arena->Allocate(gemm_bytes, 64));

  kernels::F32AttentionArgs args;
  args.batch = batch;
  args.heads = config_.heads;
  args.q_len = seq;
  args.kv_len = seq;
  args.head_dim = head_dim;
  args.q = qkv;
  args.k = qkv + d;
  args.v = qkv + 2 * d;
  args.q_batch_stride = args.k_batch_stride = args.v_batch_stride = seq * 3 * d;
  args.q_row_stride = args.k_row_stride = args.v_row_stride = 3 * d;
  args.out = attn;
  args.out_batch_stride = seq * d;
  args.out_row_stride = d;
  args.scale = kernels::AttentionDefaultScale(head_dim);
  args.causal = causal;
  args.key_padding_mask = key_padding_mask;
  args.mask_batch_stride = key_padding_mask ? seq : 0;

  const kernels::GemmActivation act = ToGemmActivation(config_.act);
  const auto none = kernels::GemmActivation::kNone;
  for (const Layer& layer : layers_) {
    RETURN_IF_ERROR(kernels::LayerNorm(ops, rows, d, x, d, layer.ln1_weight.data_as<float>(),
                                       layer.ln1_bias.data_as<float>(), config_.ln_eps, h, d, ctx.pool));
    RETURN_IF_ERROR(layer.qkv.RunWithScratch(rows, h, d, qkv, 3 * d, none, nullptr, 0, ctx, gemm_scratch,
                                             gemm_bytes));
    RETURN_IF_ERROR(kernels::F32Attention(ops, args, ctx.pool, attn_scratch, attn_floats));
    RETURN_IF_ERROR(layer.out_proj.RunWithScratch(rows, attn, d, x, d, none, x, d, ctx, gemm_scratch, gemm_bytes));
    RETURN_IF_ERROR(kernels::LayerNorm(ops, rows, d, x, d, layer.ln2_weight.data_as<float>(),
                                       layer.ln2_bias.data_as<float>(), config_.ln_eps, h, d, ctx.pool));
    RETURN_IF_ERROR(layer.fc1.RunWithScratch(rows, h, d, mlp, hidden, act, nullptr, 0, ctx, gemm_scratch,
                                             gemm_bytes));
    RETURN_IF_ERROR(layer.fc2.RunWithScratch(rows, mlp, hidden, x, d, none, x, d, ctx, gemm_scratch, gemm_bytes));
  }
  return Status::Ok();
}

}  // namespace cliprt::model
