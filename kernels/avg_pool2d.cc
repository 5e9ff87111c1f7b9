#include "kernels/avg_pool2d.h"

#include <string>

namespace cliprt::kernels {

Status AvgPool2d(const AvgPool2dParams& p, int64_t batch, int64_t in_h, int64_t in_w,
                 int64_t channels, const float* x, float* y, ThreadPool* pool) {
  constexpr int64_t kMax = int64_t{1} << 20;
  auto bad = [&](int64_t v, int64_t lo) { return v < lo || v > kMax; };
  if (bad(batch, 0) || bad(in_h, 1) || bad(in_w, 1) || bad(channels, 1) || bad(p.kernel_h, 1) ||
      bad(p.kernel_w, 1) || bad(p.stride_h, 1) || bad(p.stride_w, 1) || p.pad_h < 0 ||
      p.pad_w < 0 || 2 * p.pad_h > p.kernel_h || 2 * p.pad_w > p.kernel_w ||
      in_h + 2 * p.pad_h < p.kernel_h || in_w + 2 * p.pad_w < p.kernel_w) {
    return InvalidArgumentError(
        "AvgPool2d: input " + std::to_string(batch) + "x" + std::to_string(in_h) + "x" +
        std::to_string(in_w) + "x" + std::to_string(channels) + ", kernel " +
        std::to_string(p.kernel_h) + "x" + std::to_string(p.kernel_w) + ", stride " +
        std::to_string(p.stride_h) + "x" + std::to_string(p.stride_w) + ", padding " +
        std::to_string(p.pad_h) + "x" + std::to_string(p.pad_w) +
        " invalid (padding at most half the kernel; window within the padded input)");
  }
  if (batch > 0 && (x == nullptr || y == nullptr)) {
    return InvalidArgumentError("AvgPool2d: null input or output");
  }
  const int64_t out_h = (in_h + 2 * p.pad_h - p.kernel_h) / p.stride_h + 1;
  const int64_t out_w = (in_w + 2 * p.pad_w - p.kernel_w) / p.stride_w + 1;
  auto body = [&](int64_t begin, int64_t end, int /*thread*/) {
    for (int64_t row = begin; row < end; ++row) {  // row = n·out_h + oh
      const int64_t n = row / out_h, oh = row % out_h;
      const int64_t h0 = oh * p.stride_h - p.pad_h;
      const int64_t h1 = h0 + p.kernel_h < in_h + p.pad_h ? h0 + p.kernel_h : in_h + p.pad_h;
      for (int64_t ow = 0; ow < out_w; ++ow) {
        const int64_t w0 = ow * p.stride_w - p.pad_w;
        const int64_t w1 = w0 + p.kernel_w < in_w + p.pad_w ? w0 + p.kernel_w : in_w + p.pad_w;
        float* out = y + ((n * out_h + oh) * out_w + ow) * channels;
        for (int64_t c = 0; c < channels; ++c) out[c] = 0.0f;
        int64_t count = 0;
        for (int64_t ih = h0; ih < h1; ++ih) {
          if (ih < 0 || ih >= in_h) continue;
          for (int64_t iw = w0; iw < w1; ++iw) {
            if (iw < 0 || iw >= in_w) continue;
            const float* src = x + ((n * in_h + ih) * in_w + iw) * channels;
            for (int64_t c = 0; c < channels; ++c) out[c] += src[c];
            ++count;
          }
        }
        const int64_t divisor = p.count_include_pad ? (h1 - h0) * (w1 - w0) : count;
        const float d = static_cast<float>(divisor > 0 ? divisor : 1);
        for (int64_t c = 0; c < channels; ++c) out[c] /= d;
      }
    }
  };
  if (pool != nullptr) {
    pool->ParallelFor(batch * out_h, body);
  } else {
    body(0, batch * out_h, 0);
  }
  return Status::Ok();
}

}  // namespace cliprt::kernels
