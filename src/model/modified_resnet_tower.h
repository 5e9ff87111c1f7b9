// OpenAI's ModifiedResNet image tower (RN50, RN101, RN50x4, RN50x16,
// RN50x64; REFERENCE.md §2.5): a three-conv stem, four stages of Bottleneck
// blocks with anti-aliased (avg-pool) striding, and an attention-pooling
// head (model/attention_pool2d.h). Encode returns the unnormalized features,
// as `encode_image` does.
//
// Weights are read under their OpenAI names (`visual.conv1.weight`,
// `visual.bn1.*`, `visual.layer<s>.<b>.conv<i>.weight`, `.bn<i>.*`,
// `.downsample.0.weight` / `.downsample.1.*`, `visual.attnpool.*`); every
// BatchNorm (eps 1e-5, running statistics) is folded into the convolution
// before it at load. The architecture comes from the resolved config
// (vision.width, vision.resnet_layers, vision.heads, vision.image_size,
// embed_dim); a wrong-shaped or missing tensor is an error naming it, and a
// `visual.*` tensor the tower does not read is an Unsupported error naming
// it (an architecture variant this code would silently ignore).
//
// Feature maps are NHWC; every convolution is one packed GEMM per block of
// output pixels with bias, residual and ReLU fused. Images are processed in
// chunks of a few at a time, so a call's scratch (from ctx.arena, allocated
// once per call) is bounded whatever the batch; each image's result is
// independent of the chunking, the batch and the thread count.
#pragma once

#include <memory>

#include "core/status.h"
#include "io/model_config.h"
#include "model/tower.h"
#include "model/weight_reader.h"

namespace cliprt::model {

StatusOr<std::unique_ptr<VisionTower>> CreateModifiedResNetTower(const WeightReader& weights,
                                                                 const io::ModelConfig& config,
                                                                 const TowerOptions& options);

}  // namespace cliprt::model
