#include "inputs.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "cli_error.h"

namespace cliprt_cli {
namespace fs = std::filesystem;

std::string ReadWholeFile(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) InputError("'" + path + "' is a folder, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) InputError("cannot open '" + path + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) InputError("reading '" + path + "' failed");
  return ss.str();
}

void WriteWholeFile(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) InputError("cannot write '" + path + "'");
  out << contents;
  out.flush();
  if (!out) InputError("writing '" + path + "' failed");
}

std::vector<std::string> ReadTextLines(const std::string& path) {
  std::string data = ReadWholeFile(path);
  if (data.rfind("\xEF\xBB\xBF", 0) == 0) data.erase(0, 3);
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < data.size()) {
    size_t end = data.find('\n', start);
    if (end == std::string::npos) end = data.size();
    size_t stop = end;
    if (stop > start && end < data.size() && data[stop - 1] == '\r') --stop;
    lines.push_back(data.substr(start, stop - start));
    start = end + 1;
  }
  return lines;
}

namespace {
bool IsImageName(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const char* const kExts[] = {".jpg", ".jpeg", ".png", ".bmp", ".gif",
                                      ".ppm", ".pgm",  ".pnm", ".tga"};
  for (const char* e : kExts) {
    if (ext == e) return true;
  }
  return false;
}
}  // namespace

std::vector<std::string> ExpandImageArgs(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const std::string& arg : args) {
    std::error_code ec;
    const fs::file_status st = fs::status(arg, ec);
    if (ec || !fs::exists(st)) InputError("image '" + arg + "' does not exist");
    if (!fs::is_directory(st)) {
      out.push_back(arg);
      continue;
    }
    std::vector<std::string> found;
    for (fs::directory_iterator it(arg, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code ec2;
      if (it->is_regular_file(ec2) && IsImageName(it->path())) found.push_back(it->path().string());
    }
    if (ec) InputError("cannot list folder '" + arg + "': " + ec.message());
    if (found.empty()) InputError("folder '" + arg + "' holds no image files");
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

std::vector<std::string> SplitLabels(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t end = std::min(list.find(',', start), list.size());
    std::string item = list.substr(start, end - start);
    const size_t first = item.find_first_not_of(" \t");
    const size_t last = item.find_last_not_of(" \t");
    item = first == std::string::npos ? "" : item.substr(first, last - first + 1);
    if (item.empty()) {
      UsageError("--labels: label " + std::to_string(out.size()) + " is empty in '" + list + "'");
    }
    out.push_back(item);
    if (end >= list.size()) break;
    start = end + 1;
  }
  return out;
}

}  // namespace cliprt_cli
