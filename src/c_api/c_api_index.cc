// C API: the retrieval index (embeddings by uint64 id, cosine top-k) and its
// search results. The handle's shared_mutex makes every call thread-safe:
// searches share it, changes take it exclusively.
#include <algorithm>
#include <climits>
#include <cstring>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "api/index_file_format.h"
#include "api/provenance_json.h"
#include "api/results_json.h"
#include "c_api/handles.h"

using cliprt::Status;
using cliprt::c_api::RequireNonNull;
using cliprt::c_api::Run;

namespace {

Status RequireIndex(const cliprt_index* index) {
  if (index == nullptr || !index->index) return cliprt::InvalidArgumentError("index is NULL");
  return Status::Ok();
}

Status CheckDim(const cliprt::api::RetrievalIndex& index, size_t dim, const char* what) {
  if (dim != static_cast<size_t>(index.dim())) {
    return cliprt::InvalidArgumentError(std::string(what) + " have dimension " + std::to_string(dim) +
                                        ", the index holds dimension " + std::to_string(index.dim()));
  }
  return Status::Ok();
}

// k as the index takes it: 0 is refused, anything past INT_MAX is clamped
// (the index clamps to its size anyway).
cliprt::StatusOr<int> ToK(size_t k) {
  if (k == 0) return cliprt::InvalidArgumentError("k is 0, must be >= 1");
  return k > static_cast<size_t>(INT_MAX) ? INT_MAX : static_cast<int>(k);
}

Status EmitSearch(const cliprt::api::RetrievalIndex& index, std::vector<std::vector<cliprt::api::SearchHit>> hits,
                  cliprt::api::Provenance provenance, int k, cliprt_search_result** out) {
  cliprt::api::SearchResult r;
  r.hits = std::move(hits);
  r.provenance = std::move(provenance);
  r.provenance.retrieval = index.Info(k);
  *out = cliprt::c_api::WrapSearchResult(std::move(r)).release();
  return Status::Ok();
}

}  // namespace

extern "C" {

cliprt_status cliprt_index_create(const cliprt_model* model, size_t dim, cliprt_index** index_out) {
  return Run("cliprt_index_create", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(index_out, "index_out"));
    cliprt::api::IndexIdentity identity;
    if (model != nullptr) {
      if (!model->model) return cliprt::InvalidArgumentError("model is not a loaded model");
      const int64_t embed_dim = model->model->embed_dim();
      if (dim != 0 && dim != static_cast<size_t>(embed_dim)) {
        return cliprt::InvalidArgumentError("dim is " + std::to_string(dim) + ", the model's embeddings have " +
                                            std::to_string(embed_dim) + " (pass 0 or " +
                                            std::to_string(embed_dim) + ")");
      }
      identity = cliprt::api::IdentityFromProvenance(model->model->BaseProvenance(), embed_dim);
    } else {
      if (dim == 0 || dim > static_cast<size_t>(cliprt::api::kMaxIndexDim)) {
        return cliprt::InvalidArgumentError("dim is " + std::to_string(dim) + ", expected 1.." +
                                            std::to_string(cliprt::api::kMaxIndexDim) +
                                            " when no model is given");
      }
      identity.dim = static_cast<int64_t>(dim);
    }
    auto h = std::make_unique<cliprt_index>();
    ASSIGN_OR_RETURN(h->index, cliprt::api::RetrievalIndex::Create(std::move(identity)));
    *index_out = h.release();
    return Status::Ok();
  });
}

cliprt_status cliprt_index_add(cliprt_index* index, const uint64_t* ids, size_t count,
                               const cliprt_embeddings* embeddings) {
  return Run("cliprt_index_add", [&]() -> Status {
    RETURN_IF_ERROR(RequireIndex(index));
    RETURN_IF_ERROR(RequireNonNull(ids, "ids"));
    RETURN_IF_ERROR(RequireNonNull(embeddings, "embeddings"));
    const cliprt::api::EmbeddingResult& e = embeddings->result;
    if (count == 0) return cliprt::InvalidArgumentError("count is 0");
    if (count != static_cast<size_t>(e.rows)) {
      return cliprt::InvalidArgumentError(std::to_string(count) + " ids for " + std::to_string(e.rows) +
                                          " embedding rows");
    }
    const cliprt::api::IndexIdentity identity = cliprt::api::IdentityFromProvenance(e.provenance, e.dim);
    std::unique_lock lock(index->mutex);
    return index->index->Add(std::span<const uint64_t>(ids, count), e.values, identity);
  });
}

cliprt_status cliprt_index_add_values(cliprt_index* index, const uint64_t* ids, size_t count, const float* values,
                                      size_t dim) {
  return Run("cliprt_index_add_values", [&]() -> Status {
    RETURN_IF_ERROR(RequireIndex(index));
    RETURN_IF_ERROR(RequireNonNull(ids, "ids"));
    RETURN_IF_ERROR(RequireNonNull(values, "values"));
    if (count == 0) return cliprt::InvalidArgumentError("count is 0");
    std::unique_lock lock(index->mutex);
    RETURN_IF_ERROR(CheckDim(*index->index, dim, "values"));
    if (count > (SIZE_MAX / sizeof(float)) / dim) return cliprt::InvalidArgumentError("count x dim overflows");
    const cliprt::api::IndexIdentity identity = index->index->identity();
    return index->index->Add(std::span<const uint64_t>(ids, count), std::span<const float>(values, count * dim),
                             identity);
  });
}

cliprt_status cliprt_index_remove(cliprt_index* index, uint64_t id) {
  return Run("cliprt_index_remove", [&]() -> Status {
    RETURN_IF_ERROR(RequireIndex(index));
    std::unique_lock lock(index->mutex);
    return index->index->Remove(id);
  });
}

cliprt_status cliprt_index_size(const cliprt_index* index, size_t* size_out, size_t* dim_out) {
  return Run("cliprt_index_size", [&]() -> Status {
    RETURN_IF_ERROR(RequireIndex(index));
    std::shared_lock lock(index->mutex);
    if (size_out) *size_out = static_cast<size_t>(index->index->size());
    if (dim_out) *dim_out = static_cast<size_t>(index->index->dim());
    return Status::Ok();
  });
}

cliprt_status cliprt_index_identity_json(const cliprt_index* index, char* buffer,
                                         size_t buffer_size, size_t* length_out) {
  return Run("cliprt_index_identity_json", [&]() -> Status {
    RETURN_IF_ERROR(RequireIndex(index));
    RETURN_IF_ERROR(RequireNonNull(length_out, "length_out"));
    if (buffer == nullptr && buffer_size != 0) {
      return cliprt::InvalidArgumentError("buffer is NULL but buffer_size is " +
                                          std::to_string(buffer_size));
    }
    std::shared_lock lock(index->mutex);
    const std::string json = cliprt::api::IndexIdentityJson(index->index->identity());
    *length_out = json.size();
    if (buffer_size > 0) {
      const size_t n = std::min(json.size(), buffer_size - 1);
      std::memcpy(buffer, json.data(), n);
      buffer[n] = '\0';
    }
    return Status::Ok();
  });
}

cliprt_status cliprt_index_contains(const cliprt_index* index, uint64_t id, int* contains_out) {
  return Run("cliprt_index_contains", [&]() -> Status {
    RETURN_IF_ERROR(RequireIndex(index));
    RETURN_IF_ERROR(RequireNonNull(contains_out, "contains_out"));
    std::shared_lock lock(index->mutex);
    *contains_out = index->index->Contains(id) ? 1 : 0;
    return Status::Ok();
  });
}

cliprt_status cliprt_index_search(const cliprt_index* index, const cliprt_embeddings* queries, size_t k,
                                  cliprt_search_result** result_out) {
  return Run("cliprt_index_search", [&]() -> Status {
    RETURN_IF_ERROR(RequireIndex(index));
    RETURN_IF_ERROR(RequireNonNull(queries, "queries"));
    RETURN_IF_ERROR(RequireNonNull(result_out, "result_out"));
    ASSIGN_OR_RETURN(const int top_k, ToK(k));
    const cliprt::api::EmbeddingResult& q = queries->result;
    if (q.rows < 1) return cliprt::InvalidArgumentError("queries hold no rows");
    const cliprt::api::IndexIdentity identity = cliprt::api::IdentityFromProvenance(q.provenance, q.dim);
    std::shared_lock lock(index->mutex);
    RETURN_IF_ERROR(CheckDim(*index->index, static_cast<size_t>(q.dim), "the queries"));
    ASSIGN_OR_RETURN(auto hits, index->index->Search(q.values, q.rows, top_k, &identity));
    return EmitSearch(*index->index, std::move(hits), q.provenance, top_k, result_out);
  });
}

cliprt_status cliprt_index_search_values(const cliprt_index* index, const float* queries, size_t rows, size_t dim,
                                         size_t k, cliprt_search_result** result_out) {
  return Run("cliprt_index_search_values", [&]() -> Status {
    RETURN_IF_ERROR(RequireIndex(index));
    RETURN_IF_ERROR(RequireNonNull(queries, "queries"));
    RETURN_IF_ERROR(RequireNonNull(result_out, "result_out"));
    ASSIGN_OR_RETURN(const int top_k, ToK(k));
    if (rows == 0) return cliprt::InvalidArgumentError("rows is 0");
    std::shared_lock lock(index->mutex);
    RETURN_IF_ERROR(CheckDim(*index->index, dim, "the queries"));
    if (rows > (SIZE_MAX / sizeof(float)) / dim) return cliprt::InvalidArgumentError("rows x dim overflows");
    ASSIGN_OR_RETURN(auto hits, index->index->Search(std::span<const float>(queries, rows * dim),
                                                     static_cast<int64_t>(rows), top_k, nullptr));
    // Raw rows carry no provenance of their own: the index's identity and
    // this build describe the search.
    cliprt::api::Provenance provenance;
    provenance.library = cliprt::api::CurrentLibraryInfo("f32", 1);
    provenance.model.name = index->index->identity().model_name;
    return EmitSearch(*index->index, std::move(hits), std::move(provenance), top_k, result_out);
  });
}

cliprt_status cliprt_index_save(const cliprt_index* index, const char* path) {
  return Run("cliprt_index_save", [&]() -> Status {
    RETURN_IF_ERROR(RequireIndex(index));
    RETURN_IF_ERROR(RequireNonNull(path, "path"));
    if (path[0] == '\0') return cliprt::InvalidArgumentError("path is empty");
    std::shared_lock lock(index->mutex);
    return cliprt::api::SaveIndex(*index->index, path);
  });
}

cliprt_status cliprt_index_load(const char* path, cliprt_index** index_out) {
  return Run("cliprt_index_load", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(path, "path"));
    RETURN_IF_ERROR(RequireNonNull(index_out, "index_out"));
    if (path[0] == '\0') return cliprt::InvalidArgumentError("path is empty");
    auto h = std::make_unique<cliprt_index>();
    ASSIGN_OR_RETURN(h->index, cliprt::api::LoadIndex(path));
    *index_out = h.release();
    return Status::Ok();
  });
}

void cliprt_index_free(cliprt_index* index) { delete index; }

// ---- search results ----

cliprt_status cliprt_search_result_num_queries(const cliprt_search_result* result, size_t* num_queries_out) {
  return Run("cliprt_search_result_num_queries", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(result, "result"));
    RETURN_IF_ERROR(RequireNonNull(num_queries_out, "num_queries_out"));
    *num_queries_out = result->hits.size();
    return Status::Ok();
  });
}

cliprt_status cliprt_search_result_hits(const cliprt_search_result* result, size_t query,
                                        const cliprt_search_hit** hits_out, size_t* count_out) {
  return Run("cliprt_search_result_hits", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(result, "result"));
    if (query >= result->hits.size()) {
      return cliprt::OutOfRangeError("query " + std::to_string(query) + " >= number of queries " +
                                     std::to_string(result->hits.size()));
    }
    if (hits_out) *hits_out = result->hits[query].data();
    if (count_out) *count_out = result->hits[query].size();
    return Status::Ok();
  });
}

cliprt_status cliprt_search_result_provenance_json(const cliprt_search_result* result, const char** json_out) {
  return Run("cliprt_search_result_provenance_json", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(result, "result"));
    RETURN_IF_ERROR(RequireNonNull(json_out, "json_out"));
    *json_out = result->provenance_json.Get([&] { return cliprt::api::ToJson(result->result.provenance); });
    return Status::Ok();
  });
}

cliprt_status cliprt_search_result_to_json(const cliprt_search_result* result, const char** json_out) {
  return Run("cliprt_search_result_to_json", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(result, "result"));
    RETURN_IF_ERROR(RequireNonNull(json_out, "json_out"));
    *json_out = result->json.Get([&] { return cliprt::api::ToJson(result->result); });
    return Status::Ok();
  });
}

void cliprt_search_result_free(cliprt_search_result* result) { delete result; }

}  // extern "C"
