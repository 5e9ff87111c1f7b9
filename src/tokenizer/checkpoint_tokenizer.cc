#include "tokenizer/checkpoint_tokenizer.h"

#include <cctype>
#include <filesystem>
#include <system_error>
#include <vector>

#include "io/json.h"
#include "tokenizer/file_bytes.h"

namespace cliprt {
namespace {

namespace fs = std::filesystem;

constexpr char kOpenAiMergesName[] = "bpe_simple_vocab_16e6.txt.gz";

enum class FilesKind { kNone, kOpenAiMerges, kHfVocabMerges, kSentencePiece };

// Where the vocabulary comes from.
struct VocabularyFiles {
  FilesKind kind = FilesKind::kNone;
  std::string primary;    // merges .gz/.txt | vocab.json | .model
  std::string secondary;  // merges.txt for HF BPE
  std::string folder;     // where tokenizer_config.json etc. are looked up
  std::string origin;     // "--tokenizer <path>" or "beside the weights"
};

bool IsFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

const char* FilesKindName(FilesKind k) {
  switch (k) {
    case FilesKind::kOpenAiMerges: return "OpenAI BPE merges file";
    case FilesKind::kHfVocabMerges: return "HF vocab.json + merges.txt";
    case FilesKind::kSentencePiece: return "SentencePiece model";
    case FilesKind::kNone: break;
  }
  return "no vocabulary";
}

// The explicit --tokenizer path: a file or a folder, classified by name.
StatusOr<VocabularyFiles> ResolveExplicitPath(const std::string& path) {
  VocabularyFiles f;
  if (path.empty()) return f;
  f.origin = "--tokenizer " + path;
  std::error_code ec;
  const fs::path p(path);
  if (fs::is_directory(p, ec)) {
    f.folder = path;
    if (IsFile(p / "vocab.json") && IsFile(p / "merges.txt")) {
      f.kind = FilesKind::kHfVocabMerges;
      f.primary = (p / "vocab.json").string();
      f.secondary = (p / "merges.txt").string();
    } else if (IsFile(p / "spiece.model")) {
      f.kind = FilesKind::kSentencePiece;
      f.primary = (p / "spiece.model").string();
    } else if (IsFile(p / "tokenizer.model")) {  // SigLIP2 (Gemma) folders
      f.kind = FilesKind::kSentencePiece;
      f.primary = (p / "tokenizer.model").string();
    } else if (IsFile(p / kOpenAiMergesName)) {
      f.kind = FilesKind::kOpenAiMerges;
      f.primary = (p / kOpenAiMergesName).string();
    } else {
      return NotFoundError("tokenizer folder '" + path + "' has none of vocab.json + merges.txt, spiece.model, " +
                           "tokenizer.model, " + kOpenAiMergesName);
    }
    return f;
  }
  if (!IsFile(p)) return NotFoundError("tokenizer path '" + path + "' does not exist or is not a file or folder");
  const std::string name = p.filename().string();
  f.folder = p.parent_path().string();
  if (name == "vocab.json" || name == "merges.txt") {
    const fs::path vocab = p.parent_path() / "vocab.json", merges = p.parent_path() / "merges.txt";
    if (!IsFile(vocab) || !IsFile(merges)) {
      return NotFoundError("tokenizer path '" + path + "': HF BPE needs both vocab.json and merges.txt in '" +
                           f.folder + "'");
    }
    f.kind = FilesKind::kHfVocabMerges;
    f.primary = vocab.string();
    f.secondary = merges.string();
  } else if (EndsWith(name, ".model")) {
    f.kind = FilesKind::kSentencePiece;
    f.primary = path;
  } else if (EndsWith(name, ".txt") || EndsWith(name, ".gz")) {
    f.kind = FilesKind::kOpenAiMerges;
    f.primary = path;
  } else {
    return InvalidArgumentError("cannot tell the tokenizer format of '" + path +
                                "': expected bpe_simple_vocab_16e6.txt[.gz], vocab.json / merges.txt, a "
                                "SentencePiece .model, or a folder holding them");
  }
  return f;
}

// The tokenizer files found beside the weights.
VocabularyFiles LocatedFiles(const io::Checkpoint& ck) {
  VocabularyFiles f;
  f.origin = "beside the weights";
  if (!ck.located.config.empty()) f.folder = fs::path(ck.located.config).parent_path().string();
  if (!ck.located.vocab_json.empty() && !ck.located.merges_txt.empty()) {
    f.kind = FilesKind::kHfVocabMerges;
    f.primary = ck.located.vocab_json;
    f.secondary = ck.located.merges_txt;
  } else if (!ck.located.spiece_model.empty()) {
    f.kind = FilesKind::kSentencePiece;
    f.primary = ck.located.spiece_model;
  } else if (!f.folder.empty() && IsFile(fs::path(f.folder) / "tokenizer.model")) {  // SigLIP2 (Gemma)
    f.kind = FilesKind::kSentencePiece;
    f.primary = (fs::path(f.folder) / "tokenizer.model").string();
  } else if (!f.folder.empty() && IsFile(fs::path(f.folder) / kOpenAiMergesName)) {
    f.kind = FilesKind::kOpenAiMerges;
    f.primary = (fs::path(f.folder) / kOpenAiMergesName).string();
  }
  return f;
}

// What an HF tokenizer folder's tokenizer_config.json / special_tokens_map.json say.
struct HfTokenizerConfig {
  std::string pad_token, pad_source;
  std::string tokenizer_class, class_source;
  int64_t model_max_length = 0;
  bool do_lower_case = true;
  bool do_lower_case_set = false;
  bool add_eos_token = false, add_bos_token = false;  // Gemma tokenizers (defaults: no eos, bos)
  bool add_bos_token_set = false;
  std::string flags_source;
};

// A special token is a string or an AddedToken object {"content": ...}.
StatusOr<std::string> TokenString(const io::JsonValue& v, const std::string& where) {
  if (v.is_string()) return v.string();
  if (v.is_object()) {
    const io::JsonValue* content = v.Find("content");
    if (content != nullptr && content->is_string()) return content->string();
  }
  return CorruptDataError(where + " is neither a string nor {\"content\": ...}");
}

StatusOr<HfTokenizerConfig> ReadHfTokenizerConfig(const std::string& folder) {
  HfTokenizerConfig c;
  if (folder.empty()) return c;
  for (const char* name : {"tokenizer_config.json", "special_tokens_map.json"}) {
    const std::string path = (fs::path(folder) / name).string();
    if (!IsFile(path)) continue;
    ASSIGN_OR_RETURN(std::string text, ReadTokenizerFile(path));
    ASSIGN_OR_RETURN(io::JsonValue doc, io::ParseJson(text, path));
    if (!doc.is_object()) return CorruptDataError(path + ": expected a JSON object");
    const io::JsonValue* pad = doc.Find("pad_token");
    if (c.pad_source.empty() && pad != nullptr && !pad->is_null()) {
      ASSIGN_OR_RETURN(c.pad_token, TokenString(*pad, path + ": pad_token"));
      c.pad_source = path;
    }
    const io::JsonValue* cls = doc.Find("tokenizer_class");
    if (c.class_source.empty() && cls != nullptr && cls->is_string()) {
      c.tokenizer_class = cls->string();
      c.class_source = path;
    }
    const io::JsonValue* max_len = doc.Find("model_max_length");
    if (c.model_max_length == 0 && max_len != nullptr && max_len->is_int()) c.model_max_length = max_len->int_value();
    for (const char* key : {"add_eos_token", "add_bos_token"}) {
      const io::JsonValue* flag = doc.Find(key);
      if (flag == nullptr || flag->is_null()) continue;
      if (!flag->is_bool()) return CorruptDataError(path + ": " + key + " is not true/false");
      (std::string_view(key) == "add_eos_token" ? c.add_eos_token : c.add_bos_token) = flag->bool_value();
      if (std::string_view(key) == "add_bos_token") c.add_bos_token_set = true;
      c.flags_source = path;
    }
    const io::JsonValue* lower = doc.Find("do_lower_case");
    if (!c.do_lower_case_set && lower != nullptr && lower->is_bool()) {
      c.do_lower_case = lower->bool_value();
      c.do_lower_case_set = true;
    }
  }
  return c;
}

std::string FamilyName(const io::Checkpoint& ck) { return io::ArchFamilyName(ck.config.family); }

Status WrongKind(const io::Checkpoint& ck, const VocabularyFiles& f, const char* needed) {
  return InvalidArgumentError("a " + FamilyName(ck) + " checkpoint tokenizes with " + needed + ", but " + f.origin +
                              " is a " + FilesKindName(f.kind) + " (" + f.primary + ")");
}

// CLIP BPE for OpenAI / open_clip SimpleTokenizer: the merges file, or the
// same vocabulary as HF files (the demo model's open_clip folder).
Status ChooseClipBpeFiles(const io::Checkpoint& ck, const VocabularyFiles& f, const std::string& missing_hint,
                          TokenizerChoice* choice, std::vector<std::string>* why) {
  if (f.kind == FilesKind::kNone) return NotFoundError(missing_hint);
  if (f.kind == FilesKind::kSentencePiece) return WrongKind(ck, f, "CLIP BPE");
  choice->primary_file = f.primary;
  choice->secondary_file = f.secondary;
  why->push_back(std::string("vocabulary: ") + FilesKindName(f.kind) + " " + f.primary +
                 (f.secondary.empty() ? "" : " + " + f.secondary) + " (" + f.origin + ")");
  return Status::Ok();
}

Status CheckTokenizerClass(const HfTokenizerConfig& hf, std::initializer_list<std::string_view> accepted,
                           const std::string& family, std::vector<std::string>* why) {
  if (hf.tokenizer_class.empty()) return Status::Ok();
  for (std::string_view a : accepted) {
    if (hf.tokenizer_class == a) {
      why->push_back("tokenizer_class " + hf.tokenizer_class + " (" + hf.class_source + ")");
      return Status::Ok();
    }
  }
  return UnsupportedError(hf.class_source + ": tokenizer_class '" + hf.tokenizer_class + "' is not reproduced for a " +
                          family + " checkpoint (cliprt reproduces CLIPTokenizer and SiglipTokenizer)");
}

bool Contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

bool IsGemmaClass(const std::string& cls) {
  return cls == "GemmaTokenizer" || cls == "GemmaTokenizerFast" || cls == "Siglip2Tokenizer";
}

// An open_clip hf_tokenizer_name like "hf:timm/ViT-B-16-SigLIP2".
bool ContainsSiglip2(std::string name) {
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return Contains(name, "siglip2");
}

}  // namespace

StatusOr<TokenizerChoice> ChooseTokenizerForCheckpoint(const io::Checkpoint& ck, const std::string& explicit_path,
                                                       TruncationPolicy truncation) {
  TokenizerChoice choice;
  std::vector<std::string> why;
  const io::TextConfig& text = ck.config.text;
  const std::string family = FamilyName(ck);
  ASSIGN_OR_RETURN(VocabularyFiles files, ResolveExplicitPath(explicit_path));
  if (files.kind == FilesKind::kNone) files = LocatedFiles(ck);
  choice.options.truncation = truncation;
  if (text.context_length > 0) {
    choice.options.context_length = static_cast<int>(text.context_length);
    why.push_back("context length " + std::to_string(text.context_length) + " (text.context_length)");
  }
  choice.expected_vocab_size = text.vocab_size;

  switch (ck.config.family) {
    case io::ArchFamily::kOpenAiVit:
    case io::ArchFamily::kOpenAiResNet: {
      choice.options.variant = TokenizerVariant::kOpenAiClip;
      why.push_back("family " + family + " -> clip.tokenize(truncate=True)");
      RETURN_IF_ERROR(ChooseClipBpeFiles(
          ck, files,
          "OpenAI checkpoints carry no vocabulary: pass --tokenizer path/to/bpe_simple_vocab_16e6.txt.gz (or a "
          "folder with the same vocabulary as vocab.json + merges.txt)",
          &choice, &why));
      break;
    }
    case io::ArchFamily::kOpenClip: {
      if (text.tokenizer.rfind("hf:", 0) == 0) {
        return UnsupportedError("open_clip text_cfg.hf_tokenizer_name '" + text.tokenizer.substr(3) +
                                "': open_clip's HFTokenizer over a CLIP text tower is not reproduced (cliprt "
                                "reproduces SimpleTokenizer and the SigLIP SentencePiece tokenizers)");
      }
      const std::string clean = text.tokenizer_clean.empty() ? "lower" : text.tokenizer_clean;
      if (clean == "lower") choice.options.variant = TokenizerVariant::kOpenClip;
      else if (clean == "whitespace") choice.options.variant = TokenizerVariant::kOpenClipWhitespace;
      else if (clean == "canonicalize") choice.options.variant = TokenizerVariant::kOpenClipCanonicalize;
      else {
        return InvalidArgumentError("open_clip text_cfg.tokenizer_kwargs.clean '" + clean +
                                    "' is not one of lower, whitespace, canonicalize");
      }
      why.push_back("family open_clip -> SimpleTokenizer clean=" + clean +
                    " (text_cfg.tokenizer_kwargs.clean, default lower)");
      RETURN_IF_ERROR(ChooseClipBpeFiles(
          ck, files,
          "open_clip checkpoints carry no vocabulary (SimpleTokenizer uses the bpe_simple_vocab_16e6.txt.gz bundled "
          "with open_clip): pass --tokenizer path/to/bpe_simple_vocab_16e6.txt.gz",
          &choice, &why));
      break;
    }
    case io::ArchFamily::kHfClip: {
      if (files.kind == FilesKind::kNone) {
        const std::string where = files.folder.empty() ? "the checkpoint" : "'" + files.folder + "'";
        return NotFoundError(
            where + " has no vocab.json + merges.txt" +
            (ck.located.tokenizer_json.empty() ? "" : " (tokenizer.json alone is not read)") +
            ": pass --tokenizer path/to/folder-with-vocab.json-and-merges.txt (or bpe_simple_vocab_16e6.txt.gz)");
      }
      if (files.kind == FilesKind::kSentencePiece) return WrongKind(ck, files, "CLIP BPE");
      ASSIGN_OR_RETURN(HfTokenizerConfig hf, ReadHfTokenizerConfig(files.folder));
      RETURN_IF_ERROR(CheckTokenizerClass(hf, {"CLIPTokenizer", "CLIPTokenizerFast"}, family, &why));
      choice.options.variant = TokenizerVariant::kHfClipFast;
      why.push_back("family hf-clip -> CLIPTokenizerFast (AutoTokenizer / CLIPProcessor default), "
                    "padding=max_length, truncation=True");
      choice.primary_file = files.primary;
      choice.secondary_file = files.secondary;
      why.push_back(std::string("vocabulary: ") + FilesKindName(files.kind) + " " + files.primary +
                    (files.secondary.empty() ? "" : " + " + files.secondary) + " (" + files.origin + ")");
      choice.options.hf_pad_token = hf.pad_token;
      why.push_back(hf.pad_token.empty() ? "pad token <|endoftext|> (CLIPTokenizer default)"
                                         : "pad token '" + hf.pad_token + "' (" + hf.pad_source + ")" +
                                               (hf.pad_token == "!" ? ": a literal '!' is that special token" : ""));
      if (hf.model_max_length > 0 && hf.model_max_length != text.context_length) {
        why.push_back("model_max_length " + std::to_string(hf.model_max_length) +
                      " differs from the position embeddings; padding to " + std::to_string(text.context_length));
      }
      if (text.pool == "eos") {
        choice.expected_eos_id = text.eos_id;
        why.push_back("text tower pools at the first eos_token_id " + std::to_string(text.eos_id));
      }
      break;
    }
    case io::ArchFamily::kHfSiglip:
    case io::ArchFamily::kOpenClipSiglip: {
      const bool hf_family = ck.config.family == io::ArchFamily::kHfSiglip;
      if (files.kind == FilesKind::kNone) {
        std::string name = text.tokenizer.rfind("hf:", 0) == 0 ? " of " + text.tokenizer.substr(3) : "";
        return NotFoundError(family + " checkpoint has no spiece.model (SigLIP) or tokenizer.model (SigLIP2)" +
                             (ck.located.tokenizer_json.empty() ? "" : " (tokenizer.json alone is not read)") +
                             ": pass --tokenizer path/to/spiece.model" + name);
      }
      if (files.kind != FilesKind::kSentencePiece) return WrongKind(ck, files, "SentencePiece");
      ASSIGN_OR_RETURN(HfTokenizerConfig hf, ReadHfTokenizerConfig(files.folder));
      // SigLIP2 ships Gemma's tokenizer (tokenizer_class GemmaTokenizer in
      // the hub configs; open_clip names timm/ViT-*-SigLIP2).
      const bool gemma = IsGemmaClass(hf.tokenizer_class) || ContainsSiglip2(text.tokenizer);
      if (gemma && hf.add_bos_token_set && hf.add_bos_token) {
        return UnsupportedError(hf.flags_source + ": a Gemma tokenizer with add_bos_token=true is not reproduced "
                                "(SigLIP2 adds no BOS)");
      }
      if (hf_family && gemma) {
        RETURN_IF_ERROR(CheckTokenizerClass(hf, {"GemmaTokenizer", "GemmaTokenizerFast", "Siglip2Tokenizer"}, family,
                                            &why));
        // transformers' AutoTokenizer uses the declared class for a
        // model_type "siglip" folder (the SigLIP2 FixRes hub checkpoints
        // declare GemmaTokenizer, which does not lowercase); only
        // Siglip2Tokenizer (model_type "siglip2" folders, or a config that
        // names it) lowercases as SigLIP2 was trained.
        if (hf.tokenizer_class == "Siglip2Tokenizer") {
          choice.options.variant = TokenizerVariant::kHfSiglip2;
          why.push_back("family hf-siglip with tokenizer_class Siglip2Tokenizer -> transformers Siglip2Tokenizer "
                        "(per-character lowercase), padding=max_length, truncation=True");
        } else {
          choice.options.variant = TokenizerVariant::kHfGemma;
          why.push_back("family hf-siglip (model_type siglip) with a Gemma tokenizer -> transformers GemmaTokenizer, "
                        "as AutoTokenizer / SiglipProcessor load it (no lowercasing, although SigLIP2 was "
                        "trained on lowercased text), padding=max_length, truncation=True");
        }
        choice.options.sp_append_eos = hf.add_eos_token;
        why.push_back(std::string("add_eos_token ") + (hf.add_eos_token ? "true" : "false") +
                      (hf.flags_source.empty() ? " (GemmaTokenizer default)" : " (" + hf.flags_source + ")"));
      } else if (hf_family) {
        RETURN_IF_ERROR(CheckTokenizerClass(hf, {"SiglipTokenizer"}, family, &why));
        if (hf.do_lower_case_set && !hf.do_lower_case) {
          return UnsupportedError("SiglipTokenizer with do_lower_case=false is not reproduced");
        }
        choice.options.variant = TokenizerVariant::kHfSiglip;
        why.push_back("family hf-siglip -> SiglipTokenizer (slow), padding=max_length, truncation=True");
      } else {
        const std::string clean = text.tokenizer_clean.empty() ? "whitespace" : text.tokenizer_clean;
        if (clean != "canonicalize") {
          return UnsupportedError("open_clip SigLIP with tokenizer_kwargs.clean '" + clean +
                                  "' is not reproduced (only 'canonicalize', as SigLIP and SigLIP2 configs have)");
        }
        choice.options.variant = gemma ? TokenizerVariant::kOpenClipSiglip2 : TokenizerVariant::kOpenClipSiglip;
        why.push_back("family open_clip-siglip -> open_clip HFTokenizer(" + text.tokenizer.substr(3) +
                      ") clean=canonicalize, padding=max_length" +
                      (gemma ? "; Gemma tokenizer (SigLIP2): EOS appended, pad <pad>" : ""));
      }
      choice.primary_file = files.primary;
      why.push_back(std::string("vocabulary: SentencePiece model ") + files.primary + " (" + files.origin + ")");
      choice.options.hf_pad_token = hf.pad_token;
      why.push_back(hf.pad_token.empty() ? "eos = pad = the model's eos piece (T5 / SigLIP v1)"
                                         : "eos = the model's eos piece, pad token '" + hf.pad_token + "' (" +
                                               hf.pad_source + ")");
      break;
    }
    case io::ArchFamily::kUnknown:
      return FailedPreconditionError("the checkpoint's model family is unknown: no tokenizer can be chosen");
  }

  if (ck.manifest.has_value() && !ck.manifest->tokenizer.empty()) {
    const std::string& m = ck.manifest->tokenizer;
    const bool manifest_sp = Contains(m, "Siglip") || Contains(m, "spiece") || Contains(m, "SentencePiece") ||
                             Contains(m, "Gemma");
    const bool chosen_sp = IsSentencePieceVariant(choice.options.variant);
    if (manifest_sp != chosen_sp) {
      return FailedPreconditionError("manifest " + ck.manifest->name + " says the tokenizer is '" + m + "', but " +
                                     family + " implies " + TokenizerVariantName(choice.options.variant));
    }
    why.push_back("manifest " + ck.manifest->name + ": " + m);
  }
  if (choice.expected_vocab_size > 0) {
    why.push_back("vocabulary must have " + std::to_string(choice.expected_vocab_size) +
                  " entries (text.vocab_size)");
  }
  for (const std::string& w : why) {
    if (!choice.reason.empty()) choice.reason += "; ";
    choice.reason += w;
  }
  return choice;
}

StatusOr<std::unique_ptr<Tokenizer>> CreateTokenizerForCheckpoint(const io::Checkpoint& ck,
                                                                  const std::string& explicit_path,
                                                                  TruncationPolicy truncation) {
  ASSIGN_OR_RETURN(TokenizerChoice choice, ChooseTokenizerForCheckpoint(ck, explicit_path, truncation));
  return CreateTokenizer(choice);
}

}  // namespace cliprt
