// classify, saved results and replay, the retrieval index and bench through
// the CLI. The SigLIP fixture carries its own (committed) tokenizer, so these
// never skip.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "common/test_paths.h"

namespace cliprt::cli_test {
namespace {

class CliResultsTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir(); }
  void TearDown() override { RemoveDir(dir_); }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  std::string dir_;
};

std::string SiglipModel() { return Golden("hf_siglip", "model"); }
std::string OpenAiModel() { return Golden("openai_vit_b32", "model.pt"); }
// Text needs OpenAI's vocabulary (third-party, never committed).
std::string Vocab() { return testing::FindTestAsset("bpe_simple_vocab_16e6.txt.gz"); }
#define REQUIRE_VOCAB()                                                                     \
  if (Vocab().empty()) GTEST_SKIP() << "bpe_simple_vocab_16e6.txt.gz not found (set CLIPRT_TEST_ASSETS)"

std::vector<std::string> ClassifyArgs(const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"classify", OpenAiModel(), "--tokenizer", Vocab()};
  for (const std::string& image : GoldenImages("openai_vit_b32")) args.push_back(image);
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST_F(CliResultsTest, ClassifyReportsLabelsTopKAbstentionSensitivityAndProvenance) {
  REQUIRE_VOCAB();
  const CliRun run = RunCli(ClassifyArgs({"--labels", "cat, dog ,car", "--top", "2", "--threshold", "1.0"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const io::JsonValue doc = Json(run.out);
  ASSERT_NE(doc.Find("images"), nullptr);
  const auto& images = doc.Find("images")->array();
  ASSERT_EQ(images.size(), 3u);
  EXPECT_EQ(doc.Find("labels")->array()[1].string(), "dog");  // trimmed
  for (const io::JsonValue& image : images) {
    const auto& top = image.Find("top_k")->array();
    ASSERT_EQ(top.size(), 2u);
    EXPECT_GE(top[0].Find("logit")->number(), top[1].Find("logit")->number());
    // CLIP: softmax over the labels.
    double sum = 0;
    for (const auto& [label, p] : image.Find("probabilities")->object()) sum += p.number();
    EXPECT_NEAR(sum, 1.0, 1e-5);
    EXPECT_NEAR(image.Find("probabilities")->Find(top[0].Find("label")->string())->number(),
                top[0].Find("probability")->number(), 0);
    EXPECT_TRUE(image.Find("abstained")->bool_value());  // three labels: top-1 < 1.0
    EXPECT_EQ(image.Find("probabilities")->object().size(), 3u);
    const io::JsonValue* sens = image.Find("prompt_sensitivity");
    ASSERT_NE(sens, nullptr);
    EXPECT_EQ(sens->Find("template_top1")->array().size(), 7u);  // default: open_clip's 7 templates
  }
  EXPECT_EQ(Get(doc, "provenance.classification.score_rule")->string(), "softmax");
  EXPECT_EQ(Get(doc, "provenance.classification.templates")->array().size(), 7u);
  EXPECT_EQ(Get(doc, "provenance.model.family")->string(), "openai-vit");

  const CliRun bare = RunCli(ClassifyArgs({"--labels", "cat,dog", "--templates", "none"}));
  ASSERT_EQ(bare.exit_code, 0) << bare.err;
  const io::JsonValue bare_doc = Json(bare.out);
  ASSERT_EQ(Get(bare_doc, "provenance.classification.templates")->array().size(), 1u);
  EXPECT_EQ(Get(bare_doc, "provenance.classification.templates")->array()[0].string(), "{}");
  WriteFile(Path("templates.txt"), "a photo of a {}.\na drawing of a {}.\n");
  const CliRun file = RunCli(ClassifyArgs({"--labels-file", Path("templates.txt"), "--templates",
                                           Path("templates.txt")}));
  EXPECT_EQ(file.exit_code, 0) << file.err;  // labels and templates from files
}

TEST_F(CliResultsTest, ReplayOfASavedClassificationIsIdenticalAndCatchesChangedTemplates) {
  REQUIRE_VOCAB();
  const CliRun first = RunCli(ClassifyArgs({"--labels", "cat,dog,car", "--save-result", Path("r.json")}));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const CliRun replay = RunCli({"replay", Path("r.json"), "--threads", "1"});
  EXPECT_EQ(replay.exit_code, 0) << replay.out << replay.err;
  EXPECT_NE(replay.out.find("identical"), std::string::npos) << replay.out;

  // Another template set, compared with --against: the templates are named.
  const CliRun other = RunCli(ClassifyArgs({"--labels", "cat,dog,car", "--templates", "single",
                                            "--save-result", Path("single.json")}));
  ASSERT_EQ(other.exit_code, 0) << other.err;
  const CliRun against = RunCli({"replay", Path("r.json"), "--against", Path("single.json"), "--json"});
  EXPECT_EQ(against.exit_code, 3) << against.out << against.err;
  EXPECT_NE(against.out.find("classification.templates"), std::string::npos) << against.out;

  // A saved result whose template list was edited no longer reproduces: the
  // recomputation uses the edited templates, the saved values do not match.
  std::string edited = ReadFile(Path("r.json"));
  const size_t at = edited.find("itap of a {}.");  // open_clip's first template
  ASSERT_NE(at, std::string::npos);
  edited.replace(at, 13, "a sketch of a {}.");
  WriteFile(Path("edited.json"), edited);
  const CliRun tampered = RunCli({"replay", Path("edited.json")});
  EXPECT_EQ(tampered.exit_code, 3) << tampered.out << tampered.err;
  EXPECT_NE(tampered.out.find("DIFFERS"), std::string::npos) << tampered.out;
}

TEST_F(CliResultsTest, ReplayOfTextEmbeddings) {
  REQUIRE_VOCAB();
  const CliRun text = RunCli({"embed-text", OpenAiModel(), "--tokenizer", Vocab(), "a cat", "",
                              "--save-result", Path("t.json"), "--provenance", Path("p.json")});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(ReadFile(Path("p.json")).find("\"tokenizer\""), std::string::npos);
  const CliRun t_replay = RunCli({"replay", Path("t.json")});
  EXPECT_EQ(t_replay.exit_code, 0) << t_replay.out << t_replay.err;
  // Other texts than the saved ones: the values differ.
  const CliRun t_other = RunCli({"replay", Path("t.json"), "a dog", ""});
  EXPECT_EQ(t_other.exit_code, 3) << t_other.out << t_other.err;
}

TEST_F(CliResultsTest, ReplayOfImageEmbeddingsFromFilesAndPixels) {

  std::vector<std::string> args = {"embed-image", SiglipModel(), "--save-result", Path("i.json")};
  for (const std::string& image : GoldenImages("hf_siglip")) args.push_back(image);
  ASSERT_EQ(RunCli(args).exit_code, 0);
  const CliRun i_replay = RunCli({"replay", Path("i.json")});
  EXPECT_EQ(i_replay.exit_code, 0) << i_replay.out << i_replay.err;

  std::vector<std::string> pre = {"preprocess", SiglipModel(), "--out", Path("pixels.npy")};
  for (const std::string& image : GoldenImages("hf_siglip")) pre.push_back(image);
  ASSERT_EQ(RunCli(pre).exit_code, 0);
  const CliRun px = RunCli({"embed-image", SiglipModel(), "--pixels", Path("pixels.npy"), "--save-result",
                            Path("px.json"), "--out", Path("px.npy")});
  ASSERT_EQ(px.exit_code, 0) << px.err;
  const CliRun px_replay = RunCli({"replay", Path("px.json")});
  EXPECT_EQ(px_replay.exit_code, 0) << px_replay.out << px_replay.err;
  // The same embeddings, but the provenance says how the pixels came in.
  const CliRun files_vs_pixels = RunCli({"replay", Path("i.json"), "--against", Path("px.json")});
  EXPECT_EQ(files_vs_pixels.exit_code, 3);  // preprocess.images differs (no per-image record for pixels)
}

TEST_F(CliResultsTest, IndexBuildSearchAddAndInfo) {
  const std::vector<std::string> images = GoldenImages("hf_siglip");
  std::vector<std::string> build = {"index", "build", "--model", SiglipModel(), "--out", Path("i.idx")};
  build.insert(build.end(), images.begin(), images.end());
  const CliRun built = RunCli(build);
  ASSERT_EQ(built.exit_code, 0) << built.err;
  EXPECT_EQ(Get(Json(built.out), "entries")->int_value(), 3);

  // Query with the reference image embeddings: each finds itself first.
  const CliRun by_vector = RunCli({"index", "search", Path("i.idx"), "--vector",
                                   Golden("hf_siglip", "image_embeds.npy"), "--k", "2"});
  ASSERT_EQ(by_vector.exit_code, 0) << by_vector.err;
  const io::JsonValue hits = Json(by_vector.out);
  const auto& queries = hits.Find("queries")->array();
  ASSERT_EQ(queries.size(), 3u);
  for (size_t q = 0; q < 3; ++q) {
    const auto& h = queries[q].Find("hits")->array();
    ASSERT_EQ(h.size(), 2u);
    EXPECT_EQ(h[0].Find("id")->string(), std::to_string(q));
    EXPECT_NEAR(h[0].Find("score")->number(), 1.0, 1e-5);
    EXPECT_EQ(h[0].Find("name")->string(), images[q]);
  }
  EXPECT_NE(Get(hits, "provenance.retrieval"), nullptr);

  const CliRun by_image = RunCli({"index", "search", Path("i.idx"), "--model", SiglipModel(), "--image",
                                  images[1], "--k", "3"});
  ASSERT_EQ(by_image.exit_code, 0) << by_image.err;
  EXPECT_EQ(Json(by_image.out).Find("queries")->array()[0].Find("hits")->array()[0].Find("id")->string(), "1");

  const CliRun added = RunCli({"index", "add", Path("i.idx"), "--model", SiglipModel(), images[0]});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  const CliRun info = RunCli({"index", "info", Path("i.idx")});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_EQ(Get(Json(info.out), "entries")->int_value(), 4);
  EXPECT_EQ(Get(Json(info.out), "named_entries")->int_value(), 4);
  EXPECT_EQ(Get(Json(info.out), "identity.dim")->int_value(), Get(Json(info.out), "dim")->int_value());
  EXPECT_EQ(Get(Json(info.out), "identity.checkpoint_sha256")->string().size(), 64u);
  EXPECT_FALSE(Get(Json(info.out), "identity.preprocessing")->string().empty());

  // Images of another checkpoint are refused, and the index is unchanged.
  const CliRun other = RunCli({"index", "add", Path("i.idx"), "--model", OpenAiModel(), images[1]});
  EXPECT_EQ(other.exit_code, 1) << other.out;
  EXPECT_FALSE(other.err.empty());
  EXPECT_EQ(Get(Json(RunCli({"index", "info", Path("i.idx")}).out), "entries")->int_value(), 4);

  // From an embeddings .npy with ids from a text file.
  WriteFile(Path("ids.txt"), "10\n20\n18446744073709551615\n");
  const CliRun from_npy = RunCli({"index", "build", "--embeddings", Golden("hf_siglip", "image_embeds.npy"),
                                  "--ids", Path("ids.txt"), "--out", Path("n.idx")});
  ASSERT_EQ(from_npy.exit_code, 0) << from_npy.err;
  const CliRun top = RunCli({"index", "search", Path("n.idx"), "--vector",
                             Golden("hf_siglip", "image_embeds.npy"), "--k", "1"});
  ASSERT_EQ(top.exit_code, 0) << top.err;
  EXPECT_EQ(Json(top.out).Find("queries")->array()[2].Find("hits")->array()[0].Find("id")->string(),
            "18446744073709551615");
  WriteFile(Path("bad_ids.txt"), "1\nx\n3\n");
  const CliRun bad = RunCli({"index", "build", "--embeddings", Golden("hf_siglip", "image_embeds.npy"),
                             "--ids", Path("bad_ids.txt"), "--out", Path("b.idx")});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("line 2"), std::string::npos) << bad.err;
}

TEST_F(CliResultsTest, IndexSearchByText) {
  REQUIRE_VOCAB();
  const std::vector<std::string> images = GoldenImages("openai_vit_b32");
  std::vector<std::string> build = {"index", "build", "--model", OpenAiModel(), "--out", Path("o.idx")};
  build.insert(build.end(), images.begin(), images.end());
  ASSERT_EQ(RunCli(build).exit_code, 0);
  const CliRun by_text = RunCli({"index", "search", Path("o.idx"), "--model", OpenAiModel(), "--tokenizer",
                                 Vocab(), "--text", "a cat", "--text", "a dog", "--k", "3"});
  ASSERT_EQ(by_text.exit_code, 0) << by_text.err;
  const io::JsonValue doc = Json(by_text.out);
  ASSERT_EQ(doc.Find("queries")->array().size(), 2u);
  EXPECT_EQ(doc.Find("queries")->array()[1].Find("query")->string(), "a dog");
  EXPECT_EQ(doc.Find("queries")->array()[0].Find("hits")->array().size(), 3u);
}

TEST_F(CliResultsTest, BenchReportsThroughputAsJson) {
  const CliRun vision = RunCli({"bench", SiglipModel(), "--towers", "vision", "--batch", "2", "--iters", "2",
                                "--threads", "1"});
  ASSERT_EQ(vision.exit_code, 0) << vision.err;
  const io::JsonValue vdoc = Json(vision.out);
  EXPECT_EQ(Get(vdoc, "batch")->int_value(), 2);
  EXPECT_EQ(Get(vdoc, "threads")->int_value(), 1);
  EXPECT_EQ(Get(vdoc, "image.calls")->int_value(), 2);
  EXPECT_GT(Get(vdoc, "image.images_per_s")->number(), 0);
  EXPECT_GT(Get(vdoc, "image.effective_gflops")->number(), 0);
  EXPECT_TRUE(Get(vdoc, "text")->is_null());
  EXPECT_GT(Get(vdoc, "peak_rss_mib")->number(), 0);
  EXPECT_GE(Get(vdoc, "load_s")->number(), 0);

  REQUIRE_VOCAB();
  const CliRun run = RunCli({"bench", OpenAiModel(), "--tokenizer", Vocab(), "--batch", "2",
                             "--iters", "2", "--threads", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const io::JsonValue doc = Json(run.out);
  EXPECT_GT(Get(doc, "image.images_per_s")->number(), 0);
  EXPECT_GT(Get(doc, "text.texts_per_s")->number(), 0);
  EXPECT_GT(Get(doc, "text.effective_gflops")->number(), 0);
  // "a photo of a dog playing with a ball": start + 9 words + end of text.
  EXPECT_EQ(Get(doc, "text.positions")->int_value(), 11);
}

}  // namespace
}  // namespace cliprt::cli_test
