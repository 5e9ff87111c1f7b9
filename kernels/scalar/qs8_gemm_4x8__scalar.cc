// Portable int8 micro-kernel (4 × 8, k in quads): the fallback where the CPU
// lacks VNNI. Integer sums are exact, so it produces the same int32
// accumulators as the VNNI kernels and the same dequantization arithmetic.
#include "kernels/gemm_microkernel.h"

namespace cliprt::kernels {

void qs8_gemm_4x8__scalar(const GemmTileArgs& args) {
  constexpr int kMr = 4, kNr = 8;
  int32_t acc[kMr][kNr] = {};
  if (!args.first) {
    const int32_t* p = static_cast<const int32_t*>(args.partial);
    for (int r = 0; r < args.rows; ++r)
      for (int c = 0; c < args.cols; ++c) acc[r][c] = p[r * args.ldp + c];
  }
  const uint8_t* a = static_cast<const uint8_t*>(args.a);
  const int8_t* b = static_cast<const int8_t*>(args.b);
  for (int64_t k = 0; k < args.k_groups; ++k) {
    for (int r = 0; r < args.rows; ++r) {
      const uint8_t* ar = a + k * kMr * 4 + r * 4;
      for (int c = 0; c < kNr; ++c) {
        const int8_t* bc = b + k * kNr * 4 + c * 4;
        acc[r][c] += ar[0] * bc[0] + ar[1] * bc[1] + ar[2] * bc[2] + ar[3] * bc[3];
      }
    }
  }
  if (!args.last) {
    int32_t* p = static_cast<int32_t*>(args.partial);
    for (int r = 0; r < args.rows; ++r)
      for (int c = 0; c < args.cols; ++c) p[r * args.ldp + c] = acc[r][c];
    return;
  }
  for (int r = 0; r < args.rows; ++r) {
    for (int c = 0; c < args.cols; ++c) {
      const int32_t centered = acc[r][c] - 128 * args.col_sum[c];
      float v = static_cast<float>(centered) * (args.row_scale[r] * args.col_scale[c]);
      if (args.bias != nullptr) v += args.bias[c];
      v = GemmActivationScalar(args.activation, v);
      if (args.residual != nullptr) v += args.residual[r * args.ldr + c];
      args.y[r * args.ldy + c] = v;
    }
  }
}

}  // namespace cliprt::kernels
