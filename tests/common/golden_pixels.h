// The pixels a golden fixture's reference pipeline fed its vision tower.
//
// Fixtures record them as the SHA-256 of the float32 bytes
// ("pixels_sha256" in golden.json) rather than as a 1–2 MB array: our
// preprocessing of the listed source images (the preset the checkpoint
// implies, api::ChoosePreprocessing) must reproduce them bit for bit, and
// those pixels are then the towers' input. A fixture whose golden.json
// names a "pixels" .npy file is read from it.
#pragma once

#include <string>

#include "core/status.h"
#include "tensor/tensor.h"

namespace cliprt::testing {

// fixture_dir: tests/data/golden/<fixture>. float32 [N, 3, S, S].
StatusOr<Tensor> GoldenPixels(const std::string& fixture_dir);

}  // namespace cliprt::testing
