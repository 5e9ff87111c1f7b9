// A model ready to answer: the checkpoint's towers (model::ClipModel), the
// tokenizer and the preprocessing its reference pipeline uses, a thread
// pool, and the identity every result's provenance starts from. This is the
// object behind cliprt_model (C API), cliprt::Model (C++ API) and the CLI.
//
// Loading reads the checkpoint (file or folder as downloaded), resolves the
// config, packs the weights, chooses the tokenizer (files beside the weights
// or an explicit path) and the preprocessing (or an override), then releases
// the mapped checkpoint: only the packed weights stay resident.
//
// Immutable after Load; every method may be called from many threads at
// once. Calls borrow an arena each (ArenaPool) and share the model's thread
// pool (concurrent submitters are serialized by it, so results never depend
// on what runs beside them: bit-identical to serial).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "api/arena_pool.h"
#include "api/provenance.h"
#include "api/results.h"
#include "api/zero_shot_classifier.h"
#include "core/status.h"
#include "core/thread_pool.h"
#include "image/preprocess.h"
#include "io/checkpoint.h"
#include "model/clip_model.h"
#include "tokenizer/tokenizer.h"

namespace cliprt::api {

struct ModelLoadOptions {
  std::string path;            // checkpoint file or folder
  std::string tokenizer_path;  // "" → the checkpoint's folder; else a vocabulary file/folder
  io::Towers towers = io::Towers::kBoth;
  io::Precision precision = io::Precision::kF32;
  int threads = 0;             // 0 → std::thread::hardware_concurrency()
  int spin_micros = ThreadPool::kAutoSpin;  // idle spin of the pool (core/thread_pool.h)
  std::string preset;          // "" → the checkpoint's reference preprocessing
  std::string manifest_dir;    // "" → $CLIPRT_MANIFEST_DIR, else the built-in search
  TruncationPolicy truncation = TruncationPolicy::kTruncate;
  bool compute_sha256 = true;
};

// One image given as encoded bytes (JPEG, PNG, ...).
struct EncodedImage {
  const uint8_t* data = nullptr;
  size_t size = 0;
  std::string name;  // for error messages (a path, or "buffer 3")
};

class LoadedModel {
 public:
  static StatusOr<std::unique_ptr<LoadedModel>> Load(const ModelLoadOptions& options);

  const ModelLoadOptions& options() const { return options_; }
  const ModelIdentity& identity() const { return identity_; }
  const io::ModelConfig& config() const { return clip_->config(); }
  const model::ClipModel& clip() const { return *clip_; }
  bool has_vision() const { return clip_->vision() != nullptr; }
  bool has_text() const { return clip_->text() != nullptr; }
  int64_t embed_dim() const { return clip_->embed_dim(); }
  int threads() const { return pool_->num_threads(); }
  const std::string& precision_name() const { return precision_name_; }
  // Preprocessing (valid with a vision tower) and its origin.
  const image::PreprocessConfig& preprocess() const { return preprocess_; }
  const std::string& preprocess_reason() const { return preprocess_reason_; }
  // nullptr without a text tower.
  const Tokenizer* tokenizer() const { return tokenizer_.get(); }
  ScoreRule score_rule() const;
  // The provenance block shared by every result of this model (library,
  // model identity); callers add the stage blocks.
  Provenance BaseProvenance() const;
  // The architecture/config/identity summary as JSON (`cliprt info`).
  std::string InfoJson() const;

  // ---- images ----
  // Decodes and preprocesses every file (in parallel on the pool, the next
  // chunk overlapped with encoding the current one) and encodes them; rows
  // in input order. An unreadable or undecodable file fails the call and
  // names the file.
  StatusOr<EmbeddingResult> EncodeImageFiles(std::span<const std::string> paths, bool normalize) const;
  StatusOr<EmbeddingResult> EncodeImages(std::span<const EncodedImage> images, bool normalize) const;
  // Already-preprocessed pixels [n, 3, S, S] (S = the model's image size).
  StatusOr<EmbeddingResult> EncodePixels(const float* pixels, int64_t n, int64_t height, int64_t width,
                                         bool normalize) const;
  // Preprocessing only: pixels [n, 3, S, S] and one record per image.
  StatusOr<std::vector<float>> PreprocessImages(std::span<const EncodedImage> images,
                                                std::vector<image::PreprocessRecord>* records) const;
  StatusOr<std::vector<float>> PreprocessImageFiles(std::span<const std::string> paths,
                                                    std::vector<image::PreprocessRecord>* records) const;

  // ---- texts ----
  StatusOr<TokenizedBatch> Tokenize(std::span<const std::string> texts) const;
  StatusOr<EmbeddingResult> EncodeTexts(std::span<const std::string> texts, bool normalize) const;

  // ---- scoring ----
  // Zero-shot classifier over labels × templates (prompts encoded here).
  StatusOr<ZeroShotClassifier> BuildClassifier(std::vector<std::string> labels,
                                               std::vector<std::string> templates) const;
  // Image embeddings (unnormalized, as EncodeImage* return them) classified;
  // provenance = the images' provenance + the classifier's block + the
  // tokenizer block of the prompts.
  StatusOr<ClassificationResult> Classify(const ZeroShotClassifier& classifier,
                                          const EmbeddingResult& images,
                                          const ClassifyOptions& options) const;
  // Model FLOPs of one image and of one text of `text_tokens` positions
  // (model/flops.h); 0 for a tower that was not loaded.
  double ImageFlops() const;
  double TextFlops(int64_t text_tokens) const;
  // logits_per_image (scale, bias) and probabilities by the model's rule.
  StatusOr<SimilarityResult> Similarity(const EmbeddingResult& images, const EmbeddingResult& texts) const;

 private:
  LoadedModel() = default;
  // Reads every file of `paths` (in parallel on the pool); errors name the file.
  StatusOr<std::vector<std::vector<uint8_t>>> ReadImageFiles(std::span<const std::string> paths) const;
  StatusOr<EmbeddingResult> EncodePreprocessedChunks(std::span<const EncodedImage> images,
                                                     bool normalize) const;
  Status Normalize(EmbeddingResult* r) const;

  ModelLoadOptions options_;
  ModelIdentity identity_;
  std::string precision_name_;
  std::unique_ptr<model::ClipModel> clip_;
  std::unique_ptr<Tokenizer> tokenizer_;
  std::string tokenizer_reason_;
  image::PreprocessConfig preprocess_;
  std::string preprocess_reason_;
  std::unique_ptr<ThreadPool> pool_;
  mutable ArenaPool arenas_;
};

}  // namespace cliprt::api
