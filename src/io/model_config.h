// The resolved model configuration: a plain struct the encoders consume.
//
// Every field that changes numerics has one value here, whatever the source
// (HF config.json, open_clip_config.json, shapes of an OpenAI-style state
// dict, a known-checkpoint manifest, an explicit override), and every such
// decision is recorded with its source and reason for provenance.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "io/json.h"
#include "io/tensor_set.h"

namespace cliprt::io {

enum class ArchFamily {
  kUnknown,
  kOpenAiVit,       // OpenAI CLIP ViT (and OpenAI-named state dicts without config)
  kOpenAiResNet,    // OpenAI CLIP ModifiedResNet
  kOpenClip,        // open_clip native CLIP / CustomTextCLIP with a config
  kHfClip,          // transformers CLIPModel
  kHfSiglip,        // transformers SiglipModel
  kOpenClipSiglip,  // open_clip SigLIP (timm trunk + native text)
};
const char* ArchFamilyName(ArchFamily f);  // "openai-vit", "hf-clip", ...

enum class Activation { kQuickGelu, kGeluErf, kGeluTanh };
// Names as the libraries spell them: "quick_gelu", "gelu", "gelu_pytorch_tanh".
const char* ActivationName(Activation a);
StatusOr<Activation> ParseActivation(std::string_view name);

enum class DecisionSource { kConfig, kManifest, kDefault, kOverride, kInferred };
const char* DecisionSourceName(DecisionSource s);  // "config", "manifest", ...

struct Decision {
  std::string field;   // e.g. "text.act"
  std::string value;   // e.g. "quick_gelu"
  DecisionSource source = DecisionSource::kDefault;
  std::string reason;  // human-readable why
};

struct VisionConfig {
  std::string kind;  // "vit" | "resnet" | "siglip-vit"
  int64_t width = 0;
  int64_t layers = 0;                  // transformer blocks (ViT)
  std::array<int64_t, 4> resnet_layers{};  // blocks per stage (ResNet)
  int64_t heads = 0;
  int64_t patch_size = 0;
  int64_t image_size = 0;
  int64_t mlp_hidden = 0;
  Activation act = Activation::kQuickGelu;
  double ln_eps = 1e-5;
  bool class_token = true;   // SigLIP: none
  bool ln_pre = true;        // open_clip no_ln_pre
  bool patch_bias = false;   // SigLIP patch conv has a bias
  std::string pool;          // "tok" | "map" | "attnpool"
};

struct TextConfig {
  int64_t width = 0;
  int64_t layers = 0;
  int64_t heads = 0;
  int64_t context_length = 0;
  int64_t vocab_size = 0;
  int64_t mlp_hidden = 0;
  Activation act = Activation::kQuickGelu;
  double ln_eps = 1e-5;
  bool causal_mask = true;
  std::string pool;          // "argmax" | "eos" | "last"
  int64_t pad_id = 0;
  int64_t bos_id = -1;       // -1: none
  int64_t eos_id = -1;
  bool proj_bias = false;    // text projection is a Linear with bias
  std::string proj_type;     // "param" ([W,E], x·P) | "linear" ([E,W]) | "none"
  std::string tokenizer;     // "clip-bpe" | "hf:<name>" | "sentencepiece"
  std::string tokenizer_clean;  // open_clip tokenizer_kwargs.clean
};

struct PreprocessConfig {
  int64_t image_size = 0;
  std::array<double, 3> mean{};
  std::array<double, 3> std{};
  std::string interpolation;  // "bicubic" | "bilinear"
  std::string resize_mode;    // "shortest" | "squash" | "longest"
  std::string crop_rounding;  // "torchvision" (half-even) | "hf" (floor) | "none"
};

struct ModelConfig {
  ArchFamily family = ArchFamily::kUnknown;
  int64_t embed_dim = 0;
  bool has_logit_bias = false;
  VisionConfig vision;
  TextConfig text;
  PreprocessConfig preprocess;
  std::vector<Decision> decisions;

  void Decide(std::string field, std::string value, DecisionSource source, std::string reason);
  // The last decision recorded for `field`, or nullptr.
  const Decision* FindDecision(std::string_view field) const;
};

// name → shape of every tensor in the checkpoint (both towers).
using ShapeMap = std::map<std::string, Shape, std::less<>>;
ShapeMap ShapesOf(const std::vector<TensorInfo>& all);

// transformers config.json (CLIPConfig / SiglipConfig), filling the class
// defaults the file omits (they differ between CLIP and SigLIP).
StatusOr<ModelConfig> ConfigFromHfJson(const JsonValue& root, const std::string& source);

// HF preprocessor_config.json (CLIPImageProcessor / SiglipImageProcessor):
// mean/std, resample, size/crop_size override the preprocessing defaults of
// `config` (recorded with source config).
Status ApplyHfPreprocessorJson(const JsonValue& root, const std::string& source, ModelConfig* config);

// open_clip_config.json {"model_cfg", "preprocess_cfg"}; shapes fill what
// the schema leaves to the code (e.g. timm towers).
StatusOr<ModelConfig> ConfigFromOpenClipJson(const JsonValue& root, const ShapeMap& shapes,
                                             const std::string& source);

// OpenAI-style inference from state-dict shapes (clip.model.build_model),
// with clip.load semantics: QuickGELU, OpenAI preprocessing.
StatusOr<ModelConfig> ConfigFromOpenAiShapes(const ShapeMap& shapes, const std::string& source);

}  // namespace cliprt::io

namespace cliprt::io {

// The config and every decision as a JSON object (for provenance records):
// {"family", "embed_dim", "vision": {...}, "text": {...}, "preprocess": {...},
//  "decisions": [{"field", "value", "source", "reason"}, ...]}.
std::string ModelConfigToJson(const ModelConfig& config);

}  // namespace cliprt::io
