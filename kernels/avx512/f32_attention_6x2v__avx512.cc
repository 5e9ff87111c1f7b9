// Fused attention, avx512: 6 query rows × 2 vectors of keys per register tile
// (algorithm: kernels/f32_attention_impl.h).
#include "kernels/avx512/f32_vec_avx512.h"
#include "kernels/f32_attention_impl.h"
#include "kernels/ops_kernels.h"

namespace cliprt::kernels {

void f32_attention_6x2v__avx512(const F32AttentionArgs& args, int64_t b, int64_t h,
                              int64_t q_begin, int64_t q_end, bool pack_kv, float* scratch) {
  AttentionQueries<avx512::VecF32>(args, b, h, q_begin, q_end, pack_kv, scratch);
}

}  // namespace cliprt::kernels
