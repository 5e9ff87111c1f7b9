// libFuzzer target: a whole torch.save / TorchScript archive (zip + pickle +
// storage resolution).
#include <cstddef>
#include <cstdint>

#include "io/mapped_file.h"
#include "io/torch_archive.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const cliprt::io::ByteSource src = cliprt::io::CopyToSource(data, size, "fuzz.pt");
  auto set = cliprt::io::ReadTorchArchive(src, nullptr);
  if (set.ok()) {
    volatile uint8_t sink = 0;
    for (const auto& [name, t] : set->tensors) {
      auto wide = t.ToContiguousF32();
      if (wide.ok() && wide->numel() > 0) sink = sink + static_cast<uint8_t>(wide->data_as<float>()[0]);
    }
  }
  return 0;
}
