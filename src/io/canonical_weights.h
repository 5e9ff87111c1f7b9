// One naming for the encoders: the tensors of any CLIP-family checkpoint
// presented under Hugging Face names (CLIPModel for ViT CLIP, SiglipModel for
// SigLIP). A ModifiedResNet vision tower, which HF does not implement, keeps
// its OpenAI names (`visual.*`); its text tower gets CLIPTextModel names.
//
// OpenAI / open_clip native names map to HF names as transformers'
// conversion script does (REFERENCE.md §1.9): fused in_proj weights are split
// into q/k/v thirds and the [W,E] projections are transposed to Linear
// [E,W] — both as zero-copy views (row slices and a stride permutation), so
// no weight is copied. `text.` prefixes of open_clip CustomTextCLIP are
// handled. open_clip SigLIP (timm trunk) maps to SiglipModel names (§1.10);
// only the attention-pool q;kv concatenation is a copy.
#pragma once

#include <map>
#include <string>

#include "io/checkpoint.h"

namespace cliprt::io {

struct CanonicalWeights {
  std::string naming;  // "hf-clip" | "hf-siglip" | "openai-resnet"
  std::map<std::string, Tensor, std::less<>> tensors;
  std::map<std::string, std::string> source_name;  // canonical → name in the file
};

StatusOr<CanonicalWeights> CanonicalizeWeights(const Checkpoint& ck);

}  // namespace cliprt::io
