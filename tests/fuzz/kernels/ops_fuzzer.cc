// Differential fuzz target for the ops kernels: the input bytes choose an op,
// its shape (small, including every tail length and invalid parameters) and
// its values; every ISA level this CPU has must either return the same error
// for invalid parameters or agree with the double-precision reference within
// the bounds of tests/kernels (docs/kernels.md). A disagreement traps, so
// libFuzzer reports it; ASan catches any out-of-bounds access in the tails.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/arena.h"
#include "kernels/attention.h"
#include "kernels/avg_pool2d.h"
#include "kernels/conv2d.h"
#include "kernels/ops.h"
#include "kernels/ops_dispatch.h"
#include "kernels/ref/f32_ops_ref.h"

namespace {

using namespace cliprt;
using namespace cliprt::kernels;

constexpr double kEps = 1.1920928955078125e-07;

class Bytes {
 public:
  Bytes(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t U8() { return pos_ < size_ ? data_[pos_++] : 0; }
  int64_t Range(int64_t lo, int64_t hi) { return lo + U8() % (hi - lo + 1); }
  // Values in [-mag, mag] from the remaining bytes (zeros when exhausted).
  std::vector<float> Values(size_t n, float mag) {
    std::vector<float> v(n);
    for (float& x : v) x = static_cast<float>(static_cast<int8_t>(U8())) / 127.0f * mag;
    return v;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

std::vector<const OpsKernels*> Levels() {
  std::vector<const OpsKernels*> out;
  for (IsaLevel l : {IsaLevel::kScalar, IsaLevel::kAvx2, IsaLevel::kAvx512}) {
    if (const OpsKernels* t = OpsKernelsForIsa(l)) out.push_back(t);
  }
  return out;
}

void FuzzRows(Bytes& in, int op) {
  const int64_t rows = in.Range(1, 3), dim = in.Range(1, 90);
  const float mag = op == 1 ? static_cast<float>(in.Range(1, 60)) : 4.0f;
  const auto x = in.Values(rows * dim, mag);
  const auto g = in.Values(dim, 2.0f), b = in.Values(dim, 1.0f);
  std::vector<float> want(rows * dim), got(rows * dim);
  if (op == 0) {
    f32_layernorm_ref(rows, dim, x.data(), dim, g.data(), b.data(), 1e-5f, want.data(), dim);
  } else {
    f32_softmax_ref(rows, dim, x.data(), dim, want.data(), dim);
  }
  for (const OpsKernels* ops : Levels()) {
    const Status s = op == 0 ? LayerNorm(*ops, rows, dim, x.data(), dim, g.data(), b.data(), 1e-5f,
                                         got.data(), dim, nullptr)
                             : Softmax(*ops, rows, dim, x.data(), dim, got.data(), dim, nullptr);
    Check(s.ok());
    for (int64_t i = 0; i < rows * dim; ++i) {
      const double err = std::fabs(static_cast<double>(got[i]) - want[i]);
      if (op == 0) {
        const int64_t c = i % dim;
        // Zero-variance rows: rstd = 1/sqrt(eps) amplifies the mean's rounding.
        Check(err <= 8 * kEps * (std::fabs(want[i]) + std::fabs(b[c]) + 1) *
                         (1 + std::fabs(g[c])) * 400.0);
      } else {
        const int64_t r = i / dim;
        float m = x[r * dim];
        for (int64_t t = 1; t < dim; ++t) m = std::fmax(m, x[r * dim + t]);
        Check(err <= kEps * want[i] * (8 + std::fabs(x[i] - m) + dim / 2.0) + 1e-29);
      }
    }
  }
}

void FuzzActivation(Bytes& in) {
  const int64_t n = in.Range(1, 70);
  const Activation act = static_cast<Activation>(in.Range(0, 3));
  const auto x = in.Values(n, static_cast<float>(in.Range(1, 100)));
  std::vector<float> want(n), got(n);
  switch (act) {
    case Activation::kGeluErf: f32_gelu_erf_ref(n, x.data(), want.data()); break;
    case Activation::kGeluTanh: f32_gelu_tanh_ref(n, x.data(), want.data()); break;
    case Activation::kQuickGelu: f32_quick_gelu_ref(n, x.data(), want.data()); break;
    case Activation::kRelu: f32_relu_ref(n, x.data(), want.data()); break;
  }
  for (const OpsKernels* ops : Levels()) {
    Check(ApplyActivation(*ops, act, n, x.data(), got.data(), nullptr).ok());
    for (int64_t i = 0; i < n; ++i) {
      const double ulp = std::fmax(std::fabs(std::nextafter(want[i], INFINITY) - want[i]), 1e-45);
      Check(std::fabs(static_cast<double>(got[i]) - want[i]) <=
            6 * ulp + (x[i] < 0 ? std::ldexp(std::fabs(x[i]), -21) : 0.0));
    }
  }
}

void FuzzAttention(Bytes& in) {
  F32AttentionArgs a;
  a.batch = in.Range(1, 2);
  a.heads = in.Range(1, 2);
  a.q_len = in.Range(1, 20);
  a.kv_len = in.Range(1, 40);
  a.head_dim = in.Range(1, 40);
  a.causal = in.U8() & 1;
  const bool use_mask = in.U8() & 1;
  const int64_t w = a.heads * a.head_dim;
  const auto q = in.Values(a.batch * a.q_len * w, 2.0f);
  const auto k = in.Values(a.batch * a.kv_len * w, 2.0f);
  const auto v = in.Values(a.batch * a.kv_len * w, 2.0f);
  std::vector<uint8_t> mask(a.batch * a.kv_len);
  for (auto& m : mask) m = in.U8() & 1;
  a.q = q.data();
  a.k = k.data();
  a.v = v.data();
  a.q_batch_stride = a.q_len * w;
  a.k_batch_stride = a.v_batch_stride = a.kv_len * w;
  a.q_row_stride = a.k_row_stride = a.v_row_stride = a.out_row_stride = w;
  a.out_batch_stride = a.q_len * w;
  a.scale = AttentionDefaultScale(a.head_dim);
  if (use_mask) {
    a.key_padding_mask = mask.data();
    a.mask_batch_stride = a.kv_len;
  }
  std::vector<float> want(a.batch * a.q_len * w), got(want.size());
  F32AttentionArgs r = a;
  r.out = want.data();
  f32_attention_ref(r);
  // Inputs in [-2, 2]: Σ|q·k| <= 4·d, |v| <= 2.
  const double bound = kEps * 2.0 * (8.0 + 2.0 * a.scale * 4.0 * a.head_dim + a.kv_len);
  for (const OpsKernels* ops : Levels()) {
    a.out = got.data();
    std::vector<float> scratch(F32AttentionScratchFloats(a.kv_len, a.head_dim, 1));
    Check(F32Attention(*ops, a, nullptr, scratch.data(), scratch.size()).ok());
    for (size_t i = 0; i < got.size(); ++i) Check(std::fabs(got[i] - want[i]) <= bound);
  }
}

void FuzzConvAndPool(Bytes& in) {
  Conv2dParams p;
  p.in_channels = in.Range(1, 4);
  p.out_channels = in.Range(1, 6);
  p.kernel_h = in.Range(1, 4);
  p.kernel_w = in.Range(1, 4);
  p.stride_h = in.Range(1, 3);
  p.stride_w = in.Range(1, 3);
  p.pad_h = in.Range(0, 2);
  p.pad_w = in.Range(0, 2);
  const int64_t h = in.Range(1, 12), w = in.Range(1, 12), batch = in.Range(1, 2);
  const bool nchw = in.U8() & 1;
  const auto x = in.Values(batch * p.in_channels * h * w, 2.0f);
  const auto wt = in.Values(p.out_channels * p.in_channels * p.kernel_h * p.kernel_w, 1.0f);
  const bool fits = h + 2 * p.pad_h >= p.kernel_h && w + 2 * p.pad_w >= p.kernel_w;
  for (IsaLevel level : {IsaLevel::kScalar, IsaLevel::kAvx2, IsaLevel::kAvx512}) {
    if (OpsKernelsForIsa(level) == nullptr) continue;
    auto conv = PackedConv2d::CreateForIsa(p, wt.data(), nullptr, GemmPrecision::kF32, level);
    Check(conv.ok());
    auto bytes = conv->ScratchBytes(batch, h, w, 1);
    Check(bytes.ok() == fits);
    if (!fits) continue;
    const int64_t oh = (h + 2 * p.pad_h - p.kernel_h) / p.stride_h + 1;
    const int64_t ow = (w + 2 * p.pad_w - p.kernel_w) / p.stride_w + 1;
    const Conv2dInput cin = nchw ? Conv2dInputNchw(x.data(), batch, p.in_channels, h, w)
                                 : Conv2dInputNhwc(x.data(), batch, p.in_channels, h, w);
    std::vector<float> got(batch * oh * ow * p.out_channels), want(got.size());
    auto scratch = AllocateAligned(*bytes > 0 ? *bytes : 64);
    Check(scratch.ok());
    Check(conv->Run(cin, got.data(), p.out_channels, nullptr, 0, false, nullptr, scratch->get(),
                    *bytes).ok());
    Conv2dRefShape rs{batch, p.in_channels, h, w, p.out_channels, p.kernel_h, p.kernel_w,
                      p.stride_h, p.stride_w, p.pad_h, p.pad_w};
    f32_conv2d_ref(rs, x.data(), cin.stride_n, cin.stride_c, cin.stride_h, cin.stride_w, wt.data(),
                   nullptr, want.data(), p.out_channels);
    const double k = static_cast<double>(p.in_channels * p.kernel_h * p.kernel_w);
    for (size_t i = 0; i < got.size(); ++i) {
      Check(std::fabs(got[i] - want[i]) <= kEps * (8.0 + k / 8.0) * 2.0 * k + 1e-30);
    }
  }
  // AvgPool2d on the same bytes as an NHWC map: valid or a clean error.
  AvgPool2dParams ap;
  ap.kernel_h = p.kernel_h;
  ap.kernel_w = p.kernel_w;
  ap.stride_h = p.stride_h;
  ap.stride_w = p.stride_w;
  ap.pad_h = p.pad_h;
  ap.pad_w = p.pad_w;
  ap.count_include_pad = in.U8() & 1;
  const bool valid = fits && 2 * p.pad_h <= p.kernel_h && 2 * p.pad_w <= p.kernel_w;
  const int64_t oh = valid ? (h + 2 * p.pad_h - p.kernel_h) / p.stride_h + 1 : 0;
  const int64_t ow = valid ? (w + 2 * p.pad_w - p.kernel_w) / p.stride_w + 1 : 0;
  std::vector<float> got(batch * oh * ow * p.in_channels + 1), want(got.size());
  const Status s = AvgPool2d(ap, batch, h, w, p.in_channels, x.data(), got.data(), nullptr);
  Check(s.ok() == valid);
  if (!valid) return;
  f32_avg_pool2d_ref(batch, h, w, p.in_channels, p.kernel_h, p.kernel_w, p.stride_h, p.stride_w,
                     p.pad_h, p.pad_w, ap.count_include_pad, x.data(), want.data());
  for (size_t i = 0; i + 1 < got.size(); ++i) Check(std::fabs(got[i] - want[i]) <= 1e-5);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Bytes in(data, size);
  switch (in.U8() % 5) {
    case 0: FuzzRows(in, 0); break;
    case 1: FuzzRows(in, 1); break;
    case 2: FuzzActivation(in); break;
    case 3: FuzzAttention(in); break;
    default: FuzzConvAndPool(in); break;
  }
  return 0;
}
