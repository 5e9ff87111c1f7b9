// Checkpoint -> tokenizer: the committed io fixtures (HF CLIP / SigLIP
// folders, OpenAI TorchScript, open_clip folders) loaded for real, and
// handmade tokenizer folders in a temporary directory.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/test_paths.h"
#include "io/checkpoint.h"
#include "io/json.h"
#include "tokenizer/bpe_vocabulary.h"
#include "tokenizer/checkpoint_tokenizer.h"
#include "tokenizer/utf8.h"
#include "tokenizer_test_util.h"

namespace cliprt {
namespace {

namespace fs = std::filesystem;

std::string BpePath() { return testing::FindTestAsset("bpe_simple_vocab_16e6.txt.gz"); }
std::string SpmPath() { return testing::TestDataDir() + "/tokenizer/siglip_test.model"; }
std::string IoFixture(const std::string& name) { return testing::TestDataDir() + "/io/" + name; }

#define REQUIRE_BPE()                                                                  \
  if (BpePath().empty()) GTEST_SKIP() << "bpe_simple_vocab_16e6.txt.gz not found in " \
                                      << testing::TestAssetsDir();

io::Checkpoint Load(const std::string& path) {
  io::LoadOptions o;
  o.compute_sha256 = false;
  o.towers = io::Towers::kText;
  auto ck = io::LoadCheckpoint(path, o);
  EXPECT_TRUE(ck.ok()) << path << ": " << ck.status().ToString();
  return ck.ok() ? std::move(ck).value() : io::Checkpoint();
}

bool Has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/cliprt_ckpt_tok_XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string Write(const std::string& name, const std::string& content) const {
    std::string p = path_ + "/" + name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

 private:
  std::string path_;
};

// A small CLIP BPE vocabulary in HF format, like the demo model's: the 512
// byte symbols, a few merges, the two specials.
struct SmallVocab {
  std::string vocab_json, merges_txt;
  int32_t size = 0;
};
SmallVocab MakeSmallVocab() {
  std::vector<std::string> symbols;
  for (int eow = 0; eow < 2; ++eow) {
    for (int b = 0; b < 256; ++b) {
      symbols.push_back(EncodeUtf8(CodePoints(1, static_cast<char32_t>(BpeVocabulary::ByteToUnicode(static_cast<uint8_t>(b))))) +
                        (eow ? "</w>" : ""));
    }
  }
  const std::vector<std::pair<std::string, std::string>> merges = {
      {"c", "a"}, {"ca", "t</w>"}, {"d", "o"}, {"do", "g</w>"}, {"p", "h"}, {"o", "t"}, {"ph", "ot"}, {"phot", "o</w>"}};
  SmallVocab v;
  v.merges_txt = "#version: 0.2\n";
  for (const auto& [a, b] : merges) {
    symbols.push_back(a + b);
    v.merges_txt += a + " " + b + "\n";
  }
  symbols.push_back("<|startoftext|>");
  symbols.push_back("<|endoftext|>");
  v.vocab_json = "{";
  for (size_t i = 0; i < symbols.size(); ++i) {
    if (i > 0) v.vocab_json += ',';
    v.vocab_json += io::JsonQuote(symbols[i]);
    v.vocab_json += ':';
    v.vocab_json += std::to_string(i);
  }
  v.vocab_json += "}";
  v.size = static_cast<int32_t>(symbols.size());
  return v;
}

int32_t SmallId(const std::string& symbol, const SmallVocab& v) {
  auto voc = BpeVocabulary::FromHfBytes(v.vocab_json, v.merges_txt, {});
  return voc.ok() ? voc->Find(symbol) : -2;
}

TEST(CheckpointTokenizer, OpenAiCheckpointNeedsTheMergesFile) {
  for (const char* name : {"openai_vit_jit.pt", "openai_rn_jit.pt", "openai_vit_state_dict.pt"}) {
    io::Checkpoint ck = Load(IoFixture(name));
    auto choice = ChooseTokenizerForCheckpoint(ck, "", TruncationPolicy::kTruncate);
    ASSERT_FALSE(choice.ok()) << name;
    EXPECT_EQ(choice.status().code(), StatusCode::kNotFound);
    EXPECT_TRUE(Has(choice.status().message(), "OpenAI checkpoints carry no vocabulary: pass --tokenizer "
                                               "path/to/bpe_simple_vocab_16e6.txt.gz"))
        << choice.status().message();
  }
}

TEST(CheckpointTokenizer, OpenAiWithMergesFileChecksTheVocabularySize) {
  REQUIRE_BPE();
  io::Checkpoint ck = Load(IoFixture("openai_vit_jit.pt"));
  auto choice = ChooseTokenizerForCheckpoint(ck, BpePath(), TruncationPolicy::kStrict);
  ASSERT_TRUE(choice.ok()) << choice.status().ToString();
  EXPECT_EQ(choice->options.variant, TokenizerVariant::kOpenAiClip);
  EXPECT_EQ(choice->options.context_length, 16);  // the fixture's position embeddings
  EXPECT_EQ(choice->options.truncation, TruncationPolicy::kStrict);
  EXPECT_EQ(choice->primary_file, BpePath());
  EXPECT_TRUE(Has(choice->reason, "family openai-vit")) << choice->reason;
  // The fixture's token embedding has 256 rows; the real vocabulary 49408.
  auto tok = CreateTokenizer(*choice);
  ASSERT_FALSE(tok.ok());
  EXPECT_EQ(tok.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Has(tok.status().message(), "49408 entries")) << tok.status().message();
  EXPECT_TRUE(Has(tok.status().message(), "256 rows")) << tok.status().message();
  // With a full-size tower it loads and encodes like clip.tokenize.
  ck.config.text.vocab_size = 49408;
  auto ok = CreateTokenizerForCheckpoint(ck, BpePath(), TruncationPolicy::kTruncate);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ((*ok)->info().variant, TokenizerVariant::kOpenAiClip);
  EXPECT_EQ((*ok)->context_length(), 16);
  EXPECT_TRUE(Has((*ok)->info().ToString(), "reason=")) << (*ok)->info().ToString();
  auto batch = (*ok)->Encode(std::vector<std::string>{"a photo of a cat"});
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->ids.dim(1), 16);
  EXPECT_EQ(batch->ids.data_as<int64_t>()[0], 49406);
  EXPECT_EQ(batch->ids.data_as<int64_t>()[6], 49407);
  EXPECT_EQ(batch->ids.data_as<int64_t>()[7], 0);
}

TEST(CheckpointTokenizer, OpenClipFoldersFollowTheirConfig) {
  for (const char* name : {"open_clip_vit", "open_clip_custom_text", "open_clip_vit_quickgelu_bin"}) {
    io::Checkpoint ck = Load(IoFixture(name));
    auto choice = ChooseTokenizerForCheckpoint(ck, "", TruncationPolicy::kTruncate);
    ASSERT_FALSE(choice.ok()) << name;
    EXPECT_EQ(choice.status().code(), StatusCode::kNotFound);
    EXPECT_TRUE(Has(choice.status().message(), "pass --tokenizer path/to/bpe_simple_vocab_16e6.txt.gz"))
        << choice.status().message();
  }
  REQUIRE_BPE();
  io::Checkpoint ck = Load(IoFixture("open_clip_vit"));
  auto choice = ChooseTokenizerForCheckpoint(ck, BpePath(), TruncationPolicy::kTruncate);
  ASSERT_TRUE(choice.ok()) << choice.status().ToString();
  EXPECT_EQ(choice->options.variant, TokenizerVariant::kOpenClip);
  EXPECT_TRUE(Has(choice->reason, "SimpleTokenizer clean=lower")) << choice->reason;
  ck.config.text.tokenizer_clean = "canonicalize";
  choice = ChooseTokenizerForCheckpoint(ck, BpePath(), TruncationPolicy::kTruncate);
  ASSERT_TRUE(choice.ok());
  EXPECT_EQ(choice->options.variant, TokenizerVariant::kOpenClipCanonicalize);
  ck.config.text.tokenizer_clean = "shout";
  EXPECT_EQ(ChooseTokenizerForCheckpoint(ck, BpePath(), TruncationPolicy::kTruncate).status().code(),
            StatusCode::kInvalidArgument);
  ck.config.text.tokenizer_clean = "";
  ck.config.text.tokenizer = "hf:xlm-roberta-base";
  EXPECT_EQ(ChooseTokenizerForCheckpoint(ck, BpePath(), TruncationPolicy::kTruncate).status().code(),
            StatusCode::kUnsupported);
}

TEST(CheckpointTokenizer, OpenClipSiglipNeedsItsSentencePieceModel) {
  io::Checkpoint ck = Load(IoFixture("open_clip_siglip"));
  auto choice = ChooseTokenizerForCheckpoint(ck, "", TruncationPolicy::kTruncate);
  ASSERT_FALSE(choice.ok());
  EXPECT_TRUE(Has(choice.status().message(), "pass --tokenizer path/to/spiece.model of timm/ViT-B-16-SigLIP"))
      << choice.status().message();
  choice = ChooseTokenizerForCheckpoint(ck, SpmPath(), TruncationPolicy::kTruncate);
  ASSERT_TRUE(choice.ok()) << choice.status().ToString();
  EXPECT_EQ(choice->options.variant, TokenizerVariant::kOpenClipSiglip);
  EXPECT_EQ(choice->options.context_length, 16);
  auto tok = CreateTokenizer(*choice);  // 400 pieces vs 256 rows
  ASSERT_FALSE(tok.ok());
  EXPECT_TRUE(Has(tok.status().message(), "400 entries")) << tok.status().message();
  ck.config.text.vocab_size = 400;
  auto ok = CreateTokenizerForCheckpoint(ck, SpmPath(), TruncationPolicy::kTruncate);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ((*ok)->info().eos_id, 1);
  EXPECT_EQ((*ok)->info().pad_id, 1);
  EXPECT_EQ((*ok)->info().bos_id, -1);
  // A BPE vocabulary is the wrong kind for SigLIP.
  if (!BpePath().empty()) {
    EXPECT_EQ(ChooseTokenizerForCheckpoint(ck, BpePath(), TruncationPolicy::kTruncate).status().code(),
              StatusCode::kInvalidArgument);
  }
}

TEST(CheckpointTokenizer, HfSiglipFolderReadsSpieceModelAndPadToken) {
  io::Checkpoint ck = Load(IoFixture("hf_siglip"));
  EXPECT_EQ(ChooseTokenizerForCheckpoint(ck, "", TruncationPolicy::kTruncate).status().code(),
            StatusCode::kNotFound);
  TempDir dir;
  fs::copy_file(SpmPath(), dir.path() + "/spiece.model");
  ck.config.text.vocab_size = 400;
  auto tok = CreateTokenizerForCheckpoint(ck, dir.path(), TruncationPolicy::kTruncate);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  EXPECT_EQ((*tok)->info().variant, TokenizerVariant::kHfSiglip);
  EXPECT_EQ((*tok)->info().pad_id, 1);
  // As found beside the weights, with a tokenizer_config.json naming "<pad>"
  // (SigLIP2-style pad 0) and the class.
  ck.located.spiece_model = dir.path() + "/spiece.model";
  ck.located.config = dir.path() + "/config.json";
  dir.Write("tokenizer_config.json", R"({"tokenizer_class": "SiglipTokenizer", "pad_token": "<pad>"})");
  tok = CreateTokenizerForCheckpoint(ck, "", TruncationPolicy::kTruncate);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  EXPECT_EQ((*tok)->info().pad_id, 0);
  EXPECT_EQ((*tok)->info().eos_id, 1);
  EXPECT_TRUE(Has((*tok)->info().selection_reason, "beside the weights")) << (*tok)->info().selection_reason;
  auto batch = (*tok)->Encode(std::vector<std::string>{"a"});
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->ids.data_as<int64_t>()[15], 0);
  // A Gemma tokenizer class means SigLIP2 (Siglip2Tokenizer), which adds no BOS.
  dir.Write("tokenizer_config.json", R"({"tokenizer_class": "GemmaTokenizerFast", "add_bos_token": true})");
  auto bos = ChooseTokenizerForCheckpoint(ck, "", TruncationPolicy::kTruncate);
  EXPECT_EQ(bos.status().code(), StatusCode::kUnsupported);
  EXPECT_TRUE(Has(bos.status().message(), "add_bos_token=true")) << bos.status().message();
  dir.Write("tokenizer_config.json", R"({"tokenizer_class": "XLMRobertaTokenizer"})");
  EXPECT_EQ(ChooseTokenizerForCheckpoint(ck, "", TruncationPolicy::kTruncate).status().code(),
            StatusCode::kUnsupported);
}

std::string GemmaPath() { return testing::TestDataDir() + "/tokenizer/gemma_test.model"; }

TEST(CheckpointTokenizer, Siglip2FoldersChooseTheGemmaVariants) {
  // HF: tokenizer.model + tokenizer_config.json (GemmaTokenizer, as the
  // google/siglip2-* hub files) beside the weights.
  io::Checkpoint ck = Load(IoFixture("hf_siglip"));
  TempDir dir;
  fs::copy_file(GemmaPath(), dir.path() + "/tokenizer.model");
  dir.Write("tokenizer_config.json",
            R"({"tokenizer_class": "GemmaTokenizer", "add_bos_token": false, "add_eos_token": false,
                "pad_token": "<pad>"})");
  ck.located.config = dir.path() + "/config.json";
  ck.config.text.vocab_size = 1000;
  // A model_type "siglip" folder declaring GemmaTokenizer: transformers'
  // AutoTokenizer loads GemmaTokenizer, which does not lowercase.
  auto tok = CreateTokenizerForCheckpoint(ck, "", TruncationPolicy::kTruncate);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  EXPECT_EQ((*tok)->info().variant, TokenizerVariant::kHfGemma);
  EXPECT_FALSE((*tok)->info().eos_appended);
  EXPECT_EQ((*tok)->info().pad_id, 0);
  EXPECT_TRUE(Has((*tok)->info().selection_reason, "GemmaTokenizer")) << (*tok)->info().selection_reason;
  auto cased = (*tok)->Encode(std::vector<std::string>{"A Cat", "a cat"});
  ASSERT_TRUE(cased.ok());
  EXPECT_NE(cased->lengths[0], 2);  // "A Cat" is not "a", "▁cat"
  EXPECT_EQ(cased->lengths[1], 2);
  // Declaring Siglip2Tokenizer: lowercased as SigLIP2 was trained.
  dir.Write("tokenizer_config.json",
            R"({"tokenizer_class": "Siglip2Tokenizer", "add_bos_token": false, "add_eos_token": false,
                "pad_token": "<pad>"})");
  tok = CreateTokenizerForCheckpoint(ck, "", TruncationPolicy::kTruncate);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  EXPECT_EQ((*tok)->info().variant, TokenizerVariant::kHfSiglip2);
  EXPECT_TRUE(Has((*tok)->info().selection_reason, "Siglip2Tokenizer")) << (*tok)->info().selection_reason;
  auto batch = (*tok)->Encode(std::vector<std::string>{"A Cat"});
  ASSERT_TRUE(batch.ok());
  EXPECT_NE(batch->ids.data_as<int64_t>()[0], 0);
  EXPECT_EQ(batch->lengths[0], 2);  // "a", "▁cat": lowercased, no end token
  // add_eos_token true: the end token is appended (and kept on truncation).
  dir.Write("tokenizer_config.json", R"({"tokenizer_class": "GemmaTokenizer", "add_eos_token": true})");
  tok = CreateTokenizerForCheckpoint(ck, dir.path(), TruncationPolicy::kTruncate);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  EXPECT_TRUE((*tok)->info().eos_appended);
  batch = (*tok)->Encode(std::vector<std::string>{std::string(200, 'x')});
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->ids.data_as<int64_t>()[(*tok)->context_length() - 1], 1);

  // open_clip: hf_tokenizer_name timm/ViT-*-SigLIP2 names the Gemma tokenizer.
  io::Checkpoint oc = Load(IoFixture("open_clip_siglip"));
  oc.config.text.tokenizer = "hf:timm/ViT-B-16-SigLIP2";
  oc.config.text.vocab_size = 1000;
  auto choice = ChooseTokenizerForCheckpoint(oc, GemmaPath(), TruncationPolicy::kTruncate);
  ASSERT_TRUE(choice.ok()) << choice.status().ToString();
  EXPECT_EQ(choice->options.variant, TokenizerVariant::kOpenClipSiglip2);
  auto oc_tok = CreateTokenizer(*choice);
  ASSERT_TRUE(oc_tok.ok()) << oc_tok.status().ToString();
  EXPECT_TRUE((*oc_tok)->info().eos_appended);
  EXPECT_EQ((*oc_tok)->info().pad_id, 0);
}

TEST(CheckpointTokenizer, HfClipFolderPadTokenAndEosPooling) {
  io::Checkpoint ck = Load(IoFixture("hf_clip"));
  auto missing = ChooseTokenizerForCheckpoint(ck, "", TruncationPolicy::kTruncate);
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(Has(missing.status().message(), "no vocab.json + merges.txt")) << missing.status().message();
  REQUIRE_BPE();
  const std::string hf = testing::WriteHfClipFiles(BpePath(), "!");
  ck.config.text.vocab_size = 49408;
  auto choice = ChooseTokenizerForCheckpoint(ck, hf, TruncationPolicy::kTruncate);
  ASSERT_TRUE(choice.ok()) << choice.status().ToString();
  EXPECT_EQ(choice->options.variant, TokenizerVariant::kHfClipFast);
  EXPECT_EQ(choice->options.hf_pad_token, "!");
  EXPECT_EQ(choice->expected_eos_id, 49407);  // config eos_token_id, pool "eos"
  auto tok = CreateTokenizer(*choice);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  EXPECT_EQ((*tok)->info().pad_id, 0);
  EXPECT_EQ((*tok)->context_length(), 16);
  // A tower pooling at another id than the tokenizer's eos is refused.
  ck.config.text.eos_id = 49406;
  choice = ChooseTokenizerForCheckpoint(ck, hf + "/vocab.json", TruncationPolicy::kTruncate);
  ASSERT_TRUE(choice.ok());
  EXPECT_EQ(CreateTokenizer(*choice).status().code(), StatusCode::kFailedPrecondition);
  fs::remove_all(hf);
}

TEST(CheckpointTokenizer, HfClipFilesBesideTheWeights) {
  // A copy of the hf_clip fixture with a small vocabulary, special_tokens_map
  // pad as an AddedToken object.
  TempDir dir;
  for (const char* f : {"config.json", "model.safetensors", "preprocessor_config.json"}) {
    fs::copy_file(IoFixture("hf_clip") + "/" + f, dir.path() + "/" + f);
  }
  SmallVocab v = MakeSmallVocab();
  dir.Write("vocab.json", v.vocab_json);
  dir.Write("merges.txt", v.merges_txt);
  dir.Write("special_tokens_map.json", R"({"pad_token": {"content": "!", "lstrip": false}})");
  io::Checkpoint ck = Load(dir.path());
  ck.config.text.vocab_size = v.size;
  ck.config.text.eos_id = v.size - 1;
  auto tok = CreateTokenizerForCheckpoint(ck, "", TruncationPolicy::kTruncate);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  EXPECT_EQ((*tok)->info().variant, TokenizerVariant::kHfClipFast);
  EXPECT_EQ((*tok)->info().pad_id, SmallId("!", v));
  EXPECT_TRUE(Has((*tok)->info().selection_reason, "special_tokens_map.json")) << (*tok)->info().selection_reason;
  auto batch = (*tok)->Encode(std::vector<std::string>{"a Photo!"});
  ASSERT_TRUE(batch.ok());
  const int64_t* row = batch->ids.data_as<int64_t>();
  EXPECT_EQ(row[0], v.size - 2);
  EXPECT_EQ(row[1], SmallId("a</w>", v));
  EXPECT_EQ(row[2], SmallId("photo</w>", v));
  EXPECT_EQ(row[3], SmallId("!", v));  // the literal "!" is the pad special token
  EXPECT_EQ(row[4], v.size - 1);
  dir.Write("tokenizer_config.json", R"({"tokenizer_class": "BertTokenizer"})");
  EXPECT_EQ(ChooseTokenizerForCheckpoint(ck, "", TruncationPolicy::kTruncate).status().code(),
            StatusCode::kUnsupported);
}

TEST(CheckpointTokenizer, OpenClipFolderWithOwnVocabularyUsesOpenClipSemantics) {
  // The demo model: an open_clip hub-style folder with vocab.json + merges.txt.
  TempDir dir;
  SmallVocab v = MakeSmallVocab();
  io::Checkpoint ck;
  ck.layout = "open_clip-folder";
  ck.config.family = io::ArchFamily::kOpenClip;
  ck.config.text.context_length = 8;
  ck.config.text.vocab_size = v.size;
  ck.config.text.tokenizer = "clip-bpe";
  ck.config.text.tokenizer_clean = "lower";
  ck.located.config = dir.Write("open_clip_config.json", "{}");
  ck.located.vocab_json = dir.Write("vocab.json", v.vocab_json);
  ck.located.merges_txt = dir.Write("merges.txt", v.merges_txt);
  auto tok = CreateTokenizerForCheckpoint(ck, "", TruncationPolicy::kTruncate);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  EXPECT_EQ((*tok)->info().variant, TokenizerVariant::kOpenClip);
  EXPECT_EQ((*tok)->info().pad_id, 0);
  auto batch = (*tok)->Encode(std::vector<std::string>{"A  CAT &amp; dog!!", "cat cat cat cat cat cat cat cat"});
  ASSERT_TRUE(batch.ok());
  const int64_t* row = batch->ids.data_as<int64_t>();
  // lower + html.unescape (open_clip), then BPE over the small vocabulary.
  const std::vector<int64_t> expect = {v.size - 2, SmallId("a</w>", v), SmallId("cat</w>", v), SmallId("&</w>", v),
                                       SmallId("dog</w>", v), SmallId("!", v), SmallId("!</w>", v), v.size - 1};
  EXPECT_EQ(std::vector<int64_t>(row, row + 8), expect);
  EXPECT_EQ(row[15], v.size - 1);  // truncated, end token last
  EXPECT_EQ(batch->dropped_tokens[1], 2);
  // An explicit path wins over the folder's files (and is checked).
  EXPECT_EQ(ChooseTokenizerForCheckpoint(ck, dir.path() + "/nope.gz", TruncationPolicy::kTruncate).status().code(),
            StatusCode::kNotFound);
  // A wrong-size vocabulary is refused when the tokenizer is created.
  ck.config.text.vocab_size = 49408;
  EXPECT_EQ(CreateTokenizerForCheckpoint(ck, "", TruncationPolicy::kTruncate).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST(CheckpointTokenizer, ExplicitPathForms) {
  TempDir dir;
  io::Checkpoint ck;
  ck.config.family = io::ArchFamily::kOpenAiVit;
  ck.config.text.context_length = 77;
  auto code = [&](const std::string& path) {
    return ChooseTokenizerForCheckpoint(ck, path, TruncationPolicy::kTruncate).status().code();
  };
  EXPECT_EQ(code(dir.path()), StatusCode::kNotFound);  // folder without tokenizer files
  EXPECT_EQ(code(dir.path() + "/missing.txt.gz"), StatusCode::kNotFound);
  EXPECT_EQ(code(dir.Write("weights.bin", "x")), StatusCode::kInvalidArgument);
  EXPECT_EQ(code(SpmPath()), StatusCode::kInvalidArgument);  // SentencePiece for an OpenAI model
  const std::string merges = dir.Write("merges.txt", "#version: 0.2\n");
  EXPECT_EQ(code(merges), StatusCode::kNotFound);  // vocab.json missing beside it
  dir.Write("vocab.json", "{}");
  auto choice = ChooseTokenizerForCheckpoint(ck, merges, TruncationPolicy::kTruncate);
  ASSERT_TRUE(choice.ok()) << choice.status().ToString();
  EXPECT_EQ(choice->primary_file, dir.path() + "/vocab.json");
  EXPECT_EQ(choice->secondary_file, merges);
  ck.config.family = io::ArchFamily::kUnknown;
  EXPECT_EQ(code(merges), StatusCode::kFailedPrecondition);
}

TEST(CheckpointTokenizer, ManifestContradictionIsAnError) {
  REQUIRE_BPE();
  io::Checkpoint ck = Load(IoFixture("openai_vit_jit.pt"));
  ck.manifest.emplace();
  ck.manifest->name = "openai/ViT-B-32";
  ck.manifest->tokenizer = "clip-bpe (bpe_simple_vocab_16e6, context 77)";
  auto choice = ChooseTokenizerForCheckpoint(ck, BpePath(), TruncationPolicy::kTruncate);
  ASSERT_TRUE(choice.ok());
  EXPECT_TRUE(Has(choice->reason, "manifest openai/ViT-B-32")) << choice->reason;
  ck.manifest->tokenizer = "SiglipTokenizer (spiece.model)";
  EXPECT_EQ(ChooseTokenizerForCheckpoint(ck, BpePath(), TruncationPolicy::kTruncate).status().code(),
            StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace cliprt
