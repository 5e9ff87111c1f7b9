// The CLIP text tower (OpenAI, open_clip native, transformers CLIPTextModel +
// text_projection; REFERENCE.md §2.4), over canonical HF names:
//
//   x      = token_embedding[ids] + position_embedding
//   x      = causal pre-LN transformer blocks
//   pooled = final_layer_norm(x[p])     p = the end-of-text position, per
//            TextConfig.pool: "argmax" (first largest id: OpenAI, open_clip,
//            HF with eos_token_id 2), "eos" (first position equal to eos_id,
//            0 when there is none: open_clip 'eos', HF otherwise), "last"
//   out    = pooled · text_projectionᵀ (+ bias for open_clip proj_bias;
//            no projection for proj_type "none")
//
// Exact shortcut (DESIGN.md): attention is causal and only position p is
// read, so positions after p never influence the result. Each text is run
// over its first p + 1 positions only; texts are sorted by that length and
// run in groups of similar lengths. Every row's arithmetic is independent of
// the other rows and of the sequence length, so the result is bit-identical
// to running all context_length positions (tested).
#pragma once

#include <memory>

#include "core/status.h"
#include "io/model_config.h"
#include "model/tower.h"
#include "model/weight_reader.h"

namespace cliprt::model {

StatusOr<std::unique_ptr<TextTower>> CreateClipTextTower(const WeightReader& weights,
                                                         const io::ModelConfig& config,
                                                         const TowerOptions& options);

// For tests and benchmarks: the same tower, but every text runs over all
// context_length positions (the reference computation, no shortcut).
StatusOr<std::unique_ptr<TextTower>> CreateClipTextTowerFullLength(const WeightReader& weights,
                                                                   const io::ModelConfig& config,
                                                                   const TowerOptions& options);

}  // namespace cliprt::model
