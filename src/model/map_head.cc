#include "model/map_head.h"

#include <algorithm>

#include "core/arena.h"
#include "kernels/attention.h"
#include "kernels/ops.h"
#include "kernels/ops_dispatch.h"
#include "model/transformer_stack.h"

namespace cliprt::model {

StatusOr<MapHead> MapHead::Create(const WeightReader& weights, const std::string& prefix,
                                  const MapHeadConfig& config) {
  const int64_t d = config.width;
  if (d < 1 || config.heads < 1 || d % config.heads != 0 || config.mlp_hidden < 1) {
    return InvalidArgumentError("attention-pooling head \"" + prefix + "\": width " + std::to_string(d) +
                                ", heads " + std::to_string(config.heads) + ", mlp " +
                                std::to_string(config.mlp_hidden) +
                                " are not a valid shape (width must be a multiple of heads)");
  }
  MapHead head;
  head.config_ = config;
  ASSIGN_OR_RETURN(Tensor probe, weights.F32(prefix + "probe", {1, 1, d}));
  ASSIGN_OR_RETURN(Tensor in_w, weights.F32(prefix + "attention.in_proj_weight", {3 * d, d}));
  ASSIGN_OR_RETURN(Tensor in_b, weights.F32(prefix + "attention.in_proj_bias", {3 * d}));
  // Row blocks of the packed in-projection: q = rows [0, d), k;v = rows [d, 3d).
  // The views borrow in_w / in_b, which outlive them (packing copies).
  float* w = in_w.data_as<float>();
  float* b = in_b.data_as<float>();
  const Tensor q_w = Tensor::Borrow(w, DType::kF32, {d, d}, {d, 1}, nullptr);
  const Tensor q_b = Tensor::Borrow(b, DType::kF32, {d}, {1}, nullptr);
  const Tensor kv_w = Tensor::Borrow(w + d * d, DType::kF32, {2 * d, d}, {d, 1}, nullptr);
  const Tensor kv_b = Tensor::Borrow(b + d, DType::kF32, {2 * d}, {1}, nullptr);

  // The probe's query, once, in fp32 (it is the same for every input).
  {
    ASSIGN_OR_RETURN(PackedLinear q_proj, PackedLinear::Create(q_w, &q_b, kernels::GemmPrecision::kF32,
                                                               prefix + "attention.in_proj (q rows)"));
    ASSIGN_OR_RETURN(head.query_, Tensor::Empty(DType::kF32, {d}));
    Arena arena;
    const RunContext ctx{nullptr, &arena};
    RETURN_IF_ERROR(q_proj.Run(1, probe.data_as<float>(), d, head.query_.data_as<float>(), d, ctx));
  }
  ASSIGN_OR_RETURN(head.kv_, PackedLinear::Create(kv_w, &kv_b, config.precision,
                                                  prefix + "attention.in_proj (k;v rows)"));
  ASSIGN_OR_RETURN(Tensor ow, weights.F32(prefix + "attention.out_proj.weight", {d, d}));
  ASSIGN_OR_RETURN(Tensor ob, weights.F32(prefix + "attention.out_proj.bias", {d}));
  ASSIGN_OR_RETURN(head.out_proj_, PackedLinear::Create(ow, &ob, config.precision, prefix + "attention.out_proj"));
  ASSIGN_OR_RETURN(head.ln_weight_, weights.F32(prefix + "layernorm.weight", {d}));
  ASSIGN_OR_RETURN(head.ln_bias_, weights.F32(prefix + "layernorm.bias", {d}));
  const int64_t hidden = config.mlp_hidden;
  ASSIGN_OR_RETURN(Tensor f1w, weights.F32(prefix + "mlp.fc1.weight", {hidden, d}));
  ASSIGN_OR_RETURN(Tensor f1b, weights.F32(prefix + "mlp.fc1.bias", {hidden}));
  ASSIGN_OR_RETURN(head.fc1_, PackedLinear::Create(f1w, &f1b, config.precision, prefix + "mlp.fc1"));
  ASSIGN_OR_RETURN(Tensor f2w, weights.F32(prefix + "mlp.fc2.weight", {d, hidden}));
  ASSIGN_OR_RETURN(Tensor f2b, weights.F32(prefix + "mlp.fc2.bias", {d}));
  ASSIGN_OR_RETURN(head.fc2_, PackedLinear::Create(f2w, &f2b, config.precision, prefix + "mlp.fc2"));
  return head;
}

Status MapHead::Forward(const float* tokens, int64_t batch, int64_t seq, float* out, int64_t ldo,
                        const RunContext& ctx) const {
  const int64_t d = config_.width;
  const int64_t hidden = config_.mlp_hidden;
  if (!tokens || !out || batch < 1 || seq < 1 || ldo < d) {
    return InvalidArgumentError("MapHead::Forward: needs tokens, out, batch >= 1, seq >= 1 and ldo >= " +
                                std::to_string(d) + " (got batch " + std::to_string(batch) + ", seq " +
                                std::to_string(seq) + ", ldo " + std::to_string(ldo) + ")");
  }
  if (!ctx.arena) return InvalidArgumentError("MapHead::Forward: RunContext has no arena");
  const int threads = ctx.num_threads();
  const int64_t rows = batch * seq;
  const int64_t head_dim = d / config_.heads;
  const size_t gemm_bytes =
      std::max({kv_.ScratchBytes(rows, threads), out_proj_.ScratchBytes(batch, threads),
                fc1_.ScratchBytes(batch, threads), fc2_.ScratchBytes(batch, threads)});
  const size_t attn_floats = kernels::F32AttentionScratchFloats(seq, head_dim, threads);
  ASSIGN_OR_RETURN(float* kv, ctx.arena->AllocateArray<float>(static_cast<size_t>(rows * 2 * d)));
  ASSIGN_OR_RETURN(float* attn, ctx.arena->AllocateArray<float>(static_cast<size_t>(batch * d)));
  ASSIGN_OR_RETURN(float* y, ctx.arena->AllocateArray<float>(static_cast<size_t>(batch * d)));
  ASSIGN_OR_RETURN(float* h, ctx.arena->AllocateArray<float>(static_cast<size_t>(batch * d)));
  ASSIGN_OR_RETURN(float* m, ctx.arena->AllocateArray<float>(static_cast<size_t>(batch * hidden)));
  ASSIGN_OR_RETURN(float* attn_scratch, ctx.arena->AllocateArray<float>(std::max<size_t>(attn_floats, 16)));
  ASSIGN_OR_RETURN(void* gemm_scratch, ctx.arena->Allocate(gemm_bytes, 64));
  const auto none = kernels::GemmActivation::kNone;
  const kernels::OpsKernels& ops = kernels::ActiveOpsKernels();

  RETURN_IF_ERROR(kv_.RunWithScratch(rows, tokens, d, kv, 2 * d, none, nullptr, 0, ctx, gemm_scratch, gemm_bytes));
  kernels::F32AttentionArgs args;
  args.batch = batch;
  args.heads = config_.heads;
  args.q_len = 1;
  args.kv_len = seq;
  args.head_dim = head_dim;
  args.q = query_.data_as<float>();
  args.q_batch_stride = 0;  // one probe query shared by every image
  args.q_row_stride = d;
  args.k = kv;
  args.v = kv + d;
  args.k_batch_stride = args.v_batch_stride = seq * 2 * d;
  args.k_row_stride = args.v_row_stride = 2 * d;
  args.out = attn;
  args.out_batch_stride = d;
  args.out_row_stride = d;
  args.scale = kernels::AttentionDefaultScale(head_dim);
  RETURN_IF_ERROR(kernels::F32Attention(ops, args, ctx.pool, attn_scratch, attn_floats));
  RETURN_IF_ERROR(out_proj_.RunWithScratch(batch, attn, d, y, d, none, nullptr, 0, ctx, gemm_scratch, gemm_bytes));
  RETURN_IF_ERROR(kernels::LayerNorm(ops, batch, d, y, d, ln_weight_.data_as<float>(), ln_bias_.data_as<float>(),
                                     config_.ln_eps, h, d, ctx.pool));
  RETURN_IF_ERROR(fc1_.RunWithScratch(batch, h, d, m, hidden, ToGemmActivation(config_.act), nullptr, 0, ctx,
                                      gemm_scratch, gemm_bytes));
  return fc2_.RunWithScratch(batch, m, hidden, out, ldo, none, y, d, ctx, gemm_scratch, gemm_bytes);
}

}  // namespace cliprt::model
