#include "io/sha256.h"

#include <openssl/evp.h>

#include <memory>

namespace cliprt::io {

StatusOr<std::string> Sha256Hex(const uint8_t* data, size_t size) {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx) return ResourceExhaustedError("SHA-256: cannot allocate an EVP context");
  if (EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    return InternalError("SHA-256: EVP_DigestInit_ex failed");
  }
  // Feed in bounded chunks so a huge mapping is never passed as one length.
  constexpr size_t kChunk = size_t{1} << 28;
  for (size_t pos = 0; pos < size; pos += kChunk) {
    const size_t n = size - pos < kChunk ? size - pos : kChunk;
    if (EVP_DigestUpdate(ctx.get(), data + pos, n) != 1) {
      return InternalError("SHA-256: EVP_DigestUpdate failed");
    }
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1 || len != 32) {
    return InternalError("SHA-256: EVP_DigestFinal_ex failed");
  }
  static const char kHex[] = "0123456789abcdef";
  std::string hex(64, '0');
  for (int i = 0; i < 32; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 15];
  }
  return hex;
}

}  // namespace cliprt::io
