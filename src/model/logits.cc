#include "model/logits.h"

#include <cmath>
#include <string>

#include "kernels/ops.h"
#include "kernels/ops_dispatch.h"

namespace cliprt::model {
namespace {

Status CheckMatrix(const char* what, int64_t rows, int64_t cols, const void* p, int64_t ld) {
  if (rows < 0 || cols < 1 || (rows > 0 && !p) || ld < cols) {
    return InvalidArgumentError(std::string(what) + ": " + std::to_string(rows) + "x" + std::to_string(cols) +
                                " with row stride " + std::to_string(ld) + " is not a valid matrix");
  }
  return Status::Ok();
}

}  // namespace

Status NormalizeRows(int64_t rows, int64_t dim, const float* x, int64_t ldx, float* y, int64_t ldy,
                     ThreadPool* pool) {
  RETURN_IF_ERROR(CheckMatrix("NormalizeRows input", rows, dim, x, ldx));
  RETURN_IF_ERROR(CheckMatrix("NormalizeRows output", rows, dim, y, ldy));
  if (rows == 0) return Status::Ok();
  return kernels::L2Normalize(kernels::ActiveOpsKernels(), rows, dim, x, ldx, 1e-12f, y, ldy, pool);
}

Status ImageTextLogits(int64_t images, int64_t texts, int64_t dim, const float* image_n, int64_t ld_image,
                       const float* text_n, int64_t ld_text, float scale, std::optional<float> bias,
                       float* out, int64_t ldo, ThreadPool* pool) {
  RETURN_IF_ERROR(CheckMatrix("image embeddings", images, dim, image_n, ld_image));
  RETURN_IF_ERROR(CheckMatrix("text embeddings", texts, dim, text_n, ld_text));
  if (texts < 1) return InvalidArgumentError("ImageTextLogits: no texts");
  RETURN_IF_ERROR(CheckMatrix("logits", images, texts, out, ldo));
  auto body = [&](int64_t begin, int64_t end, int) {
    for (int64_t i = begin; i < end; ++i) {
      const float* a = image_n + i * ld_image;
      for (int64_t t = 0; t < texts; ++t) {
        const float* b = text_n + t * ld_text;
        float dot = 0.0f;
        for (int64_t c = 0; c < dim; ++c) dot += a[c] * b[c];
        float logit = scale * dot;
        if (bias) logit += *bias;
        out[i * ldo + t] = logit;
      }
    }
  };
  if (pool && images > 1) {
    pool->ParallelFor(images, body);
  } else {
    body(0, images, 0);
  }
  return Status::Ok();
}

Status LogitsToProbabilities(ScoreRule rule, int64_t rows, int64_t cols, const float* logits, int64_t ldl,
                             float* out, int64_t ldo) {
  RETURN_IF_ERROR(CheckMatrix("logits", rows, cols, logits, ldl));
  RETURN_IF_ERROR(CheckMatrix("probabilities", rows, cols, out, ldo));
  for (int64_t r = 0; r < rows; ++r) {
    const float* l = logits + r * ldl;
    float* p = out + r * ldo;
    if (rule == ScoreRule::kSigmoid) {
      for (int64_t c = 0; c < cols; ++c) p[c] = 1.0f / (1.0f + std::exp(-l[c]));
      continue;
    }
    float max = l[0];
    for (int64_t c = 1; c < cols; ++c) max = std::fmax(max, l[c]);
    float sum = 0.0f;
    for (int64_t c = 0; c < cols; ++c) {
      p[c] = std::exp(l[c] - max);
      sum += p[c];
    }
    for (int64_t c = 0; c < cols; ++c) p[c] /= sum;
  }
  return Status::Ok();
}

}  // namespace cliprt::model
