#include "random_model.h"

#include <map>
#include <random>

#include "io/json.h"

namespace cliprt::bench {
namespace {

struct Spec {
  std::string name;
  Shape shape;
  enum Init { kNormal, kOne, kZero } init = kNormal;
};

void AddLinear(std::vector<Spec>& s, const std::string& p, int64_t out, int64_t in, bool bias = true) {
  s.push_back({p + ".weight", Shape{out, in}});
  if (bias) s.push_back({p + ".bias", Shape{out}, Spec::kZero});
}
void AddNorm(std::vector<Spec>& s, const std::string& p, int64_t d) {
  s.push_back({p + ".weight", Shape{d}, Spec::kOne});
  s.push_back({p + ".bias", Shape{d}, Spec::kZero});
}

// OpenAI residual blocks (fused in_proj) under `prefix`.
void AddOpenAiBlocks(std::vector<Spec>& s, const std::string& prefix, int64_t layers, int64_t w) {
  for (int64_t i = 0; i < layers; ++i) {
    const std::string p = prefix + std::to_string(i) + ".";
    s.push_back({p + "attn.in_proj_weight", Shape{3 * w, w}});
    s.push_back({p + "attn.in_proj_bias", Shape{3 * w}, Spec::kZero});
    AddLinear(s, p + "attn.out_proj", w, w);
    AddNorm(s, p + "ln_1", w);
    AddLinear(s, p + "mlp.c_fc", 4 * w, w);
    AddLinear(s, p + "mlp.c_proj", w, 4 * w);
    AddNorm(s, p + "ln_2", w);
  }
}

void AddOpenAiText(std::vector<Spec>& s, int64_t w, int64_t layers, int64_t embed) {
  s.push_back({"token_embedding.weight", Shape{49408, w}});
  s.push_back({"positional_embedding", Shape{77, w}});
  AddOpenAiBlocks(s, "transformer.resblocks.", layers, w);
  AddNorm(s, "ln_final", w);
  s.push_back({"text_projection", Shape{w, embed}});
  s.push_back({"logit_scale", Shape{}, Spec::kZero});
}

std::vector<Spec> OpenAiVit(int64_t width, int64_t layers, int64_t patch, int64_t image, int64_t embed,
                            int64_t text_width) {
  std::vector<Spec> s;
  const int64_t grid = image / patch;
  s.push_back({"visual.conv1.weight", Shape{width, 3, patch, patch}});
  s.push_back({"visual.class_embedding", Shape{width}});
  s.push_back({"visual.positional_embedding", Shape{grid * grid + 1, width}});
  AddNorm(s, "visual.ln_pre", width);
  AddOpenAiBlocks(s, "visual.transformer.resblocks.", layers, width);
  AddNorm(s, "visual.ln_post", width);
  s.push_back({"visual.proj", Shape{width, embed}});
  AddOpenAiText(s, text_width, 12, embed);
  return s;
}

void AddConvBn(std::vector<Spec>& s, const std::string& conv, const std::string& bn, int64_t out, int64_t in,
               int64_t k) {
  s.push_back({conv + ".weight", Shape{out, in, k, k}});
  s.push_back({bn + ".weight", Shape{out}, Spec::kOne});
  s.push_back({bn + ".bias", Shape{out}, Spec::kZero});
  s.push_back({bn + ".running_mean", Shape{out}, Spec::kZero});
  s.push_back({bn + ".running_var", Shape{out}, Spec::kOne});
}

std::vector<Spec> OpenAiRn50() {
  std::vector<Spec> s;
  const int64_t w = 64, embed = 1024;
  AddConvBn(s, "visual.conv1", "visual.bn1", w / 2, 3, 3);
  AddConvBn(s, "visual.conv2", "visual.bn2", w / 2, w / 2, 3);
  AddConvBn(s, "visual.conv3", "visual.bn3", w, w / 2, 3);
  const int64_t blocks[4] = {3, 4, 6, 3};
  int64_t inplanes = w;
  for (int stage = 0; stage < 4; ++stage) {
    const int64_t planes = w << stage;
    for (int64_t b = 0; b < blocks[stage]; ++b) {
      const std::string p = "visual.layer" + std::to_string(stage + 1) + "." + std::to_string(b) + ".";
      AddConvBn(s, p + "conv1", p + "bn1", planes, inplanes, 1);
      AddConvBn(s, p + "conv2", p + "bn2", planes, planes, 3);
      AddConvBn(s, p + "conv3", p + "bn3", planes * 4, planes, 1);
      if (b == 0 && (stage > 0 || inplanes != planes * 4)) {
        AddConvBn(s, p + "downsample.0", p + "downsample.1", planes * 4, inplanes, 1);
      }
      inplanes = planes * 4;
    }
  }
  const int64_t d = w * 32;
  s.push_back({"visual.attnpool.positional_embedding", Shape{7 * 7 + 1, d}});
  AddLinear(s, "visual.attnpool.q_proj", d, d);
  AddLinear(s, "visual.attnpool.k_proj", d, d);
  AddLinear(s, "visual.attnpool.v_proj", d, d);
  AddLinear(s, "visual.attnpool.c_proj", embed, d);
  AddOpenAiText(s, 512, 12, embed);
  return s;
}

// HF SiglipModel names for google/siglip-base-patch16-224.
std::vector<Spec> HfSiglipB16() {
  std::vector<Spec> s;
  const int64_t w = 768, hidden = 3072;
  auto blocks = [&](const std::string& prefix) {
    for (int i = 0; i < 12; ++i) {
      const std::string p = prefix + std::to_string(i) + ".";
      AddNorm(s, p + "layer_norm1", w);
      for (const char* n : {"q_proj", "k_proj", "v_proj", "out_proj"}) AddLinear(s, p + "self_attn." + n, w, w);
      AddNorm(s, p + "layer_norm2", w);
      AddLinear(s, p + "mlp.fc1", hidden, w);
      AddLinear(s, p + "mlp.fc2", w, hidden);
    }
  };
  s.push_back({"vision_model.embeddings.patch_embedding.weight", Shape{w, 3, 16, 16}});
  s.push_back({"vision_model.embeddings.patch_embedding.bias", Shape{w}, Spec::kZero});
  s.push_back({"vision_model.embeddings.position_embedding.weight", Shape{196, w}});
  blocks("vision_model.encoder.layers.");
  AddNorm(s, "vision_model.post_layernorm", w);
  s.push_back({"vision_model.head.probe", Shape{1, 1, w}});
  s.push_back({"vision_model.head.attention.in_proj_weight", Shape{3 * w, w}});
  s.push_back({"vision_model.head.attention.in_proj_bias", Shape{3 * w}, Spec::kZero});
  AddLinear(s, "vision_model.head.attention.out_proj", w, w);
  AddNorm(s, "vision_model.head.layernorm", w);
  AddLinear(s, "vision_model.head.mlp.fc1", hidden, w);
  AddLinear(s, "vision_model.head.mlp.fc2", w, hidden);
  s.push_back({"text_model.embeddings.token_embedding.weight", Shape{32000, w}});
  s.push_back({"text_model.embeddings.position_embedding.weight", Shape{64, w}});
  blocks("text_model.encoder.layers.");
  AddNorm(s, "text_model.final_layer_norm", w);
  AddLinear(s, "text_model.head", w, w);
  s.push_back({"logit_scale", Shape{1}, Spec::kZero});
  s.push_back({"logit_bias", Shape{1}, Spec::kZero});
  return s;
}

constexpr const char* kSiglipConfig = R"({"model_type": "siglip",
 "text_config": {"hidden_size": 768, "intermediate_size": 3072, "num_attention_heads": 12,
                 "num_hidden_layers": 12, "vocab_size": 32000, "max_position_embeddings": 64},
 "vision_config": {"hidden_size": 768, "intermediate_size": 3072, "num_attention_heads": 12,
                   "num_hidden_layers": 12, "image_size": 224, "patch_size": 16}})";

StatusOr<io::Checkpoint> Materialize(const std::vector<Spec>& specs, uint32_t seed) {
  io::Checkpoint ck;
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 0.02f);
  for (const Spec& spec : specs) {
    ASSIGN_OR_RETURN(Tensor t, Tensor::Empty(DType::kF32, spec.shape));
    float* p = t.data_as<float>();
    for (int64_t i = 0; i < t.numel(); ++i) {
      p[i] = spec.init == Spec::kNormal ? normal(rng) : spec.init == Spec::kOne ? 1.0f : 0.0f;
    }
    ck.all_tensors.push_back({spec.name, DType::kF32, spec.shape});
    ck.tensors.emplace(spec.name, std::move(t));
  }
  ck.format = "in-memory";
  ck.layout = "file";
  return ck;
}

}  // namespace

std::vector<std::string> BenchArchitectures() {
  return {"ViT-B-32", "ViT-B-16", "ViT-L-14", "ViT-L-14-336", "RN50", "SigLIP-B-16-224"};
}

StatusOr<io::Checkpoint> RandomCheckpoint(const std::string& arch) {
  std::vector<Spec> specs;
  if (arch == "ViT-B-32") specs = OpenAiVit(768, 12, 32, 224, 512, 512);
  else if (arch == "ViT-B-16") specs = OpenAiVit(768, 12, 16, 224, 512, 512);
  else if (arch == "ViT-L-14") specs = OpenAiVit(1024, 24, 14, 224, 768, 768);
  else if (arch == "ViT-L-14-336") specs = OpenAiVit(1024, 24, 14, 336, 768, 768);
  else if (arch == "RN50") specs = OpenAiRn50();
  else if (arch == "SigLIP-B-16-224") specs = HfSiglipB16();
  else return InvalidArgumentError("unknown benchmark architecture \"" + arch + "\"");
  ASSIGN_OR_RETURN(io::Checkpoint ck, Materialize(specs, 1234));
  if (arch.rfind("SigLIP", 0) == 0) {
    ASSIGN_OR_RETURN(io::JsonValue config, io::ParseJson(kSiglipConfig, "siglip config"));
    ASSIGN_OR_RETURN(ck.config, io::ConfigFromHfJson(config, "bench " + arch));
    ck.layout = "hf-folder";
  } else {
    ASSIGN_OR_RETURN(ck.config, io::ConfigFromOpenAiShapes(io::ShapesOf(ck.all_tensors), "bench " + arch));
  }
  return ck;
}

}  // namespace cliprt::bench
