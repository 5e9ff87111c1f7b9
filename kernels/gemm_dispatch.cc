// The GEMM dispatch table: each row ties a micro-kernel to its packing (k-group,
// nr) and its blocking (kc, block sizes), so a plan always gets a consistent
// set. Block sizes: the A block (mc × kc), the B micro-panel (kc × nr) and
// the partial-sum tile fit in L2 together; the micro-kernel streams both
// operands from L2 (≤ 184 bytes per 14-cycle k step for f32 AVX-512), so a
// long kc — fewer partial-sum passes, and none at all for K <= kc — measured
// faster on Zen 4 than an L1-sized kc of 256 (docs/kernels.md).
#include "kernels/gemm_microkernel.h"

namespace cliprt::kernels {
namespace {

constexpr GemmKernelEntry kTable[] = {
#if defined(__x86_64__) || defined(_M_X64)
    {GemmPrecision::kF32, IsaLevel::kAvx512, false, false, false, "f32_gemm_14x32__avx512f", 14,
     32, 1, 1024, 8, 8, &f32_gemm_14x32__avx512f, &f32_gemv_1x128__avx512f, 4},
    {GemmPrecision::kF32, IsaLevel::kAvx2, false, false, false, "f32_gemm_6x16__avx2_fma", 6, 16,
     1, 256, 24, 16, &f32_gemm_6x16__avx2_fma},
    {GemmPrecision::kBF16, IsaLevel::kAvx512, true, false, false, "bf16_gemm_14x32__avx512bf16",
     14, 32, 2, 1024, 12, 8, &bf16_gemm_14x32__avx512bf16, &bf16_gemv_1x128__avx512bf16, 4},
    {GemmPrecision::kQS8, IsaLevel::kAvx512, false, true, false, "qs8_gemm_12x32__avx512vnni", 12,
     32, 4, 1024, 14, 8, &qs8_gemm_12x32__avx512vnni},
    // Fallbacks, listed after the native kernels of their level (the plan
    // takes the first runnable entry of the highest level).
    {GemmPrecision::kBF16, IsaLevel::kAvx512, false, false, false, "bf16_gemm_12x32__avx512f", 12,
     32, 2, 512, 14, 8, &bf16_gemm_12x32__avx512f},
    {GemmPrecision::kBF16, IsaLevel::kAvx2, false, false, false, "bf16_gemm_4x16__avx2_fma", 4, 16,
     2, 512, 36, 16, &bf16_gemm_4x16__avx2_fma},
    {GemmPrecision::kQS8, IsaLevel::kAvx2, false, false, true, "qs8_gemm_6x16__avxvnni", 6, 16, 4,
     1024, 24, 16, &qs8_gemm_6x16__avxvnni},
    {GemmPrecision::kQS8, IsaLevel::kAvx2, false, false, false, "qs8_gemm_4x16__avx2", 4, 16, 4,
     1024, 36, 16, &qs8_gemm_4x16__avx2},
#endif
    {GemmPrecision::kF32, IsaLevel::kScalar, false, false, false, "f32_gemm_4x8__scalar", 4, 8, 1,
     256, 16, 32, &f32_gemm_4x8__scalar},
    {GemmPrecision::kBF16, IsaLevel::kScalar, false, false, false, "bf16_gemm_4x8__scalar", 4, 8,
     2, 256, 16, 32, &bf16_gemm_4x8__scalar},
    {GemmPrecision::kQS8, IsaLevel::kScalar, false, false, false, "qs8_gemm_4x8__scalar", 4, 8, 4,
     256, 16, 32, &qs8_gemm_4x8__scalar},
};

}  // namespace

const GemmKernelEntry* GemmKernelTable(int* count) {
  *count = static_cast<int>(sizeof(kTable) / sizeof(kTable[0]));
  return kTable;
}

}  // namespace cliprt::kernels
