#include "tokenizer/clip_bpe_tokenizer.h"

#include <algorithm>

#include "tokenizer/bpe_merge.h"
#include "tokenizer/text_cleaning.h"
#include "tokenizer/unicode_tables.h"

namespace cliprt {
namespace {

constexpr char kStartOfText[] = "<|startoftext|>";
constexpr char kEndOfText[] = "<|endoftext|>";

bool IsHfVariant(TokenizerVariant v) {
  return v == TokenizerVariant::kHfClipSlow || v == TokenizerVariant::kHfClipSlowNoFtfy ||
         v == TokenizerVariant::kHfClipFast;
}

bool IsHfSlowVariant(TokenizerVariant v) {
  return v == TokenizerVariant::kHfClipSlow || v == TokenizerVariant::kHfClipSlowNoFtfy;
}

const char* CleaningDescription(TokenizerVariant v) {
  switch (v) {
    case TokenizerVariant::kOpenAiClip:
      return "ftfy.fix_text, html.unescape x2, strip, regex \\s+ -> ' ', strip, str.lower";
    case TokenizerVariant::kOpenClip:
      return "ftfy.fix_text, html.unescape x2, strip, ' '.join(split()), str.lower";
    case TokenizerVariant::kOpenClipWhitespace:
      return "ftfy.fix_text, html.unescape x2, strip, ' '.join(split())";
    case TokenizerVariant::kOpenClipCanonicalize:
      return "ftfy.fix_text, html.unescape x2, strip, '_' -> ' ', remove string.punctuation, lower, "
             "' '.join(split())";
    case TokenizerVariant::kHfClipSlow:
      return "special tokens split, ftfy.fix_text, regex \\s+ -> ' ', strip, str.lower";
    case TokenizerVariant::kHfClipSlowNoFtfy:
      return "special tokens split, BERT BasicTokenizer (drop NUL/U+FFFD/category C, Zs/\\t\\n\\r -> ' ', "
             "CJK ideographs spaced, NFC, split, str.lower), ' '.join";
    case TokenizerVariant::kHfClipFast:
      return "special tokens split, NFC, \\s+ -> ' ', per-character lowercase";
    default:
      return "";
  }
}

}  // namespace

ClipBpeTokenizer::ClipBpeTokenizer(BpeVocabulary vocab, const TokenizerOptions& options)
    : vocab_(std::move(vocab)), options_(options) {}

StatusOr<std::unique_ptr<ClipBpeTokenizer>> ClipBpeTokenizer::Create(BpeVocabulary vocab,
                                                                    const TokenizerOptions& options) {
  const TokenizerVariant v = options.variant;
  if (IsSentencePieceVariant(v)) {
    return InvalidArgumentError(std::string("tokenizer variant '") + TokenizerVariantName(v) +
                                "' needs a SentencePiece model, not a BPE vocabulary");
  }
  if (options.context_length < 0 || options.context_length > (1 << 20)) {
    return InvalidArgumentError("context_length " + std::to_string(options.context_length) +
                                " is outside [0, 2^20]");
  }
  std::unique_ptr<ClipBpeTokenizer> t(new ClipBpeTokenizer(std::move(vocab), options));
  const BpeVocabulary& voc = t->vocab_;
  t->bos_id_ = voc.Find(kStartOfText);
  t->eos_id_ = voc.Find(kEndOfText);
  if (voc.format() == "openai-bpe") {
    // clip / open_clip append the two specials last, whatever their spelling.
    t->bos_id_ = voc.size() - 2;
    t->eos_id_ = voc.size() - 1;
  }
  if (t->bos_id_ < 0 || t->eos_id_ < 0) {
    return CorruptDataError("BPE vocabulary lacks <|startoftext|> / <|endoftext|>");
  }
  t->unknown_id_ = t->eos_id_;
  int64_t pad_id = 0;
  if (IsHfVariant(v)) {
    std::string pad = options.hf_pad_token.empty() ? std::string(kEndOfText) : options.hf_pad_token;
    int32_t id = voc.Find(pad);
    if (id < 0) {
      // A pad token absent from vocab.json becomes an added token after it.
      return InvalidArgumentError("pad token '" + pad + "' is not in the vocabulary");
    }
    pad_id = id;
    for (const std::string& s : {std::string(kStartOfText), std::string(kEndOfText), pad}) {
      t->special_ids_.emplace_back(DecodeUtf8Lossy(s), voc.Find(s));
    }
    if (IsHfSlowVariant(v)) {
      t->pretokenizer_.specials = {DecodeUtf8Lossy(kStartOfText), DecodeUtf8Lossy(kEndOfText)};
      t->pretokenizer_.ignore_case = true;
    } else {
      t->pretokenizer_.ignore_case = false;
    }
  } else {
    const bool open_clip = v != TokenizerVariant::kOpenAiClip;
    CodePoints sot = DecodeUtf8Lossy(open_clip ? "<start_of_text>" : kStartOfText);
    CodePoints eot = DecodeUtf8Lossy(open_clip ? "<end_of_text>" : kEndOfText);
    t->pretokenizer_.specials = {sot, eot};
    t->pretokenizer_.ignore_case = true;
    t->special_ids_.emplace_back(sot, t->bos_id_);
    t->special_ids_.emplace_back(eot, t->eos_id_);
  }

  TokenizerInfo& info = t->info_;
  info.kind = TokenizerKind::kClipBpe;
  info.variant = v;
  info.vocabulary_format = voc.format();
  for (const auto& f : voc.files()) info.vocabulary_files.push_back(f.name);
  info.vocabulary_sha256 = voc.files().empty() ? "" : voc.files()[0].sha256;
  info.vocabulary_size = voc.size();
  info.context_length = options.context_length > 0 ? options.context_length : 77;
  if (info.context_length < 2) {
    return InvalidArgumentError("context_length " + std::to_string(info.context_length) +
                                " cannot hold start and end tokens");
  }
  info.bos_id = t->bos_id_;
  info.eos_id = t->eos_id_;
  info.pad_id = pad_id;
  info.truncation = options.truncation;
  info.text_cleaning = CleaningDescription(v);
  info.unicode_version = std::string("unicodedata ") + unicode::kUnicodeVersion + ", regex " +
                         unicode::kRegexModuleVersion + ", ftfy " + unicode::kFtfyVersion;
  return t;
}

void ClipBpeTokenizer::EncodePiece(std::u32string_view piece, std::vector<int64_t>* out) const {
  for (const auto& [special, id] : special_ids_) {
    if (piece == special && !IsHfVariant(options_.variant)) {
      out->push_back(id);
      return;
    }
  }
  if (IsHfSlowVariant(options_.variant)) {
    // HF slow seeds its BPE cache with the two specials, like clip.
    for (size_t k = 0; k < 2 && k < pretokenizer_.specials.size(); ++k) {
      if (piece == pretokenizer_.specials[k]) {
        out->push_back(k == 0 ? bos_id_ : eos_id_);
        return;
      }
    }
  }
  const bool cacheable = piece.size() <= BpePieceCache::kMaxPieceChars;
  const uint64_t hash = cacheable ? BpePieceCache::Hash(piece) : 0;
  if (cacheable) {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    if (cache_.Lookup(piece, hash, out)) return;
  }
  std::string bytes = EncodeUtf8(piece);
  std::vector<int32_t> symbols = InitialBpeSymbols(vocab_, bytes, unknown_id_);
  BpeMerge(vocab_, &symbols);
  out->insert(out->end(), symbols.begin(), symbols.end());
  if (cacheable) {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    // Another thread may have added it meanwhile; a duplicate entry is
    // harmless (the first one wins lookups) but skip it anyway.
    std::vector<int64_t> probe;
    if (!cache_.Lookup(piece, hash, &probe)) cache_.Insert(piece, hash, symbols);
  }
}

void ClipBpeTokenizer::EncodeCleaned(std::u32string_view cleaned, std::vector<int64_t>* out) const {
  ClipPretokenize(cleaned, pretokenizer_, [&](size_t begin, size_t end) {
    EncodePiece(cleaned.substr(begin, end - begin), out);
  });
}

void ClipBpeTokenizer::EncodeHf(std::u32string_view text, std::vector<int64_t>* out) const {
  // Added (special) tokens are matched on the raw text first, leftmost and
  // longest; the text between them is cleaned and tokenized on its own.
  size_t segment_begin = 0;
  size_t i = 0;
  auto flush = [&](size_t end) {
    if (end <= segment_begin) return;
    std::u32string_view segment = text.substr(segment_begin, end - segment_begin);
    CodePoints cleaned = options_.variant == TokenizerVariant::kHfClipSlow         ? CleanHfClipSlow(segment)
                         : options_.variant == TokenizerVariant::kHfClipSlowNoFtfy ? CleanHfClipSlowNoFtfy(segment)
                                                                                   : NormalizeHfClipFast(segment);
    EncodeCleaned(cleaned, out);
  };
  while (i < text.size()) {
    size_t best_len = 0;
    int32_t best_id = -1;
    for (const auto& [special, id] : special_ids_) {
      if (special.size() > best_len && text.substr(i, special.size()) == special) {
        best_len = special.size();
        best_id = id;
      }
    }
    if (best_len == 0) {
      ++i;
      continue;
    }
    flush(i);
    out->push_back(best_id);
    i += best_len;
    segment_begin = i;
  }
  flush(text.size());
}

StatusOr<std::vector<int64_t>> ClipBpeTokenizer::EncodeUnpadded(std::string_view text,
                                                                int64_t* invalid_utf8_replaced) const {
  // Per-thread scratch for the decoded and the cleaned text: two fewer
  // allocations per text (a stream of short captions showed malloc/free at
  // ~6 % of the time). Kept only while small.
  struct Scratch {
    CodePoints cps, cleaned;
  };
  thread_local Scratch scratch;
  struct Trim {
    Scratch& s;
    ~Trim() {
      constexpr size_t kKeep = size_t{1} << 16;
      if (s.cps.capacity() > kKeep) CodePoints().swap(s.cps);
      if (s.cleaned.capacity() > kKeep) CodePoints().swap(s.cleaned);
    }
  } trim{scratch};
  CodePoints& cps = scratch.cps;
  cps.clear();
  size_t replaced = DecodeUtf8Lossy(text, &cps);
  if (invalid_utf8_replaced != nullptr) *invalid_utf8_replaced = static_cast<int64_t>(replaced);
  std::vector<int64_t> ids;
  // Roughly one id per code point at most for ordinary text: no regrowth.
  ids.reserve(std::min<size_t>(cps.size(), size_t{1} << 16) + 2);
  ids.push_back(bos_id_);
  switch (options_.variant) {
    case TokenizerVariant::kOpenAiClip:
      CleanOpenAi(cps, &scratch.cleaned);
      EncodeCleaned(scratch.cleaned, &ids);
      break;
    case TokenizerVariant::kOpenClip:
      EncodeCleaned(CleanOpenClipLower(cps), &ids);
      break;
    case TokenizerVariant::kOpenClipWhitespace:
      EncodeCleaned(CleanOpenClipWhitespace(cps), &ids);
      break;
    case TokenizerVariant::kOpenClipCanonicalize:
      EncodeCleaned(CleanOpenClipCanonicalize(cps), &ids);
      break;
    case TokenizerVariant::kHfClipSlow:
    case TokenizerVariant::kHfClipSlowNoFtfy:
    case TokenizerVariant::kHfClipFast:
      EncodeHf(cps, &ids);
      break;
    default:
      return InternalError("BPE tokenizer built for a SentencePiece variant");
  }
  ids.push_back(eos_id_);
  return ids;
}

}  // namespace cliprt
