// The CLIP byte-level BPE vocabulary: encoder (symbol -> id), merge ranks,
// byte -> symbol map. Built from OpenAI's bpe_simple_vocab_16e6.txt[.gz]
// exactly as clip/open_clip build it (REFERENCE.md §4.2), or from Hugging
// Face vocab.json + merges.txt.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/status.h"

namespace cliprt {

struct VocabularyFile {
  std::string name;    // path or description
  std::string sha256;  // of the bytes as stored (compressed if .gz)
};

class BpeVocabulary {
 public:
  // OpenAI merges list (gzip or plain). Uses lines [1, 48895) like clip.
  static StatusOr<BpeVocabulary> FromOpenAiMergesFile(const std::string& path);
  static StatusOr<BpeVocabulary> FromOpenAiMergesBytes(std::string stored_bytes, std::string name);
  // Hugging Face files.
  static StatusOr<BpeVocabulary> FromHfFiles(const std::string& vocab_json_path,
                                             const std::string& merges_txt_path);
  static StatusOr<BpeVocabulary> FromHfBytes(std::string_view vocab_json, std::string_view merges_txt,
                                             std::vector<VocabularyFile> files);

  // Id of a symbol string (UTF-8 of byte-mapped characters), or -1.
  int32_t Find(std::string_view symbol) const;
  const std::string& Symbol(int32_t id) const { return symbols_[static_cast<size_t>(id)]; }
  int32_t size() const { return static_cast<int32_t>(symbols_.size()); }

  // Id of the single byte-mapped character for byte b, with "</w>" appended
  // when end_of_word; -1 when the vocabulary lacks it.
  int32_t ByteSymbol(uint8_t b, bool end_of_word) const { return byte_symbols_[end_of_word][b]; }

  // Merge of the adjacent symbols (a, b): true with its rank and result id.
  bool FindMerge(int32_t a, int32_t b, int32_t* rank, int32_t* merged) const {
    auto it = merges_.find((static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b));
    if (it == merges_.end()) return false;
    *rank = it->second.first;
    *merged = it->second.second;
    return true;
  }
  int32_t merge_count() const { return static_cast<int32_t>(merges_.size()); }

  const std::vector<VocabularyFile>& files() const { return files_; }
  // "openai-bpe" or "hf-vocab-merges".
  const std::string& format() const { return format_; }

  // OpenAI's byte -> unicode mapping (REFERENCE §4.2).
  static uint32_t ByteToUnicode(uint8_t b);

 private:
  Status Finish(const std::vector<std::pair<std::string, std::string>>& merge_pairs, std::string_view what);

  std::vector<std::string> symbols_;
  std::unordered_map<std::string, int32_t> encoder_;
  std::unordered_map<uint64_t, std::pair<int32_t, int32_t>> merges_;
  int32_t byte_symbols_[2][256] = {};
  std::vector<VocabularyFile> files_;
  std::string format_;
};

}  // namespace cliprt
