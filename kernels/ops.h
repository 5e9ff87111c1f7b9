// fp32 ops of the CLIP encoders (besides GEMM and attention): LayerNorm,
// softmax, activations, add/scale, L2 normalization, mean-pool. Each checks
// its arguments (an error names the argument and its value; nothing is
// written then), splits rows or element blocks across the pool (pool may be
// nullptr) and runs the kernels of the given table (ActiveOpsKernels() or a
// forced level, kernels/ops_dispatch.h). Results are bit-identical for any
// thread count: a row, or an element, is always computed whole by one thread.
// Outputs may alias inputs exactly (in place), but not partially overlap.
#pragma once

#include <cstdint>

#include "core/status.h"
#include "core/thread_pool.h"
#include "kernels/ops_dispatch.h"

namespace cliprt::kernels {

// Per row r < rows: y[r,:] = (x[r,:] - μ) / sqrt(σ² + eps) · gamma + beta over
// `dim` elements, σ² the biased variance. gamma/beta may be nullptr (1 / 0).
// eps >= 0.
Status LayerNorm(const OpsKernels& ops, int64_t rows, int64_t dim, const float* x, int64_t ldx,
                 const float* gamma, const float* beta, float eps, float* y, int64_t ldy,
                 ThreadPool* pool);

// Per row: y[r,:] = softmax(x[r,:]) (numerically stable: max subtracted).
Status Softmax(const OpsKernels& ops, int64_t rows, int64_t dim, const float* x, int64_t ldx,
               float* y, int64_t ldy, ThreadPool* pool);

// Per row: y[r,:] = x[r,:] / max(‖x[r,:]‖₂, eps) (F.normalize; eps 1e-12 there).
Status L2Normalize(const OpsKernels& ops, int64_t rows, int64_t dim, const float* x, int64_t ldx,
                   float eps, float* y, int64_t ldy, ThreadPool* pool);

enum class Activation : int {
  kGeluErf = 0,   // 0.5·x·(1 + erf(x/√2))
  kGeluTanh = 1,  // 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³)))
  kQuickGelu = 2, // x·sigmoid(1.702x)
  kRelu = 3,      // max(x, 0), NaN stays NaN
};
const char* ActivationName(Activation activation);

// y[i] = act(x[i]) for n contiguous elements.
Status ApplyActivation(const OpsKernels& ops, Activation activation, int64_t n, const float* x,
                       float* y, ThreadPool* pool);

// y[i] = a[i] + b[i] for n contiguous elements.
Status Add(int64_t n, const float* a, const float* b, float* y, ThreadPool* pool);

// y[i] = x[i] · s for n contiguous elements.
Status Scale(int64_t n, const float* x, float s, float* y, ThreadPool* pool);

// Mean over tokens: y[b, c] = (Σ_t x[b, t, c]) / tokens, summed in token
// order in fp32. x[b, t, c] = x[b·batch_stride + t·row_stride + c];
// y[b·ldy + c].
Status MeanPool(int64_t batch, int64_t tokens, int64_t dim, const float* x, int64_t batch_stride,
                int64_t row_stride, float* y, int64_t ldy, ThreadPool* pool);

}  // namespace cliprt::kernels
