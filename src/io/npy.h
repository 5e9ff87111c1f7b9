// NumPy .npy files (format versions 1.0–3.0, C order, little-endian), the
// array format the CLI writes (token ids, pixels, embeddings) and the golden
// fixtures use. Supported dtypes: <f4 <f2 <f8 <i8 <i4 |u1 |i1 |b1.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "tensor/tensor.h"

namespace cliprt::io {

// Parses a whole .npy file held in memory. Errors name what is wrong (magic,
// header, dtype, Fortran order, size mismatch); shapes are overflow-checked.
StatusOr<Tensor> ParseNpy(const uint8_t* data, size_t size, const std::string& name);
StatusOr<Tensor> ReadNpy(const std::string& path);

// Serializes a tensor (any strides; written C-contiguous) as .npy v1.0.
StatusOr<std::vector<uint8_t>> SerializeNpy(const TensorView& t);
Status WriteNpy(const std::string& path, const TensorView& t);

}  // namespace cliprt::io
