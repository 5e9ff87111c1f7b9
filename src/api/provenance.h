// Provenance: what produced a result, recorded with the result so it can be
// understood, reproduced and contested later (DESIGN.md promise 2).
//
// Plain structs, one per pipeline stage, filled from the records each stage
// already produces (io::Checkpoint, image::PreprocessRecord, TokenizerInfo +
// TokenizedBatch). Serialized by api/provenance_json.h with the versioned
// schema documented in docs/provenance.md; compared by api/replay_diff.h.
// Every field is a value (strings, numbers): a Provenance never points into
// the objects it describes, so it outlives the model that produced it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"

namespace cliprt {
struct TokenizerInfo;
struct TokenizedBatch;
namespace io {
struct Checkpoint;
}
namespace image {
struct PreprocessConfig;
struct PreprocessRecord;
}  // namespace image
}  // namespace cliprt

namespace cliprt::api {

// Version of the JSON schema this build writes; a parser refuses a higher one.
inline constexpr int kProvenanceSchemaVersion = 1;

// The build and the compute choices actually used for the result.
struct LibraryInfo {
  std::string version;       // CLIPRT_VERSION_STRING, e.g. "0.1.0"
  std::string git_revision;  // short hash, "unknown" outside git
  std::string compiler;      // e.g. "GNU 12.2.0"
  std::string build_type;    // e.g. "Release"
  std::string isa;           // "scalar" | "avx2" | "avx512": the level the kernels ran at
  std::string precision;     // "f32" | "bf16" | "int8": the GEMM precision used
  int threads = 0;           // threads the call ran on

  bool operator==(const LibraryInfo&) const = default;
};

// This build's facts plus the per-call choices (isa = ActiveIsaLevel() name).
LibraryInfo CurrentLibraryInfo(std::string precision, int threads);

struct FileRecord {
  std::string path;
  uint64_t size = 0;
  std::string format;  // "safetensors" | "torch-zip" | "torchscript" | "json" | ...
  std::string sha256;  // lower-case hex; "" when hashing was disabled

  bool operator==(const FileRecord&) const = default;
};

// One resolved configuration decision (io::Decision as values).
struct ConfigDecision {
  std::string field;   // e.g. "text.act"
  std::string value;   // e.g. "quick_gelu"
  std::string source;  // "config" | "manifest" | "default" | "override" | "inferred"
  std::string reason;

  bool operator==(const ConfigDecision&) const = default;
};

struct ModelIdentity {
  std::string name = "unrecognized";  // manifest name, or "unrecognized"
  std::string family;                 // io::ArchFamilyName, e.g. "openai-vit"
  std::vector<FileRecord> files;      // weights files, then config
  // One line: "embed_dim=512; vision=vit width=768 layers=12 heads=12
  // patch=32 image=224 pool=tok; text=width=512 layers=12 heads=8 ctx=77
  // vocab=49408 pool=argmax".
  std::string architecture;
  std::string vision_activation;         // "quick_gelu" | "gelu" | "gelu_pytorch_tanh"
  std::string vision_activation_source;  // DecisionSourceName + reason, e.g. "config: ..."
  std::string text_activation;
  std::string text_activation_source;
  std::vector<ConfigDecision> decisions;  // every decision, in the order it was made

  bool operator==(const ModelIdentity&) const = default;
};

// Per-image facts of preprocessing.
struct ImageRecord {
  int source_width = 0;
  int source_height = 0;
  std::string source_mode;  // Pillow mode of the decoded image: "RGB", "L", "P", ...
  int resized_width = 0;
  int resized_height = 0;
  int crop_top = 0;  // negative when the image was padded
  int crop_left = 0;

  bool operator==(const ImageRecord&) const = default;
};

// Every parameter of the preprocessing preset, plus what happened per image.
struct PreprocessProvenance {
  std::string preset;         // "openai" | "open_clip" | "hf_clip" | "hf_siglip" | "custom"
  int out_height = 0;
  int out_width = 0;
  int shortest_edge = 0;      // resize target of the short side (resize_mode "shortest")
  std::string resize_mode;    // "shortest" | "longest" | "squash"
  std::string interpolation;  // Pillow filter name: "bicubic", "bilinear", ...
  std::string crop_rule;      // "center_half_even" (torchvision) | "center_floor" (HF) | "none"
  std::string rgb_conversion; // "after_resize" | "before_resize"
  std::string rescale;        // "f32_div_255" (ToTensor) | "f64_mul" (HF rescale)
  double rescale_factor = 0;
  bool do_resize = true;
  bool do_normalize = true;
  int fill_color = 0;
  std::array<float, 3> mean{};
  std::array<float, 3> std{};
  std::string exif_policy;    // "ignored" | "applied"
  std::vector<ImageRecord> images;  // one per input image, in input order

  bool operator==(const PreprocessProvenance&) const = default;
};

// Per-text facts of tokenization.
struct TextRecord {
  int32_t length = 0;                 // ids before padding, specials included
  int64_t dropped_tokens = 0;         // ids cut by truncation
  int64_t invalid_utf8_replaced = 0;  // ill-formed UTF-8 sequences replaced by U+FFFD

  bool operator==(const TextRecord&) const = default;
};

struct TokenizerProvenance {
  std::string kind;               // "clip-bpe" | "sentencepiece" (TokenizerKindName)
  std::string variant;            // TokenizerVariantName, e.g. "openai"
  std::string vocabulary_format;  // "openai-bpe" | "hf-vocab-merges" | "sentencepiece"
  std::vector<std::string> vocabulary_files;
  std::string vocabulary_sha256;
  int32_t vocabulary_size = 0;
  int context_length = 0;
  int64_t bos_id = -1;
  int64_t eos_id = -1;
  int64_t pad_id = 0;
  std::string truncation;  // "truncate" | "strict"
  std::string text_cleaning;
  std::string unicode_version;
  std::string selection_reason;
  std::vector<TextRecord> texts;  // one per input text, in input order
  int64_t truncated_texts = 0;    // texts with dropped_tokens > 0

  bool operator==(const TokenizerProvenance&) const = default;
};

// How a zero-shot classification was scored.
struct ClassificationInfo {
  std::vector<std::string> labels;
  std::vector<std::string> templates;
  // Fixed text: "mean of L2-normalized per-template text embeddings, L2-renormalized".
  std::string aggregation;
  std::string score_rule;  // "softmax" (CLIP) | "sigmoid" (SigLIP)
  float logit_scale = 0;   // the multiplier exp(stored logit_scale)
  std::optional<float> logit_bias;
  std::optional<float> threshold;  // top-1 probability below it → abstain
  int top_k = 0;
  bool prompt_sensitivity = false;  // per-template scores were computed
  std::vector<bool> abstained;     // per image

  bool operator==(const ClassificationInfo&) const = default;
};

// How a retrieval search was run.
struct RetrievalInfo {
  std::string metric;       // "cosine"
  int64_t index_entries = 0;
  int64_t dim = 0;
  int top_k = 0;
  std::string tie_break;    // "insertion order (earlier first)"
  std::string index_checkpoint_sha256;  // identity the index was built with

  bool operator==(const RetrievalInfo&) const = default;
};

struct Provenance {
  int schema_version = kProvenanceSchemaVersion;
  LibraryInfo library;
  ModelIdentity model;
  std::optional<PreprocessProvenance> preprocess;  // results that involved images
  std::optional<TokenizerProvenance> tokenizer;    // results that involved texts
  std::optional<ClassificationInfo> classification;
  std::optional<RetrievalInfo> retrieval;

  bool operator==(const Provenance&) const = default;
};

// ---- Converters from the records the pipeline stages produce ----

// Name (manifest or "unrecognized"), files, family, architecture summary,
// activations with their sources, and every config decision.
ModelIdentity ProvenanceFromCheckpoint(const io::Checkpoint& checkpoint);

// The preset's parameters (images left empty).
PreprocessProvenance MakePreprocessProvenance(const image::PreprocessConfig& config);
ImageRecord MakeImageRecord(const image::PreprocessRecord& record);
// A batch of images preprocessed with one preset; records with different
// presets are an error naming the first image that differs.
StatusOr<PreprocessProvenance> MakePreprocessProvenance(
    std::span<const image::PreprocessRecord> records);

// The tokenizer's description plus per-text counts of `batch`.
TokenizerProvenance MakeTokenizerProvenance(const TokenizerInfo& info, const TokenizedBatch& batch);

// The checkpoint identity used to decide whether embeddings may be mixed: the
// SHA-256 of every weights file, joined with '+', in file order (config files
// excluded). Empty when no file was hashed.
std::string CheckpointSha256(const ModelIdentity& model);

// Canonical one-line description of the preset parameters (no per-image
// facts), equal for two provenances exactly when their preprocessing is.
std::string PreprocessingKey(const PreprocessProvenance& p);
// Same for the tokenizer (variant, vocabulary sha256, context length,
// truncation, cleaning, special ids).
std::string TokenizerKey(const TokenizerProvenance& t);

}  // namespace cliprt::api
