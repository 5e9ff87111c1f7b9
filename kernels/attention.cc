#include "kernels/attention.h"

#include <cmath>
#include <string>

#include "kernels/ops_dispatch.h"

namespace cliprt::kernels {
namespace {

// Largest kv_len / head_dim accepted: far above any CLIP model, low enough
// that scratch sizes cannot overflow.
constexpr int64_t kMaxAttentionDim = int64_t{1} << 20;

Status CheckStrides(const char* name, const void* p, int64_t batch_stride, int64_t row_stride,
                    int64_t row_width) {
  if (p == nullptr) return InvalidArgumentError(std::string("attention: ") + name + " is null");
  if (batch_stride < 0 || row_stride < row_width) {
    return InvalidArgumentError(std::string("attention: ") + name + " batch stride " +
                                std::to_string(batch_stride) + " must be >= 0 and row stride " +
                                std::to_string(row_stride) + " >= heads·head_dim " +
                                std::to_string(row_width));
  }
  return Status::Ok();
}

}  // namespace

float AttentionDefaultScale(int64_t head_dim) {
  return static_cast<float>(1.0 / std::sqrt(static_cast<double>(head_dim)));
}

size_t F32AttentionScratchFloatsPerThread(int64_t kv_len, int64_t head_dim) {
  // Kᵀ [head_dim, kv_pad], mask bias [kv_pad], scores [kAttentionMaxRowTile,
  // kv_pad], V copy [kv_pad, head_dim rounded up to 16]; kv_pad is a multiple
  // of 32, so every region stays 128-byte aligned.
  return static_cast<size_t>((head_dim + 1 + kAttentionMaxRowTile + AttentionPackedVStride(head_dim)) *
                             AttentionKvPad(kv_len));
}

size_t F32AttentionScratchFloats(int64_t kv_len, int64_t head_dim, int num_threads) {
  return F32AttentionScratchFloatsPerThread(kv_len, head_dim) *
         static_cast<size_t>(num_threads < 1 ? 1 : num_threads);
}

Status F32Attention(const OpsKernels& kernels, const F32AttentionArgs& a, ThreadPool* pool,
                    float* scratch, size_t scratch_floats) {
  if (a.batch < 0 || a.heads < 1 || a.q_len < 0 || a.kv_len < 1 || a.head_dim < 1 ||
      a.kv_len > kMaxAttentionDim || a.head_dim > kMaxAttentionDim || a.heads > kMaxAttentionDim) {
    return InvalidArgumentError(
        "attention: batch " + std::to_string(a.batch) + ", heads " + std::to_string(a.heads) +
        ", q_len " + std::to_string(a.q_len) + ", kv_len " + std::to_string(a.kv_len) +
        ", head_dim " + std::to_string(a.head_dim) +
        " out of range (heads, kv_len, head_dim in [1, 2^20]; batch, q_len >= 0)");
  }
  if (a.batch == 0 || a.q_len == 0) return Status::Ok();
  const int64_t width = a.heads * a.head_dim;
  RETURN_IF_ERROR(CheckStrides("q", a.q, a.q_batch_stride, a.q_row_stride, width));
  RETURN_IF_ERROR(CheckStrides("k", a.k, a.k_batch_stride, a.k_row_stride, width));
  RETURN_IF_ERROR(CheckStrides("v", a.v, a.v_batch_stride, a.v_row_stride, width));
  RETURN_IF_ERROR(CheckStrides("out", a.out, a.out_batch_stride, a.out_row_stride, width));
  if (a.key_padding_mask != nullptr && a.batch > 1 && a.mask_batch_stride < a.kv_len) {
    return InvalidArgumentError("attention: key_padding_mask batch stride " +
                                std::to_string(a.mask_batch_stride) + " < kv_len " +
                                std::to_string(a.kv_len));
  }
  if (!std::isfinite(a.scale)) {
    return InvalidArgumentError("attention: scale " + std::to_string(a.scale) + " is not finite");
  }
  const int threads = pool != nullptr ? pool->num_threads() : 1;
  const size_t per_thread = F32AttentionScratchFloatsPerThread(a.kv_len, a.head_dim);
  const size_t needed = per_thread * static_cast<size_t>(threads);
  if (scratch == nullptr || scratch_floats < needed) {
    return InvalidArgumentError("attention: scratch of " + std::to_string(scratch_floats) +
                                " floats, need " + std::to_string(needed) + " for " +
                                std::to_string(threads) + " threads");
  }
  const F32AttentionQueriesFn fn = kernels.attention;

  const int64_t chunks = (a.q_len + kAttentionQueryChunk - 1) / kAttentionQueryChunk;
  const int64_t units = a.batch * a.heads * chunks;
  auto body = [&](int64_t begin, int64_t end, int thread) {
    float* mine = scratch + per_thread * static_cast<size_t>(thread);
    int64_t packed_bh = -1;
    for (int64_t u = begin; u < end; ++u) {
      const int64_t bh = u / chunks;
      const int64_t chunk = u % chunks;
      const int64_t q_begin = chunk * kAttentionQueryChunk;
      const int64_t q_end =
          q_begin + kAttentionQueryChunk < a.q_len ? q_begin + kAttentionQueryChunk : a.q_len;
      fn(a, bh / a.heads, bh % a.heads, q_begin, q_end, bh != packed_bh, mine);
      packed_bh = bh;
    }
  };
  if (pool != nullptr) {
    pool->ParallelFor(units, body);
  } else {
    body(0, units, 0);
  }
  return Status::Ok();
}

}  // namespace cliprt::kernels
