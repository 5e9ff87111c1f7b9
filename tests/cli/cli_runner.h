// Runs the built cliprt binary for tests and gives back what it did.
#pragma once

#include <string>
#include <vector>

#include "io/json.h"
#include "tensor/tensor.h"

namespace cliprt::cli_test {

struct CliRun {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs `cliprt args...` (each argument passed verbatim, shell-quoted).
CliRun RunCli(const std::vector<std::string>& args);

// A fresh temporary folder per test (removed by the fixture's TearDown).
std::string MakeTempDir();
void RemoveDir(const std::string& dir);

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& contents);

// Parses JSON or fails the test (returns a null value).
io::JsonValue Json(const std::string& text);
// Follows "a.b.c" through objects; nullptr if absent.
const io::JsonValue* Get(const io::JsonValue& v, const std::string& dotted);

Tensor Npy(const std::string& path);

// max |a - b| / max |b| over two float32 tensors of equal shape (fails the
// test and returns +inf otherwise).
double RelMaxDiff(const Tensor& a, const Tensor& b);

// tests/data/golden/<fixture>/<file>
std::string Golden(const std::string& fixture, const std::string& file);
// The golden fixture's image paths (absolute) and texts.
std::vector<std::string> GoldenImages(const std::string& fixture);
std::vector<std::string> GoldenTexts(const std::string& fixture);

}  // namespace cliprt::cli_test
