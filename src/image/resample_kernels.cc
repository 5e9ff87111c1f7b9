#include "image/resample_kernels.h"

#include <algorithm>

#include "core/cpu_features.h"

namespace cliprt::image {
namespace {

constexpr int32_t kHalf = 1 << (kResamplePrecisionBits - 1);

inline uint8_t Clip8(int32_t acc) {
  const int32_t v = acc >> kResamplePrecisionBits;  // arithmetic shift, as Pillow
  return static_cast<uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
}

template <int C>
void HorizontalScalar(const uint8_t* in, int in_w, int row0, int rows, const ResampleCoeffs& c, uint8_t* out) {
  const int out_w = c.out_size;
  const size_t in_stride = static_cast<size_t>(in_w) * C;
  const size_t out_stride = static_cast<size_t>(out_w) * C;
  for (int y = 0; y < rows; ++y) {
    const uint8_t* line = in + static_cast<size_t>(row0 + y) * in_stride;
    uint8_t* dst = out + static_cast<size_t>(y) * out_stride;
    for (int xx = 0; xx < out_w; ++xx) {
      const int32_t* k = &c.fixed[static_cast<size_t>(xx) * static_cast<size_t>(c.ksize)];
      const uint8_t* src = line + static_cast<size_t>(c.first[static_cast<size_t>(xx)]) * C;
      const int n = c.count[static_cast<size_t>(xx)];
      int32_t acc[C];
      for (int ch = 0; ch < C; ++ch) acc[ch] = kHalf;
      for (int j = 0; j < n; ++j) {
        for (int ch = 0; ch < C; ++ch) acc[ch] += src[j * C + ch] * k[j];
      }
      for (int ch = 0; ch < C; ++ch) dst[xx * C + ch] = Clip8(acc[ch]);
    }
  }
}

bool UseAvx2() {
#if defined(__x86_64__) || defined(_M_X64)
  static const bool use = ActiveIsaLevel() >= IsaLevel::kAvx2;
  return use;
#else
  return false;
#endif
}

}  // namespace

void HorizontalPass8Scalar(int channels, const uint8_t* in, int in_w, int row0, int rows,
                           const ResampleCoeffs& c, uint8_t* out) {
  switch (channels) {
    case 1: HorizontalScalar<1>(in, in_w, row0, rows, c, out); break;
    case 2: HorizontalScalar<2>(in, in_w, row0, rows, c, out); break;
    case 3: HorizontalScalar<3>(in, in_w, row0, rows, c, out); break;
    default: HorizontalScalar<4>(in, in_w, row0, rows, c, out); break;
  }
}

void VerticalPass8Scalar(const uint8_t* in, size_t row_len, int row_offset, const ResampleCoeffs& c,
                         uint8_t* out) {
  // Accumulating a whole row per tap keeps the inner loop contiguous; integer
  // sums are order-independent, so the result is Pillow's.
  std::vector<int32_t> acc(row_len);
  for (int yy = 0; yy < c.out_size; ++yy) {
    const int32_t* k = &c.fixed[static_cast<size_t>(yy) * static_cast<size_t>(c.ksize)];
    const int first = c.first[static_cast<size_t>(yy)] - row_offset;
    const int n = c.count[static_cast<size_t>(yy)];
    std::fill(acc.begin(), acc.end(), kHalf);
    for (int j = 0; j < n; ++j) {
      const uint8_t* src = in + static_cast<size_t>(first + j) * row_len;
      const int32_t w = k[j];
      for (size_t i = 0; i < row_len; ++i) acc[i] += src[i] * w;
    }
    uint8_t* dst = out + static_cast<size_t>(yy) * row_len;
    for (size_t i = 0; i < row_len; ++i) dst[i] = Clip8(acc[i]);
  }
}

void ExpandForChannels(ResampleCoeffs& c, int channels) {
  const int k8 = (c.ksize + 7) / 8 * 8;
  const size_t stride = static_cast<size_t>(channels) * static_cast<size_t>(k8);
  c.expanded.assign(static_cast<size_t>(c.out_size) * stride, 0);
  for (int xx = 0; xx < c.out_size; ++xx) {
    const int32_t* k = &c.fixed[static_cast<size_t>(xx) * static_cast<size_t>(c.ksize)];
    int32_t* dst = &c.expanded[static_cast<size_t>(xx) * stride];
    for (int j = 0; j < c.count[static_cast<size_t>(xx)]; ++j) {
      for (int ch = 0; ch < channels; ++ch) dst[channels * j + ch] = k[j];
    }
  }
  c.expanded_channels = channels;
  c.expanded_stride = static_cast<int>(stride);
}

void HorizontalPass8(int channels, const uint8_t* in, int in_w, int row0, int rows, const ResampleCoeffs& c,
                     uint8_t* out) {
#if defined(__x86_64__) || defined(_M_X64)
  if (UseAvx2()) return HorizontalPass8Avx2(channels, in, in_w, row0, rows, c, out);
#endif
  HorizontalPass8Scalar(channels, in, in_w, row0, rows, c, out);
}

void VerticalPass8(const uint8_t* in, size_t row_len, int row_offset, const ResampleCoeffs& c, uint8_t* out) {
#if defined(__x86_64__) || defined(_M_X64)
  if (UseAvx2()) return VerticalPass8Avx2(in, row_len, row_offset, c, out);
#endif
  VerticalPass8Scalar(in, row_len, row_offset, c, out);
}

}  // namespace cliprt::image
