// GEMM driver: planning, weight packing, blocking and threading around the
// micro-kernels of the dispatch table.
//
// Work split. The work is m_panels × panels cells: micro-panels of mr rows
// × panels of nr columns, one micro-kernel tile each. Each thread gets one
// share of nearly equal cells (ForEachSpan): when all rows fit one row block
// (small M) a run of panels over all rows, otherwise a run of cells in
// row-major order, i.e. whole micro-panel rows in row blocks of up to
// max_mc_panels plus at most one partial micro-panel row at each end. A
// thread packs the rows of each of its spans into its own scratch — packed X
// is never shared between threads, whose packing would otherwise write cache
// lines the other core read in the call before — then, for each column group
// (one panel, two when K spans several K blocks), for each K block, for each
// panel (its kc × nr B micro-panel is read from L2), runs the micro-kernel
// over the span's micro-panels (that mc × kc slice of packed X stays in L2).
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
  int64_t mc = 0;            // rows of the largest row block (multiple of mr)
  int64_t panels = 0;        // ceil(n / nr)
  int64_t group_panels = 0;  // panels per column group
  int64_t kc = 0;            // K block (elements, multiple of k_group)
  bool multi_block_k = false;
  bool split_rows = false;   // shares are runs of rows (else runs of panels)
};

Blocking ComputeBlocking(const GemmKernelEntry& e, const GemmPlan& plan, int64_t m) {
  Blocking b;
  b.m_panels = CeilDiv(m, e.mr);
  b.mc = std::min<int64_t>(b.m_panels, e.max_mc_panels) * e.mr;
  b.panels = CeilDiv(plan.n, e.nr);
  b.kc = std::min<int64_t>(plan.kc, plan.k_padded);
  b.multi_block_k = plan.k_padded > plan.kc;
  // Rows fitting one row block are packed by every thread, which then takes
  // a run of panels: each thread reads only its part of W (at small M the
  // weights are most of the memory traffic). More rows are split between
  // threads, so that each packs only (about) its own.
  b.split_rows = b.m_panels > e.max_mc_panels;
  // Column groups: one panel (two when K spans several blocks, so each K
  // slice of packed rows serves two panels while it is in cache). One-row
  // products use wider groups, which the one-row kernel takes row1_panels
  // at a time.
  b.group_panels = m == 1 ? e.max_nc_panels : b.multi_block_k ? 2 : 1;
  return b;
}

// Per-call scratch, one slice per thread: the thread's packed row block of X
// (every micro-panel over all of K, so a K block of it is a contiguous
// slice), its kQS8 row scales, and its partial-sum tile (only when K spans
// several blocks). Each thread packs the rows it multiplies into memory no
// other thread touches: a packed X shared between threads made every call's
// packing write to cache lines the other core had read in the call before,
// which cost 2–12 % of the whole product at 2 threads.
struct ScratchLayout {
  size_t a_bytes = 0;        // packed row block
  size_t scale_bytes = 0;    // kQS8 row scales and inverse scales
  size_t partial_bytes = 0;
  size_t per_thread() const { return a_bytes + scale_bytes + partial_bytes; }
  size_t total(int threads) const { return per_thread() * static_cast<size_t>(threads); }
};

ScratchLayout ComputeScratch(const GemmKernelEntry& e, const GemmPlan& plan, const Blocking& b) {
  ScratchLayout s;
  s.a_bytes = Align64(static_cast<size_t>(b.mc) * plan.k_padded * ElementBytes(plan.precision));
  if (plan.precision == GemmPrecision::kQS8) s.scale_bytes = Align64(static_cast<size_t>(b.mc) * 8);
  if (b.multi_block_k) {
    s.partial_bytes = Align64(static_cast<size_t>(b.mc) * b.group_panels * e.nr * 4);
  }
  return s;
}

int64_t PanelBytes(const GemmPlan& plan) {
  return plan.k_padded * plan.nr * static_cast<int64_t>(ElementBytes(plan.precision));
}

// Packs rows [row0, row0 + rows) of X into `out` (micro-panels of mr rows
// over all of K); for kQS8 also computes their scales into row_scale[0, rows)
// and row_inv[0, rows).
void PackRows(const GemmKernelEntry& e, const GemmPlan& plan, const float* x, int64_t ldx,
              int64_t row0, int64_t rows, uint8_t* out, float* row_scale, float* row_inv) {
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
        ComputeGemmRowScalesQS8Avx512(xr, ldx, rows, plan.k, row_scale, row_inv);
        PackGemmActivationsQS8Avx512(xr, ldx, rows, plan.k_padded, plan.k, e.mr, row_inv,
                                     out);
        break;
      }
#endif
      ComputeGemmRowScalesQS8(xr, ldx, rows, plan.k, row_scale, row_inv);
      PackGemmActivationsQS8(xr, ldx, rows, 0, plan.k_padded, plan.k, e.mr, row_inv, out);
      break;
  }
}

// A piece of one thread's share: rows [row0, row0 + rows) (whole
// micro-panels) × panels [p_begin, p_end).
struct Span {
  int64_t row0 = 0;
  int64_t rows = 0;
  int64_t p_begin = 0;
  int64_t p_end = 0;
};

// Calls fn(span) for the spans of share i of `shares`. The work is m_panels
// × panels cells (one micro-kernel tile each); share i is the cells
// [i·W/shares, (i+1)·W/shares) in row-major order (split_rows); otherwise
// all rows × panels [i·panels/shares, (i+1)·panels/shares). A row-major
// share is: the end of one micro-panel row, whole micro-panel rows in row
// blocks of at most max_mc_panels (dealt evenly), the start of one more.
template <typename Fn>
void ForEachSpan(const GemmKernelEntry& e, const Blocking& b, int64_t m, int64_t i,
                 int64_t shares, Fn&& fn) {
  auto rows_span = [&](int64_t first, int64_t count, int64_t p_begin, int64_t p_end) {
    Span s;
    s.row0 = first * e.mr;
    s.rows = std::min((first + count) * e.mr, m) - s.row0;
    s.p_begin = p_begin;
    s.p_end = p_end;
    fn(s);
  };
  if (!b.split_rows) {
    const int64_t p0 = i * b.panels / shares;
    const int64_t p1 = (i + 1) * b.panels / shares;
    if (p0 < p1) rows_span(0, b.m_panels, p0, p1);
    return;
  }
  const int64_t cells = b.m_panels * b.panels;
  const int64_t c0 = i * cells / shares;
  const int64_t c1 = (i + 1) * cells / shares;
  if (c0 >= c1) return;
  int64_t r = c0 / b.panels;
  const int64_t p_first = c0 % b.panels;
  const int64_t r_last = (c1 - 1) / b.panels;
  const int64_t p_last_end = (c1 - 1) % b.panels + 1;
  if (p_first > 0 || (r == r_last && p_last_end < b.panels)) {
    rows_span(r, 1, p_first, r == r_last ? p_last_end : b.panels);
    ++r;
  }
  const int64_t full_end = p_last_end == b.panels ? r_last + 1 : r_last;
  if (r < full_end) {
    const int64_t count = full_end - r;
    const int64_t blocks = CeilDiv(count, e.max_mc_panels);
    for (int64_t j = 0; j < blocks; ++j) {
      const int64_t first = r + j * count / blocks;
      rows_span(first, r + (j + 1) * count / blocks - first, 0, b.panels);
    }
  }
  if (r <= r_last && p_last_end < b.panels) rows_span(r_last, 1, 0, p_last_end);
}

// Runs one span from its rows packed in `a_block` (row scales in
// `row_scale`, indexed from the span's first row), a column group at a time.
void RunSpan(const GemmKernelEntry& e, const GemmPlan& plan, const Blocking& b,
             const uint8_t* packed, const uint8_t* a_block, const float* row_scale,
             const Span& span, float* y, int64_t ldy, const GemmEpilogue& ep, void* partial) {
  const int64_t row0 = span.row0;
  const int64_t rows = span.rows;
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
  for (int64_t p_begin = span.p_begin; p_begin < span.p_end; p_begin += b.group_panels) {
    const int64_t p_end = std::min(span.p_end, p_begin + b.group_panels);
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
          args.cols =
              static_cast<int>(std::min<int64_t>(int64_t{args.panels} * e.nr, plan.n - col0));
          args.rows = 1;
          args.b = packed + p * PanelBytes(plan) + k0 * e.nr * elem;
          args.a = a_block + static_cast<size_t>(k0) * e.mr * elem;
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
          args.a = a_block + (static_cast<size_t>(r) * plan.k_padded + k0 * e.mr) * elem;
          args.partial = static_cast<float*>(partial) + r * ldp + (p - p_begin) * e.nr;
          args.y = y + row * ldy + col0;
          args.bias = ep.bias != nullptr ? ep.bias + col0 : nullptr;
          args.residual = ep.residual != nullptr ? ep.residual + row * ep.ldr + col0 : nullptr;
          if (col_scale != nullptr) {
            args.row_scale = row_scale + r;
            args.col_scale = col_scale + col0;
            args.col_sum = col_sum + col0;
          }
          e.tile(args);
        }
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
  return e == nullptr ? 0 : GemmScratchBytesWithEntry(*e, plan, m, num_threads);
}

size_t GemmScratchBytesWithEntry(const GemmKernelEntry& entry, const GemmPlan& plan, int64_t m,
                                 int num_threads) {
  if (m <= 0) return 0;
  const Blocking b = ComputeBlocking(entry, plan, m);
  return ComputeScratch(entry, plan, b).total(std::max(1, num_threads));
}

Status RunGemm(const GemmPlan& plan, const void* packed_weights, int64_t m, const float* x,
               int64_t ldx, float* y, int64_t ldy, const GemmEpilogue& epilogue,
               ThreadPool* pool, void* scratch, size_t scratch_bytes) {
  const GemmKernelEntry* e = EntryOf(plan);
  if (e == nullptr) return InvalidArgumentError("GEMM plan was not made by PlanGemm");
  return RunGemmWithEntry(*e, plan, packed_weights, m, x, ldx, y, ldy, epilogue, pool, scratch,
                          scratch_bytes);
}

Status RunGemmWithEntry(const GemmKernelEntry& entry, const GemmPlan& plan,
                        const void* packed_weights, int64_t m, const float* x, int64_t ldx,
                        float* y, int64_t ldy, const GemmEpilogue& epilogue, ThreadPool* pool,
                        void* scratch, size_t scratch_bytes) {
  const GemmKernelEntry* e = &entry;
  if (e->precision != plan.precision || e->nr != plan.nr || e->kc != plan.kc ||
      plan.k_padded % e->k_group != 0) {
    return InvalidArgumentError(std::string("GEMM kernel ") + e->name +
                                " does not match the plan's packed layout");
  }
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
  const Blocking b = ComputeBlocking(*e, plan, m);
  const ScratchLayout s = ComputeScratch(*e, plan, b);
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
  const bool parallel = pool != nullptr && threads > 1 && b.m_panels * b.panels > 1;
  const int64_t shares = parallel ? threads : 1;

  // Share i of the work runs on thread i, which packs the rows of each of
  // its spans into its own scratch slice and runs the span from there.
  auto body = [&](int64_t begin, int64_t end, int thread_index) {
    uint8_t* mine =
        static_cast<uint8_t*>(scratch) + s.per_thread() * static_cast<size_t>(thread_index);
    float* row_scale = reinterpret_cast<float*>(mine + s.a_bytes);
    float* row_inv = row_scale + b.mc;
    void* partial = mine + s.a_bytes + s.scale_bytes;
    for (int64_t share = begin; share < end; ++share) {
      ForEachSpan(*e, b, m, share, shares, [&](const Span& span) {
        PackRows(*e, plan, x, ldx, span.row0, span.rows, mine, row_scale, row_inv);
        RunSpan(*e, plan, b, packed, mine, row_scale, span, y, ldy, epilogue, partial);
      });
    }
  };
  if (parallel) {
    pool->ParallelFor(shares, body);
  } else {
    body(0, 1, 0);
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
