#include "tokenizer/file_bytes.h"

#include <openssl/evp.h>
#include <zlib.h>

#include <cstdio>
#include <memory>

namespace cliprt {

StatusOr<std::string> ReadTokenizerFile(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return NotFoundError("cannot open tokenizer file '" + path + "'");
  std::string out;
  char buf[1 << 16];
  while (true) {
    size_t n = std::fread(buf, 1, sizeof(buf), f.get());
    if (n > 0) {
      if (out.size() + n > kMaxTokenizerFileBytes) {
        return ResourceExhaustedError("tokenizer file '" + path + "' is larger than 256 MiB");
      }
      out.append(buf, n);
    }
    if (n < sizeof(buf)) {
      if (std::ferror(f.get())) return IoError("read error on tokenizer file '" + path + "'");
      break;
    }
  }
  return out;
}

StatusOr<std::string> MaybeGunzip(std::string bytes, std::string_view what) {
  if (bytes.size() < 2 || static_cast<unsigned char>(bytes[0]) != 0x1F ||
      static_cast<unsigned char>(bytes[1]) != 0x8B) {
    return bytes;
  }
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return InternalError("zlib inflateInit2 failed");
  std::string out;
  zs.next_in = reinterpret_cast<Bytef*>(bytes.data());
  zs.avail_in = static_cast<uInt>(bytes.size());
  char buf[1 << 16];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      return CorruptDataError(std::string(what) + ": corrupt gzip data near compressed byte " +
                              std::to_string(zs.total_in));
    }
    out.append(buf, sizeof(buf) - zs.avail_out);
    if (out.size() > kMaxTokenizerFileBytes) {
      inflateEnd(&zs);
      return ResourceExhaustedError(std::string(what) + ": decompresses to more than 256 MiB");
    }
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      return CorruptDataError(std::string(what) + ": truncated gzip data");
    }
  }
  inflateEnd(&zs);
  return out;
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(hex[digest[i] >> 4]);
    out.push_back(hex[digest[i] & 15]);
  }
  return out;
}

}  // namespace cliprt
