#include "model/packed_linear.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace cliprt::model {
namespace {

// The weight as contiguous fp32 [out, in], or an error naming the layer.
StatusOr<Tensor> WeightMatrix(const Tensor& weight, const std::string& name) {
  if (weight.rank() != 2 || weight.dim(0) < 1 || weight.dim(1) < 1) {
    return InvalidArgumentError("Linear \"" + name + "\": weight must be [out, in], got " +
                                weight.shape().ToString());
  }
  return weight.ToContiguousF32();
}

StatusOr<Tensor> BiasVector(const Tensor& bias, int64_t out, const std::string& name) {
  if (bias.rank() != 1 || bias.dim(0) != out) {
    return InvalidArgumentError("Linear \"" + name + "\": bias must be [" + std::to_string(out) + "], got " +
                                bias.shape().ToString());
  }
  return bias.ToContiguousF32();
}

}  // namespace

StatusOr<PackedLinear> PackedLinear::Create(const Tensor& weight, const Tensor* bias,
                                            kernels::GemmPrecision precision, const std::string& name) {
  const Tensor* weights[1] = {&weight};
  const Tensor* biases[1] = {bias};
  return CreateConcat(weights, biases, precision, name);
}

StatusOr<PackedLinear> PackedLinear::CreateConcat(std::span<const Tensor* const> weights,
                                                  std::span<const Tensor* const> biases,
                                                  kernels::GemmPrecision precision, const std::string& name) {
  if (weights.empty() || biases.size() != weights.size()) {
    return InvalidArgumentError("Linear \"" + name + "\": needs one bias slot per weight");
  }
  const bool has_bias = biases[0] != nullptr;
  std::vector<Tensor> parts;
  int64_t out = 0, in = -1;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (!weights[i]) return InvalidArgumentError("Linear \"" + name + "\": null weight");
    if ((biases[i] != nullptr) != has_bias) {
      return InvalidArgumentError("Linear \"" + name + "\": biases must be all present or all absent");
    }
    ASSIGN_OR_RETURN(Tensor w, WeightMatrix(*weights[i], name));
    if (in >= 0 && w.dim(1) != in) {
      return InvalidArgumentError("Linear \"" + name + "\": fused parts disagree on the input size (" +
                                  std::to_string(in) + " vs " + std::to_string(w.dim(1)) + ")");
    }
    in = w.dim(1);
    out += w.dim(0);
    parts.push_back(std::move(w));
  }

  // One [out, in] matrix (no copy when there is a single part).
  Tensor matrix = parts[0];
  if (parts.size() > 1) {
    ASSIGN_OR_RETURN(matrix, Tensor::Empty(DType::kF32, Shape{out, in}));
    auto* dst = matrix.data_as<float>();
    for (const Tensor& p : parts) {
      std::memcpy(dst, p.data(), static_cast<size_t>(p.numel()) * sizeof(float));
      dst += p.numel();
    }
  }

  PackedLinear layer;
  auto packed = kernels::PackedGemmWeights::Create(precision, matrix.data_as<float>(), out, in, in);
  if (!packed.ok()) return packed.status().WithContext("Linear \"" + name + "\"");
  layer.weights_ = std::move(packed).value();
  if (has_bias) {
    ASSIGN_OR_RETURN(layer.bias_, AllocateAligned(static_cast<size_t>(out) * sizeof(float)));
    auto* dst = static_cast<float*>(layer.bias_.get());
    for (size_t i = 0; i < weights.size(); ++i) {
      ASSIGN_OR_RETURN(Tensor b, BiasVector(*biases[i], parts[i].dim(0), name));
      std::memcpy(dst, b.data(), static_cast<size_t>(b.numel()) * sizeof(float));
      dst += b.numel();
    }
    layer.has_bias_ = true;
  }
  return layer;
}

size_t PackedLinear::ScratchBytes(int64_t m, int num_threads) const {
  return std::max<size_t>(64, kernels::GemmScratchBytes(weights_.plan(), m, num_threads));
}

Status PackedLinear::RunWithScratch(int64_t m, const float* x, int64_t ldx, float* y, int64_t ldy,
                                    kernels::GemmActivation act, const float* residual, int64_t ldr,
                                    const RunContext& ctx, void* scratch, size_t scratch_bytes) const {
  kernels::GemmEpilogue epilogue;
  epilogue.bias = has_bias_ ? static_cast<const float*>(bias_.get()) : nullptr;
  epilogue.activation = act;
  epilogue.residual = residual;
  epilogue.ldr = residual ? ldr : 0;
  return kernels::RunGemm(weights_.plan(), weights_.data(), m, x, ldx, y, ldy, epilogue, ctx.pool, scratch,
                          scratch_bytes);
}

Status PackedLinear::Run(int64_t m, const float* x, int64_t ldx, float* y, int64_t ldy,
                         kernels::GemmActivation act, const float* residual, int64_t ldr,
                         const RunContext& ctx) const {
  if (!ctx.arena) return InvalidArgumentError("PackedLinear::Run: RunContext has no arena");
  kernels::GemmEpilogue epilogue;
  epilogue.bias = has_bias_ ? static_cast<const float*>(bias_.get()) : nullptr;
  epilogue.activation = act;
  epilogue.residual = residual;
  epilogue.ldr = residual ? ldr : 0;
  return weights_.Run(m, x, ldx, y, ldy, epilogue, ctx.pool, ctx.arena);
}

}  // namespace cliprt::model
