// Minimal .npy reader/writer for the CLI: float32 and int64, C order.
//
// The CLI may use only the public API, so it carries its own: writes format
// version 1.0 (little-endian '<f4' / '<i8'); reads versions 1.0-3.0 of those
// two dtypes (plus '<i4'/'<u8' ids and '<f8' values, widened on read), checks
// that the header is well formed and that the data size matches the shape
// before allocating, and names the file and the problem on any error.
#ifndef CLIPRT_TOOLS_CLI_NPY_FILE_H_
#define CLIPRT_TOOLS_CLI_NPY_FILE_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cliprt_cli {

struct NpyArray {
  std::vector<int64_t> shape;
  bool is_float = false;          // f32/f64 on disk → floats; integers → ints
  std::vector<float> floats;
  std::vector<int64_t> ints;
  int64_t NumElements() const;
};

// Throws CliError naming `path` on any I/O or format problem.
void WriteNpyF32(const std::string& path, std::span<const float> values,
                 std::span<const int64_t> shape);
void WriteNpyI64(const std::string& path, std::span<const int64_t> values,
                 std::span<const int64_t> shape);
NpyArray ReadNpy(const std::string& path);
// The same on a file's bytes; `path` only names it in errors.
NpyArray ParseNpy(std::string_view bytes, const std::string& path);

}  // namespace cliprt_cli

#endif  // CLIPRT_TOOLS_CLI_NPY_FILE_H_
