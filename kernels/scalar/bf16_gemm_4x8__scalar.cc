// Portable bf16 micro-kernel (4 × 8, k in pairs): the fallback where the CPU
// lacks AVX512_BF16. Products of bf16 values are exact in fp32, so it sums the
// same products as vdpbf16ps, in a fixed fp32 order.
#include <cstring>

#include "kernels/gemm_microkernel.h"

namespace cliprt::kernels {
namespace {

inline float Bf16(uint16_t v) {
  const uint32_t bits = static_cast<uint32_t>(v) << 16;
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

}  // namespace

void bf16_gemm_4x8__scalar(const GemmTileArgs& args) {
  constexpr int kMr = 4, kNr = 8;
  float acc[kMr][kNr] = {};
  if (!args.first) {
    const float* p = static_cast<const float*>(args.partial);
    for (int r = 0; r < args.rows; ++r)
      for (int c = 0; c < args.cols; ++c) acc[r][c] = p[r * args.ldp + c];
  }
  const uint16_t* a = static_cast<const uint16_t*>(args.a);
  const uint16_t* b = static_cast<const uint16_t*>(args.b);
  for (int64_t k = 0; k < args.k_groups; ++k) {
    for (int r = 0; r < args.rows; ++r) {
      const float a0 = Bf16(a[k * kMr * 2 + r * 2]);
      const float a1 = Bf16(a[k * kMr * 2 + r * 2 + 1]);
      for (int c = 0; c < kNr; ++c) {
        acc[r][c] += a0 * Bf16(b[k * kNr * 2 + c * 2]);
        acc[r][c] += a1 * Bf16(b[k * kNr * 2 + c * 2 + 1]);
      }
    }
  }
  if (!args.last) {
    float* p = static_cast<float*>(args.partial);
    for (int r = 0; r < args.rows; ++r)
      for (int c = 0; c < args.cols; ++c) p[r * args.ldp + c] = acc[r][c];
    return;
  }
  for (int r = 0; r < args.rows; ++r) {
    for (int c = 0; c < args.cols; ++c) {
      float v = acc[r][c];
      if (args.bias != nullptr) v += args.bias[c];
      v = GemmActivationScalar(args.activation, v);
      if (args.residual != nullptr) v += args.residual[r * args.ldr + c];
      args.y[r * args.ldy + c] = v;
    }
  }
}

}  // namespace cliprt::kernels
