// Loads every checkpoint fixture written by the reference libraries
// (tools/fixtures/io_make_fixtures.py) and compares every tensor by name,
// dtype, shape and value with what torch itself loaded, and the resolved
// config with what the reference model objects used.
#include <gtest/gtest.h>

#include <set>

#include "io/checkpoint.h"
#include "io_test_util.h"

namespace cliprt::io {
namespace {

using testing::IoData;
using testing::ReadJsonFixture;
using testing::TensorBytesSha256;

struct Fixture {
  const char* path;      // file or folder under tests/data/io
  const char* tensors;   // <name>.tensors.json
  const char* expect;    // <name>.expect.json (config), or nullptr
  const char* format;
};

const Fixture kFixtures[] = {
    {"openai_vit_state_dict.pt", "openai_vit_state_dict", "openai_vit_state_dict", "torch-zip"},
    {"openai_vit_state_dict.safetensors", "openai_vit_state_dict_safetensors", "openai_vit_state_dict",
     "safetensors"},
    {"train_checkpoint_module_prefix.pt", "train_checkpoint_module_prefix", "openai_vit_state_dict",
     "torch-zip"},
    {"openai_vit_jit.pt", "openai_vit_jit", "openai_vit_jit", "torchscript"},
    {"openai_rn_jit.pt", "openai_rn_jit", "openai_rn_jit", "torchscript"},
    {"hf_clip", "hf_clip", "hf_clip", "safetensors"},
    {"hf_clip_sharded", "hf_clip_sharded", "hf_clip", "safetensors-sharded"},
    {"hf_clip_bin", "hf_clip_bin", "hf_clip", "torch-zip"},
    {"hf_clip_bin_sharded", "hf_clip_bin_sharded", "hf_clip", "torch-zip-sharded"},
    {"hf_siglip", "hf_siglip", "hf_siglip", "safetensors"},
    {"open_clip_vit", "open_clip_vit", "open_clip_vit", "safetensors"},
    {"open_clip_vit_quickgelu_bin", "open_clip_vit_quickgelu_bin", "open_clip_vit_quickgelu_bin",
     "torch-zip"},
    {"open_clip_custom_text", "open_clip_custom_text", "open_clip_custom_text", "safetensors"},
    {"open_clip_siglip", "open_clip_siglip", "open_clip_siglip", "safetensors"},
};

class CheckpointFixtureTest : public ::testing::TestWithParam<Fixture> {};

TEST_P(CheckpointFixtureTest, EveryTensorMatchesTorch) {
  const Fixture& f = GetParam();
  auto ck = LoadCheckpoint(IoData(f.path));
  ASSERT_TRUE(ck.ok()) << ck.status().ToString();
  EXPECT_EQ(ck->format, f.format);
  const JsonValue expect = ReadJsonFixture(IoData(std::string(f.tensors) + ".tensors.json"));
  const JsonValue* tensors = expect.Find("tensors");
  ASSERT_NE(tensors, nullptr);
  std::set<std::string> expected_names;
  for (const auto& [name, e] : tensors->object()) {
    expected_names.insert(name);
    SCOPED_TRACE(name);
    const Tensor* t = ck->Find(name);
    ASSERT_NE(t, nullptr) << "missing tensor";
    EXPECT_EQ(DTypeName(t->dtype()), e.Find("dtype")->string());
    const auto& shape = e.Find("shape")->array();
    ASSERT_EQ(t->rank(), static_cast<int>(shape.size()));
    for (int i = 0; i < t->rank(); ++i) EXPECT_EQ(t->dim(i), shape[i].int_value());
    EXPECT_EQ(TensorBytesSha256(*t), e.Find("sha256")->string()) << "values differ";
    if (const JsonValue* f32 = e.Find("sha256_f32")) {
      auto wide = t->ToContiguousF32();
      ASSERT_TRUE(wide.ok());
      EXPECT_EQ(TensorBytesSha256(*wide), f32->string()) << "fp32 widening differs";
      const auto& first = e.Find("first")->array();
      for (size_t i = 0; i < first.size(); ++i) {
        EXPECT_EQ(wide->data_as<float>()[i], static_cast<float>(first[i].number()));
      }
    }
  }
  std::set<std::string> loaded_names;
  for (const auto& [name, t] : ck->tensors) loaded_names.insert(name);
  EXPECT_EQ(loaded_names, expected_names);
}

TEST_P(CheckpointFixtureTest, ConfigMatchesReferenceModel) {
  const Fixture& f = GetParam();
  if (f.expect == nullptr) GTEST_SKIP();
  auto ck = LoadCheckpoint(IoData(f.path));
  ASSERT_TRUE(ck.ok()) << ck.status().ToString();
  const JsonValue expect = ReadJsonFixture(IoData(std::string(f.expect) + ".expect.json"));
  const ModelConfig& c = ck->config;
  EXPECT_EQ(ArchFamilyName(c.family), expect.Find("family")->string());
  EXPECT_EQ(c.embed_dim, expect.Find("embed_dim")->int_value());
  const JsonValue& t = *expect.Find("text");
  EXPECT_EQ(c.text.width, t.Find("width")->int_value());
  EXPECT_EQ(c.text.layers, t.Find("layers")->int_value());
  EXPECT_EQ(c.text.heads, t.Find("heads")->int_value());
  EXPECT_EQ(c.text.context_length, t.Find("context_length")->int_value());
  EXPECT_EQ(c.text.vocab_size, t.Find("vocab_size")->int_value());
  EXPECT_EQ(c.text.mlp_hidden, t.Find("mlp_hidden")->int_value());
  EXPECT_EQ(ActivationName(c.text.act), t.Find("act")->string());
  EXPECT_EQ(c.text.ln_eps, t.Find("ln_eps")->number());
  if (const JsonValue* v = t.Find("pad_id")) {
    EXPECT_EQ(c.text.pad_id, v->int_value());
  }
  if (const JsonValue* v = t.Find("eos_id")) {
    EXPECT_EQ(c.text.eos_id, v->int_value());
  }
  const JsonValue& v = *expect.Find("vision");
  EXPECT_EQ(c.vision.kind, v.Find("kind")->string());
  EXPECT_EQ(c.vision.width, v.Find("width")->int_value());
  EXPECT_EQ(c.vision.heads, v.Find("heads")->int_value());
  EXPECT_EQ(c.vision.image_size, v.Find("image_size")->int_value());
  EXPECT_EQ(ActivationName(c.vision.act), v.Find("act")->string());
  if (const JsonValue* x = v.Find("layers")) {
    EXPECT_EQ(c.vision.layers, x->int_value());
  }
  if (const JsonValue* x = v.Find("patch_size")) {
    EXPECT_EQ(c.vision.patch_size, x->int_value());
  }
  if (const JsonValue* x = v.Find("mlp_hidden")) {
    EXPECT_EQ(c.vision.mlp_hidden, x->int_value());
  }
  if (const JsonValue* x = v.Find("ln_eps")) {
    EXPECT_EQ(c.vision.ln_eps, x->number());
  }
  if (const JsonValue* x = v.Find("resnet_layers")) {
    for (int i = 0; i < 4; ++i) EXPECT_EQ(c.vision.resnet_layers[i], x->array()[i].int_value());
  }
  if (const JsonValue* p = expect.Find("preprocess")) {
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(c.preprocess.mean[i], p->Find("mean")->array()[i].number());
      EXPECT_EQ(c.preprocess.std[i], p->Find("std")->array()[i].number());
    }
    if (const JsonValue* x = p->Find("image_size")) {
      EXPECT_EQ(c.preprocess.image_size, x->int_value());
    }
    if (const JsonValue* x = p->Find("resize_mode")) {
    EXPECT_EQ(c.preprocess.resize_mode, x->string());
  }
    if (const JsonValue* x = p->Find("interpolation")) {
    EXPECT_EQ(c.preprocess.interpolation, x->string());
  }
  }
  // Every numeric decision is recorded with a source.
  for (const char* field : {"text.act", "vision.act"}) {
    EXPECT_NE(c.FindDecision(field), nullptr) << field;
  }
}

TEST_P(CheckpointFixtureTest, LoadingTwiceGivesTheSameIdentity) {
  const Fixture& f = GetParam();
  auto a = LoadCheckpoint(IoData(f.path));
  auto b = LoadCheckpoint(IoData(f.path));
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->files.size(), b->files.size());
  for (size_t i = 0; i < a->files.size(); ++i) {
    EXPECT_EQ(a->files[i].sha256.size(), 64u);
    EXPECT_EQ(a->files[i].sha256, b->files[i].sha256);
    EXPECT_EQ(a->files[i].size, b->files[i].size);
    EXPECT_EQ(a->files[i].dtype_counts, b->files[i].dtype_counts);
  }
  EXPECT_EQ(a->IdentityString(), b->IdentityString());
}

INSTANTIATE_TEST_SUITE_P(Fixtures, CheckpointFixtureTest, ::testing::ValuesIn(kFixtures),
                         [](const auto& info) {
                           std::string n = info.param.path;
                           for (char& ch : n) if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return n;
                         });

}  // namespace
}  // namespace cliprt::io
