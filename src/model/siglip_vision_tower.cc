#include "model/siglip_vision_tower.h"

#include <string>

#include "kernels/conv2d.h"
#include "kernels/ops.h"
#include "kernels/ops_dispatch.h"
#include "model/map_head.h"
#include "model/transformer_stack.h"

namespace cliprt::model {
namespace {

constexpr const char* kPrefix = "vision_model.";

class SiglipVisionTower final : public VisionTower {
 public:
  int64_t image_size() const override { return image_size_; }
  int64_t embed_dim() const override { return width_; }
  Status Encode(const float* pixels, int64_t batch, float* out, int64_t ldo,
                const RunContext& ctx) const override;
  std::string Describe() const override { return describe_; }

  static StatusOr<std::unique_ptr<VisionTower>> Create(const WeightReader& weights,
                                                       const io::ModelConfig& config,
                                                       const TowerOptions& options);

 private:
  int64_t image_size_ = 0;
  int64_t patch_ = 0;
  int64_t grid_ = 0;    // patches per side
  int64_t tokens_ = 0;  // grid²
  int64_t width_ = 0;
  float ln_eps_ = 1e-6f;
  kernels::PackedConv2d patch_embed_;
  Tensor pos_embed_;  // fp32 [tokens, width]
  TransformerStack stack_;
  Tensor post_ln_weight_, post_ln_bias_;
  MapHead head_;
  std::string describe_;
};

StatusOr<std::unique_ptr<VisionTower>> SiglipVisionTower::Create(const WeightReader& weights,
                                                                 const io::ModelConfig& config,
                                                                 const TowerOptions& options) {
  const io::VisionConfig& vc = config.vision;
  if (vc.kind != "siglip-vit") {
    return InvalidArgumentError("SigLIP vision tower: config vision.kind is \"" + vc.kind +
                                "\", expected \"siglip-vit\"");
  }
  if (vc.pool != "map") {
    return UnsupportedError("SigLIP vision tower: pool \"" + vc.pool +
                            "\" is not supported (only the attention-pooling head, \"map\"; "
                            "vision_use_head=false gives no pooled image feature)");
  }
  if (vc.class_token || vc.ln_pre || !vc.patch_bias) {
    return UnsupportedError("SigLIP vision tower: expects no class token, no pre-LayerNorm and a patch bias "
                            "(config says class_token=" + std::to_string(vc.class_token) +
                            " ln_pre=" + std::to_string(vc.ln_pre) + " patch_bias=" + std::to_string(vc.patch_bias) + ")");
  }
  const int64_t d = vc.width;
  if (d < 1 || vc.patch_size < 1 || vc.image_size < vc.patch_size || vc.image_size > 16384 ||
      vc.heads < 1 || d % vc.heads != 0 || vc.layers < 0 || vc.mlp_hidden < 1) {
    return InvalidArgumentError("SigLIP vision tower: invalid shape (width " + std::to_string(d) + ", heads " +
                                std::to_string(vc.heads) + ", patch " + std::to_string(vc.patch_size) +
                                ", image " + std::to_string(vc.image_size) + ", mlp " +
                                std::to_string(vc.mlp_hidden) + ")");
  }
  auto tower = std::unique_ptr<SiglipVisionTower>(new SiglipVisionTower());
  tower->image_size_ = vc.image_size;
  tower->patch_ = vc.patch_size;
  ASSIGN_OR_RETURN(tower->grid_, kernels::Conv2dOutputSize(vc.image_size, vc.patch_size, vc.patch_size, 0));
  tower->tokens_ = tower->grid_ * tower->grid_;
  tower->width_ = d;
  tower->ln_eps_ = static_cast<float>(vc.ln_eps);
  const std::string p = kPrefix;

  ASSIGN_OR_RETURN(Tensor conv_w, weights.F32(p + "embeddings.patch_embedding.weight",
                                              {d, 3, vc.patch_size, vc.patch_size}));
  ASSIGN_OR_RETURN(Tensor conv_b, weights.F32(p + "embeddings.patch_embedding.bias", {d}));
  kernels::Conv2dParams conv;
  conv.in_channels = 3;
  conv.out_channels = d;
  conv.kernel_h = conv.kernel_w = vc.patch_size;
  conv.stride_h = conv.stride_w = vc.patch_size;
  ASSIGN_OR_RETURN(tower->patch_embed_, kernels::PackedConv2d::Create(conv, conv_w.data_as<float>(),
                                                                      conv_b.data_as<float>(), options.precision));
  ASSIGN_OR_RETURN(tower->pos_embed_, weights.F32(p + "embeddings.position_embedding.weight", {tower->tokens_, d}));

  TransformerStackConfig sc;
  sc.width = d;
  sc.heads = vc.heads;
  sc.layers = vc.layers;
  sc.mlp_hidden = vc.mlp_hidden;
  sc.act = vc.act;
  sc.ln_eps = tower->ln_eps_;
  sc.precision = options.precision;
  ASSIGN_OR_RETURN(tower->stack_, TransformerStack::Create(weights, p + "encoder.layers.", sc));
  ASSIGN_OR_RETURN(tower->post_ln_weight_, weights.F32(p + "post_layernorm.weight", {d}));
  ASSIGN_OR_RETURN(tower->post_ln_bias_, weights.F32(p + "post_layernorm.bias", {d}));

  MapHeadConfig hc;
  hc.width = d;
  hc.heads = vc.heads;
  hc.mlp_hidden = vc.mlp_hidden;
  hc.act = vc.act;
  hc.ln_eps = tower->ln_eps_;
  hc.precision = options.precision;
  ASSIGN_OR_RETURN(tower->head_, MapHead::Create(weights, p + "head.", hc));

  // A tensor of this tower that nothing above read means a variant we do
  // not implement (e.g. layer scale, qk-norm): refuse rather than ignore it.
  RETURN_IF_ERROR(weights.RefuseUnread({p}, "SigLIP vision tower"));
  tower->describe_ = "siglip-vit width=" + std::to_string(d) + " layers=" + std::to_string(vc.layers) +
                     " heads=" + std::to_string(vc.heads) + " patch=" + std::to_string(vc.patch_size) +
                     " image=" + std::to_string(vc.image_size) + " mlp=" + std::to_string(vc.mlp_hidden) +
                     " act=" + io::ActivationName(vc.act) + " ln_eps=" + DescribeNumber(vc.ln_eps) + " pool=map proj=none" +
                     " precision=" + kernels::GemmPrecisionName(options.precision);
  return std::unique_ptr<VisionTower>(std::move(tower));
}

Status SiglipVisionTower::Encode(const float* pixels, int64_t batch, float* out, int64_t ldo,
                                 const RunContext& ctx) const {
  if (batch < 0 || (batch > 0 && (!pixels || !out)) || ldo < width_) {
    return InvalidArgumentError("SigLIP vision Encode: needs pixels and out for batch " + std::to_string(batch) +
                                " and ldo >= " + std::to_string(width_) + " (got " + std::to_string(ldo) + ")");
  }
  if (!ctx.arena) return InvalidArgumentError("SigLIP vision Encode: RunContext has no arena");
  if (batch == 0) return Status::Ok();
  const int64_t d = width_;
  const int64_t n = tokens_;
  if (batch > (int64_t{1} << 40) / (n * d)) {
    return ResourceExhaustedError("SigLIP vision Encode: batch " + std::to_string(batch) + " is too large");
  }
  const kernels::Conv2dInput input =
      kernels::Conv2dInputNchw(pixels, batch, 3, image_size_, image_size_);
  ASSIGN_OR_RETURN(size_t conv_bytes, patch_embed_.ScratchBytes(batch, image_size_, image_size_,
                                                                ctx.num_threads()));
  ASSIGN_OR_RETURN(float* x, ctx.arena->AllocateArray<float>(static_cast<size_t>(batch * n * d)));
  ASSIGN_OR_RETURN(void* conv_scratch, ctx.arena->Allocate(conv_bytes, 64));
  // Token t of image b is row b·n + t: the conv writes exactly that layout.
  RETURN_IF_ERROR(patch_embed_.Run(input, x, d, nullptr, 0, false, ctx.pool, conv_scratch, conv_bytes));
  for (int64_t b = 0; b < batch; ++b) {
    float* xb = x + b * n * d;
    RETURN_IF_ERROR(kernels::Add(n * d, xb, pos_embed_.data_as<float>(), xb, ctx.pool));
  }
  RETURN_IF_ERROR(stack_.Forward(x, batch, n, /*causal=*/false, /*key_padding_mask=*/nullptr, ctx));
  RETURN_IF_ERROR(kernels::LayerNorm(kernels::ActiveOpsKernels(), batch * n, d, x, d,
                                     post_ln_weight_.data_as<float>(), post_ln_bias_.data_as<float>(), ln_eps_,
                                     x, d, ctx.pool));
  return head_.Forward(x, batch, n, out, ldo, ctx);
}

}  // namespace

StatusOr<std::unique_ptr<VisionTower>> CreateSiglipVisionTower(const WeightReader& weights,
                                                              const io::ModelConfig& config,
                                                              const TowerOptions& options) {
  return SiglipVisionTower::Create(weights, config, options);
}

}  // namespace cliprt::model
