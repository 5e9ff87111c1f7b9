// libFuzzer target: the restricted unpickler on raw pickle bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/pickle.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto graph = cliprt::io::Unpickle(bytes, "fuzz.pkl");
  if (graph.ok()) {
    // Walk the graph a bounded number of steps, as consumers do.
    size_t seen = 0;
    for (const auto& n : graph->nodes) seen += n.items.size();
    (void)seen;
  }
  return 0;
}
