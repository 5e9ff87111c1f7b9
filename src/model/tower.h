// The two tower interfaces the model is assembled from. Implementations:
//   vision: ViT (vit_vision_tower.h: OpenAI / open_clip / HF CLIP),
//           ModifiedResNet (modified_resnet_tower.h), SigLIP (siglip_vision_tower.h)
//   text:   CLIP causal transformer (clip_text_tower.h), SigLIP (siglip_text_tower.h)
// A tower is built once from the canonical weights and the resolved config,
// packs its weights at construction, and is immutable afterwards: Encode may
// run concurrently from many threads, each with its own RunContext.
// Encode returns the unnormalized embeddings exactly as the reference
// encode_image / encode_text / get_*_features do (normalization is the
// caller's choice, model/logits.h).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "core/status.h"
#include "io/model_config.h"
#include "kernels/gemm.h"
#include "model/run_context.h"
#include "model/weight_reader.h"

namespace cliprt::model {

// A number as Describe() strings print it: shortest "%g" form, so an eps
// reads 1e-05 rather than std::to_string's 0.000010.
inline std::string DescribeNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

struct TowerOptions {
  kernels::GemmPrecision precision = kernels::GemmPrecision::kF32;
};

class VisionTower {
 public:
  virtual ~VisionTower() = default;
  virtual int64_t image_size() const = 0;  // input is [3, image_size, image_size]
  virtual int64_t embed_dim() const = 0;
  // pixels: [batch, 3, image_size, image_size] fp32, contiguous (as the
  // preprocessing writes it). out: [batch, ldo >= embed_dim].
  virtual Status Encode(const float* pixels, int64_t batch, float* out, int64_t ldo,
                        const RunContext& ctx) const = 0;
  // One line for provenance, e.g. "vit width=768 layers=12 heads=12 patch=32 image=224
  // act=quick_gelu pool=tok proj=768x512".
  virtual std::string Describe() const = 0;
};

class TextTower {
 public:
  virtual ~TextTower() = default;
  virtual int64_t context_length() const = 0;  // ids per text
  virtual int64_t vocab_size() const = 0;
  virtual int64_t embed_dim() const = 0;
  // ids: [batch, context_length] int64 (as the tokenizer writes them; an id
  // outside [0, vocab_size) is an InvalidArgument error naming text and
  // position). out: [batch, ldo >= embed_dim].
  virtual Status Encode(const int64_t* ids, int64_t batch, float* out, int64_t ldo,
                        const RunContext& ctx) const = 0;
  virtual std::string Describe() const = 0;
};

}  // namespace cliprt::model
