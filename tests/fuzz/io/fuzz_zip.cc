// libFuzzer target: the zip container reader (directory, local headers,
// ZIP64, names, overlaps) and stored-entry access.
#include <cstddef>
#include <cstdint>

#include "io/mapped_file.h"
#include "io/zip_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const cliprt::io::ByteSource src = cliprt::io::CopyToSource(data, size, "fuzz.zip");
  auto zip = cliprt::io::ZipArchive::Open(src);
  if (zip.ok()) {
    volatile uint8_t sink = 0;
    for (const auto& e : zip->entries()) {
      auto bytes = zip->ReadStoredVerified(e);
      if (bytes.ok() && !bytes->empty()) sink = sink + static_cast<uint8_t>((*bytes)[bytes->size() - 1]);
    }
  }
  return 0;
}
