// The demo model end to end through the API, as `cliprt classify` runs it:
// models/demo loaded as shipped (its own vocabulary, the open_clip preset),
// each label set's classifier built from labels × templates, the evaluation
// images classified from their files. tools/demo/evaluate_demo.py recorded
// open_clip's build_zero_shot_classifier predictions and probabilities for the
// same 24 held-out images; the predictions must be identical and the
// probabilities within 1e-5.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "api/loaded_model.h"
#include "common/test_paths.h"
#include "io/json.h"

namespace cliprt {
namespace {

namespace fs = std::filesystem;

io::JsonValue LoadGolden() {
  const fs::path path = fs::path(testing::TestDataDir()) / "golden" / "demo_eval" / "golden.json";
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return io::ParseJson(text, path.string()).value();
}

std::vector<std::string> Strings(const io::JsonValue& array) {
  std::vector<std::string> out;
  for (const io::JsonValue& v : array.array()) out.push_back(v.string());
  return out;
}

TEST(DemoModelTest, ReproducesTheReferenceZeroShotPredictionsOnTheEvaluationSubset) {
  const io::JsonValue golden = LoadGolden();
  api::ModelLoadOptions options;
  options.path = (fs::path(testing::TestDataDir()).parent_path().parent_path() / "models" / "demo").string();
  options.threads = 2;
  auto model = api::LoadedModel::Load(options);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ((*model)->identity().name, "cliprt/demo-shapes") << "the shipped manifest names the demo model";

  std::vector<std::string> files;
  for (const std::string& image : Strings(*golden.Find("images"))) {
    files.push_back((fs::path(testing::TestDataDir()) / image).string());
  }
  auto images = (*model)->EncodeImageFiles(files, false);
  ASSERT_TRUE(images.ok()) << images.status().ToString();

  const io::JsonValue& label_sets = *golden.Find("zero_shot")->Find("label_sets");
  ASSERT_EQ(label_sets.array().size(), 3u);
  for (const io::JsonValue& set : label_sets.array()) {
    const std::string name = set.Find("name")->string();
    const std::vector<std::string> labels = Strings(*set.Find("labels"));
    auto classifier = (*model)->BuildClassifier(labels, Strings(*set.Find("templates")));
    ASSERT_TRUE(classifier.ok()) << name << ": " << classifier.status().ToString();
    api::ClassifyOptions classify;
    classify.top_k = 1;
    auto result = (*model)->Classify(*classifier, *images, classify);
    ASSERT_TRUE(result.ok()) << name << ": " << result.status().ToString();
    const auto& predicted = set.Find("predicted")->array();
    const auto& probs = set.Find("probs")->array();
    ASSERT_EQ(result->images.size(), predicted.size()) << name;
    double max_diff = 0;
    for (size_t i = 0; i < predicted.size(); ++i) {
      const api::ImageClassification& ours = result->images[i];
      EXPECT_EQ(labels[static_cast<size_t>(ours.top_k[0].label)], predicted[i].string())
          << name << ", image " << i << " (" << files[i] << ")";
      for (size_t c = 0; c < labels.size(); ++c) {
        max_diff = std::max(max_diff, std::fabs(static_cast<double>(ours.probabilities[c]) -
                                                probs[i].array()[c].number()));
      }
    }
    EXPECT_LE(max_diff, 1e-5) << name << ": max probability difference";
    std::cout << name << ": " << predicted.size() << " predictions identical, max |Δp| " << max_diff << "\n";
  }
}

}  // namespace
}  // namespace cliprt
