// Fused attention at every ISA level against the double-precision reference
// (kernels/ref/f32_ops_ref.h): CLIP head dims, sequence 1…1024, causal and
// key-padding masks, fully masked rows, strided fused-QKV layout, NaN, large
// scores, thread-count invariance, argument errors.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/attention.h"
#include "kernels/ref/f32_ops_ref.h"
#include "ops_test_util.h"

namespace cliprt::kernels {
namespace {

using testing::OpsLevelTest;
constexpr float kEps = std::numeric_limits<float>::epsilon();

// Attention inputs in the fused-QKV layout the encoders produce: one buffer
// [batch, seq, 3·heads·d] (q | k | v), output [batch, seq, heads·d + 5]
// (5 guard floats per row that must stay untouched).
struct Problem {
  int64_t batch, heads, q_len, kv_len, d;
  std::vector<float> qkv_q, qkv_kv, out;
  std::vector<uint8_t> mask;
  F32AttentionArgs args;

  Problem(int64_t b, int64_t h, int64_t lq, int64_t lk, int64_t dim, uint32_t seed, float mag = 1.0f)
      : batch(b), heads(h), q_len(lq), kv_len(lk), d(dim) {
    const int64_t w = heads * d;
    // Separate q and kv buffers (q_len may differ from kv_len), same layout.
    qkv_q = testing::RandomVector(batch * q_len * 3 * w, seed, -mag, mag);
    qkv_kv = testing::RandomVector(batch * kv_len * 3 * w, seed + 1, -mag, mag);
    for (size_t i = 0; i < qkv_kv.size(); ++i) {  // v stays O(1) whatever mag
      if (i % (3 * w) >= static_cast<size_t>(2 * w)) qkv_kv[i] /= mag;
    }
    out.assign(batch * q_len * (w + 5), 12345.0f);
    args.batch = batch;
    args.heads = heads;
    args.q_len = q_len;
    args.kv_len = kv_len;
    args.head_dim = d;
    args.q = qkv_q.data();
    args.q_batch_stride = q_len * 3 * w;
    args.q_row_stride = 3 * w;
    args.k = qkv_kv.data() + w;
    args.k_batch_stride = kv_len * 3 * w;
    args.k_row_stride = 3 * w;
    args.v = qkv_kv.data() + 2 * w;
    args.v_batch_stride = kv_len * 3 * w;
    args.v_row_stride = 3 * w;
    args.out = out.data();
    args.out_batch_stride = q_len * (w + 5);
    args.out_row_stride = w + 5;
    args.scale = AttentionDefaultScale(d);
  }

  void SetMask(uint32_t seed, double p) {
    std::mt19937 rng(seed);
    std::bernoulli_distribution masked(p);
    mask.resize(batch * kv_len);
    for (auto& m : mask) m = masked(rng) ? 1 : 0;
    args.key_padding_mask = mask.data();
    args.mask_batch_stride = kv_len;
  }

  // Row bound: ε·max|v|·(8 + 2·scale·max_j Σ_c |q_c·k_jc| + kv_len): the fp32
  // dot products' rounding (relative to Σ|q·k|, amplified by exp), exp's few
  // ulp, and the fp32 sums over keys (Σp and each output column's Σ p·v add
  // kv_len terms in order: worst case half an ulp of the partial sum each).
  double Bound(int64_t b, int64_t h, int64_t i, int lanes) const {
    const int64_t w = heads * d;
    double max_abs_dot = 0.0, max_v = 0.0;
    const float* q = args.q + b * args.q_batch_stride + i * args.q_row_stride + h * d;
    for (int64_t j = 0; j < kv_len; ++j) {
      const float* k = args.k + b * args.k_batch_stride + j * args.k_row_stride + h * d;
      const float* v = args.v + b * args.v_batch_stride + j * args.v_row_stride + h * d;
      double s = 0.0;
      for (int64_t c = 0; c < d; ++c) {
        s += std::fabs(static_cast<double>(q[c]) * k[c]);
        max_v = std::max<double>(max_v, std::fabs(v[c]));
      }
      max_abs_dot = std::max(max_abs_dot, s);
    }
    (void)w;
    (void)lanes;
    return kEps * max_v * (8.0 + 2.0 * args.scale * max_abs_dot + kv_len);
  }
};

// Runs the kernel (with a pool of `threads`, 0 = no pool) and the reference;
// checks every output against the bound and the guard floats. Returns the
// largest error as a fraction of its bound.
double CheckAgainstReference(const OpsKernels& ops, Problem& p, int threads = 0) {
  auto pool = threads > 0 ? testing::MakePool(threads) : nullptr;
  std::vector<float> scratch(F32AttentionScratchFloats(p.kv_len, p.d, threads > 0 ? threads : 1));
  const Status s = F32Attention(ops, p.args, pool.get(), scratch.data(), scratch.size());
  EXPECT_TRUE(s.ok()) << s.message();
  std::vector<float> got = p.out;
  std::vector<float> want(p.out.size(), 12345.0f);
  F32AttentionArgs ref_args = p.args;
  ref_args.out = want.data();
  f32_attention_ref(ref_args);
  const int64_t w = p.heads * p.d;
  const int lanes = ops.lanes;
  double worst = 0.0;
  for (int64_t b = 0; b < p.batch; ++b) {
    for (int64_t i = 0; i < p.q_len; ++i) {
      for (int64_t h = 0; h < p.heads; ++h) {
        const double bound = p.Bound(b, h, i, lanes);
        for (int64_t c = 0; c < p.d; ++c) {
          const int64_t at = b * p.args.out_batch_stride + i * p.args.out_row_stride + h * p.d + c;
          const double err = std::fabs(static_cast<double>(got[at]) - want[at]);
          worst = std::max(worst, err / bound);
          if (!(err <= bound)) {
            ADD_FAILURE() << "b " << b << " i " << i << " h " << h << " c " << c << ": got "
                          << got[at] << " want " << want[at] << " (bound " << bound << ")";
            return worst;
          }
        }
      }
      for (int64_t g = w; g < w + 5; ++g) {
        EXPECT_EQ(got[b * p.args.out_batch_stride + i * p.args.out_row_stride + g], 12345.0f);
      }
    }
  }
  return worst;
}

class AttentionTest : public OpsLevelTest {};

TEST_P(AttentionTest, ClipHeadDimsAndSequenceLengths) {
  double worst = 0.0;
  for (int64_t d : {64, 80, 96, 128}) {
    for (auto [lq, lk] : {std::pair<int64_t, int64_t>{1, 1}, {5, 5}, {77, 77}, {1, 50}, {3, 70}}) {
      for (bool causal : {false, true}) {
        Problem p(2, 2, lq, lk, d, static_cast<uint32_t>(d * 1000 + lq * 7 + lk));
        p.args.causal = causal;
        worst = std::max(worst, CheckAgainstReference(ops(), p));
        if (HasFailure()) return;
      }
    }
  }
  std::printf("[ measured ] attention %s: max error %.3g of the bound\n", IsaLevelName(GetParam()),
              worst);
}

TEST_P(AttentionTest, ViTLengthsWithPaddingMask) {
  for (int64_t len : {50, 197, 257}) {
    Problem p(1, 2, len, len, 64, static_cast<uint32_t>(len));
    p.SetMask(len, 0.3);
    CheckAgainstReference(ops(), p);
  }
}

TEST_P(AttentionTest, Sequence1024CausalAndFull) {
  for (bool causal : {false, true}) {
    Problem p(1, 1, 1024, 1024, 64, 99);
    p.args.causal = causal;
    CheckAgainstReference(ops(), p);
  }
}

TEST_P(AttentionTest, OtherHeadDimsUsePartialVectors) {
  // 72: SigLIP So400m (1152 / 16 heads); the others: every tail length class.
  for (int64_t d : {1, 7, 24, 33, 72, 88}) {
    Problem p(1, 3, 9, 11, d, static_cast<uint32_t>(d));
    p.args.causal = d == 7;
    CheckAgainstReference(ops(), p);
  }
}

TEST_P(AttentionTest, LargeScoresStayStable) {
  // |q|,|k| up to 30 → scores in the thousands: softmax must subtract the max.
  Problem p(1, 2, 40, 40, 64, 5, 30.0f);
  std::vector<float> scratch(F32AttentionScratchFloats(40, 64, 1));
  ASSERT_TRUE(F32Attention(ops(), p.args, nullptr, scratch.data(), scratch.size()).ok());
  for (int64_t i = 0; i < 40; ++i) {
    for (int64_t c = 0; c < 128; ++c) ASSERT_TRUE(std::isfinite(p.out[i * (128 + 5) + c]));
  }
  CheckAgainstReference(ops(), p);
}

TEST_P(AttentionTest, FullyMaskedRowsAreZeroNotNaN) {
  Problem p(2, 2, 6, 6, 64, 17);
  p.SetMask(1, 0.0);
  for (int64_t j = 0; j < 6; ++j) p.mask[j] = 1;  // batch 0: every key masked
  p.mask[6] = 1;                                  // batch 1: key 0 masked…
  p.args.causal = true;                           // …so with causal, query 0 sees nothing
  CheckAgainstReference(ops(), p);
  for (int64_t c = 0; c < 128; ++c) {
    for (int64_t i = 0; i < 6; ++i) EXPECT_EQ(p.out[i * 133 + c], 0.0f);  // batch 0
    EXPECT_EQ(p.out[p.args.out_batch_stride + c], 0.0f);                  // batch 1, query 0
  }
}

TEST_P(AttentionTest, NaNInOneValueRowPoisonsOnlyItsHead) {
  Problem p(1, 2, 8, 8, 64, 23);
  p.qkv_kv[3 * 3 * 128 + 2 * 128 + 5] = std::numeric_limits<float>::quiet_NaN();  // v[3], head 0
  std::vector<float> scratch(F32AttentionScratchFloats(8, 64, 1));
  ASSERT_TRUE(F32Attention(ops(), p.args, nullptr, scratch.data(), scratch.size()).ok());
  for (int64_t i = 0; i < 8; ++i) {
    EXPECT_TRUE(std::isnan(p.out[i * 133 + 5])) << i;       // head 0, column 5
    EXPECT_TRUE(std::isfinite(p.out[i * 133 + 64])) << i;   // head 1
    EXPECT_TRUE(std::isfinite(p.out[i * 133 + 6])) << i;    // head 0, other column
  }
}

TEST_P(AttentionTest, SharedQueryAcrossBatch) {
  // SigLIP MAP head: one probe query (batch stride 0) against each image's tokens.
  Problem p(3, 2, 1, 33, 64, 29);
  p.args.q_batch_stride = 0;
  CheckAgainstReference(ops(), p);
}

TEST_P(AttentionTest, BitIdenticalAcrossThreadCounts) {
  Problem base(2, 3, 150, 150, 64, 31);
  base.args.causal = true;
  base.SetMask(3, 0.1);
  std::vector<float> scratch(F32AttentionScratchFloats(150, 64, 1));
  ASSERT_TRUE(F32Attention(ops(), base.args, nullptr, scratch.data(), scratch.size()).ok());
  for (int threads : testing::kThreadCounts) {
    Problem p(2, 3, 150, 150, 64, 31);
    p.args.causal = true;
    p.SetMask(3, 0.1);
    auto pool = testing::MakePool(threads);
    std::vector<float> s(F32AttentionScratchFloats(150, 64, threads));
    ASSERT_TRUE(F32Attention(ops(), p.args, pool.get(), s.data(), s.size()).ok());
    EXPECT_TRUE(testing::BitIdentical(base.out, p.out)) << threads << " threads";
  }
}

INSTANTIATE_TEST_SUITE_P(Levels, AttentionTest, ::testing::ValuesIn(testing::kAllLevels),
                         testing::LevelName);

TEST(AttentionArgumentsTest, BadArgumentsAreErrors) {
  const OpsKernels& ops = ActiveOpsKernels();
  Problem p(1, 2, 4, 4, 64, 1);
  std::vector<float> scratch(F32AttentionScratchFloats(4, 64, 1));
  F32AttentionArgs a = p.args;
  a.head_dim = 0;
  Status s = F32Attention(ops, a, nullptr, scratch.data(), scratch.size());
  EXPECT_NE(s.message().find("head_dim 0"), std::string::npos) << s.message();
  a = p.args;
  a.k_row_stride = 100;  // < heads·head_dim = 128
  s = F32Attention(ops, a, nullptr, scratch.data(), scratch.size());
  EXPECT_NE(s.message().find("k batch stride"), std::string::npos) << s.message();
  a = p.args;
  a.v = nullptr;
  EXPECT_FALSE(F32Attention(ops, a, nullptr, scratch.data(), scratch.size()).ok());
  a = p.args;
  s = F32Attention(ops, a, nullptr, scratch.data(), scratch.size() - 1);
  EXPECT_NE(s.message().find("scratch"), std::string::npos) << s.message();
  a.scale = std::numeric_limits<float>::infinity();
  EXPECT_FALSE(F32Attention(ops, a, nullptr, scratch.data(), scratch.size()).ok());
  // Nothing was written by the failed calls.
  for (float v : p.out) EXPECT_EQ(v, 12345.0f);
  a = p.args;
  a.q_len = 0;  // empty is a valid no-op
  EXPECT_TRUE(F32Attention(ops, a, nullptr, nullptr, 0).ok());
}

}  // namespace
}  // namespace cliprt::kernels
