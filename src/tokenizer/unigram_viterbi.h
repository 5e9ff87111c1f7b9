// Unigram (SentencePiece) segmentation of normalized text, with the
// tie-breaking of the pinned references. Debian's libsentencepiece 0.1.97
// resolves equal-score segmentations ("555" = "5"+"55" or "55"+"5")
// differently from sentencepiece 0.2.x (Python, used by HF SiglipTokenizer)
// and HF tokenizers (open_clip's SigLIP path): both of those keep the
// candidate that starts earliest (the longest last piece). cliprt therefore
// takes only the model and the normalizer from libsentencepiece and runs this
// Viterbi pass itself.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cliprt {

class UnigramViterbi {
 public:
  struct Piece {
    std::string text;
    float score = 0;
    bool usable = true;  // false for control / unknown / unused / byte pieces
  };
  UnigramViterbi() = default;
  UnigramViterbi(const std::vector<Piece>& pieces, int unk_id);

  // Ids of the best segmentation of `normalized`; runs of unknown characters
  // become one unk id (as SentencePieceProcessor merges them).
  std::vector<int> Encode(std::string_view normalized) const;

 private:
  std::unordered_map<std::string_view, int> ids_;
  std::vector<std::string> storage_;
  std::vector<float> scores_;
  size_t max_piece_bytes_ = 0;
  int unk_id_ = 0;
  float unk_score_ = 0;
};

}  // namespace cliprt
