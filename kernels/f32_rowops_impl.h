// Row-wise and elementwise fp32 op kernels written once over a vector type V
// (kernels/{scalar,avx2,avx512}/f32_vec_*.h) and instantiated per ISA level in
// kernels/<isa>/f32_<op>__<isa>.cc. Internal linkage: every ISA file gets its
// own copy compiled with its own flags.
//
// Reductions (mean, variance, max, sum) run in a fixed order that depends only
// on the row length, so results never depend on threading.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

namespace cliprt::kernels {
namespace {

// Sum of x[0..n) in V::kLanes partial sums, combined at the end.
template <typename V>
inline float RowSum(int64_t n, const float* x) {
  constexpr int L = V::kLanes;
  typename V::Reg acc = V::Zero();
  int64_t i = 0;
  for (; i + L <= n; i += L) acc = V::Add(acc, V::Load(x + i));
  if (i < n) acc = V::Add(acc, V::LoadTail(x + i, n - i, 0.0f));
  return V::ReduceAdd(acc);
}

// y = (x - mean) / sqrt(var + eps) · gamma + beta, var biased (divides by n).
// Two passes: the fp32 mean m, then d = x - m (exact when x is near m) with
// Σd and Σd². Σd/n corrects m's rounding (var = Σd²/n - (Σd/n)²), which keeps
// full accuracy when |mean| >> std (e.g. mean 1000, std 1: a plain fp32 mean
// alone would cost ~1e-4 relative). gamma / beta may be null (1 / 0). y may
// alias x.
template <typename V>
void LayerNormRow(int64_t n, const float* x, const float* gamma, const float* beta, float eps,
                  float* y) {
  constexpr int L = V::kLanes;
  const float mean = RowSum<V>(n, x) / static_cast<float>(n);
  const typename V::Reg vmean = V::Set1(mean);
  typename V::Reg acc = V::Zero(), acc1 = V::Zero();
  int64_t i = 0;
  for (; i + L <= n; i += L) {
    const typename V::Reg d = V::Sub(V::Load(x + i), vmean);
    acc1 = V::Add(acc1, d);
    acc = V::Fma(d, d, acc);
  }
  if (i < n) {
    const typename V::Reg d = V::Sub(V::LoadTail(x + i, n - i, mean), vmean);  // 0 in pad lanes
    acc1 = V::Add(acc1, d);
    acc = V::Fma(d, d, acc);
  }
  const float inv_n = 1.0f / static_cast<float>(n);
  const float corr = V::ReduceAdd(acc1) * inv_n;
  float var = V::ReduceAdd(acc) * inv_n - corr * corr;
  if (var < 0.0f) var = 0.0f;
  const typename V::Reg rstd = V::Set1(1.0f / std::sqrt(var + eps));
  const typename V::Reg vcorr = V::Set1(corr);
  auto one = [&](typename V::Reg xv, int64_t at, int64_t count) {
    typename V::Reg v = V::Mul(V::Sub(V::Sub(xv, vmean), vcorr), rstd);
    if (count == L) {
      if (gamma != nullptr) v = V::Mul(v, V::Load(gamma + at));
      if (beta != nullptr) v = V::Add(v, V::Load(beta + at));
      V::Store(y + at, v);
    } else {
      if (gamma != nullptr) v = V::Mul(v, V::LoadTail(gamma + at, count, 0.0f));
      if (beta != nullptr) v = V::Add(v, V::LoadTail(beta + at, count, 0.0f));
      V::StoreTail(y + at, v, count);
    }
  };
  for (i = 0; i + L <= n; i += L) one(V::Load(x + i), i, L);
  if (i < n) one(V::LoadTail(x + i, n - i, 0.0f), i, n - i);
}

// y = exp(x - max) / Σ exp(x - max). A NaN anywhere makes the row NaN; a row
// of all -inf is NaN (0/0), as in PyTorch. y may alias x.
template <typename V>
void SoftmaxRow(int64_t n, const float* x, float* y) {
  constexpr int L = V::kLanes;
  const float kNegInf = -std::numeric_limits<float>::infinity();
  typename V::Reg m = V::Set1(kNegInf);
  int64_t i = 0;
  for (; i + L <= n; i += L) m = V::Max(m, V::Load(x + i));
  if (i < n) m = V::Max(m, V::LoadTail(x + i, n - i, kNegInf));
  const typename V::Reg vmax = V::Set1(V::ReduceMax(m));
  typename V::Reg sum = V::Zero();
  for (i = 0; i + L <= n; i += L) {
    const typename V::Reg e = V::Exp(V::Sub(V::Load(x + i), vmax));
    sum = V::Add(sum, e);
    V::Store(y + i, e);
  }
  if (i < n) {
    const typename V::Reg e = V::Exp(V::Sub(V::LoadTail(x + i, n - i, kNegInf), vmax));
    sum = V::Add(sum, e);  // pad lanes are exp(-inf) = 0
    V::StoreTail(y + i, e, n - i);
  }
  const typename V::Reg inv = V::Set1(1.0f / V::ReduceAdd(sum));
  for (i = 0; i + L <= n; i += L) V::Store(y + i, V::Mul(V::Load(y + i), inv));
  if (i < n) V::StoreTail(y + i, V::Mul(V::LoadTail(y + i, n - i, 0.0f), inv), n - i);
}

// y = x / max(‖x‖₂, eps) (torch.nn.functional.normalize). The sum of squares
// is accumulated in double so that neither large nor tiny magnitudes
// overflow/underflow. y may alias x.
template <typename V>
void L2NormalizeRow(int64_t n, const float* x, float eps, float* y) {
  double sum_sq = 0.0;
  for (int64_t i = 0; i < n; ++i) sum_sq += static_cast<double>(x[i]) * x[i];
  double norm = std::sqrt(sum_sq);
  if (norm < eps) norm = eps;  // NaN norm stays NaN (comparison false)
  const typename V::Reg d = V::Set1(static_cast<float>(norm));
  constexpr int L = V::kLanes;
  int64_t i = 0;
  for (; i + L <= n; i += L) V::Store(y + i, V::Div(V::Load(x + i), d));
  if (i < n) V::StoreTail(y + i, V::Div(V::LoadTail(x + i, n - i, 0.0f), d), n - i);
}

// Applies f (a V::Reg → V::Reg function) to x[0..n) → y[0..n).
template <typename V, typename F>
inline void MapElementwise(int64_t n, const float* x, float* y, F f) {
  constexpr int L = V::kLanes;
  int64_t i = 0;
  for (; i + L <= n; i += L) V::Store(y + i, f(V::Load(x + i)));
  if (i < n) V::StoreTail(y + i, f(V::LoadTail(x + i, n - i, 0.0f)), n - i);
}

// 0.5·x·(1 + erf(x/√2)), evaluated as PyTorch does (x·√½ then erf).
template <typename V>
void GeluErf(int64_t n, const float* x, float* y) {
  MapElementwise<V>(n, x, y, [](typename V::Reg v) {
    const typename V::Reg e = V::Erf(V::Mul(v, V::Set1(0.70710678118654752f)));
    return V::Mul(V::Mul(v, V::Set1(0.5f)), V::Add(V::Set1(1.0f), e));
  });
}

// 0.5·x·(1 + tanh(u)), u = √(2/π)(x + 0.044715x³), computed through the
// identity 0.5(1 + tanh(u)) = 1/(1 + exp(-2u)), which needs only Exp and
// has no cancellation for large |u|.
template <typename V>
void GeluTanh(int64_t n, const float* x, float* y) {
  MapElementwise<V>(n, x, y, [](typename V::Reg v) {
    const typename V::Reg v2 = V::Mul(v, v);
    const typename V::Reg inner = V::Fma(V::Mul(v2, v), V::Set1(0.044715f), v);
    const typename V::Reg e = V::Exp(V::Mul(inner, V::Set1(-2.0f * 0.79788456080286536f)));
    return V::Div(v, V::Add(V::Set1(1.0f), e));
  });
}

// x·sigmoid(1.702x) = x / (1 + exp(-1.702x)).
template <typename V>
void QuickGelu(int64_t n, const float* x, float* y) {
  MapElementwise<V>(n, x, y, [](typename V::Reg v) {
    const typename V::Reg e = V::Exp(V::Mul(v, V::Set1(-1.702f)));
    return V::Div(v, V::Add(V::Set1(1.0f), e));
  });
}

}  // namespace
}  // namespace cliprt::kernels
