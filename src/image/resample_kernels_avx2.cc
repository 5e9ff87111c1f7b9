// AVX2 versions of the 8-bit resampling passes (compiled with -mavx2 only
// here). Same integer arithmetic as the scalar kernels: u8 * int32 weight
// products summed in int32, + 2^21, >> 22, clamped to 0..255.
#include <immintrin.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "image/resample_kernels.h"

namespace cliprt::image {
namespace {

constexpr int32_t kHalf = 1 << (kResamplePrecisionBits - 1);

inline int32_t HorizontalSum(__m256i v) {
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
  return _mm_cvtsi128_si32(s);
}

inline uint8_t Clip8(int32_t acc) {
  const int32_t v = acc >> kResamplePrecisionBits;
  return static_cast<uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
}

// 8 int32 accumulators → 8 clamped bytes.
inline void Store8(__m256i acc, uint8_t* dst) {
  const __m256i v = _mm256_srai_epi32(acc, kResamplePrecisionBits);
  const __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  _mm_storel_epi64(reinterpret_cast<__m128i*>(dst), _mm_packus_epi16(w, w));
}

}  // namespace

void HorizontalPass8Avx2(int channels, const uint8_t* in, int in_w, int row0, int rows,
                         const ResampleCoeffs& c, uint8_t* out) {
  // Weights padded to a multiple of 8 taps (zeros past each count), and each
  // input row split into channel planes padded with zeros, so every dot
  // product runs whole 8-lane steps without reading past a buffer.
  const int k8 = (c.ksize + 7) / 8 * 8;
  std::vector<int32_t> w(static_cast<size_t>(c.out_size) * static_cast<size_t>(k8), 0);
  for (int xx = 0; xx < c.out_size; ++xx) {
    std::memcpy(&w[static_cast<size_t>(xx) * static_cast<size_t>(k8)],
                &c.fixed[static_cast<size_t>(xx) * static_cast<size_t>(c.ksize)],
                static_cast<size_t>(c.count[static_cast<size_t>(xx)]) * sizeof(int32_t));
  }
  const size_t plane_len = static_cast<size_t>(in_w) + static_cast<size_t>(k8) + 8;
  std::vector<uint8_t> planes(plane_len * static_cast<size_t>(channels), 0);
  const size_t in_stride = static_cast<size_t>(in_w) * static_cast<size_t>(channels);
  const size_t out_stride = static_cast<size_t>(c.out_size) * static_cast<size_t>(channels);
  for (int y = 0; y < rows; ++y) {
    const uint8_t* line = in + static_cast<size_t>(row0 + y) * in_stride;
    if (channels == 1) {
      std::memcpy(planes.data(), line, static_cast<size_t>(in_w));
    } else {
      for (int x = 0; x < in_w; ++x) {
        for (int ch = 0; ch < channels; ++ch) {
          planes[static_cast<size_t>(ch) * plane_len + static_cast<size_t>(x)] =
              line[static_cast<size_t>(x) * static_cast<size_t>(channels) + static_cast<size_t>(ch)];
        }
      }
    }
    uint8_t* dst = out + static_cast<size_t>(y) * out_stride;
    for (int xx = 0; xx < c.out_size; ++xx) {
      const int32_t* k = &w[static_cast<size_t>(xx) * static_cast<size_t>(k8)];
      const int first = c.first[static_cast<size_t>(xx)];
      const int steps = (c.count[static_cast<size_t>(xx)] + 7) / 8;
      for (int ch = 0; ch < channels; ++ch) {
        const uint8_t* src = planes.data() + static_cast<size_t>(ch) * plane_len + static_cast<size_t>(first);
        __m256i acc = _mm256_setzero_si256();
        for (int s = 0; s < steps; ++s) {
          const __m256i px = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(src + 8 * s)));
          const __m256i kv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(k + 8 * s));
          acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(px, kv));
        }
        dst[xx * channels + ch] = Clip8(kHalf + HorizontalSum(acc));
      }
    }
  }
}

void VerticalPass8Avx2(const uint8_t* in, size_t row_len, int row_offset, const ResampleCoeffs& c,
                       uint8_t* out) {
  const __m256i half = _mm256_set1_epi32(kHalf);
  for (int yy = 0; yy < c.out_size; ++yy) {
    const int32_t* k = &c.fixed[static_cast<size_t>(yy) * static_cast<size_t>(c.ksize)];
    const int first = c.first[static_cast<size_t>(yy)] - row_offset;
    const int n = c.count[static_cast<size_t>(yy)];
    const uint8_t* base = in + static_cast<size_t>(first) * row_len;
    uint8_t* dst = out + static_cast<size_t>(yy) * row_len;
    size_t i = 0;
    // 32 bytes per step: four 8-lane accumulators stay in registers over the taps.
    for (; i + 32 <= row_len; i += 32) {
      __m256i a0 = half, a1 = half, a2 = half, a3 = half;
      for (int j = 0; j < n; ++j) {
        const uint8_t* src = base + static_cast<size_t>(j) * row_len + i;
        const __m256i kv = _mm256_set1_epi32(k[j]);
        const __m256i px = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src));
        const __m128i lo = _mm256_castsi256_si128(px), hi = _mm256_extracti128_si256(px, 1);
        a0 = _mm256_add_epi32(a0, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(lo), kv));
        a1 = _mm256_add_epi32(a1, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(_mm_srli_si128(lo, 8)), kv));
        a2 = _mm256_add_epi32(a2, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(hi), kv));
        a3 = _mm256_add_epi32(a3, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(_mm_srli_si128(hi, 8)), kv));
      }
      Store8(a0, dst + i);
      Store8(a1, dst + i + 8);
      Store8(a2, dst + i + 16);
      Store8(a3, dst + i + 24);
    }
    for (; i < row_len; ++i) {
      int32_t acc = kHalf;
      for (int j = 0; j < n; ++j) acc += base[static_cast<size_t>(j) * row_len + i] * k[j];
      dst[i] = Clip8(acc);
    }
  }
}

}  // namespace cliprt::image
