// Shared helpers for the image tests: fixture paths, case lists, file reads.
#pragma once

#include <zlib.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "common/test_paths.h"

namespace cliprt::image::testing {

inline std::string ImageDataDir() { return cliprt::testing::TestDataDir() + "/image"; }

inline std::vector<uint8_t> ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Whitespace-separated fields of each non-empty line.
inline std::vector<std::vector<std::string>> ReadCases(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::vector<std::string> row;
    std::string f;
    while (fields >> f) row.push_back(f);
    if (!row.empty()) rows.push_back(row);
  }
  return rows;
}

inline std::vector<uint8_t> ReadGzip(const std::string& path) {
  std::vector<uint8_t> out;
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return out;
  uint8_t buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof(buf))) > 0) out.insert(out.end(), buf, buf + n);
  gzclose(f);
  return out;
}

}  // namespace cliprt::image::testing
