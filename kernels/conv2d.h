// Conv2d as a packed GEMM, for the ViT patch embedding (kernel = stride,
// bias optional: SigLIP has one) and ModifiedResNet's convolutions (3×3
// stride 1 or 2 with padding 1, 1×1), with BatchNorm folded in at load
// (kernels/batchnorm_fold.h).
//
// Layout. Weights come in PyTorch's [cout, cin, kh, kw]; at load they are
// reordered to [cout, kh, kw, cin] and packed once for the GEMM
// (kernels/gemm.h). The input is addressed by strides — element (n, c, h, w)
// at x[n·s_n + c·s_c + h·s_h + w·s_w] — so an NCHW image and an NHWC feature
// map are both accepted. The output is NHWC: row (n·out_h + oh)·out_w + ow,
// column co, i.e. exactly the [pixels, cout] matrix the GEMM produces (and the
// token layout the patch embedding needs: token = row·grid + col).
//
// Per call, rows of output pixels are processed in blocks of kConvRowBlock:
// im2col of the block (columns ordered kh, kw, cin; zero padding) into the
// caller's scratch, then one GEMM with the epilogue (bias, residual), then
// optional ReLU. A 1×1 / stride 1 / no-padding conv over a dense NHWC input
// skips im2col. Output rows never depend on the blocking or the thread count
// (the GEMM splits only output tiles), so results are bit-identical for any
// number of threads.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/cpu_features.h"
#include "core/status.h"
#include "core/thread_pool.h"
#include "kernels/gemm.h"

namespace cliprt::kernels {

struct Conv2dParams {
  int64_t in_channels = 0;
  int64_t out_channels = 0;
  int64_t kernel_h = 1, kernel_w = 1;
  int64_t stride_h = 1, stride_w = 1;
  int64_t pad_h = 0, pad_w = 0;  // zero padding on each side
};

// Strided view of the input: element (n, c, h, w) at
// data[n·stride_n + c·stride_c + h·stride_h + w·stride_w].
struct Conv2dInput {
  const float* data = nullptr;
  int64_t batch = 0, height = 0, width = 0;
  int64_t stride_n = 0, stride_c = 0, stride_h = 0, stride_w = 0;
};
// Dense NCHW [batch, channels, height, width] / NHWC [batch, height, width, channels].
Conv2dInput Conv2dInputNchw(const float* data, int64_t batch, int64_t channels, int64_t height,
                            int64_t width);
Conv2dInput Conv2dInputNhwc(const float* data, int64_t batch, int64_t channels, int64_t height,
                            int64_t width);

// Output size (PyTorch floor rule); an error if the kernel does not fit.
StatusOr<int64_t> Conv2dOutputSize(int64_t in, int64_t kernel, int64_t stride, int64_t pad);

// Output pixels per im2col/GEMM block.
inline constexpr int64_t kConvRowBlock = 1024;

class PackedConv2d {
 public:
  PackedConv2d() = default;

  // Reorders and packs `weight` [cout, cin, kh, kw] (PyTorch layout) for the
  // GEMM of `isa` (default: the active level); copies `bias` [cout] if given.
  static StatusOr<PackedConv2d> Create(const Conv2dParams& params, const float* weight,
                                       const float* bias,
                                       GemmPrecision precision = GemmPrecision::kF32);
  static StatusOr<PackedConv2d> CreateForIsa(const Conv2dParams& params, const float* weight,
                                             const float* bias, GemmPrecision precision,
                                             IsaLevel isa);

  const Conv2dParams& params() const { return params_; }

  // Scratch bytes Run needs for this input size and thread count.
  StatusOr<size_t> ScratchBytes(int64_t batch, int64_t in_h, int64_t in_w, int num_threads) const;

  // y[pixel, co] (row stride ldy >= cout) = conv(x) + bias [+ residual] then
  // ReLU if `relu`. residual (same layout as y, row stride ldr) may be
  // nullptr or equal y. pool may be nullptr. Errors (nothing written): input
  // channel count or sizes inconsistent, strides, scratch too small.
  Status Run(const Conv2dInput& x, float* y, int64_t ldy, const float* residual, int64_t ldr,
             bool relu, ThreadPool* pool, void* scratch, size_t scratch_bytes) const;

 private:
  Conv2dParams params_;
  PackedGemmWeights gemm_;
  AlignedBuffer bias_;  // [cout] floats or empty
};

}  // namespace cliprt::kernels
