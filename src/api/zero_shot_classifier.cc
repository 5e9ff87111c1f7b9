// Zero-shot classifier: open_clip's build_zero_shot_classifier + eval math.
#include "api/zero_shot_classifier.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "api/templates.h"
#include "api/vector_math.h"

namespace cliprt::api {
namespace {

constexpr int64_t kMaxDim = 1 << 16;
constexpr double kNormalizeEps = 1e-12;  // F.normalize default

// Probabilities of one row of logits under `rule` (softmax as torch's
// x.softmax(-1): subtract the max, exponentiate, divide by the sum).
void ScoreRow(ScoreRule rule, const float* logits, int64_t n, float* probs) {
  if (rule == ScoreRule::kSoftmax) {
    float max = -std::numeric_limits<float>::infinity();
    for (int64_t i = 0; i < n; ++i) max = std::max(max, logits[i]);
    double sum = 0;
    for (int64_t i = 0; i < n; ++i) {
      probs[i] = std::exp(logits[i] - max);
      sum += probs[i];
    }
    const float inv = static_cast<float>(1.0 / sum);
    for (int64_t i = 0; i < n; ++i) probs[i] *= inv;
  } else {
    for (int64_t i = 0; i < n; ++i) probs[i] = 1.0f / (1.0f + std::exp(-logits[i]));
  }
}

// Index of the largest value; ties: the lowest index.
int32_t ArgMax(const float* v, int64_t n) {
  int32_t best = 0;
  for (int64_t i = 1; i < n; ++i) {
    if (v[i] > v[best]) best = static_cast<int32_t>(i);
  }
  return best;
}

}  // namespace

const char* ScoreRuleName(ScoreRule rule) {
  return rule == ScoreRule::kSoftmax ? "softmax" : "sigmoid";
}

StatusOr<ScoreRule> ParseScoreRule(std::string_view name) {
  if (name == "softmax") return ScoreRule::kSoftmax;
  if (name == "sigmoid") return ScoreRule::kSigmoid;
  return InvalidArgumentError("unknown score rule \"" + std::string(name) + "\" (expected softmax or sigmoid)");
}

void NormalizeRow(const float* x, int64_t dim, float* y) {
  double norm = 0;
  for (int64_t i = 0; i < dim; ++i) norm += static_cast<double>(x[i]) * x[i];
  const float denom = static_cast<float>(std::max(std::sqrt(norm), kNormalizeEps));
  for (int64_t i = 0; i < dim; ++i) y[i] = x[i] / denom;
}

StatusOr<ZeroShotClassifier> ZeroShotClassifier::Build(std::vector<std::string> labels,
                                                       std::vector<std::string> templates,
                                                       std::span<const float> text_embeddings,
                                                       int64_t dim, ScoreRule rule, float scale,
                                                       std::optional<float> bias) {
  // ExpandPrompts checks labels (non-empty list, non-empty names) and templates.
  RETURN_IF_ERROR(ExpandPrompts(labels, templates).status().WithContext("zero-shot classifier"));
  if (dim < 1 || dim > kMaxDim) {
    return InvalidArgumentError("zero-shot classifier: embedding dim " + std::to_string(dim) +
                                " is not within 1.." + std::to_string(kMaxDim));
  }
  const int64_t c_count = static_cast<int64_t>(labels.size());
  const int64_t t_count = static_cast<int64_t>(templates.size());
  if (c_count > (int64_t{1} << 40) / t_count / dim ||
      static_cast<int64_t>(text_embeddings.size()) != c_count * t_count * dim) {
    return InvalidArgumentError("zero-shot classifier: text embeddings hold " +
                                std::to_string(text_embeddings.size()) + " floats, expected labels(" +
                                std::to_string(c_count) + ") x templates(" + std::to_string(t_count) +
                                ") x dim(" + std::to_string(dim) + ")");
  }
  if (!std::isfinite(scale) || scale <= 0) {
    return InvalidArgumentError("zero-shot classifier: logit scale " + std::to_string(scale) +
                                " must be finite and > 0 (pass exp(stored logit_scale))");
  }
  if (bias && !std::isfinite(*bias)) {
    return InvalidArgumentError("zero-shot classifier: logit bias is not finite");
  }
  ZeroShotClassifier z;
  z.dim_ = dim;
  z.rule_ = rule;
  z.scale_ = scale;
  z.bias_ = bias;
  z.template_embeddings_.resize(text_embeddings.size());
  z.class_weights_.resize(static_cast<size_t>(c_count * dim));
  std::vector<double> mean(static_cast<size_t>(dim));
  for (int64_t c = 0; c < c_count; ++c) {
    std::fill(mean.begin(), mean.end(), 0.0);
    for (int64_t t = 0; t < t_count; ++t) {
      const int64_t row = c * t_count + t;
      const float* x = text_embeddings.data() + row * dim;
      const double norm = NormF64(x, dim);
      if (!std::isfinite(norm) || norm == 0) {
        return InvalidArgumentError("zero-shot classifier: text embedding of label " + std::to_string(c) + " (\"" +
                                    labels[c] + "\"), template " + std::to_string(t) + " (\"" + templates[t] +
                                    "\") is " + (norm == 0 ? "all zeros" : "not finite"));
      }
      float* y = z.template_embeddings_.data() + row * dim;
      NormalizeRow(x, dim, y);
      for (int64_t i = 0; i < dim; ++i) mean[i] += y[i];
    }
    // mean(dim=1) then x / x.norm(): the renormalization has no eps in open_clip.
    float* w = z.class_weights_.data() + c * dim;
    for (int64_t i = 0; i < dim; ++i) w[i] = static_cast<float>(mean[i] / static_cast<double>(t_count));
    const double norm = NormF64(w, dim);
    if (!(norm > 0)) {
      return InvalidArgumentError("zero-shot classifier: the template embeddings of label " + std::to_string(c) +
                                  " (\"" + labels[c] + "\") cancel out (mean has zero norm)");
    }
    for (int64_t i = 0; i < dim; ++i) w[i] = static_cast<float>(w[i] / norm);
  }
  z.labels_ = std::move(labels);
  z.templates_ = std::move(templates);
  return z;
}

void ZeroShotClassifier::ClassifyOne(const float* image_n, const ClassifyOptions& options,
                                     ImageClassification* out) const {
  const int64_t c_count = num_labels();
  const int64_t t_count = num_templates();
  auto logit = [&](const float* w) {
    float v = scale_ * DotF32(image_n, w, dim_);
    if (bias_) v += *bias_;
    return v;
  };
  out->logits.resize(c_count);
  out->probabilities.resize(c_count);
  for (int64_t c = 0; c < c_count; ++c) out->logits[c] = logit(class_weights_.data() + c * dim_);
  ScoreRow(rule_, out->logits.data(), c_count, out->probabilities.data());

  // Top-k by logit (probabilities are monotonic in it and may tie where
  // logits do not); equal logits: lower label first.
  std::vector<int32_t> order(c_count);
  std::iota(order.begin(), order.end(), 0);
  const int64_t k = std::min<int64_t>(options.top_k, c_count);
  std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int32_t a, int32_t b) {
    return out->logits[a] != out->logits[b] ? out->logits[a] > out->logits[b] : a < b;
  });
  out->top_k.clear();
  for (int64_t i = 0; i < k; ++i) {
    out->top_k.push_back({order[i], out->probabilities[order[i]], out->logits[order[i]]});
  }
  const int32_t top1 = order[0];
  out->abstained = options.threshold && out->probabilities[top1] < *options.threshold;

  PromptSensitivity& s = out->sensitivity;
  s = PromptSensitivity();
  if (!options.prompt_sensitivity) return;
  std::vector<float> logits_t(c_count), probs_t(c_count);
  std::vector<char> seen(c_count, 0);
  s.template_top1.resize(t_count);
  s.template_top_class_prob.resize(t_count);
  int64_t agree = 0;
  for (int64_t t = 0; t < t_count; ++t) {
    for (int64_t c = 0; c < c_count; ++c) {
      logits_t[c] = logit(template_embeddings_.data() + (c * t_count + t) * dim_);
    }
    ScoreRow(rule_, logits_t.data(), c_count, probs_t.data());
    const int32_t best = ArgMax(logits_t.data(), c_count);
    s.template_top1[t] = best;
    s.template_top_class_prob[t] = probs_t[top1];
    agree += best == top1;
    if (!seen[best]) {
      seen[best] = 1;
      ++s.distinct_top1;
    }
  }
  s.agreement_rate = static_cast<float>(static_cast<double>(agree) / static_cast<double>(t_count));
  const auto [mn, mx] = std::minmax_element(s.template_top_class_prob.begin(), s.template_top_class_prob.end());
  s.top_class_prob_min = *mn;
  s.top_class_prob_max = *mx;
  s.spread = *mx - *mn;
}

StatusOr<std::vector<ImageClassification>> ZeroShotClassifier::Classify(
    std::span<const float> image_embeddings, int64_t rows, const ClassifyOptions& options,
    ThreadPool* pool) const {
  if (rows < 1) return InvalidArgumentError("zero-shot classify: no images (rows = " + std::to_string(rows) + ")");
  if (rows > static_cast<int64_t>(image_embeddings.size()) / dim_ ||
      static_cast<int64_t>(image_embeddings.size()) != rows * dim_) {
    return InvalidArgumentError("zero-shot classify: image embeddings hold " +
                                std::to_string(image_embeddings.size()) + " floats, expected rows(" +
                                std::to_string(rows) + ") x dim(" + std::to_string(dim_) +
                                ") — wrong embedding dimension for this classifier?");
  }
  if (options.top_k < 1) {
    return InvalidArgumentError("zero-shot classify: top_k " + std::to_string(options.top_k) + " must be >= 1");
  }
  if (options.threshold && !std::isfinite(*options.threshold)) {
    return InvalidArgumentError("zero-shot classify: threshold is not finite");
  }
  std::vector<float> normalized(image_embeddings.size());
  for (int64_t r = 0; r < rows; ++r) {
    const float* x = image_embeddings.data() + r * dim_;
    const double norm = NormF64(x, dim_);
    if (!std::isfinite(norm)) {
      return InvalidArgumentError("zero-shot classify: image embedding " + std::to_string(r) + " is not finite");
    }
    NormalizeRow(x, dim_, normalized.data() + r * dim_);
  }
  std::vector<ImageClassification> out(static_cast<size_t>(rows));
  auto body = [&](int64_t begin, int64_t end, int) {
    for (int64_t r = begin; r < end; ++r) ClassifyOne(normalized.data() + r * dim_, options, &out[r]);
  };
  if (pool != nullptr) {
    pool->ParallelFor(rows, body);
  } else {
    body(0, rows, 0);
  }
  return out;
}

ClassificationInfo ZeroShotClassifier::Info(const ClassifyOptions& options,
                                            std::span<const ImageClassification> results) const {
  ClassificationInfo info;
  info.labels = labels_;
  info.templates = templates_;
  info.aggregation = kZeroShotAggregation;
  info.score_rule = ScoreRuleName(rule_);
  info.logit_scale = scale_;
  info.logit_bias = bias_;
  info.threshold = options.threshold;
  info.top_k = static_cast<int>(std::min<int64_t>(options.top_k, num_labels()));
  info.prompt_sensitivity = options.prompt_sensitivity;
  for (const auto& r : results) info.abstained.push_back(r.abstained);
  return info;
}

}  // namespace cliprt::api
