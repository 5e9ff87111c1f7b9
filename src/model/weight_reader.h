// Reading a tower's weights out of the canonical checkpoint names
// (io/canonical_weights.h): each tensor is widened exactly to a contiguous
// fp32 copy (fp16/bf16/f64 storage → f32) and its shape checked, and every
// name read is remembered so the model can refuse checkpoints that carry
// tensors no tower consumed (an unsupported variant is an error, never a
// silently ignored weight).
#pragma once

#include <initializer_list>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "io/canonical_weights.h"
#include "tensor/tensor.h"

namespace cliprt::model {

class WeightReader {
 public:
  explicit WeightReader(const io::CanonicalWeights& weights) : weights_(weights) {}

  bool Has(std::string_view name) const;
  // The tensor as contiguous fp32 with exactly `shape` (an error names the
  // tensor, the expected and the stored shape, and the name in the file).
  StatusOr<Tensor> F32(std::string_view name, std::initializer_list<int64_t> shape) const;
  // Same without a shape check (the caller checks what it derives from it).
  StatusOr<Tensor> F32Any(std::string_view name) const;
  // Like F32, but a tensor stored as fp16 or bf16 stays in that dtype (a
  // contiguous copy): for large tables read a row at a time
  // (embedding_table.h), where widening on use is cheap and exact.
  StatusOr<Tensor> Compact(std::string_view name, std::initializer_list<int64_t> shape) const;
  // The stored (file) name of a canonical name, for error messages.
  std::string SourceName(std::string_view name) const;
  // Canonical names starting with `prefix` that were never read.
  std::vector<std::string> Unread(std::string_view prefix) const;
  // UnsupportedError when a tensor under any of `prefixes` was never read: a
  // weight the architecture has no place for means a variant cliprt does not
  // implement (layer scale, an attentional pooler, qk-norm, ...), never
  // something to ignore. Names the first few tensors as stored in the file;
  // `tower` starts the message (e.g. "ViT vision tower").
  Status RefuseUnread(std::initializer_list<std::string_view> prefixes, std::string_view tower) const;

 private:
  // Lookup, optional shape check, read bookkeeping and the contiguous copy
  // (fp32, or the stored fp16/bf16 when keep_half) behind F32, F32Any, Compact.
  StatusOr<Tensor> Copy(std::string_view name, const Shape* shape, bool keep_half) const;

  const io::CanonicalWeights& weights_;
  mutable std::mutex mutex_;
  mutable std::set<std::string, std::less<>> read_;
};

}  // namespace cliprt::model
