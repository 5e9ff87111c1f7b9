// What a checkpoint reader produces: the tensors it was asked for, and the
// name/dtype/shape of every tensor in the file (config inference needs the
// shapes of a tower even when that tower's tensors are not loaded).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "io/mapped_file.h"
#include "tensor/tensor.h"

namespace cliprt::io {

struct TensorInfo {
  std::string name;
  DType dtype = DType::kF32;
  Shape shape;
};

// Returns true for tensors the caller wants materialized. A null filter
// selects everything.
using TensorFilter = std::function<bool(std::string_view name)>;

struct TensorSet {
  std::vector<std::pair<std::string, Tensor>> tensors;  // selected, in file order
  std::vector<TensorInfo> all;                           // every tensor, in file order
  std::map<std::string, std::string> metadata;           // safetensors __metadata__
};

// A tensor over `src` bytes [byte_offset, ...): borrowed (zero-copy, the
// source keepalive held) when the address is aligned for the dtype, else
// copied into owned contiguous storage. The caller has bounds-checked the
// whole extent described by shape/strides.
StatusOr<Tensor> TensorFromSource(const ByteSource& src, size_t byte_offset, DType dtype,
                                  const Shape& shape, const Strides& strides);

// Largest element offset + 1 addressed by shape/strides (0 for empty
// tensors); error on negative strides or overflow.
StatusOr<int64_t> CheckedExtent(const Shape& shape, const Strides& strides);

}  // namespace cliprt::io
