// Zero-shot classifier against open_clip 3.3.0's build_zero_shot_classifier
// and the zero-shot eval scoring (tools/fixtures/api_zero_shot_goldens.py).
#include "api/zero_shot_classifier.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "api/templates.h"
#include "common/test_paths.h"
#include "io/json.h"
#include "io/npy.h"

namespace cliprt::api {
namespace {

struct Golden {
  std::vector<std::string> labels, templates, prompts;
  float scale = 0, bias = 0;
  Tensor text, image, classifier;
  Tensor softmax_logits, softmax_probs, sigmoid_logits, sigmoid_probs;
  Tensor template_softmax_probs, template_sigmoid_probs;
};

std::string Dir() { return testing::TestDataDir() + "/api/zero_shot/"; }

Tensor Npy(const std::string& name) {
  auto t = io::ReadNpy(Dir() + name);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? std::move(t).value() : Tensor();
}

std::vector<std::string> Strings(const io::JsonValue& root, const char* key) {
  std::vector<std::string> out;
  for (const auto& v : root.Find(key)->array()) out.push_back(v.string());
  return out;
}

Golden LoadGolden() {
  Golden g;
  std::ifstream in(Dir() + "golden.json");
  std::stringstream ss;
  ss << in.rdbuf();
  auto root = io::ParseJson(ss.str(), "golden.json");
  EXPECT_TRUE(root.ok()) << root.status().ToString();
  if (!root.ok()) return g;
  g.labels = Strings(*root, "labels");
  g.templates = Strings(*root, "templates");
  g.prompts = Strings(*root, "prompts");
  g.scale = static_cast<float>(root->Find("logit_scale")->number());
  g.bias = static_cast<float>(root->Find("logit_bias")->number());
  g.text = Npy("text_embeds.npy");
  g.image = Npy("image_embeds.npy");
  g.classifier = Npy("classifier.npy");
  g.softmax_logits = Npy("softmax_logits.npy");
  g.softmax_probs = Npy("softmax_probs.npy");
  g.sigmoid_logits = Npy("sigmoid_logits.npy");
  g.sigmoid_probs = Npy("sigmoid_probs.npy");
  g.template_softmax_probs = Npy("template_softmax_probs.npy");
  g.template_sigmoid_probs = Npy("template_sigmoid_probs.npy");
  return g;
}

std::span<const float> Floats(const Tensor& t) {
  return {t.data_as<float>(), static_cast<size_t>(t.numel())};
}

ClassifyOptions Opts(int top_k, std::optional<float> threshold = std::nullopt) {
  ClassifyOptions o;
  o.top_k = top_k;
  o.threshold = threshold;
  return o;
}

float MaxAbs(std::span<const float> v) {
  float m = 0;
  for (float x : v) m = std::max(m, std::fabs(x));
  return m;
}

class ZeroShotGolden : public ::testing::Test {
 protected:
  void SetUp() override {
    g_ = LoadGolden();
    ASSERT_EQ(g_.labels.size(), 4u);
    ASSERT_EQ(g_.templates.size(), 7u);
    dim_ = g_.text.shape()[1];
  }
  ZeroShotClassifier Build(ScoreRule rule, std::optional<float> bias) {
    auto z = ZeroShotClassifier::Build(g_.labels, g_.templates, Floats(g_.text), dim_, rule, g_.scale, bias);
    EXPECT_TRUE(z.ok()) << z.status().ToString();
    return std::move(z).value();
  }
  Golden g_;
  int64_t dim_ = 0;
};

TEST_F(ZeroShotGolden, PromptsInOpenClipOrder) {
  auto prompts = ExpandPrompts(g_.labels, g_.templates);
  ASSERT_TRUE(prompts.ok()) << prompts.status().ToString();
  EXPECT_EQ(*prompts, g_.prompts);
}

TEST_F(ZeroShotGolden, ClassWeightsMatchBuildZeroShotClassifier) {
  ZeroShotClassifier z = Build(ScoreRule::kSoftmax, std::nullopt);
  const int64_t c_count = z.num_labels();
  ASSERT_EQ(g_.classifier.shape()[0], dim_);
  ASSERT_EQ(g_.classifier.shape()[1], c_count);
  const float* ref = g_.classifier.data_as<float>();  // [E, C]
  double worst = 0;
  for (int64_t c = 0; c < c_count; ++c) {
    for (int64_t e = 0; e < dim_; ++e) {
      worst = std::max(worst, std::fabs(double(z.class_weights()[c * dim_ + e]) - ref[e * c_count + c]));
    }
  }
  std::printf("[parity] max |class weight - build_zero_shot_classifier| = %.3g\n", worst);
  EXPECT_LE(worst, 1e-6);
}

void ExpectScores(const std::vector<ImageClassification>& got, const Tensor& logits, const Tensor& probs,
                  const Tensor& template_probs, int64_t templates) {
  const int64_t n = logits.shape()[0], c_count = logits.shape()[1];
  ASSERT_EQ(static_cast<int64_t>(got.size()), n);
  const float logit_tol = 1e-6f * MaxAbs(Floats(logits));
  const float* rl = logits.data_as<float>();
  const float* rp = probs.data_as<float>();
  const float* tp = template_probs.data_as<float>();  // [T, N, C]
  double worst_logit = 0, worst_prob = 0;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t c = 0; c < c_count; ++c) {
      worst_logit = std::max(worst_logit, std::fabs(double(got[i].logits[c]) - rl[i * c_count + c]));
      worst_prob = std::max(worst_prob, std::fabs(double(got[i].probabilities[c]) - rp[i * c_count + c]));
    }
  }
  std::printf("[parity] max |logit - ref| = %.3g (max |ref| %.3g), max |prob - ref| = %.3g\n", worst_logit,
              double(MaxAbs(Floats(logits))), worst_prob);
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t c = 0; c < c_count; ++c) {
      EXPECT_NEAR(got[i].logits[c], rl[i * c_count + c], logit_tol) << "image " << i << " label " << c;
      EXPECT_NEAR(got[i].probabilities[c], rp[i * c_count + c], 1e-6) << "image " << i << " label " << c;
    }
    // Reference top-1 (ties cannot decide here: the fixture's logits differ).
    int32_t ref_top = 0;
    for (int64_t c = 1; c < c_count; ++c) {
      if (rl[i * c_count + c] > rl[i * c_count + ref_top]) ref_top = static_cast<int32_t>(c);
    }
    ASSERT_FALSE(got[i].top_k.empty());
    EXPECT_EQ(got[i].top_k[0].label, ref_top) << "image " << i;
    const PromptSensitivity& s = got[i].sensitivity;
    ASSERT_EQ(static_cast<int64_t>(s.template_top1.size()), templates);
    int agree = 0;
    float mn = 2, mx = -1;
    for (int64_t t = 0; t < templates; ++t) {
      const float* row = tp + (t * n + i) * c_count;
      int32_t best = 0;
      for (int64_t c = 1; c < c_count; ++c) {
        if (row[c] > row[best]) best = static_cast<int32_t>(c);
      }
      // Saturated probabilities (1.0f) can tie in the reference; then only
      // require that ours is one of the tied maxima.
      EXPECT_EQ(row[s.template_top1[t]], row[best]) << "image " << i << " template " << t;
      EXPECT_NEAR(s.template_top_class_prob[t], row[ref_top], 1e-6) << "image " << i << " template " << t;
      agree += s.template_top1[t] == ref_top;
      mn = std::min(mn, row[ref_top]);
      mx = std::max(mx, row[ref_top]);
    }
    EXPECT_FLOAT_EQ(s.agreement_rate, float(agree) / float(templates));
    EXPECT_NEAR(s.spread, mx - mn, 2e-6);
  }
}

TEST_F(ZeroShotGolden, SoftmaxMatchesReference) {
  ZeroShotClassifier z = Build(ScoreRule::kSoftmax, std::nullopt);
  auto got = z.Classify(Floats(g_.image), g_.image.shape()[0], Opts(3));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectScores(*got, g_.softmax_logits, g_.softmax_probs, g_.template_softmax_probs, z.num_templates());
  // The fixture is built so that wording changes the answer for some image.
  bool some_disagreement = false;
  for (const auto& r : *got) some_disagreement |= r.sensitivity.agreement_rate < 1.0f;
  EXPECT_TRUE(some_disagreement);
}

TEST_F(ZeroShotGolden, SigmoidWithBiasMatchesReference) {
  ZeroShotClassifier z = Build(ScoreRule::kSigmoid, g_.bias);
  auto got = z.Classify(Floats(g_.image), g_.image.shape()[0], Opts(4));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectScores(*got, g_.sigmoid_logits, g_.sigmoid_probs, g_.template_sigmoid_probs, z.num_templates());
}

TEST_F(ZeroShotGolden, TopKOrderThresholdAndThreadInvariance) {
  ZeroShotClassifier z = Build(ScoreRule::kSoftmax, std::nullopt);
  const int64_t n = g_.image.shape()[0];
  auto serial = z.Classify(Floats(g_.image), n, Opts(10, 0.995f));
  ASSERT_TRUE(serial.ok());
  for (const auto& r : *serial) {
    ASSERT_EQ(r.top_k.size(), 4u);  // clamped to the label count
    for (size_t i = 1; i < r.top_k.size(); ++i) EXPECT_GE(r.top_k[i - 1].logit, r.top_k[i].logit);
    EXPECT_EQ(r.abstained, r.top_k[0].probability < 0.995f);
  }
  bool any_abstained = false;
  for (const auto& r : *serial) any_abstained |= r.abstained;
  EXPECT_TRUE(any_abstained);  // image 1's top probability is ~0.991
  auto pool = ThreadPool::Create(3);
  ASSERT_TRUE(pool.ok());
  auto threaded = z.Classify(Floats(g_.image), n, Opts(10, 0.995f), pool->get());
  ASSERT_TRUE(threaded.ok());
  EXPECT_EQ(*serial, *threaded);
  ClassificationInfo info = z.Info(Opts(10, 0.995f), *serial);
  EXPECT_EQ(info.top_k, 4);
  EXPECT_EQ(info.score_rule, "softmax");
  EXPECT_EQ(info.abstained.size(), static_cast<size_t>(n));
  EXPECT_EQ(info.templates, g_.templates);
}

TEST_F(ZeroShotGolden, UnnormalizedScaleDoesNotMatter) {
  ZeroShotClassifier z = Build(ScoreRule::kSoftmax, std::nullopt);
  std::vector<float> one(Floats(g_.image).begin() + dim_, Floats(g_.image).begin() + 2 * dim_);
  std::vector<float> scaled = one;
  for (float& v : scaled) v *= 1024.0f;  // power of two: normalization gives the same bits
  auto a = z.Classify(one, 1, {});
  auto b = z.Classify(scaled, 1, {});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
}

TEST(ZeroShotClassifier, BadArgumentsAreErrors) {
  const std::vector<float> emb(2 * 1 * 4, 1.0f);
  auto ok = ZeroShotClassifier::Build({"a", "b"}, {"{}"}, emb, 4, ScoreRule::kSoftmax, 100, std::nullopt);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();

  auto no_labels = ZeroShotClassifier::Build({}, {"{}"}, {}, 4, ScoreRule::kSoftmax, 100, std::nullopt);
  EXPECT_NE(no_labels.status().message().find("no labels"), std::string::npos) << no_labels.status().message();
  auto no_field = ZeroShotClassifier::Build({"a", "b"}, {"a photo"}, emb, 4, ScoreRule::kSoftmax, 100, std::nullopt);
  EXPECT_NE(no_field.status().message().find("no \"{}\""), std::string::npos) << no_field.status().message();
  auto wrong_dim = ZeroShotClassifier::Build({"a", "b"}, {"{}"}, emb, 3, ScoreRule::kSoftmax, 100, std::nullopt);
  EXPECT_EQ(wrong_dim.status().code(), StatusCode::kInvalidArgument);
  auto zero_dim = ZeroShotClassifier::Build({"a", "b"}, {"{}"}, {}, 0, ScoreRule::kSoftmax, 100, std::nullopt);
  EXPECT_EQ(zero_dim.status().code(), StatusCode::kInvalidArgument);
  auto bad_scale = ZeroShotClassifier::Build({"a", "b"}, {"{}"}, emb, 4, ScoreRule::kSoftmax, 0, std::nullopt);
  EXPECT_EQ(bad_scale.status().code(), StatusCode::kInvalidArgument);
  auto empty_label = ZeroShotClassifier::Build({"a", ""}, {"{}"}, emb, 4, ScoreRule::kSoftmax, 100, std::nullopt);
  EXPECT_NE(empty_label.status().message().find("label 1 is empty"), std::string::npos);
  std::vector<float> zero_row = emb;
  std::fill(zero_row.begin() + 4, zero_row.end(), 0.0f);
  auto zero = ZeroShotClassifier::Build({"a", "b"}, {"{}"}, zero_row, 4, ScoreRule::kSoftmax, 100, std::nullopt);
  EXPECT_NE(zero.status().message().find("label 1 (\"b\"), template 0"), std::string::npos) << zero.status().message();

  const std::vector<float> img(4, 0.5f);
  EXPECT_EQ(ok->Classify(img, 2, {}).status().code(), StatusCode::kInvalidArgument);  // 4 floats != 2 x 4
  EXPECT_EQ(ok->Classify(std::vector<float>(3, 1.0f), 1, {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ok->Classify(img, 0, {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ok->Classify(img, 1, Opts(0)).status().code(), StatusCode::kInvalidArgument);
  std::vector<float> nan_img = img;
  nan_img[2] = NAN;
  EXPECT_EQ(ok->Classify(nan_img, 1, {}).status().code(), StatusCode::kInvalidArgument);
}

TEST(ZeroShotClassifier, EqualLogitsRankLowerLabelFirst) {
  // Two labels with the same text embedding tie exactly.
  const std::vector<float> emb = {1, 0, 1, 0, 0, 1};
  auto z = ZeroShotClassifier::Build({"x", "y", "z"}, {"{}"}, emb, 2, ScoreRule::kSoftmax, 10, std::nullopt);
  ASSERT_TRUE(z.ok());
  auto r = z->Classify(std::vector<float>{1, 0}, 1, Opts(3));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].top_k[0].label, 0);
  EXPECT_EQ((*r)[0].top_k[1].label, 1);
  EXPECT_EQ((*r)[0].top_k[2].label, 2);
  EXPECT_FLOAT_EQ((*r)[0].probabilities[0], (*r)[0].probabilities[1]);
}

}  // namespace
}  // namespace cliprt::api
