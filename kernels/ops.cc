#include "kernels/ops.h"

#include <string>

namespace cliprt::kernels {
namespace {

// Elementwise work is split into blocks of this many floats (a multiple of
// every vector width, so block edges never change how an element is computed).
constexpr int64_t kElementBlock = 16384;

Status CheckRows(const char* op, int64_t rows, int64_t dim, const void* x, int64_t ldx,
                 const void* y, int64_t ldy) {
  if (rows < 0 || dim < 1) {
    return InvalidArgumentError(std::string(op) + ": rows " + std::to_string(rows) + " and dim " +
                                std::to_string(dim) + " must be >= 0 and >= 1");
  }
  if (ldx < dim || ldy < dim) {
    return InvalidArgumentError(std::string(op) + ": row strides ldx " + std::to_string(ldx) +
                                ", ldy " + std::to_string(ldy) + " must be >= dim " +
                                std::to_string(dim));
  }
  if (rows > 0 && (x == nullptr || y == nullptr)) {
    return InvalidArgumentError(std::string(op) + ": null input or output pointer");
  }
  return Status::Ok();
}

Status CheckElements(const char* op, int64_t n, const void* x, const void* y) {
  if (n < 0) return InvalidArgumentError(std::string(op) + ": negative length " + std::to_string(n));
  if (n > 0 && (x == nullptr || y == nullptr)) {
    return InvalidArgumentError(std::string(op) + ": null input or output pointer");
  }
  return Status::Ok();
}

template <typename F>
void ForRows(int64_t rows, ThreadPool* pool, F f) {
  auto body = [&](int64_t begin, int64_t end, int /*thread*/) {
    for (int64_t r = begin; r < end; ++r) f(r);
  };
  if (pool != nullptr) {
    pool->ParallelFor(rows, body);
  } else {
    body(0, rows, 0);
  }
}

template <typename F>
void ForElementBlocks(int64_t n, ThreadPool* pool, F f) {
  const int64_t blocks = (n + kElementBlock - 1) / kElementBlock;
  ForRows(blocks, pool, [&](int64_t blk) {
    const int64_t begin = blk * kElementBlock;
    const int64_t count = n - begin < kElementBlock ? n - begin : kElementBlock;
    f(begin, count);
  });
}

}  // namespace

const char* ActivationName(Activation activation) {
  switch (activation) {
    case Activation::kGeluErf: return "gelu_erf";
    case Activation::kGeluTanh: return "gelu_tanh";
    case Activation::kQuickGelu: return "quick_gelu";
    case Activation::kRelu: return "relu";
  }
  return "unknown";
}

Status LayerNorm(const OpsKernels& ops, int64_t rows, int64_t dim, const float* x, int64_t ldx,
                 const float* gamma, const float* beta, float eps, float* y, int64_t ldy,
                 ThreadPool* pool) {
  RETURN_IF_ERROR(CheckRows("LayerNorm", rows, dim, x, ldx, y, ldy));
  if (!(eps >= 0.0f)) {
    return InvalidArgumentError("LayerNorm: eps " + std::to_string(eps) + " must be >= 0");
  }
  ForRows(rows, pool, [&](int64_t r) {
    ops.layernorm(dim, x + r * ldx, gamma, beta, eps, y + r * ldy);
  });
  return Status::Ok();
}

Status Softmax(const OpsKernels& ops, int64_t rows, int64_t dim, const float* x, int64_t ldx,
               float* y, int64_t ldy, ThreadPool* pool) {
  RETURN_IF_ERROR(CheckRows("Softmax", rows, dim, x, ldx, y, ldy));
  ForRows(rows, pool, [&](int64_t r) { ops.softmax(dim, x + r * ldx, y + r * ldy); });
  return Status::Ok();
}

Status L2Normalize(const OpsKernels& ops, int64_t rows, int64_t dim, const float* x, int64_t ldx,
                   float eps, float* y, int64_t ldy, ThreadPool* pool) {
  RETURN_IF_ERROR(CheckRows("L2Normalize", rows, dim, x, ldx, y, ldy));
  if (!(eps >= 0.0f)) {
    return InvalidArgumentError("L2Normalize: eps " + std::to_string(eps) + " must be >= 0");
  }
  ForRows(rows, pool, [&](int64_t r) { ops.l2_normalize(dim, x + r * ldx, eps, y + r * ldy); });
  return Status::Ok();
}

Status ApplyActivation(const OpsKernels& ops, Activation activation, int64_t n, const float* x,
                       float* y, ThreadPool* pool) {
  RETURN_IF_ERROR(CheckElements(ActivationName(activation), n, x, y));
  F32UnaryFn fn = nullptr;
  switch (activation) {
    case Activation::kGeluErf: fn = ops.gelu_erf; break;
    case Activation::kGeluTanh: fn = ops.gelu_tanh; break;
    case Activation::kQuickGelu: fn = ops.quick_gelu; break;
    case Activation::kRelu: fn = ops.relu; break;
  }
  if (fn == nullptr) {
    return InvalidArgumentError("ApplyActivation: unknown activation " +
                                std::to_string(static_cast<int>(activation)));
  }
  ForElementBlocks(n, pool, [&](int64_t begin, int64_t count) { fn(count, x + begin, y + begin); });
  return Status::Ok();
}

Status Add(int64_t n, const float* a, const float* b, float* y, ThreadPool* pool) {
  RETURN_IF_ERROR(CheckElements("Add", n, a, y));
  if (n > 0 && b == nullptr) return InvalidArgumentError("Add: null second input");
  ForElementBlocks(n, pool, [&](int64_t begin, int64_t count) {
    for (int64_t i = begin; i < begin + count; ++i) y[i] = a[i] + b[i];
  });
  return Status::Ok();
}

Status Scale(int64_t n, const float* x, float s, float* y, ThreadPool* pool) {
  RETURN_IF_ERROR(CheckElements("Scale", n, x, y));
  ForElementBlocks(n, pool, [&](int64_t begin, int64_t count) {
    for (int64_t i = begin; i < begin + count; ++i) y[i] = x[i] * s;
  });
  return Status::Ok();
}

Status MeanPool(int64_t batch, int64_t tokens, int64_t dim, const float* x, int64_t batch_stride,
                int64_t row_stride, float* y, int64_t ldy, ThreadPool* pool) {
  if (batch < 0 || tokens < 1 || dim < 1) {
    return InvalidArgumentError("MeanPool: batch " + std::to_string(batch) + ", tokens " +
                                std::to_string(tokens) + ", dim " + std::to_string(dim) +
                                " must be >= 0, >= 1, >= 1");
  }
  if (row_stride < dim || ldy < dim || batch_stride < 0) {
    return InvalidArgumentError("MeanPool: strides (batch " + std::to_string(batch_stride) +
                                ", row " + std::to_string(row_stride) + ", ldy " +
                                std::to_string(ldy) + ") too small for dim " + std::to_string(dim));
  }
  if (batch > 0 && (x == nullptr || y == nullptr)) {
    return InvalidArgumentError("MeanPool: null input or output pointer");
  }
  ForRows(batch, pool, [&](int64_t b) {
    const float* xb = x + b * batch_stride;
    float* yb = y + b * ldy;
    for (int64_t c = 0; c < dim; ++c) yb[c] = xb[c];
    for (int64_t t = 1; t < tokens; ++t) {
      const float* row = xb + t * row_stride;
      for (int64_t c = 0; c < dim; ++c) yb[c] += row[c];
    }
    // Divide (not multiply by 1/tokens) as torch.mean does.
    for (int64_t c = 0; c < dim; ++c) yb[c] /= static_cast<float>(tokens);
  });
  return Status::Ok();
}

}  // namespace cliprt::kernels
