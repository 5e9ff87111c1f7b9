// libFuzzer target: the strict bounded JSON parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "io/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto v = cliprt::io::ParseJson(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
  (void)v;
  return 0;
}
