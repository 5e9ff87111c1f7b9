// Result containers: values plus the Provenance that produced them. A saved
// result (api/results_json.h) holds both, so it can be replayed and compared
// (api/replay_diff.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/provenance.h"

namespace cliprt::api {

// Embeddings [rows, dim], row-major.
struct EmbeddingResult {
  std::string modality;  // "image" | "text"
  int64_t rows = 0;
  int64_t dim = 0;
  bool normalized = false;  // rows L2-normalized (false: encode_* / get_*_features output)
  std::vector<float> values;
  Provenance provenance;

  bool operator==(const EmbeddingResult&) const = default;
};

// Similarities [images, texts] between two embedding sets, with the scale
// (and bias) applied: logits_per_image.
struct SimilarityResult {
  int64_t images = 0;
  int64_t texts = 0;
  std::vector<float> logits;  // [images, texts]
  std::vector<float> probabilities;  // score rule applied per image row
  Provenance provenance;             // classification.score_rule / logit_* say how

  bool operator==(const SimilarityResult&) const = default;
};

struct LabelScore {
  int32_t label = 0;  // index into the classifier's labels
  float probability = 0;
  float logit = 0;

  bool operator==(const LabelScore&) const = default;
};

// How much one image's answer depends on the prompt wording: the same image
// scored against each template's own class embeddings (normalized text
// embedding of "template(label)" for every label).
struct PromptSensitivity {
  std::vector<int32_t> template_top1;         // per template: its top-1 label
  std::vector<float> template_top_class_prob; // per template: probability of the overall top-1 label
  float agreement_rate = 0;  // fraction of templates whose top-1 equals the overall top-1
  float top_class_prob_min = 0;
  float top_class_prob_max = 0;
  float spread = 0;          // max - min of template_top_class_prob
  int32_t distinct_top1 = 0; // number of different labels that some template ranks first

  bool operator==(const PromptSensitivity&) const = default;
};

struct ImageClassification {
  std::vector<float> logits;         // per label
  std::vector<float> probabilities;  // per label (softmax over labels, or sigmoid each)
  std::vector<LabelScore> top_k;     // best first by logit; equal logits: lower label first
  bool abstained = false;            // top-1 probability below the threshold
  PromptSensitivity sensitivity;     // empty when not requested

  bool operator==(const ImageClassification&) const = default;
};

struct ClassificationResult {
  std::vector<std::string> labels;
  std::vector<ImageClassification> images;
  Provenance provenance;  // provenance.classification is set

  bool operator==(const ClassificationResult&) const = default;
};

struct SearchHit {
  uint64_t id = 0;
  float score = 0;  // cosine similarity

  bool operator==(const SearchHit&) const = default;
};

struct SearchResult {
  std::vector<std::vector<SearchHit>> hits;  // per query, best first
  Provenance provenance;                     // provenance.retrieval is set

  bool operator==(const SearchResult&) const = default;
};

}  // namespace cliprt::api
