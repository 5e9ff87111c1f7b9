// Ops half of the kernel self-test (`cliprt selfcheck`): every dispatched op
// at every ISA level this CPU has, on small random problems with awkward
// sizes (sub-vector tails, odd head dims, causal + padding masks), against
// the double-precision references in kernels/ref/f32_ops_ref.h. Bounds are
// the ones the unit tests use (docs/kernels.md, "Ops: accuracy").
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/thread_pool.h"
#include "kernels/attention.h"
#include "kernels/ops.h"
#include "kernels/ops_dispatch.h"
#include "kernels/ref/f32_ops_ref.h"
#include "kernels/self_test.h"

namespace cliprt::kernels {
namespace {

constexpr double kEps = std::numeric_limits<float>::epsilon();

std::vector<float> Random(size_t n, std::mt19937& rng, float lo, float hi) {
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

void Add(std::vector<SelfTestCheck>* checks, const char* op, IsaLevel level,
         const std::string& shape, const Status& run, double worst_ratio) {
  SelfTestCheck c;
  c.passed = run.ok() && worst_ratio <= 1.0;
  char line[256];
  if (!run.ok()) {
    std::snprintf(line, sizeof(line), "FAIL %s %s %s: %s", op, IsaLevelName(level), shape.c_str(),
                  run.message().c_str());
  } else {
    std::snprintf(line, sizeof(line), "%s %s %s %s: max error %.3g of its bound",
                  c.passed ? "pass" : "FAIL", op, IsaLevelName(level), shape.c_str(), worst_ratio);
  }
  c.line = line;
  checks->push_back(std::move(c));
}

// max over i of |got - want| / bound(i); NaN counts as a failure (ratio inf).
template <typename BoundFn>
double WorstRatio(const std::vector<float>& got, const std::vector<float>& want, BoundFn bound) {
  double worst = 0.0;
  for (size_t i = 0; i < got.size(); ++i) {
    const double err = std::fabs(static_cast<double>(got[i]) - want[i]);
    const double r = err / bound(i);
    if (!(r <= worst)) worst = std::isnan(r) ? std::numeric_limits<double>::infinity() : r;
  }
  return worst;
}

void CheckLevel(const OpsKernels& ops, ThreadPool* pool, std::mt19937& rng,
                std::vector<SelfTestCheck>* checks) {
  const IsaLevel level = ops.isa;
  {  // LayerNorm: rows × 37 (a vector tail at every width).
    const int64_t rows = 5, dim = 37;
    const auto x = Random(rows * dim, rng, -3, 3), g = Random(dim, rng, 0.5f, 2),
               b = Random(dim, rng, -1, 1);
    std::vector<float> got(rows * dim), want(rows * dim);
    const Status s = LayerNorm(ops, rows, dim, x.data(), dim, g.data(), b.data(), 1e-5f,
                               got.data(), dim, pool);
    f32_layernorm_ref(rows, dim, x.data(), dim, g.data(), b.data(), 1e-5f, want.data(), dim);
    Add(checks, "f32_layernorm", level, "rows=5 dim=37", s, WorstRatio(got, want, [&](size_t i) {
          const size_t c = i % dim;
          return 8 * kEps * (std::fabs(want[i]) + std::fabs(b[c]) + 1) * (1 + g[c]);
        }));
  }
  {  // Softmax.
    const int64_t rows = 3, dim = 45;
    const auto x = Random(rows * dim, rng, -20, 20);
    std::vector<float> got(rows * dim), want(rows * dim);
    const Status s = Softmax(ops, rows, dim, x.data(), dim, got.data(), dim, pool);
    f32_softmax_ref(rows, dim, x.data(), dim, want.data(), dim);
    Add(checks, "f32_softmax", level, "rows=3 dim=45", s, WorstRatio(got, want, [&](size_t i) {
          const size_t r = i / dim;
          const float m = *std::max_element(x.begin() + r * dim, x.begin() + (r + 1) * dim);
          return kEps * want[i] * (8 + std::fabs(x[i] - m) + dim / 2.0) + 1e-29;
        }));
  }
  {  // Activations (bound: tests/kernels/ops_activation_test.cc).
    const int64_t n = 101;
    const auto x = Random(n, rng, -8, 8);
    struct Act {
      Activation act;
      void (*ref)(int64_t, const float*, float*);
      const char* name;
    };
    for (const Act& a : {Act{Activation::kGeluErf, f32_gelu_erf_ref, "f32_gelu_erf"},
                         Act{Activation::kGeluTanh, f32_gelu_tanh_ref, "f32_gelu_tanh"},
                         Act{Activation::kQuickGelu, f32_quick_gelu_ref, "f32_quick_gelu"},
                         Act{Activation::kRelu, f32_relu_ref, "f32_relu"}}) {
      std::vector<float> got(n), want(n);
      const Status s = ApplyActivation(ops, a.act, n, x.data(), got.data(), pool);
      a.ref(n, x.data(), want.data());
      Add(checks, a.name, level, "n=101", s, WorstRatio(got, want, [&](size_t i) {
            const double ulp = std::max<double>(
                std::fabs(std::nextafter(want[i], INFINITY) - want[i]), 1e-45);
            return 6 * ulp + (x[i] < 0 ? std::ldexp(std::fabs(x[i]), -21) : 0.0);
          }));
    }
  }
  {  // L2 normalize.
    const int64_t rows = 2, dim = 29;
    const auto x = Random(rows * dim, rng, -5, 5);
    std::vector<float> got(rows * dim), want(rows * dim);
    const Status s = L2Normalize(ops, rows, dim, x.data(), dim, 1e-12f, got.data(), dim, pool);
    f32_l2_normalize_ref(rows, dim, x.data(), dim, 1e-12f, want.data(), dim);
    Add(checks, "f32_l2_normalize", level, "rows=2 dim=29", s,
        WorstRatio(got, want, [&](size_t i) { return 2 * kEps * std::fabs(want[i]) + 1e-45; }));
  }
  // Attention: (q_len, kv_len, head_dim) with causal + key padding.
  for (const int64_t d : {64, 72}) {
    const int64_t heads = 2, len = 19, w = heads * d;
    const auto qkv = Random(len * 3 * w, rng, -1, 1);
    std::vector<uint8_t> mask(len, 0);
    mask[3] = mask[11] = 1;
    F32AttentionArgs a;
    a.batch = 1;
    a.heads = heads;
    a.q_len = a.kv_len = len;
    a.head_dim = d;
    a.q = qkv.data();
    a.k = qkv.data() + w;
    a.v = qkv.data() + 2 * w;
    a.q_row_stride = a.k_row_stride = a.v_row_stride = 3 * w;
    a.q_batch_stride = a.k_batch_stride = a.v_batch_stride = len * 3 * w;
    std::vector<float> got(len * w), want(len * w);
    a.out = got.data();
    a.out_row_stride = w;
    a.out_batch_stride = len * w;
    a.scale = AttentionDefaultScale(d);
    a.causal = true;
    a.key_padding_mask = mask.data();
    a.mask_batch_stride = len;
    const int threads = pool != nullptr ? pool->num_threads() : 1;
    std::vector<float> scratch(F32AttentionScratchFloats(len, d, threads));
    const Status s = F32Attention(ops, a, pool, scratch.data(), scratch.size());
    F32AttentionArgs r = a;
    r.out = want.data();
    f32_attention_ref(r);
    // Inputs in [-1, 1]: Σ|q·k| <= d, |v| <= 1 (bound of ops_attention_test.cc).
    const double bound = kEps * (8.0 + 2.0 * a.scale * d + len);
    Add(checks, "f32_attention", level,
        "len=19 heads=2 d=" + std::to_string(d) + " causal+padding", s,
        WorstRatio(got, want, [&](size_t) { return bound; }));
  }
}

}  // namespace

Status RunOpsSelfTest(int num_threads, uint32_t seed, std::vector<SelfTestCheck>* checks) {
  if (checks == nullptr) return InvalidArgumentError("ops self-test: null checks vector");
  std::unique_ptr<ThreadPool> pool;
  if (num_threads != 1) {
    ASSIGN_OR_RETURN(pool, ThreadPool::Create(num_threads));
  }
  std::mt19937 rng(seed);
  for (IsaLevel level : {IsaLevel::kScalar, IsaLevel::kAvx2, IsaLevel::kAvx512}) {
    const OpsKernels* ops = OpsKernelsForIsa(level);
    if (ops == nullptr) continue;
    CheckLevel(*ops, pool.get(), rng, checks);
  }
  return Status::Ok();
}

}  // namespace cliprt::kernels
