// One comparison of a dispatched kernel against its scalar reference.
#pragma once

#include <string>

namespace cliprt::kernels {

struct SelfTestCheck {
  bool passed = false;
  std::string line;  // "pass f32_gemm avx512 M=7 N=33 K=65: max rel err ... (bound ...)"
};

}  // namespace cliprt::kernels
