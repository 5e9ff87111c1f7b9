#include "model/clip_text_tower.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "kernels/ops.h"
#include "kernels/ops_dispatch.h"
#include "model/embedding_table.h"
#include "model/packed_linear.h"
#include "model/transformer_stack.h"

namespace cliprt::model {
namespace {

enum class Pool { kArgmax, kEos, kLast };

// A group never holds more tokens than this (bounded activations for any
// batch), and its texts' lengths stay within kGroupSlack of the shortest
// one, so padding to the group's longest text wastes little work.
constexpr int64_t kMaxTokensPerGroup = 4096;
constexpr double kGroupSlack = 1.25;
constexpr int64_t kGroupSlackTokens = 4;

class ClipTextTower final : public TextTower {
 public:
  int64_t context_length() const override { return context_; }
  int64_t vocab_size() const override { return vocab_; }
  int64_t embed_dim() const override { return embed_dim_; }
  Status Encode(const int64_t* ids, int64_t batch, float* out, int64_t ldo,
                const RunContext& ctx) const override;
  std::string Describe() const override { return describe_; }

  static StatusOr<std::unique_ptr<TextTower>> Create(const WeightReader& weights, const io::ModelConfig& config,
                                                     const TowerOptions& options, bool full_length);

 private:
  int64_t PooledPosition(const int64_t* row) const;
  // Runs texts `order[0..n)` (each over `seq` positions) and writes their
  // embeddings to their rows of `out`.
  Status EncodeGroup(const int64_t* ids, const int64_t* order, const int64_t* pooled, int64_t n, int64_t seq,
                     float* out, int64_t ldo, const RunContext& ctx) const;

  int64_t context_ = 0;
  int64_t vocab_ = 0;
  int64_t width_ = 0;
  int64_t embed_dim_ = 0;
  float ln_eps_ = 1e-5f;
  Pool pool_ = Pool::kArgmax;
  int64_t eos_id_ = -1;
  bool causal_ = true;
  bool full_length_ = false;
  bool has_projection_ = true;
  EmbeddingTable token_embedding_;  // [V, W] in the checkpoint's fp16/bf16, else fp32
  Tensor position_embedding_;  // [context, W]
  Tensor ln_final_weight_, ln_final_bias_;
  TransformerStack stack_;
  PackedLinear projection_;  // [E, W] (+ bias)
  std::string describe_;
};

StatusOr<std::unique_ptr<TextTower>> ClipTextTower::Create(const WeightReader& weights,
                                                           const io::ModelConfig& config,
                                                           const TowerOptions& options, bool full_length) {
  const io::TextConfig& tc = config.text;
  if (tc.width < 1 || tc.heads < 1 || tc.width % tc.heads != 0 || tc.layers < 0 || tc.mlp_hidden < 1 ||
      tc.context_length < 1 || tc.vocab_size < 1) {
    return InvalidArgumentError("CLIP text tower: invalid config (width " + std::to_string(tc.width) + ", heads " +
                                std::to_string(tc.heads) + ", layers " + std::to_string(tc.layers) + ", mlp " +
                                std::to_string(tc.mlp_hidden) + ", context " + std::to_string(tc.context_length) +
                                ", vocab " + std::to_string(tc.vocab_size) + ")");
  }
  auto tower = std::unique_ptr<ClipTextTower>(new ClipTextTower());
  ClipTextTower& t = *tower;
  if (tc.pool == "argmax") {
    t.pool_ = Pool::kArgmax;
  } else if (tc.pool == "eos") {
    t.pool_ = Pool::kEos;
    if (tc.eos_id < 0) return InvalidArgumentError("CLIP text tower: pool \"eos\" needs an eos_id (config has none)");
  } else if (tc.pool == "last") {
    t.pool_ = Pool::kLast;
  } else {
    return UnsupportedError("CLIP text tower: pool \"" + tc.pool + "\" is not supported (argmax, eos, last)");
  }
  if (!tc.causal_mask && t.pool_ != Pool::kLast) {
    // Without the causal mask every position sees the whole sequence; run
    // them all (the shortcut below relies on causality).
    full_length = true;
  }
  t.context_ = tc.context_length;
  t.vocab_ = tc.vocab_size;
  t.width_ = tc.width;
  t.eos_id_ = tc.eos_id;
  t.causal_ = tc.causal_mask;
  t.full_length_ = full_length || !tc.causal_mask;
  t.ln_eps_ = static_cast<float>(tc.ln_eps);
  const int64_t w = tc.width;
  ASSIGN_OR_RETURN(t.token_embedding_, EmbeddingTable::Read(weights, "text_model.embeddings.token_embedding.weight",
                                                            tc.vocab_size, w));
  ASSIGN_OR_RETURN(t.position_embedding_,
                   weights.F32("text_model.embeddings.position_embedding.weight", {tc.context_length, w}));
  TransformerStackConfig sc;
  sc.width = w;
  sc.heads = tc.heads;
  sc.layers = tc.layers;
  sc.mlp_hidden = tc.mlp_hidden;
  sc.act = tc.act;
  sc.ln_eps = t.ln_eps_;
  sc.precision = options.precision;
  ASSIGN_OR_RETURN(t.stack_, TransformerStack::Create(weights, "text_model.encoder.layers.", sc));
  if (weights.Has("text_model.encoder.layers." + std::to_string(tc.layers) + ".layer_norm1.weight")) {
    return CorruptDataError("CLIP text tower: the checkpoint has more than the " + std::to_string(tc.layers) +
                            " layers its config names");
  }
  ASSIGN_OR_RETURN(t.ln_final_weight_, weights.F32("text_model.final_layer_norm.weight", {w}));
  ASSIGN_OR_RETURN(t.ln_final_bias_, weights.F32("text_model.final_layer_norm.bias", {w}));
  t.has_projection_ = tc.proj_type != "none";
  if (t.has_projection_) {
    if (config.embed_dim < 1) return InvalidArgumentError("CLIP text tower: embed_dim < 1");
    t.embed_dim_ = config.embed_dim;
    ASSIGN_OR_RETURN(Tensor proj, weights.F32("text_projection.weight", {config.embed_dim, w}));
    Tensor bias;
    if (tc.proj_bias) {
      ASSIGN_OR_RETURN(bias, weights.F32("text_projection.bias", {config.embed_dim}));
    }
    ASSIGN_OR_RETURN(t.projection_,
                     PackedLinear::Create(proj, tc.proj_bias ? &bias : nullptr, options.precision, "text_projection"));
  } else {
    t.embed_dim_ = w;
  }
  // HF names, and the OpenAI/open_clip names canonicalization passes through.
  RETURN_IF_ERROR(weights.RefuseUnread({"text_model.", "text_projection", "text.", "transformer.", "token_embedding",
                                        "positional_embedding", "ln_final"},
                                       "CLIP text tower"));

  t.describe_ = "clip-text width=" + std::to_string(w) + " layers=" + std::to_string(tc.layers) +
                " heads=" + std::to_string(tc.heads) + " mlp=" + std::to_string(tc.mlp_hidden) +
                " context=" + std::to_string(tc.context_length) + " vocab=" + std::to_string(tc.vocab_size) +
                " act=" + io::ActivationName(tc.act) + " ln_eps=" + DescribeNumber(tc.ln_eps) +
                " causal=" + (tc.causal_mask ? "yes" : "no") + " pool=" + tc.pool +
                (t.pool_ == Pool::kEos ? "(eos_id=" + std::to_string(tc.eos_id) + ")" : std::string()) +
                " proj=" + (t.has_projection_ ? std::to_string(w) + "x" + std::to_string(t.embed_dim_) +
                                                    (tc.proj_bias ? "+bias" : "")
                                              : std::string("none")) +
                " length=" + (t.full_length_ ? "full" : "up-to-eot") +
                " precision=" + kernels::GemmPrecisionName(options.precision);
  return std::unique_ptr<TextTower>(std::move(tower));
}

int64_t ClipTextTower::PooledPosition(const int64_t* row) const {
  switch (pool_) {
    case Pool::kArgmax: {  // torch.argmax: the first maximal element
      int64_t best = 0;
      for (int64_t j = 1; j < context_; ++j) {
        if (row[j] > row[best]) best = j;
      }
      return best;
    }
    case Pool::kEos:  // (ids == eos).argmax(): the first match, 0 if none
      for (int64_t j = 0; j < context_; ++j) {
        if (row[j] == eos_id_) return j;
      }
      return 0;
    case Pool::kLast:
      return context_ - 1;
  }
  return 0;
}

Status ClipTextTower::Encode(const int64_t* ids, int64_t batch, float* out, int64_t ldo,
                             const RunContext& ctx) const {
  if (batch < 0) return InvalidArgumentError("CLIP text Encode: batch " + std::to_string(batch) + " < 0");
  if (batch == 0) return Status::Ok();
  if (!ids || !out) return InvalidArgumentError("CLIP text Encode: null ids or output");
  if (ldo < embed_dim_) {
    return InvalidArgumentError("CLIP text Encode: output row stride " + std::to_string(ldo) + " < embed_dim " +
                                std::to_string(embed_dim_));
  }
  if (!ctx.arena) return InvalidArgumentError("CLIP text Encode: RunContext has no arena");
  for (int64_t b = 0; b < batch; ++b) {
    const int64_t* row = ids + b * context_;
    for (int64_t j = 0; j < context_; ++j) {
      if (row[j] < 0 || row[j] >= vocab_) {
        return InvalidArgumentError("CLIP text Encode: text " + std::to_string(b) + ", position " +
                                    std::to_string(j) + ": token id " + std::to_string(row[j]) +
                                    " is outside the vocabulary [0, " + std::to_string(vocab_) + ")");
      }
    }
  }
  // Pooled position and the length each text needs; texts sorted by length.
  ASSIGN_OR_RETURN(int64_t* pooled, ctx.arena->AllocateArray<int64_t>(static_cast<size_t>(batch)));
  ASSIGN_OR_RETURN(int64_t* order, ctx.arena->AllocateArray<int64_t>(static_cast<size_t>(batch)));
  for (int64_t b = 0; b < batch; ++b) {
    pooled[b] = PooledPosition(ids + b * context_);
    order[b] = b;
  }
  auto length = [&](int64_t b) { return full_length_ ? context_ : pooled[b] + 1; };
  std::stable_sort(order, order + batch, [&](int64_t a, int64_t b) { return length(a) < length(b); });
  int64_t begin = 0;
  while (begin < batch) {
    const int64_t shortest = length(order[begin]);
    int64_t end = begin + 1;
    while (end < batch) {
      const int64_t len = length(order[end]);
      if (len > static_cast<int64_t>(kGroupSlack * static_cast<double>(shortest)) + kGroupSlackTokens) break;
      if ((end + 1 - begin) * len > std::max(kMaxTokensPerGroup, len)) break;
      ++end;
    }
    const int64_t seq = length(order[end - 1]);
    RETURN_IF_ERROR(EncodeGroup(ids, order + begin, pooled, end - begin, seq, out, ldo, ctx));
    begin = end;
  }
  return Status::Ok();
}

Status ClipTextTower::EncodeGroup(const int64_t* ids, const int64_t* order, const int64_t* pooled, int64_t n,
                                  int64_t seq, float* out, int64_t ldo, const RunContext& ctx) const {
  const int64_t w = width_;
  ASSIGN_OR_RETURN(float* x, ctx.arena->AllocateArray<float>(static_cast<size_t>(n * seq * w)));
  const float* pos = position_embedding_.data_as<float>();
  for (int64_t i = 0; i < n; ++i) {
    const int64_t* row = ids + order[i] * context_;
    for (int64_t j = 0; j < seq; ++j) token_embedding_.AddRow(row[j], pos + j * w, x + (i * seq + j) * w);
  }
  RETURN_IF_ERROR(stack_.Forward(x, n, seq, causal_, nullptr, ctx));
  // final_layer_norm is per row: normalizing only the pooled rows equals
  // normalizing all rows and then picking.
  const kernels::OpsKernels& ops = kernels::ActiveOpsKernels();
  ASSIGN_OR_RETURN(float* picked, ctx.arena->AllocateArray<float>(static_cast<size_t>(n * w)));
  for (int64_t i = 0; i < n; ++i) {
    std::memcpy(picked + i * w, x + (i * seq + pooled[order[i]]) * w, static_cast<size_t>(w) * sizeof(float));
  }
  RETURN_IF_ERROR(kernels::LayerNorm(ops, n, w, picked, w, ln_final_weight_.data_as<float>(),
                                     ln_final_bias_.data_as<float>(), ln_eps_, picked, w, ctx.pool));
  const float* result = picked;
  if (has_projection_) {
    ASSIGN_OR_RETURN(float* projected, ctx.arena->AllocateArray<float>(static_cast<size_t>(n * embed_dim_)));
    RETURN_IF_ERROR(projection_.Run(n, picked, w, projected, embed_dim_, ctx));
    result = projected;
  }
  for (int64_t i = 0; i < n; ++i) {
    std::memcpy(out + order[i] * ldo, result + i * embed_dim_, static_cast<size_t>(embed_dim_) * sizeof(float));
  }
  return Status::Ok();
}

}  // namespace

StatusOr<std::unique_ptr<TextTower>> CreateClipTextTower(const WeightReader& weights, const io::ModelConfig& config,
                                                         const TowerOptions& options) {
  return ClipTextTower::Create(weights, config, options, /*full_length=*/false);
}

StatusOr<std::unique_ptr<TextTower>> CreateClipTextTowerFullLength(const WeightReader& weights,
                                                                   const io::ModelConfig& config,
                                                                   const TowerOptions& options) {
  return ClipTextTower::Create(weights, config, options, /*full_length=*/true);
}

}  // namespace cliprt::model
