// The per-ISA op kernels (one per file under kernels/{scalar,avx2,avx512}/,
// named f32_<op>[_<tile>]__<isa>) and the function types the dispatch table
// (kernels/ops_dispatch.h) holds. Callers use kernels/ops.h and
// kernels/attention.h, which add argument checks and threading.
#pragma once

#include <cstdint>

namespace cliprt::kernels {

struct F32AttentionArgs;

// One row: y = LayerNorm(x) with optional gamma/beta (nullptr = 1/0).
using F32LayerNormRowFn = void (*)(int64_t n, const float* x, const float* gamma,
                                   const float* beta, float eps, float* y);
// One row or one contiguous run of elements: y = f(x) (softmax over the row;
// activations elementwise). y may alias x.
using F32UnaryFn = void (*)(int64_t n, const float* x, float* y);
// One row: y = x / max(‖x‖₂, eps).
using F32L2NormalizeRowFn = void (*)(int64_t n, const float* x, float eps, float* y);
// Queries [q_begin, q_end) of (b, h); see kernels/f32_attention_impl.h.
using F32AttentionQueriesFn = void (*)(const F32AttentionArgs& args, int64_t b, int64_t h,
                                       int64_t q_begin, int64_t q_end, bool pack_kv,
                                       float* scratch);

#define CLIPRT_DECLARE_OPS_KERNELS(isa, attention_tile)                                      \
  void f32_layernorm__##isa(int64_t n, const float* x, const float* gamma, const float* beta, \
                            float eps, float* y);                                             \
  void f32_softmax__##isa(int64_t n, const float* x, float* y);                               \
  void f32_gelu_erf__##isa(int64_t n, const float* x, float* y);                              \
  void f32_gelu_tanh__##isa(int64_t n, const float* x, float* y);                             \
  void f32_quick_gelu__##isa(int64_t n, const float* x, float* y);                            \
  void f32_relu__##isa(int64_t n, const float* x, float* y);                                  \
  void f32_l2_normalize__##isa(int64_t n, const float* x, float eps, float* y);               \
  void f32_attention_##attention_tile##__##isa(const F32AttentionArgs& args, int64_t b,      \
                                               int64_t h, int64_t q_begin, int64_t q_end,     \
                                               bool pack_kv, float* scratch);

// Attention tiles: query rows × key vectors, sized to each register file.
CLIPRT_DECLARE_OPS_KERNELS(scalar, 4x2v)
CLIPRT_DECLARE_OPS_KERNELS(avx2, 4x2v)
CLIPRT_DECLARE_OPS_KERNELS(avx512, 6x2v)

#undef CLIPRT_DECLARE_OPS_KERNELS

}  // namespace cliprt::kernels
