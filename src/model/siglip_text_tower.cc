#include "model/siglip_text_tower.h"

#include <cstring>
#include <string>

#include "kernels/ops.h"
#include "kernels/ops_dispatch.h"
#include "model/embedding_table.h"
#include "model/packed_linear.h"
#include "model/transformer_stack.h"

namespace cliprt::model {
namespace {

constexpr const char* kPrefix = "text_model.";

class SiglipTextTower final : public TextTower {
 public:
  int64_t context_length() const override { return context_; }
  int64_t vocab_size() const override { return vocab_; }
  int64_t embed_dim() const override { return embed_dim_; }
  Status Encode(const int64_t* ids, int64_t batch, float* out, int64_t ldo,
                const RunContext& ctx) const override;
  std::string Describe() const override { return describe_; }

  static StatusOr<std::unique_ptr<TextTower>> Create(const WeightReader& weights,
                                                     const io::ModelConfig& config,
                                                     const TowerOptions& options);

 private:
  int64_t context_ = 0;
  int64_t vocab_ = 0;
  int64_t width_ = 0;
  int64_t embed_dim_ = 0;
  bool causal_ = false;
  float ln_eps_ = 1e-6f;
  EmbeddingTable token_embedding_;  // [vocab, width] in the checkpoint's fp16/bf16, else fp32
  Tensor pos_embedding_;    // fp32 [context, width]
  TransformerStack stack_;
  Tensor final_ln_weight_, final_ln_bias_;
  bool has_head_ = false;
  PackedLinear head_;  // [embed_dim, width]
  std::string describe_;
};

StatusOr<std::unique_ptr<TextTower>> SiglipTextTower::Create(const WeightReader& weights,
                                                             const io::ModelConfig& config,
                                                             const TowerOptions& options) {
  const io::TextConfig& tc = config.text;
  if (tc.pool != "last") {
    return UnsupportedError("SigLIP text tower: pool \"" + tc.pool + "\" is not supported (SigLIP pools the last position)");
  }
  if (tc.proj_type != "linear" && tc.proj_type != "none") {
    return UnsupportedError("SigLIP text tower: projection type \"" + tc.proj_type +
                            "\" is not supported (expected a Linear head or none)");
  }
  const int64_t d = tc.width;
  if (d < 1 || tc.heads < 1 || d % tc.heads != 0 || tc.layers < 0 || tc.mlp_hidden < 1 ||
      tc.context_length < 1 || tc.context_length > 65536 || tc.vocab_size < 1) {
    return InvalidArgumentError("SigLIP text tower: invalid shape (width " + std::to_string(d) + ", heads " +
                                std::to_string(tc.heads) + ", mlp " + std::to_string(tc.mlp_hidden) +
                                ", context " + std::to_string(tc.context_length) + ", vocab " +
                                std::to_string(tc.vocab_size) + ")");
  }
  auto tower = std::unique_ptr<SiglipTextTower>(new SiglipTextTower());
  tower->context_ = tc.context_length;
  tower->vocab_ = tc.vocab_size;
  tower->width_ = d;
  tower->causal_ = tc.causal_mask;
  tower->ln_eps_ = static_cast<float>(tc.ln_eps);
  const std::string p = kPrefix;
  ASSIGN_OR_RETURN(tower->token_embedding_,
                   EmbeddingTable::Read(weights, p + "embeddings.token_embedding.weight", tc.vocab_size, d));
  ASSIGN_OR_RETURN(tower->pos_embedding_,
                   weights.F32(p + "embeddings.position_embedding.weight", {tc.context_length, d}));
  TransformerStackConfig sc;
  sc.width = d;
  sc.heads = tc.heads;
  sc.layers = tc.layers;
  sc.mlp_hidden = tc.mlp_hidden;
  sc.act = tc.act;
  sc.ln_eps = tower->ln_eps_;
  sc.precision = options.precision;
  ASSIGN_OR_RETURN(tower->stack_, TransformerStack::Create(weights, p + "encoder.layers.", sc));
  ASSIGN_OR_RETURN(tower->final_ln_weight_, weights.F32(p + "final_layer_norm.weight", {d}));
  ASSIGN_OR_RETURN(tower->final_ln_bias_, weights.F32(p + "final_layer_norm.bias", {d}));
  if (tc.proj_type == "linear") {
    const int64_t e = config.embed_dim;
    if (e < 1) return InvalidArgumentError("SigLIP text tower: embed_dim " + std::to_string(e) + " < 1");
    ASSIGN_OR_RETURN(Tensor hw, weights.F32(p + "head.weight", {e, d}));
    Tensor hb;
    const bool bias = weights.Has(p + "head.bias");
    if (bias) { ASSIGN_OR_RETURN(hb, weights.F32(p + "head.bias", {e})); }
    ASSIGN_OR_RETURN(tower->head_, PackedLinear::Create(hw, bias ? &hb : nullptr, options.precision, p + "head"));
    tower->has_head_ = true;
    tower->embed_dim_ = e;
  } else {
    tower->embed_dim_ = d;
  }
  RETURN_IF_ERROR(weights.RefuseUnread({p}, "SigLIP text tower"));
  tower->describe_ = "siglip-text width=" + std::to_string(d) + " layers=" + std::to_string(tc.layers) +
                     " heads=" + std::to_string(tc.heads) + " context=" + std::to_string(tc.context_length) +
                     " vocab=" + std::to_string(tc.vocab_size) + " mlp=" + std::to_string(tc.mlp_hidden) +
                     " act=" + io::ActivationName(tc.act) + " ln_eps=" + DescribeNumber(tc.ln_eps) +
                     " mask=" + (tc.causal_mask ? "causal" : "none") + " pool=last proj=" +
                     (tower->has_head_ ? std::to_string(d) + "x" + std::to_string(tower->embed_dim_) : "none") +
                     " precision=" + kernels::GemmPrecisionName(options.precision);
  return std::unique_ptr<TextTower>(std::move(tower));
}

Status SiglipTextTower::Encode(const int64_t* ids, int64_t batch, float* out, int64_t ldo,
                               const RunContext& ctx) const {
  if (batch < 0 || (batch > 0 && (!ids || !out)) || ldo < embed_dim_) {
    return InvalidArgumentError("SigLIP text Encode: needs ids and out for batch " + std::to_string(batch) +
                                " and ldo >= " + std::to_string(embed_dim_) + " (got " + std::to_string(ldo) + ")");
  }
  if (!ctx.arena) return InvalidArgumentError("SigLIP text Encode: RunContext has no arena");
  if (batch == 0) return Status::Ok();
  const int64_t d = width_;
  const int64_t len = context_;
  if (batch > (int64_t{1} << 40) / (len * d)) {
    return ResourceExhaustedError("SigLIP text Encode: batch " + std::to_string(batch) + " is too large");
  }
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t t = 0; t < len; ++t) {
      const int64_t id = ids[b * len + t];
      if (id < 0 || id >= vocab_) {
        return InvalidArgumentError("SigLIP text Encode: token id " + std::to_string(id) + " of text " +
                                    std::to_string(b) + " at position " + std::to_string(t) +
                                    " is outside the vocabulary [0, " + std::to_string(vocab_) + ")");
      }
    }
  }
  const int64_t rows = batch * len;
  ASSIGN_OR_RETURN(float* x, ctx.arena->AllocateArray<float>(static_cast<size_t>(rows * d)));
  ASSIGN_OR_RETURN(float* pooled, ctx.arena->AllocateArray<float>(static_cast<size_t>(batch * d)));
  const float* pos = pos_embedding_.data_as<float>();
  auto embed = [&](int64_t begin, int64_t end, int) {
    for (int64_t r = begin; r < end; ++r) token_embedding_.AddRow(ids[r], pos + (r % len) * d, x + r * d);
  };
  if (ctx.pool) {
    ctx.pool->ParallelFor(rows, embed);
  } else {
    embed(0, rows, 0);
  }
  RETURN_IF_ERROR(stack_.Forward(x, batch, len, causal_, /*key_padding_mask=*/nullptr, ctx));
  // Final LayerNorm of the last position of every text only (row stride len·d).
  float* ln_out = has_head_ ? pooled : out;
  const int64_t ld_ln = has_head_ ? d : ldo;
  RETURN_IF_ERROR(kernels::LayerNorm(kernels::ActiveOpsKernels(), batch, d, x + (len - 1) * d, len * d,
                                     final_ln_weight_.data_as<float>(), final_ln_bias_.data_as<float>(), ln_eps_,
                                     ln_out, ld_ln, ctx.pool));
  if (!has_head_) return Status::Ok();
  return head_.Run(batch, pooled, d, out, ldo, ctx);
}

}  // namespace

StatusOr<std::unique_ptr<TextTower>> CreateSiglipTextTower(const WeightReader& weights,
                                                          const io::ModelConfig& config,
                                                          const TowerOptions& options) {
  return SiglipTextTower::Create(weights, config, options);
}

}  // namespace cliprt::model
