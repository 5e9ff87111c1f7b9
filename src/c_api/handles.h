// The C API's opaque handle types: each wraps the internal object it stands
// for plus the C-shaped copies (label-score arrays, search hits) and cached
// strings its accessors hand out. Defined in one place so every C API
// translation unit sees the same layout.
#pragma once

#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "api/loaded_model.h"
#include "api/replay_diff.h"
#include "api/results.h"
#include "api/retrieval_index.h"
#include "api/zero_shot_classifier.h"
#include "c_api/c_api_util.h"
#include "cliprt/cliprt.h"

struct cliprt_model {
  std::unique_ptr<cliprt::api::LoadedModel> model;
  // Strings cliprt_model_info_get / _info_json hand out, made at load.
  std::string info_json;
  std::string family;
  std::string name;
  std::string precision;
  std::string score_rule;
  std::string architecture;
  std::string checkpoint_sha256;  // api::CheckpointSha256 of the identity
};

struct cliprt_embeddings {
  cliprt::api::EmbeddingResult result;
  cliprt::c_api::CachedString provenance_json;
  cliprt::c_api::CachedString json;
};

struct cliprt_similarity {
  cliprt::api::SimilarityResult result;
  cliprt::c_api::CachedString provenance_json;
  cliprt::c_api::CachedString json;
};

struct cliprt_classifier {
  std::optional<cliprt::api::ZeroShotClassifier> classifier;
  // Identity of the model whose text tower encoded the prompts.
  std::string checkpoint_sha256;
  std::string model_name;
};

struct cliprt_classification {
  cliprt::api::ClassificationResult result;
  std::vector<std::vector<cliprt_label_score>> top_k;  // per image, C layout
  cliprt::c_api::CachedString provenance_json;
  cliprt::c_api::CachedString json;
};

struct cliprt_index {
  // Searches share the lock; add / remove / save take it exclusively.
  mutable std::shared_mutex mutex;
  std::optional<cliprt::api::RetrievalIndex> index;
};

struct cliprt_search_result {
  cliprt::api::SearchResult result;
  std::vector<std::vector<cliprt_search_hit>> hits;  // per query, C layout
  cliprt::c_api::CachedString provenance_json;
  cliprt::c_api::CachedString json;
};

struct cliprt_replay_report {
  cliprt::api::ReplayReport report;
  std::vector<cliprt::api::Difference> differences;  // provenance, then result fields
  std::string text;
};

namespace cliprt::c_api {

// Wraps results into handles, filling the C-layout copies.
std::unique_ptr<cliprt_embeddings> WrapEmbeddings(api::EmbeddingResult result);
std::unique_ptr<cliprt_classification> WrapClassification(api::ClassificationResult result);
std::unique_ptr<cliprt_search_result> WrapSearchResult(api::SearchResult result);

// Refuses results of another checkpoint: `expected` and the SHA-256 in
// `provenance` must match when both are known. `what` names the argument.
Status CheckSameCheckpoint(const std::string& expected, const api::Provenance& provenance,
                           const char* what);

// Strings from the C caller: `count` non-NULL entries (count >= 1).
StatusOr<std::vector<std::string>> CopyStrings(const char* const* strings, size_t count,
                                               const char* name);

}  // namespace cliprt::c_api
