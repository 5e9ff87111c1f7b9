// Writes ViT-B/32-sized checkpoints with random weights at bench time (no
// large files are committed): fp32 safetensors, and an fp16 TorchScript-style
// archive (zip of stored records, data.pkl of nested __torch__ module objects,
// constants.pkl and code/) laid out as torch.jit.save lays out OpenAI's .pt.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "tensor/shape.h"

namespace cliprt::bench {

struct NamedShape {
  std::string name;
  Shape shape;
};

// OpenAI CLIP ViT-B/32 state-dict names and shapes (REFERENCE.md §1.3/§1.4).
std::vector<NamedShape> VitB32Shapes();
// Total elements over all tensors.
int64_t TotalElements(const std::vector<NamedShape>& shapes);

Status WriteSafetensorsF32(const std::string& path, const std::vector<NamedShape>& shapes);
Status WriteTorchScriptF16(const std::string& path, const std::vector<NamedShape>& shapes);

}  // namespace cliprt::bench
