#include "io/safetensors.h"

#include <algorithm>
#include <cstring>

#include "io/json.h"

namespace cliprt::io {
namespace {

uint64_t ReadU64Le(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

StatusOr<DType> ParseSafetensorsDType(const std::string& name, const std::string& where) {
  if (name == "F32") return DType::kF32;
  if (name == "F16") return DType::kF16;
  if (name == "BF16") return DType::kBF16;
  if (name == "F64") return DType::kF64;
  if (name == "I64") return DType::kI64;
  if (name == "I32") return DType::kI32;
  if (name == "I16") return DType::kI16;
  if (name == "I8") return DType::kI8;
  if (name == "U8") return DType::kU8;
  if (name == "BOOL") return DType::kBool;
  return UnsupportedError(where + ": unsupported safetensors dtype \"" + name + "\"");
}

struct Entry {
  TensorInfo info;
  uint64_t begin = 0;
  uint64_t end = 0;
};

}  // namespace

bool LooksLikeSafetensors(const uint8_t* data, size_t size) {
  if (size < 10) return false;
  const uint64_t n = ReadU64Le(data);
  return n >= 2 && n <= kMaxSafetensorsHeaderBytes && n <= size - 8 && data[8] == '{';
}

StatusOr<TensorSet> ReadSafetensors(const ByteSource& src, const TensorFilter& filter) {
  const std::string& file = src.name;
  if (src.size < 8) {
    return CorruptDataError("safetensors " + file + ": " + std::to_string(src.size) +
                            " bytes is too short for the 8-byte header length");
  }
  const uint64_t header_len = ReadU64Le(src.data);
  if (header_len > kMaxSafetensorsHeaderBytes) {
    return CorruptDataError("safetensors " + file + ": header length " +
                            std::to_string(header_len) + " exceeds the limit of " +
                            std::to_string(kMaxSafetensorsHeaderBytes) + " bytes");
  }
  if (header_len > src.size - 8) {
    return CorruptDataError("safetensors " + file + ": header length " +
                            std::to_string(header_len) + " runs past the end of the file (" +
                            std::to_string(src.size) + " bytes)");
  }
  const std::string_view header(reinterpret_cast<const char*>(src.data + 8), header_len);
  ASSIGN_OR_RETURN(JsonValue root, ParseJson(header, "safetensors header of " + file));
  if (!root.is_object()) {
    return CorruptDataError("safetensors " + file + ": header is not a JSON object");
  }
  const size_t buffer_start = 8 + header_len;
  const uint64_t buffer_size = src.size - buffer_start;

  TensorSet out;
  std::vector<Entry> entries;
  entries.reserve(root.object().size());
  for (const auto& [name, value] : root.object()) {
    const std::string where = "safetensors " + file + " tensor \"" + name + "\"";
    if (name == "__metadata__") {
      if (!value.is_object()) return CorruptDataError(where + ": metadata is not an object");
      for (const auto& [k, v] : value.object()) {
        if (!v.is_string()) {
          return CorruptDataError(where + ": metadata value \"" + k + "\" is not a string");
        }
        out.metadata[k] = v.string();
      }
      continue;
    }
    if (!value.is_object()) return CorruptDataError(where + ": entry is not an object");
    ASSIGN_OR_RETURN(std::string dtype_name, JsonGetString(value, "dtype", where));
    Entry e;
    e.info.name = name;
    ASSIGN_OR_RETURN(e.info.dtype, ParseSafetensorsDType(dtype_name, where));
    const JsonValue* shape = value.Find("shape");
    if (shape == nullptr || !shape->is_array()) {
      return CorruptDataError(where + ": missing or non-array \"shape\"");
    }
    if (shape->array().size() > static_cast<size_t>(kMaxRank)) {
      return UnsupportedError(where + ": rank " + std::to_string(shape->array().size()) +
                              " exceeds " + std::to_string(kMaxRank));
    }
    int64_t dims[kMaxRank] = {};
    for (size_t i = 0; i < shape->array().size(); ++i) {
      const JsonValue& d = shape->array()[i];
      if (!d.is_int() || d.int_value() < 0) {
        return CorruptDataError(where + ": shape entry " + std::to_string(i) +
                                " is not a non-negative integer");
      }
      dims[i] = d.int_value();
    }
    ASSIGN_OR_RETURN(e.info.shape, Dims::FromArray(dims, static_cast<int>(shape->array().size())));
    const JsonValue* offsets = value.Find("data_offsets");
    if (offsets == nullptr || !offsets->is_array() || offsets->array().size() != 2 ||
        !offsets->array()[0].is_int() || !offsets->array()[1].is_int() ||
        offsets->array()[0].int_value() < 0 || offsets->array()[1].int_value() < 0) {
      return CorruptDataError(where + ": \"data_offsets\" must be two non-negative integers");
    }
    e.begin = static_cast<uint64_t>(offsets->array()[0].int_value());
    e.end = static_cast<uint64_t>(offsets->array()[1].int_value());
    if (e.begin > e.end) return CorruptDataError(where + ": data_offsets begin > end");
    if (e.end > buffer_size) {
      return CorruptDataError(where + ": data_offsets end " + std::to_string(e.end) +
                              " is past the end of the data buffer (" +
                              std::to_string(buffer_size) + " bytes)");
    }
    auto numel = CheckedNumElements(e.info.shape);
    if (!numel.ok()) return numel.status().WithContext(where);
    uint64_t nbytes = 0;
    if (__builtin_mul_overflow(static_cast<uint64_t>(*numel),
                               static_cast<uint64_t>(DTypeSize(e.info.dtype)), &nbytes)) {
      return CorruptDataError(where + ": byte size overflows");
    }
    if (nbytes != e.end - e.begin) {
      return CorruptDataError(where + ": shape " + e.info.shape.ToString() + " of " +
                              dtype_name + " needs " + std::to_string(nbytes) +
                              " bytes but data_offsets span " + std::to_string(e.end - e.begin));
    }
    entries.push_back(std::move(e));
  }

  // Tensors must tile the buffer: sorted by offset, each begins where the
  // previous ended (no overlap, no hidden gaps), the last ends at the end.
  std::vector<const Entry*> order;
  order.reserve(entries.size());
  for (const Entry& e : entries) order.push_back(&e);
  std::sort(order.begin(), order.end(), [](const Entry* a, const Entry* b) {
    return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
  });
  uint64_t expected = 0;
  for (const Entry* e : order) {
    if (e->begin != expected) {
      return CorruptDataError("safetensors " + file + " tensor \"" + e->info.name + "\": " +
                              (e->begin < expected ? "overlaps the previous tensor"
                                                   : "leaves a gap before it") +
                              " (begins at " + std::to_string(e->begin) + ", expected " +
                              std::to_string(expected) + ")");
    }
    expected = e->end;
  }
  if (expected != buffer_size) {
    return CorruptDataError("safetensors " + file + ": tensors cover " + std::to_string(expected) +
                            " bytes but the data buffer has " + std::to_string(buffer_size));
  }

  for (Entry& e : entries) {
    if (!filter || filter(e.info.name)) {
      ASSIGN_OR_RETURN(Tensor t, TensorFromSource(src, buffer_start + e.begin, e.info.dtype,
                                                  e.info.shape, ContiguousStrides(e.info.shape)));
      out.tensors.emplace_back(e.info.name, std::move(t));
    }
    out.all.push_back(std::move(e.info));
  }
  return out;
}

}  // namespace cliprt::io
