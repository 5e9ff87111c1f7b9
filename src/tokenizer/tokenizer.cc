#include "tokenizer/tokenizer.h"

#include <sys/stat.h>

#include "tokenizer/bpe_vocabulary.h"
#include "tokenizer/clip_bpe_tokenizer.h"
#include "tokenizer/file_bytes.h"
#include "io/json.h"

namespace cliprt {
namespace {

struct VariantName {
  TokenizerVariant variant;
  const char* name;
};
constexpr VariantName kVariantNames[] = {
    {TokenizerVariant::kOpenAiClip, "openai_clip"},
    {TokenizerVariant::kOpenClip, "open_clip"},
    {TokenizerVariant::kOpenClipWhitespace, "open_clip_whitespace"},
    {TokenizerVariant::kOpenClipCanonicalize, "open_clip_canonicalize"},
    {TokenizerVariant::kHfClipSlow, "hf_clip_slow"},
    {TokenizerVariant::kHfClipSlowNoFtfy, "hf_clip_slow_no_ftfy"},
    {TokenizerVariant::kHfClipFast, "hf_clip_fast"},
    {TokenizerVariant::kHfSiglip, "hf_siglip"},
    {TokenizerVariant::kOpenClipSiglip, "open_clip_siglip"},
    {TokenizerVariant::kHfSiglip2, "hf_siglip2"},
    {TokenizerVariant::kOpenClipSiglip2, "open_clip_siglip2"},
    {TokenizerVariant::kHfGemma, "hf_gemma"},
};

bool FileExists(const std::string& path) {
  struct stat st {};
  return !path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string Join(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

// The pad token of an HF tokenizer folder: tokenizer_config.json, then
// special_tokens_map.json; a string or an AddedToken object {"content": ...}.
StatusOr<std::string> ReadHfPadToken(const std::string& dir, std::string* source) {
  for (const char* name : {"tokenizer_config.json", "special_tokens_map.json"}) {
    std::string path = Join(dir, name);
    if (!FileExists(path)) continue;
    ASSIGN_OR_RETURN(std::string text, ReadTokenizerFile(path));
    ASSIGN_OR_RETURN(io::JsonValue doc, io::ParseJson(text, path));
    const io::JsonValue* pad = doc.Find("pad_token");
    if (pad == nullptr || pad->is_null()) continue;
    if (pad->is_string()) {
      *source = path;
      return pad->string();
    }
    if (pad->is_object()) {
      const io::JsonValue* content = pad->Find("content");
      if (content != nullptr && content->is_string()) {
        *source = path;
        return content->string();
      }
    }
    return CorruptDataError(path + ": pad_token is neither a string nor {\"content\": ...}");
  }
  return std::string();
}

}  // namespace

const char* TokenizerVariantName(TokenizerVariant variant) {
  for (const auto& v : kVariantNames) {
    if (v.variant == variant) return v.name;
  }
  return "unknown";
}

bool IsSentencePieceVariant(TokenizerVariant v) {
  return v == TokenizerVariant::kHfSiglip || v == TokenizerVariant::kOpenClipSiglip ||
         v == TokenizerVariant::kHfSiglip2 || v == TokenizerVariant::kOpenClipSiglip2 ||
         v == TokenizerVariant::kHfGemma;
}

const char* TokenizerKindName(TokenizerKind kind) {
  return kind == TokenizerKind::kClipBpe ? "clip_bpe" : "sentencepiece";
}

StatusOr<TokenizerVariant> ParseTokenizerVariant(std::string_view name) {
  std::string known;
  for (const auto& v : kVariantNames) {
    if (name == v.name) return v.variant;
    known += known.empty() ? "" : ", ";
    known += v.name;
  }
  return InvalidArgumentError("unknown tokenizer variant '" + std::string(name) + "' (known: " + known + ")");
}

std::string TokenizerInfo::ToString() const {
  std::string s = std::string("kind=") + TokenizerKindName(kind) + " variant=" + TokenizerVariantName(variant) +
                  " vocabulary=" + vocabulary_format + " sha256=" + vocabulary_sha256 +
                  " vocab_size=" + std::to_string(vocabulary_size) +
                  " context_length=" + std::to_string(context_length) + " bos=" + std::to_string(bos_id) +
                  " eos=" + std::to_string(eos_id) + (eos_appended ? "" : " (not appended)") +
                  " pad=" + std::to_string(pad_id) +
                  " truncation=" + (truncation == TruncationPolicy::kTruncate ? "truncate" : "strict");
  if (!selection_reason.empty()) s += " reason=\"" + selection_reason + "\"";
  return s;
}

StatusOr<TokenizedBatch> Tokenizer::Encode(const std::vector<std::string>& texts) const {
  std::vector<std::string_view> views(texts.begin(), texts.end());
  return Encode(std::span<const std::string_view>(views));
}

StatusOr<TokenizedBatch> Tokenizer::Encode(std::span<const std::string_view> texts) const {
  const int64_t n = static_cast<int64_t>(texts.size());
  const int ctx = info_.context_length;
  TokenizedBatch batch;
  ASSIGN_OR_RETURN(batch.ids, Tensor::Empty(DType::kI64, Shape{n, ctx}));
  int64_t* out = batch.ids.data_as<int64_t>();
  batch.dropped_tokens.resize(texts.size());
  batch.lengths.resize(texts.size());
  batch.invalid_utf8_replaced.resize(texts.size());
  for (int64_t i = 0; i < n; ++i) {
    int64_t replaced = 0;
    ASSIGN_OR_RETURN(std::vector<int64_t> ids, EncodeUnpadded(texts[static_cast<size_t>(i)], &replaced));
    int64_t dropped = 0;
    if (static_cast<int64_t>(ids.size()) > ctx) {
      dropped = static_cast<int64_t>(ids.size()) - ctx;
      if (info_.truncation == TruncationPolicy::kStrict) {
        return OutOfRangeError("text " + std::to_string(i) + " has " + std::to_string(ids.size()) +
                               " tokens, more than the context length " + std::to_string(ctx) +
                               " (strict truncation policy)");
      }
      ids.resize(static_cast<size_t>(ctx));
      if (info_.eos_appended && ctx > 0) ids.back() = info_.eos_id;
    }
    int64_t* row = out + i * ctx;
    for (size_t k = 0; k < ids.size(); ++k) row[k] = ids[k];
    for (int64_t k = static_cast<int64_t>(ids.size()); k < ctx; ++k) row[k] = info_.pad_id;
    batch.dropped_tokens[static_cast<size_t>(i)] = dropped;
    batch.lengths[static_cast<size_t>(i)] = static_cast<int32_t>(ids.size());
    batch.invalid_utf8_replaced[static_cast<size_t>(i)] = replaced;
  }
  return batch;
}

StatusOr<std::unique_ptr<Tokenizer>> CreateClipBpeTokenizer(const std::string& merges_or_vocab,
                                                            const std::string& hf_merges,
                                                            const TokenizerOptions& options) {
  StatusOr<BpeVocabulary> vocab = hf_merges.empty() ? BpeVocabulary::FromOpenAiMergesFile(merges_or_vocab)
                                                    : BpeVocabulary::FromHfFiles(merges_or_vocab, hf_merges);
  if (!vocab.ok()) return vocab.status();
  ASSIGN_OR_RETURN(std::unique_ptr<ClipBpeTokenizer> t, ClipBpeTokenizer::Create(std::move(vocab).value(), options));
  return std::unique_ptr<Tokenizer>(std::move(t));
}

StatusOr<TokenizerChoice> ChooseTokenizer(const TokenizerHints& hints) {
  TokenizerChoice choice;
  choice.options.context_length = hints.context_length;
  const std::string& fam = hints.family;
  if (fam == "openai" || fam == "open_clip") {
    std::string in_dir = Join(hints.directory, "bpe_simple_vocab_16e6.txt.gz");
    if (!hints.directory.empty() && FileExists(in_dir)) {
      choice.primary_file = in_dir;
    } else if (FileExists(hints.bpe_path)) {
      choice.primary_file = hints.bpe_path;
    } else {
      return NotFoundError("no OpenAI BPE vocabulary: neither '" + in_dir + "' nor bpe_path '" + hints.bpe_path +
                           "' exists");
    }
    if (fam == "openai") {
      choice.options.variant = TokenizerVariant::kOpenAiClip;
      choice.reason = "family openai -> clip.tokenize(truncate=True); vocabulary " + choice.primary_file;
    } else {
      std::string clean = hints.open_clip_clean.empty() ? "lower" : hints.open_clip_clean;
      if (clean == "lower") choice.options.variant = TokenizerVariant::kOpenClip;
      else if (clean == "whitespace") choice.options.variant = TokenizerVariant::kOpenClipWhitespace;
      else if (clean == "canonicalize") choice.options.variant = TokenizerVariant::kOpenClipCanonicalize;
      else return InvalidArgumentError("unknown open_clip clean '" + clean + "' (lower, whitespace, canonicalize)");
      choice.reason = "family open_clip, clean=" + clean + " -> open_clip SimpleTokenizer; vocabulary " +
                      choice.primary_file;
    }
    return choice;
  }
  if (fam == "hf_clip") {
    std::string vocab = Join(hints.directory, "vocab.json"), merges = Join(hints.directory, "merges.txt");
    if (!FileExists(vocab) || !FileExists(merges)) {
      return NotFoundError("HF CLIP tokenizer needs vocab.json and merges.txt in '" + hints.directory + "'");
    }
    choice.primary_file = vocab;
    choice.secondary_file = merges;
    std::string pad_source;
    ASSIGN_OR_RETURN(choice.options.hf_pad_token, ReadHfPadToken(hints.directory, &pad_source));
    choice.options.variant = hints.hf_prefer_fast         ? TokenizerVariant::kHfClipFast
                             : hints.hf_slow_without_ftfy ? TokenizerVariant::kHfClipSlowNoFtfy
                                                          : TokenizerVariant::kHfClipSlow;
    choice.reason = std::string("family hf_clip -> ") +
                    (hints.hf_prefer_fast         ? "CLIPTokenizerFast (AutoTokenizer default)"
                     : hints.hf_slow_without_ftfy ? "CLIPTokenizer (slow) without ftfy (BERT BasicTokenizer cleaning)"
                                                  : "CLIPTokenizer (slow)") +
                    "; pad token " +
                    (choice.options.hf_pad_token.empty() ? "<|endoftext|> (default)"
                                                         : "'" + choice.options.hf_pad_token + "' from " + pad_source);
    return choice;
  }
  if (fam == "siglip" || fam == "open_clip_siglip") {
    std::string model = Join(hints.directory, "spiece.model");
    if (!FileExists(model)) return NotFoundError("SigLIP tokenizer needs spiece.model in '" + hints.directory + "'");
    choice.primary_file = model;
    choice.options.variant = fam == "siglip" ? TokenizerVariant::kHfSiglip : TokenizerVariant::kOpenClipSiglip;
    choice.reason = fam == "siglip" ? "family siglip -> HF SiglipTokenizer (canonicalize, no ftfy), pad to 64"
                                    : "family open_clip_siglip -> open_clip HFTokenizer clean=canonicalize, pad to 64";
    return choice;
  }
  return InvalidArgumentError("unknown tokenizer family '" + fam +
                              "' (openai, open_clip, hf_clip, siglip, open_clip_siglip)");
}

StatusOr<std::unique_ptr<Tokenizer>> CreateTokenizer(const TokenizerChoice& choice) {
  StatusOr<std::unique_ptr<Tokenizer>> t =
      IsSentencePieceVariant(choice.options.variant)
          ? CreateSentencePieceTokenizer(choice.primary_file, choice.options)
          : CreateClipBpeTokenizer(choice.primary_file, choice.secondary_file, choice.options);
  if (!t.ok()) return t.status();
  std::unique_ptr<Tokenizer> tok = std::move(t).value();
  const TokenizerInfo& info = tok->info();
  if (choice.expected_vocab_size > 0 && info.vocabulary_size != choice.expected_vocab_size) {
    return FailedPreconditionError("tokenizer vocabulary " + choice.primary_file + " has " +
                                   std::to_string(info.vocabulary_size) + " entries, but the text tower's token "
                                   "embedding has " + std::to_string(choice.expected_vocab_size) +
                                   " rows (text.vocab_size): wrong vocabulary for this checkpoint");
  }
  if (choice.expected_eos_id >= 0 && info.eos_id != choice.expected_eos_id) {
    return FailedPreconditionError("the text tower pools at eos id " + std::to_string(choice.expected_eos_id) +
                                   ", but tokenizer " + choice.primary_file + " ends texts with id " +
                                   std::to_string(info.eos_id));
  }
  tok->SetSelectionReason(choice.reason);
  return tok;
}

}  // namespace cliprt
