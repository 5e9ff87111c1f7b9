// Fused attention, scalar: 4 query rows × 2 vectors of keys per register tile
// (algorithm: kernels/f32_attention_impl.h).
#include "kernels/scalar/f32_vec_scalar.h"
#include "kernels/f32_attention_impl.h"
#include "kernels/ops_kernels.h"

namespace cliprt::kernels {

void f32_attention_4x2v__scalar(const F32AttentionArgs& args, int64_t b, int64_t h,
                              int64_t q_begin, int64_t q_end, bool pack_kv, float* scratch) {
  AttentionQueries<scalar::VecF32>(args, b, h, q_begin, q_end, pack_kv, scratch);
}

}  // namespace cliprt::kernels
