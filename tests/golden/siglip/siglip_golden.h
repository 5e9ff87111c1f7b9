// Loading a SigLIP golden fixture (tests/data/golden/<fixture>/, written by
// tools/fixtures/golden_siglip.py): its golden.json, the reference arrays and
// the checkpoint, canonicalized, with towers built on demand.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "io/canonical_weights.h"
#include "io/checkpoint.h"
#include "io/json.h"
#include "model/tower.h"
#include "model/weight_reader.h"
#include "tensor/tensor.h"

namespace cliprt::testing {

struct SiglipGolden {
  std::string dir;  // tests/data/golden/<fixture>
  io::JsonValue meta;
  io::Checkpoint checkpoint;
  io::CanonicalWeights canonical;
  std::unique_ptr<model::WeightReader> reader;  // over `canonical`
  Tensor pixels;        // f32 [N, 3, S, S]
  Tensor token_ids;     // i64 [T, 64]
  Tensor image_embeds;  // f32 [N, E]
  Tensor text_embeds;   // f32 [T, E]
  Tensor logits;        // f32 [N, T]

  std::string String(const char* key) const;
  double Number(const char* key) const;
  std::vector<std::string> Strings(const char* key) const;

  StatusOr<std::unique_ptr<model::VisionTower>> Vision(
      kernels::GemmPrecision precision = kernels::GemmPrecision::kF32) const;
  StatusOr<std::unique_ptr<model::TextTower>> Text(
      kernels::GemmPrecision precision = kernels::GemmPrecision::kF32) const;
};

// tests/data/golden/<fixture>, or any folder with the same layout.
StatusOr<std::unique_ptr<SiglipGolden>> LoadSiglipGolden(const std::string& fixture);
StatusOr<std::unique_ptr<SiglipGolden>> LoadSiglipGoldenDir(const std::string& dir);

// max|a − b| / max|ref| over n floats (a, b with row strides lda, ldb; rows × cols).
double MaxRelativeError(const float* a, int64_t lda, const float* ref, int64_t ldr, int64_t rows, int64_t cols);

// "%.3g" of an error, for RecordProperty.
std::string ErrString(double err);

// Image-major [N, T] SigLIP logits from unnormalized embeddings, with
// model/logits.h (normalize, scale · dot + bias).
StatusOr<std::vector<float>> SiglipLogits(const float* image, int64_t images, const float* text, int64_t texts,
                                          int64_t dim, float scale, float bias);

}  // namespace cliprt::testing
