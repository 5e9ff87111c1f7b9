// Scalar references (oracles) for the op kernels: straightforward loops,
// double-precision arithmetic, no ISA flags. Every optimized op is tested
// against these (tests/kernels/ops_*_test.cc and the ops self-test).
#pragma once

#include <cstdint>

#include "kernels/attention.h"

namespace cliprt::kernels {

void f32_layernorm_ref(int64_t rows, int64_t dim, const float* x, int64_t ldx, const float* gamma,
                       const float* beta, float eps, float* y, int64_t ldy);
void f32_softmax_ref(int64_t rows, int64_t dim, const float* x, int64_t ldx, float* y,
                     int64_t ldy);
void f32_l2_normalize_ref(int64_t rows, int64_t dim, const float* x, int64_t ldx, float eps,
                          float* y, int64_t ldy);
void f32_gelu_erf_ref(int64_t n, const float* x, float* y);
void f32_gelu_tanh_ref(int64_t n, const float* x, float* y);
void f32_quick_gelu_ref(int64_t n, const float* x, float* y);
void f32_relu_ref(int64_t n, const float* x, float* y);
void f32_mean_pool_ref(int64_t batch, int64_t tokens, int64_t dim, const float* x,
                       int64_t batch_stride, int64_t row_stride, float* y, int64_t ldy);

// Attention with the semantics of kernels/attention.h (fully masked rows → 0),
// softmax and products in double.
void f32_attention_ref(const F32AttentionArgs& args);

// Direct convolution. Input x[n, c, h, w] = x[n·xs_n + c·xs_c + h·xs_h + w·xs_w]
// (so NCHW and NHWC are both just strides); weight in PyTorch layout
// [cout, cin, kh, kw]; bias [cout] or nullptr; zero padding. Output NHWC:
// y[((n·out_h + oh)·out_w + ow)·ldy + co].
struct Conv2dRefShape {
  int64_t batch, in_channels, in_h, in_w;
  int64_t out_channels, kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w;
};
void f32_conv2d_ref(const Conv2dRefShape& s, const float* x, int64_t xs_n, int64_t xs_c,
                    int64_t xs_h, int64_t xs_w, const float* weight, const float* bias, float* y,
                    int64_t ldy);

// Inference BatchNorm on NHWC rows: y[p, c] = (x[p, c] - mean[c]) /
// sqrt(var[c] + eps) · gamma[c] + beta[c], for `pixels` rows of `channels`.
void f32_batchnorm_ref(int64_t pixels, int64_t channels, const float* x, const float* gamma,
                       const float* beta, const float* mean, const float* var, float eps,
                       float* y);

// AvgPool2d on NHWC [batch, in_h, in_w, channels] (floor output size, zero
// padding counted when count_include_pad, PyTorch's defaults).
void f32_avg_pool2d_ref(int64_t batch, int64_t in_h, int64_t in_w, int64_t channels,
                        int64_t kernel_h, int64_t kernel_w, int64_t stride_h, int64_t stride_w,
                        int64_t pad_h, int64_t pad_w, bool count_include_pad, const float* x,
                        float* y);

}  // namespace cliprt::kernels
