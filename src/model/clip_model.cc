#include "model/clip_model.h"

#include <cmath>

#include "model/clip_text_tower.h"
#include "model/modified_resnet_tower.h"
#include "model/siglip_text_tower.h"
#include "model/siglip_vision_tower.h"
#include "model/vit_vision_tower.h"

namespace cliprt::model {
namespace {

bool IsSiglip(io::ArchFamily f) {
  return f == io::ArchFamily::kHfSiglip || f == io::ArchFamily::kOpenClipSiglip;
}

// A scalar parameter (shape [] or [1]) as float.
StatusOr<float> Scalar(const WeightReader& weights, const std::string& name) {
  ASSIGN_OR_RETURN(Tensor t, weights.F32Any(name));
  if (t.numel() != 1) {
    std::string message = weights.SourceName(name);
    message.insert(0, 1, '"');
    message += "\" should hold one value, has shape " + t.shape().ToString();
    return CorruptDataError(message);
  }
  return t.data_as<float>()[0];
}

}  // namespace

kernels::GemmPrecision ToGemmPrecision(io::Precision precision) {
  switch (precision) {
    case io::Precision::kF32: return kernels::GemmPrecision::kF32;
    case io::Precision::kBF16: return kernels::GemmPrecision::kBF16;
    case io::Precision::kInt8: return kernels::GemmPrecision::kQS8;
  }
  return kernels::GemmPrecision::kF32;
}

StatusOr<std::unique_ptr<ClipModel>> ClipModel::Create(const io::Checkpoint& checkpoint,
                                                       const ModelOptions& options) {
  const io::ModelConfig& config = checkpoint.config;
  if (config.family == io::ArchFamily::kUnknown) {
    return FailedPreconditionError("the checkpoint's model config was not resolved (unknown family)");
  }
  ASSIGN_OR_RETURN(io::CanonicalWeights canonical, io::CanonicalizeWeights(checkpoint));
  WeightReader weights(canonical);
  const TowerOptions tower_options{options.precision};

  std::unique_ptr<ClipModel> model(new ClipModel());
  model->config_ = config;
  model->precision_ = options.precision;
  const bool want_vision = options.towers != io::Towers::kText;
  const bool want_text = options.towers != io::Towers::kVision;
  if (want_vision) {
    if (IsSiglip(config.family)) {
      ASSIGN_OR_RETURN(model->vision_, CreateSiglipVisionTower(weights, config, tower_options));
    } else if (config.vision.kind == "resnet") {
      ASSIGN_OR_RETURN(model->vision_, CreateModifiedResNetTower(weights, config, tower_options));
    } else if (config.vision.kind == "vit") {
      ASSIGN_OR_RETURN(model->vision_, CreateVitVisionTower(weights, config, tower_options));
    } else {
      return UnsupportedError("vision tower kind \"" + config.vision.kind + "\" is not supported");
    }
  }
  if (want_text) {
    if (IsSiglip(config.family)) {
      ASSIGN_OR_RETURN(model->text_, CreateSiglipTextTower(weights, config, tower_options));
    } else {
      ASSIGN_OR_RETURN(model->text_, CreateClipTextTower(weights, config, tower_options));
    }
  }
  if (model->vision_ && model->text_ && model->vision_->embed_dim() != model->text_->embed_dim()) {
    return CorruptDataError("the vision tower embeds into " + std::to_string(model->vision_->embed_dim()) +
                            " dimensions, the text tower into " + std::to_string(model->text_->embed_dim()));
  }
  model->embed_dim_ = model->vision_ ? model->vision_->embed_dim() : model->text_->embed_dim();

  if (weights.Has("logit_scale")) {
    ASSIGN_OR_RETURN(model->stored_logit_scale_, Scalar(weights, "logit_scale"));
    model->logit_scale_ = std::exp(model->stored_logit_scale_);
  } else {
    return CorruptDataError("the checkpoint has no logit_scale");
  }
  if (weights.Has("logit_bias")) {
    ASSIGN_OR_RETURN(float bias, Scalar(weights, "logit_bias"));
    model->logit_bias_ = bias;
  } else if (IsSiglip(config.family) || config.has_logit_bias) {
    return CorruptDataError("the config asks for a logit_bias but the checkpoint has none");
  }

  // Every tensor of a built tower must have been consumed: a weight nobody
  // reads means a variant we do not implement, never something to ignore.
  for (const std::string& name : weights.Unread("")) {
    const io::TensorTower tower = io::TowerOfTensor(weights.SourceName(name));
    if (tower == io::TensorTower::kVision && !model->vision_) continue;
    if (tower == io::TensorTower::kText && !model->text_) continue;
    return UnsupportedError("checkpoint tensor \"" + weights.SourceName(name) +
                            "\" is not used by any part of the " + io::ArchFamilyName(config.family) +
                            " model (an architecture variant cliprt does not implement)");
  }
  return model;
}

std::string ClipModel::Describe() const {
  std::string s;
  if (vision_) s += "vision: " + vision_->Describe();
  if (text_) s += std::string(s.empty() ? "" : "; ") + "text: " + text_->Describe();
  return s + "; embed_dim=" + std::to_string(embed_dim_);
}

Status ClipModel::EncodeImages(const float* pixels, int64_t batch, float* out, int64_t ldo,
                               const RunContext& ctx) const {
  if (!vision_) return FailedPreconditionError("the vision tower was not loaded (towers = text)");
  return vision_->Encode(pixels, batch, out, ldo, ctx);
}

Status ClipModel::EncodeTexts(const int64_t* ids, int64_t batch, float* out, int64_t ldo,
                              const RunContext& ctx) const {
  if (!text_) return FailedPreconditionError("the text tower was not loaded (towers = vision)");
  return text_->Encode(ids, batch, out, ldo, ctx);
}

}  // namespace cliprt::model
