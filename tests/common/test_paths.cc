#include "common/test_paths.h"

#include <cstdlib>
#include <filesystem>

namespace cliprt::testing {

std::string TestDataDir() { return CLIPRT_TEST_DATA_DIR; }

std::string TestAssetsDir() {
  const char* env = std::getenv("CLIPRT_TEST_ASSETS");
  if (env != nullptr && env[0] != '\0') return env;
  return CLIPRT_DEFAULT_ASSETS_DIR;
}

std::string FindTestAsset(const std::string& name) {
  const std::filesystem::path path = std::filesystem::path(TestAssetsDir()) / name;
  std::error_code ec;
  return std::filesystem::exists(path, ec) ? path.string() : std::string();
}

}  // namespace cliprt::testing
