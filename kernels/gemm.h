// GEMM: Y[M,N] = act(X[M,K] · W[N,K]ᵀ + bias[N]) + residual[M,N], the matrix
// product behind every Linear layer, for fp32, bf16 and int8 weights.
//
// Usage. At model load, once per Linear layer: choose a precision and make a
// plan (PlanGemm picks the micro-kernel, its packing and its tile for the
// active ISA level, or the level you name), ask GemmPackedWeightsBytes() for
// the size, allocate a 64-byte-aligned buffer and PackGemmWeights() the
// PyTorch-layout weight W [N,K] into it (PackedGemmWeights does all of this
// and owns the buffer). Per call: GemmScratchBytes(plan, M, threads) tells how
// much per-call scratch RunGemm needs (take it from an Arena; RunGemm itself
// never allocates), then RunGemm(plan, packed, M, X, ldx, Y, ldy, epilogue,
// pool, scratch) packs X block by block into the scratch and writes Y. The plan
// and the packed weights are immutable: any number of threads may run GEMMs
// on them at once, each with its own scratch.
//
// Epilogue order, applied to each output element in exactly this order:
//   y = Σ_k x[m,k]·w[n,k]          (fp32 accumulation, fixed order)
//   y = y + bias[n]                 (if bias)
//   y = act(y)                      (none | GELU erf | GELU tanh | QuickGELU)
//   y = y + residual[m,n]           (if residual; may alias Y with ldr == ldy)
//
// Determinism: work is split over output tiles only, never over K, and the K
// blocking is fixed by the plan, so Y is bit-identical for any thread count
// (and any ThreadPool, or none). Different ISA levels may differ in the last
// bits (different FMA/accumulation patterns); each is tested against
// kernels/ref with stated bounds (docs/kernels.md).
//
// Precisions:
//   kF32  fp32 weights and activations; scalar, AVX2+FMA, AVX-512 kernels.
//   kBF16 weights rounded to bf16 (round-to-nearest-even) at pack time,
//         activations rounded to bf16 per call, fp32 accumulation and output.
//         Uses AVX512_BF16 (vdpbf16ps) when present; otherwise a correct,
//         slower path widens the same bf16 values to fp32 and uses FMAs
//         (AVX-512F or AVX2 kernels; portable C++ at the scalar level).
//   kQS8  int8 weights with one symmetric scale per output channel
//         (scale = max|w[n,:]|/127), activations quantized per row per call
//         (scale = max|x[m,:]|/127, round-to-nearest-even), exact int32
//         accumulation, fp32 output. Uses AVX512_VNNI (AVX-512 level) or
//         AVX-VNNI (AVX2 level) when present; otherwise an exact portable
//         integer fallback (the same int32 sums, so the same results). A row of X
//         holding NaN or Inf yields NaN outputs for that row. K <= 65536.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/arena.h"
#include "core/cpu_features.h"
#include "core/status.h"
#include "core/thread_pool.h"

namespace cliprt::kernels {

enum class GemmPrecision : int { kF32 = 0, kBF16 = 1, kQS8 = 2 };
const char* GemmPrecisionName(GemmPrecision precision);

enum class GemmActivation : int {
  kNone = 0,
  kGeluErf = 1,    // 0.5·x·(1 + erf(x/√2))           (nn.GELU)
  kGeluTanh = 2,   // 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³)))  (approximate="tanh")
  kQuickGelu = 3,  // x·sigmoid(1.702·x)                (OpenAI CLIP)
};
const char* GemmActivationName(GemmActivation activation);

struct GemmEpilogue {
  const float* bias = nullptr;      // [N] or nullptr
  GemmActivation activation = GemmActivation::kNone;
  const float* residual = nullptr;  // [M, ldr] or nullptr; may equal Y when ldr == ldy
  int64_t ldr = 0;                  // row stride of residual in floats (>= N)
};

// What the dispatch chose for one weight matrix. Plain data; copyable.
struct GemmPlan {
  GemmPrecision precision = GemmPrecision::kF32;
  IsaLevel isa = IsaLevel::kScalar;  // level of the micro-kernel that runs
  int64_t n = 0;                     // output features (rows of W)
  int64_t k = 0;                     // input features (columns of W)
  int mr = 0;                        // micro-tile rows (of X / Y)
  int nr = 0;                        // micro-tile columns (of W / Y)
  int64_t kc = 0;                    // K block: accumulation is blocked by kc
  int64_t k_padded = 0;              // K rounded up to the kernel's k-group (1, 2 or 4)
  const char* kernel_name = "";      // e.g. "f32_gemm_14x32__avx512f"
  int kernel_id = -1;                // index into the internal dispatch table
};

// Plan for the active ISA level (ActiveIsaLevel(), honoring CLIPRT_ISA).
// Errors: n or k < 1, or n·k too large to pack.
StatusOr<GemmPlan> PlanGemm(GemmPrecision precision, int64_t n, int64_t k);
// Plan for a specific level; Unsupported if this CPU cannot run it.
StatusOr<GemmPlan> PlanGemmForIsa(GemmPrecision precision, int64_t n, int64_t k, IsaLevel isa);

// Bytes of packed weights (multiple of 64).
size_t GemmPackedWeightsBytes(const GemmPlan& plan);

// Packs W [plan.n, plan.k] (row stride ldw >= k floats) into `packed`
// (64-byte aligned, >= GemmPackedWeightsBytes(plan) bytes). W must be finite
// for kQS8 (a non-finite weight is an InvalidArgument error naming the row).
Status PackGemmWeights(const GemmPlan& plan, const float* w, int64_t ldw, void* packed,
                       size_t packed_bytes);

// Per-call scratch RunGemm needs for M rows when run with `num_threads`
// threads (multiple of 64; 64-byte aligned memory expected). It is dominated
// by the packed copy of X: about M·K·(4, 2 or 1 bytes for f32, bf16, int8),
// plus one partial-sum tile per thread. Each row of Y depends only on its row
// of X (not on M or the other rows), so a caller that must bound memory can
// run a large M in chunks of rows and get bit-identical results.
size_t GemmScratchBytes(const GemmPlan& plan, int64_t m, int num_threads);

// Y = epilogue(X · Wᵀ). X [m, ldx >= k], Y [m, ldy >= n]. Y must not overlap
// X. pool may be nullptr (runs on the calling thread). m == 0 is a no-op.
// Errors (nothing written): bad sizes/strides, null pointers, scratch too small.
Status RunGemm(const GemmPlan& plan, const void* packed_weights, int64_t m, const float* x,
               int64_t ldx, float* y, int64_t ldy, const GemmEpilogue& epilogue,
               ThreadPool* pool, void* scratch, size_t scratch_bytes);

// Convenience owner of a plan plus its packed weights (one allocation).
class PackedGemmWeights {
 public:
  PackedGemmWeights() = default;
  // Plans for `isa` (default: the active level) and packs W [n,k].
  static StatusOr<PackedGemmWeights> Create(GemmPrecision precision, const float* w, int64_t n,
                                            int64_t k, int64_t ldw);
  static StatusOr<PackedGemmWeights> CreateForIsa(GemmPrecision precision, const float* w,
                                                  int64_t n, int64_t k, int64_t ldw, IsaLevel isa);

  const GemmPlan& plan() const { return plan_; }
  const void* data() const { return buffer_.get(); }

  // RunGemm with scratch from `arena` (allocated, used, and left for the
  // caller's Reset()).
  Status Run(int64_t m, const float* x, int64_t ldx, float* y, int64_t ldy,
             const GemmEpilogue& epilogue, ThreadPool* pool, Arena* arena) const;

 private:
  GemmPlan plan_;
  AlignedBuffer buffer_;
};

// True if this CPU has the instructions the fast path of `precision` needs at
// `isa` (vdpbf16ps for kBF16, VNNI for kQS8); false means the plan runs the
// documented fallback.
bool GemmHasNativePath(GemmPrecision precision, IsaLevel isa);

}  // namespace cliprt::kernels
