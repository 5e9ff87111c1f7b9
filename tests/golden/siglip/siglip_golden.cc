#include "siglip_golden.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "common/golden_pixels.h"
#include "common/test_paths.h"
#include "io/npy.h"
#include "model/logits.h"
#include "model/siglip_text_tower.h"
#include "model/siglip_vision_tower.h"

namespace cliprt::testing {

std::string SiglipGolden::String(const char* key) const {
  const io::JsonValue* v = meta.Find(key);
  return v && v->is_string() ? v->string() : std::string();
}

double SiglipGolden::Number(const char* key) const {
  const io::JsonValue* v = meta.Find(key);
  return v && v->is_number() ? v->number() : std::nan("");
}

std::vector<std::string> SiglipGolden::Strings(const char* key) const {
  std::vector<std::string> out;
  const io::JsonValue* v = meta.Find(key);
  if (v && v->is_array()) {
    for (const io::JsonValue& e : v->array()) out.push_back(e.is_string() ? e.string() : std::string());
  }
  return out;
}

StatusOr<std::unique_ptr<model::VisionTower>> SiglipGolden::Vision(kernels::GemmPrecision precision) const {
  model::TowerOptions options;
  options.precision = precision;
  return model::CreateSiglipVisionTower(*reader, checkpoint.config, options);
}

StatusOr<std::unique_ptr<model::TextTower>> SiglipGolden::Text(kernels::GemmPrecision precision) const {
  model::TowerOptions options;
  options.precision = precision;
  return model::CreateSiglipTextTower(*reader, checkpoint.config, options);
}

StatusOr<std::unique_ptr<SiglipGolden>> LoadSiglipGolden(const std::string& fixture) {
  return LoadSiglipGoldenDir(TestDataDir() + "/golden/" + fixture);
}

StatusOr<std::unique_ptr<SiglipGolden>> LoadSiglipGoldenDir(const std::string& dir) {
  auto g = std::make_unique<SiglipGolden>();
  g->dir = dir;
  std::ifstream in(g->dir + "/golden.json");
  if (!in) return NotFoundError("cannot open " + g->dir + "/golden.json");
  std::stringstream text;
  text << in.rdbuf();
  ASSIGN_OR_RETURN(g->meta, io::ParseJson(text.str(), g->dir + "/golden.json"));
  io::LoadOptions options;
  options.compute_sha256 = false;
  ASSIGN_OR_RETURN(g->checkpoint, io::LoadCheckpoint(g->dir + "/" + g->String("checkpoint"), options));
  ASSIGN_OR_RETURN(g->canonical, io::CanonicalizeWeights(g->checkpoint));
  g->reader = std::make_unique<model::WeightReader>(g->canonical);
  struct {
    const char* key;
    Tensor* dst;
  } arrays[] = {{"token_ids", &g->token_ids},
                {"image_embeds", &g->image_embeds},
                {"text_embeds", &g->text_embeds},
                {"logits_per_image", &g->logits}};
  for (const auto& a : arrays) {
    ASSIGN_OR_RETURN(*a.dst, io::ReadNpy(g->dir + "/" + g->String(a.key)));
  }
  // The .npy when the fixture names one (large fixtures), else reproduced
  // from the images and checked against pixels_sha256.
  ASSIGN_OR_RETURN(g->pixels, testing::GoldenPixels(g->dir));
  return g;
}

double MaxRelativeError(const float* a, int64_t lda, const float* ref, int64_t ldr, int64_t rows, int64_t cols) {
  double max_diff = 0, max_ref = 0;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) {
      const double x = a[r * lda + c], y = ref[r * ldr + c];
      if (std::isnan(x) != std::isnan(y)) return INFINITY;
      max_diff = std::max(max_diff, std::fabs(x - y));
      max_ref = std::max(max_ref, std::fabs(y));
    }
  }
  return max_ref > 0 ? max_diff / max_ref : max_diff;
}

std::string ErrString(double err) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3g", err);
  return buf;
}

StatusOr<std::vector<float>> SiglipLogits(const float* image, int64_t images, const float* text, int64_t texts,
                                          int64_t dim, float scale, float bias) {
  std::vector<float> img_n(static_cast<size_t>(images * dim)), txt_n(static_cast<size_t>(texts * dim));
  RETURN_IF_ERROR(model::NormalizeRows(images, dim, image, dim, img_n.data(), dim, nullptr));
  RETURN_IF_ERROR(model::NormalizeRows(texts, dim, text, dim, txt_n.data(), dim, nullptr));
  std::vector<float> logits(static_cast<size_t>(images * texts));
  RETURN_IF_ERROR(model::ImageTextLogits(images, texts, dim, img_n.data(), dim, txt_n.data(), dim, scale, bias,
                                         logits.data(), texts, nullptr));
  return logits;
}

}  // namespace cliprt::testing
