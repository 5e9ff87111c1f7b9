// Fuzz target for the CLI's own readers of untrusted files: the .npy reader
// (--pixels, --embeddings, --ids, --vector) and the JSON reader (saved
// results given to `cliprt replay`). The first byte picks the reader; the
// rest is the file. Bad input must end in a CliError, never a crash, a
// hang or an unbounded allocation.
//
// The CLI is not part of the library, so its two sources are compiled in.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tools/cli/cli_error.h"
#include "tools/cli/json_value.h"
#include "tools/cli/npy_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    if (data[0] & 1) {
      const cliprt_cli::NpyArray a = cliprt_cli::ParseNpy(bytes, "fuzz.npy");
      // A parsed array holds exactly the elements its shape says.
      const size_t held = a.is_float ? a.floats.size() : a.ints.size();
      if (static_cast<int64_t>(held) != a.NumElements()) __builtin_trap();
    } else {
      const cliprt_cli::JsonValue v = cliprt_cli::ParseJson(bytes, "fuzz.json");
      (void)v.Path("cli_inputs.items[0]");
      (void)v.Path("provenance.model.files[0].path");
    }
  } catch (const cliprt_cli::CliError&) {
  }
  return 0;
}
