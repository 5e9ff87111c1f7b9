#include "io/zip_reader.h"

#include <zlib.h>

#include <algorithm>

namespace cliprt::io {
namespace {

constexpr uint32_t kLocalSig = 0x04034b50;
constexpr uint32_t kCentralSig = 0x02014b50;
constexpr uint32_t kEocdSig = 0x06054b50;
constexpr uint32_t kZip64EocdSig = 0x06064b50;
constexpr uint32_t kZip64LocatorSig = 0x07064b50;
constexpr size_t kEocdSize = 22;
constexpr size_t kCentralSize = 46;
constexpr size_t kLocalSize = 30;

uint16_t U16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t U32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
uint64_t U64(const uint8_t* p) { return U32(p) | (static_cast<uint64_t>(U32(p + 4)) << 32); }

Status CheckName(const std::string& name, const std::string& file) {
  auto bad = [&](const char* why) {
    return CorruptDataError("zip " + file + ": entry name \"" + name + "\" " + why);
  };
  if (name.empty()) return bad("is empty");
  if (name.size() > 4096) return bad("is longer than 4096 bytes");
  if (name[0] == '/') return bad("is an absolute path");
  if (name.find('\\') != std::string::npos) return bad("contains a backslash");
  if (name.find('\0') != std::string::npos) return bad("contains a NUL byte");
  if (name.size() >= 2 && name[1] == ':') return bad("starts with a drive letter");
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    const std::string_view part(name.data() + start, end - start);
    if (part == "..") return bad("contains a '..' component");
    start = end + 1;
  }
  return Status::Ok();
}

}  // namespace

bool LooksLikeZip(const uint8_t* data, size_t size) {
  return size >= 4 && U32(data) == kLocalSig;
}

StatusOr<ZipArchive> ZipArchive::Open(const ByteSource& src, const ZipLimits& limits) {
  const std::string& file = src.name;
  const uint8_t* d = src.data;
  const uint64_t n = src.size;
  auto corrupt = [&](const std::string& what) {
    return CorruptDataError("zip " + file + ": " + what);
  };
  if (n < kEocdSize) return corrupt("too short for an end-of-central-directory record");

  // The EOCD record is at the end, followed by a comment of <= 65535 bytes.
  uint64_t eocd = UINT64_MAX;
  const uint64_t lowest = n - kEocdSize > 0xFFFF ? n - kEocdSize - 0xFFFF : 0;
  for (uint64_t pos = n - kEocdSize + 1; pos-- > lowest;) {
    if (U32(d + pos) == kEocdSig && pos + kEocdSize + U16(d + pos + 20) == n) {
      eocd = pos;
      break;
    }
  }
  if (eocd == UINT64_MAX) return corrupt("no end-of-central-directory record (truncated file?)");
  const uint8_t* e = d + eocd;
  if (U16(e + 4) != 0 || (U16(e + 6) != 0 && U16(e + 6) != 0xFFFF)) {
    return corrupt("multi-disk archives are not supported");
  }
  uint64_t count = U16(e + 10);
  uint64_t cd_size = U32(e + 12);
  uint64_t cd_offset = U32(e + 16);
  if (U16(e + 8) != U16(e + 10)) return corrupt("entry counts of the EOCD record disagree");
  const bool zip64 = count == 0xFFFF || cd_size == 0xFFFFFFFF || cd_offset == 0xFFFFFFFF;
  uint64_t directory_end = eocd;  // the central directory must end before this
  if (zip64 || (eocd >= 20 && U32(d + eocd - 20) == kZip64LocatorSig)) {
    if (eocd < 20 || U32(d + eocd - 20) != kZip64LocatorSig) {
      return corrupt("EOCD requires ZIP64 but there is no ZIP64 locator");
    }
    const uint64_t rec = U64(d + eocd - 20 + 8);
    if (rec > eocd - 20 || eocd - 20 - rec < 56) {
      return corrupt("ZIP64 EOCD offset " + std::to_string(rec) + " is out of range");
    }
    const uint8_t* z = d + rec;
    if (U32(z) != kZip64EocdSig) return corrupt("bad ZIP64 EOCD signature");
    if (U64(z + 24) != U64(z + 32)) return corrupt("entry counts of the ZIP64 record disagree");
    count = U64(z + 32);
    cd_size = U64(z + 40);
    cd_offset = U64(z + 48);
    directory_end = rec;
  }
  if (count > limits.max_entries) {
    return ResourceExhaustedError("zip " + file + ": " + std::to_string(count) +
                                  " entries exceed the limit of " +
                                  std::to_string(limits.max_entries));
  }
  if (cd_offset > directory_end || cd_size > directory_end - cd_offset) {
    return corrupt("central directory [" + std::to_string(cd_offset) + ", +" +
                   std::to_string(cd_size) + ") lies outside the file");
  }
  if (count > cd_size / kCentralSize) {
    return corrupt(std::to_string(count) + " entries cannot fit in a central directory of " +
                   std::to_string(cd_size) + " bytes");
  }

  ZipArchive archive;
  archive.src_ = src;
  archive.entries_.reserve(count);
  uint64_t pos = cd_offset;
  const uint64_t cd_end = cd_offset + cd_size;
  for (uint64_t i = 0; i < count; ++i) {
    const std::string at = " (central entry " + std::to_string(i) + " at byte " +
                           std::to_string(pos) + ")";
    if (cd_end - pos < kCentralSize) return corrupt("central directory truncated" + at);
    const uint8_t* c = d + pos;
    if (U32(c) != kCentralSig) return corrupt("bad central header signature" + at);
    const uint16_t flags = U16(c + 8);
    ZipEntry entry;
    entry.method = U16(c + 10);
    entry.crc32 = U32(c + 16);
    entry.compressed_size = U32(c + 20);
    entry.size = U32(c + 24);
    const uint16_t name_len = U16(c + 28);
    const uint16_t extra_len = U16(c + 30);
    const uint16_t comment_len = U16(c + 32);
    entry.header_offset = U32(c + 42);
    const uint64_t var_len = uint64_t{name_len} + extra_len + comment_len;
    if (cd_end - pos - kCentralSize < var_len) return corrupt("central entry truncated" + at);
    entry.name.assign(reinterpret_cast<const char*>(c + kCentralSize), name_len);
    RETURN_IF_ERROR(CheckName(entry.name, file));
    if (flags & 1) return corrupt("entry \"" + entry.name + "\" is encrypted");
    // ZIP64 extended information: fields present only where the 32-bit
    // value is saturated, in the order size, compressed size, offset.
    const uint8_t* x = c + kCentralSize + name_len;
    const uint8_t* x_end = x + extra_len;
    while (x_end - x >= 4) {
      const uint16_t id = U16(x);
      const uint16_t len = U16(x + 2);
      if (x_end - x - 4 < len) return corrupt("extra field overruns entry \"" + entry.name + "\"");
      if (id == 0x0001) {
        const uint8_t* f = x + 4;
        const uint8_t* f_end = f + len;
        auto take = [&](uint64_t& field) -> Status {
          if (f_end - f < 8) return corrupt("short ZIP64 extra field in \"" + entry.name + "\"");
          field = U64(f);
          f += 8;
          return Status::Ok();
        };
        if (entry.size == 0xFFFFFFFF) RETURN_IF_ERROR(take(entry.size));
        if (entry.compressed_size == 0xFFFFFFFF) RETURN_IF_ERROR(take(entry.compressed_size));
        if (entry.header_offset == 0xFFFFFFFF) RETURN_IF_ERROR(take(entry.header_offset));
      }
      x += 4 + len;
    }
    if (!archive.by_name_.emplace(entry.name, archive.entries_.size()).second) {
      return corrupt("duplicate entry name \"" + entry.name + "\"");
    }
    if (entry.method == 0 && entry.compressed_size != entry.size) {
      return corrupt("stored entry \"" + entry.name + "\" has different compressed (" +
                     std::to_string(entry.compressed_size) + ") and uncompressed (" +
                     std::to_string(entry.size) + ") sizes");
    }
    // Local header: must agree with the central one.
    const uint64_t lh = entry.header_offset;
    if (lh > cd_offset || cd_offset - lh < kLocalSize) {
      return corrupt("local header of \"" + entry.name + "\" at " + std::to_string(lh) +
                     " is outside the data area");
    }
    const uint8_t* l = d + lh;
    if (U32(l) != kLocalSig) return corrupt("bad local header signature for \"" + entry.name + "\"");
    if (U16(l + 8) != entry.method) {
      return corrupt("local and central compression methods of \"" + entry.name + "\" differ");
    }
    const uint16_t lname_len = U16(l + 26);
    const uint16_t lextra_len = U16(l + 28);
    const uint64_t header_size = kLocalSize + uint64_t{lname_len} + lextra_len;
    if (cd_offset - lh < header_size) {
      return corrupt("local header of \"" + entry.name + "\" overruns the central directory");
    }
    if (std::string_view(reinterpret_cast<const char*>(l + kLocalSize), lname_len) != entry.name) {
      return corrupt("local and central names differ for \"" + entry.name + "\"");
    }
    if (!(U16(l + 6) & 8)) {  // sizes are in the local header (no data descriptor)
      const uint32_t lcsize = U32(l + 18);
      const uint32_t lsize = U32(l + 22);
      if ((lcsize != 0xFFFFFFFF && lcsize != entry.compressed_size) ||
          (lsize != 0xFFFFFFFF && lsize != entry.size)) {
        return corrupt("local and central sizes of \"" + entry.name + "\" differ");
      }
    }
    entry.data_offset = lh + header_size;
    if (entry.compressed_size > cd_offset - entry.data_offset) {
      return corrupt("data of \"" + entry.name + "\" (" + std::to_string(entry.compressed_size) +
                     " bytes at " + std::to_string(entry.data_offset) +
                     ") runs past the start of the central directory");
    }
    archive.entries_.push_back(std::move(entry));
    pos += kCentralSize + var_len;
  }

  // No two entries may share bytes (overlapping entries are a zip-bomb and
  // aliasing trick).
  std::vector<const ZipEntry*> order;
  order.reserve(archive.entries_.size());
  for (const ZipEntry& z : archive.entries_) order.push_back(&z);
  std::sort(order.begin(), order.end(), [](const ZipEntry* a, const ZipEntry* b) {
    return a->header_offset < b->header_offset;
  });
  for (size_t i = 1; i < order.size(); ++i) {
    const ZipEntry* prev = order[i - 1];
    if (order[i]->header_offset < prev->data_offset + prev->compressed_size) {
      return corrupt("entries \"" + prev->name + "\" and \"" + order[i]->name + "\" overlap");
    }
  }
  return archive;
}

const ZipEntry* ZipArchive::Find(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? nullptr : &entries_[it->second];
}

StatusOr<std::string_view> ZipArchive::ReadStored(const ZipEntry& entry) const {
  if (entry.method != 0) {
    return UnsupportedError("zip " + src_.name + ": entry \"" + entry.name +
                            "\" is compressed (method " + std::to_string(entry.method) +
                            "); torch archives store tensors and pickles uncompressed");
  }
  return std::string_view(reinterpret_cast<const char*>(src_.data + entry.data_offset),
                          entry.size);
}

StatusOr<std::string_view> ZipArchive::ReadStoredVerified(const ZipEntry& entry) const {
  ASSIGN_OR_RETURN(std::string_view bytes, ReadStored(entry));
  uLong crc = crc32(0L, Z_NULL, 0);
  size_t pos = 0;
  while (pos < bytes.size()) {
    const size_t chunk = std::min<size_t>(bytes.size() - pos, 1u << 30);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + pos), static_cast<uInt>(chunk));
    pos += chunk;
  }
  if (static_cast<uint32_t>(crc) != entry.crc32) {
    return CorruptDataError("zip " + src_.name + ": CRC-32 mismatch in entry \"" + entry.name +
                            "\"");
  }
  return bytes;
}

}  // namespace cliprt::io
