// Replay comparison: a saved result against the same result recomputed now.
// Reports bit-identical, or exactly what differs — every provenance field by
// its path ("model.files[0].sha256", "preprocess.interpolation",
// "classification.templates[3]", "library.isa") with both values — and how
// far the values moved (max abs difference, count of differing values).
//
// Differences are classed: substantive ones can change the numbers
// (checkpoint hashes, preprocessing, tokenizer, templates, precision, ISA);
// informational ones cannot by contract (file paths, git revision, thread
// count — results are independent of the thread count — selection reasons).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "api/provenance.h"
#include "api/results.h"

namespace cliprt::api {

struct Difference {
  std::string field;        // path, e.g. "model.files[0].sha256"
  std::string saved;        // JSON text of the saved value ("<absent>" if missing)
  std::string recomputed;   // JSON text of the new value
  bool substantive = true;  // may change result values

  bool operator==(const Difference&) const = default;
};

std::vector<Difference> DiffProvenance(const Provenance& saved, const Provenance& recomputed);

struct ValueComparison {
  bool same_shape = true;        // same number of values (and shape where known)
  bool bit_identical = true;     // every value has the same bits
  int64_t count = 0;             // values compared
  int64_t differing = 0;         // values whose bits differ
  int64_t first_differing = -1;  // index of the first, -1 if none
  double max_abs_diff = 0;       // NaN vs number counts as infinite
  double max_abs_saved = 0;      // for relative tolerance: max |saved|

  bool operator==(const ValueComparison&) const = default;
};

ValueComparison CompareValues(std::span<const float> saved, std::span<const float> recomputed);

struct ReplayReport {
  std::vector<Difference> provenance;  // provenance field differences
  std::vector<Difference> result;      // result fields other than float values (shape, labels, ids, flags)
  ValueComparison values;              // all float values, in document order

  // Nothing differs, values bit for bit.
  bool identical() const { return provenance.empty() && result.empty() && values.bit_identical; }
  // No substantive provenance difference and no result difference.
  bool substantively_identical() const;
  // Human-readable multi-line summary ("bit-identical" or one line per difference).
  std::string ToString() const;
};

ReplayReport DiffResults(const EmbeddingResult& saved, const EmbeddingResult& recomputed);
ReplayReport DiffResults(const SimilarityResult& saved, const SimilarityResult& recomputed);
ReplayReport DiffResults(const ClassificationResult& saved, const ClassificationResult& recomputed);
ReplayReport DiffResults(const SearchResult& saved, const SearchResult& recomputed);

}  // namespace cliprt::api
