// Retrieval index: normalized rows, cosine top-k, identity checks.
#include "api/retrieval_index.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "api/json_fields.h"
#include "api/vector_math.h"
#include "api/zero_shot_classifier.h"
#include "core/arena.h"

namespace cliprt::api {
namespace {

constexpr const char* kTieBreak = "equal scores: insertion order (earlier first)";

struct Candidate {
  float score;
  uint64_t sequence;
  int64_t slot;
};

// a ranks before b: higher score, then earlier insertion.
bool Better(const Candidate& a, const Candidate& b) {
  return a.score != b.score ? a.score > b.score : a.sequence < b.sequence;
}

// Keeps the best k candidates (a heap whose top is the worst kept).
class TopK {
 public:
  explicit TopK(int k) : k_(k) { heap_.reserve(static_cast<size_t>(k)); }
  void Push(const Candidate& c) {
    if (static_cast<int>(heap_.size()) < k_) {
      heap_.push_back(c);
      std::push_heap(heap_.begin(), heap_.end(), Better);
    } else if (Better(c, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), Better);
      heap_.back() = c;
      std::push_heap(heap_.begin(), heap_.end(), Better);
    }
  }
  const std::vector<Candidate>& items() const { return heap_; }

 private:
  int k_;
  std::vector<Candidate> heap_;
};

Status Mismatch(std::string_view what, std::string_view field, const std::string& existing,
                const std::string& incoming) {
  return FailedPreconditionError(std::string(what) + ": embeddings with " + std::string(field) + " \"" + incoming +
                                 "\" cannot be mixed with the index's " + std::string(field) + " \"" + existing +
                                 "\" (scores across them are not comparable)");
}

// Rows are finite with a non-zero norm; errors name the row's id.
Status CheckRows(std::span<const float> rows, int64_t dim, std::span<const uint64_t> ids, std::string_view what) {
  const int64_t n = static_cast<int64_t>(rows.size()) / dim;
  for (int64_t r = 0; r < n; ++r) {
    const double norm = NormF64(rows.data() + r * dim, dim);
    if (!std::isfinite(norm) || norm == 0) {
      return InvalidArgumentError(std::string(what) + ": embedding " +
                                  (ids.empty() ? "row " + std::to_string(r) : "of id " + std::to_string(ids[r])) +
                                  (norm == 0 ? " is all zeros" : " is not finite"));
    }
  }
  return Status::Ok();
}

}  // namespace

std::string IndexIdentityJson(const IndexIdentity& id) {
  return json::ObjectWriter()
      .Int("dim", id.dim)
      .Str("checkpoint_sha256", id.checkpoint_sha256)
      .Str("model_name", id.model_name)
      .Str("preprocessing", id.preprocessing)
      .Str("tokenizer", id.tokenizer)
      .Str("normalization", "l2")
      .Done();
}

IndexIdentity IdentityFromProvenance(const Provenance& p, int64_t dim) {
  IndexIdentity id;
  id.dim = dim;
  id.checkpoint_sha256 = CheckpointSha256(p.model);
  id.model_name = p.model.name;
  if (p.preprocess) id.preprocessing = PreprocessingKey(*p.preprocess);
  if (p.tokenizer) id.tokenizer = TokenizerKey(*p.tokenizer);
  return id;
}

Status CheckCompatible(const IndexIdentity& existing, const IndexIdentity& incoming, std::string_view what) {
  if (existing.dim != incoming.dim) {
    return InvalidArgumentError(std::string(what) + ": embedding dimension " + std::to_string(incoming.dim) +
                                " does not match the index's " + std::to_string(existing.dim));
  }
  if (existing.checkpoint_sha256 != incoming.checkpoint_sha256) {
    return Mismatch(what, "checkpoint sha256", existing.checkpoint_sha256, incoming.checkpoint_sha256);
  }
  if (!existing.preprocessing.empty() && !incoming.preprocessing.empty() &&
      existing.preprocessing != incoming.preprocessing) {
    return Mismatch(what, "preprocessing", existing.preprocessing, incoming.preprocessing);
  }
  if (!existing.tokenizer.empty() && !incoming.tokenizer.empty() && existing.tokenizer != incoming.tokenizer) {
    return Mismatch(what, "tokenizer", existing.tokenizer, incoming.tokenizer);
  }
  return Status::Ok();
}

StatusOr<RetrievalIndex> RetrievalIndex::Create(IndexIdentity identity) {
  if (identity.dim < 1 || identity.dim > kMaxIndexDim) {
    return InvalidArgumentError("retrieval index: dim " + std::to_string(identity.dim) + " is not within 1.." +
                                std::to_string(kMaxIndexDim));
  }
  RetrievalIndex index;
  index.identity_ = std::move(identity);
  return index;
}

Status RetrievalIndex::Add(std::span<const uint64_t> ids, std::span<const float> embeddings,
                           const IndexIdentity& identity) {
  const int64_t dim = identity_.dim;
  RETURN_IF_ERROR(CheckCompatible(identity_, identity, "retrieval index add"));
  if (ids.empty()) return InvalidArgumentError("retrieval index add: no ids (nothing to add)");
  if (embeddings.size() / static_cast<size_t>(dim) != ids.size() || embeddings.size() % static_cast<size_t>(dim) != 0) {
    return InvalidArgumentError("retrieval index add: " + std::to_string(embeddings.size()) +
                                " floats for " + std::to_string(ids.size()) + " ids of dim " + std::to_string(dim) +
                                " (expected " + std::to_string(ids.size() * static_cast<size_t>(dim)) + ")");
  }
  std::unordered_set<uint64_t> batch;
  for (uint64_t id : ids) {
    if (slot_of_.count(id) != 0) return InvalidArgumentError("retrieval index add: id " + std::to_string(id) + " is already in the index");
    if (!batch.insert(id).second) return InvalidArgumentError("retrieval index add: id " + std::to_string(id) + " appears twice in the batch");
  }
  RETURN_IF_ERROR(CheckRows(embeddings, dim, ids, "retrieval index add"));
  if (identity_.preprocessing.empty()) identity_.preprocessing = identity.preprocessing;
  if (identity_.tokenizer.empty()) identity_.tokenizer = identity.tokenizer;
  const size_t first = ids_.size();
  rows_.resize(rows_.size() + embeddings.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    NormalizeRow(embeddings.data() + i * dim, dim, rows_.data() + (first + i) * dim);
    ids_.push_back(ids[i]);
    sequence_.push_back(next_sequence_++);
    slot_of_[ids[i]] = static_cast<int64_t>(first + i);
  }
  RowsChanged();
  return Status::Ok();
}

Status RetrievalIndex::Remove(uint64_t id) {
  auto it = slot_of_.find(id);
  if (it == slot_of_.end()) return NotFoundError("retrieval index remove: id " + std::to_string(id) + " is not in the index");
  const int64_t slot = it->second;
  const int64_t last = size() - 1;
  const int64_t dim = identity_.dim;
  slot_of_.erase(it);
  if (slot != last) {
    ids_[slot] = ids_[last];
    sequence_[slot] = sequence_[last];
    std::copy(rows_.begin() + last * dim, rows_.begin() + (last + 1) * dim, rows_.begin() + slot * dim);
    slot_of_[ids_[slot]] = slot;
  }
  ids_.pop_back();
  sequence_.pop_back();
  rows_.resize(rows_.size() - static_cast<size_t>(dim));
  RowsChanged();
  return Status::Ok();
}

StatusOr<std::vector<float>> RetrievalIndex::Get(uint64_t id) const {
  auto it = slot_of_.find(id);
  if (it == slot_of_.end()) return NotFoundError("retrieval index: id " + std::to_string(id) + " is not in the index");
  const auto begin = rows_.begin() + it->second * identity_.dim;
  return std::vector<float>(begin, begin + identity_.dim);
}

StatusOr<std::vector<std::vector<SearchHit>>> RetrievalIndex::Search(std::span<const float> queries, int64_t rows,
                                                                     int k, const IndexIdentity* query_identity,
                                                                     ThreadPool* pool) const {
  const int64_t dim = identity_.dim;
  if (query_identity != nullptr) {
    // Text queries search image embeddings and back: only the model must match.
    IndexIdentity q = *query_identity;
    q.preprocessing.clear();
    q.tokenizer.clear();
    RETURN_IF_ERROR(CheckCompatible(identity_, q, "retrieval index search"));
  }
  if (rows < 1) return InvalidArgumentError("retrieval index search: no queries (rows = " + std::to_string(rows) + ")");
  if (rows > static_cast<int64_t>(queries.size()) / dim || static_cast<int64_t>(queries.size()) != rows * dim) {
    return InvalidArgumentError("retrieval index search: " + std::to_string(queries.size()) + " floats for " +
                                std::to_string(rows) + " queries of the index's dim " + std::to_string(dim));
  }
  if (k < 1) return InvalidArgumentError("retrieval index search: k = " + std::to_string(k) + " must be >= 1");
  RETURN_IF_ERROR(CheckRows(queries, dim, {}, "retrieval index search query"));
  const int kk = static_cast<int>(std::min<int64_t>(k, size()));
  std::vector<std::vector<SearchHit>> out(static_cast<size_t>(rows));
  if (kk == 0) return out;

  std::vector<float> qn(queries.size());
  for (int64_t r = 0; r < rows; ++r) NormalizeRow(queries.data() + r * dim, dim, qn.data() + r * dim);
  ASSIGN_OR_RETURN(const kernels::PackedGemmWeights* packed, PackedRows());

  // Queries go through the GEMM in blocks (bounded score memory); each
  // query's scores are independent of the block it is in (gemm.h contract).
  const int64_t n = size();
  const int64_t block = std::max<int64_t>(1, std::min<int64_t>(rows, (int64_t{16} << 20) / n));
  std::vector<float> scores(static_cast<size_t>(std::min(block, rows) * n));
  Arena arena;
  const int chunks = pool != nullptr ? pool->num_threads() : 1;
  std::vector<std::vector<TopK>> partial(static_cast<size_t>(chunks));
  std::vector<Candidate> all;
  for (int64_t q0 = 0; q0 < rows; q0 += block) {
    const int64_t mq = std::min(block, rows - q0);
    arena.Reset();
    RETURN_IF_ERROR(packed->Run(mq, qn.data() + q0 * dim, dim, scores.data(), n, kernels::GemmEpilogue(), pool,
                                &arena));
    // Each chunk of entries keeps its own top-k per query; Better() is a
    // total order (sequence numbers are unique), so merging the chunks gives
    // the same list whatever the chunking.
    for (auto& p : partial) p.assign(static_cast<size_t>(mq), TopK(kk));
    auto body = [&](int64_t begin, int64_t end, int thread_index) {
      auto& mine = partial[static_cast<size_t>(thread_index)];
      for (int64_t q = 0; q < mq; ++q) {
        const float* s = scores.data() + q * n;
        for (int64_t e = begin; e < end; ++e) mine[q].Push({s[e], sequence_[e], e});
      }
    };
    if (pool != nullptr) {
      pool->ParallelFor(n, body);
    } else {
      body(0, n, 0);
    }
    for (int64_t q = 0; q < mq; ++q) {
      all.clear();
      for (const auto& p : partial) all.insert(all.end(), p[q].items().begin(), p[q].items().end());
      std::sort(all.begin(), all.end(), Better);
      for (int i = 0; i < kk; ++i) out[q0 + q].push_back({ids_[all[i].slot], all[i].score});
    }
  }
  return out;
}

StatusOr<const kernels::PackedGemmWeights*> RetrievalIndex::PackedRows() const {
  std::lock_guard<std::mutex> lock(packed_->mutex);
  if (!packed_->ready) {
    ASSIGN_OR_RETURN(packed_->weights, kernels::PackedGemmWeights::Create(kernels::GemmPrecision::kF32, rows_.data(),
                                                                          size(), identity_.dim, identity_.dim));
    packed_->ready = true;
  }
  return &packed_->weights;
}

RetrievalInfo RetrievalIndex::Info(int k) const {
  RetrievalInfo info;
  info.metric = "cosine";
  info.index_entries = size();
  info.dim = identity_.dim;
  info.top_k = static_cast<int>(std::min<int64_t>(k, size()));
  info.tie_break = kTieBreak;
  info.index_checkpoint_sha256 = identity_.checkpoint_sha256;
  return info;
}

StatusOr<RetrievalIndex> RetrievalIndex::FromStorage(IndexIdentity identity, std::vector<uint64_t> ids,
                                                     std::vector<uint64_t> sequence, std::vector<float> rows,
                                                     uint64_t next_sequence) {
  ASSIGN_OR_RETURN(RetrievalIndex index, Create(std::move(identity)));
  const int64_t dim = index.identity_.dim;
  if (sequence.size() != ids.size() || rows.size() != ids.size() * static_cast<size_t>(dim)) {
    return CorruptDataError("retrieval index: " + std::to_string(ids.size()) + " ids, " +
                            std::to_string(sequence.size()) + " sequence numbers and " + std::to_string(rows.size()) +
                            " floats do not describe the same entries");
  }
  std::unordered_set<uint64_t> seqs;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!index.slot_of_.emplace(ids[i], static_cast<int64_t>(i)).second) {
      return CorruptDataError("retrieval index: id " + std::to_string(ids[i]) + " appears twice");
    }
    if (sequence[i] >= next_sequence || !seqs.insert(sequence[i]).second) {
      return CorruptDataError("retrieval index: entry " + std::to_string(i) + " has sequence number " +
                              std::to_string(sequence[i]) + ", duplicated or not below the next one (" +
                              std::to_string(next_sequence) + ")");
    }
    const double norm = NormF64(rows.data() + i * dim, dim);
    if (!(std::fabs(norm - 1.0) < 1e-3)) {
      return CorruptDataError("retrieval index: the stored embedding of id " + std::to_string(ids[i]) +
                              " is not unit-norm (norm " + std::to_string(norm) + ")");
    }
  }
  index.ids_ = std::move(ids);
  index.sequence_ = std::move(sequence);
  index.rows_ = std::move(rows);
  index.next_sequence_ = next_sequence;
  return index;
}

}  // namespace cliprt::api
