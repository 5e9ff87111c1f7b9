// From embeddings to the numbers the references report (REFERENCE.md §5.1):
// L2 normalization as F.normalize (eps 1e-12), and
//   logits_per_image[i, t] = scale · img_n[i] · txt_n[t] (+ bias for SigLIP)
// with logits_per_text its transpose. Probabilities: softmax over texts
// (CLIP) or an independent sigmoid per pair (SigLIP).
#pragma once

#include <cstdint>
#include <optional>

#include "core/status.h"
#include "core/thread_pool.h"

namespace cliprt::model {

// rows × dim, row strides ld*; in place allowed (y == x, ldy == ldx).
Status NormalizeRows(int64_t rows, int64_t dim, const float* x, int64_t ldx, float* y,
                     int64_t ldy, ThreadPool* pool);

// Inputs are normalized embeddings. out: [images, texts] (row stride ldo).
// Each logit is one fp32 dot product in index order, then ·scale, then
// +bias (the order torch's matmul-then-scale gives, up to its summation order).
Status ImageTextLogits(int64_t images, int64_t texts, int64_t dim, const float* image_n,
                       int64_t ld_image, const float* text_n, int64_t ld_text, float scale,
                       std::optional<float> bias, float* out, int64_t ldo, ThreadPool* pool);

enum class ScoreRule { kSoftmax, kSigmoid };
// Per row of logits: softmax over the row, or sigmoid per element.
Status LogitsToProbabilities(ScoreRule rule, int64_t rows, int64_t cols, const float* logits,
                             int64_t ldl, float* out, int64_t ldo);

}  // namespace cliprt::model
