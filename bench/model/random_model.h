// Full-size CLIP-family architectures with random weights, built in memory
// (no files), for the per-architecture benchmarks: the tensors a real
// checkpoint of that architecture holds, under its native names, and the
// config resolved exactly as for a real file (OpenAI names → shape
// inference; SigLIP → an HF config.json).
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "io/checkpoint.h"

namespace cliprt::bench {

// "ViT-B-32", "ViT-B-16", "ViT-L-14", "ViT-L-14-336", "RN50", "SigLIP-B-16-224".
std::vector<std::string> BenchArchitectures();

// Random normal weights (std 0.02; LayerNorm/BatchNorm scales 1, variances
// 1), seeded, fp32, in an io::Checkpoint ready for model::ClipModel::Create.
StatusOr<io::Checkpoint> RandomCheckpoint(const std::string& arch);

}  // namespace cliprt::bench
