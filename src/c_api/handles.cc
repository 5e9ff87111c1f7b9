#include "c_api/handles.h"

namespace cliprt::c_api {

std::unique_ptr<cliprt_embeddings> WrapEmbeddings(api::EmbeddingResult result) {
  auto h = std::make_unique<cliprt_embeddings>();
  h->result = std::move(result);
  return h;
}

std::unique_ptr<cliprt_classification> WrapClassification(api::ClassificationResult result) {
  auto h = std::make_unique<cliprt_classification>();
  h->result = std::move(result);
  h->top_k.reserve(h->result.images.size());
  for (const api::ImageClassification& image : h->result.images) {
    std::vector<cliprt_label_score> scores;
    scores.reserve(image.top_k.size());
    for (const api::LabelScore& s : image.top_k) scores.push_back({s.label, s.probability, s.logit});
    h->top_k.push_back(std::move(scores));
  }
  return h;
}

std::unique_ptr<cliprt_search_result> WrapSearchResult(api::SearchResult result) {
  auto h = std::make_unique<cliprt_search_result>();
  h->result = std::move(result);
  h->hits.reserve(h->result.hits.size());
  for (const auto& query : h->result.hits) {
    std::vector<cliprt_search_hit> hits;
    hits.reserve(query.size());
    for (const api::SearchHit& hit : query) hits.push_back({hit.id, hit.score});
    h->hits.push_back(std::move(hits));
  }
  return h;
}

Status CheckSameCheckpoint(const std::string& expected, const api::Provenance& provenance,
                           const char* what) {
  const std::string actual = api::CheckpointSha256(provenance.model);
  if (expected.empty() || actual.empty() || expected == actual) return Status::Ok();
  return FailedPreconditionError(std::string(what) + " come from checkpoint sha256 " + actual + " (" +
                              provenance.model.name + ", " + provenance.model.family +
                              "), not from this model's checkpoint sha256 " + expected +
                              ": scores across checkpoints are meaningless");
}

StatusOr<std::vector<std::string>> CopyStrings(const char* const* strings, size_t count,
                                               const char* name) {
  if (count == 0) return InvalidArgumentError(std::string("no ") + name + " given (count is 0)");
  RETURN_IF_ERROR(RequireNonNull(strings, name));
  std::vector<std::string> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    if (strings[i] == nullptr) {
      return InvalidArgumentError(std::string(name) + "[" + std::to_string(i) + "] is NULL");
    }
    out.emplace_back(strings[i]);
  }
  return out;
}

}  // namespace cliprt::c_api
