#include "cli_runner.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/test_paths.h"
#include "io/npy.h"

namespace cliprt::cli_test {
namespace {
std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}
}  // namespace

std::string MakeTempDir() {
  std::string templ = (std::filesystem::temp_directory_path() / "cliprt_cli_test_XXXXXX").string();
  char* made = mkdtemp(templ.data());
  EXPECT_NE(made, nullptr);
  return templ;
}

void RemoveDir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
}

CliRun RunCli(const std::vector<std::string>& args) {
  const std::string dir = MakeTempDir();
  const std::string out_path = dir + "/stdout", err_path = dir + "/stderr";
  std::string cmd = ShellQuote(CLIPRT_CLI_PATH);
  // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive)
  // about `" " + std::string`.
  for (const std::string& a : args) {
    cmd += ' ';
    cmd += ShellQuote(a);
  }
  cmd += " >";
  cmd += ShellQuote(out_path);
  cmd += " 2>";
  cmd += ShellQuote(err_path);
  cmd += " </dev/null";
  const int status = std::system(cmd.c_str());
  CliRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.out = ReadFile(out_path);
  run.err = ReadFile(err_path);
  RemoveDir(dir);
  return run;
}

io::JsonValue Json(const std::string& text) {
  StatusOr<io::JsonValue> v = io::ParseJson(text, "cli output");
  EXPECT_TRUE(v.ok()) << v.status().ToString() << "\n" << text.substr(0, 2000);
  return v.ok() ? *std::move(v) : io::JsonValue();
}

const io::JsonValue* Get(const io::JsonValue& v, const std::string& dotted) {
  const io::JsonValue* cur = &v;
  size_t start = 0;
  while (cur != nullptr && start <= dotted.size()) {
    const size_t dot = std::min(dotted.find('.', start), dotted.size());
    cur = cur->Find(dotted.substr(start, dot - start));
    start = dot + 1;
  }
  return cur;
}

Tensor Npy(const std::string& path) {
  StatusOr<Tensor> t = io::ReadNpy(path);
  EXPECT_TRUE(t.ok()) << path << ": " << t.status().ToString();
  return t.ok() ? *std::move(t) : Tensor();
}

double RelMaxDiff(const Tensor& a, const Tensor& b) {
  if (a.dtype() != DType::kF32 || b.dtype() != DType::kF32 || !(a.shape() == b.shape())) {
    ADD_FAILURE() << "shapes/dtypes differ";
    return INFINITY;
  }
  const float* pa = a.data_as<float>();
  const float* pb = b.data_as<float>();
  double max_diff = 0, max_ref = 0;
  for (int64_t i = 0; i < a.numel(); ++i) {
    max_diff = std::max(max_diff, std::fabs(double(pa[i]) - double(pb[i])));
    max_ref = std::max(max_ref, std::fabs(double(pb[i])));
  }
  return max_ref > 0 ? max_diff / max_ref : max_diff;
}

std::string Golden(const std::string& fixture, const std::string& file) {
  return testing::TestDataDir() + "/golden/" + fixture + "/" + file;
}

std::vector<std::string> GoldenImages(const std::string& fixture) {
  const io::JsonValue doc = Json(ReadFile(Golden(fixture, "golden.json")));
  std::vector<std::string> out;
  if (const io::JsonValue* images = doc.Find("images")) {
    for (const io::JsonValue& v : images->array()) out.push_back(testing::TestDataDir() + "/" + v.string());
  }
  return out;
}

std::vector<std::string> GoldenTexts(const std::string& fixture) {
  const io::JsonValue doc = Json(ReadFile(Golden(fixture, "golden.json")));
  std::vector<std::string> out;
  if (const io::JsonValue* texts = doc.Find("texts")) {
    for (const io::JsonValue& v : texts->array()) out.push_back(v.string());
  }
  return out;
}

}  // namespace cliprt::cli_test
