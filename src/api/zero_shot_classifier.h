// Zero-shot classification (REFERENCE.md §5.2): the CLIP paper's recipe as
// open_clip's build_zero_shot_classifier and zero-shot eval compute it.
//
//   class weight w_c = normalize( mean_t normalize(text_embed(template_t(label_c))) )
//   logits[c]        = scale · normalize(image_embed) · w_c  (+ bias)
//   probabilities    = softmax over labels (CLIP) | sigmoid per label (SigLIP)
//
// The caller encodes the prompts (ExpandPrompts in api/templates.h gives
// them in the expected order); the classifier is built once and classifies
// any number of images. It keeps every per-template normalized embedding so
// each result can report how much its answer depends on the wording.
// A built classifier is immutable and safe to share across threads.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "api/provenance.h"
#include "api/results.h"
#include "core/status.h"
#include "core/thread_pool.h"
#include "model/logits.h"

namespace cliprt::api {

using ScoreRule = model::ScoreRule;
const char* ScoreRuleName(ScoreRule rule);  // "softmax" | "sigmoid"
StatusOr<ScoreRule> ParseScoreRule(std::string_view name);

inline constexpr const char* kZeroShotAggregation =
    "mean of L2-normalized per-template text embeddings, L2-renormalized";

struct ClassifyOptions {
  int top_k = 5;                   // clamped to the number of labels; must be >= 1
  std::optional<float> threshold;  // abstain when the top-1 probability is below it
  // Score the image against each template's own class embeddings too
  // (PromptSensitivity); costs labels x templates dot products per image.
  bool prompt_sensitivity = true;
};

class ZeroShotClassifier {
 public:
  // labels: C class names (non-empty, each non-empty); templates: T prompt
  // templates (each containing "{}"); text_embeddings: [C·T, dim] row-major,
  // unnormalized, row c·T + t = embedding of templates[t] formatted with
  // labels[c] (class-major, as open_clip builds them). scale is the logit
  // multiplier exp(stored logit_scale) (> 0, finite); bias is SigLIP's
  // logit_bias (required for kSigmoid when the model has one, may be absent).
  // A zero-norm or non-finite embedding row is an error naming (label, template).
  static StatusOr<ZeroShotClassifier> Build(std::vector<std::string> labels,
                                            std::vector<std::string> templates,
                                            std::span<const float> text_embeddings, int64_t dim,
                                            ScoreRule rule, float scale,
                                            std::optional<float> bias);

  // image_embeddings: [rows, dim] row-major, unnormalized (normalized here).
  // pool may be null (runs on the calling thread).
  StatusOr<std::vector<ImageClassification>> Classify(std::span<const float> image_embeddings,
                                                      int64_t rows, const ClassifyOptions& options,
                                                      ThreadPool* pool = nullptr) const;

  // The provenance block of a Classify call (abstained filled from results).
  ClassificationInfo Info(const ClassifyOptions& options,
                          std::span<const ImageClassification> results) const;

  int64_t num_labels() const { return static_cast<int64_t>(labels_.size()); }
  int64_t num_templates() const { return static_cast<int64_t>(templates_.size()); }
  int64_t dim() const { return dim_; }
  const std::vector<std::string>& labels() const { return labels_; }
  const std::vector<std::string>& templates() const { return templates_; }
  ScoreRule rule() const { return rule_; }
  float scale() const { return scale_; }
  std::optional<float> bias() const { return bias_; }
  // [C, dim]: normalized class weights (the columns of open_clip's W [dim, C]).
  const std::vector<float>& class_weights() const { return class_weights_; }
  // [C·T, dim]: normalized per-(label, template) embeddings.
  const std::vector<float>& template_embeddings() const { return template_embeddings_; }

 private:
  ZeroShotClassifier() = default;
  void ClassifyOne(const float* image_n, const ClassifyOptions& options,
                   ImageClassification* out) const;

  std::vector<std::string> labels_;
  std::vector<std::string> templates_;
  int64_t dim_ = 0;
  ScoreRule rule_ = ScoreRule::kSoftmax;
  float scale_ = 1;
  std::optional<float> bias_;
  std::vector<float> class_weights_;
  std::vector<float> template_embeddings_;
};

// L2-normalizes one row as F.normalize(x, dim=-1) does (eps 1e-12):
// y = x / max(||x||, 1e-12), the norm accumulated in double.
void NormalizeRow(const float* x, int64_t dim, float* y);

}  // namespace cliprt::api
