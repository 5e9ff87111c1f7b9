// Load options and identity: tower selection, manifests, overrides,
// defaults of config-less files and of minimal HF configs.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "io/checkpoint.h"
#include "io/json.h"
#include "io/model_config.h"
#include "io/mapped_file.h"
#include "io/sha256.h"
#include "io_test_util.h"

namespace cliprt::io {
namespace {

using testing::IoData;
using testing::ReadJsonFixture;

TEST(LoadOptionsTest, TextTowerOnlySkipsVisionTensors) {
  for (const char* path : {"openai_vit_jit.pt", "hf_clip", "open_clip_vit", "hf_clip_sharded"}) {
    SCOPED_TRACE(path);
    LoadOptions opts;
    opts.towers = Towers::kText;
    auto text = LoadCheckpoint(IoData(path), opts);
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    auto both = LoadCheckpoint(IoData(path));
    ASSERT_TRUE(both.ok());
    size_t vision = 0;
    for (const auto& [name, t] : both->tensors) {
      if (TowerOfTensor(name) == TensorTower::kVision) {
        ++vision;
        EXPECT_EQ(text->Find(name), nullptr) << name;
      } else {
        EXPECT_NE(text->Find(name), nullptr) << name;
      }
    }
    EXPECT_GT(vision, 0u);
    // The config still describes both towers (shapes are read from headers).
    EXPECT_EQ(text->config.vision.width, both->config.vision.width);
    EXPECT_EQ(text->towers, Towers::kText);
  }
}

TEST(LoadOptionsTest, VisionTowerOnlySkipsTextTensors) {
  LoadOptions opts;
  opts.towers = Towers::kVision;
  auto ck = LoadCheckpoint(IoData("openai_vit_state_dict.safetensors"), opts);
  ASSERT_TRUE(ck.ok()) << ck.status().ToString();
  EXPECT_EQ(ck->Find("token_embedding.weight"), nullptr);
  EXPECT_NE(ck->Find("visual.conv1.weight"), nullptr);
  EXPECT_NE(ck->Find("logit_scale"), nullptr);
}

TEST(LoadOptionsTest, SafetensorsTensorsAreZeroCopy) {
  auto ck = LoadCheckpoint(IoData("hf_clip"));
  ASSERT_TRUE(ck.ok());
  for (const auto& [name, t] : ck->tensors) EXPECT_FALSE(t.owns_storage()) << name;
}

TEST(LoadOptionsTest, TorchScriptFp16StoragesStayFp16AndWidenExactly) {
  auto ck = LoadCheckpoint(IoData("openai_vit_jit.pt"));
  ASSERT_TRUE(ck.ok());
  EXPECT_EQ(ck->format, "torchscript");
  const Tensor* w = ck->Find("visual.conv1.weight");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->dtype(), DType::kF16);
  EXPECT_FALSE(w->owns_storage());
  auto wide = w->ToContiguousF32();
  ASSERT_TRUE(wide.ok());
  for (int64_t i = 0; i < w->numel(); ++i) {
    const float f = wide->data_as<float>()[i];
    EXPECT_EQ(FloatToHalf(f), w->data_as<uint16_t>()[i]);  // round trip: widening was exact
  }
  // Bookkeeping tensors of OpenAI archives are dropped.
  EXPECT_EQ(ck->Find("input_resolution"), nullptr);
  EXPECT_EQ(ck->Find("context_length"), nullptr);
  EXPECT_EQ(ck->Find("vocab_size"), nullptr);
  EXPECT_GT(ck->files[0].dtype_counts.at("f16"), 0);
  EXPECT_GT(ck->files[0].dtype_counts.at("f32"), 0);
}

TEST(LoadOptionsTest, ConfigLessFileLoadsWithClipLoadSemantics) {
  auto ck = LoadCheckpoint(IoData("openai_vit_state_dict.safetensors"));
  ASSERT_TRUE(ck.ok());
  EXPECT_EQ(ck->config.family, ArchFamily::kOpenAiVit);
  const Decision* d = ck->config.FindDecision("text.act");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->source, DecisionSource::kDefault);
  EXPECT_EQ(d->value, "quick_gelu");
  EXPECT_EQ(ck->config.preprocess.resize_mode, "shortest");
  EXPECT_EQ(ck->IdentityString().rfind("unrecognized (sha256 ", 0), 0u);
}

TEST(LoadOptionsTest, OverrideChangesActivationAndIsRecorded) {
  LoadOptions opts;
  opts.activation_override = Activation::kGeluErf;
  auto ck = LoadCheckpoint(IoData("openai_vit_state_dict.pt"), opts);
  ASSERT_TRUE(ck.ok());
  EXPECT_EQ(ck->config.text.act, Activation::kGeluErf);
  EXPECT_EQ(ck->config.vision.act, Activation::kGeluErf);
  EXPECT_EQ(ck->config.FindDecision("vision.act")->source, DecisionSource::kOverride);
}

TEST(LoadOptionsTest, ManifestNamesAFileByItsHash) {
  // A manifest listing the fixture's real hash (computed here) names it and
  // its activation decision is recorded as coming from the manifest.
  const std::string path = IoData("openai_vit_state_dict.safetensors");
  auto file = MappedFile::Open(path);
  ASSERT_TRUE(file.ok());
  auto sha = Sha256Hex((*file)->data(), (*file)->size());
  ASSERT_TRUE(sha.ok());
  const std::string dir = ::testing::TempDir() + "/io_manifests";
  std::filesystem::create_directories(dir);
  {
    std::FILE* f = std::fopen((dir + "/tiny.json").c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fprintf(f, R"({"name": "test/tiny", "activation": "gelu", "files": [{"name": "x", "sha256": "%s"}]})",
                 sha->c_str());
    std::fclose(f);
  }
  LoadOptions opts;
  opts.manifest_dir = dir;
  auto ck = LoadCheckpoint(path, opts);
  ASSERT_TRUE(ck.ok()) << ck.status().ToString();
  EXPECT_EQ(ck->manifest_name, "test/tiny");
  EXPECT_EQ(ck->IdentityString(), "test/tiny");
  EXPECT_EQ(ck->config.text.act, Activation::kGeluErf);
  EXPECT_EQ(ck->config.FindDecision("text.act")->source, DecisionSource::kManifest);
  // The official manifests parse, and do not claim the fixture.
  opts.manifest_dir = testing::ManifestDir();
  auto official = LoadCheckpoint(path, opts);
  ASSERT_TRUE(official.ok()) << official.status().ToString();
  EXPECT_EQ(official->manifest_name, "");
}

TEST(LoadOptionsTest, OfficialManifestsListOpenAiReleases) {
  auto manifests = LoadManifests(testing::ManifestDir());
  ASSERT_TRUE(manifests.ok()) << manifests.status().ToString();
  int openai = 0;
  for (const Manifest& m : *manifests) {
    EXPECT_FALSE(m.files.empty()) << m.path;
    if (m.name.rfind("openai/", 0) == 0 && m.source_url.find("openaipublic") != std::string::npos) {
      ++openai;
      EXPECT_EQ(m.files[0].sha256.size(), 64u) << m.path;
      EXPECT_EQ(m.activation, "quick_gelu");
      // The published hash is the second-to-last component of the URL.
      EXPECT_NE(m.source_url.find("/" + m.files[0].sha256 + "/"), std::string::npos) << m.path;
    }
  }
  EXPECT_EQ(openai, 9);
}

TEST(ConfigDefaultsTest, MinimalHfConfigsGetTheirClassDefaults) {
  for (const char* name : {"hf_clip_minimal_config", "hf_siglip_minimal_config"}) {
    SCOPED_TRACE(name);
    const JsonValue cfg = ReadJsonFixture(IoData(std::string(name) + "/config.json"));
    const JsonValue expect = ReadJsonFixture(IoData(std::string(name) + ".expect.json"));
    auto c = ConfigFromHfJson(cfg, name);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_EQ(ArchFamilyName(c->family), expect.Find("family")->string());
    EXPECT_EQ(c->embed_dim, expect.Find("embed_dim")->int_value());
    const JsonValue& t = *expect.Find("text");
    EXPECT_EQ(c->text.vocab_size, t.Find("vocab_size")->int_value());
    EXPECT_EQ(c->text.width, t.Find("width")->int_value());
    EXPECT_EQ(c->text.mlp_hidden, t.Find("mlp_hidden")->int_value());
    EXPECT_EQ(c->text.layers, t.Find("layers")->int_value());
    EXPECT_EQ(c->text.heads, t.Find("heads")->int_value());
    EXPECT_EQ(c->text.context_length, t.Find("context_length")->int_value());
    EXPECT_EQ(ActivationName(c->text.act), t.Find("act")->string());
    EXPECT_EQ(c->text.ln_eps, t.Find("ln_eps")->number());
    EXPECT_EQ(c->text.pad_id, t.Find("pad_id")->int_value());
    EXPECT_EQ(c->text.eos_id, t.Find("eos_id")->int_value());
    const JsonValue& v = *expect.Find("vision");
    EXPECT_EQ(c->vision.width, v.Find("width")->int_value());
    EXPECT_EQ(c->vision.layers, v.Find("layers")->int_value());
    EXPECT_EQ(c->vision.heads, v.Find("heads")->int_value());
    EXPECT_EQ(c->vision.patch_size, v.Find("patch_size")->int_value());
    EXPECT_EQ(c->vision.image_size, v.Find("image_size")->int_value());
    EXPECT_EQ(c->vision.mlp_hidden, v.Find("mlp_hidden")->int_value());
    EXPECT_EQ(ActivationName(c->vision.act), v.Find("act")->string());
    EXPECT_EQ(c->vision.ln_eps, v.Find("ln_eps")->number());
    // Filled-in values are recorded as defaults, present ones as config.
    EXPECT_EQ(c->FindDecision("text.act")->source, DecisionSource::kDefault);
    EXPECT_EQ(c->FindDecision("family")->source, DecisionSource::kConfig);
  }
}

}  // namespace
}  // namespace cliprt::io

namespace cliprt::io {
namespace {

// Layouts torch writers produce that the small fixtures do not: 6-tuple
// persistent ids, transposed (strided) views and offsets into a storage.
TEST(TorchLayoutTest, HandmadeArchivesMatchTorchViewSemantics) {
  const JsonValue expected = testing::ReadJsonFixture(testing::IoData("handmade/expected.json"));
  ASSERT_EQ(expected.object().size(), 4u);
  for (const auto& [name, e] : expected.object()) {
    SCOPED_TRACE(name);
    LoadOptions opts;
    opts.resolve_config = false;  // a bare tensor, not a CLIP model
    auto ck = LoadCheckpoint(testing::IoData("handmade/" + name), opts);
    ASSERT_TRUE(ck.ok()) << ck.status().ToString();
    const Tensor* w = ck->Find("w");
    ASSERT_NE(w, nullptr);
    const auto& shape = e.Find("shape")->array();
    ASSERT_EQ(w->rank(), static_cast<int>(shape.size()));
    for (int i = 0; i < w->rank(); ++i) EXPECT_EQ(w->dim(i), shape[i].int_value());
    auto c = w->ToContiguousF32();
    ASSERT_TRUE(c.ok());
    const auto& values = e.Find("values")->array();
    ASSERT_EQ(c->numel(), static_cast<int64_t>(values.size()));
    for (size_t i = 0; i < values.size(); ++i) {
      EXPECT_EQ(c->data_as<float>()[i], static_cast<float>(values[i].number())) << i;
    }
  }
}

}  // namespace
}  // namespace cliprt::io

namespace cliprt::io {
namespace {

TEST(ModelConfigJsonTest, ProvenanceJsonIsStrictJsonWithEveryDecision) {
  auto ck = LoadCheckpoint(testing::IoData("hf_siglip"));
  ASSERT_TRUE(ck.ok());
  const std::string text = ModelConfigToJson(ck->config);
  auto json = ParseJson(text, "config json");
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  EXPECT_EQ(json->Find("family")->string(), "hf-siglip");
  EXPECT_EQ(json->Find("text")->Find("act")->string(), "gelu_pytorch_tanh");
  EXPECT_EQ(json->Find("vision")->Find("ln_eps")->number(), ck->config.vision.ln_eps);
  const auto& decisions = json->Find("decisions")->array();
  ASSERT_EQ(decisions.size(), ck->config.decisions.size());
  EXPECT_EQ(decisions[0].Find("source")->string(), DecisionSourceName(ck->config.decisions[0].source));
}

}  // namespace
}  // namespace cliprt::io

namespace cliprt::io {
namespace {

TEST(ReleasePagesTest, ReleasedPagesRereadTheSameBytes) {
  auto ck = LoadCheckpoint(testing::IoData("openai_vit_jit.pt"));
  ASSERT_TRUE(ck.ok());
  const Tensor& t = *ck->Find("token_embedding.weight");  // 256 x 64 fp16: several pages
  const std::string before = testing::TensorBytesSha256(t);
  EXPECT_TRUE(ck->ReleasePages(t));
  EXPECT_EQ(testing::TensorBytesSha256(t), before);
  auto owned = Tensor::Zeros(DType::kF32, Shape{4});
  ASSERT_TRUE(owned.ok());
  EXPECT_FALSE(ck->ReleasePages(*owned));  // never on memory the mapping does not own
}

}  // namespace
}  // namespace cliprt::io

namespace cliprt::io {
namespace {

// HF model types: clip and siglip load; siglip2 (transformers' NaFlex
// Siglip2Model) is refused with a message that says the fixed-resolution
// SigLIP2 checkpoints (model_type siglip) are supported; others are named.
TEST(LoadOptionsTest, HfModelTypesOutsideClipAndSiglipAreNamedErrors) {
  auto naflex = ParseJson(R"({"model_type": "siglip2"})", "config.json");
  ASSERT_TRUE(naflex.ok());
  auto refused = ConfigFromHfJson(*naflex, "config.json");
  ASSERT_EQ(refused.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(refused.status().message().find("NaFlex"), std::string::npos) << refused.status().message();
  EXPECT_NE(refused.status().message().find("model_type \"siglip\""), std::string::npos);
  auto other = ParseJson(R"({"model_type": "blip"})", "config.json");
  ASSERT_TRUE(other.ok());
  auto named = ConfigFromHfJson(*other, "config.json");
  ASSERT_EQ(named.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(named.status().message().find("\"blip\""), std::string::npos) << named.status().message();
}

}  // namespace
}  // namespace cliprt::io
