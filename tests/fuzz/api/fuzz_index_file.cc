// libFuzzer target: the retrieval index file reader. A file that loads must
// search, and re-serialize to a file that loads to the same entries (another
// writer may format the identity JSON differently, so bytes may differ once).
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
  const std::vector<uint8_t> bytes = SerializeIndex(*index);
  auto again = DeserializeIndex(bytes, "reserialized");
  if (!again.ok() || again->ids() != index->ids() || again->sequence() != index->sequence() ||
      again->identity() != index->identity() || SerializeIndex(*again) != bytes) {
    std::abort();
  }
  std::vector<float> query(static_cast<size_t>(index->dim()), 1.0f);
  auto hits = index->Search(query, 1, 3, nullptr);
  if (!hits.ok()) std::abort();
  return 0;
}
