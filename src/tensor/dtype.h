// Element types a tensor can hold, and exact conversions between the storage
// formats checkpoints use (fp16, bf16) and fp32 compute.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/status.h"

namespace cliprt {

enum class DType : uint8_t {
  kF32,
  kF16,
  kBF16,
  kF64,
  kI8,
  kU8,
  kI16,
  kI32,
  kI64,
  kBool,
};

size_t DTypeSize(DType dtype);
// Lower-case names: "f32", "f16", "bf16", "f64", "i8", "u8", "i16", "i32", "i64", "bool".
const char* DTypeName(DType dtype);
StatusOr<DType> ParseDTypeName(std::string_view name);
bool IsFloatingPoint(DType dtype);

// IEEE binary16 → binary32. Exact for every input (NaN payload preserved in
// the top bits, subnormals normalized).
float HalfToFloat(uint16_t h);
// binary32 → binary16, round to nearest even (overflow → ±inf, NaN stays NaN).
uint16_t FloatToHalf(float f);

// bfloat16 is the top half of a binary32, so widening is a shift.
inline float BFloat16ToFloat(uint16_t b) {
  const uint32_t bits = static_cast<uint32_t>(b) << 16;
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}
// binary32 → bfloat16, round to nearest even; NaN stays a quiet NaN.
uint16_t FloatToBFloat16(float f);

}  // namespace cliprt
