#include "io/canonical_weights.h"

#include <memory>
#include <set>
#include <vector>

namespace cliprt::io {
namespace {

// A view of `base` that keeps base's storage alive.
Tensor ViewOf(const Tensor& base, const TensorView& view) {
  auto keep = std::make_shared<Tensor>(base);
  return Tensor::Borrow(view.data(), view.dtype(), view.shape(), view.strides(), keep);
}

struct Rule {
  const char* from;  // suffix after the tower prefix
  const char* to;
};

// Sub-keys of one transformer block (OpenAI → HF).
constexpr Rule kBlockRules[] = {
    {"ln_1.weight", "layer_norm1.weight"},        {"ln_1.bias", "layer_norm1.bias"},
    {"ln_2.weight", "layer_norm2.weight"},        {"ln_2.bias", "layer_norm2.bias"},
    {"attn.out_proj.weight", "self_attn.out_proj.weight"},
    {"attn.out_proj.bias", "self_attn.out_proj.bias"},
    {"mlp.c_fc.weight", "mlp.fc1.weight"},        {"mlp.c_fc.bias", "mlp.fc1.bias"},
    {"mlp.c_proj.weight", "mlp.fc2.weight"},      {"mlp.c_proj.bias", "mlp.fc2.bias"},
};

class Mapper {
 public:
  explicit Mapper(const Checkpoint& ck) : ck_(ck) {}

  Status Put(const std::string& to, const Tensor& t, const std::string& from) {
    if (!out_.tensors.emplace(to, t).second) {
      return CorruptDataError("two checkpoint tensors map to \"" + to + "\" (second: \"" + from + "\")");
    }
    out_.source_name[to] = from;
    used_.insert(from);
    return Status::Ok();
  }

  // in_proj [3W, W] / [3W] → q, k, v thirds (row slices).
  Status SplitThirds(const std::string& from, const std::string& to_prefix, const char* suffix) {
    const Tensor& t = ck_.tensors.at(from);
    if (t.rank() < 1 || t.dim(0) % 3 != 0) {
      return CorruptDataError("tensor \"" + from + "\" of shape " + t.shape().ToString() +
                              " cannot be split into q, k, v thirds");
    }
    const int64_t third = t.dim(0) / 3;
    const char* names[3] = {"q_proj", "k_proj", "v_proj"};
    for (int i = 0; i < 3; ++i) {
      ASSIGN_OR_RETURN(TensorView v, t.view().Slice(0, i * third, (i + 1) * third));
      RETURN_IF_ERROR(Put(to_prefix + "self_attn." + names[i] + suffix, ViewOf(t, v), from));
    }
    return Status::Ok();
  }

  Status Transposed(const std::string& from, const std::string& to) {
    const Tensor& t = ck_.tensors.at(from);
    if (t.rank() != 2) return CorruptDataError("tensor \"" + from + "\" is not 2-D");
    ASSIGN_OR_RETURN(TensorView v, t.view().Permute({1, 0}));
    return Put(to, ViewOf(t, v), from);
  }

  // One tower's transformer blocks: `from` like "visual.transformer.resblocks."
  Status Blocks(const std::string& from, const std::string& to) {
    for (const auto& [name, t] : ck_.tensors) {
      if (name.rfind(from, 0) != 0) continue;
      const size_t dot = name.find('.', from.size());
      if (dot == std::string::npos) continue;
      const std::string index = name.substr(from.size(), dot - from.size());
      const std::string rest = name.substr(dot + 1);
      const std::string layer = to + index + ".";
      if (rest == "attn.in_proj_weight") {
        RETURN_IF_ERROR(SplitThirds(name, layer, ".weight"));
        continue;
      }
      if (rest == "attn.in_proj_bias") {
        RETURN_IF_ERROR(SplitThirds(name, layer, ".bias"));
        continue;
      }
      for (const Rule& r : kBlockRules) {
        if (rest == r.from) RETURN_IF_ERROR(Put(layer + r.to, t, name));
      }
    }
    return Status::Ok();
  }

  Status Direct(const std::string& from, const std::string& to) {
    auto it = ck_.tensors.find(from);
    if (it == ck_.tensors.end()) return Status::Ok();  // other tower not loaded, or absent
    return Put(to, it->second, from);
  }

  Status OpenAiClip() {
    out_.naming = "hf-clip";
    const std::string tp = ck_.Find("text.token_embedding.weight") || ck_.Find("text.ln_final.weight")
                               ? "text." : "";
    RETURN_IF_ERROR(Direct(tp + "token_embedding.weight", "text_model.embeddings.token_embedding.weight"));
    RETURN_IF_ERROR(Direct(tp + "positional_embedding", "text_model.embeddings.position_embedding.weight"));
    RETURN_IF_ERROR(Blocks(tp + "transformer.resblocks.", "text_model.encoder.layers."));
    RETURN_IF_ERROR(Direct(tp + "ln_final.weight", "text_model.final_layer_norm.weight"));
    RETURN_IF_ERROR(Direct(tp + "ln_final.bias", "text_model.final_layer_norm.bias"));
    if (ck_.Find(tp + "text_projection")) {
      RETURN_IF_ERROR(Transposed(tp + "text_projection", "text_projection.weight"));
    }
    RETURN_IF_ERROR(Direct(tp + "text_projection.weight", "text_projection.weight"));
    RETURN_IF_ERROR(Direct(tp + "text_projection.bias", "text_projection.bias"));
    RETURN_IF_ERROR(Direct("visual.conv1.weight", "vision_model.embeddings.patch_embedding.weight"));
    RETURN_IF_ERROR(Direct("visual.class_embedding", "vision_model.embeddings.class_embedding"));
    RETURN_IF_ERROR(Direct("visual.positional_embedding", "vision_model.embeddings.position_embedding.weight"));
    RETURN_IF_ERROR(Direct("visual.ln_pre.weight", "vision_model.pre_layrnorm.weight"));
    RETURN_IF_ERROR(Direct("visual.ln_pre.bias", "vision_model.pre_layrnorm.bias"));
    RETURN_IF_ERROR(Blocks("visual.transformer.resblocks.", "vision_model.encoder.layers."));
    RETURN_IF_ERROR(Direct("visual.ln_post.weight", "vision_model.post_layernorm.weight"));
    RETURN_IF_ERROR(Direct("visual.ln_post.bias", "vision_model.post_layernorm.bias"));
    if (ck_.Find("visual.proj")) RETURN_IF_ERROR(Transposed("visual.proj", "visual_projection.weight"));
    RETURN_IF_ERROR(Direct("logit_scale", "logit_scale"));
    RETURN_IF_ERROR(Direct("logit_bias", "logit_bias"));
    // Anything left (layer scale, extra heads) keeps its file name so
    // nothing is silently lost; a non-persistent attn_mask is dropped.
    for (const auto& [name, t] : ck_.tensors) {
      if (used_.count(name) || name == "attn_mask" || name == tp + "attn_mask") continue;
      RETURN_IF_ERROR(Put(name, t, name));
    }
    return Status::Ok();
  }

  Status Identity(const char* naming) {
    out_.naming = naming;
    for (const auto& [name, t] : ck_.tensors) {
      if (name.size() >= 13 && name.compare(name.size() - 13, 13, ".position_ids") == 0) continue;
      RETURN_IF_ERROR(Put(name, t, name));
    }
    return Status::Ok();
  }

  CanonicalWeights Take() { return std::move(out_); }

 private:
  const Checkpoint& ck_;
  CanonicalWeights out_;
  std::set<std::string> used_;
};

}  // namespace

StatusOr<CanonicalWeights> CanonicalizeWeights(const Checkpoint& ck) {
  Mapper m(ck);
  switch (ck.config.family) {
    case ArchFamily::kHfClip:
      RETURN_IF_ERROR(m.Identity("hf-clip"));
      break;
    case ArchFamily::kHfSiglip:
      RETURN_IF_ERROR(m.Identity("hf-siglip"));
      break;
    case ArchFamily::kOpenAiResNet:
      RETURN_IF_ERROR(m.Identity("openai-resnet"));
      break;
    case ArchFamily::kOpenAiVit:
    case ArchFamily::kOpenClip:
      if (ck.config.vision.kind == "resnet") {
        RETURN_IF_ERROR(m.Identity("openai-resnet"));
      } else {
        RETURN_IF_ERROR(m.OpenAiClip());
      }
      break;
    case ArchFamily::kOpenClipSiglip:
      return UnsupportedError("canonical names for open_clip timm (SigLIP) vision towers are not "
                              "implemented yet");
    case ArchFamily::kUnknown:
      return FailedPreconditionError("checkpoint has no resolved model config");
  }
  return m.Take();
}

}  // namespace cliprt::io
