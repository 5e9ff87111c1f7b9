// The C++ API (cliprt.hpp) over a golden fixture checkpoint, used the way a
// consumer would (public headers only, linked to the shared library):
// parity with the reference outputs stored beside the fixture, results that
// do not depend on how many threads call at once, exceptions carrying the
// status, result JSON round trips, the retrieval index and replay.
#include "cliprt/cliprt.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

namespace {

const std::string kData = CLIPRT_TEST_DATA_DIR;
const std::string kFixture = kData + "/golden/openai_vit_b32";

std::string VocabPath() {
  const char* env = std::getenv("CLIPRT_TEST_ASSETS");
  const std::string path = std::string(env ? env : CLIPRT_DEFAULT_ASSETS_DIR) + "/bpe_simple_vocab_16e6.txt.gz";
  return std::filesystem::exists(path) ? path : "";
}

#define REQUIRE_VOCAB(vocab)                                                                   \
  const std::string vocab = VocabPath();                                                       \
  if (vocab.empty()) GTEST_SKIP() << "OpenAI BPE vocabulary not found: set CLIPRT_TEST_ASSETS " \
                                     "to the folder holding bpe_simple_vocab_16e6.txt.gz"

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A C-order .npy written by numpy (the fixture generator): shape and values.
template <typename T>
struct Npy {
  std::vector<int64_t> shape;
  std::vector<T> values;
};

template <typename T>
Npy<T> ReadNpy(const std::string& path, const char* descr) {
  const std::string bytes = ReadText(path);
  Npy<T> npy;
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) {
    ADD_FAILURE() << path << " is not a .npy file";
    return npy;
  }
  const size_t header_len = static_cast<uint8_t>(bytes[8]) | (static_cast<size_t>(static_cast<uint8_t>(bytes[9])) << 8);
  const std::string header = bytes.substr(10, header_len);
  EXPECT_NE(header.find(std::string("'descr': '") + descr + "'"), std::string::npos) << path;
  EXPECT_NE(header.find("'fortran_order': False"), std::string::npos) << path;
  const size_t open = header.find('(', header.find("'shape'"));
  const size_t close = header.find(')', open);
  std::stringstream dims(header.substr(open + 1, close - open - 1));
  std::string item;
  int64_t count = 1;
  while (std::getline(dims, item, ',')) {
    if (item.find_first_not_of(' ') == std::string::npos) continue;
    npy.shape.push_back(std::stoll(item));
    count *= npy.shape.back();
  }
  const size_t offset = 10 + header_len;
  EXPECT_EQ(bytes.size() - offset, static_cast<size_t>(count) * sizeof(T)) << path;
  npy.values.resize(static_cast<size_t>(count));
  std::memcpy(npy.values.data(), bytes.data() + offset,
              std::min(npy.values.size() * sizeof(T), bytes.size() - offset));
  return npy;
}

Npy<float> ReadNpyF32(const std::string& path) { return ReadNpy<float>(path, "<f4"); }

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// The string array under `key` in golden.json (written by json.dump).
std::vector<std::string> JsonStringArray(const std::string& json, const std::string& key) {
  std::vector<std::string> out;
  size_t i = json.find("\"" + key + "\"");
  if (i == std::string::npos) return out;
  i = json.find('[', i);
  const auto hex4 = [&](size_t at) { return static_cast<uint32_t>(std::stoul(json.substr(at, 4), nullptr, 16)); };
  while (i < json.size() && json[i] != ']') {
    if (json[i] != '"') {
      ++i;
      continue;
    }
    std::string s;
    for (++i; i < json.size() && json[i] != '"'; ++i) {
      if (json[i] != '\\') {
        s.push_back(json[i]);
        continue;
      }
      const char e = json[++i];
      if (e == 'n') s.push_back('\n');
      else if (e == 't') s.push_back('\t');
      else if (e == 'r') s.push_back('\r');
      else if (e == 'u') {
        uint32_t cp = hex4(i + 1);
        i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && json.compare(i + 1, 2, "\\u") == 0) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4(i + 3) - 0xDC00);
          i += 6;
        }
        AppendUtf8(cp, &s);
      } else {
        s.push_back(e);  // \" \\ \/
      }
    }
    out.push_back(s);
    ++i;
  }
  return out;
}

struct Golden {
  std::vector<std::string> images;  // absolute paths
  std::vector<std::string> texts;
};

Golden ReadGolden(const std::string& fixture = kFixture) {
  const std::string json = ReadText(fixture + "/golden.json");
  Golden g;
  for (const std::string& rel : JsonStringArray(json, "images")) g.images.push_back(kData + "/" + rel);
  g.texts = JsonStringArray(json, "texts");
  return g;
}

// max |ours - ref| <= 1e-5 * max |ref| (the golden parity rule).
void ExpectClose(std::span<const float> ours, const std::vector<float>& ref, const char* what) {
  ASSERT_EQ(ours.size(), ref.size()) << what;
  float max_ref = 0, max_diff = 0;
  for (size_t i = 0; i < ref.size(); ++i) {
    max_ref = std::max(max_ref, std::fabs(ref[i]));
    max_diff = std::max(max_diff, std::fabs(ours[i] - ref[i]));
  }
  EXPECT_LE(max_diff, 1e-5f * max_ref) << what << ": max |diff| " << max_diff << ", max |ref| " << max_ref;
}

bool SameBits(std::span<const float> a, std::span<const float> b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

cliprt::Model LoadFixture(const std::string& vocab, int threads = 2) {
  cliprt::ModelOptions options;
  options.tokenizer_path = vocab;
  options.threads = threads;
  if (vocab.empty()) options.towers = CLIPRT_TOWERS_VISION;
  return cliprt::Model::Load(kFixture + "/model.pt", options);
}

TEST(CppModelApiTest, ImageEmbeddingsMatchTheReference) {
  const Golden golden = ReadGolden();
  ASSERT_EQ(golden.images.size(), 3u);
  const cliprt::Model model = LoadFixture("");
  const cliprt::ModelInfo info = model.info();
  EXPECT_EQ(info.family, "openai-vit");
  EXPECT_TRUE(info.has_vision);
  EXPECT_FALSE(info.has_text);
  const Npy<float> ref = ReadNpyF32(kFixture + "/image_embeds.npy");
  ASSERT_EQ(ref.shape, (std::vector<int64_t>{3, info.embed_dim}));

  const cliprt::Embeddings files = model.EncodeImageFiles(golden.images);
  EXPECT_EQ(files.rows(), 3u);
  EXPECT_EQ(files.dim(), static_cast<size_t>(info.embed_dim));
  EXPECT_EQ(files.modality(), "image");
  ExpectClose(files.values(), ref.values, "image files");

  // The reference's own pixels through EncodePixels (when the fixture stores
  // them as an array rather than as a SHA-256).
  if (std::filesystem::exists(kFixture + "/pixels.npy")) {
    const Npy<float> pixels = ReadNpyF32(kFixture + "/pixels.npy");
    ASSERT_EQ(pixels.shape, (std::vector<int64_t>{3, 3, info.image_size, info.image_size}));
    const cliprt::Embeddings from_pixels =
        model.EncodePixels(pixels.values, 3, static_cast<size_t>(info.image_size));
    ExpectClose(from_pixels.values(), ref.values, "pixels");
  }

  // Bytes in memory: the same bits as the files.
  std::vector<std::string> bytes;
  std::vector<std::span<const uint8_t>> buffers;
  for (const std::string& path : golden.images) bytes.push_back(ReadText(path));
  for (const std::string& b : bytes) buffers.emplace_back(reinterpret_cast<const uint8_t*>(b.data()), b.size());
  EXPECT_TRUE(SameBits(model.EncodeImageBuffers(buffers).values(), files.values()));
}

TEST(CppModelApiTest, TextEmbeddingsAndLogitsMatchTheReference) {
  REQUIRE_VOCAB(vocab);
  const Golden golden = ReadGolden();
  ASSERT_EQ(golden.texts.size(), 6u);
  const cliprt::Model model = LoadFixture(vocab);
  const cliprt::Embeddings texts = model.EncodeTexts(golden.texts);
  ExpectClose(texts.values(), ReadNpyF32(kFixture + "/text_embeds.npy").values, "texts");
  const cliprt::Embeddings images = model.EncodeImageFiles(golden.images);
  const cliprt::Similarity sim = model.Similarity(images, texts);
  EXPECT_EQ(sim.images(), 3u);
  EXPECT_EQ(sim.texts(), 6u);
  ExpectClose(sim.logits(), ReadNpyF32(kFixture + "/logits_per_image.npy").values, "logits_per_image");
  for (size_t i = 0; i < 3; ++i) {
    double sum = 0;
    for (size_t t = 0; t < 6; ++t) sum += sim.probabilities()[i * 6 + t];
    EXPECT_NEAR(sum, 1.0, 1e-5);
  }
}

// The encoders' inputs through the API: token ids and pixels exactly as the
// reference fed its towers.
TEST(CppModelApiTest, TokenIdsAndPixelsAreTheReferenceInputs) {
  REQUIRE_VOCAB(vocab);
  const Golden golden = ReadGolden();
  const cliprt::Model model = LoadFixture(vocab);
  const cliprt::TokenIds ids = cliprt::Tokenize(model, golden.texts);
  const Npy<int64_t> ref_ids = ReadNpy<int64_t>(kFixture + "/token_ids.npy", "<i8");
  ASSERT_EQ(ref_ids.shape, (std::vector<int64_t>{static_cast<int64_t>(ids.rows), static_cast<int64_t>(ids.cols)}));
  EXPECT_EQ(ids.ids, ref_ids.values);
  ASSERT_EQ(ids.dropped.size(), 6u);
  EXPECT_GT(ids.dropped[4], 0);  // the fixture's long caption is truncated
  EXPECT_EQ(ids.dropped[0], 0);
  const std::vector<float> pixels = cliprt::PreprocessImageFiles(model, golden.images);
  if (std::filesystem::exists(kFixture + "/pixels.npy")) {
    EXPECT_TRUE(SameBits(pixels, ReadNpyF32(kFixture + "/pixels.npy").values));
  }
  // Encoding those pixels is encoding the files.
  const size_t side = static_cast<size_t>(model.info().image_size);
  EXPECT_TRUE(SameBits(model.EncodePixels(pixels, golden.images.size(), side).values(),
                       model.EncodeImageFiles(golden.images).values()));
}

// SigLIP scoring through the API: sigmoid(scale * cos + bias). The fixture's
// text side needs a 32,000-piece SentencePiece model that is not committed,
// so its reference text embeddings enter as a saved embeddings document
// carrying this model's provenance (as a caller restoring saved embeddings
// would), and the image side is encoded from the files.
TEST(CppModelApiTest, SiglipSigmoidSimilarityMatchesTheReference) {
  const std::string fixture = kData + "/golden/hf_siglip";
  const Golden golden = ReadGolden(fixture);
  cliprt::ModelOptions options;
  options.towers = CLIPRT_TOWERS_VISION;
  options.threads = 2;
  const cliprt::Model model = cliprt::Model::Load(fixture + "/model", options);
  const cliprt::ModelInfo info = model.info();
  EXPECT_EQ(info.family, "hf-siglip");
  EXPECT_EQ(info.score_rule, "sigmoid");
  ASSERT_TRUE(info.logit_bias.has_value());

  const cliprt::Embeddings images = model.EncodeImageFiles(golden.images);
  ExpectClose(images.values(), ReadNpyF32(fixture + "/image_embeds.npy").values, "SigLIP image embeddings");

  const Npy<float> text_ref = ReadNpyF32(fixture + "/text_embeds.npy");
  ASSERT_EQ(text_ref.shape.size(), 2u);
  std::string doc = "{\"schema_version\": 1, \"kind\": \"embedding\", \"modality\": \"text\", \"rows\": " +
                    std::to_string(text_ref.shape[0]) + ", \"dim\": " + std::to_string(text_ref.shape[1]) +
                    ", \"normalized\": false, \"values\": [";
  for (size_t i = 0; i < text_ref.values.size(); ++i) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%s%.9g", i ? ", " : "", text_ref.values[i]);
    doc += buf;
  }
  doc += "], \"provenance\": " + std::string(images.provenance_json()) + "}";
  const cliprt::Embeddings texts = cliprt::Embeddings::FromJson(doc);
  EXPECT_TRUE(SameBits(texts.values(), text_ref.values));

  const cliprt::Similarity sim = model.Similarity(images, texts);
  const std::vector<float> logits_ref = ReadNpyF32(fixture + "/logits_per_image.npy").values;
  ExpectClose(sim.logits(), logits_ref, "SigLIP logits_per_image");
  for (size_t i = 0; i < logits_ref.size(); ++i) {
    const double p = 1.0 / (1.0 + std::exp(-static_cast<double>(sim.logits()[i])));
    EXPECT_NEAR(sim.probabilities()[i], p, 1e-6) << i;
  }
  EXPECT_NE(std::string(sim.provenance_json()).find("sigmoid"), std::string::npos);
}

TEST(CppModelApiTest, ErrorsAreExceptionsWithStatusAndMessage) {
  try {
    cliprt::Model::Load(kData + "/no_such_model.pt");
    FAIL() << "expected cliprt::Error";
  } catch (const cliprt::Error& e) {
    EXPECT_NE(e.status(), CLIPRT_OK);
    EXPECT_NE(std::string(e.what()).find("no_such_model.pt"), std::string::npos) << e.what();
  }
  const cliprt::Model vision = LoadFixture("");
  const std::vector<std::string> texts = {"a cat"};
  try {
    vision.EncodeTexts(texts);
    FAIL() << "expected cliprt::Error";
  } catch (const cliprt::Error& e) {
    EXPECT_EQ(e.status(), CLIPRT_FAILED_PRECONDITION);
  }
  EXPECT_THROW(vision.EncodePixels(std::vector<float>(10), 1, 224), cliprt::Error);
  EXPECT_THROW(cliprt::Index::Create(size_t{0}), cliprt::Error);
  EXPECT_THROW(cliprt::Embeddings::FromJson("{}"), cliprt::Error);
}

// Everything a caller does with one model, as one comparable record.
struct Outputs {
  std::vector<float> images, texts, probabilities, hits;
};

Outputs RunEverything(const cliprt::Model& model, const cliprt::Classifier& classifier, const Golden& golden) {
  Outputs out;
  const cliprt::Embeddings images = model.EncodeImageFiles(golden.images);
  const cliprt::Embeddings texts = model.EncodeTexts(golden.texts);
  const cliprt::Classification c = model.Classify(classifier, images);
  out.images.assign(images.values().begin(), images.values().end());
  out.texts.assign(texts.values().begin(), texts.values().end());
  for (size_t i = 0; i < c.num_images(); ++i) {
    out.probabilities.insert(out.probabilities.end(), c.probabilities(i).begin(), c.probabilities(i).end());
    const cliprt::PromptSensitivity s = c.sensitivity(i);
    out.probabilities.push_back(s.agreement_rate);
    out.probabilities.push_back(s.spread);
  }
  const cliprt::Similarity sim = model.Similarity(images, texts);
  out.hits.assign(sim.logits().begin(), sim.logits().end());
  return out;
}

bool SameOutputs(const Outputs& a, const Outputs& b) {
  return SameBits(a.images, b.images) && SameBits(a.texts, b.texts) && SameBits(a.probabilities, b.probabilities) &&
         SameBits(a.hits, b.hits);
}

TEST(CppModelApiTest, EightThreadsOnOneModelGiveTheSerialBits) {
  REQUIRE_VOCAB(vocab);
  const Golden golden = ReadGolden();
  const cliprt::Model model = LoadFixture(vocab, 2);
  const std::vector<std::string> labels = {"cat", "dog", "diagram", "fox"};
  const cliprt::Classifier classifier = model.CreateClassifier(labels);
  const Outputs serial = RunEverything(model, classifier, golden);
  constexpr int kThreads = 8;
  std::vector<Outputs> results(kThreads);
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        results[t] = RunEverything(model, classifier, golden);
      } catch (const cliprt::Error& e) {
        errors[t] = e.what();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(errors[t], "") << "thread " << t;
    EXPECT_TRUE(SameOutputs(results[t], serial)) << "thread " << t << " differs from the serial run";
  }
  // A model with another thread count gives the same bits as well.
  const cliprt::Model single = LoadFixture(vocab, 1);
  const cliprt::Classifier classifier1 = single.CreateClassifier(labels);
  EXPECT_TRUE(SameOutputs(RunEverything(single, classifier1, golden), serial));
}

TEST(CppModelApiTest, ClassificationProvenanceRoundTripsAndReplays) {
  REQUIRE_VOCAB(vocab);
  const Golden golden = ReadGolden();
  const cliprt::Model model = LoadFixture(vocab);
  const std::vector<std::string> labels = {"cat", "dog", "diagram"};
  const cliprt::Classifier classifier = model.CreateClassifier(labels, cliprt::Templates::Builtin("imagenet80"));
  EXPECT_EQ(classifier.num_templates(), 80u);
  EXPECT_EQ(classifier.label(1), "dog");
  cliprt::ClassifyOptions options;
  options.top_k = 2;
  options.threshold = 0.99f;
  const cliprt::Classification c = model.ClassifyImageFiles(classifier, golden.images, options);
  ASSERT_EQ(c.num_images(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(c.top_k(i).size(), 2u);
    EXPECT_EQ(c.abstained(i), c.top_k(i)[0].probability < 0.99f);
    EXPECT_EQ(c.sensitivity(i).template_top1.size(), 80u);
  }
  const std::string prov(c.provenance_json());
  for (const char* needle : {"\"labels\"", "\"templates\"", "\"score_rule\"", "\"threshold\"", "\"abstained\"",
                             "\"sha256\"", "\"preprocess\"", "\"tokenizer\""}) {
    EXPECT_NE(prov.find(needle), std::string::npos) << needle;
  }
  const std::string json(c.to_json());
  const cliprt::Classification parsed = cliprt::Classification::FromJson(json);
  EXPECT_EQ(parsed.to_json(), json);
  EXPECT_EQ(parsed.provenance_json(), c.provenance_json());
  EXPECT_TRUE(cliprt::ReplayReport::Compare(json, parsed.to_json()).identical());

  // Replay: reload from the provenance, recompute from the same files.
  try {
    const cliprt::ReplayReport replay = cliprt::ReplayReport::Run(json, golden.images);
    EXPECT_TRUE(replay.substantively_identical()) << replay.text();
    EXPECT_EQ(replay.values_differing(), 0) << replay.text();
  } catch (const cliprt::Error& e) {
    if (e.status() == CLIPRT_UNSUPPORTED) GTEST_SKIP() << e.what();
    throw;
  }
}

TEST(CppModelApiTest, IndexSearchSaveLoadAndRefusals) {
  const Golden golden = ReadGolden();
  const cliprt::Model model = LoadFixture("");
  const cliprt::Embeddings images = model.EncodeImageFiles(golden.images);
  cliprt::Index index = cliprt::Index::Create(model);
  const std::vector<uint64_t> ids = {7, 8, 9};
  index.Add(ids, images);
  EXPECT_EQ(index.size(), 3u);
  EXPECT_TRUE(index.Contains(8));
  const cliprt::SearchResult found = index.Search(images, 3);
  ASSERT_EQ(found.num_queries(), 3u);
  for (size_t q = 0; q < 3; ++q) {
    ASSERT_EQ(found.hits(q).size(), 3u);
    EXPECT_EQ(found.hits(q)[0].id, ids[q]);
    EXPECT_NEAR(found.hits(q)[0].score, 1.0f, 1e-5f);
  }
  EXPECT_NE(std::string(found.provenance_json()).find("\"retrieval\""), std::string::npos);
  EXPECT_THROW(index.Add(ids, images), cliprt::Error);  // duplicate ids

  const std::string path = (std::filesystem::temp_directory_path() /
                            ("cpp_api_model_test_" + std::to_string(::getpid()) + ".cliprt-index")).string();
  index.Save(path);
  const cliprt::Index loaded = cliprt::Index::Load(path);
  std::filesystem::remove(path);
  const cliprt::SearchResult again = loaded.Search(images, 3);
  for (size_t q = 0; q < 3; ++q) {
    ASSERT_EQ(again.hits(q).size(), found.hits(q).size());
    for (size_t k = 0; k < again.hits(q).size(); ++k) {
      EXPECT_EQ(again.hits(q)[k].id, found.hits(q)[k].id);
      EXPECT_EQ(again.hits(q)[k].score, found.hits(q)[k].score);
    }
  }
  index.Remove(8);
  EXPECT_FALSE(index.Contains(8));
  EXPECT_THROW(index.Remove(8), cliprt::Error);

  // Width mismatch is refused and names both widths.
  cliprt::Index small = cliprt::Index::Create(size_t{4});
  try {
    small.Add(ids, images);
    FAIL() << "expected cliprt::Error";
  } catch (const cliprt::Error& e) {
    EXPECT_EQ(e.status(), CLIPRT_INVALID_ARGUMENT);
    EXPECT_NE(std::string(e.what()).find("4"), std::string::npos) << e.what();
  }
  const std::vector<float> row = {0.0f, 1.0f, 0.0f, 0.0f};
  small.AddValues(std::span<const uint64_t>(ids.data(), 1), row);
  const cliprt::SearchResult raw = small.SearchValues(row, 5);
  ASSERT_EQ(raw.hits(0).size(), 1u);
  EXPECT_EQ(raw.hits(0)[0].id, 7u);
}

}  // namespace
