// SigLIP text tower (REFERENCE.md §2.7): transformers SiglipTextTransformer
// and open_clip's native TextTransformer as SigLIP configs build it
// (canonical SiglipModel names, io/canonical_weights.h):
//
//   x = token_embedding[ids] + position_embedding     (context 64 in released models)
//   x = TransformerStack(x)                           (no causal mask, no padding mask)
//   pooled = final_layer_norm(x[:, -1])               (the last position, whatever it holds)
//   embed  = head(pooled)                             (Linear D→E with bias; none when
//                                                      open_clip says proj_type "none")
//
// LayerNorm is per token, so normalizing only the pooled row gives the same
// numbers as normalizing every token first. Every position is computed: the
// text is bidirectional, so padding influences the result (as in the
// references, which pass no attention mask).
#pragma once

#include <memory>

#include "core/status.h"
#include "io/model_config.h"
#include "model/tower.h"
#include "model/weight_reader.h"

namespace cliprt::model {

// Errors: pooling other than "last", a projection type other than a Linear
// or none, missing or misshapen weights (naming the tensor).
StatusOr<std::unique_ptr<TextTower>> CreateSiglipTextTower(const WeightReader& weights,
                                                          const io::ModelConfig& config,
                                                          const TowerOptions& options);

}  // namespace cliprt::model
