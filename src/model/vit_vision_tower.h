// The ViT image tower of CLIP as OpenAI, open_clip (native `VisionTransformer`)
// and transformers (`CLIPVisionModel` + `visual_projection`) define it
// (REFERENCE.md §2.3), over canonical HF names:
//
//   patches = conv(pixels, k = s = patch, no bias)   → [grid², W], token = row·grid + col
//   x       = [class_embedding; patches] + position_embedding
//   x       = ln_pre(x)                               (skipped for open_clip no_ln_pre)
//   x       = transformer blocks (no mask)
//   out     = ln_post(x[0]) · visual_projectionᵀ      (unnormalized, as encode_image)
//
// Patch size, grid, widths, heads, MLP size, activation and LayerNorm eps
// all come from io::VisionConfig, so any checkpoint of this architecture
// (B/32 … g/14, 224–448 px) is one instance. A checkpoint carrying vision
// tensors this tower does not read (layer scale, attentional pooler, ...)
// is refused with an UnsupportedError naming the tensor.
#pragma once

#include <memory>

#include "core/status.h"
#include "io/model_config.h"
#include "model/tower.h"
#include "model/weight_reader.h"

namespace cliprt::model {

StatusOr<std::unique_ptr<VisionTower>> CreateVitVisionTower(const WeightReader& weights,
                                                            const io::ModelConfig& config,
                                                            const TowerOptions& options);

}  // namespace cliprt::model
