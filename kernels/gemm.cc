// GEMM driver: planning, weight packing, blocking and threading around the
// micro-kernels of the dispatch table.
//
// Work split. Y is cut into tasks = (column group, row block). A column group
// is up to max_nc_panels panels of nr columns; a row block is up to
// max_mc_panels micro-panels of mr rows, and the micro-panels are dealt evenly
// to the row blocks, so no block is much smaller than the others. Tasks are
// numbered column-group-major and handed to ParallelFor, whose static chunks
// give every thread the same number of tasks: whole column groups when the
// number of groups is a multiple of the thread count (small M), otherwise
// runs of row blocks of nearly equal size. X is packed once per call, before
// the tasks run (in parallel over micro-panels). Inside a task: for each K
// block, for each panel (its kc × nr B micro-panel is read from L2) run the
// micro-kernel over the row block's micro-panels (that mc × kc slice of packed
// X stays in L2).
//
// Determinism: every output element is accumulated over the same K blocks
// (kc is fixed by the plan) in the same order by the same code whatever the
// task it falls in, so the split — and therefore the thread count — never
// changes a bit of Y.
#include "kernels/gemm.h"

#include <algorithm>
#include <string>

#include "kernels/gemm_microkernel.h"
#include "kernels/gemm_pack.h"

namespace cliprt::kernels {
namespace {

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
size_t Align64(size_t bytes) { return (bytes + 63) & ~size_t{63}; }

size_t ElementBytes(GemmPrecision precision) {
  switch (precision) {
    case GemmPrecision::kF32: return 4;
    case GemmPrecision::kBF16: return 2;
    case GemmPrecision::kQS8: return 1;
  }
  return 4;
}

bool EntryRunsHere(const GemmKernelEntry& e) {
  const CpuFeatures& f = DetectedCpuFeatures();
  if (e.isa > DetectedIsaLevel()) return false;
  if (e.needs_bf16 && !f.avx512_bf16) return false;
  if (e.needs_avx512_vnni && !f.avx512_vnni) return false;
  if (e.needs_avx_vnni && !f.avx_vnni) return false;
  return true;
}

const GemmKernelEntry* EntryOf(const GemmPlan& plan) {
  int count = 0;
  const GemmKernelEntry* table = GemmKernelTable(&count);
  if (plan.kernel_id < 0 || plan.kernel_id >= count) return nullptr;
  const GemmKernelEntry& e = table[plan.kernel_id];
  if (e.precision != plan.precision || e.mr != plan.mr || e.nr != plan.nr) return nullptr;
  return &e;
}

// Largest n·k (elements) we agree to pack: keeps every byte count far from
// overflow and rejects absurd shapes with an error instead of a huge malloc.
constexpr int64_t kMaxWeightElements = int64_t{1} << 36;

struct Blocking {
  int64_t m_panels = 0;      // ceil(m / mr) micro-panels of rows
  int64_t m_blocks = 0;      // row blocks; block sizes differ by at most one micro-panel
  int64_t mc = 0;            // rows of the largest row block (multiple of mr)
  int64_t panels = 0;        // ceil(n / nr)
  int64_t group_panels = 0;  // panels per column group
  int64_t groups = 0;
  int64_t kc = 0;            // K block (elements, multiple of k_group)
  bool multi_block_k = false;
};

Blocking ComputeBlocking(const GemmKernelEntry& e, const GemmPlan& plan, int64_t m,
                         int threads) {
  Blocking b;
  // Micro-panels are dealt evenly to the row blocks (8,7,7,... rather than
  // 8,8,...,8,1): a nearly empty last block would still count as a whole task
  // in the static split and leave one thread idle for a block's time.
  b.m_panels = CeilDiv(m, e.mr);
  b.m_blocks = std::max<int64_t>(1, CeilDiv(b.m_panels, e.max_mc_panels));
  b.mc = CeilDiv(b.m_panels, b.m_blocks) * e.mr;
  b.panels = CeilDiv(plan.n, e.nr);
  const int64_t t = std::max(1, threads);
  int64_t groups = t * CeilDiv(b.panels, t * e.max_nc_panels);
  if (t > 1 && b.m_blocks >= 4 * t) groups = CeilDiv(b.panels, e.max_nc_panels);
  groups = std::clamp<int64_t>(groups, 1, b.panels);
  b.group_panels = CeilDiv(b.panels, groups);
  b.groups = CeilDiv(b.panels, b.group_panels);
  b.kc = std::min<int64_t>(plan.kc, plan.k_padded);
  b.multi_block_k = plan.k_padded > plan.kc;
  return b;
}

// Per-call scratch: X packed once for the whole call (every micro-panel over
// all of K, so a K block of it is a contiguous slice), the int8 row scales,
// then one partial-sum tile per thread (only when K spans several blocks).
struct ScratchLayout {
  size_t a_bytes = 0;        // shared packed X
  size_t scale_bytes = 0;    // shared kQS8 row scales and inverse scales
  size_t partial_bytes = 0;  // per thread
  size_t total(int threads) const { return a_bytes + scale_bytes + partial_bytes * threads; }
};

ScratchLayout ComputeScratch(const GemmKernelEntry& e, const GemmPlan& plan, const Blocking& b,
                             int64_t m) {
  ScratchLayout s;
  const int64_t m_padded = CeilDiv(m, e.mr) * e.mr;
  s.a_bytes = Align64(static_cast<size_t>(m_padded) * plan.k_padded * ElementBytes(plan.precision));
  if (plan.precision == GemmPrecision::kQS8) s.scale_bytes = Align64(static_cast<size_t>(m_padded) * 8);
  if (b.multi_block_k) {
    s.partial_bytes = Align64(static_cast<size_t>(b.mc) * b.group_panels * e.nr * 4);
  }
  return s;
}

int64_t PanelBytes(const GemmPlan& plan) {
  return plan.k_padded * plan.nr * static_cast<int64_t>(ElementBytes(plan.precision));
}

// Packs rows [row0, row0 + rows) of X (row0 a multiple of mr) into the shared
// packed X; for kQS8 also computes their scales.
void PackRows(const GemmKernelEntry& e, const GemmPlan& plan, const float* x, int64_t ldx,
              int64_t row0, int64_t rows, uint8_t* a_all, float* row_scale, float* row_inv) {
  const size_t elem = ElementBytes(plan.precision);
  uint8_t* out = a_all + static_cast<size_t>(row0) * plan.k_padded * elem;
  const float* xr = x + row0 * ldx;
  switch (plan.precision) {
    case GemmPrecision::kF32:
#if defined(__x86_64__) || defined(_M_X64)
      if (e.isa == IsaLevel::kAvx512 && e.mr <= 16) {
        PackGemmActivationsF32Avx512(xr, ldx, rows, plan.k_padded, e.mr,
                                     reinterpret_cast<float*>(out));
        break;
      }
#endif
      PackGemmActivationsF32(xr, ldx, rows, plan.k_padded, e.mr, reinterpret_cast<float*>(out));
      break;
    case GemmPrecision::kBF16:
#if defined(__x86_64__) || defined(_M_X64)
      if (e.isa == IsaLevel::kAvx512) {
        PackGemmActivationsBF16Avx512(xr, ldx, rows, plan.k_padded, plan.k, e.mr,
                                      reinterpret_cast<uint16_t*>(out));
        break;
      }
#endif
      PackGemmActivationsBF16(xr, ldx, rows, 0, plan.k_padded, plan.k, e.mr,
                              reinterpret_cast<uint16_t*>(out));
      break;
    case GemmPrecision::kQS8:
#if defined(__x86_64__) || defined(_M_X64)
      if (e.isa == IsaLevel::kAvx512) {
        ComputeGemmRowScalesQS8Avx512(xr, ldx, rows, plan.k, row_scale + row0, row_inv + row0);
        PackGemmActivationsQS8Avx512(xr, ldx, rows, plan.k_padded, plan.k, e.mr, row_inv + row0,
                                     out);
        break;
      }
#endif
      ComputeGemmRowScalesQS8(xr, ldx, rows, plan.k, row_scale + row0, row_inv + row0);
      PackGemmActivationsQS8(xr, ldx, rows, 0, plan.k_padded, plan.k, e.mr, row_inv + row0, out);
      break;
  }
}

// Rows [*row0, *row0 + *rows) of row block `mb`.
void RowBlock(const Blocking& b, int mr, int64_t mb, int64_t m, int64_t* row0, int64_t* rows) {
  const int64_t first = mb * b.m_panels / b.m_blocks;
  const int64_t last = (mb + 1) * b.m_panels / b.m_blocks;
  *row0 = first * mr;
  *rows = std::min(last * mr, m) - *row0;
}

// Runs one task: row block `mb` of column group `g`, from the packed X.
void RunTask(const GemmKernelEntry& e, const GemmPlan& plan, const Blocking& b,
             const uint8_t* packed, const uint8_t* a_all, const float* row_scale, int64_t g,
             int64_t mb, int64_t m, float* y, int64_t ldy, const GemmEpilogue& ep,
             void* partial) {
  int64_t row0 = 0, rows = 0;
  RowBlock(b, e.mr, mb, m, &row0, &rows);
  const int64_t p_begin = g * b.group_panels;
  const int64_t p_end = std::min(b.panels, p_begin + b.group_panels);
  const size_t elem = ElementBytes(plan.precision);
  const int64_t ldp = b.group_panels * e.nr;

  const float* col_scale = nullptr;
  const int32_t* col_sum = nullptr;
  if (plan.precision == GemmPrecision::kQS8) {
    const int64_t n_padded = b.panels * e.nr;
    col_scale = reinterpret_cast<const float*>(packed + b.panels * PanelBytes(plan));
    col_sum = reinterpret_cast<const int32_t*>(col_scale + n_padded);
  }

  GemmTileArgs args;
  args.activation = ep.activation;
  args.ldp = ldp;
  args.ldy = ldy;
  args.ldr = ep.ldr;
  for (int64_t k0 = 0; k0 < plan.k_padded; k0 += b.kc) {
    const int64_t kcb = std::min(b.kc, plan.k_padded - k0);
    args.first = k0 == 0;
    args.last = k0 + kcb >= plan.k_padded;
    args.k_groups = kcb / e.k_group;
    if (rows == 1 && e.row1 != nullptr) {  // one row: several panels per call
      for (int64_t p = p_begin; p < p_end; p += e.row1_panels) {
        const int64_t col0 = p * e.nr;
        args.panels = static_cast<int>(std::min<int64_t>(e.row1_panels, p_end - p));
        args.panel_stride = PanelBytes(plan) / static_cast<int64_t>(elem);
        args.cols = static_cast<int>(std::min<int64_t>(int64_t{args.panels} * e.nr, plan.n - col0));
        args.rows = 1;
        args.b = packed + p * PanelBytes(plan) + k0 * e.nr * elem;
        args.a = a_all + (static_cast<size_t>(row0) * plan.k_padded + k0 * e.mr) * elem;
        args.partial = static_cast<float*>(partial) + (p - p_begin) * e.nr;
        args.y = y + row0 * ldy + col0;
        args.bias = ep.bias != nullptr ? ep.bias + col0 : nullptr;
        args.residual = ep.residual != nullptr ? ep.residual + row0 * ep.ldr + col0 : nullptr;
        e.row1(args);
      }
      continue;
    }
    for (int64_t p = p_begin; p < p_end; ++p) {
      const int64_t col0 = p * e.nr;
      args.cols = static_cast<int>(std::min<int64_t>(e.nr, plan.n - col0));
      args.b = packed + p * PanelBytes(plan) + k0 * e.nr * elem;
      for (int64_t r = 0; r < rows; r += e.mr) {
        const int64_t row = row0 + r;
        args.rows = static_cast<int>(std::min<int64_t>(e.mr, rows - r));
        args.a = a_all + (static_cast<size_t>(row) * plan.k_padded + k0 * e.mr) * elem;
        args.partial = static_cast<float*>(partial) + r * ldp + (p - p_begin) * e.nr;
        args.y = y + row * ldy + col0;
        args.bias = ep.bias != nullptr ? ep.bias + col0 : nullptr;
        args.residual = ep.residual != nullptr ? ep.residual + row * ep.ldr + col0 : nullptr;
        if (col_scale != nullptr) {
          args.row_scale = row_scale + row;
          args.col_scale = col_scale + col0;
          args.col_sum = col_sum + col0;
        }
        e.tile(args);
      }
    }
  }
}

}  // namespace

bool GemmKernelRunsHere(const GemmKernelEntry& entry) { return EntryRunsHere(entry); }

StatusOr<GemmPlan> PlanGemmWithKernel(int kernel_id, int64_t n, int64_t k) {
  int count = 0;
  const GemmKernelEntry* table = GemmKernelTable(&count);
  if (kernel_id < 0 || kernel_id >= count) {
    return InvalidArgumentError("GEMM kernel id " + std::to_string(kernel_id) + " out of range");
  }
  const GemmKernelEntry& e = table[kernel_id];
  if (!EntryRunsHere(e)) {
    return UnsupportedError(std::string("GEMM kernel ") + e.name + " cannot run on this CPU");
  }
  if (n < 1 || k < 1 || n > kMaxWeightElements / k) {
    return InvalidArgumentError("GEMM weight shape [" + std::to_string(n) + ", " +
                                std::to_string(k) + "] is empty or too large");
  }
  if (e.precision == GemmPrecision::kQS8 && k > 65536) {
    return UnsupportedError("int8 GEMM supports K <= 65536 (int32 accumulators), got K = " +
                            std::to_string(k));
  }
  GemmPlan plan;
  plan.precision = e.precision;
  plan.isa = e.isa;
  plan.n = n;
  plan.k = k;
  plan.mr = e.mr;
  plan.nr = e.nr;
  plan.kc = e.kc;
  plan.k_padded = CeilDiv(k, e.k_group) * e.k_group;
  plan.kernel_name = e.name;
  plan.kernel_id = kernel_id;
  return plan;
}

const char* GemmPrecisionName(GemmPrecision precision) {
  switch (precision) {
    case GemmPrecision::kF32: return "f32";
    case GemmPrecision::kBF16: return "bf16";
    case GemmPrecision::kQS8: return "qs8";
  }
  return "unknown";
}

const char* GemmActivationName(GemmActivation activation) {
  switch (activation) {
    case GemmActivation::kNone: return "none";
    case GemmActivation::kGeluErf: return "gelu_erf";
    case GemmActivation::kGeluTanh: return "gelu_tanh";
    case GemmActivation::kQuickGelu: return "quick_gelu";
  }
  return "unknown";
}

StatusOr<GemmPlan> PlanGemmForIsa(GemmPrecision precision, int64_t n, int64_t k, IsaLevel isa) {
  if (n < 1 || k < 1) {
    return InvalidArgumentError("GEMM weight shape [" + std::to_string(n) + ", " +
                                std::to_string(k) + "] must have N >= 1 and K >= 1");
  }
  if (n > kMaxWeightElements / k) {
    return ResourceExhaustedError("GEMM weight shape [" + std::to_string(n) + ", " +
                                  std::to_string(k) + "] is too large to pack");
  }
  if (precision == GemmPrecision::kQS8 && k > 65536) {
    return UnsupportedError("int8 GEMM supports K <= 65536 (int32 accumulators), got K = " +
                            std::to_string(k));
  }
  if (isa > DetectedIsaLevel()) {
    return UnsupportedError(std::string("GEMM ISA level ") + IsaLevelName(isa) +
                            " is not available on this CPU (detected " +
                            IsaLevelName(DetectedIsaLevel()) + ")");
  }
  int count = 0;
  const GemmKernelEntry* table = GemmKernelTable(&count);
  int best = -1;
  for (int i = 0; i < count; ++i) {
    const GemmKernelEntry& e = table[i];
    if (e.precision != precision || e.isa > isa || !EntryRunsHere(e)) continue;
    if (best < 0 || e.isa > table[best].isa) best = i;
  }
  if (best < 0) {
    return InternalError(std::string("no GEMM kernel for ") + GemmPrecisionName(precision) +
                         " at " + IsaLevelName(isa));
  }
  return PlanGemmWithKernel(best, n, k);
}

StatusOr<GemmPlan> PlanGemm(GemmPrecision precision, int64_t n, int64_t k) {
  return PlanGemmForIsa(precision, n, k, ActiveIsaLevel());
}

bool GemmHasNativePath(GemmPrecision precision, IsaLevel isa) {
  const CpuFeatures& f = DetectedCpuFeatures();
  if (isa > DetectedIsaLevel()) return false;
  switch (precision) {
    case GemmPrecision::kF32: return true;
    case GemmPrecision::kBF16: return isa == IsaLevel::kAvx512 && f.avx512_bf16;
    case GemmPrecision::kQS8:
      return (isa == IsaLevel::kAvx512 && f.avx512_vnni) || (isa == IsaLevel::kAvx2 && f.avx_vnni);
  }
  return false;
}

size_t GemmPackedWeightsBytes(const GemmPlan& plan) {
  const int64_t panels = CeilDiv(plan.n, plan.nr);
  size_t bytes = static_cast<size_t>(panels * PanelBytes(plan));
  if (plan.precision == GemmPrecision::kQS8) bytes += static_cast<size_t>(panels * plan.nr) * 8;
  return Align64(bytes);
}

Status PackGemmWeights(const GemmPlan& plan, const float* w, int64_t ldw, void* packed,
                       size_t packed_bytes) {
  if (EntryOf(plan) == nullptr) return InvalidArgumentError("GEMM plan was not made by PlanGemm");
  if (w == nullptr || packed == nullptr) return InvalidArgumentError("GEMM weights or packed buffer is null");
  if (ldw < plan.k) {
    return InvalidArgumentError("GEMM weight row stride " + std::to_string(ldw) +
                                " is smaller than K = " + std::to_string(plan.k));
  }
  if (packed_bytes < GemmPackedWeightsBytes(plan)) {
    return InvalidArgumentError("GEMM packed buffer has " + std::to_string(packed_bytes) +
                                " bytes, needs " + std::to_string(GemmPackedWeightsBytes(plan)));
  }
  if (reinterpret_cast<uintptr_t>(packed) % 64 != 0) {
    return InvalidArgumentError("GEMM packed buffer is not 64-byte aligned");
  }
  switch (plan.precision) {
    case GemmPrecision::kF32:
      PackGemmWeightsF32(w, plan.n, plan.k, ldw, plan.nr, plan.k_padded, static_cast<float*>(packed));
      return Status::Ok();
    case GemmPrecision::kBF16:
      PackGemmWeightsBF16(w, plan.n, plan.k, ldw, plan.nr, plan.k_padded,
                          static_cast<uint16_t*>(packed));
      return Status::Ok();
    case GemmPrecision::kQS8: {
      const int64_t panels = CeilDiv(plan.n, plan.nr);
      int8_t* q = static_cast<int8_t*>(packed);
      float* scales = reinterpret_cast<float*>(q + panels * PanelBytes(plan));
      int32_t* sums = reinterpret_cast<int32_t*>(scales + panels * plan.nr);
      return PackGemmWeightsQS8(w, plan.n, plan.k, ldw, plan.nr, plan.k_padded, q, scales, sums);
    }
  }
  return InternalError("unknown GEMM precision");
}

size_t GemmScratchBytes(const GemmPlan& plan, int64_t m, int num_threads) {
  const GemmKernelEntry* e = EntryOf(plan);
  if (e == nullptr || m <= 0) return 0;
  const int threads = std::max(1, num_threads);
  const Blocking b = ComputeBlocking(*e, plan, m, threads);
  return ComputeScratch(*e, plan, b, m).total(threads);
}

Status RunGemm(const GemmPlan& plan, const void* packed_weights, int64_t m, const float* x,
               int64_t ldx, float* y, int64_t ldy, const GemmEpilogue& epilogue,
               ThreadPool* pool, void* scratch, size_t scratch_bytes) {
  const GemmKernelEntry* e = EntryOf(plan);
  if (e == nullptr) return InvalidArgumentError("GEMM plan was not made by PlanGemm");
  if (m < 0) return InvalidArgumentError("GEMM row count M = " + std::to_string(m) + " is negative");
  if (m == 0) return Status::Ok();
  if (packed_weights == nullptr || x == nullptr || y == nullptr) {
    return InvalidArgumentError("GEMM packed weights, X or Y is null");
  }
  if (ldx < plan.k) {
    return InvalidArgumentError("GEMM X row stride " + std::to_string(ldx) +
                                " is smaller than K = " + std::to_string(plan.k));
  }
  if (ldy < plan.n) {
    return InvalidArgumentError("GEMM Y row stride " + std::to_string(ldy) +
                                " is smaller than N = " + std::to_string(plan.n));
  }
  if (epilogue.residual != nullptr && epilogue.ldr < plan.n) {
    return InvalidArgumentError("GEMM residual row stride " + std::to_string(epilogue.ldr) +
                                " is smaller than N = " + std::to_string(plan.n));
  }
  if (static_cast<int>(epilogue.activation) < 0 || static_cast<int>(epilogue.activation) > 3) {
    return InvalidArgumentError("GEMM activation " +
                                std::to_string(static_cast<int>(epilogue.activation)) +
                                " is not a GemmActivation");
  }
  const int threads = pool != nullptr ? pool->num_threads() : 1;
  const Blocking b = ComputeBlocking(*e, plan, m, threads);
  const ScratchLayout s = ComputeScratch(*e, plan, b, m);
  const size_t needed = s.total(threads);
  if (scratch == nullptr || scratch_bytes < needed) {
    return InvalidArgumentError("GEMM scratch has " + std::to_string(scratch_bytes) +
                                " bytes, needs " + std::to_string(needed) +
                                " (GemmScratchBytes with " + std::to_string(threads) + " threads)");
  }
  if (reinterpret_cast<uintptr_t>(scratch) % 64 != 0) {
    return InvalidArgumentError("GEMM scratch is not 64-byte aligned");
  }
  const uint8_t* packed = static_cast<const uint8_t*>(packed_weights);
  uint8_t* a_all = static_cast<uint8_t*>(scratch);
  float* row_scale = reinterpret_cast<float*>(a_all + s.a_bytes);
  float* row_inv = row_scale + CeilDiv(m, e->mr) * e->mr;
  uint8_t* partials = a_all + s.a_bytes + s.scale_bytes;
  const bool parallel = pool != nullptr && threads > 1;

  // Phase 1: pack X once (micro-panels are independent).
  const int64_t m_panels = CeilDiv(m, e->mr);
  auto pack = [&](int64_t begin, int64_t end, int) {
    const int64_t row0 = begin * e->mr;
    const int64_t rows = std::min(end * e->mr, m) - row0;
    PackRows(*e, plan, x, ldx, row0, rows, a_all, row_scale, row_inv);
  };
  if (parallel && m_panels > 1) {
    pool->ParallelFor(m_panels, pack);
  } else {
    pack(0, m_panels, 0);
  }

  // Phase 2: the output tiles.
  const int64_t tasks = b.groups * b.m_blocks;
  auto body = [&](int64_t begin, int64_t end, int thread_index) {
    void* partial = partials + s.partial_bytes * static_cast<size_t>(thread_index);
    for (int64_t t = begin; t < end; ++t) {
      RunTask(*e, plan, b, packed, a_all, row_scale, t / b.m_blocks, t % b.m_blocks, m, y, ldy,
              epilogue, partial);
    }
  };
  if (parallel && tasks > 1) {
    pool->ParallelFor(tasks, body);
  } else {
    body(0, tasks, 0);
  }
  return Status::Ok();
}

StatusOr<PackedGemmWeights> PackedGemmWeights::CreateForIsa(GemmPrecision precision,
                                                            const float* w, int64_t n, int64_t k,
                                                            int64_t ldw, IsaLevel isa) {
  PackedGemmWeights out;
  ASSIGN_OR_RETURN(out.plan_, PlanGemmForIsa(precision, n, k, isa));
  const size_t bytes = GemmPackedWeightsBytes(out.plan_);
  ASSIGN_OR_RETURN(out.buffer_, AllocateAligned(bytes));
  RETURN_IF_ERROR(PackGemmWeights(out.plan_, w, ldw, out.buffer_.get(), bytes));
  return out;
}

StatusOr<PackedGemmWeights> PackedGemmWeights::Create(GemmPrecision precision, const float* w,
                                                      int64_t n, int64_t k, int64_t ldw) {
  return CreateForIsa(precision, w, n, k, ldw, ActiveIsaLevel());
}

Status PackedGemmWeights::Run(int64_t m, const float* x, int64_t ldx, float* y, int64_t ldy,
                              const GemmEpilogue& epilogue, ThreadPool* pool, Arena* arena) const {
  if (buffer_ == nullptr) return FailedPreconditionError("PackedGemmWeights is empty");
  if (arena == nullptr) return InvalidArgumentError("PackedGemmWeights::Run needs an arena");
  const int threads = pool != nullptr ? pool->num_threads() : 1;
  const size_t bytes = std::max<size_t>(64, GemmScratchBytes(plan_, m, threads));
  ASSIGN_OR_RETURN(void* scratch, arena->Allocate(bytes, 64));
  return RunGemm(plan_, buffer_.get(), m, x, ldx, y, ldy, epilogue, pool, scratch, bytes);
}

}  // namespace cliprt::kernels
