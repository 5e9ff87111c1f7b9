// Internal contract between the GEMM driver (gemm.cc) and the per-ISA
// micro-kernels: one call computes one rows×cols tile of Y (rows <= mr,
// cols <= nr) over one K block.
//
// Packed layouts (g = k-group: 1 for f32, 2 for bf16 pairs, 4 for int8 quads;
// element = float, uint16_t bf16 bits, or int8/uint8):
//   B (weights, packed once): panel p holds columns [p·nr, p·nr + nr), for
//     each k-group kk in [0, k_padded/g): nr × g elements, column-major within
//     the group (element (c, j) at kk·nr·g + c·g + j). Columns past N are zero.
//   A (activations, packed per block): micro-panel of mr rows, for each k-group
//     kk in [0, kc/g): mr × g elements (row r at kk·mr·g + r·g). Rows past M
//     are never read (kernels are instantiated per row count).
//
// Accumulation across K blocks: the first block starts from zero, later
// blocks continue the same per-element chain from `partial` (fp32, or int32
// for kQS8). A block that is not the last stores to `partial`; the last block
// applies the epilogue and writes Y. When a single block covers K (first and
// last), `partial` is unused. Y is therefore written exactly once per element,
// after its residual element has been read, which makes residual == Y safe.
#pragma once

#include <cstdint>

#include "kernels/gemm.h"

namespace cliprt::kernels {

struct GemmTileArgs {
  int rows = 0;            // valid rows, 1..mr
  int cols = 0;            // valid columns, 1..nr
  int64_t k_groups = 0;    // k-groups in this block (kc / g)
  const void* a = nullptr; // packed A micro-panel for this block
  const void* b = nullptr; // packed B micro-panel, already offset to this block
  void* partial = nullptr; // rows × ldp accumulators (float or int32)
  int64_t ldp = 0;
  bool first = true;
  bool last = true;
  // Epilogue (read only when last).
  float* y = nullptr;      // at (row0, col0)
  int64_t ldy = 0;
  const float* bias = nullptr;      // at col0, or nullptr
  GemmActivation activation = GemmActivation::kNone;
  const float* residual = nullptr;  // at (row0, col0), or nullptr
  int64_t ldr = 0;
  // kQS8 dequantization.
  const float* row_scale = nullptr;   // at row0: activation scale per row
  const float* col_scale = nullptr;   // at col0: weight scale per column
  const int32_t* col_sum = nullptr;   // at col0: Σ_k w_q[n,k] (for the +128 offset)
  // Single-row kernels only: consecutive panels in one call (cols may then be
  // up to panels·nr) and the distance between their B micro-panels, in
  // elements.
  int panels = 1;
  int64_t panel_stride = 0;
};

using GemmTileFn = void (*)(const GemmTileArgs& args);

// One dispatch-table row: a micro-kernel together with its packing and tile.
struct GemmKernelEntry {
  GemmPrecision precision;
  IsaLevel isa;         // level whose CPU features the kernel needs
  bool needs_bf16;      // needs AVX512_BF16 (vdpbf16ps)
  bool needs_avx512_vnni;
  bool needs_avx_vnni;
  const char* name;
  int mr;
  int nr;
  int k_group;          // 1, 2 or 4
  int64_t kc;           // K block (multiple of k_group)
  int max_mc_panels;    // rows per A block = mr · max_mc_panels at most
  int max_nc_panels;    // M = 1: columns per task = nr · max_nc_panels at most
  GemmTileFn tile;
  // Optional kernel for one-row tiles over up to row1_panels panels at once,
  // with the same per-element arithmetic as `tile` (so results match).
  GemmTileFn row1 = nullptr;
  int row1_panels = 0;
};

// The table (gemm_dispatch.cc); entries whose ISA sources are not compiled
// (non-x86 builds) are absent.
const GemmKernelEntry* GemmKernelTable(int* count);

// True if this CPU has every feature the entry needs.
bool GemmKernelRunsHere(const GemmKernelEntry& entry);

// A plan for one specific table entry, bypassing the choice PlanGemmForIsa
// makes (tests use it to run fallback kernels on CPUs that have the fast
// path). Unsupported if the CPU cannot run it.
StatusOr<GemmPlan> PlanGemmWithKernel(int kernel_id, int64_t n, int64_t k);

// RunGemm and GemmScratchBytes with `entry`'s micro-kernel, row tile and
// blocking instead of the plan's own entry. The entry must share the plan's
// packed-W layout (precision, nr, k-group, kc); tests run kernels the CPU's
// dispatch cannot pick this way (tests/kernels/gemm_avxvnni_twin_test.cc).
Status RunGemmWithEntry(const GemmKernelEntry& entry, const GemmPlan& plan,
                        const void* packed_weights, int64_t m, const float* x, int64_t ldx,
                        float* y, int64_t ldy, const GemmEpilogue& epilogue, ThreadPool* pool,
                        void* scratch, size_t scratch_bytes);
size_t GemmScratchBytesWithEntry(const GemmKernelEntry& entry, const GemmPlan& plan, int64_t m,
                                 int num_threads);

// Micro-kernels (one per file).
void f32_gemm_4x8__scalar(const GemmTileArgs& args);
void bf16_gemm_4x8__scalar(const GemmTileArgs& args);
void qs8_gemm_4x8__scalar(const GemmTileArgs& args);
#if defined(__x86_64__) || defined(_M_X64)
void f32_gemm_6x16__avx2_fma(const GemmTileArgs& args);
void f32_gemm_14x32__avx512f(const GemmTileArgs& args);
void f32_gemv_1x128__avx512f(const GemmTileArgs& args);
void bf16_gemm_14x32__avx512bf16(const GemmTileArgs& args);
void bf16_gemv_1x128__avx512bf16(const GemmTileArgs& args);
void qs8_gemm_12x32__avx512vnni(const GemmTileArgs& args);
void bf16_gemm_12x32__avx512f(const GemmTileArgs& args);
void bf16_gemm_4x16__avx2_fma(const GemmTileArgs& args);
void qs8_gemm_6x16__avxvnni(const GemmTileArgs& args);
void qs8_gemm_4x16__avx2(const GemmTileArgs& args);
#endif

// Scalar epilogue shared by the scalar kernels and the reference:
// act(v) in double precision, rounded once to float.
float GemmActivationScalar(GemmActivation activation, float v);

}  // namespace cliprt::kernels
