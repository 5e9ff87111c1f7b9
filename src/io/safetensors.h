// safetensors reader: u64-LE header length N, N bytes of JSON describing each
// tensor (dtype, shape, data_offsets relative to the byte buffer), then the
// buffer. Validation follows the reference implementation's rules: header
// size limit, well-formed JSON without duplicate names, every dtype/shape/
// offset consistent, offsets inside the file, tensors contiguous and
// non-overlapping, all arithmetic overflow-checked. Tensors are zero-copy
// views into the source when aligned.
#pragma once

#include "io/tensor_set.h"

namespace cliprt::io {

inline constexpr uint64_t kMaxSafetensorsHeaderBytes = 100u << 20;  // as the reference library

// True if the bytes look like safetensors (plausible header length, then '{').
bool LooksLikeSafetensors(const uint8_t* data, size_t size);

StatusOr<TensorSet> ReadSafetensors(const ByteSource& src, const TensorFilter& filter);

}  // namespace cliprt::io
