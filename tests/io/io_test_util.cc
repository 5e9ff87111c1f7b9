#include "io_test_util.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "common/test_paths.h"
#include "io/mapped_file.h"
#include "io/sha256.h"

namespace cliprt::io::testing {

std::string IoData(const std::string& rel) { return cliprt::testing::TestDataDir() + "/io/" + rel; }

std::string ManifestDir() { return cliprt::testing::TestDataDir() + "/../../models/manifests"; }

JsonValue ReadJsonFixture(const std::string& path) {
  auto file = MappedFile::Open(path);
  EXPECT_TRUE(file.ok()) << file.status().ToString();
  if (!file.ok()) return JsonValue();
  auto json = ParseJson(std::string_view(reinterpret_cast<const char*>((*file)->data()), (*file)->size()), path);
  EXPECT_TRUE(json.ok()) << json.status().ToString();
  return json.ok() ? *json : JsonValue();
}

std::string TensorBytesSha256(const Tensor& t) {
  const size_t elem = DTypeSize(t.dtype());
  const int64_t n = t.numel();
  std::vector<uint8_t> bytes(static_cast<size_t>(n) * elem);
  const int rank = t.rank();
  int64_t index[kMaxRank] = {};
  const auto* base = static_cast<const uint8_t*>(t.data());
  for (int64_t k = 0; k < n; ++k) {
    int64_t off = 0;
    for (int i = 0; i < rank; ++i) off += index[i] * t.strides()[i];
    std::memcpy(bytes.data() + k * elem, base + off * elem, elem);
    for (int i = rank - 1; i >= 0; --i) {
      if (++index[i] < t.dim(i)) break;
      index[i] = 0;
    }
  }
  auto h = Sha256Hex(bytes.data(), bytes.size());
  return h.ok() ? *h : "";
}

}  // namespace cliprt::io::testing
