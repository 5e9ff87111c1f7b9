// Retrieval index file, version 1 (layout: docs/provenance.md).
#include "api/index_file_format.h"

#include <zlib.h>

#include <bit>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "api/json_fields.h"
#include "io/json.h"
#include "io/mapped_file.h"

namespace cliprt::api {
namespace {

static_assert(std::endian::native == std::endian::little, "the index file is little-endian; add byte swaps");

constexpr size_t kHeaderBytes = 48;
constexpr uint64_t kMaxIdentityBytes = 1 << 20;

void PutU32(std::vector<uint8_t>* out, uint32_t v) {
  const size_t at = out->size();
  out->resize(at + 4);
  std::memcpy(out->data() + at, &v, 4);
}
void PutU64(std::vector<uint8_t>* out, uint64_t v) {
  const size_t at = out->size();
  out->resize(at + 8);
  std::memcpy(out->data() + at, &v, 8);
}
void PutBytes(std::vector<uint8_t>* out, const void* data, size_t n) {
  const size_t at = out->size();
  out->resize(at + n);
  if (n) std::memcpy(out->data() + at, data, n);
}

uint32_t Crc32(const uint8_t* data, size_t n) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (n > 0) {  // zlib takes uInt lengths
    const uInt step = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    crc = crc32(crc, data, step);
    data += step;
    n -= step;
  }
  return static_cast<uint32_t>(crc);
}

Status Corrupt(std::string_view source, size_t offset, const std::string& what) {
  return CorruptDataError(std::string(source) + ": byte " + std::to_string(offset) + ": " + what);
}

}  // namespace

std::vector<uint8_t> SerializeIndex(const RetrievalIndex& index) {
  const std::string identity = IndexIdentityJson(index.identity());
  std::vector<uint8_t> out;
  out.reserve(kHeaderBytes + identity.size() + index.ids().size() * 16 + index.embeddings().size() * 4 + 4);
  PutBytes(&out, kIndexFileMagic, 8);
  PutU32(&out, kIndexFileVersion);
  PutU32(&out, 0);  // flags, reserved
  PutU64(&out, static_cast<uint64_t>(index.dim()));
  PutU64(&out, static_cast<uint64_t>(index.size()));
  PutU64(&out, index.next_sequence());
  PutU64(&out, identity.size());
  PutBytes(&out, identity.data(), identity.size());
  PutBytes(&out, index.ids().data(), index.ids().size() * 8);
  PutBytes(&out, index.sequence().data(), index.sequence().size() * 8);
  PutBytes(&out, index.embeddings().data(), index.embeddings().size() * 4);
  PutU32(&out, Crc32(out.data(), out.size()));
  return out;
}

StatusOr<RetrievalIndex> DeserializeIndex(std::span<const uint8_t> bytes, std::string_view source) {
  const uint8_t* p = bytes.data();
  const size_t size = bytes.size();
  if (size < kHeaderBytes + 4) {
    return Corrupt(source, 0, "file is " + std::to_string(size) + " bytes, shorter than the " +
                                  std::to_string(kHeaderBytes + 4) + "-byte minimum of an index file");
  }
  if (std::memcmp(p, kIndexFileMagic, 8) != 0) return Corrupt(source, 0, "not a cliprt index file (bad magic)");
  uint32_t version, flags;
  uint64_t dim, count, next_sequence, identity_bytes;
  std::memcpy(&version, p + 8, 4);
  std::memcpy(&flags, p + 12, 4);
  std::memcpy(&dim, p + 16, 8);
  std::memcpy(&count, p + 24, 8);
  std::memcpy(&next_sequence, p + 32, 8);
  std::memcpy(&identity_bytes, p + 40, 8);
  if (version != kIndexFileVersion) {
    return UnsupportedError(std::string(source) + ": index file version " + std::to_string(version) +
                            " is not supported (this build reads version " + std::to_string(kIndexFileVersion) + ")");
  }
  if (flags != 0) return Corrupt(source, 12, "reserved flags are " + std::to_string(flags) + ", expected 0");
  if (dim < 1 || dim > static_cast<uint64_t>(kMaxIndexDim)) {
    return Corrupt(source, 16, "dim " + std::to_string(dim) + " is not within 1.." + std::to_string(kMaxIndexDim));
  }
  size_t remaining = size - kHeaderBytes - 4;  // minus the CRC
  if (identity_bytes > kMaxIdentityBytes || identity_bytes > remaining) {
    return Corrupt(source, 40, "identity length " + std::to_string(identity_bytes) + " exceeds " +
                                   (identity_bytes > kMaxIdentityBytes ? "the 1 MiB limit" : "the file"));
  }
  remaining -= identity_bytes;
  const uint64_t per_entry = 16 + 4 * dim;
  if (count > remaining / per_entry || count * per_entry != remaining) {
    return Corrupt(source, 24, std::to_string(count) + " entries of dim " + std::to_string(dim) + " need " +
                                   (count > remaining / per_entry ? "more than" : std::to_string(count * per_entry)) +
                                   " bytes, the file holds " + std::to_string(remaining));
  }
  uint32_t stored_crc;
  std::memcpy(&stored_crc, p + size - 4, 4);
  const uint32_t crc = Crc32(p, size - 4);
  if (crc != stored_crc) {
    return Corrupt(source, size - 4, "CRC-32 mismatch (stored " + std::to_string(stored_crc) + ", computed " +
                                         std::to_string(crc) + "): the file is damaged");
  }
  const std::string_view identity_text(reinterpret_cast<const char*>(p + kHeaderBytes), identity_bytes);
  io::JsonLimits limits;
  limits.max_bytes = kMaxIdentityBytes;
  limits.max_depth = 4;
  limits.max_elements = 64;
  auto root = io::ParseJson(identity_text, std::string(source) + " identity", limits);
  if (!root.ok()) return Corrupt(source, kHeaderBytes, root.status().message());
  IndexIdentity identity;
  int64_t json_dim = 0;
  std::string normalization;
  Status st = json::ReadInt(*root, "dim", "identity", &json_dim);
  if (st.ok()) st = json::ReadStr(*root, "checkpoint_sha256", "identity", &identity.checkpoint_sha256);
  if (st.ok()) st = json::ReadStr(*root, "model_name", "identity", &identity.model_name);
  if (st.ok()) st = json::ReadStr(*root, "preprocessing", "identity", &identity.preprocessing);
  if (st.ok()) st = json::ReadStr(*root, "tokenizer", "identity", &identity.tokenizer);
  if (st.ok()) st = json::ReadStr(*root, "normalization", "identity", &normalization);
  if (!st.ok()) return Corrupt(source, kHeaderBytes, st.message());
  if (json_dim != static_cast<int64_t>(dim) || normalization != "l2") {
    return Corrupt(source, kHeaderBytes, "identity says dim " + std::to_string(json_dim) + " normalization \"" +
                                             normalization + "\", header dim " + std::to_string(dim) + " (expected l2)");
  }
  identity.dim = static_cast<int64_t>(dim);
  size_t at = kHeaderBytes + identity_bytes;
  std::vector<uint64_t> ids(count), sequence(count);
  std::vector<float> rows(count * dim);
  std::memcpy(ids.data(), p + at, count * 8);
  at += count * 8;
  std::memcpy(sequence.data(), p + at, count * 8);
  at += count * 8;
  std::memcpy(rows.data(), p + at, count * dim * 4);
  auto index = RetrievalIndex::FromStorage(std::move(identity), std::move(ids), std::move(sequence), std::move(rows),
                                           next_sequence);
  if (!index.ok()) return index.status().WithContext(source);
  return index;
}

Status SaveIndex(const RetrievalIndex& index, const std::string& path) {
  const std::vector<uint8_t> bytes = SerializeIndex(index);
  // Written beside the target and renamed, so a crash never leaves half a file under `path`.
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return IoError("cannot create " + tmp);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) return IoError("error writing " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return IoError("cannot rename " + tmp + " to " + path);
  }
  return Status::Ok();
}

StatusOr<RetrievalIndex> LoadIndex(const std::string& path) {
  ASSIGN_OR_RETURN(auto file, io::MappedFile::Open(path));
  return DeserializeIndex(std::span<const uint8_t>(file->data(), file->size()), path);
}

}  // namespace cliprt::api
