#include "tokenizer_test_util.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>

#include "common/test_paths.h"
#include "tokenizer/bpe_vocabulary.h"
#include "tokenizer/file_bytes.h"
#include "io/json.h"
#include "tokenizer/utf8.h"

namespace cliprt::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string JsonQuote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      char buf[8];
      snprintf(buf, sizeof(buf), "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out + "\"";
}

}  // namespace

std::vector<std::string> LoadTokenizerCorpus() {
  std::string path = TestDataDir() + "/tokenizer/corpus.jsonl";
  std::ifstream f(path, std::ios::binary);
  EXPECT_TRUE(f.good()) << "missing " << path;
  std::vector<std::string> texts;
  std::string line;
  while (std::getline(f, line)) {
    auto v = io::ParseJson(line, path);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    if (!v.ok()) break;
    texts.push_back(v->string());
  }
  return texts;
}

Golden LoadGolden(const std::string& name) {
  std::string path = TestDataDir() + "/tokenizer/golden_" + name + ".txt";
  std::ifstream f(path);
  EXPECT_TRUE(f.good()) << "missing " << path;
  Golden g;
  std::string line;
  while (std::getline(f, line)) {
    if (!line.empty() && line[0] == '#') {
      auto field = [&](const std::string& key) -> int64_t {
        size_t p = line.find(" " + key + "=");
        return p == std::string::npos ? -1 : std::stoll(line.substr(p + key.size() + 2));
      };
      g.context_length = static_cast<int>(field("context_length"));
      g.pad_id = field("pad_id");
      continue;
    }
    std::istringstream ss(line);
    GoldenRow row;
    ss >> row.unpadded_length;
    int64_t id;
    while (ss >> id) row.ids.push_back(id);
    g.rows.push_back(std::move(row));
  }
  return g;
}

std::string WriteHfClipFiles(const std::string& bpe_gz_path, const std::string& pad_token) {
  auto vocab = BpeVocabulary::FromOpenAiMergesFile(bpe_gz_path);
  EXPECT_TRUE(vocab.ok()) << vocab.status().ToString();
  char tmpl[] = "/tmp/cliprt_tok_hf_XXXXXX";
  std::string dir = mkdtemp(tmpl);
  {
    std::ofstream v(dir + "/vocab.json", std::ios::binary);
    v << "{";
    for (int32_t i = 0; i < vocab->size(); ++i) {
      v << (i ? "," : "") << JsonQuote(vocab->Symbol(i)) << ":" << i;
    }
    v << "}";
  }
  {
    auto text = MaybeGunzip(ReadAll(bpe_gz_path), bpe_gz_path);
    EXPECT_TRUE(text.ok());
    std::ofstream m(dir + "/merges.txt", std::ios::binary);
    m << "#version: 0.2\n";
    std::istringstream lines(*text);
    std::string line;
    std::getline(lines, line);  // header
    for (int k = 0; k < 49152 - 256 - 2 && std::getline(lines, line); ++k) m << line << "\n";
  }
  if (!pad_token.empty()) {
    std::ofstream c(dir + "/tokenizer_config.json", std::ios::binary);
    c << "{\"tokenizer_class\": \"CLIPTokenizer\", \"pad_token\": " << JsonQuote(pad_token) << "}";
  }
  return dir;
}

}  // namespace cliprt::testing
