// TransformerStack vs a direct double-precision evaluation of the pre-LN
// block (REFERENCE.md §2.1) on random weights: masks, activations, batch and
// thread-count invariance.
#include "model/transformer_stack.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace cliprt::model {
namespace {

constexpr int64_t kWidth = 32, kHeads = 4, kHidden = 48, kLayers = 2;

Tensor Random(Shape shape, std::mt19937& rng, float scale) {
  Tensor t = Tensor::Empty(DType::kF32, shape).value();
  std::normal_distribution<float> dist(0.0f, scale);
  for (int64_t i = 0; i < t.numel(); ++i) t.data_as<float>()[i] = dist(rng);
  return t;
}

io::CanonicalWeights RandomStack(uint32_t seed) {
  std::mt19937 rng(seed);
  io::CanonicalWeights w;
  w.naming = "hf-clip";
  for (int l = 0; l < kLayers; ++l) {
    const std::string p = "enc." + std::to_string(l) + ".";
    w.tensors[p + "layer_norm1.weight"] = Random({kWidth}, rng, 1.0f);
    w.tensors[p + "layer_norm1.bias"] = Random({kWidth}, rng, 0.1f);
    w.tensors[p + "layer_norm2.weight"] = Random({kWidth}, rng, 1.0f);
    w.tensors[p + "layer_norm2.bias"] = Random({kWidth}, rng, 0.1f);
    for (const char* n : {"q_proj", "k_proj", "v_proj", "out_proj"}) {
      w.tensors[p + "self_attn." + n + ".weight"] = Random({kWidth, kWidth}, rng, 0.2f);
      w.tensors[p + "self_attn." + n + ".bias"] = Random({kWidth}, rng, 0.1f);
    }
    w.tensors[p + "mlp.fc1.weight"] = Random({kHidden, kWidth}, rng, 0.2f);
    w.tensors[p + "mlp.fc1.bias"] = Random({kHidden}, rng, 0.1f);
    w.tensors[p + "mlp.fc2.weight"] = Random({kWidth, kHidden}, rng, 0.2f);
    w.tensors[p + "mlp.fc2.bias"] = Random({kWidth}, rng, 0.1f);
  }
  return w;
}

using Vec = std::vector<double>;

const float* F(const io::CanonicalWeights& w, const std::string& n) { return w.tensors.at(n).data_as<float>(); }

Vec LayerNormRef(const Vec& x, int64_t rows, const float* g, const float* b, double eps) {
  Vec y(x.size());
  for (int64_t r = 0; r < rows; ++r) {
    double mean = 0, var = 0;
    for (int64_t c = 0; c < kWidth; ++c) mean += x[r * kWidth + c];
    mean /= kWidth;
    for (int64_t c = 0; c < kWidth; ++c) var += (x[r * kWidth + c] - mean) * (x[r * kWidth + c] - mean);
    var /= kWidth;
    for (int64_t c = 0; c < kWidth; ++c) y[r * kWidth + c] = (x[r * kWidth + c] - mean) / std::sqrt(var + eps) * g[c] + b[c];
  }
  return y;
}

Vec LinearRef(const Vec& x, int64_t rows, int64_t in, int64_t out, const float* w, const float* b) {
  Vec y(static_cast<size_t>(rows * out));
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t o = 0; o < out; ++o) {
      double s = b[o];
      for (int64_t i = 0; i < in; ++i) s += x[r * in + i] * w[o * in + i];
      y[r * out + o] = s;
    }
  return y;
}

double Act(io::Activation a, double x) {
  switch (a) {
    case io::Activation::kQuickGelu: return x / (1 + std::exp(-1.702 * x));
    case io::Activation::kGeluErf: return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
    case io::Activation::kGeluTanh:
      return 0.5 * x * (1 + std::tanh(std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x)));
  }
  return x;
}

// One sequence through the stack in double.
Vec StackRef(const io::CanonicalWeights& w, Vec x, int64_t seq, bool causal, const uint8_t* pad,
             io::Activation act) {
  const int64_t hd = kWidth / kHeads;
  for (int l = 0; l < kLayers; ++l) {
    const std::string p = "enc." + std::to_string(l) + ".";
    Vec h = LayerNormRef(x, seq, F(w, p + "layer_norm1.weight"), F(w, p + "layer_norm1.bias"), 1e-5);
    Vec q = LinearRef(h, seq, kWidth, kWidth, F(w, p + "self_attn.q_proj.weight"), F(w, p + "self_attn.q_proj.bias"));
    Vec k = LinearRef(h, seq, kWidth, kWidth, F(w, p + "self_attn.k_proj.weight"), F(w, p + "self_attn.k_proj.bias"));
    Vec v = LinearRef(h, seq, kWidth, kWidth, F(w, p + "self_attn.v_proj.weight"), F(w, p + "self_attn.v_proj.bias"));
    Vec a(static_cast<size_t>(seq * kWidth), 0.0);
    for (int64_t head = 0; head < kHeads; ++head)
      for (int64_t i = 0; i < seq; ++i) {
        Vec s(static_cast<size_t>(seq), -INFINITY);
        double mx = -INFINITY;
        for (int64_t j = 0; j < seq; ++j) {
          if ((causal && j > i) || (pad && pad[j])) continue;
          double d = 0;
          for (int64_t c = 0; c < hd; ++c) d += q[i * kWidth + head * hd + c] * k[j * kWidth + head * hd + c];
          s[j] = d / std::sqrt(static_cast<double>(hd));
          mx = std::max(mx, s[j]);
        }
        double sum = 0;
        for (int64_t j = 0; j < seq; ++j) sum += s[j] == -INFINITY ? 0 : std::exp(s[j] - mx);
        for (int64_t j = 0; j < seq; ++j) {
          if (s[j] == -INFINITY) continue;
          const double pj = std::exp(s[j] - mx) / sum;
          for (int64_t c = 0; c < hd; ++c) a[i * kWidth + head * hd + c] += pj * v[j * kWidth + head * hd + c];
        }
      }
    Vec o = LinearRef(a, seq, kWidth, kWidth, F(w, p + "self_attn.out_proj.weight"), F(w, p + "self_attn.out_proj.bias"));
    for (size_t i = 0; i < x.size(); ++i) x[i] += o[i];
    h = LayerNormRef(x, seq, F(w, p + "layer_norm2.weight"), F(w, p + "layer_norm2.bias"), 1e-5);
    Vec m = LinearRef(h, seq, kWidth, kHidden, F(w, p + "mlp.fc1.weight"), F(w, p + "mlp.fc1.bias"));
    for (double& e : m) e = Act(act, e);
    Vec f = LinearRef(m, seq, kHidden, kWidth, F(w, p + "mlp.fc2.weight"), F(w, p + "mlp.fc2.bias"));
    for (size_t i = 0; i < x.size(); ++i) x[i] += f[i];
  }
  return x;
}

struct Case {
  io::Activation act;
  bool causal;
  bool padding;
};

class TransformerStackTest : public ::testing::TestWithParam<Case> {};

TEST_P(TransformerStackTest, MatchesDoublePrecisionBlocksForEveryBatchAndThreadCount) {
  const Case c = GetParam();
  const io::CanonicalWeights w = RandomStack(7);
  WeightReader reader(w);
  TransformerStackConfig config{kWidth, kHeads, kLayers, kHidden, c.act, 1e-5f, kernels::GemmPrecision::kF32};
  auto stack = TransformerStack::Create(reader, "enc.", config);
  ASSERT_TRUE(stack.ok()) << stack.status().ToString();
  EXPECT_TRUE(reader.Unread("enc.").empty());

  const int64_t batch = 3, seq = 11;
  std::mt19937 rng(3);
  std::normal_distribution<float> dist(0.0f, 1.0f);
  std::vector<float> input(static_cast<size_t>(batch * seq * kWidth));
  for (float& v : input) v = dist(rng);
  std::vector<uint8_t> pad(static_cast<size_t>(batch * seq), 0);
  if (c.padding) {
    for (int64_t b = 0; b < batch; ++b)
      for (int64_t j = seq - 1 - b * 2; j < seq; ++j) pad[static_cast<size_t>(b * seq + j)] = 1;
  }
  const uint8_t* mask = c.padding ? pad.data() : nullptr;

  std::vector<float> first;
  for (int threads : {1, 2, 3}) {
    auto pool = ThreadPool::Create(threads).value();
    Arena arena;
    RunContext ctx{pool.get(), &arena};
    std::vector<float> x = input;
    ASSERT_TRUE(stack->Forward(x.data(), batch, seq, c.causal, mask, ctx).ok());
    if (first.empty()) {
      first = x;
      for (int64_t b = 0; b < batch; ++b) {
        Vec xs(input.begin() + b * seq * kWidth, input.begin() + (b + 1) * seq * kWidth);
        const Vec ref = StackRef(w, xs, seq, c.causal, mask ? mask + b * seq : nullptr, c.act);
        double max_ref = 0, max_err = 0;
        for (size_t i = 0; i < ref.size(); ++i) {
          max_ref = std::max(max_ref, std::fabs(ref[i]));
          max_err = std::max(max_err, std::fabs(ref[i] - x[static_cast<size_t>(b * seq * kWidth) + i]));
        }
        EXPECT_LE(max_err, 2e-5 * max_ref) << "sequence " << b;
      }
      // Each sequence alone gives the same bits as inside the batch.
      for (int64_t b = 0; b < batch; ++b) {
        std::vector<float> one(input.begin() + b * seq * kWidth, input.begin() + (b + 1) * seq * kWidth);
        Arena a1;
        ASSERT_TRUE(stack->Forward(one.data(), 1, seq, c.causal, mask ? mask + b * seq : nullptr, {pool.get(), &a1}).ok());
        EXPECT_TRUE(std::equal(one.begin(), one.end(), x.begin() + b * seq * kWidth)) << "sequence " << b;
      }
    } else {
      EXPECT_EQ(x, first) << threads << " threads";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Blocks, TransformerStackTest,
                         ::testing::Values(Case{io::Activation::kQuickGelu, false, false},
                                           Case{io::Activation::kQuickGelu, true, false},
                                           Case{io::Activation::kGeluErf, false, true},
                                           Case{io::Activation::kGeluTanh, true, true}));

TEST(TransformerStackErrors, MissingOrMisshapenWeightsNameTheTensor) {
  io::CanonicalWeights w = RandomStack(1);
  TransformerStackConfig config{kWidth, kHeads, kLayers, kHidden, io::Activation::kGeluErf, 1e-5f,
                                kernels::GemmPrecision::kF32};
  {
    io::CanonicalWeights missing = w;
    missing.tensors.erase("enc.1.mlp.fc2.bias");
    WeightReader reader(missing);
    auto s = TransformerStack::Create(reader, "enc.", config);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.status().message().find("enc.1.mlp.fc2.bias"), std::string::npos) << s.status().message();
  }
  {
    TransformerStackConfig wide = config;
    wide.mlp_hidden = kHidden + 1;
    WeightReader reader(w);
    auto s = TransformerStack::Create(reader, "enc.", wide);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.status().message().find("enc.0.mlp.fc1.weight"), std::string::npos) << s.status().message();
  }
  {
    TransformerStackConfig odd = config;
    odd.heads = 5;
    WeightReader reader(w);
    EXPECT_FALSE(TransformerStack::Create(reader, "enc.", odd).ok());
  }
}

}  // namespace
}  // namespace cliprt::model
