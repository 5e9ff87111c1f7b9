#include "tokenizer/bpe_merge.h"

#include <algorithm>
#include <climits>
#include <queue>

namespace cliprt {

std::vector<int32_t> InitialBpeSymbols(const BpeVocabulary& vocab, std::string_view piece, int32_t unknown_id) {
  std::vector<int32_t> symbols;
  symbols.reserve(piece.size());
  for (size_t i = 0; i < piece.size(); ++i) {
    int32_t id = vocab.ByteSymbol(static_cast<uint8_t>(piece[i]), i + 1 == piece.size());
    symbols.push_back(id < 0 ? unknown_id : id);
  }
  return symbols;
}

void BpeMergeReference(const BpeVocabulary& vocab, std::vector<int32_t>* symbols) {
  std::vector<int32_t>& word = *symbols;
  std::vector<int32_t> next_word;
  while (word.size() > 1) {
    int32_t best_rank = INT32_MAX, best_merged = -1, first = -1, second = -1;
    for (size_t i = 0; i + 1 < word.size(); ++i) {
      int32_t rank, merged;
      if (vocab.FindMerge(word[i], word[i + 1], &rank, &merged) && rank < best_rank) {
        best_rank = rank;
        best_merged = merged;
        first = word[i];
        second = word[i + 1];
      }
    }
    if (best_merged < 0) break;
    next_word.clear();
    for (size_t i = 0; i < word.size();) {
      if (word[i] == first && i + 1 < word.size() && word[i + 1] == second) {
        next_word.push_back(best_merged);
        i += 2;
      } else {
        next_word.push_back(word[i]);
        ++i;
      }
    }
    word.swap(next_word);
  }
}

namespace {

struct Candidate {
  int32_t rank;
  int32_t left;   // index of the left symbol (its original position)
  int32_t left_symbol;
  int32_t right_symbol;
  bool operator>(const Candidate& o) const {
    return rank != o.rank ? rank > o.rank : left > o.left;
  }
};

}  // namespace

void BpeMergeHeap(const BpeVocabulary& vocab, std::vector<int32_t>* symbols) {
  std::vector<int32_t>& sym = *symbols;
  const int32_t n = static_cast<int32_t>(sym.size());
  if (n < 2) return;
  std::vector<int32_t> prev(static_cast<size_t>(n)), next(static_cast<size_t>(n));
  std::vector<char> alive(static_cast<size_t>(n), 1);
  for (int32_t i = 0; i < n; ++i) {
    prev[static_cast<size_t>(i)] = i - 1;
    next[static_cast<size_t>(i)] = i + 1 < n ? i + 1 : -1;
  }
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> heap;
  std::vector<Candidate> pending;  // pairs formed during the current rank's pass
  auto candidate = [&](int32_t left, std::vector<Candidate>* sink, bool to_heap) {
    if (left < 0) return;
    int32_t right = next[static_cast<size_t>(left)];
    if (right < 0) return;
    int32_t rank, merged;
    if (!vocab.FindMerge(sym[static_cast<size_t>(left)], sym[static_cast<size_t>(right)], &rank, &merged)) return;
    Candidate c{rank, left, sym[static_cast<size_t>(left)], sym[static_cast<size_t>(right)]};
    if (to_heap) heap.push(c); else sink->push_back(c);
  };
  for (int32_t i = 0; i + 1 < n; ++i) candidate(i, nullptr, true);
  int32_t current_rank = -1;
  while (true) {
    // The reference merges every occurrence of one pair before looking for
    // the next pair, so pairs created during a pass join only afterwards.
    if (!pending.empty() && (heap.empty() || heap.top().rank != current_rank)) {
      for (const Candidate& c : pending) heap.push(c);
      pending.clear();
      continue;
    }
    if (heap.empty()) break;
    Candidate c = heap.top();
    heap.pop();
    size_t l = static_cast<size_t>(c.left);
    if (!alive[l] || sym[l] != c.left_symbol) continue;
    int32_t r = next[l];
    if (r < 0 || sym[static_cast<size_t>(r)] != c.right_symbol) continue;
    int32_t rank = -1, merged = -1;
    vocab.FindMerge(c.left_symbol, c.right_symbol, &rank, &merged);
    current_rank = c.rank;
    sym[l] = merged;
    alive[static_cast<size_t>(r)] = 0;
    int32_t rn = next[static_cast<size_t>(r)];
    next[l] = rn;
    if (rn >= 0) prev[static_cast<size_t>(rn)] = c.left;
    candidate(prev[l], &pending, false);
    candidate(c.left, &pending, false);
  }
  std::vector<int32_t> out;
  for (int32_t i = 0; i >= 0; i = next[static_cast<size_t>(i)]) out.push_back(sym[static_cast<size_t>(i)]);
  sym.swap(out);
}

}  // namespace cliprt
