#include "model/embedding_table.h"

#include "tensor/dtype.h"

namespace cliprt::model {

StatusOr<EmbeddingTable> EmbeddingTable::Read(const WeightReader& weights, std::string_view name,
                                              int64_t rows, int64_t cols) {
  EmbeddingTable t;
  ASSIGN_OR_RETURN(t.table_, weights.Compact(name, {rows, cols}));
  return t;
}

void EmbeddingTable::AddRow(int64_t id, const float* add, float* out) const {
  const int64_t c = cols();
  switch (table_.dtype()) {
    case DType::kF16: {
      const uint16_t* e = table_.data_as<uint16_t>() + id * c;
      for (int64_t j = 0; j < c; ++j) out[j] = HalfToFloat(e[j]) + add[j];
      return;
    }
    case DType::kBF16: {
      const uint16_t* e = table_.data_as<uint16_t>() + id * c;
      for (int64_t j = 0; j < c; ++j) out[j] = BFloat16ToFloat(e[j]) + add[j];
      return;
    }
    default: {
      const float* e = table_.data_as<float>() + id * c;
      for (int64_t j = 0; j < c; ++j) out[j] = e[j] + add[j];
      return;
    }
  }
}

}  // namespace cliprt::model
