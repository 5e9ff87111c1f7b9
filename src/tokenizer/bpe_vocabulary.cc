#include "tokenizer/bpe_vocabulary.h"

#include "tokenizer/file_bytes.h"
#include "io/json.h"
#include "tokenizer/unicode_tables.h"
#include "tokenizer/utf8.h"

namespace cliprt {
namespace {

// clip: merges = lines[1 : 49152 - 256 - 2 + 1]
constexpr size_t kOpenAiMergeLines = 49152 - 256 - 2;
constexpr int32_t kMaxVocabularyId = 1 << 24;

// bytes_to_unicode() order: printable ranges first, then the 68 others.
std::vector<uint8_t> ByteOrder() {
  std::vector<uint8_t> order;
  bool listed[256] = {};
  for (int b = 33; b <= 126; ++b) { order.push_back(static_cast<uint8_t>(b)); listed[b] = true; }
  for (int b = 161; b <= 172; ++b) { order.push_back(static_cast<uint8_t>(b)); listed[b] = true; }
  for (int b = 174; b <= 255; ++b) { order.push_back(static_cast<uint8_t>(b)); listed[b] = true; }
  for (int b = 0; b < 256; ++b) {
    if (!listed[b]) order.push_back(static_cast<uint8_t>(b));
  }
  return order;
}

std::string ByteSymbolString(uint8_t b, bool end_of_word) {
  std::string s;
  AppendUtf8(BpeVocabulary::ByteToUnicode(b), &s);
  if (end_of_word) s += "</w>";
  return s;
}

// Python str.split() on one line.
std::vector<std::string> SplitPython(std::string_view line) {
  CodePoints cps = DecodeUtf8Lossy(line);
  std::vector<std::string> parts;
  std::string current;
  bool in_part = false;
  for (uint32_t c : cps) {
    if (unicode::IsPySpace(c)) {
      if (in_part) parts.push_back(std::move(current));
      current.clear();
      in_part = false;
    } else {
      AppendUtf8(c, &current);
      in_part = true;
    }
  }
  if (in_part) parts.push_back(std::move(current));
  return parts;
}

}  // namespace

uint32_t BpeVocabulary::ByteToUnicode(uint8_t b) {
  if ((b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174)) return b;
  // The n-th unlisted byte maps to 256 + n.
  uint32_t n = 0;
  for (int x = 0; x < b; ++x) {
    if (!((x >= 33 && x <= 126) || (x >= 161 && x <= 172) || (x >= 174))) ++n;
  }
  return 256 + n;
}

int32_t BpeVocabulary::Find(std::string_view symbol) const {
  auto it = encoder_.find(std::string(symbol));
  return it == encoder_.end() ? -1 : it->second;
}

Status BpeVocabulary::Finish(const std::vector<std::pair<std::string, std::string>>& merge_pairs,
                             std::string_view what) {
  for (size_t rank = 0; rank < merge_pairs.size(); ++rank) {
    const auto& [a, b] = merge_pairs[rank];
    if (a.empty() && b.empty()) continue;  // an empty merges line (see FromOpenAiMergesBytes)
    int32_t ia = Find(a), ib = Find(b), im = Find(a + b);
    if (ia < 0 || ib < 0 || im < 0) {
      return CorruptDataError(std::string(what) + ": merge " + std::to_string(rank) + " ('" + a + "' '" + b +
                              "') uses a symbol missing from the vocabulary");
    }
    merges_[(static_cast<uint64_t>(static_cast<uint32_t>(ia)) << 32) | static_cast<uint32_t>(ib)] = {
        static_cast<int32_t>(rank), im};
  }
  for (int eow = 0; eow < 2; ++eow) {
    for (int b = 0; b < 256; ++b) {
      byte_symbols_[eow][b] = Find(ByteSymbolString(static_cast<uint8_t>(b), eow != 0));
    }
  }
  return Status::Ok();
}

StatusOr<BpeVocabulary> BpeVocabulary::FromOpenAiMergesFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::string bytes, ReadTokenizerFile(path));
  return FromOpenAiMergesBytes(std::move(bytes), path);
}

StatusOr<BpeVocabulary> BpeVocabulary::FromOpenAiMergesBytes(std::string stored_bytes, std::string name) {
  BpeVocabulary v;
  v.format_ = "openai-bpe";
  v.files_.push_back({name, Sha256Hex(stored_bytes)});
  ASSIGN_OR_RETURN(std::string text, MaybeGunzip(std::move(stored_bytes), name));
  CodePoints check;
  size_t bad_offset = 0;
  if (!DecodeUtf8Strict(text, &check, &bad_offset)) {
    return CorruptDataError(name + ": BPE merges are not valid UTF-8 at byte " + std::to_string(bad_offset));
  }
  check.clear();
  std::vector<std::pair<std::string, std::string>> merges;
  size_t line_index = 0;
  size_t pos = 0;
  while (pos <= text.size() && merges.size() < kOpenAiMergeLines) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string::npos ? text.size() : nl;
    if (line_index >= 1) {
      std::vector<std::string> parts = SplitPython(std::string_view(text).substr(pos, end - pos));
      if (parts.empty()) {
        // A short file's trailing empty line: clip turns it into an empty
        // vocabulary entry and a merge that never applies; so does cliprt.
        merges.emplace_back(std::string(), std::string());
      } else if (parts.size() != 2) {
        return CorruptDataError(name + ": line " + std::to_string(line_index + 1) +
                                " is not a merge of two symbols");
      } else {
        merges.emplace_back(std::move(parts[0]), std::move(parts[1]));
      }
    }
    ++line_index;
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  std::vector<uint8_t> order = ByteOrder();
  for (int eow = 0; eow < 2; ++eow) {
    for (uint8_t b : order) v.symbols_.push_back(ByteSymbolString(b, eow != 0));
  }
  for (const auto& [a, b] : merges) v.symbols_.push_back(a + b);
  v.symbols_.push_back("<|startoftext|>");
  v.symbols_.push_back("<|endoftext|>");
  for (size_t i = 0; i < v.symbols_.size(); ++i) v.encoder_[v.symbols_[i]] = static_cast<int32_t>(i);
  RETURN_IF_ERROR(v.Finish(merges, name));
  return v;
}

StatusOr<BpeVocabulary> BpeVocabulary::FromHfFiles(const std::string& vocab_json_path,
                                                   const std::string& merges_txt_path) {
  ASSIGN_OR_RETURN(std::string vocab, ReadTokenizerFile(vocab_json_path));
  ASSIGN_OR_RETURN(std::string merges, ReadTokenizerFile(merges_txt_path));
  std::vector<VocabularyFile> files = {{vocab_json_path, Sha256Hex(vocab)}, {merges_txt_path, Sha256Hex(merges)}};
  return FromHfBytes(vocab, merges, std::move(files));
}

StatusOr<BpeVocabulary> BpeVocabulary::FromHfBytes(std::string_view vocab_json, std::string_view merges_txt,
                                                   std::vector<VocabularyFile> files) {
  BpeVocabulary v;
  v.format_ = "hf-vocab-merges";
  v.files_ = std::move(files);
  std::string vocab_name = v.files_.empty() ? "vocab.json" : v.files_[0].name;
  std::string merges_name = v.files_.size() < 2 ? "merges.txt" : v.files_[1].name;
  ASSIGN_OR_RETURN(io::JsonValue doc, io::ParseJson(vocab_json, vocab_name));
  if (!doc.is_object()) {
    return CorruptDataError(vocab_name + ": expected a JSON object of token -> id");
  }
  int32_t max_id = -1;
  for (const auto& [token, id] : doc.object()) {
    if (!id.is_int() || id.int_value() < 0 || id.int_value() >= kMaxVocabularyId) {
      return CorruptDataError(vocab_name + ": id of token '" + token + "' is not an integer in [0, 2^24)");
    }
    v.encoder_[token] = static_cast<int32_t>(id.int_value());
    max_id = std::max(max_id, static_cast<int32_t>(id.int_value()));
  }
  v.symbols_.assign(static_cast<size_t>(max_id + 1), std::string());
  for (const auto& [token, id] : v.encoder_) v.symbols_[static_cast<size_t>(id)] = token;

  std::vector<std::pair<std::string, std::string>> merges;
  size_t pos = 0;
  size_t line_no = 0;
  while (pos < merges_txt.size()) {
    size_t nl = merges_txt.find('\n', pos);
    size_t end = nl == std::string_view::npos ? merges_txt.size() : nl;
    std::string_view line = merges_txt.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++line_no;
    pos = end + 1;
    if (line_no == 1 && line.substr(0, 8) == "#version") continue;
    if (line.empty()) continue;
    size_t space = line.find(' ');
    if (space == std::string_view::npos || line.find(' ', space + 1) != std::string_view::npos) {
      return CorruptDataError(merges_name + ": line " + std::to_string(line_no) + " is not 'left right'");
    }
    merges.emplace_back(std::string(line.substr(0, space)), std::string(line.substr(space + 1)));
  }
  RETURN_IF_ERROR(v.Finish(merges, merges_name));
  return v;
}

}  // namespace cliprt
