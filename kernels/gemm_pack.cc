#include "kernels/gemm_pack.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace cliprt::kernels {
namespace {

// Round half to even, as vcvtps2dq does under the default MXCSR.
inline int32_t RoundHalfEven(float v) { return static_cast<int32_t>(std::nearbyint(v)); }

}  // namespace

void PackGemmWeightsF32(const float* w, int64_t n, int64_t k, int64_t ldw, int nr,
                        int64_t k_padded, float* out) {
  const int64_t panels = (n + nr - 1) / nr;
  for (int64_t p = 0; p < panels; ++p) {
    float* panel = out + p * k_padded * nr;
    std::fill(panel, panel + k_padded * nr, 0.0f);
    for (int c = 0; c < nr; ++c) {
      const int64_t col = p * nr + c;
      if (col >= n) break;
      const float* src = w + col * ldw;
      for (int64_t kk = 0; kk < k; ++kk) panel[kk * nr + c] = src[kk];
    }
  }
}

void PackGemmWeightsBF16(const float* w, int64_t n, int64_t k, int64_t ldw, int nr,
                         int64_t k_padded, uint16_t* out) {
  const int64_t panels = (n + nr - 1) / nr;
  for (int64_t p = 0; p < panels; ++p) {
    uint16_t* panel = out + p * k_padded * nr;
    std::fill(panel, panel + k_padded * nr, uint16_t{0});
    for (int c = 0; c < nr; ++c) {
      const int64_t col = p * nr + c;
      if (col >= n) break;
      const float* src = w + col * ldw;
      for (int64_t kk = 0; kk < k; ++kk) {
        panel[(kk / 2) * nr * 2 + c * 2 + (kk % 2)] = GemmFloatToBf16(src[kk]);
      }
    }
  }
}

Status PackGemmWeightsQS8(const float* w, int64_t n, int64_t k, int64_t ldw, int nr,
                          int64_t k_padded, int8_t* out, float* col_scale, int32_t* col_sum) {
  const int64_t panels = (n + nr - 1) / nr;
  for (int64_t p = 0; p < panels; ++p) {
    int8_t* panel = out + p * k_padded * nr;
    std::fill(panel, panel + k_padded * nr, int8_t{0});
    for (int c = 0; c < nr; ++c) {
      const int64_t col = p * nr + c;
      if (col >= n) {
        col_scale[col] = 0.0f;
        col_sum[col] = 0;
        continue;
      }
      const float* src = w + col * ldw;
      float amax = 0.0f;
      for (int64_t kk = 0; kk < k; ++kk) {
        if (!std::isfinite(src[kk])) {
          return InvalidArgumentError("int8 GEMM weight row " + std::to_string(col) + " column " +
                                      std::to_string(kk) + " is not finite");
        }
        amax = std::max(amax, std::fabs(src[kk]));
      }
      const float inv = amax > 0.0f ? 127.0f / amax : 0.0f;
      int32_t sum = 0;
      for (int64_t kk = 0; kk < k; ++kk) {
        const int32_t q = std::clamp(RoundHalfEven(src[kk] * inv), -127, 127);
        panel[(kk / 4) * nr * 4 + c * 4 + (kk % 4)] = static_cast<int8_t>(q);
        sum += q;
      }
      col_scale[col] = amax / 127.0f;
      col_sum[col] = sum;
    }
  }
  return Status::Ok();
}

void PackGemmActivationsF32(const float* x, int64_t ldx, int64_t rows, int64_t kcb, int mr,
                            float* out) {
  for (int64_t r = 0; r < rows; ++r) {
    float* dst = out + (r / mr) * mr * kcb + (r % mr);
    const float* src = x + r * ldx;
    for (int64_t kk = 0; kk < kcb; ++kk) dst[kk * mr] = src[kk];
  }
}

void PackGemmActivationsBF16(const float* x, int64_t ldx, int64_t rows, int64_t k0,
                             int64_t kcb, int64_t k, int mr, uint16_t* out) {
  const int64_t real = std::min(kcb, k - k0);  // columns of this block inside K
  for (int64_t r = 0; r < rows; ++r) {
    uint16_t* dst = out + (r / mr) * mr * kcb + (r % mr) * 2;
    const float* src = x + r * ldx;
    for (int64_t kk = 0; kk < kcb; ++kk) {
      const uint16_t v = kk < real ? GemmFloatToBf16(src[kk]) : uint16_t{0};
      dst[(kk / 2) * mr * 2 + (kk % 2)] = v;
    }
  }
}

void ComputeGemmRowScalesQS8(const float* x, int64_t ldx, int64_t rows, int64_t k,
                             float* scale, float* inv_scale) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* src = x + r * ldx;
    float amax = 0.0f;
    bool finite = true;
    for (int64_t kk = 0; kk < k; ++kk) {
      const float a = std::fabs(src[kk]);
      finite &= a <= 3.402823466e38f;  // false for Inf and NaN
      amax = std::max(amax, a);
    }
    if (!finite) {
      scale[r] = std::nanf("");
      inv_scale[r] = 0.0f;
    } else {
      scale[r] = amax / 127.0f;
      inv_scale[r] = amax > 0.0f ? 127.0f / amax : 0.0f;
    }
  }
}

void PackGemmActivationsQS8(const float* x, int64_t ldx, int64_t rows, int64_t k0, int64_t kcb,
                            int64_t k, int mr, const float* inv_scale, uint8_t* out) {
  const int64_t real = std::min(kcb, k - k0);
  for (int64_t r = 0; r < rows; ++r) {
    uint8_t* dst = out + (r / mr) * mr * kcb + (r % mr) * 4;
    const float* src = x + r * ldx;
    const float inv = inv_scale[r];
    for (int64_t kk = 0; kk < kcb; ++kk) {
      int32_t q = 0;
      // inv == 0 for non-finite rows: every q is 0 and the NaN scale marks the row.
      if (kk < real && inv != 0.0f) q = std::clamp(RoundHalfEven(src[kk] * inv), -127, 127);
      dst[(kk / 4) * mr * 4 + (kk % 4)] = static_cast<uint8_t>(q + 128);
    }
  }
}

}  // namespace cliprt::kernels
