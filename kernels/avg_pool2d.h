// AvgPool2d and the ModifiedResNet downsampling on NHWC feature maps
// [batch, height, width, channels]: PyTorch's nn.AvgPool2d semantics with
// ceil_mode=False — output size floor((in + 2·pad - kernel)/stride) + 1; each
// output is the fp32 sum of its window (in kh, kw order) divided by the
// window size (count_include_pad=True: padded zeros count, PyTorch's default)
// or by the number of real pixels (False). ModifiedResNet uses kernel =
// stride = 2, no padding (its stem pool and the anti-aliased strides).
#pragma once

#include <cstdint>

#include "core/status.h"
#include "core/thread_pool.h"

namespace cliprt::kernels {

struct AvgPool2dParams {
  int64_t kernel_h = 2, kernel_w = 2;
  int64_t stride_h = 2, stride_w = 2;
  int64_t pad_h = 0, pad_w = 0;  // at most half the kernel, as PyTorch requires
  bool count_include_pad = true;
};

// x [batch, in_h, in_w, channels] dense; y [batch, out_h, out_w, channels]
// dense. Output rows are split across the pool (bit-identical for any thread
// count). Errors (nothing written): sizes, padding > kernel/2, window larger
// than the padded input, null pointers.
Status AvgPool2d(const AvgPool2dParams& params, int64_t batch, int64_t in_h, int64_t in_w,
                 int64_t channels, const float* x, float* y, ThreadPool* pool);

}  // namespace cliprt::kernels
