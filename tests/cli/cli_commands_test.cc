// The cliprt CLI's data commands on the golden fixtures: info, tokenize,
// preprocess, embed-image, embed-text (values against the reference arrays),
// --help everywhere, and one-line errors with the right exit status.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "common/test_paths.h"
#include "io/sha256.h"

namespace cliprt::cli_test {
namespace {

constexpr double kParity = 1e-5;  // max|ours - ref| <= 1e-5 * max|ref|

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir(); }
  void TearDown() override { RemoveDir(dir_); }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  std::string dir_;
};

std::string SiglipModel() { return Golden("hf_siglip", "model"); }
std::string OpenAiModel() { return Golden("openai_vit_b32", "model.pt"); }

std::string TextsFile(const std::string& path, const std::vector<std::string>& texts,
                      const std::string& eol) {
  std::string contents;
  for (const std::string& t : texts) contents += t + eol;
  WriteFile(path, contents);
  return path;
}

TEST_F(CliTest, HelpForEveryCommandHasAnExample) {
  const CliRun top = RunCli({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  for (const char* command : {"info", "tokenize", "preprocess", "embed-image", "embed-text", "classify",
                              "index", "replay", "bench", "selfcheck", "version"}) {
    const CliRun run = RunCli({command, "--help"});
    EXPECT_EQ(run.exit_code, 0) << command;
    EXPECT_NE(run.out.find("usage: cliprt"), std::string::npos) << command;
    EXPECT_NE(run.out.find("example"), std::string::npos) << command;
    EXPECT_NE(top.out.find(command), std::string::npos) << command << " missing from cliprt --help";
  }
  EXPECT_EQ(RunCli({"version"}).exit_code, 0);
}

TEST_F(CliTest, InfoDescribesTheCheckpoint) {
  const CliRun run = RunCli({"info", Golden("openai_vit_b32", "model.pt"), "--towers", "vision"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const io::JsonValue doc = Json(run.out);
  ASSERT_NE(Get(doc, "summary.family"), nullptr);
  EXPECT_EQ(Get(doc, "summary.family")->string(), "openai-vit");
  EXPECT_EQ(Get(doc, "summary.towers")->array().size(), 1u);
  const io::JsonValue* model = Get(doc, "model");
  ASSERT_NE(model, nullptr);
  EXPECT_TRUE(model->is_object());
  // Identity: every file with its SHA-256.
  const std::string text = run.out;
  EXPECT_NE(text.find("\"sha256\""), std::string::npos);
  EXPECT_NE(text.find("quick_gelu"), std::string::npos);

  const CliRun siglip = RunCli({"info", SiglipModel(), "--towers", "vision", "--no-sha256"});
  ASSERT_EQ(siglip.exit_code, 0) << siglip.err;
  const io::JsonValue sdoc = Json(siglip.out);
  EXPECT_EQ(Get(sdoc, "summary.family")->string(), "hf-siglip");
  EXPECT_EQ(Get(sdoc, "summary.score_rule")->string(), "sigmoid");
  EXPECT_EQ(Get(sdoc, "summary.towers")->array().size(), 1u);

  // Both towers: needs a tokenizer; without the shared vocabulary the load
  // fails with a message, which is also what this checks.
  const std::string vocab = testing::FindTestAsset("bpe_simple_vocab_16e6.txt.gz");
  if (vocab.empty()) GTEST_SKIP() << "bpe_simple_vocab_16e6.txt.gz not found (set CLIPRT_TEST_ASSETS)";
  const CliRun both = RunCli({"info", OpenAiModel(), "--tokenizer", vocab});
  ASSERT_EQ(both.exit_code, 0) << both.err;
  EXPECT_EQ(Get(Json(both.out), "summary.towers")->array().size(), 2u);
  EXPECT_EQ(Get(Json(both.out), "summary.context_length")->int_value(), 77);
}

TEST_F(CliTest, PreprocessGivesTheReferencePixelsBitForBit) {
  // Fixtures record the reference pixels as the SHA-256 of their float32
  // bytes (golden.json "pixels_sha256", shape "pixels_shape").
  for (const char* fixture : {"openai_vit_b32", "hf_siglip"}) {
    const std::string model =
        std::string(fixture) == "hf_siglip" ? SiglipModel() : Golden(fixture, "model.pt");
    std::vector<std::string> args = {"preprocess", model};
    for (const std::string& image : GoldenImages(fixture)) args.push_back(image);
    args.insert(args.end(), {"--out", Path("pixels.npy")});
    const CliRun run = RunCli(args);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const Tensor ours = Npy(Path("pixels.npy"));
    const io::JsonValue golden = Json(ReadFile(Golden(fixture, "golden.json")));
    ASSERT_NE(golden.Find("pixels_sha256"), nullptr) << fixture;
    const auto& shape = golden.Find("pixels_shape")->array();
    ASSERT_EQ(ours.rank(), 4);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(ours.dim(i), shape[static_cast<size_t>(i)].int_value()) << fixture;
    const StatusOr<std::string> sha =
        io::Sha256Hex(static_cast<const uint8_t*>(ours.data()), static_cast<size_t>(ours.numel()) * 4);
    ASSERT_TRUE(sha.ok());
    EXPECT_EQ(*sha, golden.Find("pixels_sha256")->string()) << fixture;
  }
}

TEST_F(CliTest, EmbedImageMatchesTheReferenceFromFilesAndFromPixels) {
  const std::string model = Golden("openai_vit_b32", "model.pt");
  std::vector<std::string> args = {"embed-image", model, "--out", Path("emb.npy"), "--threads", "2"};
  for (const std::string& image : GoldenImages("openai_vit_b32")) args.push_back(image);
  const CliRun run = RunCli(args);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(run.err.empty()) << "no progress output when stderr is not a terminal: " << run.err;
  EXPECT_TRUE(run.out.empty()) << run.out;
  const Tensor ref = Npy(Golden("openai_vit_b32", "image_embeds.npy"));
  const double from_files = RelMaxDiff(Npy(Path("emb.npy")), ref);
  EXPECT_LE(from_files, kParity);

  std::vector<std::string> pre = {"preprocess", model, "--out", Path("pixels.npy")};
  for (const std::string& image : GoldenImages("openai_vit_b32")) pre.push_back(image);
  ASSERT_EQ(RunCli(pre).exit_code, 0);
  const CliRun px = RunCli({"embed-image", model, "--pixels", Path("pixels.npy"), "--out", Path("emb_px.npy"),
                            "--normalize"});
  ASSERT_EQ(px.exit_code, 0) << px.err;
  const Tensor normalized = Npy(Path("emb_px.npy"));
  ASSERT_EQ(normalized.dim(0), ref.dim(0));
  for (int64_t r = 0; r < normalized.dim(0); ++r) {
    double norm = 0, dot = 0, ref_norm = 0;
    for (int64_t c = 0; c < normalized.dim(1); ++c) {
      const double v = normalized.data_as<float>()[r * normalized.dim(1) + c];
      const double w = ref.data_as<float>()[r * ref.dim(1) + c];
      norm += v * v;
      dot += v * w;
      ref_norm += w * w;
    }
    EXPECT_NEAR(norm, 1.0, 1e-5) << "row " << r;
    EXPECT_NEAR(dot / std::sqrt(ref_norm), 1.0, 1e-5) << "row " << r;  // same direction as the reference
  }
  std::printf("embed-image openai_vit_b32 parity: %.3g of max|ref|\n", from_files);
}

TEST_F(CliTest, TextsFileTokenizesAndEmbedsLikeTheReference) {
  const std::string vocab = testing::FindTestAsset("bpe_simple_vocab_16e6.txt.gz");
  if (vocab.empty()) GTEST_SKIP() << "bpe_simple_vocab_16e6.txt.gz not found (set CLIPRT_TEST_ASSETS)";
  // Literal lines: the golden texts include an empty one (row 1 stays row 1)
  // and doubled spaces.
  const std::vector<std::string> texts = GoldenTexts("openai_vit_b32");
  const std::string lf = TextsFile(Path("texts_lf.txt"), texts, "\n");
  // CRLF line ends and a leading byte-order mark give the same texts.
  const std::string crlf = TextsFile(Path("texts_crlf.txt"), texts, "\r\n");
  WriteFile(crlf, "\xEF\xBB\xBF" + ReadFile(crlf));
  const CliRun tok = RunCli({"tokenize", OpenAiModel(), "--tokenizer", vocab, "--texts-file", lf, "--out",
                             Path("ids.npy")});
  ASSERT_EQ(tok.exit_code, 0) << tok.err;
  const Tensor ids = Npy(Path("ids.npy"));
  const Tensor ref_ids = Npy(Golden("openai_vit_b32", "token_ids.npy"));
  ASSERT_TRUE(ids.shape() == ref_ids.shape());
  EXPECT_EQ(std::memcmp(ids.data(), ref_ids.data(), static_cast<size_t>(ref_ids.numel()) * 8), 0);

  const CliRun tok_crlf = RunCli({"tokenize", OpenAiModel(), "--tokenizer", vocab, "--texts-file", crlf,
                                  "--out", Path("ids_crlf.npy")});
  ASSERT_EQ(tok_crlf.exit_code, 0) << tok_crlf.err;
  EXPECT_EQ(ReadFile(Path("ids.npy")), ReadFile(Path("ids_crlf.npy")));

  const CliRun emb = RunCli({"embed-text", OpenAiModel(), "--tokenizer", vocab, "--texts-file", lf, "--out",
                             Path("text.npy")});
  ASSERT_EQ(emb.exit_code, 0) << emb.err;
  const double parity = RelMaxDiff(Npy(Path("text.npy")), Npy(Golden("openai_vit_b32", "text_embeds.npy")));
  EXPECT_LE(parity, kParity);
  std::printf("embed-text openai_vit_b32 parity: %.3g of max|ref|\n", parity);

  // JSON mode: one entry per text (a text starting with '-' after --), full rows.
  const CliRun json = RunCli({"tokenize", OpenAiModel(), "--tokenizer", vocab, "--", texts[0], "-x"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const io::JsonValue doc = Json(json.out);
  ASSERT_NE(doc.Find("texts"), nullptr);
  ASSERT_EQ(doc.Find("texts")->array().size(), 2u);
  const auto& row0 = doc.Find("texts")->array()[0].Find("ids")->array();
  ASSERT_EQ(row0.size(), static_cast<size_t>(ref_ids.dim(1)));
  for (size_t i = 0; i < row0.size(); ++i) EXPECT_EQ(row0[i].int_value(), ref_ids.data_as<int64_t>()[i]);
  EXPECT_EQ(doc.Find("texts")->array()[1].Find("text")->string(), "-x");
  // The long golden text loses ids to truncation, and says how many.
  const CliRun long_text = RunCli({"tokenize", OpenAiModel(), "--tokenizer", vocab, texts[4]});
  ASSERT_EQ(long_text.exit_code, 0) << long_text.err;
  EXPECT_GT(Json(long_text.out).Find("texts")->array()[0].Find("dropped_tokens")->int_value(), 0);
}

TEST_F(CliTest, BadInputsFailWithOneLineNamingTheInput) {
  const std::string model = Golden("openai_vit_b32", "model.pt");
  const auto expect_error = [](const CliRun& run, int code, const std::string& needle) {
    EXPECT_EQ(run.exit_code, code) << run.err;
    EXPECT_NE(run.err.find(needle), std::string::npos) << "stderr: " << run.err;
    EXPECT_EQ(run.err.find('\n'), run.err.size() - 1) << "not one line: " << run.err;
    EXPECT_TRUE(run.out.empty()) << run.out;
  };
  expect_error(RunCli({"embed-image", Path("missing.pt"), GoldenImages("openai_vit_b32")[0], "--out",
                       Path("e.npy")}),
               1, "missing.pt");
  expect_error(RunCli({"embed-image", model, Path("nope.jpg"), "--out", Path("e.npy")}), 1, "nope.jpg");
  WriteFile(Path("broken.jpg"), "not a jpeg at all");
  expect_error(RunCli({"embed-image", model, Path("broken.jpg"), "--out", Path("e.npy")}), 1, "broken.jpg");
  WriteFile(Path("bad.npy"), "\x93NUMPY garbage");
  expect_error(RunCli({"embed-image", model, "--pixels", Path("bad.npy"), "--out", Path("e.npy")}), 1,
               "bad.npy");
  expect_error(RunCli({"embed-text", model, "--texts-file", Path("absent.txt"), "--out", Path("e.npy")}), 1,
               "absent.txt");
  expect_error(RunCli({"embed-image", model, "--frobnicate"}), 2, "--frobnicate");
  expect_error(RunCli({"classify", model, "x.jpg", "--labels", "a,b", "--top", "many"}), 2, "--top");
  expect_error(RunCli({"classify", model, "x.jpg", "--labels", "a,,b"}), 2, "--labels");
  expect_error(RunCli({"embed-image", model, "--pixels", Path("bad.npy")}), 2, "--out");
  expect_error(RunCli({"bench", model, "--precision", "fp64"}), 2, "fp64");
  expect_error(RunCli({"frobnicate"}), 2, "frobnicate");
  EXPECT_FALSE(std::filesystem::exists(Path("e.npy")));
}

}  // namespace
}  // namespace cliprt::cli_test
