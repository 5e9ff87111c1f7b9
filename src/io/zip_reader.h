// Reader for the zip container of torch.save / torch.jit.save files.
//
// Only what those writers produce is supported, and everything is checked:
// the end-of-central-directory record (and its ZIP64 form, which torch uses
// past 4 GiB), every central and local header (signatures, names, methods,
// sizes, offsets inside the file, no two entries sharing bytes), entry names
// (no absolute paths, "..", backslashes or NUL), and counts. Entries are not
// decompressed: torch stores tensor data and pickles uncompressed; a
// compressed entry (TorchScript code files are) can be listed but reading it
// is an error, so a zip bomb costs nothing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "io/mapped_file.h"

namespace cliprt::io {

struct ZipEntry {
  std::string name;
  uint16_t method = 0;          // 0 = stored
  uint32_t crc32 = 0;
  uint64_t compressed_size = 0;
  uint64_t size = 0;            // uncompressed size
  uint64_t header_offset = 0;   // local header
  uint64_t data_offset = 0;     // first payload byte (after the local header)
};

struct ZipLimits {
  uint64_t max_entries = 1u << 20;
};

class ZipArchive {
 public:
  // Parses and validates the directory of `src` (which must outlive the
  // archive and any span it returns).
  static StatusOr<ZipArchive> Open(const ByteSource& src, const ZipLimits& limits = ZipLimits());

  const std::vector<ZipEntry>& entries() const { return entries_; }
  const ZipEntry* Find(std::string_view name) const;

  // Payload of a stored entry; error for compressed entries.
  StatusOr<std::string_view> ReadStored(const ZipEntry& entry) const;
  // Same, also checking the CRC-32 (for small records such as pickles).
  StatusOr<std::string_view> ReadStoredVerified(const ZipEntry& entry) const;

  const ByteSource& source() const { return src_; }

 private:
  ByteSource src_;
  std::vector<ZipEntry> entries_;
  std::unordered_map<std::string, size_t> by_name_;  // so lookups stay O(1) on huge directories
};

// True if `data` starts with a zip local-header signature.
bool LooksLikeZip(const uint8_t* data, size_t size);

}  // namespace cliprt::io
