// Scalar "vector" (one lane) for the templated op kernels: the portable
// dispatch level, compiled without ISA flags. Exp and Erf are the C library's
// expf/erff (correctly rounded or within 1 ulp on glibc).
#pragma once

#include <cmath>
#include <cstdint>

namespace cliprt::kernels::scalar {
namespace {

struct VecF32 {
  using Reg = float;
  static constexpr int kLanes = 1;
  static constexpr const char* kIsaName = "scalar";
  // Attention tile: query rows × (2 key vectors | up to kAttnPvVectors of V),
  // sized to the register file.
  static constexpr int kAttnRows = 4;
  static constexpr int kAttnPvVectors = 4;

  static Reg Zero() { return 0.0f; }
  static Reg Set1(float v) { return v; }
  static Reg Load(const float* p) { return *p; }
  static Reg LoadTail(const float* p, int64_t /*n*/, float /*fill*/) { return *p; }  // never used
  static void Store(float* p, Reg v) { *p = v; }
  static void StoreTail(float* p, Reg v, int64_t /*n*/) { *p = v; }  // never used
  static Reg Add(Reg a, Reg b) { return a + b; }
  static Reg Sub(Reg a, Reg b) { return a - b; }
  static Reg Mul(Reg a, Reg b) { return a * b; }
  static Reg Div(Reg a, Reg b) { return a / b; }
  // Plain multiply-add: a library fma() call would be far slower here.
  static Reg Fma(Reg a, Reg b, Reg c) { return a * b + c; }
  // Same NaN behaviour as vmaxps: b when either is NaN.
  static Reg Max(Reg a, Reg b) { return a > b ? a : b; }
  static Reg Relu(Reg a) { return 0.0f > a ? 0.0f : a; }
  static float ReduceAdd(Reg v) { return v; }
  static float ReduceMax(Reg v) { return v; }
  static Reg Exp(Reg x) { return std::exp(x); }
  static Reg Erf(Reg x) { return std::erf(x); }
};

}  // namespace
}  // namespace cliprt::kernels::scalar
