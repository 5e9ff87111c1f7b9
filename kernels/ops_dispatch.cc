#include "kernels/ops_dispatch.h"

namespace cliprt::kernels {
namespace {

#define CLIPRT_OPS_TABLE(level, isa, lanes_, tile)                                             \
  OpsKernels {                                                                                \
    level, lanes_, f32_layernorm__##isa, f32_softmax__##isa, f32_gelu_erf__##isa,             \
        f32_gelu_tanh__##isa, f32_quick_gelu__##isa, f32_relu__##isa, f32_l2_normalize__##isa, \
        f32_attention_##tile##__##isa                                                           \
  }

const OpsKernels kScalarOps = CLIPRT_OPS_TABLE(IsaLevel::kScalar, scalar, 1, 4x2v);
#if defined(__x86_64__) || defined(_M_X64)
const OpsKernels kAvx2Ops = CLIPRT_OPS_TABLE(IsaLevel::kAvx2, avx2, 8, 4x2v);
const OpsKernels kAvx512Ops = CLIPRT_OPS_TABLE(IsaLevel::kAvx512, avx512, 16, 6x2v);
#endif

#undef CLIPRT_OPS_TABLE

}  // namespace

const OpsKernels* OpsKernelsForIsa(IsaLevel level) {
  if (static_cast<int>(level) > static_cast<int>(DetectedIsaLevel())) return nullptr;
  switch (level) {
    case IsaLevel::kScalar:
      return &kScalarOps;
#if defined(__x86_64__) || defined(_M_X64)
    case IsaLevel::kAvx2:
      return &kAvx2Ops;
    case IsaLevel::kAvx512:
      return &kAvx512Ops;
#endif
    default:
      return nullptr;
  }
}

const OpsKernels& ActiveOpsKernels() {
  static const OpsKernels* const table = [] {
    const OpsKernels* t = OpsKernelsForIsa(ActiveIsaLevel());
    return t != nullptr ? t : &kScalarOps;
  }();
  return *table;
}

}  // namespace cliprt::kernels
