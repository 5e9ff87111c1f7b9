// SigLIP vision tower (REFERENCE.md §2.6): transformers
// SiglipVisionTransformer and open_clip's timm SigLIP trunk (canonical
// SiglipModel names, io/canonical_weights.h):
//
//   tokens = PatchConv(pixels) + bias + pos_embed   (no class token, no pre-LN)
//   tokens = TransformerStack(tokens)               (bidirectional, eps from config)
//   tokens = post_layernorm(tokens)                 (every token)
//   embed  = MapHead(tokens)                        (model/map_head.h)
//
// No projection follows: embed_dim = width, exactly as get_image_features /
// encode_image(normalize=False) return. The activation of the blocks and of
// the head MLP is the tower's (HF gelu_pytorch_tanh, timm per arch).
#pragma once

#include <memory>

#include "core/status.h"
#include "io/model_config.h"
#include "model/tower.h"
#include "model/weight_reader.h"

namespace cliprt::model {

// Errors: a config that is not a SigLIP ViT with a MAP head, missing or
// misshapen weights (naming the tensor), unsupported precision.
StatusOr<std::unique_ptr<VisionTower>> CreateSiglipVisionTower(const WeightReader& weights,
                                                              const io::ModelConfig& config,
                                                              const TowerOptions& options);

}  // namespace cliprt::model
