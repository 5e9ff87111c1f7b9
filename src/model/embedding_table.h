// A token-embedding matrix [vocab, width], kept in the precision the
// checkpoint stores when that is fp16 or bf16 (half the memory of an fp32
// copy: 50 MB less for a ViT-B text tower, 76 MB for ViT-L) and widened row
// by row as tokens are looked up. fp16/bf16 → fp32 is exact, so a text
// embeds to the same bits as with an fp32 table. fp32 (and f64, narrowed
// once at load as every other weight is) is kept as fp32.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/status.h"
#include "model/weight_reader.h"
#include "tensor/tensor.h"

namespace cliprt::model {

class EmbeddingTable {
 public:
  EmbeddingTable() = default;
  // Reads `name` with exactly [rows, cols] (errors as WeightReader::F32's).
  static StatusOr<EmbeddingTable> Read(const WeightReader& weights, std::string_view name,
                                       int64_t rows, int64_t cols);

  int64_t rows() const { return table_.dim(0); }
  int64_t cols() const { return table_.dim(1); }
  DType dtype() const { return table_.dtype(); }  // f32, f16 or bf16

  // out[c] = table[id][c] + add[c] for c < cols, in fp32. id must be in
  // [0, rows) (the tokenizer guarantees it; the towers check).
  void AddRow(int64_t id, const float* add, float* out) const;

 private:
  Tensor table_;  // [rows, cols]
};

}  // namespace cliprt::model
