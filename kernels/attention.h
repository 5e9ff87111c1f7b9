// Multi-head scaled dot-product attention, fp32, fused per (batch, head):
//
//   out[b, i, h] = Σ_j softmax_j(scale · q[b,i,h]·k[b,j,h] + mask) · v[b, j, h]
//
// q, k, v and out are addressed with strides, so the heads can be read
// straight out of the fused QKV projection ([tokens, 3·D], row stride 3·D,
// head h = columns h·d … (h+1)·d of each third) and written into [tokens, D].
// A batch stride of 0 shares one tensor across the batch (e.g. SigLIP's MAP
// probe query).
//
// Masks:
//  - causal: query i attends to keys j <= i (top-left aligned, as
//    torch.nn.functional.scaled_dot_product_attention(is_causal=True) and the
//    CLIP text mask triu(-inf, 1)).
//  - key_padding_mask [batch, kv_len] bytes, nonzero = ignore that key (the
//    `key_padding_mask=True` convention of nn.MultiheadAttention).
//  A query row whose keys are all masked gets an all-zero output (PyTorch
//  would produce NaN); never NaN, never a crash.
// NaN/Inf in q/k/v propagate to the affected outputs, as in PyTorch.
//
// Threads: the work is split into units of (batch, head, 64-query chunk);
// each output row is computed by one thread in an order fixed by its index, so
// the result is bit-identical for any thread count. Scratch comes from the
// caller (F32AttentionScratchFloats); the call never allocates.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/status.h"
#include "core/thread_pool.h"

namespace cliprt::kernels {

struct OpsKernels;

struct F32AttentionArgs {
  int64_t batch = 0;
  int64_t heads = 0;
  int64_t q_len = 0;
  int64_t kv_len = 0;
  int64_t head_dim = 0;
  // Element [b, i, h, c] of q is q[b·q_batch_stride + i·q_row_stride + h·head_dim + c];
  // likewise k, v, out. Row strides >= heads·head_dim; batch strides >= 0.
  const float* q = nullptr;
  int64_t q_batch_stride = 0;
  int64_t q_row_stride = 0;
  const float* k = nullptr;
  int64_t k_batch_stride = 0;
  int64_t k_row_stride = 0;
  const float* v = nullptr;
  int64_t v_batch_stride = 0;
  int64_t v_row_stride = 0;
  float* out = nullptr;  // must not overlap q, k or v
  int64_t out_batch_stride = 0;
  int64_t out_row_stride = 0;
  float scale = 0.0f;  // usually head_dim^-0.5 (AttentionDefaultScale)
  bool causal = false;
  const uint8_t* key_padding_mask = nullptr;  // optional [batch, mask_batch_stride >= kv_len]
  int64_t mask_batch_stride = 0;
};

// head_dim^-0.5 in fp32, as PyTorch computes it.
float AttentionDefaultScale(int64_t head_dim);

// kv_len rounded up to the key tile (32): the row length of the packed Kᵀ.
inline int64_t AttentionKvPad(int64_t kv_len) { return (kv_len + 31) / 32 * 32; }

// Most query rows per register tile of any kernel (scratch holds that many
// score rows).
inline constexpr int kAttentionMaxRowTile = 8;

// Row stride of the packed V copy: head_dim rounded up to 16 floats.
inline int64_t AttentionPackedVStride(int64_t head_dim) { return (head_dim + 15) / 16 * 16; }

// Queries per work unit (fixed, so blocking never depends on threads).
inline constexpr int64_t kAttentionQueryChunk = 64;

// Floats of scratch one thread needs for (kv_len, head_dim).
size_t F32AttentionScratchFloatsPerThread(int64_t kv_len, int64_t head_dim);
// Floats of scratch F32Attention needs with `num_threads` threads.
size_t F32AttentionScratchFloats(int64_t kv_len, int64_t head_dim, int num_threads);

// Runs attention with the given kernel table (ActiveOpsKernels() or a forced
// level). pool may be nullptr. Errors (nothing written): non-positive sizes,
// null pointers, strides too small, scratch too small.
Status F32Attention(const OpsKernels& kernels, const F32AttentionArgs& args, ThreadPool* pool,
                    float* scratch, size_t scratch_floats);

}  // namespace cliprt::kernels
