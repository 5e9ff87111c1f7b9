#include "io/model_config.h"

#include <cmath>
#include <set>

namespace cliprt::io {

const char* ArchFamilyName(ArchFamily f) {
  switch (f) {
    case ArchFamily::kUnknown: return "unknown";
    case ArchFamily::kOpenAiVit: return "openai-vit";
    case ArchFamily::kOpenAiResNet: return "openai-resnet";
    case ArchFamily::kOpenClip: return "open_clip";
    case ArchFamily::kHfClip: return "hf-clip";
    case ArchFamily::kHfSiglip: return "hf-siglip";
    case ArchFamily::kOpenClipSiglip: return "open_clip-siglip";
  }
  return "unknown";
}

const char* ActivationName(Activation a) {
  switch (a) {
    case Activation::kQuickGelu: return "quick_gelu";
    case Activation::kGeluErf: return "gelu";
    case Activation::kGeluTanh: return "gelu_pytorch_tanh";
  }
  return "?";
}

StatusOr<Activation> ParseActivation(std::string_view name) {
  if (name == "quick_gelu") return Activation::kQuickGelu;
  if (name == "gelu") return Activation::kGeluErf;
  if (name == "gelu_pytorch_tanh" || name == "gelu_new" || name == "gelu_fast") {
    // transformers' gelu_new/gelu_fast are the same tanh formula.
    return Activation::kGeluTanh;
  }
  return UnsupportedError("unsupported activation \"" + std::string(name) + "\"");
}

const char* DecisionSourceName(DecisionSource s) {
  switch (s) {
    case DecisionSource::kConfig: return "config";
    case DecisionSource::kManifest: return "manifest";
    case DecisionSource::kDefault: return "default";
    case DecisionSource::kOverride: return "override";
    case DecisionSource::kInferred: return "inferred";
  }
  return "?";
}

void ModelConfig::Decide(std::string field, std::string value, DecisionSource source,
                         std::string reason) {
  decisions.push_back({std::move(field), std::move(value), source, std::move(reason)});
}

const Decision* ModelConfig::FindDecision(std::string_view field) const {
  for (auto it = decisions.rbegin(); it != decisions.rend(); ++it) {
    if (it->field == field) return &*it;
  }
  return nullptr;
}

ShapeMap ShapesOf(const std::vector<TensorInfo>& all) {
  ShapeMap m;
  for (const TensorInfo& t : all) m[t.name] = t.shape;
  return m;
}

namespace {

constexpr std::array<double, 3> kOpenAiMean = {0.48145466, 0.4578275, 0.40821073};
constexpr std::array<double, 3> kOpenAiStd = {0.26862954, 0.26130258, 0.27577711};
constexpr std::array<double, 3> kHalf = {0.5, 0.5, 0.5};

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", v);
  return buf;
}

// Reads config values and records where each came from.
class FieldReader {
 public:
  FieldReader(ModelConfig& cfg, const JsonValue* obj, std::string prefix, std::string source,
              std::string default_reason)
      : cfg_(cfg), obj_(obj), prefix_(std::move(prefix)), source_(std::move(source)),
        default_reason_(std::move(default_reason)) {}

  Status Int(const char* key, int64_t def, int64_t* out, const char* field = nullptr) {
    const std::string name = prefix_ + (field ? field : key);
    const JsonValue* v = obj_ ? obj_->Find(key) : nullptr;
    if (v == nullptr || v->is_null()) {
      *out = def;
      cfg_.Decide(name, std::to_string(def), DecisionSource::kDefault, default_reason_);
      return Status::Ok();
    }
    if (!v->is_int()) return CorruptDataError(source_ + ": " + prefix_ + key + " is not an integer");
    *out = v->int_value();
    cfg_.Decide(name, std::to_string(*out), DecisionSource::kConfig, source_ + " " + prefix_ + key);
    return Status::Ok();
  }

  Status Double(const char* key, double def, double* out, const char* field = nullptr) {
    const std::string name = prefix_ + (field ? field : key);
    const JsonValue* v = obj_ ? obj_->Find(key) : nullptr;
    if (v == nullptr || v->is_null()) {
      *out = def;
      cfg_.Decide(name, Num(def), DecisionSource::kDefault, default_reason_);
      return Status::Ok();
    }
    if (!v->is_number()) return CorruptDataError(source_ + ": " + prefix_ + key + " is not a number");
    *out = v->number();
    cfg_.Decide(name, Num(*out), DecisionSource::kConfig, source_ + " " + prefix_ + key);
    return Status::Ok();
  }

  Status String(const char* key, const std::string& def, std::string* out,
                const char* field = nullptr) {
    const std::string name = prefix_ + (field ? field : key);
    const JsonValue* v = obj_ ? obj_->Find(key) : nullptr;
    if (v == nullptr || v->is_null()) {
      *out = def;
      cfg_.Decide(name, def, DecisionSource::kDefault, default_reason_);
      return Status::Ok();
    }
    if (!v->is_string()) return CorruptDataError(source_ + ": " + prefix_ + key + " is not a string");
    *out = v->string();
    cfg_.Decide(name, *out, DecisionSource::kConfig, source_ + " " + prefix_ + key);
    return Status::Ok();
  }

  Status Bool(const char* key, bool def, bool* out, const char* field = nullptr) {
    const std::string name = prefix_ + (field ? field : key);
    const JsonValue* v = obj_ ? obj_->Find(key) : nullptr;
    if (v == nullptr || v->is_null()) {
      *out = def;
      cfg_.Decide(name, def ? "true" : "false", DecisionSource::kDefault, default_reason_);
      return Status::Ok();
    }
    if (!v->is_bool()) return CorruptDataError(source_ + ": " + prefix_ + key + " is not a bool");
    *out = v->bool_value();
    cfg_.Decide(name, *out ? "true" : "false", DecisionSource::kConfig, source_ + " " + prefix_ + key);
    return Status::Ok();
  }

 private:
  ModelConfig& cfg_;
  const JsonValue* obj_;
  std::string prefix_;
  std::string source_;
  std::string default_reason_;
};

Status CheckPositive(const std::string& source, const char* what, int64_t v, int64_t max) {
  if (v <= 0 || v > max) {
    return CorruptDataError(source + ": " + what + " = " + std::to_string(v) +
                            " is outside (0, " + std::to_string(max) + "]");
  }
  return Status::Ok();
}

Status ValidateDims(const ModelConfig& c, const std::string& source) {
  constexpr int64_t kMax = int64_t{1} << 24;
  RETURN_IF_ERROR(CheckPositive(source, "text.width", c.text.width, kMax));
  RETURN_IF_ERROR(CheckPositive(source, "text.heads", c.text.heads, kMax));
  RETURN_IF_ERROR(CheckPositive(source, "text.layers", c.text.layers, 4096));
  RETURN_IF_ERROR(CheckPositive(source, "text.context_length", c.text.context_length, kMax));
  RETURN_IF_ERROR(CheckPositive(source, "text.vocab_size", c.text.vocab_size, int64_t{1} << 30));
  RETURN_IF_ERROR(CheckPositive(source, "vision.width", c.vision.width, kMax));
  RETURN_IF_ERROR(CheckPositive(source, "vision.heads", c.vision.heads, kMax));
  RETURN_IF_ERROR(CheckPositive(source, "vision.image_size", c.vision.image_size, 1 << 16));
  if (c.text.width % c.text.heads != 0) {
    return CorruptDataError(source + ": text width " + std::to_string(c.text.width) +
                            " is not divisible by " + std::to_string(c.text.heads) + " heads");
  }
  if (c.vision.kind != "resnet") {
    RETURN_IF_ERROR(CheckPositive(source, "vision.layers", c.vision.layers, 4096));
    RETURN_IF_ERROR(CheckPositive(source, "vision.patch_size", c.vision.patch_size, 1 << 16));
    if (c.vision.width % c.vision.heads != 0) {
      return CorruptDataError(source + ": vision width " + std::to_string(c.vision.width) +
                              " is not divisible by " + std::to_string(c.vision.heads) + " heads");
    }
  }
  return Status::Ok();
}

// ---- shape access for inference -------------------------------------------

class Shapes {
 public:
  Shapes(const ShapeMap& m, const std::string& source) : m_(m), source_(source) {}
  bool Has(std::string_view name) const { return m_.find(name) != m_.end(); }
  StatusOr<Shape> Get(const std::string& name, int rank) const {
    auto it = m_.find(name);
    if (it == m_.end()) {
      return NotFoundError(source_ + ": tensor \"" + name + "\" needed to infer the architecture is missing");
    }
    if (rank >= 0 && it->second.rank() != rank) {
      return CorruptDataError(source_ + ": tensor \"" + name + "\" has shape " +
                              it->second.ToString() + ", expected rank " + std::to_string(rank));
    }
    return it->second;
  }
  // Distinct values of dotted component `index` among keys with `prefix`.
  int64_t CountDistinct(const std::string& prefix, int index) const {
    std::set<std::string> seen;
    for (auto it = m_.lower_bound(prefix); it != m_.end() && it->first.rfind(prefix, 0) == 0; ++it) {
      size_t start = 0;
      for (int i = 0; i < index && start != std::string::npos; ++i) {
        start = it->first.find('.', start);
        if (start != std::string::npos) ++start;
      }
      if (start == std::string::npos) continue;
      seen.insert(it->first.substr(start, it->first.find('.', start) - start));
    }
    return static_cast<int64_t>(seen.size());
  }
  int64_t CountMatching(const std::string& prefix, const std::string& suffix) const {
    int64_t n = 0;
    for (auto it = m_.lower_bound(prefix); it != m_.end() && it->first.rfind(prefix, 0) == 0; ++it) {
      const std::string& k = it->first;
      if (k.size() >= suffix.size() && k.compare(k.size() - suffix.size(), suffix.size(), suffix) == 0) ++n;
    }
    return n;
  }

 private:
  const ShapeMap& m_;
  const std::string& source_;
};

StatusOr<int64_t> SquareGridSide(int64_t tokens_plus_one, const std::string& what) {
  const int64_t g = std::llround(std::sqrt(static_cast<double>(tokens_plus_one - 1)));
  if (tokens_plus_one < 2 || g * g + 1 != tokens_plus_one) {
    return CorruptDataError(what + " has " + std::to_string(tokens_plus_one) +
                            " positions, not a square grid + 1");
  }
  return g;
}

void OpenAiPreprocess(ModelConfig& c, DecisionSource src, const std::string& reason) {
  c.preprocess.image_size = c.vision.image_size;
  c.preprocess.mean = kOpenAiMean;
  c.preprocess.std = kOpenAiStd;
  c.preprocess.interpolation = "bicubic";
  c.preprocess.resize_mode = "shortest";
  c.preprocess.crop_rounding = "torchvision";
  c.Decide("preprocess", "openai (bicubic shortest-side resize, center crop, OpenAI mean/std)", src,
           reason);
}

}  // namespace

StatusOr<ModelConfig> ConfigFromOpenAiShapes(const ShapeMap& map, const std::string& source) {
  Shapes s(map, source);
  ModelConfig c;
  const std::string why = "inferred from tensor shapes as clip.model.build_model does";
  // Text tower.
  ASSIGN_OR_RETURN(Shape proj, s.Get("text_projection", 2));
  ASSIGN_OR_RETURN(Shape pos, s.Get("positional_embedding", 2));
  ASSIGN_OR_RETURN(Shape tok, s.Get("token_embedding.weight", 2));
  ASSIGN_OR_RETURN(Shape lnf, s.Get("ln_final.weight", 1));
  c.embed_dim = proj[1];
  c.text.context_length = pos[0];
  c.text.vocab_size = tok[0];
  c.text.width = lnf[0];
  c.text.heads = c.text.width / 64;
  c.text.layers = s.CountDistinct("transformer.resblocks.", 2);
  ASSIGN_OR_RETURN(Shape fc, s.Get("transformer.resblocks.0.mlp.c_fc.weight", 2));
  c.text.mlp_hidden = fc[0];
  c.text.pool = "argmax";
  c.text.pad_id = 0;
  c.text.bos_id = 49406;
  c.text.eos_id = 49407;
  c.text.proj_type = "param";
  c.text.tokenizer = "clip-bpe";
  c.text.ln_eps = 1e-5;
  c.Decide("embed_dim", std::to_string(c.embed_dim), DecisionSource::kInferred, "text_projection.shape[1]");
  c.Decide("text.width", std::to_string(c.text.width), DecisionSource::kInferred, "ln_final.weight.shape[0]");
  c.Decide("text.heads", std::to_string(c.text.heads), DecisionSource::kInferred, "width // 64 (" + why + ")");
  c.Decide("text.layers", std::to_string(c.text.layers), DecisionSource::kInferred, "distinct transformer.resblocks.<i>");
  c.Decide("text.context_length", std::to_string(c.text.context_length), DecisionSource::kInferred, "positional_embedding.shape[0]");
  c.Decide("text.vocab_size", std::to_string(c.text.vocab_size), DecisionSource::kInferred, "token_embedding.weight.shape[0]");
  c.Decide("text.pool", "argmax", DecisionSource::kDefault, "OpenAI CLIP pools at the argmax token id (EOT)");

  if (s.Has("visual.proj")) {
    c.family = ArchFamily::kOpenAiVit;
    c.vision.kind = "vit";
    ASSIGN_OR_RETURN(Shape conv, s.Get("visual.conv1.weight", 4));
    ASSIGN_OR_RETURN(Shape vpos, s.Get("visual.positional_embedding", 2));
    c.vision.width = conv[0];
    c.vision.patch_size = conv[3];
    c.vision.layers = s.CountMatching("visual.", ".attn.in_proj_weight");
    ASSIGN_OR_RETURN(int64_t grid, SquareGridSide(vpos[0], source + ": visual.positional_embedding"));
    c.vision.image_size = c.vision.patch_size * grid;
    c.vision.heads = c.vision.width / 64;
    ASSIGN_OR_RETURN(Shape vfc, s.Get("visual.transformer.resblocks.0.mlp.c_fc.weight", 2));
    c.vision.mlp_hidden = vfc[0];
    c.vision.pool = "tok";
    c.Decide("vision.kind", "vit", DecisionSource::kInferred, "key visual.proj present");
  } else if (s.Has("visual.attnpool.positional_embedding")) {
    c.family = ArchFamily::kOpenAiResNet;
    c.vision.kind = "resnet";
    for (int b = 0; b < 4; ++b) {
      c.vision.resnet_layers[b] = s.CountDistinct("visual.layer" + std::to_string(b + 1) + ".", 2);
    }
    ASSIGN_OR_RETURN(Shape l1, s.Get("visual.layer1.0.conv1.weight", 4));
    ASSIGN_OR_RETURN(Shape apos, s.Get("visual.attnpool.positional_embedding", 2));
    c.vision.width = l1[0];
    ASSIGN_OR_RETURN(int64_t side, SquareGridSide(apos[0], source + ": visual.attnpool.positional_embedding"));
    c.vision.image_size = side * 32;
    c.vision.heads = c.vision.width * 32 / 64;
    c.vision.pool = "attnpool";
    c.Decide("vision.kind", "resnet", DecisionSource::kInferred, "no visual.proj; visual.attnpool present");
  } else {
    return UnsupportedError(source + ": cannot infer the vision tower (neither visual.proj nor "
                            "visual.attnpool.* present) and no config was found");
  }
  c.vision.ln_eps = 1e-5;
  c.Decide("vision.width", std::to_string(c.vision.width), DecisionSource::kInferred, why);
  c.Decide("vision.image_size", std::to_string(c.vision.image_size), DecisionSource::kInferred, why);
  c.Decide("vision.heads", std::to_string(c.vision.heads), DecisionSource::kInferred, why);
  c.vision.act = c.text.act = Activation::kQuickGelu;
  c.Decide("vision.act", "quick_gelu", DecisionSource::kDefault,
           "no config: clip.load semantics (OpenAI CLIP hard-codes QuickGELU)");
  c.Decide("text.act", "quick_gelu", DecisionSource::kDefault,
           "no config: clip.load semantics (OpenAI CLIP hard-codes QuickGELU)");
  OpenAiPreprocess(c, DecisionSource::kDefault, "no config: clip.load _transform(input_resolution)");
  RETURN_IF_ERROR(ValidateDims(c, source));
  return c;
}

StatusOr<ModelConfig> ConfigFromHfJson(const JsonValue& root, const std::string& source) {
  if (!root.is_object()) return CorruptDataError(source + ": config.json is not an object");
  ModelConfig c;
  const JsonValue* mt = root.Find("model_type");
  if (mt == nullptr || !mt->is_string()) {
    return UnsupportedError(source + ": config.json has no model_type");
  }
  const bool siglip = mt->string() == "siglip";
  if (!siglip && mt->string() != "clip") {
    if (mt->string() == "siglip2") {
      // transformers' Siglip2Model is the NaFlex variant (patch embedding as
      // a Linear over flattened patches, position embeddings resized per
      // image, padded patch masks); the fixed-resolution SigLIP2
      // checkpoints are model_type "siglip" and load.
      return UnsupportedError(source + ": model_type \"siglip2\" (SigLIP2 NaFlex, variable resolution) is not "
                              "supported; the fixed-resolution SigLIP2 checkpoints (model_type \"siglip\") are");
    }
    return UnsupportedError(source + ": model_type \"" + mt->string() +
                            "\" is not supported (expected clip or siglip)");
  }
  c.family = siglip ? ArchFamily::kHfSiglip : ArchFamily::kHfClip;
  c.Decide("family", ArchFamilyName(c.family), DecisionSource::kConfig, source + " model_type");
  // Legacy *_config_dict keys take precedence, as in transformers.
  auto sub = [&](const char* key, const char* legacy) -> StatusOr<const JsonValue*> {
    const JsonValue* v = root.Find(legacy);
    if (v == nullptr || v->is_null()) v = root.Find(key);
    if (v != nullptr && !v->is_null() && !v->is_object()) {
      return CorruptDataError(source + ": " + key + " is not an object");
    }
    return (v == nullptr || v->is_null()) ? nullptr : v;
  };
  ASSIGN_OR_RETURN(const JsonValue* text, sub("text_config", "text_config_dict"));
  ASSIGN_OR_RETURN(const JsonValue* vision, sub("vision_config", "vision_config_dict"));
  const std::string cls = siglip ? "transformers SiglipConfig default" : "transformers CLIPConfig default";
  FieldReader t(c, text, "text.", source, cls + " (absent from config.json)");
  FieldReader v(c, vision, "vision.", source, cls + " (absent from config.json)");
  FieldReader top(c, &root, "", source, cls + " (absent from config.json)");
  std::string t_act, v_act;
  RETURN_IF_ERROR(t.Int("vocab_size", siglip ? 32000 : 49408, &c.text.vocab_size));
  RETURN_IF_ERROR(t.Int("hidden_size", siglip ? 768 : 512, &c.text.width, "width"));
  RETURN_IF_ERROR(t.Int("intermediate_size", siglip ? 3072 : 2048, &c.text.mlp_hidden, "mlp_hidden"));
  RETURN_IF_ERROR(t.Int("num_hidden_layers", 12, &c.text.layers, "layers"));
  RETURN_IF_ERROR(t.Int("num_attention_heads", siglip ? 12 : 8, &c.text.heads, "heads"));
  RETURN_IF_ERROR(t.Int("max_position_embeddings", siglip ? 64 : 77, &c.text.context_length, "context_length"));
  RETURN_IF_ERROR(t.String("hidden_act", siglip ? "gelu_pytorch_tanh" : "quick_gelu", &t_act, "act"));
  RETURN_IF_ERROR(t.Double("layer_norm_eps", siglip ? 1e-6 : 1e-5, &c.text.ln_eps, "ln_eps"));
  RETURN_IF_ERROR(t.Int("pad_token_id", 1, &c.text.pad_id, "pad_id"));
  RETURN_IF_ERROR(t.Int("bos_token_id", 49406, &c.text.bos_id, "bos_id"));
  RETURN_IF_ERROR(t.Int("eos_token_id", 49407, &c.text.eos_id, "eos_id"));
  RETURN_IF_ERROR(v.Int("hidden_size", 768, &c.vision.width, "width"));
  RETURN_IF_ERROR(v.Int("intermediate_size", 3072, &c.vision.mlp_hidden, "mlp_hidden"));
  RETURN_IF_ERROR(v.Int("num_hidden_layers", 12, &c.vision.layers, "layers"));
  RETURN_IF_ERROR(v.Int("num_attention_heads", 12, &c.vision.heads, "heads"));
  RETURN_IF_ERROR(v.Int("image_size", 224, &c.vision.image_size));
  RETURN_IF_ERROR(v.Int("patch_size", siglip ? 16 : 32, &c.vision.patch_size));
  RETURN_IF_ERROR(v.String("hidden_act", siglip ? "gelu_pytorch_tanh" : "quick_gelu", &v_act, "act"));
  RETURN_IF_ERROR(v.Double("layer_norm_eps", siglip ? 1e-6 : 1e-5, &c.vision.ln_eps, "ln_eps"));
  auto act = ParseActivation(t_act);
  if (!act.ok()) return act.status().WithContext(source + " text_config.hidden_act");
  c.text.act = *act;
  act = ParseActivation(v_act);
  if (!act.ok()) return act.status().WithContext(source + " vision_config.hidden_act");
  c.vision.act = *act;
  if (siglip) {
    RETURN_IF_ERROR(t.Int("projection_size", c.text.width, &c.embed_dim, "projection_size"));
    bool use_head = true;
    RETURN_IF_ERROR(v.Bool("vision_use_head", true, &use_head));
    c.vision.kind = "siglip-vit";
    c.vision.class_token = false;
    c.vision.ln_pre = false;
    c.vision.patch_bias = true;
    c.vision.pool = use_head ? "map" : "none";
    c.text.causal_mask = false;
    c.text.pool = "last";
    c.text.proj_type = "linear";
    c.text.proj_bias = true;
    c.text.tokenizer = "sentencepiece";
    c.has_logit_bias = true;
    c.Decide("text.pool", "last", DecisionSource::kDefault, "SigLIP pools the last position");
    c.preprocess.image_size = c.vision.image_size;
    c.preprocess.mean = kHalf;
    c.preprocess.std = kHalf;
    c.preprocess.interpolation = "bicubic";
    c.preprocess.resize_mode = "squash";
    c.preprocess.crop_rounding = "none";
    c.Decide("preprocess", "siglip (bicubic squash resize, mean=std=0.5)", DecisionSource::kDefault,
             "SiglipImageProcessor defaults");
  } else {
    RETURN_IF_ERROR(top.Int("projection_dim", 512, &c.embed_dim, "embed_dim"));
    c.vision.kind = "vit";
    c.vision.pool = "tok";
    c.text.proj_type = "linear";
    // transformers: eos_token_id == 2 (pre-2023 hub configs) → argmax pooling.
    c.text.pool = c.text.eos_id == 2 ? "argmax" : "eos";
    c.Decide("text.pool", c.text.pool, DecisionSource::kConfig,
             c.text.eos_id == 2 ? "eos_token_id == 2: legacy argmax pooling (transformers CLIPTextTransformer)"
                                : "eos_token_id != 2: first eos_token_id position (transformers)");
    c.text.tokenizer = "clip-bpe";
    c.preprocess.image_size = c.vision.image_size;
    c.preprocess.mean = kOpenAiMean;
    c.preprocess.std = kOpenAiStd;
    c.preprocess.interpolation = "bicubic";
    c.preprocess.resize_mode = "shortest";
    c.preprocess.crop_rounding = "hf";
    c.Decide("preprocess", "hf-clip (bicubic shortest-side resize, floor center crop, OpenAI mean/std)",
             DecisionSource::kDefault, "CLIPImageProcessor defaults");
  }
  RETURN_IF_ERROR(ValidateDims(c, source));
  return c;
}

namespace {

// timm SigLIP trunks: head count and activation are fixed by the arch name
// (REFERENCE.md §2.2); shapes give the rest.
struct TimmArch {
  const char* prefix;
  int64_t heads;
  Activation act;
};
constexpr TimmArch kTimmArchs[] = {
    {"vit_base_patch32_siglip_256", 12, Activation::kGeluTanh},
    {"vit_large_patch16_siglip_512", 16, Activation::kGeluTanh},
    {"vit_so400m_patch16_siglip", 16, Activation::kGeluTanh},
    {"vit_giantopt", 16, Activation::kGeluTanh},
    {"vit_base_patch16_siglip", 12, Activation::kGeluErf},
    {"vit_large_patch16_siglip", 16, Activation::kGeluErf},
    {"vit_so400m_patch14_siglip", 16, Activation::kGeluErf},
};

Status ActFromKwargs(const JsonValue* cfg, bool quick_gelu, bool quick_gelu_set, const char* tower,
                     const std::string& source, ModelConfig& c, Activation* out) {
  const JsonValue* kw = cfg ? cfg->Find("act_kwargs") : nullptr;
  const JsonValue* approx = kw && kw->is_object() ? kw->Find("approximate") : nullptr;
  const std::string field = std::string(tower) + ".act";
  if (approx && approx->is_string() && approx->string() == "tanh") {
    *out = Activation::kGeluTanh;
    c.Decide(field, "gelu_pytorch_tanh", DecisionSource::kConfig, source + " act_kwargs.approximate=tanh");
  } else if (quick_gelu) {
    *out = Activation::kQuickGelu;
    c.Decide(field, "quick_gelu", DecisionSource::kConfig, source + " model_cfg.quick_gelu=true");
  } else {
    *out = Activation::kGeluErf;
    c.Decide(field, "gelu", quick_gelu_set ? DecisionSource::kConfig : DecisionSource::kDefault,
             quick_gelu_set ? source + " model_cfg.quick_gelu=false"
                            : "open_clip default nn.GELU (model_cfg has no quick_gelu)");
  }
  return Status::Ok();
}

Status EpsFromKwargs(const JsonValue* cfg, const char* tower, const std::string& source,
                     ModelConfig& c, double def, double* out) {
  const JsonValue* kw = cfg ? cfg->Find("norm_kwargs") : nullptr;
  const JsonValue* eps = kw && kw->is_object() ? kw->Find("eps") : nullptr;
  const std::string field = std::string(tower) + ".ln_eps";
  if (eps && eps->is_number()) {
    *out = eps->number();
    c.Decide(field, Num(*out), DecisionSource::kConfig, source + " norm_kwargs.eps");
  } else {
    *out = def;
    c.Decide(field, Num(def), DecisionSource::kDefault, "open_clip LayerNorm default eps");
  }
  return Status::Ok();
}

}  // namespace

StatusOr<ModelConfig> ConfigFromOpenClipJson(const JsonValue& root, const ShapeMap& map,
                                             const std::string& source) {
  const JsonValue* model_cfg = root.Find("model_cfg");
  if (model_cfg == nullptr || !model_cfg->is_object()) {
    return CorruptDataError(source + ": open_clip_config.json has no model_cfg object");
  }
  ModelConfig c;
  c.family = ArchFamily::kOpenClip;
  const JsonValue* vcfg = model_cfg->Find("vision_cfg");
  const JsonValue* tcfg = model_cfg->Find("text_cfg");
  if (vcfg && !vcfg->is_object()) return CorruptDataError(source + ": vision_cfg is not an object");
  if (tcfg && !tcfg->is_object()) return CorruptDataError(source + ": text_cfg is not an object");
  const std::string def = "open_clip CLIPVisionCfg/CLIPTextCfg default (absent from model_cfg)";
  FieldReader top(c, model_cfg, "", source, def);
  FieldReader v(c, vcfg, "vision.", source, def);
  FieldReader t(c, tcfg, "text.", source, def);
  RETURN_IF_ERROR(top.Int("embed_dim", 512, &c.embed_dim));
  bool quick_gelu = false;
  const bool quick_gelu_set = model_cfg->Find("quick_gelu") != nullptr;
  RETURN_IF_ERROR(top.Bool("quick_gelu", false, &quick_gelu));
  c.has_logit_bias = model_cfg->Find("init_logit_bias") != nullptr;

  // Text tower (TextTransformer).
  double mlp_ratio = 4.0;
  RETURN_IF_ERROR(t.Int("context_length", 77, &c.text.context_length));
  RETURN_IF_ERROR(t.Int("vocab_size", 49408, &c.text.vocab_size));
  RETURN_IF_ERROR(t.Int("width", 512, &c.text.width));
  RETURN_IF_ERROR(t.Int("heads", 8, &c.text.heads));
  RETURN_IF_ERROR(t.Int("layers", 12, &c.text.layers));
  RETURN_IF_ERROR(t.Double("mlp_ratio", 4.0, &mlp_ratio));
  if (!(mlp_ratio > 0 && mlp_ratio <= 64)) return CorruptDataError(source + ": text_cfg.mlp_ratio out of (0, 64]");
  if (c.text.width <= 0 || c.text.width > (int64_t{1} << 24)) {
    return CorruptDataError(source + ": text_cfg.width out of range");
  }
  c.text.mlp_hidden = static_cast<int64_t>(static_cast<double>(c.text.width) * mlp_ratio);
  bool no_causal = false;
  RETURN_IF_ERROR(t.Bool("no_causal_mask", false, &no_causal));
  c.text.causal_mask = !no_causal;
  RETURN_IF_ERROR(t.String("pool_type", "argmax", &c.text.pool, "pool"));
  RETURN_IF_ERROR(t.Int("pad_id", 0, &c.text.pad_id));
  RETURN_IF_ERROR(t.Int("eos_id", 2, &c.text.eos_id));
  RETURN_IF_ERROR(t.Bool("proj_bias", false, &c.text.proj_bias));
  std::string proj_type;
  RETURN_IF_ERROR(t.String("proj_type", "linear", &proj_type));
  c.text.proj_type = proj_type == "none" ? "none" : (c.text.proj_bias ? "linear" : "param");
  std::string hf_tok;
  RETURN_IF_ERROR(t.String("hf_tokenizer_name", "", &hf_tok));
  c.text.tokenizer = hf_tok.empty() ? "clip-bpe" : "hf:" + hf_tok;
  const JsonValue* tk = tcfg ? tcfg->Find("tokenizer_kwargs") : nullptr;
  const JsonValue* clean = tk && tk->is_object() ? tk->Find("clean") : nullptr;
  c.text.tokenizer_clean = clean && clean->is_string() ? clean->string()
                                                       : (hf_tok.empty() ? "lower" : "whitespace");
  RETURN_IF_ERROR(ActFromKwargs(tcfg, quick_gelu, quick_gelu_set, "text", source, c, &c.text.act));
  RETURN_IF_ERROR(EpsFromKwargs(tcfg, "text", source, c, 1e-5, &c.text.ln_eps));
  if (hf_tok.empty()) {
    // SimpleTokenizer appends <|startoftext|>, <|endoftext|> after the merges:
    // the last two ids of the vocabulary (49406 for OpenAI's).
    c.text.bos_id = c.text.vocab_size - 2;
    c.Decide("text.bos_id", std::to_string(c.text.bos_id), DecisionSource::kInferred,
             "CLIP BPE <|startoftext|> = vocab_size - 2");
  } else {
    c.text.bos_id = 49406;
  }

  // Vision tower.
  const JsonValue* timm = vcfg ? vcfg->Find("timm_model_name") : nullptr;
  RETURN_IF_ERROR(v.Int("image_size", 224, &c.vision.image_size));
  if (timm && timm->is_string()) {
    const std::string name = timm->string();
    const TimmArch* arch = nullptr;
    for (const TimmArch& a : kTimmArchs) {
      if (name.rfind(a.prefix, 0) == 0) {
        arch = &a;
        break;
      }
    }
    if (arch == nullptr) {
      return UnsupportedError(source + ": timm vision tower \"" + name + "\" is not supported");
    }
    c.family = ArchFamily::kOpenClipSiglip;
    c.vision.kind = "siglip-vit";
    c.vision.heads = arch->heads;
    c.vision.act = arch->act;
    c.Decide("vision.act", ActivationName(arch->act), DecisionSource::kConfig,
             "fixed by timm arch " + name + " (timm towers ignore quick_gelu)");
    c.vision.class_token = false;
    c.vision.ln_pre = false;
    c.vision.patch_bias = true;
    c.vision.pool = "map";
    c.vision.ln_eps = 1e-6;
    Shapes s(map, source);
    ASSIGN_OR_RETURN(Shape pe, s.Get("visual.trunk.patch_embed.proj.weight", 4));
    c.vision.width = pe[0];
    c.vision.patch_size = pe[3];
    c.vision.layers = s.CountDistinct("visual.trunk.blocks.", 3);
    ASSIGN_OR_RETURN(Shape fc1, s.Get("visual.trunk.blocks.0.mlp.fc1.weight", 2));
    c.vision.mlp_hidden = fc1[0];
    c.Decide("vision.width", std::to_string(c.vision.width), DecisionSource::kInferred,
             "visual.trunk.patch_embed.proj.weight.shape[0]");
  } else {
    const JsonValue* layers = vcfg ? vcfg->Find("layers") : nullptr;
    int64_t head_width = 64;
    if (layers && layers->is_array()) {
      c.vision.kind = "resnet";
      if (layers->array().size() != 4) {
        return CorruptDataError(source + ": vision_cfg.layers must list 4 stages");
      }
      for (int i = 0; i < 4; ++i) {
        if (!layers->array()[i].is_int()) return CorruptDataError(source + ": vision_cfg.layers entry is not an int");
        c.vision.resnet_layers[i] = layers->array()[i].int_value();
      }
      RETURN_IF_ERROR(v.Int("width", 64, &c.vision.width));
      RETURN_IF_ERROR(v.Int("head_width", 64, &head_width));
      if (head_width <= 0) return CorruptDataError(source + ": vision_cfg.head_width <= 0");
      if (c.vision.width <= 0 || c.vision.width > (int64_t{1} << 24)) {
        return CorruptDataError(source + ": vision_cfg.width out of range");
      }
      c.vision.heads = c.vision.width * 32 / head_width;
      c.vision.pool = "attnpool";
    } else {
      c.vision.kind = "vit";
      RETURN_IF_ERROR(v.Int("layers", 12, &c.vision.layers));
      RETURN_IF_ERROR(v.Int("width", 768, &c.vision.width));
      RETURN_IF_ERROR(v.Int("head_width", 64, &head_width));
      RETURN_IF_ERROR(v.Int("patch_size", 16, &c.vision.patch_size));
      double vr = 4.0;
      RETURN_IF_ERROR(v.Double("mlp_ratio", 4.0, &vr));
      if (!(vr > 0 && vr <= 64)) return CorruptDataError(source + ": vision_cfg.mlp_ratio out of (0, 64]");
      if (head_width <= 0) return CorruptDataError(source + ": vision_cfg.head_width <= 0");
      c.vision.heads = c.vision.width / head_width;
      if (c.vision.width <= 0 || c.vision.width > (int64_t{1} << 24)) {
        return CorruptDataError(source + ": vision_cfg.width out of range");
      }
      c.vision.mlp_hidden = static_cast<int64_t>(static_cast<double>(c.vision.width) * vr);
      bool no_ln_pre = false;
      RETURN_IF_ERROR(v.Bool("no_ln_pre", false, &no_ln_pre));
      c.vision.ln_pre = !no_ln_pre;
      RETURN_IF_ERROR(v.String("pool_type", "tok", &c.vision.pool, "pool"));
    }
    RETURN_IF_ERROR(ActFromKwargs(vcfg, quick_gelu, quick_gelu_set, "vision", source, c, &c.vision.act));
    RETURN_IF_ERROR(EpsFromKwargs(vcfg, "vision", source, c, 1e-5, &c.vision.ln_eps));
  }

  // Preprocessing (preprocess_cfg, else open_clip defaults = OpenAI's).
  const JsonValue* pp = root.Find("preprocess_cfg");
  if (pp && !pp->is_object()) return CorruptDataError(source + ": preprocess_cfg is not an object");
  c.preprocess.image_size = c.vision.image_size;
  c.preprocess.mean = kOpenAiMean;
  c.preprocess.std = kOpenAiStd;
  for (const char* key : {"mean", "std"}) {
    const JsonValue* arr = pp ? pp->Find(key) : nullptr;
    auto& dst = std::string_view(key) == "mean" ? c.preprocess.mean : c.preprocess.std;
    if (arr == nullptr) {
      c.Decide(std::string("preprocess.") + key, "openai", DecisionSource::kDefault,
               "OPENAI_DATASET_MEAN/STD (absent from preprocess_cfg)");
      continue;
    }
    if (!arr->is_array() || arr->array().size() != 3) {
      return CorruptDataError(source + ": preprocess_cfg." + key + " must be 3 numbers");
    }
    for (int i = 0; i < 3; ++i) {
      if (!arr->array()[i].is_number()) {
        return CorruptDataError(source + ": preprocess_cfg." + key + " must be 3 numbers");
      }
      dst[i] = arr->array()[i].number();
    }
    c.Decide(std::string("preprocess.") + key, Num(dst[0]) + "," + Num(dst[1]) + "," + Num(dst[2]),
             DecisionSource::kConfig, source + " preprocess_cfg." + key);
  }
  FieldReader p(c, pp, "preprocess.", source, "open_clip PreprocessCfg default");
  RETURN_IF_ERROR(p.String("interpolation", "bicubic", &c.preprocess.interpolation));
  RETURN_IF_ERROR(p.String("resize_mode", "shortest", &c.preprocess.resize_mode));
  c.preprocess.crop_rounding = c.preprocess.resize_mode == "squash" ? "none" : "torchvision";
  RETURN_IF_ERROR(ValidateDims(c, source));
  return c;
}

}  // namespace cliprt::io
