// The retrieval index file (.cliprt-index), version 1; byte layout in
// docs/provenance.md ("Index file format"). Little-endian throughout.
//
// Reading never trusts the file: every count is checked against the bytes
// that remain before anything is allocated, the identity JSON is parsed with
// io::ParseJson limits, a CRC-32 over everything before it must match, and
// the entries must be valid (unique ids and sequence numbers, finite
// unit-norm rows). A bad file is a CorruptData error naming the byte offset.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "api/retrieval_index.h"
#include "core/status.h"

namespace cliprt::api {

inline constexpr char kIndexFileMagic[8] = {'C', 'L', 'I', 'P', 'R', 'T', 'I', 'X'};
inline constexpr uint32_t kIndexFileVersion = 1;

std::vector<uint8_t> SerializeIndex(const RetrievalIndex& index);
StatusOr<RetrievalIndex> DeserializeIndex(std::span<const uint8_t> bytes, std::string_view source);

Status SaveIndex(const RetrievalIndex& index, const std::string& path);
StatusOr<RetrievalIndex> LoadIndex(const std::string& path);

}  // namespace cliprt::api
