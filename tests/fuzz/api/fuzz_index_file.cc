// libFuzzer target: the retrieval index file reader. A file that loads must
// search, re-serialize to the same bytes and load again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "api/index_file_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cliprt::api;
  auto index = DeserializeIndex(std::span<const uint8_t>(data, size), "fuzz.cliprt-index");
  if (!index.ok()) return 0;
  std::vector<uint8_t> again = SerializeIndex(*index);
  if (again.size() != size || !std::equal(again.begin(), again.end(), data)) std::abort();
  std::vector<float> query(static_cast<size_t>(index->dim()), 1.0f);
  auto hits = index->Search(query, 1, 3, nullptr);
  if (!hits.ok()) std::abort();
  return 0;
}
