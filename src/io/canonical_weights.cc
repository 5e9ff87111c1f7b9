#include "io/canonical_weights.h"

#include <cstring>
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

  // The text tower of an OpenAI / open_clip CLIP (ViT or ModifiedResNet
  // vision) under CLIPTextModel names.
  Status OpenAiText() {
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
    return Status::Ok();
  }

  // Everything not yet mapped keeps its file name so nothing is silently
  // lost (layer scale, extra heads, a ModifiedResNet's visual.*); a
  // non-persistent attn_mask is dropped.
  Status PassThroughRest() {
    for (const auto& [name, t] : ck_.tensors) {
      if (used_.count(name) || name == "attn_mask" || name == "text.attn_mask") continue;
      RETURN_IF_ERROR(Put(name, t, name));
    }
    return Status::Ok();
  }

  Status OpenAiResNet() {
    out_.naming = "openai-resnet";
    RETURN_IF_ERROR(OpenAiText());
    RETURN_IF_ERROR(Direct("logit_scale", "logit_scale"));
    return PassThroughRest();
  }

  Status OpenAiClip() {
    out_.naming = "hf-clip";
    RETURN_IF_ERROR(OpenAiText());
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
    return PassThroughRest();
  }

  // Rows of `a` then rows of `b` in one owned tensor (attention-pool q;kv).
  Status ConcatRows(const std::string& a, const std::string& b, const std::string& to) {
    const Tensor& ta = ck_.tensors.at(a);
    const Tensor& tb = ck_.tensors.at(b);
    if (!ta.is_contiguous() || !tb.is_contiguous() || ta.dtype() != tb.dtype() || ta.rank() != tb.rank() ||
        ta.rank() < 1) {
      return UnsupportedError("cannot concatenate \"" + a + "\" and \"" + b + "\" (layout or dtype differ)");
    }
    Shape shape = ta.shape();
    for (int i = 1; i < ta.rank(); ++i) {
      if (ta.dim(i) != tb.dim(i)) return CorruptDataError("\"" + a + "\" and \"" + b + "\" differ in shape");
    }
    shape[0] = ta.dim(0) + tb.dim(0);
    ASSIGN_OR_RETURN(Tensor out, Tensor::Empty(ta.dtype(), shape));
    const size_t na = static_cast<size_t>(ta.numel()) * DTypeSize(ta.dtype());
    const size_t nb = static_cast<size_t>(tb.numel()) * DTypeSize(tb.dtype());
    std::memcpy(out.data(), ta.data(), na);
    std::memcpy(static_cast<uint8_t*>(out.data()) + na, tb.data(), nb);
    used_.insert(b);
    return Put(to, out, a);
  }

  // timm pos_embed [1, N, D] → [N, D] (a view).
  Status Squeezed(const std::string& from, const std::string& to) {
    const Tensor& t = ck_.tensors.at(from);
    if (t.rank() != 3 || t.dim(0) != 1) return CorruptDataError("\"" + from + "\" is not [1, N, D]");
    Shape shape{t.dim(1), t.dim(2)};
    Strides strides{t.strides()[1], t.strides()[2]};
    return Put(to, ViewOf(t, TensorView(t.data(), t.dtype(), shape, strides)), from);
  }

  // open_clip SigLIP: timm trunk + native text tower → SiglipModel names
  // (REFERENCE.md §1.10).
  Status OpenClipSiglip() {
    out_.naming = "hf-siglip";
    const std::string tv = "visual.trunk.";
    const std::string hv = "vision_model.";
    RETURN_IF_ERROR(Direct(tv + "patch_embed.proj.weight", hv + "embeddings.patch_embedding.weight"));
    RETURN_IF_ERROR(Direct(tv + "patch_embed.proj.bias", hv + "embeddings.patch_embedding.bias"));
    if (ck_.Find(tv + "pos_embed")) {
      RETURN_IF_ERROR(Squeezed(tv + "pos_embed", hv + "embeddings.position_embedding.weight"));
    }
    static constexpr Rule kTimmBlock[] = {
        {"norm1.weight", "layer_norm1.weight"}, {"norm1.bias", "layer_norm1.bias"},
        {"norm2.weight", "layer_norm2.weight"}, {"norm2.bias", "layer_norm2.bias"},
        {"attn.proj.weight", "self_attn.out_proj.weight"}, {"attn.proj.bias", "self_attn.out_proj.bias"},
        {"mlp.fc1.weight", "mlp.fc1.weight"},   {"mlp.fc1.bias", "mlp.fc1.bias"},
        {"mlp.fc2.weight", "mlp.fc2.weight"},   {"mlp.fc2.bias", "mlp.fc2.bias"},
    };
    const std::string blocks = tv + "blocks.";
    for (const auto& [name, t] : ck_.tensors) {
      if (name.rfind(blocks, 0) != 0) continue;
      const size_t dot = name.find('.', blocks.size());
      if (dot == std::string::npos) continue;
      const std::string layer = hv + "encoder.layers." + name.substr(blocks.size(), dot - blocks.size()) + ".";
      const std::string rest = name.substr(dot + 1);
      if (rest == "attn.qkv.weight") {
        RETURN_IF_ERROR(SplitThirds(name, layer, ".weight"));
      } else if (rest == "attn.qkv.bias") {
        RETURN_IF_ERROR(SplitThirds(name, layer, ".bias"));
      } else {
        for (const Rule& r : kTimmBlock) {
          if (rest == r.from) RETURN_IF_ERROR(Put(layer + r.to, t, name));
        }
      }
    }
    RETURN_IF_ERROR(Direct(tv + "norm.weight", hv + "post_layernorm.weight"));
    RETURN_IF_ERROR(Direct(tv + "norm.bias", hv + "post_layernorm.bias"));
    const std::string ap = tv + "attn_pool.";
    const std::string hh = hv + "head.";
    RETURN_IF_ERROR(Direct(ap + "latent", hh + "probe"));
    if (ck_.Find(ap + "q.weight") && ck_.Find(ap + "kv.weight")) {
      RETURN_IF_ERROR(ConcatRows(ap + "q.weight", ap + "kv.weight", hh + "attention.in_proj_weight"));
    }
    if (ck_.Find(ap + "q.bias") && ck_.Find(ap + "kv.bias")) {
      RETURN_IF_ERROR(ConcatRows(ap + "q.bias", ap + "kv.bias", hh + "attention.in_proj_bias"));
    }
    RETURN_IF_ERROR(Direct(ap + "proj.weight", hh + "attention.out_proj.weight"));
    RETURN_IF_ERROR(Direct(ap + "proj.bias", hh + "attention.out_proj.bias"));
    RETURN_IF_ERROR(Direct(ap + "norm.weight", hh + "layernorm.weight"));
    RETURN_IF_ERROR(Direct(ap + "norm.bias", hh + "layernorm.bias"));
    RETURN_IF_ERROR(Direct(ap + "mlp.fc1.weight", hh + "mlp.fc1.weight"));
    RETURN_IF_ERROR(Direct(ap + "mlp.fc1.bias", hh + "mlp.fc1.bias"));
    RETURN_IF_ERROR(Direct(ap + "mlp.fc2.weight", hh + "mlp.fc2.weight"));
    RETURN_IF_ERROR(Direct(ap + "mlp.fc2.bias", hh + "mlp.fc2.bias"));
    // Text tower: native open_clip blocks under `text.`, Linear head.
    RETURN_IF_ERROR(Direct("text.token_embedding.weight", "text_model.embeddings.token_embedding.weight"));
    RETURN_IF_ERROR(Direct("text.positional_embedding", "text_model.embeddings.position_embedding.weight"));
    RETURN_IF_ERROR(Blocks("text.transformer.resblocks.", "text_model.encoder.layers."));
    RETURN_IF_ERROR(Direct("text.ln_final.weight", "text_model.final_layer_norm.weight"));
    RETURN_IF_ERROR(Direct("text.ln_final.bias", "text_model.final_layer_norm.bias"));
    RETURN_IF_ERROR(Direct("text.text_projection.weight", "text_model.head.weight"));
    RETURN_IF_ERROR(Direct("text.text_projection.bias", "text_model.head.bias"));
    RETURN_IF_ERROR(Direct("logit_scale", "logit_scale"));
    RETURN_IF_ERROR(Direct("logit_bias", "logit_bias"));
    for (const auto& [name, t] : ck_.tensors) {
      if (used_.count(name) || name == "text.attn_mask") continue;
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
      RETURN_IF_ERROR(m.OpenAiResNet());
      break;
    case ArchFamily::kOpenAiVit:
    case ArchFamily::kOpenClip:
      if (ck.config.vision.kind == "resnet") {
        RETURN_IF_ERROR(m.OpenAiResNet());
      } else {
        RETURN_IF_ERROR(m.OpenAiClip());
      }
      break;
    case ArchFamily::kOpenClipSiglip:
      RETURN_IF_ERROR(m.OpenClipSiglip());
      break;
    case ArchFamily::kUnknown:
      return FailedPreconditionError("checkpoint has no resolved model config");
  }
  return m.Take();
}

}  // namespace cliprt::io
