// A CLIP golden fixture (tests/data/golden/<name>/, written by
// tools/fixtures/golden_clip.py): the checkpoint loaded and canonicalized,
// the reference arrays, and helpers to build the towers and compare.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/arena.h"
#include "core/status.h"
#include "core/thread_pool.h"
#include "io/canonical_weights.h"
#include "io/checkpoint.h"
#include "model/tower.h"
#include "model/weight_reader.h"
#include "tensor/tensor.h"

namespace cliprt::testing {

inline const std::vector<std::string>& ClipFixtureNames() {
  static const std::vector<std::string> names = {"openai_vit_b32", "openai_vit_b16", "open_clip_vit_gelu",
                                                 "hf_clip"};
  return names;
}

struct ClipFixture {
  std::string name;
  std::string dir;
  std::string family;
  std::string preset;
  std::string tokenizer_variant;
  std::vector<std::string> images;  // absolute paths
  std::vector<std::string> texts;
  float logit_scale = 0;
  io::Checkpoint checkpoint;
  io::CanonicalWeights weights;
  Tensor pixels;            // f32 [N, 3, S, S]
  Tensor token_ids;         // i64 [T, ctx]
  Tensor image_embeds;      // f32 [N, E]
  Tensor text_embeds;       // f32 [T, E]
  Tensor logits_per_image;  // f32 [N, T]
  Tensor pooling_ids;       // i64 [P, ctx]
  Tensor pooling_text_embeds;  // f32 [P, E]

  // Builds both towers from a fresh WeightReader.
  StatusOr<std::unique_ptr<model::VisionTower>> Vision(
      kernels::GemmPrecision precision = kernels::GemmPrecision::kF32) const;
  StatusOr<std::unique_ptr<model::TextTower>> Text(
      kernels::GemmPrecision precision = kernels::GemmPrecision::kF32, bool full_length = false) const;
};

// Loads tests/data/golden/<name>; an error names what failed.
StatusOr<std::unique_ptr<ClipFixture>> LoadClipFixture(const std::string& name);
// Loads a fixture folder anywhere (e.g. the full-size ones generated at test time).
StatusOr<std::unique_ptr<ClipFixture>> LoadClipFixtureDir(const std::string& dir, const std::string& name);

// Cached per process (loading a fixture maps ~7 MB and widens nothing).
const ClipFixture& CachedClipFixture(const std::string& name);

// max |a - b| over n floats, and max |b|.
struct MaxDiff {
  double max_abs_diff = 0;
  double max_abs_ref = 0;
  double relative() const { return max_abs_ref > 0 ? max_abs_diff / max_abs_ref : max_abs_diff; }
};
MaxDiff Compare(const float* ours, const float* ref, int64_t n);

// Encodes with a fresh arena (and `pool`, may be nullptr) into a vector.
StatusOr<std::vector<float>> EncodeImages(const model::VisionTower& tower, const float* pixels, int64_t batch,
                                          ThreadPool* pool);
StatusOr<std::vector<float>> EncodeTexts(const model::TextTower& tower, const int64_t* ids, int64_t batch,
                                         ThreadPool* pool);

}  // namespace cliprt::testing
