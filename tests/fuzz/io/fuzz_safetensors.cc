// libFuzzer target: safetensors header and layout validation.
#include <cstddef>
#include <cstdint>

#include "io/mapped_file.h"
#include "io/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const cliprt::io::ByteSource src = cliprt::io::CopyToSource(data, size, "fuzz.safetensors");
  auto set = cliprt::io::ReadSafetensors(src, nullptr);
  if (set.ok()) {
    // Touch every tensor's bytes so out-of-bounds views are caught by ASan.
    volatile uint8_t sink = 0;
    for (const auto& [name, t] : set->tensors) {
      const size_t n = static_cast<size_t>(t.numel()) * cliprt::DTypeSize(t.dtype());
      for (size_t i = 0; i < n; i += 64) sink = sink + static_cast<const uint8_t*>(t.data())[i];
      if (n > 0) sink = sink + static_cast<const uint8_t*>(t.data())[n - 1];
    }
  }
  return 0;
}
