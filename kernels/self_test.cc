#include "kernels/self_test.h"

#include <string>

namespace cliprt::kernels {

Status RunSelfTest(int num_threads, uint32_t seed, std::vector<SelfTestCheck>* checks) {
  if (num_threads > 1024) {
    return InvalidArgumentError("self-test thread count " + std::to_string(num_threads) +
                                " exceeds 1024");
  }
  RETURN_IF_ERROR(RunGemmSelfTest(num_threads, seed, checks));
  RETURN_IF_ERROR(RunOpsSelfTest(num_threads, seed + 1, checks));
  return Status::Ok();
}

}  // namespace cliprt::kernels
