// libFuzzer target: model-config resolution from hostile HF config.json and
// open_clip_config.json documents (defaults, type checks, arithmetic bounds).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "io/json.h"
#include "io/model_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto json = cliprt::io::ParseJson(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
  if (!json.ok()) return 0;
  auto hf = cliprt::io::ConfigFromHfJson(*json, "fuzz.json");
  cliprt::io::ShapeMap shapes;
  shapes["visual.trunk.patch_embed.proj.weight"] = cliprt::Shape{48, 3, 8, 8};
  shapes["visual.trunk.blocks.0.mlp.fc1.weight"] = cliprt::Shape{192, 48};
  auto oc = cliprt::io::ConfigFromOpenClipJson(*json, shapes, "fuzz.json");
  (void)hf;
  (void)oc;
  return 0;
}
