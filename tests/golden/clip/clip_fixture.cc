#include "golden/clip/clip_fixture.h"

#include <cmath>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include <gtest/gtest.h>

#include "io/json.h"
#include "io/npy.h"
#include "model/clip_text_tower.h"
#include "model/vit_vision_tower.h"
#include "common/golden_pixels.h"
#include "common/test_paths.h"

namespace cliprt::testing {
namespace {

StatusOr<std::string> ReadText(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return NotFoundError("cannot open " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

StatusOr<Tensor> Npy(const std::string& dir, const io::JsonValue& golden, const char* key) {
  ASSIGN_OR_RETURN(std::string file, io::JsonGetString(golden, key, "golden.json"));
  return io::ReadNpy(dir + "/" + file);
}

}  // namespace

StatusOr<std::unique_ptr<ClipFixture>> LoadClipFixture(const std::string& name) {
  return LoadClipFixtureDir(TestDataDir() + "/golden/" + name, name);
}

StatusOr<std::unique_ptr<ClipFixture>> LoadClipFixtureDir(const std::string& dir, const std::string& name) {
  auto f = std::make_unique<ClipFixture>();
  f->name = name;
  f->dir = dir;
  ASSIGN_OR_RETURN(std::string text, ReadText(f->dir + "/golden.json"));
  ASSIGN_OR_RETURN(io::JsonValue g, io::ParseJson(text, f->dir + "/golden.json"));
  ASSIGN_OR_RETURN(f->family, io::JsonGetString(g, "family", "golden.json"));
  ASSIGN_OR_RETURN(f->preset, io::JsonGetString(g, "preset", "golden.json"));
  ASSIGN_OR_RETURN(f->tokenizer_variant, io::JsonGetString(g, "tokenizer_variant", "golden.json"));
  ASSIGN_OR_RETURN(double scale, io::JsonGetNumber(g, "logit_scale", "golden.json"));
  f->logit_scale = static_cast<float>(scale);
  const io::JsonValue* images = g.Find("images");
  const io::JsonValue* texts = g.Find("texts");
  if (!images || !images->is_array() || !texts || !texts->is_array()) {
    return CorruptDataError(f->dir + "/golden.json: images/texts are not arrays");
  }
  for (const auto& v : images->array()) f->images.push_back(TestDataDir() + "/" + v.string());
  for (const auto& v : texts->array()) f->texts.push_back(v.string());
  ASSIGN_OR_RETURN(std::string ck, io::JsonGetString(g, "checkpoint", "golden.json"));
  io::LoadOptions lo;
  lo.compute_sha256 = false;
  lo.threads = 1;
  ASSIGN_OR_RETURN(f->checkpoint, io::LoadCheckpoint(ck == "." ? f->dir : f->dir + "/" + ck, lo));
  ASSIGN_OR_RETURN(f->weights, io::CanonicalizeWeights(f->checkpoint));
  // pixels.npy when the fixture has one, else reproduced from the images and
  // checked against pixels_sha256 (tests/common/golden_pixels.h).
  ASSIGN_OR_RETURN(f->pixels, GoldenPixels(f->dir));
  ASSIGN_OR_RETURN(f->token_ids, Npy(f->dir, g, "token_ids"));
  ASSIGN_OR_RETURN(f->image_embeds, Npy(f->dir, g, "image_embeds"));
  ASSIGN_OR_RETURN(f->text_embeds, Npy(f->dir, g, "text_embeds"));
  ASSIGN_OR_RETURN(f->logits_per_image, Npy(f->dir, g, "logits_per_image"));
  ASSIGN_OR_RETURN(f->pooling_ids, Npy(f->dir, g, "pooling_ids"));
  ASSIGN_OR_RETURN(f->pooling_text_embeds, Npy(f->dir, g, "pooling_text_embeds"));
  return f;
}

const ClipFixture& CachedClipFixture(const std::string& name) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<ClipFixture>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(name);
  if (it == cache.end()) {
    auto loaded = LoadClipFixture(name);
    if (!loaded.ok()) {
      // A broken fixture is a test failure, reported by the caller's checks
      // on the empty fixture (no tensors) together with this message.
      ADD_FAILURE_AT(__FILE__, __LINE__) << name << ": " << loaded.status().ToString();
      auto empty = std::make_unique<ClipFixture>();
      empty->name = name;
      it = cache.emplace(name, std::move(empty)).first;
    } else {
      it = cache.emplace(name, std::move(*loaded)).first;
    }
  }
  return *it->second;
}

StatusOr<std::unique_ptr<model::VisionTower>> ClipFixture::Vision(kernels::GemmPrecision precision) const {
  model::WeightReader reader(weights);
  model::TowerOptions options;
  options.precision = precision;
  return model::CreateVitVisionTower(reader, checkpoint.config, options);
}

StatusOr<std::unique_ptr<model::TextTower>> ClipFixture::Text(kernels::GemmPrecision precision,
                                                              bool full_length) const {
  model::WeightReader reader(weights);
  model::TowerOptions options;
  options.precision = precision;
  return full_length ? model::CreateClipTextTowerFullLength(reader, checkpoint.config, options)
                     : model::CreateClipTextTower(reader, checkpoint.config, options);
}

MaxDiff Compare(const float* ours, const float* ref, int64_t n) {
  MaxDiff d;
  for (int64_t i = 0; i < n; ++i) {
    const double diff = std::fabs(static_cast<double>(ours[i]) - ref[i]);
    if (!(diff <= d.max_abs_diff)) d.max_abs_diff = diff;  // NaN propagates
    d.max_abs_ref = std::max(d.max_abs_ref, std::fabs(static_cast<double>(ref[i])));
  }
  return d;
}

StatusOr<std::vector<float>> EncodeImages(const model::VisionTower& tower, const float* pixels, int64_t batch,
                                          ThreadPool* pool) {
  Arena arena;
  model::RunContext ctx{pool, &arena};
  std::vector<float> out(static_cast<size_t>(batch * tower.embed_dim()));
  RETURN_IF_ERROR(tower.Encode(pixels, batch, out.data(), tower.embed_dim(), ctx));
  return out;
}

StatusOr<std::vector<float>> EncodeTexts(const model::TextTower& tower, const int64_t* ids, int64_t batch,
                                         ThreadPool* pool) {
  Arena arena;
  model::RunContext ctx{pool, &arena};
  std::vector<float> out(static_cast<size_t>(batch * tower.embed_dim()));
  RETURN_IF_ERROR(tower.Encode(ids, batch, out.data(), tower.embed_dim(), ctx));
  return out;
}

}  // namespace cliprt::testing
