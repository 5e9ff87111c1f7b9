// Floating-point operations of one forward pass (2 per multiply-add), from
// the resolved config: the numerator of "effective GFLOP/s" in benchmarks and
// `cliprt bench`. Counts the matrix products and attention (what dominates);
// LayerNorm, softmax and activations are left out.
#pragma once

#include <cstdint>

#include "io/model_config.h"

namespace cliprt::model {

// One image through the vision tower (ViT or ModifiedResNet; SigLIP's MAP
// head is counted as one attention query and its MLP).
double VisionFlops(const io::ModelConfig& config);
// One text of `text_tokens` positions through the text tower.
double TextFlops(const io::ModelConfig& config, int64_t text_tokens);

}  // namespace cliprt::model
