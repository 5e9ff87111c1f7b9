// SHA-256 through OpenSSL's libcrypto (EVP), which uses the SHA-NI / AVX2
// code paths the CPU offers. Used for checkpoint identity.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/status.h"

namespace cliprt::io {

// Lower-case hex digest (64 characters) of `size` bytes.
StatusOr<std::string> Sha256Hex(const uint8_t* data, size_t size);

}  // namespace cliprt::io
