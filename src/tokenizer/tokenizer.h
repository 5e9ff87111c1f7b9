// One interface over every reference text tokenizer cliprt reproduces
// (REFERENCE.md §4): CLIP byte-level BPE in its OpenAI / open_clip / Hugging
// Face flavours and SentencePiece for SigLIP. A Tokenizer turns a batch of
// UTF-8 texts into ids [N, context_length] (int64), reports per text how many
// tokens truncation dropped, and describes itself for result provenance.
//
// Invalid UTF-8 never fails: the references operate on Python str, so input
// bytes are decoded like bytes.decode('utf-8', errors='replace') (each
// maximal ill-formed subsequence -> U+FFFD) and the count of replacements is
// reported per text. Embedded NULs are ordinary characters (ftfy removes them
// in the variants that run ftfy). Inputs of any size are processed in time
// and memory linear in their length; only the first context_length ids are
// kept. A loaded Tokenizer is immutable and safe to share across threads.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "tensor/tensor.h"

namespace cliprt {

enum class TokenizerKind { kClipBpe, kSentencePiece };

enum class TokenizerVariant {
  kOpenAiClip,             // clip.tokenize(texts, truncate=True): pad 0
  kOpenClip,               // open_clip SimpleTokenizer, clean='lower' (default)
  kOpenClipWhitespace,     // open_clip SimpleTokenizer, clean='whitespace'
  kOpenClipCanonicalize,   // open_clip SimpleTokenizer, clean='canonicalize'
  kHfClipSlow,             // transformers 4.x CLIPTokenizer (slow) with ftfy installed
  kHfClipSlowNoFtfy,       // transformers 4.x CLIPTokenizer (slow) without ftfy: BERT BasicTokenizer cleaning
  kHfClipFast,             // transformers CLIPTokenizerFast / tokenizers
  kHfSiglip,               // transformers SiglipTokenizer (slow, SentencePiece)
  kOpenClipSiglip,         // open_clip HFTokenizer clean='canonicalize' (big_vision style)
  kHfSiglip2,              // transformers 5 Siglip2Tokenizer: Gemma BPE (byte fallback) + lowercase
  kOpenClipSiglip2,        // open_clip HFTokenizer clean='canonicalize' over the Gemma tokenizer
  kHfGemma,                // transformers 5 GemmaTokenizer (what AutoTokenizer loads for a model_type
                           // "siglip" folder naming it: SigLIP2 FixRes hub checkpoints): no lowercasing
};

enum class TruncationPolicy {
  kTruncate,  // keep the first context_length ids, end-of-text last; count the dropped ones
  kStrict,    // a text that does not fit is an error naming its index
};

const char* TokenizerVariantName(TokenizerVariant variant);
bool IsSentencePieceVariant(TokenizerVariant variant);
const char* TokenizerKindName(TokenizerKind kind);
StatusOr<TokenizerVariant> ParseTokenizerVariant(std::string_view name);

struct TokenizerOptions {
  TokenizerVariant variant = TokenizerVariant::kOpenAiClip;
  int context_length = 0;  // 0: the variant's default (CLIP 77, SigLIP 64)
  TruncationPolicy truncation = TruncationPolicy::kTruncate;
  // Hugging Face variants: the pad token string (tokenizer_config.json /
  // special_tokens_map.json). Empty: the variant default ("<|endoftext|>" for
  // CLIP, "</s>" for SigLIP). "!" reproduces SD2/LAION configs, where a
  // literal "!" in the text is matched as that special token.
  std::string hf_pad_token;
  // SentencePiece variants: the eos / pad ids; -1 = the model's eos id (1
  // for T5-style models) for both, as SigLIP v1 configs do.
  int64_t sp_eos_id = -1;
  int64_t sp_pad_id = -1;
  // SigLIP2 (Gemma) variants: whether the end token is appended
  // (tokenizer_config.json add_eos_token; open_clip's SigLIP2 path appends
  // it, transformers' Siglip2Tokenizer by the hub configs does not).
  bool sp_append_eos = true;
};

// Provenance of a tokenizer: what produced the ids.
struct TokenizerInfo {
  TokenizerKind kind = TokenizerKind::kClipBpe;
  TokenizerVariant variant = TokenizerVariant::kOpenAiClip;
  std::string vocabulary_format;    // "openai-bpe", "hf-vocab-merges", "sentencepiece"
  std::vector<std::string> vocabulary_files;
  std::string vocabulary_sha256;    // of the primary file as stored (".gz" bytes for OpenAI)
  int32_t vocabulary_size = 0;
  int context_length = 0;
  int64_t bos_id = -1;              // -1: none
  int64_t eos_id = -1;
  bool eos_appended = true;         // texts end with eos_id (kept last when truncating)
  int64_t pad_id = 0;
  TruncationPolicy truncation = TruncationPolicy::kTruncate;
  std::string text_cleaning;        // e.g. "ftfy+html.unescape*2+whitespace(regex \\s)+lower"
  std::string unicode_version;      // tables used for cleaning / pre-tokenization
  std::string selection_reason;     // filled by ChooseTokenizer callers

  std::string ToString() const;
};

struct TokenizedBatch {
  Tensor ids;                                // int64 [N, context_length]
  std::vector<int64_t> dropped_tokens;       // per text: ids cut by truncation
  std::vector<int32_t> lengths;              // per text: ids before padding (incl. specials)
  std::vector<int64_t> invalid_utf8_replaced;// per text: ill-formed sequences -> U+FFFD
};

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;

  const TokenizerInfo& info() const { return info_; }
  // Records why this tokenizer was chosen (call before sharing it).
  void SetSelectionReason(std::string reason) { info_.selection_reason = std::move(reason); }
  int context_length() const { return info_.context_length; }

  StatusOr<TokenizedBatch> Encode(std::span<const std::string_view> texts) const;
  StatusOr<TokenizedBatch> Encode(const std::vector<std::string>& texts) const;

  // All ids of one text with the special tokens the variant adds, before
  // truncation and padding.
  virtual StatusOr<std::vector<int64_t>> EncodeUnpadded(std::string_view text,
                                                        int64_t* invalid_utf8_replaced) const = 0;

 protected:
  TokenizerInfo info_;
};

// CLIP BPE from a vocabulary file: OpenAI's bpe_simple_vocab_16e6.txt[.gz]
// (`merges_or_vocab` ends in .txt/.gz, `hf_merges` empty) or HF vocab.json
// (`merges_or_vocab`) + merges.txt (`hf_merges`).
StatusOr<std::unique_ptr<Tokenizer>> CreateClipBpeTokenizer(const std::string& merges_or_vocab,
                                                            const std::string& hf_merges,
                                                            const TokenizerOptions& options);
// SentencePiece .model for the SigLIP variants.
StatusOr<std::unique_ptr<Tokenizer>> CreateSentencePieceTokenizer(const std::string& model_path,
                                                                  const TokenizerOptions& options);

// Picking a tokenizer from simple hints (later issues pass what the
// checkpoint's config / manifest says).
struct TokenizerHints {
  std::string family;         // "openai", "open_clip", "hf_clip", "siglip", "open_clip_siglip"
  std::string directory;      // where the checkpoint's tokenizer files are (may be empty)
  std::string bpe_path;       // explicit OpenAI merges file (fallback when directory lacks files)
  bool hf_prefer_fast = true; // AutoTokenizer's default
  bool hf_slow_without_ftfy = false;  // slow CLIPTokenizer in an environment without ftfy
  std::string open_clip_clean;// "lower" (default), "whitespace", "canonicalize"
  int context_length = 0;
};
struct TokenizerChoice {
  TokenizerOptions options;
  std::string primary_file;   // merges.gz / vocab.json / spiece.model
  std::string secondary_file; // merges.txt for HF BPE
  std::string reason;         // why this variant and these files
  // Checked by CreateTokenizer (0 / -1: unchecked): the vocabulary must have
  // exactly this many entries (the text tower's token embedding rows), and
  // the tokenizer must end texts with this id (towers pooling at an eos id).
  int64_t expected_vocab_size = 0;
  int64_t expected_eos_id = -1;
};
StatusOr<TokenizerChoice> ChooseTokenizer(const TokenizerHints& hints);
StatusOr<std::unique_ptr<Tokenizer>> CreateTokenizer(const TokenizerChoice& choice);

}  // namespace cliprt
