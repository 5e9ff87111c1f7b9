// A loaded CLIP-family model: the towers the caller asked for, built from a
// Checkpoint (io/checkpoint.h) by family (ViT / ModifiedResNet / SigLIP
// vision; CLIP / SigLIP text), plus the logit scale and bias. Immutable
// after Create; Encode* may run from many threads at once (each with its
// own RunContext).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/status.h"
#include "io/checkpoint.h"
#include "kernels/gemm.h"
#include "model/tower.h"

namespace cliprt::model {

struct ModelOptions {
  io::Towers towers = io::Towers::kBoth;
  kernels::GemmPrecision precision = kernels::GemmPrecision::kF32;
};

kernels::GemmPrecision ToGemmPrecision(io::Precision precision);

class ClipModel {
 public:
  // Builds the towers of `options.towers` that the checkpoint holds (a tower
  // requested but absent is an error naming it). Checkpoint tensors of a
  // built tower that no part of it reads are an error (unsupported variant).
  static StatusOr<std::unique_ptr<ClipModel>> Create(const io::Checkpoint& checkpoint,
                                                     const ModelOptions& options);

  const io::ModelConfig& config() const { return config_; }
  const VisionTower* vision() const { return vision_.get(); }  // nullptr if not built
  const TextTower* text() const { return text_.get(); }        // nullptr if not built
  int64_t embed_dim() const { return embed_dim_; }
  kernels::GemmPrecision precision() const { return precision_; }
  // exp(stored logit_scale), in fp32 as torch computes it (no clamp).
  float logit_scale() const { return logit_scale_; }
  float stored_logit_scale() const { return stored_logit_scale_; }
  // SigLIP's logit_bias; nullopt for CLIP.
  std::optional<float> logit_bias() const { return logit_bias_; }
  // "vision: <VisionTower::Describe()>; text: <TextTower::Describe()>; embed_dim=512".
  std::string Describe() const;

  Status EncodeImages(const float* pixels, int64_t batch, float* out, int64_t ldo,
                      const RunContext& ctx) const;
  Status EncodeTexts(const int64_t* ids, int64_t batch, float* out, int64_t ldo,
                     const RunContext& ctx) const;

 private:
  ClipModel() = default;
  io::ModelConfig config_;
  std::unique_ptr<VisionTower> vision_;
  std::unique_ptr<TextTower> text_;
  int64_t embed_dim_ = 0;
  kernels::GemmPrecision precision_ = kernels::GemmPrecision::kF32;
  float logit_scale_ = 1.0f;
  float stored_logit_scale_ = 0.0f;
  std::optional<float> logit_bias_;
};

}  // namespace cliprt::model
