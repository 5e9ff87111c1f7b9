// Provenance JSON round trip, versioning rule, errors, and the converters
// from real checkpoint / preprocessing / tokenizer records.
#include "api/provenance_json.h"

#include <gtest/gtest.h>

#include <cstring>

#include "api/sample_provenance.h"
#include "common/test_paths.h"
#include "image/decode.h"
#include "image/preprocess.h"
#include "io/checkpoint.h"
#include "tokenizer/tokenizer.h"

namespace cliprt::api {
namespace {

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST(ProvenanceJson, RoundTripIsExact) {
  const Provenance p = testing::SampleProvenance();
  const std::string json = ToJson(p);
  auto parsed = ParseProvenanceJson(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, p);
  EXPECT_EQ(ToJson(*parsed), json);
  // Stable key order: the document starts with the schema version.
  EXPECT_EQ(json.rfind("{\"schema_version\":1,\"library\":{", 0), 0u) << json.substr(0, 60);
}

TEST(ProvenanceJson, OptionalBlocksAbsentOrNull) {
  Provenance p = testing::SampleProvenance();
  p.preprocess.reset();
  p.classification.reset();
  const std::string json = ToJson(p);
  EXPECT_NE(json.find("\"preprocess\":null"), std::string::npos);
  auto parsed = ParseProvenanceJson(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, p);
  // A writer may leave absent blocks out entirely.
  auto without = ParseProvenanceJson(Replace(json, "\"preprocess\":null,", ""));
  ASSERT_TRUE(without.ok()) << without.status().ToString();
  EXPECT_EQ(*without, p);
}

TEST(ProvenanceJson, FloatsRoundTripBitExact) {
  for (float f : testing::AwkwardFloats()) {
    auto v = io::ParseJson(FormatFloat(f), "float");
    ASSERT_TRUE(v.ok()) << FormatFloat(f);
    auto back = ParseFloatValue(*v, "float");
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(*back));
    } else {
      uint32_t a, b;
      std::memcpy(&a, &f, 4);
      std::memcpy(&b, &*back, 4);
      EXPECT_EQ(a, b) << FormatFloat(f);
    }
  }
  for (double d : {1.0 / 255.0, 0.1, 1e-300, -123456789.123456789}) {
    auto v = io::ParseJson(FormatDouble(d), "double");
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(*ParseDoubleValue(*v, "double"), d);
  }
}

TEST(ProvenanceJson, UnknownKeysIgnoredHigherVersionRefused) {
  const std::string json = ToJson(testing::SampleProvenance());
  auto extra = ParseProvenanceJson(Replace(json, "\"library\":{", "\"future_block\":{\"x\":[1,2]},\"library\":{\"new\":true,"));
  ASSERT_TRUE(extra.ok()) << extra.status().ToString();
  EXPECT_EQ(*extra, testing::SampleProvenance());

  auto newer = ParseProvenanceJson(Replace(json, "\"schema_version\":1", "\"schema_version\":2"));
  ASSERT_FALSE(newer.ok());
  EXPECT_EQ(newer.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(newer.status().message().find("2 is not supported"), std::string::npos) << newer.status().message();
}

TEST(ProvenanceJson, ErrorsNameTheKeyPath) {
  const std::string json = ToJson(testing::SampleProvenance());
  auto missing = ParseProvenanceJson(Replace(json, "\"sha256\":\"40d3", "\"sha\":\"40d3"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("provenance.model.files[0].sha256: missing"), std::string::npos)
      << missing.status().message();
  auto wrong_type = ParseProvenanceJson(Replace(json, "\"threads\":2", "\"threads\":\"2\""));
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_NE(wrong_type.status().message().find("provenance.library.threads"), std::string::npos)
      << wrong_type.status().message();
  EXPECT_FALSE(ParseProvenanceJson("[]").ok());
  EXPECT_FALSE(ParseProvenanceJson("{\"schema_version\":1").ok());
  EXPECT_FALSE(ParseProvenanceJson(Replace(json, "\"top_k\":3", "\"top_k\":99999999999")).ok());
}

TEST(ProvenanceConverters, FromARealCheckpoint) {
  io::LoadOptions options;
  auto ck = io::LoadCheckpoint(cliprt::testing::TestDataDir() + "/io/hf_clip", options);
  ASSERT_TRUE(ck.ok()) << ck.status().ToString();
  ModelIdentity m = ProvenanceFromCheckpoint(*ck);
  EXPECT_EQ(m.name, ck->manifest_name.empty() ? "unrecognized" : ck->manifest_name);
  EXPECT_EQ(m.family, "hf-clip");
  ASSERT_EQ(m.files.size(), ck->files.size());
  EXPECT_EQ(m.files[0].sha256, ck->files[0].sha256);
  EXPECT_EQ(m.files[0].sha256.size(), 64u);
  EXPECT_EQ(m.decisions.size(), ck->config.decisions.size());
  EXPECT_EQ(m.vision_activation, io::ActivationName(ck->config.vision.act));
  EXPECT_FALSE(m.vision_activation_source.empty());
  EXPECT_NE(m.architecture.find("embed_dim=" + std::to_string(ck->config.embed_dim)), std::string::npos);
  EXPECT_EQ(CheckpointSha256(m), ck->files[0].sha256);  // the config json is not part of the identity
  Provenance p;
  p.library = CurrentLibraryInfo("f32", 1);
  p.model = m;
  auto back = ParseProvenanceJson(ToJson(p));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, p);
}

TEST(ProvenanceConverters, FromRealPreprocessRecords) {
  const std::string dir = cliprt::testing::TestDataDir() + "/image/inputs/";
  std::vector<image::PreprocessRecord> records(2);
  const image::PreprocessConfig config = image::OpenAIPreset(224);
  int i = 0;
  for (const char* name : {"jpeg_420_131x97.jpg", "l_97x71.png"}) {
    auto img = image::DecodeImageFile(dir + name);
    ASSERT_TRUE(img.ok()) << img.status().ToString();
    ASSERT_TRUE(image::Preprocess(*img, config, &records[i++]).ok());
  }
  auto p = MakePreprocessProvenance(records);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->preset, "openai");
  EXPECT_EQ(p->interpolation, "bicubic");
  EXPECT_EQ(p->crop_rule, "center_half_even");
  ASSERT_EQ(p->images.size(), 2u);
  EXPECT_EQ(p->images[0].source_width, 131);
  EXPECT_EQ(p->images[0].source_height, 97);
  EXPECT_EQ(p->images[1].source_mode, "L");
  EXPECT_EQ(p->mean, config.mean);

  records[1].config.interpolation = image::ResampleFilter::kBilinear;
  auto mixed = MakePreprocessProvenance(records);
  ASSERT_FALSE(mixed.ok());
  EXPECT_NE(mixed.status().message().find("image 1"), std::string::npos) << mixed.status().message();
  EXPECT_NE(PreprocessingKey(MakePreprocessProvenance(records[0].config)),
            PreprocessingKey(MakePreprocessProvenance(records[1].config)));
}

TEST(ProvenanceConverters, TokenizerCountsTruncation) {
  TokenizerInfo info;
  info.kind = TokenizerKind::kClipBpe;
  info.variant = TokenizerVariant::kOpenClip;
  info.vocabulary_sha256 = "ab";
  info.context_length = 77;
  TokenizedBatch batch;
  batch.dropped_tokens = {0, 5, 0};
  batch.lengths = {4, 77, 9};
  batch.invalid_utf8_replaced = {0, 0, 2};
  TokenizerProvenance t = MakeTokenizerProvenance(info, batch);
  EXPECT_EQ(t.variant, TokenizerVariantName(TokenizerVariant::kOpenClip));
  EXPECT_EQ(t.truncated_texts, 1);
  ASSERT_EQ(t.texts.size(), 3u);
  EXPECT_EQ(t.texts[1].dropped_tokens, 5);
  EXPECT_EQ(t.texts[2].invalid_utf8_replaced, 2);
  EXPECT_EQ(t.truncation, "truncate");
}

TEST(ProvenanceConverters, RealTokenizerWhenTheVocabularyIsPresent) {
  const std::string bpe = cliprt::testing::FindTestAsset("bpe_simple_vocab_16e6.txt.gz");
  if (bpe.empty()) GTEST_SKIP() << "bpe_simple_vocab_16e6.txt.gz not found (set CLIPRT_TEST_ASSETS)";
  auto tok = CreateClipBpeTokenizer(bpe, "", TokenizerOptions{});
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  std::string long_text;
  for (int i = 0; i < 100; ++i) long_text += "word ";
  auto batch = (*tok)->Encode(std::vector<std::string>{"a photo of a cat", long_text});
  ASSERT_TRUE(batch.ok());
  TokenizerProvenance t = MakeTokenizerProvenance((*tok)->info(), *batch);
  EXPECT_EQ(t.vocabulary_sha256.size(), 64u);
  EXPECT_EQ(t.context_length, 77);
  EXPECT_EQ(t.texts[0].dropped_tokens, 0);
  EXPECT_GT(t.texts[1].dropped_tokens, 0);
  EXPECT_EQ(t.truncated_texts, 1);
}

}  // namespace
}  // namespace cliprt::api
