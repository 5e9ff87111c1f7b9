// Portable fp32 micro-kernel (4 rows × 8 columns), the fallback for CPUs
// without AVX2 and the scalar level CLIPRT_ISA=scalar forces.
#include "kernels/gemm_microkernel.h"

namespace cliprt::kernels {

void f32_gemm_4x8__scalar(const GemmTileArgs& args) {
  constexpr int kMr = 4, kNr = 8;
  float acc[kMr][kNr] = {};
  if (!args.first) {
    const float* p = static_cast<const float*>(args.partial);
    for (int r = 0; r < args.rows; ++r)
      for (int c = 0; c < args.cols; ++c) acc[r][c] = p[r * args.ldp + c];
  }
  const float* a = static_cast<const float*>(args.a);
  const float* b = static_cast<const float*>(args.b);
  for (int64_t k = 0; k < args.k_groups; ++k) {
    for (int r = 0; r < args.rows; ++r) {
      const float av = a[k * kMr + r];
      for (int c = 0; c < kNr; ++c) acc[r][c] += av * b[k * kNr + c];
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
