// Retrieval index: embeddings by id, searched by cosine similarity.
//
// Ids are uint64 chosen by the caller (map strings to ids outside; a uint64
// key keeps entries fixed-size and the file format simple). Rows are stored
// L2-normalized in one contiguous [entries, dim] float array. A search scores
// queries against every row with the library's packed GEMM (kernels/gemm.h;
// the rows are packed once, lazily, after each change), then selects top-k
// over fixed chunks of rows on the ThreadPool and merges the chunk lists in a
// total order. A query's scores depend only on that query and the index —
// not on the thread count or on the other queries in the batch — and may
// differ in the last bits between ISA levels (provenance records the level).
//
// Ordering rule: higher score first; equal scores by insertion order (the
// entry added earlier first). Insertion order is a per-entry sequence number
// that survives Remove and save/load.
//
// Every index carries the identity of the embeddings in it (IndexIdentity:
// checkpoint SHA-256, model name, dim, preprocessing, tokenizer). Adding or
// querying with embeddings of another identity is refused with an error that
// names both values — cosine scores across checkpoints or preprocessing
// pipelines are meaningless.
//
// Thread-safety: const methods may run concurrently; Add/Remove need
// exclusive access.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/provenance.h"
#include "api/results.h"
#include "core/status.h"
#include "core/thread_pool.h"
#include "kernels/gemm.h"

namespace cliprt::api {

inline constexpr int64_t kMaxIndexDim = 1 << 16;

// What makes two embeddings comparable.
struct IndexIdentity {
  int64_t dim = 0;
  std::string checkpoint_sha256;  // CheckpointSha256(model): '+'-joined weights hashes
  std::string model_name;         // manifest name or "unrecognized" (informational)
  std::string preprocessing;      // PreprocessingKey, "" when no image embeddings yet
  std::string tokenizer;          // TokenizerKey, "" when no text embeddings yet

  bool operator==(const IndexIdentity&) const = default;
};

// Identity of embeddings of width `dim` described by `p` (preprocess /
// tokenizer keys filled when those blocks are present).
IndexIdentity IdentityFromProvenance(const Provenance& p, int64_t dim);

// The identity as one JSON object, exactly as index files store it:
// {"dim", "checkpoint_sha256", "model_name", "preprocessing", "tokenizer",
//  "normalization": "l2"}.
std::string IndexIdentityJson(const IndexIdentity& id);

// Whether embeddings of identity `incoming` may join an index of `existing`:
// dim and checkpoint must be equal; preprocessing and tokenizer must be equal
// when both sides have one. The error names the field and both values.
Status CheckCompatible(const IndexIdentity& existing, const IndexIdentity& incoming,
                       std::string_view what);

class RetrievalIndex {
 public:
  // An empty index for embeddings of this identity (dim in 1..kMaxIndexDim).
  static StatusOr<RetrievalIndex> Create(IndexIdentity identity);

  // Adds rows [ids.size(), dim] (unnormalized is fine; stored normalized).
  // Refused as a whole (nothing added) on: identity mismatch, a size that is
  // not ids.size()·dim, a duplicate id (within the batch or already
  // present), a zero-norm or non-finite row (named by its id).
  Status Add(std::span<const uint64_t> ids, std::span<const float> embeddings,
             const IndexIdentity& identity);

  // Removes one entry; NotFound naming the id if absent.
  Status Remove(uint64_t id);

  bool Contains(uint64_t id) const { return slot_of_.count(id) != 0; }
  int64_t size() const { return static_cast<int64_t>(ids_.size()); }
  int64_t dim() const { return identity_.dim; }
  const IndexIdentity& identity() const { return identity_; }

  // The stored (normalized) embedding of `id`.
  StatusOr<std::vector<float>> Get(uint64_t id) const;

  // Top-k entries by cosine for each query row ([rows, dim], unnormalized
  // fine); k is clamped to size(); k < 1 is an error. query_identity, when
  // given, must be compatible (its preprocessing is not compared — text
  // queries search image indexes and back).
  StatusOr<std::vector<std::vector<SearchHit>>> Search(std::span<const float> queries,
                                                       int64_t rows, int k,
                                                       const IndexIdentity* query_identity,
                                                       ThreadPool* pool = nullptr) const;

  // The provenance block of a search.
  RetrievalInfo Info(int k) const;

  // Storage, for the file writer: entry i has ids()[i], sequence()[i] and
  // row i of embeddings().
  const std::vector<uint64_t>& ids() const { return ids_; }
  const std::vector<uint64_t>& sequence() const { return sequence_; }
  const std::vector<float>& embeddings() const { return rows_; }
  uint64_t next_sequence() const { return next_sequence_; }

  // For the file reader: entries exactly as saved (normalized rows), checked
  // for duplicate ids and sequence numbers and for next_sequence above all.
  static StatusOr<RetrievalIndex> FromStorage(IndexIdentity identity, std::vector<uint64_t> ids,
                                              std::vector<uint64_t> sequence,
                                              std::vector<float> rows, uint64_t next_sequence);

 private:
  RetrievalIndex() = default;
  // The rows packed for the GEMM, packed on first use after a change.
  StatusOr<const kernels::PackedGemmWeights*> PackedRows() const;
  void RowsChanged() { packed_ = std::make_shared<PackedCache>(); }

  struct PackedCache {
    std::mutex mutex;
    bool ready = false;
    kernels::PackedGemmWeights weights;
  };

  IndexIdentity identity_;
  std::vector<uint64_t> ids_;
  std::vector<uint64_t> sequence_;
  std::vector<float> rows_;
  std::unordered_map<uint64_t, int64_t> slot_of_;
  uint64_t next_sequence_ = 0;
  // Shared by copies until one of them changes (RowsChanged gives it a new one).
  std::shared_ptr<PackedCache> packed_ = std::make_shared<PackedCache>();
};

}  // namespace cliprt::api
