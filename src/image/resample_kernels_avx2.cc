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
  // Works on the interleaved bytes directly: the weights are expanded per
  // sample (w[C*j + ch] = k_j), padded with zeros to whole 8-lane steps, and
  // sample lane l of a step belongs to channel l % C. For C = 3 the lane ->
  // channel pattern repeats every 24 bytes, so three accumulators are kept.
  const int C = channels;
  const int32_t* w = c.expanded.data();
  std::vector<int32_t> local;
  if (c.expanded_channels != C) {
    ResampleCoeffs copy;
    copy.ksize = c.ksize;
    copy.out_size = c.out_size;
    copy.count = c.count;
    copy.fixed = c.fixed;
    ExpandForChannels(copy, C);
    local = std::move(copy.expanded);
    w = local.data();
  }
  const size_t wstride = static_cast<size_t>(C) * static_cast<size_t>((c.ksize + 7) / 8 * 8);
  const size_t in_stride = static_cast<size_t>(in_w) * static_cast<size_t>(C);
  const size_t out_stride = static_cast<size_t>(c.out_size) * static_cast<size_t>(C);
  // Reads run up to 7 bytes past a row's end (times zero weights); inside
  // the buffer they land on the following row.
  std::vector<uint8_t> last(in_stride + wstride + 32, 0);
  const int vectors = C == 3 ? 3 : 1;  // C = 1, 2, 4 divide 8: one lane -> channel map
  // Lane masks for C = 3: m3[i][ch] selects lanes l of accumulator i with
  // (8*i + l) % 3 == ch.
  __m256i m3[3][3];
  for (int i = 0; i < 3; ++i) {
    for (int ch = 0; ch < 3; ++ch) {
      alignas(32) int32_t m[8];
      for (int l = 0; l < 8; ++l) m[l] = (8 * i + l) % 3 == ch ? -1 : 0;
      m3[i][ch] = _mm256_load_si256(reinterpret_cast<const __m256i*>(m));
    }
  }
  const __m128i half4 = _mm_set1_epi32(kHalf);
  for (int y = 0; y < rows; ++y) {
    const uint8_t* line = in + static_cast<size_t>(row0 + y) * in_stride;
    // A step reads at most 7 bytes past the row's end: rows followed by
    // fewer than 8 bytes of the buffer read from a zero-padded copy.
    if (static_cast<size_t>(rows - 1 - y) * in_stride < 8) {
      std::memcpy(last.data(), line, in_stride);
      line = last.data();
    }
    uint8_t* dst = out + static_cast<size_t>(y) * out_stride;
    for (int xx = 0; xx < c.out_size; ++xx) {
      const int32_t* k = w + static_cast<size_t>(xx) * wstride;
      const uint8_t* src = line + static_cast<size_t>(c.first[static_cast<size_t>(xx)]) * static_cast<size_t>(C);
      const int steps = (C * c.count[static_cast<size_t>(xx)] + 7) / 8;
      // Separate named accumulators keep the sums in registers.
      __m256i a0 = _mm256_setzero_si256(), a1 = _mm256_setzero_si256(), a2 = _mm256_setzero_si256();
      auto step = [&](int s) {
        const __m256i px = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(src + 8 * s)));
        const __m256i kv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(k + 8 * s));
        return _mm256_mullo_epi32(px, kv);
      };
      int s = 0;
      if (vectors == 3) {
        for (; s + 3 <= steps; s += 3) {
          a0 = _mm256_add_epi32(a0, step(s));
          a1 = _mm256_add_epi32(a1, step(s + 1));
          a2 = _mm256_add_epi32(a2, step(s + 2));
        }
        if (s < steps) a0 = _mm256_add_epi32(a0, step(s++));
        if (s < steps) a1 = _mm256_add_epi32(a1, step(s++));
      } else {
        for (; s + 2 <= steps; s += 2) {
          a0 = _mm256_add_epi32(a0, step(s));
          a1 = _mm256_add_epi32(a1, step(s + 1));
        }
        if (s < steps) a0 = _mm256_add_epi32(a0, step(s));
        a0 = _mm256_add_epi32(a0, a1);  // same lane -> channel map when 8 % C == 0
      }
      // Per-channel sums without leaving registers (a store + narrow reloads
      // stalls on store forwarding): lanes go to channel (8*i + l) % C.
      __m128i sums;  // channel ch in lane ch
      if (C == 3) {
        const __m256i v0 = _mm256_add_epi32(_mm256_add_epi32(_mm256_and_si256(a0, m3[0][0]), _mm256_and_si256(a1, m3[1][0])),
                                            _mm256_and_si256(a2, m3[2][0]));
        const __m256i v1 = _mm256_add_epi32(_mm256_add_epi32(_mm256_and_si256(a0, m3[0][1]), _mm256_and_si256(a1, m3[1][1])),
                                            _mm256_and_si256(a2, m3[2][1]));
        const __m256i v2 = _mm256_add_epi32(_mm256_add_epi32(_mm256_and_si256(a0, m3[0][2]), _mm256_and_si256(a1, m3[1][2])),
                                            _mm256_and_si256(a2, m3[2][2]));
        const __m256i h = _mm256_hadd_epi32(_mm256_hadd_epi32(v0, v1), _mm256_hadd_epi32(v2, v2));
        sums = _mm_add_epi32(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
      } else {
        __m128i q = _mm_add_epi32(_mm256_castsi256_si128(a0), _mm256_extracti128_si256(a0, 1));  // lanes l%4
        if (C <= 2) q = _mm_add_epi32(q, _mm_shuffle_epi32(q, 0x4E));                            // lanes l%2
        if (C == 1) q = _mm_add_epi32(q, _mm_shuffle_epi32(q, 0xB1));
        sums = q;
      }
      const __m128i v = _mm_srai_epi32(_mm_add_epi32(sums, half4), kResamplePrecisionBits);
      const __m128i bytes = _mm_packus_epi16(_mm_packs_epi32(v, v), v);
      const uint32_t packed = static_cast<uint32_t>(_mm_cvtsi128_si32(bytes));
      std::memcpy(dst + xx * C, &packed, static_cast<size_t>(C));
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
