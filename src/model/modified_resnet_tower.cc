#include "model/modified_resnet_tower.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "kernels/avg_pool2d.h"
#include "kernels/batchnorm_fold.h"
#include "kernels/conv2d.h"
#include "model/attention_pool2d.h"

namespace cliprt::model {
namespace {

constexpr float kBatchNormEps = 1e-5f;  // nn.BatchNorm2d default, as in clip/model.py
constexpr int64_t kExpansion = 4;       // Bottleneck.expansion
// The four activation buffers of one chunk of images stay under this (a
// chunk is at least one image, at most kMaxChunkImages).
constexpr size_t kChunkActivationBudgetBytes = size_t{64} << 20;
constexpr int64_t kMaxChunkImages = 16;
// Far above every released model (RN50x64: width 128, 448 px); keeps size
// products far from overflow on a corrupt config.
constexpr int64_t kMaxWidth = 1 << 12;
constexpr int64_t kMaxImageSize = 1 << 13;
constexpr int64_t kMaxBlocksPerStage = 1 << 10;

size_t RoundUp64(size_t bytes) { return (bytes + 63) / 64 * 64; }

// A convolution with the BatchNorm after it folded in, and the per-image
// input size it runs on (for scratch sizing).
struct ConvLayer {
  kernels::PackedConv2d conv;
  int64_t in_h = 0, in_w = 0;
};

// conv (bias-free) `<conv>.weight` [cout, cin, k, k] followed by BatchNorm `<bn>.*`.
StatusOr<ConvLayer> LoadConvBn(const WeightReader& weights, const std::string& conv, const std::string& bn,
                               int64_t cin, int64_t cout, int64_t kernel, int64_t stride, int64_t in_size,
                               kernels::GemmPrecision precision) {
  ASSIGN_OR_RETURN(Tensor w, weights.F32(conv + ".weight", {cout, cin, kernel, kernel}));
  ASSIGN_OR_RETURN(Tensor gamma, weights.F32(bn + ".weight", {cout}));
  ASSIGN_OR_RETURN(Tensor beta, weights.F32(bn + ".bias", {cout}));
  ASSIGN_OR_RETURN(Tensor mean, weights.F32(bn + ".running_mean", {cout}));
  ASSIGN_OR_RETURN(Tensor var, weights.F32(bn + ".running_var", {cout}));
  // Training bookkeeping only; read so that it does not count as an unused tensor.
  if (weights.Has(bn + ".num_batches_tracked")) {
    ASSIGN_OR_RETURN(Tensor tracked, weights.F32(bn + ".num_batches_tracked", {}));
    (void)tracked;
  }
  ASSIGN_OR_RETURN(Tensor bias, Tensor::Empty(DType::kF32, Shape{cout}));
  Status folded = kernels::FoldBatchNormIntoConv(
      cout, cin * kernel * kernel, w.data_as<float>(), nullptr, gamma.data_as<const float>(),
      beta.data_as<const float>(), mean.data_as<const float>(), var.data_as<const float>(), kBatchNormEps,
      bias.data_as<float>());
  if (!folded.ok()) return folded.WithContext("BatchNorm \"" + weights.SourceName(bn + ".running_var") + "\"");
  kernels::Conv2dParams params;
  params.in_channels = cin;
  params.out_channels = cout;
  params.kernel_h = params.kernel_w = kernel;
  params.stride_h = params.stride_w = stride;
  params.pad_h = params.pad_w = kernel / 2;
  ConvLayer layer;
  auto packed = kernels::PackedConv2d::Create(params, w.data_as<const float>(), bias.data_as<const float>(),
                                              precision);
  if (!packed.ok()) return packed.status().WithContext("conv \"" + weights.SourceName(conv + ".weight") + "\"");
  layer.conv = std::move(packed).value();
  layer.in_h = layer.in_w = in_size;
  return layer;
}

struct Bottleneck {
  int64_t in_size = 0;   // input side (per image); the output side is in_size / stride
  int64_t stride = 1;
  ConvLayer conv1, conv2, conv3;
  bool has_downsample = false;
  ConvLayer downsample;  // 1×1 after AvgPool2d(stride)
};

class ModifiedResNetTower final : public VisionTower {
 public:
  int64_t image_size() const override { return image_size_; }
  int64_t embed_dim() const override { return embed_dim_; }
  std::string Describe() const override { return describe_; }
  Status Encode(const float* pixels, int64_t batch, float* out, int64_t ldo,
                const RunContext& ctx) const override;

  static StatusOr<std::unique_ptr<ModifiedResNetTower>> Create(const WeightReader& weights,
                                                               const io::ModelConfig& config,
                                                               const TowerOptions& options);

 private:
  struct Buffers {
    float* x = nullptr;   // block input
    float* y = nullptr;   // block output
    float* t1 = nullptr;  // branch temporaries
    float* t2 = nullptr;
    void* conv_scratch = nullptr;
    size_t conv_scratch_bytes = 0;
    void* pool_workspace = nullptr;
    size_t pool_workspace_bytes = 0;
  };
  Status RunChunk(const float* pixels, int64_t n, float* out, int64_t ldo, const RunContext& ctx,
                  Buffers buffers) const;
  Status RunBlock(const Bottleneck& block, int64_t n, const Buffers& b, ThreadPool* pool) const;

  int64_t image_size_ = 0;
  int64_t width_ = 0;
  int64_t embed_dim_ = 0;
  std::string describe_;
  ConvLayer stem1_, stem2_, stem3_;
  std::vector<Bottleneck> blocks_;
  AttentionPool2d attnpool_;
  int64_t max_activation_floats_ = 0;  // largest feature map of one image
  int64_t chunk_images_ = 1;
};

StatusOr<std::unique_ptr<ModifiedResNetTower>> ModifiedResNetTower::Create(const WeightReader& weights,
                                                                           const io::ModelConfig& config,
                                                                           const TowerOptions& options) {
  const io::VisionConfig& v = config.vision;
  const int64_t w = v.width;
  const int64_t s = v.image_size;
  std::string layers_text;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) layers_text += ',';
    layers_text += std::to_string(v.resnet_layers[i]);
  }
  if (v.kind != "resnet") {
    return InvalidArgumentError("ModifiedResNet tower: vision.kind is \"" + v.kind + "\", not \"resnet\"");
  }
  if (w < 2 || w > kMaxWidth || w % 2 != 0 || s < 32 || s > kMaxImageSize || s % 32 != 0 ||
      config.embed_dim < 1 || v.heads < 1 || (32 * w) % v.heads != 0) {
    return InvalidArgumentError(
        "ModifiedResNet tower: unsupported config width " + std::to_string(w) + ", image_size " +
        std::to_string(s) + ", heads " + std::to_string(v.heads) + ", embed_dim " +
        std::to_string(config.embed_dim) +
        " (need an even width, image_size a multiple of 32, heads dividing 32·width)");
  }
  for (int i = 0; i < 4; ++i) {
    if (v.resnet_layers[i] < 1 || v.resnet_layers[i] > kMaxBlocksPerStage) {
      return InvalidArgumentError("ModifiedResNet tower: vision.resnet_layers (" + layers_text +
                                  ") needs 1.." + std::to_string(kMaxBlocksPerStage) + " blocks per stage");
    }
  }
  const kernels::GemmPrecision precision = options.precision;
  auto tower = std::make_unique<ModifiedResNetTower>();
  tower->image_size_ = s;
  tower->width_ = w;
  tower->embed_dim_ = config.embed_dim;
  int64_t max_act = 0;
  auto track = [&max_act](int64_t floats) { max_act = std::max(max_act, floats); };

  // Stem: 3 → w/2 (stride 2), w/2 → w/2, w/2 → w, each BN + ReLU, then AvgPool2d(2).
  ASSIGN_OR_RETURN(tower->stem1_, LoadConvBn(weights, "visual.conv1", "visual.bn1", 3, w / 2, 3, 2, s, precision));
  ASSIGN_OR_RETURN(tower->stem2_,
                   LoadConvBn(weights, "visual.conv2", "visual.bn2", w / 2, w / 2, 3, 1, s / 2, precision));
  ASSIGN_OR_RETURN(tower->stem3_,
                   LoadConvBn(weights, "visual.conv3", "visual.bn3", w / 2, w, 3, 1, s / 2, precision));
  track((s / 2) * (s / 2) * w);

  int64_t inplanes = w;
  int64_t size = s / 4;
  for (int stage = 0; stage < 4; ++stage) {
    const int64_t planes = w << stage;
    for (int64_t i = 0; i < v.resnet_layers[stage]; ++i) {
      Bottleneck b;
      b.in_size = size;
      b.stride = (stage > 0 && i == 0) ? 2 : 1;
      const int64_t out_size = size / b.stride;
      const std::string p = "visual.layer" + std::to_string(stage + 1) + "." + std::to_string(i) + ".";
      ASSIGN_OR_RETURN(b.conv1, LoadConvBn(weights, p + "conv1", p + "bn1", inplanes, planes, 1, 1, size, precision));
      ASSIGN_OR_RETURN(b.conv2, LoadConvBn(weights, p + "conv2", p + "bn2", planes, planes, 3, 1, size, precision));
      ASSIGN_OR_RETURN(b.conv3, LoadConvBn(weights, p + "conv3", p + "bn3", planes, planes * kExpansion, 1, 1,
                                           out_size, precision));
      b.has_downsample = b.stride > 1 || inplanes != planes * kExpansion;
      if (b.has_downsample) {
        ASSIGN_OR_RETURN(b.downsample, LoadConvBn(weights, p + "downsample.0", p + "downsample.1", inplanes,
                                                  planes * kExpansion, 1, 1, out_size, precision));
      }
      track(size * size * std::max(inplanes, planes));
      track(out_size * out_size * planes * kExpansion);
      tower->blocks_.push_back(std::move(b));
      inplanes = planes * kExpansion;
      size = out_size;
    }
  }

  AttentionPool2dConfig pool_config;
  pool_config.grid = s / 32;
  pool_config.channels = 32 * w;
  pool_config.heads = v.heads;
  pool_config.output_dim = config.embed_dim;
  pool_config.precision = precision;
  ASSIGN_OR_RETURN(tower->attnpool_, AttentionPool2d::Create(weights, "visual.attnpool.", pool_config));

  RETURN_IF_ERROR(weights.RefuseUnread({"visual."}, "ModifiedResNet tower (width " + std::to_string(w) + ", blocks " + layers_text + ")"));

  tower->max_activation_floats_ = max_act;
  const size_t per_image = 4 * static_cast<size_t>(max_act) * sizeof(float);
  tower->chunk_images_ =
      std::clamp<int64_t>(static_cast<int64_t>(kChunkActivationBudgetBytes / per_image), 1, kMaxChunkImages);
  tower->describe_ = "modified_resnet width=" + std::to_string(w) + " layers=" + layers_text +
                     " heads=" + std::to_string(v.heads) + " image=" + std::to_string(s) +
                     " attnpool=" + std::to_string(32 * w) + " proj=" + std::to_string(32 * w) + "x" +
                     std::to_string(config.embed_dim) + " precision=" + kernels::GemmPrecisionName(precision);
  return tower;
}

// NHWC feature maps; AvgPool2d(2) as nn.AvgPool2d(2).
Status AvgPool2x2(int64_t n, int64_t size, int64_t channels, const float* x, float* y, ThreadPool* pool) {
  kernels::AvgPool2dParams params;  // kernel = stride = 2, no padding
  return kernels::AvgPool2d(params, n, size, size, channels, x, y, pool);
}

Status ModifiedResNetTower::RunBlock(const Bottleneck& b, int64_t n, const Buffers& buf, ThreadPool* pool) const {
  const kernels::Conv2dParams& p1 = b.conv1.conv.params();
  const int64_t planes = p1.out_channels;
  const int64_t inplanes = p1.in_channels;
  const int64_t size = b.in_size;
  const int64_t out_size = size / b.stride;
  const auto run = [&](const ConvLayer& layer, const float* x, int64_t cin, int64_t side, float* y,
                       const float* residual, bool relu) {
    const int64_t cout = layer.conv.params().out_channels;
    return layer.conv.Run(kernels::Conv2dInputNhwc(x, n, cin, side, side), y, cout, residual, cout, relu, pool,
                          buf.conv_scratch, buf.conv_scratch_bytes);
  };
  // Main branch: 1×1 → ReLU → 3×3 → ReLU → [AvgPool2d(stride)] → 1×1.
  RETURN_IF_ERROR(run(b.conv1, buf.x, inplanes, size, buf.t1, nullptr, true));
  RETURN_IF_ERROR(run(b.conv2, buf.t1, planes, size, buf.t2, nullptr, true));
  const float* branch = buf.t2;
  if (b.stride > 1) {
    RETURN_IF_ERROR(AvgPool2x2(n, size, planes, buf.t2, buf.t1, pool));
    branch = buf.t1;
  }
  // Identity: x, or [AvgPool2d(stride)] → 1×1 conv + BN, written to y first so
  // that conv3 adds it in its epilogue, then the final ReLU.
  const float* identity = buf.x;
  if (b.has_downsample) {
    const float* src = buf.x;
    if (b.stride > 1) {
      RETURN_IF_ERROR(AvgPool2x2(n, size, inplanes, buf.x, buf.t2, pool));
      src = buf.t2;
    }
    RETURN_IF_ERROR(run(b.downsample, src, inplanes, out_size, buf.y, nullptr, false));
    identity = buf.y;
  }
  return run(b.conv3, branch, planes, out_size, buf.y, identity, true);
}

Status ModifiedResNetTower::RunChunk(const float* pixels, int64_t n, float* out, int64_t ldo, const RunContext& ctx,
                                     Buffers buf) const {
  ThreadPool* pool = ctx.pool;
  const int64_t s = image_size_;
  const int64_t half = width_ / 2;
  auto conv = [&](const ConvLayer& layer, const kernels::Conv2dInput& x, float* y) {
    const int64_t cout = layer.conv.params().out_channels;
    return layer.conv.Run(x, y, cout, nullptr, cout, true, pool, buf.conv_scratch, buf.conv_scratch_bytes);
  };
  RETURN_IF_ERROR(conv(stem1_, kernels::Conv2dInputNchw(pixels, n, 3, s, s), buf.x));
  RETURN_IF_ERROR(conv(stem2_, kernels::Conv2dInputNhwc(buf.x, n, half, s / 2, s / 2), buf.y));
  RETURN_IF_ERROR(conv(stem3_, kernels::Conv2dInputNhwc(buf.y, n, half, s / 2, s / 2), buf.x));
  RETURN_IF_ERROR(AvgPool2x2(n, s / 2, width_, buf.x, buf.y, pool));
  std::swap(buf.x, buf.y);
  for (const Bottleneck& block : blocks_) {
    RETURN_IF_ERROR(RunBlock(block, n, buf, pool));
    std::swap(buf.x, buf.y);
  }
  return attnpool_.Forward(buf.x, n, out, ldo, ctx, buf.pool_workspace, buf.pool_workspace_bytes);
}

Status ModifiedResNetTower::Encode(const float* pixels, int64_t batch, float* out, int64_t ldo,
                                   const RunContext& ctx) const {
  if (batch < 0) return InvalidArgumentError("ModifiedResNet Encode: batch " + std::to_string(batch) + " < 0");
  if (batch == 0) return Status::Ok();  // as every tower: nothing to do, nothing written
  if (pixels == nullptr || out == nullptr) {
    return InvalidArgumentError("ModifiedResNet Encode: null pixels or output pointer");
  }
  if (ldo < embed_dim_) {
    return InvalidArgumentError("ModifiedResNet Encode: output row stride " + std::to_string(ldo) +
                                " < embed_dim " + std::to_string(embed_dim_));
  }
  if (ctx.arena == nullptr) return InvalidArgumentError("ModifiedResNet Encode: RunContext has no arena");

  // One set of buffers sized for a chunk, reused by every chunk: the arena
  // use of a call does not grow with the batch.
  const int64_t chunk = std::min(batch, chunk_images_);
  const int threads = ctx.num_threads();
  size_t conv_scratch = 64;
  auto grow = [&conv_scratch, chunk, threads](const ConvLayer& layer) -> Status {
    ASSIGN_OR_RETURN(size_t bytes, layer.conv.ScratchBytes(chunk, layer.in_h, layer.in_w, threads));
    conv_scratch = std::max(conv_scratch, bytes);
    return Status::Ok();
  };
  RETURN_IF_ERROR(grow(stem1_));
  RETURN_IF_ERROR(grow(stem2_));
  RETURN_IF_ERROR(grow(stem3_));
  for (const Bottleneck& b : blocks_) {
    RETURN_IF_ERROR(grow(b.conv1));
    RETURN_IF_ERROR(grow(b.conv2));
    RETURN_IF_ERROR(grow(b.conv3));
    if (b.has_downsample) RETURN_IF_ERROR(grow(b.downsample));
  }
  const size_t activation_bytes = RoundUp64(static_cast<size_t>(chunk * max_activation_floats_) * sizeof(float));
  Buffers buf;
  buf.conv_scratch_bytes = RoundUp64(conv_scratch);
  buf.pool_workspace_bytes = attnpool_.WorkspaceBytes(chunk, threads);
  ASSIGN_OR_RETURN(void* memory, ctx.arena->Allocate(4 * activation_bytes + buf.conv_scratch_bytes +
                                                     buf.pool_workspace_bytes));
  char* p = static_cast<char*>(memory);
  buf.x = reinterpret_cast<float*>(p);
  buf.y = reinterpret_cast<float*>(p + activation_bytes);
  buf.t1 = reinterpret_cast<float*>(p + 2 * activation_bytes);
  buf.t2 = reinterpret_cast<float*>(p + 3 * activation_bytes);
  buf.conv_scratch = p + 4 * activation_bytes;
  buf.pool_workspace = p + 4 * activation_bytes + buf.conv_scratch_bytes;

  const int64_t image_floats = 3 * image_size_ * image_size_;
  for (int64_t start = 0; start < batch; start += chunk) {
    const int64_t n = std::min(chunk, batch - start);
    Status st = RunChunk(pixels + start * image_floats, n, out + start * ldo, ldo, ctx, buf);
    if (!st.ok()) return st.WithContext("ModifiedResNet Encode (images " + std::to_string(start) + ".." +
                                        std::to_string(start + n - 1) + ")");
  }
  return Status::Ok();
}

}  // namespace

StatusOr<std::unique_ptr<VisionTower>> CreateModifiedResNetTower(const WeightReader& weights,
                                                                 const io::ModelConfig& config,
                                                                 const TowerOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<ModifiedResNetTower> tower,
                   ModifiedResNetTower::Create(weights, config, options));
  return std::unique_ptr<VisionTower>(std::move(tower));
}

}  // namespace cliprt::model
