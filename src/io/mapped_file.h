// A read-only memory mapping of a whole file, shared by every tensor that
// borrows from it (the mapping is the Tensor keepalive).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"

namespace cliprt::io {

// Bytes of one input: a mapped file or an in-memory buffer (fuzzers, tests).
// `keepalive` owns whatever `data` points into.
struct ByteSource {
  const uint8_t* data = nullptr;
  size_t size = 0;
  std::shared_ptr<const void> keepalive;
  std::string name;  // file path or a label, used in error messages
};

class MappedFile {
 public:
  // Maps `path` read-only (MAP_PRIVATE). Empty files map to a null pointer
  // with size 0. Directories and unreadable files are errors naming the path.
  static StatusOr<std::shared_ptr<const MappedFile>> Open(const std::string& path);

  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  const std::string& path() const { return path_; }

  // Drops the resident pages fully inside [p, p + n) (madvise DONTNEED); they
  // are re-read from the file if touched again, so contents never change.
  // For consumers that converted or packed a tensor and no longer read the
  // mapped copy. Returns false (and does nothing) if the range is not inside
  // this mapping.
  bool DropPages(const void* p, size_t n) const;

  // A ByteSource over the whole mapping that keeps `self` alive.
  static ByteSource AsSource(const std::shared_ptr<const MappedFile>& self);

 private:
  MappedFile(std::string path, const uint8_t* data, size_t size)
      : path_(std::move(path)), data_(data), size_(size) {}
  std::string path_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// Copies `size` bytes into an owned buffer (for inputs that are not files).
ByteSource CopyToSource(const uint8_t* data, size_t size, std::string name);

}  // namespace cliprt::io
