// Scalar reference for the fused GEMM: Y = act(X·Wᵀ + bias) + residual, in the
// epilogue order of kernels/gemm.h, evaluated in double (products, sum, bias,
// activation) and rounded to float once before the residual add. Also
// returns, per element, S = Σ|x·w| + |bias|: the scale that bounds the
// rounding error of any fp32 summation order (|err| <= γ_K · S).
#pragma once

#include <cstdint>

#include "kernels/gemm.h"

namespace cliprt::kernels {

// abs_sum may be nullptr; otherwise [m, ldy] like y.
void f32_gemm_epilogue_ref(int64_t m, int64_t n, int64_t k, const float* x, int64_t ldx,
                           const float* w, int64_t ldw, const GemmEpilogue& epilogue, float* y,
                           int64_t ldy, double* abs_sum);

// act(v) in double (the definitions of kernels/gemm.h).
double GemmActivationRef(GemmActivation activation, double v);

}  // namespace cliprt::kernels
