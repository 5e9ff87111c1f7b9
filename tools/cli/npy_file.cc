#include "npy_file.h"

#include <cstring>
#include <fstream>
#include <limits>
#include <string_view>

#include "cli_error.h"
#include "inputs.h"

namespace cliprt_cli {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
constexpr uint64_t kMaxHeaderBytes = 1 << 20;

std::string ShapeText(std::span<const int64_t> shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    s += std::to_string(shape[i]);
    if (shape.size() == 1 || i + 1 < shape.size()) s += ",";
    if (i + 1 < shape.size()) s += " ";
  }
  return s + ")";
}

void WriteNpy(const std::string& path, std::string_view descr, const void* data, size_t bytes,
              std::span<const int64_t> shape) {
  std::string header = "{'descr': '" + std::string(descr) +
                       "', 'fortran_order': False, 'shape': " + ShapeText(shape) + ", }";
  // Magic(6) + version(2) + length(2) + header, padded with spaces so the data
  // starts at a multiple of 64, ending in '\n'.
  const size_t unpadded = kMagicSize + 4 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) InputError("cannot write '" + path + "'");
  out.write(kMagic, kMagicSize);
  const unsigned char version_and_length[4] = {1, 0, static_cast<unsigned char>(header.size() & 0xff),
                                               static_cast<unsigned char>(header.size() >> 8)};
  out.write(reinterpret_cast<const char*>(version_and_length), 4);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
  out.flush();
  if (!out) InputError("writing '" + path + "' failed");
}

// Value of `key` in the header dict, as raw text up to the next top-level comma.
std::string_view DictValue(std::string_view header, std::string_view key) {
  std::string quoted(1, '\'');  // built by appends: GCC 12's -Wrestrict misfires on "'" + s
  quoted += key;
  quoted += '\'';
  const size_t at = header.find(quoted);
  if (at == std::string_view::npos) return {};
  size_t i = header.find(':', at + quoted.size());
  if (i == std::string_view::npos) return {};
  ++i;
  while (i < header.size() && header[i] == ' ') ++i;
  size_t end = i;
  int depth = 0;
  while (end < header.size()) {
    const char c = header[end];
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if ((c == ',' || c == '}') && depth == 0) break;
    ++end;
  }
  return header.substr(i, end - i);
}

}  // namespace

int64_t NpyArray::NumElements() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

void WriteNpyF32(const std::string& path, std::span<const float> values,
                 std::span<const int64_t> shape) {
  WriteNpy(path, "<f4", values.data(), values.size_bytes(), shape);
}

void WriteNpyI64(const std::string& path, std::span<const int64_t> values,
                 std::span<const int64_t> shape) {
  WriteNpy(path, "<i8", values.data(), values.size_bytes(), shape);
}

NpyArray ReadNpy(const std::string& path) { return ParseNpy(ReadWholeFile(path), path); }

NpyArray ParseNpy(std::string_view bytes, const std::string& path) {
  const uint64_t file_size = bytes.size();
  const auto fail = [&](const std::string& what) -> void {
    InputError("'" + path + "' is not a readable .npy file: " + what);
  };
  if (file_size < 10) fail("shorter than the 10-byte preamble");
  const auto* prefix = reinterpret_cast<const unsigned char*>(bytes.data());
  if (std::memcmp(prefix, kMagic, kMagicSize) != 0) fail("bad magic (not \\x93NUMPY)");
  const int major = prefix[6];
  uint64_t header_len = 0;
  uint64_t header_start = 10;
  if (major == 1) {
    header_len = prefix[8] | (static_cast<uint64_t>(prefix[9]) << 8);
  } else if (major == 2 || major == 3) {
    if (file_size < 12) fail("truncated header length");
    header_len = prefix[8] | (static_cast<uint64_t>(prefix[9]) << 8) |
                 (static_cast<uint64_t>(prefix[10]) << 16) | (static_cast<uint64_t>(prefix[11]) << 24);
    header_start = 12;
  } else {
    fail("unsupported format version " + std::to_string(major));
  }
  if (header_len > kMaxHeaderBytes || header_start + header_len > file_size) {
    fail("header length " + std::to_string(header_len) + " runs past the end of the file");
  }
  const std::string header(bytes.substr(header_start, header_len));

  std::string_view descr = DictValue(header, "descr");
  if (descr.size() < 2) fail("header has no 'descr'");
  descr = descr.substr(1, descr.size() - 2);  // strip quotes
  if (DictValue(header, "fortran_order") != "False") fail("fortran_order must be False (C order)");
  const std::string_view shape_text = DictValue(header, "shape");
  if (shape_text.size() < 2 || shape_text.front() != '(' || shape_text.back() != ')') {
    fail("header has no 'shape' tuple");
  }
  NpyArray array;
  uint64_t count = 1;
  {
    std::string_view rest = shape_text.substr(1, shape_text.size() - 2);
    while (!rest.empty()) {
      while (!rest.empty() && (rest.front() == ' ' || rest.front() == ',')) rest.remove_prefix(1);
      if (rest.empty()) break;
      uint64_t dim = 0;
      size_t digits = 0;
      while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') {
        if (dim > (uint64_t{1} << 40)) fail("dimension too large in shape " + std::string(shape_text));
        dim = dim * 10 + static_cast<uint64_t>(rest[digits] - '0');
        ++digits;
      }
      if (digits == 0) fail("bad shape " + std::string(shape_text));
      rest.remove_prefix(digits);
      if (array.shape.size() >= 8) fail("more than 8 dimensions");
      array.shape.push_back(static_cast<int64_t>(dim));
      if (dim != 0 && count > std::numeric_limits<uint64_t>::max() / 16 / dim) fail("shape overflows");
      count *= dim;
    }
  }
  size_t item = 0;
  if (descr == "<f4" || descr == "<f8") {
    array.is_float = true;
    item = descr == "<f4" ? 4 : 8;
  } else if (descr == "<i8" || descr == "<u8" || descr == "<i4") {
    item = descr == "<i4" ? 4 : 8;
  } else {
    fail("dtype '" + std::string(descr) + "' is not one of <f4 <f8 <i8 <u8 <i4");
  }
  const uint64_t data_start = header_start + header_len;
  if (file_size - data_start != count * item) {
    fail("shape " + std::string(shape_text) + " of " + std::string(descr) + " needs " +
         std::to_string(count * item) + " data bytes, the file has " +
         std::to_string(file_size - data_start));
  }
  const char* raw = bytes.data() + data_start;
  if (array.is_float) {
    array.floats.resize(count);
    for (uint64_t i = 0; i < count; ++i) {
      if (item == 4) {
        std::memcpy(&array.floats[i], raw + i * 4, 4);
      } else {
        double d;
        std::memcpy(&d, raw + i * 8, 8);
        array.floats[i] = static_cast<float>(d);
      }
    }
  } else {
    array.ints.resize(count);
    for (uint64_t i = 0; i < count; ++i) {
      if (item == 4) {
        int32_t v;
        std::memcpy(&v, raw + i * 4, 4);
        array.ints[i] = v;
      } else {
        std::memcpy(&array.ints[i], raw + i * 8, 8);
      }
    }
  }
  return array;
}

}  // namespace cliprt_cli
