// libFuzzer target: the retrieval index file reader. A file that loads must
// search, and re-serialize to a file that loads to the same entries (another
// writer may format the identity JSON differently, so bytes may differ once).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include <zlib.h>

#include "api/index_file_format.h"

namespace {

void LoadAndCheck(const uint8_t* data, size_t size) {
  using namespace cliprt::api;
  auto index = DeserializeIndex(std::span<const uint8_t>(data, size), "fuzz.cliprt-index");
  if (!index.ok()) return;
  const std::vector<uint8_t> bytes = SerializeIndex(*index);
  auto again = DeserializeIndex(bytes, "reserialized");
  if (!again.ok() || again->ids() != index->ids() || again->sequence() != index->sequence() ||
      again->identity() != index->identity() || SerializeIndex(*again) != bytes) {
    std::abort();
  }
  std::vector<float> query(static_cast<size_t>(index->dim()), 1.0f);
  auto hits = index->Search(query, 1, 3, nullptr);
  if (!hits.ok()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  LoadAndCheck(data, size);
  // Mutations almost never keep the CRC-32 valid; also try the input with
  // its trailing CRC recomputed so the fuzzer reaches the checks behind it.
  if (size >= 4) {
    std::vector<uint8_t> fixed(data, data + size);
    const uint32_t crc = static_cast<uint32_t>(crc32(0L, fixed.data(), static_cast<uInt>(size - 4)));
    std::memcpy(fixed.data() + size - 4, &crc, 4);
    LoadAndCheck(fixed.data(), fixed.size());
  }
  return 0;
}
