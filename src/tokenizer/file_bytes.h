// Reading tokenizer files: whole-file reads with a size cap, gzip
// decompression (zlib) with a cap on the output, SHA-256 (OpenSSL EVP) for
// provenance.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace cliprt {

inline constexpr size_t kMaxTokenizerFileBytes = size_t{256} << 20;

StatusOr<std::string> ReadTokenizerFile(const std::string& path);
// Decompresses gzip data if it starts with the gzip magic, else returns it
// unchanged. `what` names the source in errors.
StatusOr<std::string> MaybeGunzip(std::string bytes, std::string_view what);
// Lower-case hex SHA-256.
std::string Sha256Hex(std::string_view bytes);

}  // namespace cliprt
