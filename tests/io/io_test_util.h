// Helpers shared by the io tests: reading fixture files and hashing tensors
// the way the fixture script hashed what torch loaded.
#pragma once

#include <string>

#include "io/json.h"
#include "tensor/tensor.h"

namespace cliprt::io::testing {

// tests/data/io/<rel>
std::string IoData(const std::string& rel);
// models/manifests in the source tree.
std::string ManifestDir();

// Parses a JSON fixture file; fails the calling test on error.
JsonValue ReadJsonFixture(const std::string& path);

// SHA-256 of the tensor's elements in C order, in its own dtype
// (little-endian), like numpy's tobytes() of a contiguous torch tensor.
std::string TensorBytesSha256(const Tensor& t);

}  // namespace cliprt::io::testing
