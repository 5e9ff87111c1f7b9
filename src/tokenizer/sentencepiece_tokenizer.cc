#include "tokenizer/sentencepiece_tokenizer.h"

#include <sentencepiece_processor.h>

#include <algorithm>
#include <cstdio>

#include "tokenizer/file_bytes.h"
#include "tokenizer/text_cleaning.h"
#include "tokenizer/unicode_tables.h"
#include "tokenizer/unicode_text.h"

namespace cliprt {
namespace {

constexpr uint32_t kSpieceUnderline = 0x2581;  // "▁"

std::string SpStatusText(const sentencepiece::util::Status& s) { return s.ToString(); }

// libsentencepiece 0.1.97 does not say which pieces are USER_DEFINED, so
// read the piece types from the serialized ModelProto (already validated by
// libsentencepiece): field 1 = repeated SentencePiece {1: piece, 2: score,
// 3: type, default NORMAL}. Returns one type per piece, or an empty vector
// if the bytes do not parse.
constexpr int kUserDefinedPiece = 4;

bool ReadVarint(std::string_view b, size_t* pos, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && *pos < b.size(); shift += 7) {
    const uint8_t byte = static_cast<uint8_t>(b[(*pos)++]);
    *v |= uint64_t{byte & 0x7Fu} << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

// Skips a field of the given wire type; false when malformed.
bool SkipField(std::string_view b, size_t* pos, uint64_t wire) {
  uint64_t v = 0;
  switch (wire) {
    case 0: return ReadVarint(b, pos, &v);
    case 1: *pos += 8; return *pos <= b.size();
    case 2: if (!ReadVarint(b, pos, &v) || v > b.size() - *pos) return false; *pos += v; return true;
    case 5: *pos += 4; return *pos <= b.size();
    default: return false;
  }
}

std::vector<int> PieceTypes(std::string_view model) {
  std::vector<int> types;
  size_t pos = 0;
  while (pos < model.size()) {
    uint64_t key = 0;
    if (!ReadVarint(model, &pos, &key)) return {};
    if (key >> 3 != 1 || (key & 7) != 2) {
      if (!SkipField(model, &pos, key & 7)) return {};
      continue;
    }
    uint64_t len = 0;
    if (!ReadVarint(model, &pos, &len) || len > model.size() - pos) return {};
    const std::string_view piece = model.substr(pos, len);
    pos += len;
    int type = 1;  // NORMAL
    size_t p = 0;
    while (p < piece.size()) {
      uint64_t k = 0, v = 0;
      if (!ReadVarint(piece, &p, &k)) return {};
      if (k >> 3 == 3 && (k & 7) == 0) {
        if (!ReadVarint(piece, &p, &v)) return {};
        type = static_cast<int>(v);
      } else if (!SkipField(piece, &p, k & 7)) {
        return {};
      }
    }
    types.push_back(type);
  }
  return types;
}

// Python str.rstrip() / lstrip() on UTF-8 via code points.
std::u32string_view RStrip(std::u32string_view s) {
  while (!s.empty() && unicode::IsPySpace(s.back())) s.remove_suffix(1);
  return s;
}
std::u32string_view LStrip(std::u32string_view s) {
  while (!s.empty() && unicode::IsPySpace(s.front())) s.remove_prefix(1);
  return s;
}

}  // namespace

SentencePieceTokenizer::SentencePieceTokenizer() : sp_(new sentencepiece::SentencePieceProcessor()) {}
SentencePieceTokenizer::~SentencePieceTokenizer() = default;

StatusOr<std::unique_ptr<SentencePieceTokenizer>> SentencePieceTokenizer::Create(const std::string& model_path,
                                                                                 const TokenizerOptions& options) {
  ASSIGN_OR_RETURN(std::string bytes, ReadTokenizerFile(model_path));
  return CreateFromBytes(std::move(bytes), model_path, options);
}

StatusOr<std::unique_ptr<SentencePieceTokenizer>> SentencePieceTokenizer::CreateFromBytes(
    std::string model_bytes, std::string name, const TokenizerOptions& options) {
  if (!IsSentencePieceVariant(options.variant)) {
    return InvalidArgumentError(std::string("tokenizer variant '") + TokenizerVariantName(options.variant) +
                                "' is not a SentencePiece variant");
  }
  if (options.context_length < 0 || options.context_length > (1 << 20)) {
    return InvalidArgumentError("context_length " + std::to_string(options.context_length) +
                                " is outside [0, 2^20]");
  }
  std::unique_ptr<SentencePieceTokenizer> t(new SentencePieceTokenizer());
  t->variant_ = options.variant;
  std::string sha = Sha256Hex(model_bytes);
  auto status = t->sp_->LoadFromSerializedProto(model_bytes);
  if (!status.ok()) {
    return CorruptDataError(name + ": not a loadable SentencePiece model: " + SpStatusText(status));
  }
  const int vocab = t->sp_->GetPieceSize();
  const bool gemma = options.variant == TokenizerVariant::kHfSiglip2 ||
                     options.variant == TokenizerVariant::kOpenClipSiglip2 ||
                     options.variant == TokenizerVariant::kHfGemma;
  int64_t eos = options.sp_eos_id >= 0 ? options.sp_eos_id : t->sp_->eos_id();
  // T5-style SigLIP pads with the eos id; Gemma has its own <pad> (id 0).
  int64_t pad = options.sp_pad_id >= 0 ? options.sp_pad_id : gemma ? t->sp_->pad_id() : eos;
  if (options.sp_pad_id < 0 && !options.hf_pad_token.empty()) {
    // A configured pad token (tokenizer_config.json) names its piece.
    const int id = t->sp_->PieceToId(options.hf_pad_token);
    if (id < 0 || id >= vocab || t->sp_->IdToPiece(id) != options.hf_pad_token) {
      return InvalidArgumentError(name + ": pad token '" + options.hf_pad_token + "' is not a piece of the model");
    }
    pad = id;
  }
  if (eos < 0 || eos >= vocab || pad < 0 || pad >= vocab) {
    return InvalidArgumentError(name + ": eos id " + std::to_string(eos) + " / pad id " + std::to_string(pad) +
                                " outside the vocabulary of " + std::to_string(vocab));
  }
  if (options.variant == TokenizerVariant::kHfSiglip2 || options.variant == TokenizerVariant::kHfGemma) {
    // The tokenizers-backed Gemma tokenizer matches its special tokens in
    // the raw text (before lowercasing), exactly and without stripping: the
    // model's control and unknown pieces (<pad> <eos> <bos> <unk>) and its
    // user-defined ones (<mask>, ...), which libsentencepiece would otherwise
    // match only after lowercasing.
    const std::vector<int> types = PieceTypes(model_bytes);
    for (int id = 0; id < vocab; ++id) {
      const bool user_defined = static_cast<size_t>(id) < types.size() && types[static_cast<size_t>(id)] == kUserDefinedPiece;
      if (t->sp_->IsControl(id) || t->sp_->IsUnknown(id) || user_defined) {
        t->added_tokens_.emplace_back(t->sp_->IdToPiece(id), id);
      }
      if (user_defined) t->user_defined_.push_back(t->sp_->IdToPiece(id));
    }
  }
  if (options.variant == TokenizerVariant::kHfSiglip) {
    // SiglipTokenizer's special tokens: eos "</s>", unk "<unk>", pad "</s>"
    // (or the configured pad token).
    std::vector<std::string> specials = {"</s>", "<unk>"};
    if (!options.hf_pad_token.empty() && options.hf_pad_token != "</s>") specials.push_back(options.hf_pad_token);
    for (const std::string& tok : specials) t->added_tokens_.emplace_back(tok, t->sp_->PieceToId(tok));
    t->unk_token_ = "<unk>";
  }
  // Unigram models are segmented by UnigramViterbi (see unigram_viterbi.h);
  // libsentencepiece still normalizes. A piece is usable when it is neither
  // control, unknown, unused nor a byte piece.
  {
    std::vector<UnigramViterbi::Piece> pieces(static_cast<size_t>(vocab));
    bool unigram = true;
    for (int id = 0; id < vocab; ++id) {
      auto& p = pieces[static_cast<size_t>(id)];
      p.text = t->sp_->IdToPiece(id);
      p.score = t->sp_->GetScore(id);
      p.usable = !(t->sp_->IsControl(id) || t->sp_->IsUnknown(id) || t->sp_->IsUnused(id) || t->sp_->IsByte(id));
      if (t->sp_->IsByte(id)) unigram = false;  // byte fallback: leave it to libsentencepiece
    }
    // BPE-type models have all scores <= 0 too; tell them apart by asking
    // libsentencepiece to agree with the Viterbi pass on a probe string.
    UnigramViterbi viterbi(pieces, t->sp_->unk_id());
    std::vector<int> reference;
    std::string probe = "a photo of a cat";
    status = t->sp_->Encode(probe, &reference);
    t->viterbi_ = std::move(viterbi);
    t->use_viterbi_ = unigram;
    if (unigram) {
      std::vector<int> ours;
      RETURN_IF_ERROR(t->EncodeIds(probe, &ours));
      t->use_viterbi_ = status.ok() && ours == reference;
    }
  }
  if (options.variant == TokenizerVariant::kHfSiglip) {
    std::vector<int> unk_ids;
    RETURN_IF_ERROR(t->EncodeIds(t->unk_token_, &unk_ids));
    t->unk_token_pieces_ = unk_ids.size();
  }
  TokenizerInfo& info = t->info_;
  info.kind = TokenizerKind::kSentencePiece;
  info.variant = options.variant;
  info.vocabulary_format = "sentencepiece";
  info.vocabulary_files = {name};
  info.vocabulary_sha256 = sha;
  info.vocabulary_size = vocab;
  info.context_length = options.context_length > 0 ? options.context_length : 64;
  info.bos_id = -1;
  info.eos_id = eos;
  info.eos_appended = !gemma || options.sp_append_eos;
  info.pad_id = pad;
  info.truncation = options.truncation;
  switch (options.variant) {
    case TokenizerVariant::kHfSiglip:
      info.text_cleaning = "'▁' prefix, special tokens split, lower, remove string.punctuation, \\s+ -> ' ', strip";
      break;
    case TokenizerVariant::kHfSiglip2:
      info.text_cleaning = "special tokens split, per-character lowercase, ' ' -> '▁' (Gemma BPE, byte fallback)";
      break;
    case TokenizerVariant::kHfGemma:
      info.text_cleaning = "special tokens split, ' ' -> '▁' (Gemma BPE, byte fallback; no lowercasing)";
      break;
    default:
      info.text_cleaning = "ftfy.fix_text, html.unescape x2, strip, '_' -> ' ', remove string.punctuation, lower, "
                           "' '.join(split())";
      break;
  }
  info.unicode_version = std::string("unicodedata ") + unicode::kUnicodeVersion + ", ftfy " + unicode::kFtfyVersion;
  return t;
}

Status SentencePieceTokenizer::EncodeIds(std::string_view text, std::vector<int>* ids) const {
  ids->clear();
  if (!use_viterbi_) {
    auto status = sp_->Encode(text, ids);
    if (!status.ok()) return InternalError("sentencepiece: " + SpStatusText(status));
    return Status::Ok();
  }
  sentencepiece::ImmutableSentencePieceText spt;
  auto status = sp_->Encode(text, spt.mutable_proto());
  if (!status.ok()) return InternalError("sentencepiece: " + SpStatusText(status));
  std::string normalized;
  for (size_t i = 0; i < spt.pieces_size(); ++i) normalized += spt.pieces(static_cast<int>(i)).piece();
  *ids = viterbi_.Encode(normalized);
  return Status::Ok();
}

Status SentencePieceTokenizer::EncodeHfSiglipChunk(std::u32string_view chunk, std::vector<int>* ids) const {
  CodePoints canonical = CanonicalizeHfSiglip(chunk);
  std::vector<int> encoded;
  RETURN_IF_ERROR(EncodeIds(unk_token_ + EncodeUtf8(canonical), &encoded));
  size_t skip = encoded.size() >= unk_token_pieces_ ? unk_token_pieces_ : 0;
  ids->insert(ids->end(), encoded.begin() + static_cast<std::ptrdiff_t>(skip), encoded.end());
  return Status::Ok();
}

StatusOr<std::vector<int64_t>> SentencePieceTokenizer::EncodeUnpadded(std::string_view text,
                                                                      int64_t* invalid_utf8_replaced) const {
  CodePoints cps;
  size_t replaced = DecodeUtf8Lossy(text, &cps);
  if (invalid_utf8_replaced != nullptr) *invalid_utf8_replaced = static_cast<int64_t>(replaced);
  std::vector<int64_t> ids;
  if (variant_ == TokenizerVariant::kOpenClipSiglip || variant_ == TokenizerVariant::kOpenClipSiglip2) {
    // The cleaned text has no '<' / '>' left, so no special token can occur.
    std::string cleaned = EncodeUtf8(CleanOpenClipCanonicalize(cps));
    std::vector<int> sp_ids;
    RETURN_IF_ERROR(EncodeIds(cleaned, &sp_ids));
    ids.assign(sp_ids.begin(), sp_ids.end());
    if (info_.eos_appended) ids.push_back(info_.eos_id);
    return ids;
  }
  if (variant_ == TokenizerVariant::kHfSiglip2 || variant_ == TokenizerVariant::kHfGemma) {
    RETURN_IF_ERROR(EncodeHfGemma(cps, variant_ == TokenizerVariant::kHfSiglip2, &ids));
    if (info_.eos_appended) ids.push_back(info_.eos_id);
    return ids;
  }
  // HF SiglipTokenizer.tokenize: "▁" + text with "▁" -> " ", split on the
  // added tokens (lstrip/rstrip), each other chunk canonicalized and encoded.
  CodePoints prefixed;
  prefixed.reserve(cps.size() + 1);
  prefixed.push_back(kSpieceUnderline);
  for (uint32_t c : cps) prefixed.push_back(c == kSpieceUnderline ? ' ' : c);
  std::vector<CodePoints> added;
  for (const auto& a : added_tokens_) added.push_back(DecodeUtf8Lossy(a.first));
  struct Part { std::u32string_view text; int special; };
  std::vector<Part> parts;
  size_t begin = 0, i = 0;
  while (i < prefixed.size()) {
    int best = -1;
    size_t best_len = 0;
    for (size_t k = 0; k < added.size(); ++k) {
      if (added[k].size() > best_len && std::u32string_view(prefixed).substr(i, added[k].size()) == added[k]) {
        best = static_cast<int>(k);
        best_len = added[k].size();
      }
    }
    if (best < 0) { ++i; continue; }
    if (i > begin) parts.push_back({std::u32string_view(prefixed).substr(begin, i - begin), -1});
    parts.push_back({std::u32string_view(prefixed).substr(i, best_len), best});
    i += best_len;
    begin = i;
  }
  if (begin < prefixed.size()) parts.push_back({std::u32string_view(prefixed).substr(begin), -1});
  // All SigLIP added tokens strip whitespace on both sides.
  for (size_t k = 0; k < parts.size(); ++k) {
    if (parts[k].special < 0) continue;
    if (k + 1 < parts.size() && parts[k + 1].special < 0) parts[k + 1].text = LStrip(parts[k + 1].text);
    if (k > 0 && parts[k - 1].special < 0) parts[k - 1].text = RStrip(parts[k - 1].text);
  }
  std::vector<int> piece_ids;
  std::vector<int> special_at;  // per piece: added-token index or -1
  for (const Part& p : parts) {
    if (p.text.empty()) continue;
    if (p.special >= 0) {
      piece_ids.push_back(added_tokens_[static_cast<size_t>(p.special)].second);
      special_at.push_back(p.special);
      continue;
    }
    size_t before = piece_ids.size();
    RETURN_IF_ERROR(EncodeHfSiglipChunk(p.text, &piece_ids));
    special_at.resize(special_at.size() + (piece_ids.size() - before), -1);
  }
  // SiglipTokenizer.tokenize drops a leading lone "▁" before a special token.
  size_t start = 0;
  if (piece_ids.size() > 1 && sp_->IdToPiece(piece_ids[0]) == "\xE2\x96\x81" && special_at[1] >= 0) start = 1;
  ids.insert(ids.end(), piece_ids.begin() + static_cast<std::ptrdiff_t>(start), piece_ids.end());
  ids.push_back(info_.eos_id);
  return ids;
}

void SentencePieceTokenizer::MergeBpe(const std::string& text, std::vector<int>* ids) const {
  // SentencePiece BPE spelled out: ' ' -> '▁', one symbol per code point,
  // then repeatedly merge the adjacent pair whose concatenation is a normal
  // piece of the highest score (leftmost on ties); symbols that are no
  // normal piece fall back to their UTF-8 bytes (<0xXX> pieces).
  std::vector<std::string> symbols;
  for (uint32_t c : DecodeUtf8Lossy(text)) {
    std::string u;
    AppendUtf8(c == ' ' ? kSpieceUnderline : c, &u);
    symbols.push_back(std::move(u));
  }
  auto normal_id = [&](const std::string& piece) {
    const int id = sp_->PieceToId(piece);
    const bool normal = id >= 0 && sp_->IdToPiece(id) == piece && !sp_->IsControl(id) && !sp_->IsUnknown(id) &&
                        !sp_->IsUnused(id) && !sp_->IsByte(id) &&
                        std::find(user_defined_.begin(), user_defined_.end(), piece) == user_defined_.end();
    return normal ? id : -1;
  };
  while (symbols.size() > 1) {
    size_t best = symbols.size();
    float best_score = 0;
    for (size_t i = 0; i + 1 < symbols.size(); ++i) {
      const int id = normal_id(symbols[i] + symbols[i + 1]);
      if (id >= 0 && (best == symbols.size() || sp_->GetScore(id) > best_score)) {
        best = i;
        best_score = sp_->GetScore(id);
      }
    }
    if (best == symbols.size()) break;
    symbols[best] += symbols[best + 1];
    symbols.erase(symbols.begin() + static_cast<std::ptrdiff_t>(best) + 1);
  }
  ids->clear();
  for (const std::string& symbol : symbols) {
    const int id = normal_id(symbol);
    if (id >= 0) {
      ids->push_back(id);
      continue;
    }
    for (unsigned char b : symbol) {
      char name[8];
      std::snprintf(name, sizeof(name), "<0x%02X>", b);
      const int byte_id = sp_->PieceToId(name);
      ids->push_back(byte_id >= 0 && sp_->IsByte(byte_id) ? byte_id : sp_->unk_id());
    }
  }
}

Status SentencePieceTokenizer::EncodeHfGemma(std::u32string_view text, bool lowercase,
                                             std::vector<int64_t>* ids) const {
  // Added tokens first (leftmost, longest), on the raw text; each stretch
  // between them is lowercased per character when `lowercase` (the
  // tokenizers Lowercase normalizer of Siglip2Tokenizer: no Final_Sigma
  // rule) and encoded by the BPE model.
  std::vector<std::pair<CodePoints, int32_t>> added;
  for (const auto& a : added_tokens_) added.emplace_back(DecodeUtf8Lossy(a.first), a.second);
  std::vector<int> piece_ids;
  auto encode_stretch = [&](std::u32string_view stretch) -> Status {
    if (stretch.empty()) return Status::Ok();
    const std::string normalized = EncodeUtf8(lowercase ? ContextFreeLower(stretch) : CodePoints(stretch));
    // Lowercasing can spell a user-defined piece ("<MASK>" -> "<mask>") that
    // libsentencepiece would match whole; the tokenizers BPE does not.
    bool spells_user_defined = false;
    for (const std::string& piece : user_defined_) spells_user_defined |= normalized.find(piece) != std::string::npos;
    if (spells_user_defined) {
      MergeBpe(normalized, &piece_ids);
    } else {
      RETURN_IF_ERROR(EncodeIds(normalized, &piece_ids));
    }
    ids->insert(ids->end(), piece_ids.begin(), piece_ids.end());
    return Status::Ok();
  };
  size_t begin = 0, i = 0;
  while (i < text.size()) {
    size_t best_len = 0;
    int32_t best_id = -1;
    for (const auto& [token, id] : added) {
      if (token.size() > best_len && text.substr(i, token.size()) == token) {
        best_len = token.size();
        best_id = id;
      }
    }
    if (best_len == 0) {
      ++i;
      continue;
    }
    RETURN_IF_ERROR(encode_stretch(text.substr(begin, i - begin)));
    ids->push_back(best_id);
    i += best_len;
    begin = i;
  }
  return encode_stretch(text.substr(begin));
}

StatusOr<std::unique_ptr<Tokenizer>> CreateSentencePieceTokenizer(const std::string& model_path,
                                                                  const TokenizerOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<SentencePieceTokenizer> t, SentencePieceTokenizer::Create(model_path, options));
  return std::unique_ptr<Tokenizer>(std::move(t));
}

}  // namespace cliprt
