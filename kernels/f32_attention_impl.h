// Fused multi-head attention for one (batch, head) and a range of queries,
// written once over a vector type V and instantiated per ISA level in
// kernels/<isa>/f32_attention_<rows>x2v__<isa>.cc. Internal linkage (see
// kernels/f32_rowops_impl.h).
//
// Per (batch, head) the keys are packed once into Kᵀ panels [head_dim, 2
// vectors of keys] (one contiguous stream per score tile) and V into
// contiguous rows (in the fused QKV layout V rows are 3·D floats apart, a
// stride that maps them onto a few L1 sets). The score tile S[R queries, 2
// vectors of keys] is a register-blocked outer product (broadcast q, vector of
// keys), with no horizontal sums. The block of R = V::kAttnRows query rows
// then gets its softmax (scale, key-padding bias, causal limit, max, exp, sum)
// and P·V (broadcast p, up to V::kAttnPvVectors vectors of a V row), all while
// its score rows (R × kv_pad floats) stay in L1/L2. Each output row's
// arithmetic depends only on its own index and the fixed R-row blocking of
// its 64-query chunk, never on threads.
#pragma once

#include <cstdint>
#include <limits>

#include "kernels/attention.h"

namespace cliprt::kernels {
namespace {


template <typename V, int R>
void AttnScoresTile(const float* const* qrows, const float* kt, int64_t kv_pad, int64_t d,
                    int64_t j_end, float* scores) {
  constexpr int L = V::kLanes;
  for (int64_t j = 0; j < j_end; j += 2 * L) {
    typename V::Reg acc[R][2];
    for (int r = 0; r < R; ++r) acc[r][0] = acc[r][1] = V::Zero();
    const float* kcol = kt + j * d;  // this tile's [d, 2L] panel, contiguous
    for (int64_t c = 0; c < d; ++c, kcol += 2 * L) {
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
    constexpr int64_t kMaxNv = V::kAttnPvVectors;
    const int64_t nv = (d - c0) / L < kMaxNv ? (d - c0) / L : kMaxNv;
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
                  const float* bias, int64_t kv_pad, float* scores, const float* vp,
                  int64_t vp_stride) {
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
  AttnPvRows<V, R>(scores, kv_pad, vp, vp_stride, j_end, d, orows, inv);
}

// The last rows of a chunk (fewer than V::kAttnRows): a tile of exactly that
// many rows, so each row's arithmetic is the same as in a full tile.
template <typename V, int R>
void AttnTailBlock(int rows, const F32AttentionArgs& a, int64_t b, int64_t h, int64_t i0,
                   const float* kt, const float* bias, int64_t kv_pad, float* scores,
                   const float* vp, int64_t vp_stride) {
  if constexpr (R >= 1) {
    if (rows == R) {
      AttnRowBlock<V, R>(a, b, h, i0, kt, bias, kv_pad, scores, vp, vp_stride);
    } else {
      AttnTailBlock<V, R - 1>(rows, a, b, h, i0, kt, bias, kv_pad, scores, vp, vp_stride);
    }
  }
}

// Queries [q_begin, q_end) of (b, h). When pack_kv is set, first packs Kᵀ, V
// and the key-padding bias of (b, h) into the scratch; otherwise reuses the ones
// the previous call for the same (b, h) left there.
template <typename V>
void AttentionQueries(const F32AttentionArgs& a, int64_t b, int64_t h, int64_t q_begin,
                      int64_t q_end, bool pack_kv, float* scratch) {
  const int64_t d = a.head_dim;
  const int64_t kv_pad = AttentionKvPad(a.kv_len);
  float* kt = scratch;
  float* bias = kt + d * kv_pad;
  float* scores = bias + kv_pad;
  float* vp = scores + kAttentionMaxRowTile * kv_pad;
  const int64_t vp_stride = AttentionPackedVStride(d);
  if (pack_kv) {
    const float kNegInf = -std::numeric_limits<float>::infinity();
    // Kᵀ in panels of T = 2L keys: panel p = [d, T] at kt + p·d·T, so the
    // score tile reads one contiguous stream. Zeros beyond kv_len.
    constexpr int64_t T = 2 * V::kLanes;
    const float* k = a.k + b * a.k_batch_stride + h * d;
    for (int64_t j0 = 0; j0 < kv_pad; j0 += T) {
      float* panel = kt + j0 * d;
      const int64_t keys = a.kv_len - j0 < T ? (a.kv_len - j0 > 0 ? a.kv_len - j0 : 0) : T;
      for (int64_t t = 0; t < keys; ++t) {
        const float* krow = k + (j0 + t) * a.k_row_stride;
        for (int64_t c = 0; c < d; ++c) panel[c * T + t] = krow[c];
      }
      for (int64_t c = 0; c < d; ++c)
        for (int64_t t = keys; t < T; ++t) panel[c * T + t] = 0.0f;
    }
    // V rows copied contiguously: in the fused QKV layout consecutive rows
    // are 3·D floats apart, a stride that maps them onto a few L1 sets.
    const float* v = a.v + b * a.v_batch_stride + h * d;
    for (int64_t j = 0; j < a.kv_len; ++j) {
      const float* src = v + j * a.v_row_stride;
      float* dst = vp + j * vp_stride;
      for (int64_t c = 0; c < d; ++c) dst[c] = src[c];
    }
    const uint8_t* mask =
        a.key_padding_mask != nullptr ? a.key_padding_mask + b * a.mask_batch_stride : nullptr;
    for (int64_t j = 0; j < kv_pad; ++j) {
      bias[j] = (j >= a.kv_len || (mask != nullptr && mask[j] != 0)) ? kNegInf : 0.0f;
    }
  }
  constexpr int R = V::kAttnRows;
  static_assert(R <= kAttentionMaxRowTile, "scratch holds kAttentionMaxRowTile score rows");
  int64_t i0 = q_begin;
  for (; i0 + R <= q_end; i0 += R) {
    AttnRowBlock<V, R>(a, b, h, i0, kt, bias, kv_pad, scores, vp, vp_stride);
  }
  if (i0 < q_end) {
    AttnTailBlock<V, R - 1>(static_cast<int>(q_end - i0), a, b, h, i0, kt, bias, kv_pad, scores,
                            vp, vp_stride);
  }
}

}  // namespace
}  // namespace cliprt::kernels
