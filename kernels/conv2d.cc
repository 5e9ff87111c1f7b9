#include "kernels/conv2d.h"

#include <cstring>
#include <string>

#include "kernels/ops_dispatch.h"

namespace cliprt::kernels {
namespace {

// Caps keep every size product far from int64 overflow.
constexpr int64_t kMaxConvDim = int64_t{1} << 20;

size_t RoundUp64(size_t bytes) { return (bytes + 63) / 64 * 64; }

Status CheckParams(const Conv2dParams& p) {
  auto bad = [](int64_t v, int64_t lo) { return v < lo || v > kMaxConvDim; };
  if (bad(p.in_channels, 1) || bad(p.out_channels, 1) || bad(p.kernel_h, 1) ||
      bad(p.kernel_w, 1) || bad(p.stride_h, 1) || bad(p.stride_w, 1) || bad(p.pad_h, 0) ||
      bad(p.pad_w, 0) || p.in_channels * p.kernel_h * p.kernel_w > kMaxConvDim) {
    return InvalidArgumentError(
        "conv2d: in_channels " + std::to_string(p.in_channels) + ", out_channels " +
        std::to_string(p.out_channels) + ", kernel " + std::to_string(p.kernel_h) + "x" +
        std::to_string(p.kernel_w) + ", stride " + std::to_string(p.stride_h) + "x" +
        std::to_string(p.stride_w) + ", padding " + std::to_string(p.pad_h) + "x" +
        std::to_string(p.pad_w) + " out of range (sizes >= 1, padding >= 0, cin·kh·kw <= 2^20)");
  }
  return Status::Ok();
}

bool IsDenseNhwc(const Conv2dInput& x, int64_t channels) {
  return x.stride_c == 1 && x.stride_w == channels && x.stride_h == x.width * channels &&
         (x.batch <= 1 || x.stride_n == x.height * x.width * channels);
}

}  // namespace

Conv2dInput Conv2dInputNchw(const float* data, int64_t batch, int64_t channels, int64_t height,
                            int64_t width) {
  return Conv2dInput{data, batch, height, width, channels * height * width, height * width, width,
                     1};
}

Conv2dInput Conv2dInputNhwc(const float* data, int64_t batch, int64_t channels, int64_t height,
                            int64_t width) {
  return Conv2dInput{data, batch, height, width, height * width * channels, 1, width * channels,
                     channels};
}

StatusOr<int64_t> Conv2dOutputSize(int64_t in, int64_t kernel, int64_t stride, int64_t pad) {
  if (in < 1 || in > kMaxConvDim || kernel < 1 || stride < 1 || pad < 0 ||
      in + 2 * pad < kernel) {
    return InvalidArgumentError("conv2d: input size " + std::to_string(in) + " with padding " +
                                std::to_string(pad) + " is smaller than the kernel " +
                                std::to_string(kernel) + " (or a size is out of range)");
  }
  return (in + 2 * pad - kernel) / stride + 1;
}

StatusOr<PackedConv2d> PackedConv2d::Create(const Conv2dParams& params, const float* weight,
                                            const float* bias, GemmPrecision precision) {
  return CreateForIsa(params, weight, bias, precision, ActiveIsaLevel());
}

StatusOr<PackedConv2d> PackedConv2d::CreateForIsa(const Conv2dParams& params, const float* weight,
                                                  const float* bias, GemmPrecision precision,
                                                  IsaLevel isa) {
  RETURN_IF_ERROR(CheckParams(params));
  if (weight == nullptr) return InvalidArgumentError("conv2d: null weight");
  const int64_t cin = params.in_channels, kh = params.kernel_h, kw = params.kernel_w;
  const int64_t k = cin * kh * kw;
  // [cout, cin, kh, kw] → [cout, kh, kw, cin]: the im2col column order, in
  // which a channels-last input row is copied in runs of cin floats.
  ASSIGN_OR_RETURN(AlignedBuffer reordered_buf,
                   AllocateAligned(static_cast<size_t>(params.out_channels * k) * sizeof(float)));
  float* reordered = static_cast<float*>(reordered_buf.get());
  for (int64_t co = 0; co < params.out_channels; ++co) {
    for (int64_t ci = 0; ci < cin; ++ci) {
      for (int64_t y = 0; y < kh; ++y) {
        for (int64_t x = 0; x < kw; ++x) {
          reordered[co * k + (y * kw + x) * cin + ci] = weight[((co * cin + ci) * kh + y) * kw + x];
        }
      }
    }
  }
  PackedConv2d conv;
  conv.params_ = params;
  ASSIGN_OR_RETURN(conv.gemm_, PackedGemmWeights::CreateForIsa(precision, reordered,
                                                               params.out_channels, k, k, isa));
  if (bias != nullptr) {
    ASSIGN_OR_RETURN(conv.bias_, AllocateAligned(static_cast<size_t>(params.out_channels) *
                                                 sizeof(float)));
    std::memcpy(conv.bias_.get(), bias, static_cast<size_t>(params.out_channels) * sizeof(float));
  }
  return conv;
}

StatusOr<size_t> PackedConv2d::ScratchBytes(int64_t batch, int64_t in_h, int64_t in_w,
                                            int num_threads) const {
  ASSIGN_OR_RETURN(const int64_t out_h,
                   Conv2dOutputSize(in_h, params_.kernel_h, params_.stride_h, params_.pad_h));
  ASSIGN_OR_RETURN(const int64_t out_w,
                   Conv2dOutputSize(in_w, params_.kernel_w, params_.stride_w, params_.pad_w));
  if (batch < 0 || batch > kMaxConvDim) {
    return InvalidArgumentError("conv2d: batch " + std::to_string(batch) + " out of range");
  }
  const int64_t rows = batch * out_h * out_w;
  const int64_t block = rows < kConvRowBlock ? rows : kConvRowBlock;
  const int64_t k = params_.in_channels * params_.kernel_h * params_.kernel_w;
  return RoundUp64(static_cast<size_t>(block * k) * sizeof(float)) +
         GemmScratchBytes(gemm_.plan(), block, num_threads < 1 ? 1 : num_threads);
}

Status PackedConv2d::Run(const Conv2dInput& x, float* y, int64_t ldy, const float* residual,
                         int64_t ldr, bool relu, ThreadPool* pool, void* scratch,
                         size_t scratch_bytes) const {
  const Conv2dParams& p = params_;
  if (gemm_.data() == nullptr) return FailedPreconditionError("conv2d: not created");
  if (x.data == nullptr || y == nullptr) return InvalidArgumentError("conv2d: null input/output");
  if (x.stride_n < 0 || x.stride_c < 0 || x.stride_h < 0 || x.stride_w < 0) {
    return InvalidArgumentError("conv2d: negative input stride");
  }
  if (ldy < p.out_channels || (residual != nullptr && ldr < p.out_channels)) {
    return InvalidArgumentError("conv2d: output row stride " + std::to_string(ldy) +
                                " / residual row stride " + std::to_string(ldr) + " < cout " +
                                std::to_string(p.out_channels));
  }
  const int threads = pool != nullptr ? pool->num_threads() : 1;
  ASSIGN_OR_RETURN(const size_t needed, ScratchBytes(x.batch, x.height, x.width, threads));
  if (scratch == nullptr || scratch_bytes < needed) {
    return InvalidArgumentError("conv2d: scratch of " + std::to_string(scratch_bytes) +
                                " bytes, need " + std::to_string(needed));
  }
  const int64_t out_h = (x.height + 2 * p.pad_h - p.kernel_h) / p.stride_h + 1;
  const int64_t out_w = (x.width + 2 * p.pad_w - p.kernel_w) / p.stride_w + 1;
  const int64_t rows = x.batch * out_h * out_w;
  if (rows == 0) return Status::Ok();
  const int64_t cin = p.in_channels;
  const int64_t k = cin * p.kernel_h * p.kernel_w;
  const int64_t block = rows < kConvRowBlock ? rows : kConvRowBlock;
  float* cols = static_cast<float*>(scratch);
  const size_t cols_bytes = RoundUp64(static_cast<size_t>(block * k) * sizeof(float));
  void* gemm_scratch = static_cast<char*>(scratch) + cols_bytes;
  const size_t gemm_scratch_bytes = scratch_bytes - cols_bytes;
  const bool direct = p.kernel_h == 1 && p.kernel_w == 1 && p.stride_h == 1 && p.stride_w == 1 &&
                      p.pad_h == 0 && p.pad_w == 0 && IsDenseNhwc(x, cin);

  // One im2col row: output pixel m → [kh, kw, cin] patch, zeros outside.
  auto im2col_row = [&](int64_t m, float* dst) {
    const int64_t n = m / (out_h * out_w);
    const int64_t oh = (m / out_w) % out_h;
    const int64_t ow = m % out_w;
    const float* xn = x.data + n * x.stride_n;
    for (int64_t ky = 0; ky < p.kernel_h; ++ky) {
      const int64_t ih = oh * p.stride_h - p.pad_h + ky;
      for (int64_t kx = 0; kx < p.kernel_w; ++kx, dst += cin) {
        const int64_t iw = ow * p.stride_w - p.pad_w + kx;
        if (ih < 0 || ih >= x.height || iw < 0 || iw >= x.width) {
          std::memset(dst, 0, static_cast<size_t>(cin) * sizeof(float));
          continue;
        }
        const float* src = xn + ih * x.stride_h + iw * x.stride_w;
        if (x.stride_c == 1) {
          std::memcpy(dst, src, static_cast<size_t>(cin) * sizeof(float));
        } else {
          for (int64_t c = 0; c < cin; ++c) dst[c] = src[c * x.stride_c];
        }
      }
    }
  };

  GemmEpilogue epilogue;
  epilogue.bias = static_cast<const float*>(bias_.get());
  for (int64_t m0 = 0; m0 < rows; m0 += block) {
    const int64_t mb = rows - m0 < block ? rows - m0 : block;
    const float* xm = nullptr;
    int64_t ldx = k;
    if (direct) {
      xm = x.data + m0 * cin;
    } else {
      auto body = [&](int64_t begin, int64_t end, int /*thread*/) {
        for (int64_t r = begin; r < end; ++r) im2col_row(m0 + r, cols + r * k);
      };
      if (pool != nullptr) {
        pool->ParallelFor(mb, body);
      } else {
        body(0, mb, 0);
      }
      xm = cols;
    }
    epilogue.residual = residual != nullptr ? residual + m0 * ldr : nullptr;
    epilogue.ldr = ldr;
    RETURN_IF_ERROR(RunGemm(gemm_.plan(), gemm_.data(), mb, xm, ldx, y + m0 * ldy, ldy, epilogue,
                            pool, gemm_scratch, gemm_scratch_bytes));
    if (relu) {
      // ReLU is exact, so the level of the table does not matter.
      const F32UnaryFn relu_fn = ActiveOpsKernels().relu;
      float* yb = y + m0 * ldy;
      auto body = [&](int64_t begin, int64_t end, int /*thread*/) {
        if (ldy == p.out_channels) {
          relu_fn((end - begin) * ldy, yb + begin * ldy, yb + begin * ldy);
        } else {
          for (int64_t r = begin; r < end; ++r) relu_fn(p.out_channels, yb + r * ldy, yb + r * ldy);
        }
      };
      if (pool != nullptr) {
        pool->ParallelFor(mb, body);
      } else {
        body(0, mb, 0);
      }
    }
  }
  return Status::Ok();
}

}  // namespace cliprt::kernels
