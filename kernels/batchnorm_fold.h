// Folds an inference-mode BatchNorm2d that follows a convolution into the
// convolution's weights and bias, once at model load:
//   s[c]    = gamma[c] / sqrt(running_var[c] + eps)
//   W'[c,:] = W[c,:] · s[c]
//   b'[c]   = beta[c] + (b[c] - running_mean[c]) · s[c]     (b = 0 if the conv has none)
// so that conv(x; W', b') == BN(conv(x; W, b)) up to rounding (s and b' are
// computed in double, then rounded once). ModifiedResNet: every conv is
// bias-free and followed by BN (eps 1e-5).
#pragma once

#include <cstdint>

#include "core/status.h"

namespace cliprt::kernels {

// weight: [out_channels, weights_per_channel] (any layout with the output
// channel outermost, e.g. PyTorch's [cout, cin, kh, kw]); updated in place.
// conv_bias: [out_channels] or nullptr. folded_bias_out: [out_channels],
// written on success (may equal conv_bias). Errors: sizes < 1, null
// pointers, eps < 0, or running_var[c] + eps <= 0 / non-finite (names c).
Status FoldBatchNormIntoConv(int64_t out_channels, int64_t weights_per_channel, float* weight,
                             const float* conv_bias, const float* gamma, const float* beta,
                             const float* running_mean, const float* running_var, float eps,
                             float* folded_bias_out);

}  // namespace cliprt::kernels
