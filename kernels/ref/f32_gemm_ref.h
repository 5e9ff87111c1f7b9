// Scalar reference GEMM: the oracle every optimized GEMM kernel is tested
// against. Y[M,N] = X[M,K] · W[N,K]ᵀ (+ bias[N]), W in PyTorch Linear layout.
// Accumulates in double so it is more accurate than any fp32 kernel.
#pragma once

#include <cstdint>

namespace cliprt::kernels {

void f32_gemm_ref(int64_t m, int64_t n, int64_t k, const float* x, int64_t ldx, const float* w,
                  int64_t ldw, const float* bias, float* y, int64_t ldy);

}  // namespace cliprt::kernels
