#include "tokenizer/unigram_viterbi.h"

#include <algorithm>

namespace cliprt {
namespace {

constexpr float kUnkPenalty = 10.0f;  // sentencepiece's kUnkPenalty

size_t Utf8CharLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

}  // namespace

UnigramViterbi::UnigramViterbi(const std::vector<Piece>& pieces, int unk_id) : unk_id_(unk_id) {
  storage_.reserve(pieces.size());
  scores_.reserve(pieces.size());
  float min_score = 0;
  bool first = true;
  for (const Piece& p : pieces) {
    storage_.push_back(p.text);
    scores_.push_back(p.score);
    if (p.usable) {
      if (first || p.score < min_score) min_score = p.score;
      first = false;
    }
  }
  for (size_t i = 0; i < pieces.size(); ++i) {
    if (!pieces[i].usable || storage_[i].empty()) continue;
    ids_.emplace(std::string_view(storage_[i]), static_cast<int>(i));
    max_piece_bytes_ = std::max(max_piece_bytes_, storage_[i].size());
  }
  unk_score_ = min_score - kUnkPenalty;
}

std::vector<int> UnigramViterbi::Encode(std::string_view text) const {
  struct Best {
    int id = -1;
    float score = 0;
    int64_t starts_at = -1;
  };
  const size_t n = text.size();
  std::vector<Best> best(n + 1);
  best[0].starts_at = 0;  // sentinel: reachable with score 0
  for (size_t start = 0; start < n;) {
    const size_t char_len = std::min(Utf8CharLength(static_cast<unsigned char>(text[start])), n - start);
    if (best[start].starts_at < 0 && start != 0) {
      start += char_len;
      continue;
    }
    const float here = best[start].score;
    bool single_char_piece = false;
    // Candidate pieces starting here, shortest first (the references walk a
    // trie from `start`, so ends come in increasing order).
    size_t end = start;
    while (end < n && end - start < max_piece_bytes_) {
      end += std::min(Utf8CharLength(static_cast<unsigned char>(text[end])), n - end);
      if (end - start > max_piece_bytes_) break;
      auto it = ids_.find(text.substr(start, end - start));
      if (it == ids_.end()) continue;
      if (end - start == char_len) single_char_piece = true;
      const float candidate = here + scores_[static_cast<size_t>(it->second)];
      Best& target = best[end];
      if (target.starts_at < 0 || candidate > target.score) {
        target.score = candidate;
        target.starts_at = static_cast<int64_t>(start);
        target.id = it->second;
      }
    }
    if (!single_char_piece) {
      const float candidate = here + unk_score_;
      Best& target = best[start + char_len];
      if (target.starts_at < 0 || candidate > target.score) {
        target.score = candidate;
        target.starts_at = static_cast<int64_t>(start);
        target.id = unk_id_;
      }
    }
    start += char_len;
  }
  std::vector<int> reversed;
  for (size_t pos = n; pos > 0;) {
    const Best& b = best[pos];
    reversed.push_back(b.id);
    pos = static_cast<size_t>(b.starts_at);
  }
  std::vector<int> ids;
  ids.reserve(reversed.size());
  for (auto it = reversed.rbegin(); it != reversed.rend(); ++it) {
    if (*it == unk_id_ && !ids.empty() && ids.back() == unk_id_) continue;
    ids.push_back(*it);
  }
  return ids;
}

}  // namespace cliprt
