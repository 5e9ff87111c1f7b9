// Helpers shared by the tokenizer tests: the committed corpus, golden files,
// and Hugging Face vocab.json + merges.txt converted from OpenAI's merges
// file (the vocabulary itself is third-party data and never committed).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cliprt::testing {

// tests/data/tokenizer/corpus.jsonl, one decoded JSON string per text.
std::vector<std::string> LoadTokenizerCorpus();

struct GoldenRow {
  int64_t unpadded_length = 0;
  std::vector<int64_t> ids;  // the reference row without its padding
};
struct Golden {
  int context_length = 0;
  int64_t pad_id = 0;
  std::vector<GoldenRow> rows;
};
// tests/data/tokenizer/golden_<name>.txt
Golden LoadGolden(const std::string& name);

// Writes vocab.json + merges.txt for the OpenAI merges file into a fresh
// temporary folder (optionally with a tokenizer_config.json naming
// `pad_token`); returns the folder.
std::string WriteHfClipFiles(const std::string& bpe_gz_path, const std::string& pad_token);

}  // namespace cliprt::testing
