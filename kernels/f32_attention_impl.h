// Fused multi-head attention for one (batch, head) and a range of queries,
// written once over a vector type V and instantiated per ISA level in
// kernels/<isa>/f32_attention_4x2v__<isa>.cc. Internal linkage (see
// kernels/f32_rowops_impl.h).
//
// Per (batch, head) the keys are packed once into Kᵀ [head_dim, kv_pad] so the
// score tile S[4 queries, 2 vectors of keys] is a register-blocked outer
// product (broadcast q, vector of keys), with no horizontal sums. A block of 4
// query rows then gets its softmax (scale, key-padding bias, causal limit, max,
// exp, sum) and P·V (broadcast p, vector of V row), all while its score rows
// (4 × kv_len floats) stay in L1/L2. Each output row's arithmetic depends only
// on its own index and the fixed 4-row blocking of its 64-query chunk, never
// on threads.
#pragma once

#include <cstdint>
#include <limits>

#include "kernels/attention.h"

namespace cliprt::kernels {
namespace {

constexpr int kAttnRows = kAttentionRowTile;

template <typename V, int R>
void AttnScoresTile(const float* const* qrows, const float* kt, int64_t kv_pad, int64_t d,
                    int64_t j_end, float* scores) {
  constexpr int L = V::kLanes;
  for (int64_t j = 0; j < j_end; j += 2 * L) {
    typename V::Reg acc[R][2];
    for (int r = 0; r < R; ++r) acc[r][0] = acc[r][1] = V::Zero();
    const float* kcol = kt + j;
    for (int64_t c = 0; c < d; ++c, kcol += kv_pad) {
      const typename V::Reg k0 = V::Load(kcol);
      const typename V::Reg k1 = V::Load(kcol + L);
      for (int r = 0; r < R; ++r) {
        const typename V::Reg qb = V::Set1(qrows[r][c]);
        acc[r][0] = V::Fma(qb, k0, acc[r][0]);
        acc[r][1] = V::Fma(qb, k1, acc[r][1]);
      }
    }
    for (int r = 0; r < R; ++r) {
      V::Store(scores + r * kv_pad + j, acc[r][0]);
      V::Store(scores + r * kv_pad + j + L, acc[r][1]);
    }
  }
}

// Turns one score row into unnormalized probabilities over [0, limit) and
// zeros [limit, j_end). Returns 1/Σp, or 0 when every key is masked (the row's
// output is then 0).
template <typename V>
float AttnSoftmaxRow(float* s, const float* bias, float scale, int64_t limit, int64_t j_end) {
  constexpr int L = V::kLanes;
  const float kNegInf = -std::numeric_limits<float>::infinity();
  const typename V::Reg vscale = V::Set1(scale);
  typename V::Reg m = V::Set1(kNegInf);
  int64_t j = 0;
  for (; j + L <= limit; j += L) {
    const typename V::Reg v = V::Fma(V::Load(s + j), vscale, V::Load(bias + j));
    V::Store(s + j, v);
    m = V::Max(m, v);
  }
  if (j < limit) {
    const typename V::Reg v = V::Fma(V::LoadTail(s + j, limit - j, 0.0f), vscale,
                                     V::LoadTail(bias + j, limit - j, kNegInf));
    V::StoreTail(s + j, v, limit - j);
    m = V::Max(m, v);
  }
  const float row_max = V::ReduceMax(m);
  if (row_max == kNegInf) {
    for (int64_t t = 0; t < j_end; ++t) s[t] = 0.0f;
    return 0.0f;
  }
  const typename V::Reg vmax = V::Set1(row_max);
  typename V::Reg sum = V::Zero();
  for (j = 0; j + L <= limit; j += L) {
    const typename V::Reg e = V::Exp(V::Sub(V::Load(s + j), vmax));
    V::Store(s + j, e);
    sum = V::Add(sum, e);
  }
  if (j < limit) {
    const typename V::Reg e = V::Exp(V::Sub(V::LoadTail(s + j, limit - j, kNegInf), vmax));
    V::StoreTail(s + j, e, limit - j);
    sum = V::Add(sum, e);
  }
  for (int64_t t = limit; t < j_end; ++t) s[t] = 0.0f;
  return 1.0f / V::ReduceAdd(sum);
}

// out[r][c0 .. c0 + NV·L) = inv[r] · Σ_{j < j_end} p[r][j] · v[j][c0 ..].
template <typename V, int R, int NV>
void AttnPvTile(const float* p, int64_t kv_pad, const float* v, int64_t v_row_stride,
                int64_t j_end, int64_t c0, float* const* orows, const float* inv) {
  constexpr int L = V::kLanes;
  typename V::Reg acc[R][NV];
  for (int r = 0; r < R; ++r)
    for (int n = 0; n < NV; ++n) acc[r][n] = V::Zero();
  const float* vrow = v + c0;
  for (int64_t j = 0; j < j_end; ++j, vrow += v_row_stride) {
    typename V::Reg vv[NV];
    for (int n = 0; n < NV; ++n) vv[n] = V::Load(vrow + n * L);
    for (int r = 0; r < R; ++r) {
      const typename V::Reg pb = V::Set1(p[r * kv_pad + j]);
      for (int n = 0; n < NV; ++n) acc[r][n] = V::Fma(pb, vv[n], acc[r][n]);
    }
  }
  for (int r = 0; r < R; ++r) {
    const typename V::Reg s = V::Set1(inv[r]);
    for (int n = 0; n < NV; ++n) V::Store(orows[r] + c0 + n * L, V::Mul(acc[r][n], s));
  }
}

// The last head_dim % L columns: one partial vector (masked loads/stores).
template <typename V, int R>
void AttnPvTail(const float* p, int64_t kv_pad, const float* v, int64_t v_row_stride,
                int64_t j_end, int64_t c0, int64_t count, float* const* orows, const float* inv) {
  typename V::Reg acc[R];
  for (int r = 0; r < R; ++r) acc[r] = V::Zero();
  const float* vrow = v + c0;
  for (int64_t j = 0; j < j_end; ++j, vrow += v_row_stride) {
    const typename V::Reg vv = V::LoadTail(vrow, count, 0.0f);
    for (int r = 0; r < R; ++r) acc[r] = V::Fma(V::Set1(p[r * kv_pad + j]), vv, acc[r]);
  }
  for (int r = 0; r < R; ++r) V::StoreTail(orows[r] + c0, V::Mul(acc[r], V::Set1(inv[r])), count);
}

template <typename V, int R>
void AttnPvRows(const float* p, int64_t kv_pad, const float* v, int64_t v_row_stride,
                int64_t j_end, int64_t d, float* const* orows, const float* inv) {
  constexpr int L = V::kLanes;
  int64_t c0 = 0;
  for (; c0 + L <= d; ) {
    const int64_t nv = (d - c0) / L < 4 ? (d - c0) / L : 4;
    switch (nv) {
      case 1: AttnPvTile<V, R, 1>(p, kv_pad, v, v_row_stride, j_end, c0, orows, inv); break;
      case 2: AttnPvTile<V, R, 2>(p, kv_pad, v, v_row_stride, j_end, c0, orows, inv); break;
      case 3: AttnPvTile<V, R, 3>(p, kv_pad, v, v_row_stride, j_end, c0, orows, inv); break;
      default: AttnPvTile<V, R, 4>(p, kv_pad, v, v_row_stride, j_end, c0, orows, inv); break;
    }
    c0 += nv * L;
  }
  if (c0 < d) AttnPvTail<V, R>(p, kv_pad, v, v_row_stride, j_end, c0, d - c0, orows, inv);
}

template <typename V, int R>
void AttnRowBlock(const F32AttentionArgs& a, int64_t b, int64_t h, int64_t i0, const float* kt,
                  const float* bias, int64_t kv_pad, float* scores) {
  const int64_t d = a.head_dim;
  const float* qrows[R];
  float* orows[R];
  for (int r = 0; r < R; ++r) {
    qrows[r] = a.q + b * a.q_batch_stride + (i0 + r) * a.q_row_stride + h * d;
    orows[r] = a.out + b * a.out_batch_stride + (i0 + r) * a.out_row_stride + h * d;
  }
  int64_t j_end = a.kv_len;
  if (a.causal && i0 + R < j_end) j_end = i0 + R;
  const int64_t tile = 2 * V::kLanes;
  const int64_t j_end_tiles = (j_end + tile - 1) / tile * tile;  // <= kv_pad
  AttnScoresTile<V, R>(qrows, kt, kv_pad, d, j_end_tiles, scores);
  float inv[R];
  for (int r = 0; r < R; ++r) {
    int64_t limit = a.kv_len;
    if (a.causal && i0 + r + 1 < limit) limit = i0 + r + 1;
    inv[r] = AttnSoftmaxRow<V>(scores + r * kv_pad, bias, a.scale, limit, j_end);
  }
  const float* v = a.v + b * a.v_batch_stride + h * d;
  AttnPvRows<V, R>(scores, kv_pad, v, a.v_row_stride, j_end, d, orows, inv);
}

// Queries [q_begin, q_end) of (b, h). When pack_kv is set, first packs Kᵀ and
// the key-padding bias of (b, h) into the scratch; otherwise reuses the ones
// the previous call for the same (b, h) left there.
template <typename V>
void AttentionQueries(const F32AttentionArgs& a, int64_t b, int64_t h, int64_t q_begin,
                      int64_t q_end, bool pack_kv, float* scratch) {
  const int64_t d = a.head_dim;
  const int64_t kv_pad = AttentionKvPad(a.kv_len);
  float* kt = scratch;
  float* bias = kt + d * kv_pad;
  float* scores = bias + kv_pad;
  if (pack_kv) {
    const float kNegInf = -std::numeric_limits<float>::infinity();
    const float* k = a.k + b * a.k_batch_stride + h * d;
    for (int64_t j = 0; j < a.kv_len; ++j) {
      const float* krow = k + j * a.k_row_stride;
      for (int64_t c = 0; c < d; ++c) kt[c * kv_pad + j] = krow[c];
    }
    for (int64_t c = 0; c < d; ++c)
      for (int64_t j = a.kv_len; j < kv_pad; ++j) kt[c * kv_pad + j] = 0.0f;
    const uint8_t* mask =
        a.key_padding_mask != nullptr ? a.key_padding_mask + b * a.mask_batch_stride : nullptr;
    for (int64_t j = 0; j < kv_pad; ++j) {
      bias[j] = (j >= a.kv_len || (mask != nullptr && mask[j] != 0)) ? kNegInf : 0.0f;
    }
  }
  int64_t i0 = q_begin;
  for (; i0 + kAttnRows <= q_end; i0 += kAttnRows) {
    AttnRowBlock<V, kAttnRows>(a, b, h, i0, kt, bias, kv_pad, scores);
  }
  switch (q_end - i0) {
    case 1: AttnRowBlock<V, 1>(a, b, h, i0, kt, bias, kv_pad, scores); break;
    case 2: AttnRowBlock<V, 2>(a, b, h, i0, kt, bias, kv_pad, scores); break;
    case 3: AttnRowBlock<V, 3>(a, b, h, i0, kt, bias, kv_pad, scores); break;
    default: break;
  }
}

}  // namespace
}  // namespace cliprt::kernels
