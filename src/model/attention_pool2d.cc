#include "model/attention_pool2d.h"

#include <algorithm>
#include <cstring>

#include "kernels/attention.h"
#include "kernels/ops.h"
#include "kernels/ops_dispatch.h"

namespace cliprt::model {
namespace {

size_t RoundUp64(size_t bytes) { return (bytes + 63) / 64 * 64; }

// Byte sizes of the workspace parts, in the order they are laid out.
struct WorkspaceLayout {
  size_t tokens = 0;     // [batch, L, C]
  size_t kv = 0;         // [batch, L, 2C]
  size_t q = 0;          // [batch, C]
  size_t attended = 0;   // [batch, C]
  size_t attention = 0;  // kernel scratch
  size_t gemm = 0;       // shared by the three GEMMs
  size_t total() const { return tokens + kv + q + attended + attention + gemm; }
};

}  // namespace

StatusOr<AttentionPool2d> AttentionPool2d::Create(const WeightReader& weights, const std::string& prefix,
                                                  const AttentionPool2dConfig& config) {
  const int64_t c = config.channels;
  if (config.grid < 1 || c < 1 || config.heads < 1 || c % config.heads != 0 || config.output_dim < 1) {
    return InvalidArgumentError("attention pool \"" + prefix + "\": grid " + std::to_string(config.grid) +
                                ", channels " + std::to_string(c) + ", heads " + std::to_string(config.heads) +
                                ", output " + std::to_string(config.output_dim) +
                                " (need sizes >= 1 and channels divisible by heads)");
  }
  AttentionPool2d pool;
  pool.config_ = config;
  const int64_t tokens = config.grid * config.grid + 1;
  ASSIGN_OR_RETURN(pool.positional_embedding_, weights.F32(prefix + "positional_embedding", {tokens, c}));

  auto load = [&](const std::string& name, int64_t out, Tensor* w, Tensor* b) -> Status {
    ASSIGN_OR_RETURN(*w, weights.F32(prefix + name + ".weight", {out, c}));
    ASSIGN_OR_RETURN(*b, weights.F32(prefix + name + ".bias", {out}));
    return Status::Ok();
  };
  Tensor qw, qb, kw, kb, vw, vb, cw, cb;
  RETURN_IF_ERROR(load("q_proj", c, &qw, &qb));
  RETURN_IF_ERROR(load("k_proj", c, &kw, &kb));
  RETURN_IF_ERROR(load("v_proj", c, &vw, &vb));
  RETURN_IF_ERROR(load("c_proj", config.output_dim, &cw, &cb));
  ASSIGN_OR_RETURN(pool.q_proj_, PackedLinear::Create(qw, &qb, config.precision, prefix + "q_proj"));
  const Tensor* kv_weights[2] = {&kw, &vw};
  const Tensor* kv_biases[2] = {&kb, &vb};
  ASSIGN_OR_RETURN(pool.kv_proj_, PackedLinear::CreateConcat(kv_weights, kv_biases, config.precision,
                                                             prefix + "{k,v}_proj"));
  ASSIGN_OR_RETURN(pool.c_proj_, PackedLinear::Create(cw, &cb, config.precision, prefix + "c_proj"));
  return pool;
}

namespace {

WorkspaceLayout Layout(const AttentionPool2dConfig& config, int64_t tokens, int64_t batch, int num_threads,
                       const PackedLinear& q_proj, const PackedLinear& kv_proj, const PackedLinear& c_proj) {
  const auto floats = [](int64_t n) { return RoundUp64(static_cast<size_t>(n) * sizeof(float)); };
  const int64_t c = config.channels;
  WorkspaceLayout l;
  l.tokens = floats(batch * tokens * c);
  l.kv = floats(batch * tokens * 2 * c);
  l.q = floats(batch * c);
  l.attended = floats(batch * c);
  l.attention =
      RoundUp64(kernels::F32AttentionScratchFloats(tokens, c / config.heads, num_threads) * sizeof(float));
  l.gemm = std::max({q_proj.ScratchBytes(batch, num_threads), kv_proj.ScratchBytes(batch * tokens, num_threads),
                     c_proj.ScratchBytes(batch, num_threads)});
  return l;
}

}  // namespace

size_t AttentionPool2d::WorkspaceBytes(int64_t batch, int num_threads) const {
  return Layout(config_, tokens(), batch, num_threads, q_proj_, kv_proj_, c_proj_).total();
}

Status AttentionPool2d::Forward(const float* features, int64_t batch, float* out, int64_t ldo,
                                const RunContext& ctx, void* workspace, size_t workspace_bytes) const {
  const int64_t c = config_.channels;
  const int64_t hw = config_.grid * config_.grid;
  const int64_t l = hw + 1;
  if (features == nullptr || out == nullptr || batch < 1 || ldo < config_.output_dim) {
    return InvalidArgumentError("attention pool: null buffer, batch " + std::to_string(batch) + " or ldo " +
                                std::to_string(ldo) + " < " + std::to_string(config_.output_dim));
  }
  const WorkspaceLayout layout = Layout(config_, l, batch, ctx.num_threads(), q_proj_, kv_proj_, c_proj_);
  if (workspace == nullptr || workspace_bytes < layout.total()) {
    return InvalidArgumentError("attention pool: workspace of " + std::to_string(workspace_bytes) +
                                " bytes, need " + std::to_string(layout.total()));
  }
  char* p = static_cast<char*>(workspace);
  auto take = [&p](size_t bytes) {
    char* q = p;
    p += bytes;
    return q;
  };
  float* tokens = reinterpret_cast<float*>(take(layout.tokens));
  float* kv = reinterpret_cast<float*>(take(layout.kv));
  float* q = reinterpret_cast<float*>(take(layout.q));
  float* attended = reinterpret_cast<float*>(take(layout.attended));
  float* attention_scratch = reinterpret_cast<float*>(take(layout.attention));
  void* gemm_scratch = take(layout.gemm);

  // Token 0 = mean over the grid (fp32, in token order, divided as
  // torch.mean does); tokens 1.. = the feature map rows; all + position.
  RETURN_IF_ERROR(kernels::MeanPool(batch, hw, c, features, hw * c, c, tokens, l * c, ctx.pool));
  for (int64_t b = 0; b < batch; ++b) {
    std::memcpy(tokens + b * l * c + c, features + b * hw * c, static_cast<size_t>(hw * c) * sizeof(float));
  }
  const float* pos = positional_embedding_.data_as<const float>();
  const int64_t n = batch * l * c;
  const int64_t per_image = l * c;
  for (int64_t i = 0; i < n; ++i) tokens[i] += pos[i % per_image];

  const kernels::GemmActivation none = kernels::GemmActivation::kNone;
  RETURN_IF_ERROR(kv_proj_.RunWithScratch(batch * l, tokens, c, kv, 2 * c, none, nullptr, 0, ctx, gemm_scratch,
                                          layout.gemm));
  RETURN_IF_ERROR(
      q_proj_.RunWithScratch(batch, tokens, l * c, q, c, none, nullptr, 0, ctx, gemm_scratch, layout.gemm));

  kernels::F32AttentionArgs args;
  args.batch = batch;
  args.heads = config_.heads;
  args.q_len = 1;
  args.kv_len = l;
  args.head_dim = c / config_.heads;
  args.q = q;
  args.q_batch_stride = c;
  args.q_row_stride = c;
  args.k = kv;
  args.k_batch_stride = l * 2 * c;
  args.k_row_stride = 2 * c;
  args.v = kv + c;
  args.v_batch_stride = l * 2 * c;
  args.v_row_stride = 2 * c;
  args.out = attended;
  args.out_batch_stride = c;
  args.out_row_stride = c;
  args.scale = kernels::AttentionDefaultScale(args.head_dim);
  RETURN_IF_ERROR(kernels::F32Attention(kernels::ActiveOpsKernels(), args, ctx.pool, attention_scratch,
                                        layout.attention / sizeof(float)));

  return c_proj_.RunWithScratch(batch, attended, c, out, ldo, none, nullptr, 0, ctx, gemm_scratch, layout.gemm);
}

}  // namespace cliprt::model
