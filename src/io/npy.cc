#include "io/npy.h"

#include <cstring>
#include <fstream>
#include <iterator>

namespace cliprt::io {
namespace {

struct NpyDType {
  const char* descr;
  DType dtype;
};
constexpr NpyDType kDTypes[] = {
    {"<f4", DType::kF32}, {"<f2", DType::kF16}, {"<f8", DType::kF64}, {"<i8", DType::kI64},
    {"<i4", DType::kI32}, {"<i2", DType::kI16}, {"|u1", DType::kU8},  {"|i1", DType::kI8},
    {"|b1", DType::kBool},
};

// Value of 'key' in the header dict: the text after "'key':" up to the
// matching delimiter, or "" when absent.
std::string HeaderField(const std::string& header, const std::string& key) {
  const size_t k = header.find("'" + key + "'");
  if (k == std::string::npos) return "";
  size_t p = header.find(':', k);
  if (p == std::string::npos) return "";
  ++p;
  while (p < header.size() && header[p] == ' ') ++p;
  if (p >= header.size()) return "";
  if (header[p] == '\'') {
    const size_t e = header.find('\'', p + 1);
    return e == std::string::npos ? "" : header.substr(p + 1, e - p - 1);
  }
  if (header[p] == '(') {
    const size_t e = header.find(')', p);
    return e == std::string::npos ? "" : header.substr(p, e - p + 1);
  }
  size_t e = p;
  while (e < header.size() && header[e] != ',' && header[e] != '}') ++e;
  return header.substr(p, e - p);
}

StatusOr<Shape> ParseShape(const std::string& text, const std::string& name) {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') {
    return CorruptDataError(name + ": npy header has no shape tuple");
  }
  int64_t values[kMaxRank];
  int rank = 0;
  size_t p = 1;
  while (p < text.size() - 1) {
    while (p < text.size() - 1 && (text[p] == ' ' || text[p] == ',')) ++p;
    if (p >= text.size() - 1) break;
    int64_t v = 0;
    bool any = false;
    while (p < text.size() - 1 && text[p] >= '0' && text[p] <= '9') {
      if (v > (INT64_MAX - 9) / 10) return CorruptDataError(name + ": npy dimension overflows");
      v = v * 10 + (text[p] - '0');
      ++p;
      any = true;
    }
    if (!any) return CorruptDataError(name + ": npy shape \"" + text + "\" is not a tuple of integers");
    if (rank == kMaxRank) return UnsupportedError(name + ": npy rank above " + std::to_string(kMaxRank));
    values[rank++] = v;
  }
  return Dims::FromArray(values, rank);
}

}  // namespace

StatusOr<Tensor> ParseNpy(const uint8_t* data, size_t size, const std::string& name) {
  static const uint8_t kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (size < 10 || std::memcmp(data, kMagic, 6) != 0) {
    return CorruptDataError(name + ": not a .npy file (bad magic)");
  }
  const int major = data[6];
  size_t header_len = 0, offset = 0;
  if (major == 1) {
    header_len = data[8] | (size_t{data[9]} << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (size < 12) return CorruptDataError(name + ": truncated .npy header");
    header_len = data[8] | (size_t{data[9]} << 8) | (size_t{data[10]} << 16) | (size_t{data[11]} << 24);
    offset = 12;
  } else {
    return UnsupportedError(name + ": .npy format version " + std::to_string(major) + " is not supported");
  }
  if (header_len > size - offset) return CorruptDataError(name + ": .npy header runs past the end of the file");
  const std::string header(reinterpret_cast<const char*>(data + offset), header_len);
  offset += header_len;

  const std::string descr = HeaderField(header, "descr");
  const NpyDType* found = nullptr;
  for (const NpyDType& d : kDTypes) {
    if (descr == d.descr) found = &d;
  }
  if (!found) return UnsupportedError(name + ": .npy dtype \"" + descr + "\" is not supported");
  if (HeaderField(header, "fortran_order") != "False") {
    return UnsupportedError(name + ": Fortran-order .npy arrays are not supported");
  }
  ASSIGN_OR_RETURN(Shape shape, ParseShape(HeaderField(header, "shape"), name));
  ASSIGN_OR_RETURN(int64_t count, CheckedNumElements(shape));
  const size_t esize = DTypeSize(found->dtype);
  if (static_cast<uint64_t>(count) > (size - offset) / esize ||
      static_cast<uint64_t>(count) * esize != size - offset) {
    return CorruptDataError(name + ": .npy data is " + std::to_string(size - offset) + " bytes, shape " +
                            shape.ToString() + " of " + descr + " needs " +
                            std::to_string(static_cast<uint64_t>(count) * esize));
  }
  ASSIGN_OR_RETURN(Tensor t, Tensor::Empty(found->dtype, shape));
  if (count > 0) std::memcpy(t.data(), data + offset, static_cast<size_t>(count) * esize);
  return t;
}

StatusOr<Tensor> ReadNpy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot open \"" + path + "\"");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return ParseNpy(bytes.data(), bytes.size(), path);
}

StatusOr<std::vector<uint8_t>> SerializeNpy(const TensorView& t) {
  const char* descr = nullptr;
  for (const NpyDType& d : kDTypes) {
    if (d.dtype == t.dtype()) descr = d.descr;
  }
  if (!descr) return UnsupportedError(std::string("dtype ") + DTypeName(t.dtype()) + " has no .npy form here");
  std::string shape = "(";
  for (int i = 0; i < t.rank(); ++i) shape += std::to_string(t.dim(i)) + (t.rank() == 1 ? "," : i + 1 < t.rank() ? ", " : "");
  shape += ")";
  std::string header = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Magic (6) + version (2) + length (2) + header + '\n' padded to 64 bytes.
  const size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header.push_back('\n');
  ASSIGN_OR_RETURN(int64_t count, CheckedNumElements(t.shape()));
  const size_t esize = DTypeSize(t.dtype());
  std::vector<uint8_t> out;
  out.reserve(10 + header.size() + static_cast<size_t>(count) * esize);
  const uint8_t prefix[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, static_cast<uint8_t>(header.size() & 0xff),
                              static_cast<uint8_t>(header.size() >> 8)};
  out.insert(out.end(), prefix, prefix + 10);
  out.insert(out.end(), header.begin(), header.end());
  // Elements in C order, honoring strides.
  std::vector<int64_t> index(static_cast<size_t>(t.rank()), 0);
  const auto* base = static_cast<const uint8_t*>(t.data());
  for (int64_t n = 0; n < count; ++n) {
    int64_t off = 0;
    for (int i = 0; i < t.rank(); ++i) off += index[static_cast<size_t>(i)] * t.stride(i);
    const uint8_t* src = base + off * static_cast<int64_t>(esize);
    out.insert(out.end(), src, src + esize);
    for (int i = t.rank() - 1; i >= 0; --i) {
      if (++index[static_cast<size_t>(i)] < t.dim(i)) break;
      index[static_cast<size_t>(i)] = 0;
    }
  }
  return out;
}

Status WriteNpy(const std::string& path, const TensorView& t) {
  ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, SerializeNpy(t));
  std::ofstream out(path, std::ios::binary);
  if (!out) return IoError("cannot create \"" + path + "\"");
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) return IoError("cannot write \"" + path + "\"");
  return Status::Ok();
}

}  // namespace cliprt::io
