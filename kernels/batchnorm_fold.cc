#include "kernels/batchnorm_fold.h"

#include <cmath>
#include <string>

namespace cliprt::kernels {

Status FoldBatchNormIntoConv(int64_t out_channels, int64_t weights_per_channel, float* weight,
                             const float* conv_bias, const float* gamma, const float* beta,
                             const float* running_mean, const float* running_var, float eps,
                             float* folded_bias_out) {
  if (out_channels < 1 || weights_per_channel < 1) {
    return InvalidArgumentError("BatchNorm fold: out_channels " + std::to_string(out_channels) +
                                " and weights per channel " +
                                std::to_string(weights_per_channel) + " must be >= 1");
  }
  if (weight == nullptr || gamma == nullptr || beta == nullptr || running_mean == nullptr ||
      running_var == nullptr || folded_bias_out == nullptr) {
    return InvalidArgumentError("BatchNorm fold: null weight or BatchNorm parameter");
  }
  if (!(eps >= 0.0f)) {
    return InvalidArgumentError("BatchNorm fold: eps " + std::to_string(eps) + " must be >= 0");
  }
  // Validate everything before touching the weights (nothing written on error).
  for (int64_t c = 0; c < out_channels; ++c) {
    const double denom = static_cast<double>(running_var[c]) + eps;
    if (!(denom > 0.0) || !std::isfinite(denom)) {
      return InvalidArgumentError("BatchNorm fold: channel " + std::to_string(c) +
                                  " has running_var " + std::to_string(running_var[c]) +
                                  " (+ eps) that is not positive and finite");
    }
  }
  for (int64_t c = 0; c < out_channels; ++c) {
    const double s = static_cast<double>(gamma[c]) /
                     std::sqrt(static_cast<double>(running_var[c]) + eps);
    float* w = weight + c * weights_per_channel;
    for (int64_t i = 0; i < weights_per_channel; ++i) w[i] = static_cast<float>(w[i] * s);
    const double b = conv_bias != nullptr ? conv_bias[c] : 0.0;
    folded_bias_out[c] = static_cast<float>(beta[c] + (b - running_mean[c]) * s);
  }
  return Status::Ok();
}

}  // namespace cliprt::kernels
