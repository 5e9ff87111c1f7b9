// Reference ops (see f32_ops_ref.h): clarity over speed, double arithmetic.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/ref/f32_ops_ref.h"

namespace cliprt::kernels {

void f32_layernorm_ref(int64_t rows, int64_t dim, const float* x, int64_t ldx, const float* gamma,
                       const float* beta, float eps, float* y, int64_t ldy) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * ldx;
    double mean = 0.0;
    for (int64_t i = 0; i < dim; ++i) mean += xr[i];
    mean /= static_cast<double>(dim);
    double var = 0.0;
    for (int64_t i = 0; i < dim; ++i) var += (xr[i] - mean) * (xr[i] - mean);
    var /= static_cast<double>(dim);
    const double rstd = 1.0 / std::sqrt(var + static_cast<double>(eps));
    for (int64_t i = 0; i < dim; ++i) {
      double v = (xr[i] - mean) * rstd;
      if (gamma != nullptr) v *= gamma[i];
      if (beta != nullptr) v += beta[i];
      y[r * ldy + i] = static_cast<float>(v);
    }
  }
}

void f32_softmax_ref(int64_t rows, int64_t dim, const float* x, int64_t ldx, float* y,
                     int64_t ldy) {
  std::vector<double> e(static_cast<size_t>(dim));
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * ldx;
    double m = -std::numeric_limits<double>::infinity();
    bool has_nan = false;
    for (int64_t i = 0; i < dim; ++i) {
      if (std::isnan(xr[i])) has_nan = true;
      if (xr[i] > m) m = xr[i];
    }
    double sum = 0.0;
    for (int64_t i = 0; i < dim; ++i) sum += e[i] = std::exp(xr[i] - m);
    for (int64_t i = 0; i < dim; ++i) {
      y[r * ldy + i] = has_nan ? std::numeric_limits<float>::quiet_NaN()
                               : static_cast<float>(e[i] / sum);
    }
  }
}

void f32_l2_normalize_ref(int64_t rows, int64_t dim, const float* x, int64_t ldx, float eps,
                          float* y, int64_t ldy) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * ldx;
    double ss = 0.0;
    for (int64_t i = 0; i < dim; ++i) ss += static_cast<double>(xr[i]) * xr[i];
    const double norm = std::fmax(std::sqrt(ss), static_cast<double>(eps));
    for (int64_t i = 0; i < dim; ++i) y[r * ldy + i] = static_cast<float>(xr[i] / norm);
  }
}

void f32_gelu_erf_ref(int64_t n, const float* x, float* y) {
  for (int64_t i = 0; i < n; ++i) {
    const double v = x[i];
    y[i] = static_cast<float>(0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0))));
  }
}

void f32_gelu_tanh_ref(int64_t n, const float* x, float* y) {
  const double k = std::sqrt(2.0 / 3.14159265358979323846);
  for (int64_t i = 0; i < n; ++i) {
    const double v = x[i];
    y[i] = static_cast<float>(0.5 * v * (1.0 + std::tanh(k * (v + 0.044715 * v * v * v))));
  }
}

void f32_quick_gelu_ref(int64_t n, const float* x, float* y) {
  for (int64_t i = 0; i < n; ++i) {
    const double v = x[i];
    y[i] = static_cast<float>(v / (1.0 + std::exp(-1.702 * v)));
  }
}

void f32_relu_ref(int64_t n, const float* x, float* y) {
  for (int64_t i = 0; i < n; ++i) y[i] = std::isnan(x[i]) ? x[i] : (x[i] > 0.0f ? x[i] : 0.0f);
}

void f32_mean_pool_ref(int64_t batch, int64_t tokens, int64_t dim, const float* x,
                       int64_t batch_stride, int64_t row_stride, float* y, int64_t ldy) {
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t c = 0; c < dim; ++c) {
      double sum = 0.0;
      for (int64_t t = 0; t < tokens; ++t) sum += x[b * batch_stride + t * row_stride + c];
      y[b * ldy + c] = static_cast<float>(sum / static_cast<double>(tokens));
    }
  }
}

void f32_attention_ref(const F32AttentionArgs& a) {
  const int64_t d = a.head_dim;
  std::vector<double> p(static_cast<size_t>(a.kv_len));
  for (int64_t b = 0; b < a.batch; ++b) {
    for (int64_t h = 0; h < a.heads; ++h) {
      for (int64_t i = 0; i < a.q_len; ++i) {
        const float* q = a.q + b * a.q_batch_stride + i * a.q_row_stride + h * d;
        float* o = a.out + b * a.out_batch_stride + i * a.out_row_stride + h * d;
        double m = -std::numeric_limits<double>::infinity();
        bool any = false;
        for (int64_t j = 0; j < a.kv_len; ++j) {
          const bool masked =
              (a.causal && j > i) ||
              (a.key_padding_mask != nullptr && a.key_padding_mask[b * a.mask_batch_stride + j]);
          if (masked) {
            p[j] = -std::numeric_limits<double>::infinity();
            continue;
          }
          const float* k = a.k + b * a.k_batch_stride + j * a.k_row_stride + h * d;
          double dot = 0.0;
          for (int64_t c = 0; c < d; ++c) dot += static_cast<double>(q[c]) * k[c];
          p[j] = dot * a.scale;
          any = true;
          if (!(p[j] <= m)) m = std::isnan(m) ? m : p[j];
        }
        if (!any) {
          for (int64_t c = 0; c < d; ++c) o[c] = 0.0f;
          continue;
        }
        double sum = 0.0;
        for (int64_t j = 0; j < a.kv_len; ++j) sum += p[j] = std::exp(p[j] - m);
        for (int64_t c = 0; c < d; ++c) {
          double acc = 0.0;
          for (int64_t j = 0; j < a.kv_len; ++j) {
            if (p[j] == 0.0) continue;  // masked (or underflowed) keys contribute nothing
            acc += p[j] * a.v[b * a.v_batch_stride + j * a.v_row_stride + h * d + c];
          }
          o[c] = static_cast<float>(acc / sum);
        }
      }
    }
  }
}

void f32_conv2d_ref(const Conv2dRefShape& s, const float* x, int64_t xs_n, int64_t xs_c,
                    int64_t xs_h, int64_t xs_w, const float* weight, const float* bias, float* y,
                    int64_t ldy) {
  const int64_t out_h = (s.in_h + 2 * s.pad_h - s.kernel_h) / s.stride_h + 1;
  const int64_t out_w = (s.in_w + 2 * s.pad_w - s.kernel_w) / s.stride_w + 1;
  for (int64_t n = 0; n < s.batch; ++n) {
    for (int64_t oh = 0; oh < out_h; ++oh) {
      for (int64_t ow = 0; ow < out_w; ++ow) {
        float* yp = y + ((n * out_h + oh) * out_w + ow) * ldy;
        for (int64_t co = 0; co < s.out_channels; ++co) {
          double acc = bias != nullptr ? bias[co] : 0.0;
          for (int64_t ci = 0; ci < s.in_channels; ++ci) {
            for (int64_t kh = 0; kh < s.kernel_h; ++kh) {
              const int64_t ih = oh * s.stride_h - s.pad_h + kh;
              if (ih < 0 || ih >= s.in_h) continue;
              for (int64_t kw = 0; kw < s.kernel_w; ++kw) {
                const int64_t iw = ow * s.stride_w - s.pad_w + kw;
                if (iw < 0 || iw >= s.in_w) continue;
                const double w =
                    weight[((co * s.in_channels + ci) * s.kernel_h + kh) * s.kernel_w + kw];
                acc += w * x[n * xs_n + ci * xs_c + ih * xs_h + iw * xs_w];
              }
            }
          }
          yp[co] = static_cast<float>(acc);
        }
      }
    }
  }
}

void f32_batchnorm_ref(int64_t pixels, int64_t channels, const float* x, const float* gamma,
                       const float* beta, const float* mean, const float* var, float eps,
                       float* y) {
  for (int64_t p = 0; p < pixels; ++p) {
    for (int64_t c = 0; c < channels; ++c) {
      const double v = (x[p * channels + c] - static_cast<double>(mean[c])) /
                       std::sqrt(static_cast<double>(var[c]) + eps);
      y[p * channels + c] = static_cast<float>(v * gamma[c] + beta[c]);
    }
  }
}

void f32_avg_pool2d_ref(int64_t batch, int64_t in_h, int64_t in_w, int64_t channels,
                        int64_t kernel_h, int64_t kernel_w, int64_t stride_h, int64_t stride_w,
                        int64_t pad_h, int64_t pad_w, bool count_include_pad, const float* x,
                        float* y) {
  const int64_t out_h = (in_h + 2 * pad_h - kernel_h) / stride_h + 1;
  const int64_t out_w = (in_w + 2 * pad_w - kernel_w) / stride_w + 1;
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t oh = 0; oh < out_h; ++oh) {
      for (int64_t ow = 0; ow < out_w; ++ow) {
        for (int64_t c = 0; c < channels; ++c) {
          double sum = 0.0;
          int64_t count = 0;
          for (int64_t kh = 0; kh < kernel_h; ++kh) {
            for (int64_t kw = 0; kw < kernel_w; ++kw) {
              const int64_t ih = oh * stride_h - pad_h + kh;
              const int64_t iw = ow * stride_w - pad_w + kw;
              if (ih < 0 || ih >= in_h || iw < 0 || iw >= in_w) continue;
              sum += x[((n * in_h + ih) * in_w + iw) * channels + c];
              ++count;
            }
          }
          // PyTorch's divisor with count_include_pad: the window clipped to the
          // padded input (always kernel_h·kernel_w when the window fits).
          int64_t divisor = count;
          if (count_include_pad) {
            const int64_t h0 = oh * stride_h - pad_h, w0 = ow * stride_w - pad_w;
            const int64_t h1 = std::min(h0 + kernel_h, in_h + pad_h);
            const int64_t w1 = std::min(w0 + kernel_w, in_w + pad_w);
            divisor = (h1 - h0) * (w1 - w0);
          }
          y[((n * out_h + oh) * out_w + ow) * channels + c] =
              static_cast<float>(sum / static_cast<double>(divisor));
        }
      }
    }
  }
}

}  // namespace cliprt::kernels
