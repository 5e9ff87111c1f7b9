#include "model/vit_vision_tower.h"

#include <algorithm>
#include <string>
#include <utility>

#include "kernels/conv2d.h"
#include "kernels/ops.h"
#include "kernels/ops_dispatch.h"
#include "model/packed_linear.h"
#include "model/transformer_stack.h"

namespace cliprt::model {
namespace {

constexpr const char* kEmb = "vision_model.embeddings.";

// Images per chunk: a batch is run a few images at a time so activations
// stay bounded (and cache-sized) for any batch size. Every row of every
// step depends only on its own image, so chunking changes no bits.
constexpr int64_t kMaxTokensPerChunk = 4096;

class VitVisionTower final : public VisionTower {
 public:
  int64_t image_size() const override { return image_size_; }
  int64_t embed_dim() const override { return embed_dim_; }
  Status Encode(const float* pixels, int64_t batch, float* out, int64_t ldo,
                const RunContext& ctx) const override;
  std::string Describe() const override { return describe_; }

  static StatusOr<std::unique_ptr<VisionTower>> Create(const WeightReader& weights,
                                                       const io::ModelConfig& config,
                                                       const TowerOptions& options);

 private:
  Status EncodeChunk(const float* pixels, int64_t images, float* out, int64_t ldo,
                     const RunContext& ctx) const;

  int64_t image_size_ = 0;
  int64_t patch_ = 0;
  int64_t grid_ = 0;
  int64_t tokens_ = 0;  // grid² + 1
  int64_t width_ = 0;
  int64_t embed_dim_ = 0;
  float ln_eps_ = 1e-5f;
  bool ln_pre_ = true;
  kernels::PackedConv2d patch_embed_;
  Tensor class_embedding_;     // [W]
  Tensor position_embedding_;  // [tokens, W]
  Tensor ln_pre_weight_, ln_pre_bias_, ln_post_weight_, ln_post_bias_;
  TransformerStack stack_;
  PackedLinear projection_;  // [E, W], no bias
  std::string describe_;
};

StatusOr<std::unique_ptr<VisionTower>> VitVisionTower::Create(const WeightReader& weights,
                                                              const io::ModelConfig& config,
                                                              const TowerOptions& options) {
  const io::VisionConfig& vc = config.vision;
  if (vc.kind != "vit") {
    return InvalidArgumentError("ViT vision tower: config vision.kind is \"" + vc.kind + "\", not \"vit\"");
  }
  if (vc.pool != "tok") {
    return UnsupportedError("ViT vision tower: pool \"" + vc.pool +
                            "\" is not supported (only the class token, \"tok\")");
  }
  if (!vc.class_token) return UnsupportedError("ViT vision tower: a ViT without class token is not supported");
  if (vc.width < 1 || vc.patch_size < 1 || vc.image_size < vc.patch_size || vc.heads < 1 ||
      vc.width % vc.heads != 0 || vc.layers < 0 || vc.mlp_hidden < 1 || config.embed_dim < 1) {
    return InvalidArgumentError("ViT vision tower: invalid config (width " + std::to_string(vc.width) + ", heads " +
                                std::to_string(vc.heads) + ", patch " + std::to_string(vc.patch_size) +
                                ", image " + std::to_string(vc.image_size) + ", mlp " +
                                std::to_string(vc.mlp_hidden) + ", embed_dim " +
                                std::to_string(config.embed_dim) + ")");
  }
  auto tower = std::unique_ptr<VitVisionTower>(new VitVisionTower());
  VitVisionTower& t = *tower;
  t.image_size_ = vc.image_size;
  t.patch_ = vc.patch_size;
  t.width_ = vc.width;
  t.embed_dim_ = config.embed_dim;
  t.ln_eps_ = static_cast<float>(vc.ln_eps);
  t.ln_pre_ = vc.ln_pre;
  // torch's floor rule: pixels past the last whole patch are ignored.
  ASSIGN_OR_RETURN(t.grid_, kernels::Conv2dOutputSize(vc.image_size, vc.patch_size, vc.patch_size, 0));
  t.tokens_ = t.grid_ * t.grid_ + 1;
  const int64_t w = vc.width;
  const auto precision = options.precision;

  ASSIGN_OR_RETURN(Tensor conv_w, weights.F32(std::string(kEmb) + "patch_embedding.weight",
                                              {w, 3, vc.patch_size, vc.patch_size}));
  Tensor conv_b;
  if (vc.patch_bias) {
    ASSIGN_OR_RETURN(conv_b, weights.F32(std::string(kEmb) + "patch_embedding.bias", {w}));
  }
  kernels::Conv2dParams cp;
  cp.in_channels = 3;
  cp.out_channels = w;
  cp.kernel_h = cp.kernel_w = vc.patch_size;
  cp.stride_h = cp.stride_w = vc.patch_size;
  ASSIGN_OR_RETURN(t.patch_embed_,
                   kernels::PackedConv2d::Create(cp, conv_w.data_as<float>(),
                                                 vc.patch_bias ? conv_b.data_as<float>() : nullptr, precision));
  ASSIGN_OR_RETURN(t.class_embedding_, weights.F32(std::string(kEmb) + "class_embedding", {w}));
  ASSIGN_OR_RETURN(t.position_embedding_,
                   weights.F32(std::string(kEmb) + "position_embedding.weight", {t.tokens_, w}));
  if (vc.ln_pre) {
    ASSIGN_OR_RETURN(t.ln_pre_weight_, weights.F32("vision_model.pre_layrnorm.weight", {w}));
    ASSIGN_OR_RETURN(t.ln_pre_bias_, weights.F32("vision_model.pre_layrnorm.bias", {w}));
  }
  TransformerStackConfig sc;
  sc.width = w;
  sc.heads = vc.heads;
  sc.layers = vc.layers;
  sc.mlp_hidden = vc.mlp_hidden;
  sc.act = vc.act;
  sc.ln_eps = t.ln_eps_;
  sc.precision = precision;
  ASSIGN_OR_RETURN(t.stack_, TransformerStack::Create(weights, "vision_model.encoder.layers.", sc));
  if (vc.layers > 0 && weights.Has("vision_model.encoder.layers." + std::to_string(vc.layers) +
                                   ".layer_norm1.weight")) {
    return CorruptDataError("ViT vision tower: the checkpoint has more than the " + std::to_string(vc.layers) +
                            " layers its config names (found vision_model.encoder.layers." +
                            std::to_string(vc.layers) + ")");
  }
  ASSIGN_OR_RETURN(t.ln_post_weight_, weights.F32("vision_model.post_layernorm.weight", {w}));
  ASSIGN_OR_RETURN(t.ln_post_bias_, weights.F32("vision_model.post_layernorm.bias", {w}));
  ASSIGN_OR_RETURN(Tensor proj, weights.F32("visual_projection.weight", {config.embed_dim, w}));
  ASSIGN_OR_RETURN(t.projection_, PackedLinear::Create(proj, nullptr, precision, "visual_projection"));
  // HF names, and the OpenAI/open_clip names canonicalization passes through.
  RETURN_IF_ERROR(weights.RefuseUnread({"vision_model.", "visual_projection.", "visual."}, "ViT vision tower"));

  t.describe_ = "vit width=" + std::to_string(w) + " layers=" + std::to_string(vc.layers) +
                " heads=" + std::to_string(vc.heads) + " mlp=" + std::to_string(vc.mlp_hidden) +
                " patch=" + std::to_string(vc.patch_size) + " image=" + std::to_string(vc.image_size) +
                " tokens=" + std::to_string(t.tokens_) + " act=" + io::ActivationName(vc.act) +
                " ln_eps=" + DescribeNumber(vc.ln_eps) + " ln_pre=" + (vc.ln_pre ? "yes" : "no") +
                " pool=tok proj=" + std::to_string(w) + "x" + std::to_string(config.embed_dim) +
                " precision=" + kernels::GemmPrecisionName(precision);
  return std::unique_ptr<VisionTower>(std::move(tower));
}

Status VitVisionTower::Encode(const float* pixels, int64_t batch, float* out, int64_t ldo,
                              const RunContext& ctx) const {
  if (batch < 0) return InvalidArgumentError("ViT Encode: batch " + std::to_string(batch) + " < 0");
  if (batch == 0) return Status::Ok();
  if (!pixels || !out) return InvalidArgumentError("ViT Encode: null pixels or output");
  if (ldo < embed_dim_) {
    return InvalidArgumentError("ViT Encode: output row stride " + std::to_string(ldo) + " < embed_dim " +
                                std::to_string(embed_dim_));
  }
  if (!ctx.arena) return InvalidArgumentError("ViT Encode: RunContext has no arena");
  const int64_t per_chunk = std::max<int64_t>(1, kMaxTokensPerChunk / tokens_);
  const int64_t image_floats = 3 * image_size_ * image_size_;
  for (int64_t b = 0; b < batch; b += per_chunk) {
    const int64_t n = std::min(per_chunk, batch - b);
    RETURN_IF_ERROR(EncodeChunk(pixels + b * image_floats, n, out + b * ldo, ldo, ctx));
  }
  return Status::Ok();
}

Status VitVisionTower::EncodeChunk(const float* pixels, int64_t images, float* out, int64_t ldo,
                                   const RunContext& ctx) const {
  const kernels::OpsKernels& ops = kernels::ActiveOpsKernels();
  const int64_t w = width_;
  const int64_t rows = images * tokens_;
  const int64_t image_floats = 3 * image_size_ * image_size_;
  ASSIGN_OR_RETURN(float* x, ctx.arena->AllocateArray<float>(static_cast<size_t>(rows * w)));
  ASSIGN_OR_RETURN(size_t conv_bytes, patch_embed_.ScratchBytes(1, image_size_, image_size_, ctx.num_threads()));
  ASSIGN_OR_RETURN(void* conv_scratch, ctx.arena->Allocate(std::max<size_t>(conv_bytes, 64), 64));

  // Embeddings. Patch rows: conv + position (the residual epilogue adds the
  // position embedding to each conv sum, as torch's `x + pos` does).
  // Class row: class_embedding + position[0].
  const float* cls = class_embedding_.data_as<float>();
  const float* pos = position_embedding_.data_as<float>();
  for (int64_t i = 0; i < images; ++i) {
    float* xi = x + i * tokens_ * w;
    for (int64_t c = 0; c < w; ++c) xi[c] = cls[c] + pos[c];
    const kernels::Conv2dInput in =
        kernels::Conv2dInputNchw(pixels + i * image_floats, 1, 3, image_size_, image_size_);
    RETURN_IF_ERROR(patch_embed_.Run(in, xi + w, w, pos + w, w, /*relu=*/false, ctx.pool, conv_scratch,
                                     conv_bytes));
  }
  if (ln_pre_) {
    RETURN_IF_ERROR(kernels::LayerNorm(ops, rows, w, x, w, ln_pre_weight_.data_as<float>(),
                                       ln_pre_bias_.data_as<float>(), ln_eps_, x, w, ctx.pool));
  }
  RETURN_IF_ERROR(stack_.Forward(x, images, tokens_, /*causal=*/false, nullptr, ctx));
  // ln_post on the class token of each image (a per-row op: normalizing all
  // tokens and then taking token 0, as open_clip does, gives the same row).
  ASSIGN_OR_RETURN(float* pooled, ctx.arena->AllocateArray<float>(static_cast<size_t>(images * w)));
  RETURN_IF_ERROR(kernels::LayerNorm(ops, images, w, x, tokens_ * w, ln_post_weight_.data_as<float>(),
                                     ln_post_bias_.data_as<float>(), ln_eps_, pooled, w, ctx.pool));
  return projection_.Run(images, pooled, w, out, ldo, ctx);
}

}  // namespace

StatusOr<std::unique_ptr<VisionTower>> CreateVitVisionTower(const WeightReader& weights,
                                                            const io::ModelConfig& config,
                                                            const TowerOptions& options) {
  return VitVisionTower::Create(weights, config, options);
}

}  // namespace cliprt::model
