#include "api/loaded_model.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <thread>

#include "api/preprocess_choice.h"
#include "api/provenance_json.h"
#include "api/templates.h"
#include "image/decode.h"
#include "io/json.h"
#include "io/model_config.h"
#include "model/flops.h"
#include "model/logits.h"
#include "tokenizer/checkpoint_tokenizer.h"

namespace cliprt::api {
namespace {

// Images decoded, preprocessed and encoded per step: enough to keep every
// thread of the pool busy, small enough that one step's pixels and
// activations stay modest.
constexpr int64_t kImageChunk = 16;
// Texts per encoder call (bounds activation memory for huge text lists).
constexpr int64_t kTextChunk = 256;
// A file larger than this is not an image we should try to read whole.
constexpr uint64_t kMaxImageFileBytes = uint64_t{1} << 30;

StatusOr<std::vector<uint8_t>> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return NotFoundError("cannot open image file \"" + path + "\"");
  const std::streamoff size = in.tellg();
  if (size < 0) return IoError("cannot read \"" + path + "\"");
  if (static_cast<uint64_t>(size) > kMaxImageFileBytes) {
    return InvalidArgumentError("image file \"" + path + "\" is larger than 1 GiB");
  }
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  in.seekg(0);
  if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), size)) {
    return IoError("cannot read \"" + path + "\"");
  }
  return bytes;
}

int DefaultThreads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(std::min(n, 256u));
}

}  // namespace

StatusOr<std::unique_ptr<LoadedModel>> LoadedModel::Load(const ModelLoadOptions& options) {
  if (options.path.empty()) return InvalidArgumentError("no model path given");
  if (options.threads < 0 || options.threads > 1024) {
    return InvalidArgumentError("threads must be 0 (all cores) or 1..1024, got " + std::to_string(options.threads));
  }
  std::unique_ptr<LoadedModel> m(new LoadedModel());
  m->options_ = options;
  const int threads = options.threads == 0 ? DefaultThreads() : options.threads;
  ASSIGN_OR_RETURN(m->pool_, ThreadPool::Create(threads, options.spin_micros));

  io::LoadOptions load;
  load.towers = options.towers;
  load.precision = options.precision;
  load.threads = threads;
  load.compute_sha256 = options.compute_sha256;
  load.manifest_dir = options.manifest_dir;
  ASSIGN_OR_RETURN(io::Checkpoint checkpoint, io::LoadCheckpoint(options.path, load));

  model::ModelOptions model_options;
  model_options.towers = options.towers;
  model_options.precision = model::ToGemmPrecision(options.precision);
  auto clip = model::ClipModel::Create(checkpoint, model_options);
  if (!clip.ok()) return clip.status().WithContext("model \"" + options.path + "\"");
  m->clip_ = std::move(clip).value();
  m->precision_name_ = io::PrecisionName(options.precision);
  m->identity_ = ProvenanceFromCheckpoint(checkpoint);

  if (m->clip_->vision()) {
    ASSIGN_OR_RETURN(PreprocessChoice pre, ChoosePreprocessing(checkpoint, options.preset));
    if (pre.config.out_height != m->clip_->vision()->image_size() ||
        pre.config.out_width != m->clip_->vision()->image_size()) {
      return InvalidArgumentError("preprocessing produces " + std::to_string(pre.config.out_height) + "x" +
                                  std::to_string(pre.config.out_width) + " images, the vision tower takes " +
                                  std::to_string(m->clip_->vision()->image_size()) + " px");
    }
    m->preprocess_ = pre.config;
    m->preprocess_reason_ = pre.reason;
  }
  if (m->clip_->text()) {
    ASSIGN_OR_RETURN(m->tokenizer_,
                     CreateTokenizerForCheckpoint(checkpoint, options.tokenizer_path, options.truncation));
    if (m->tokenizer_->context_length() != m->clip_->text()->context_length()) {
      return InvalidArgumentError("the tokenizer writes " + std::to_string(m->tokenizer_->context_length()) +
                                  " ids per text, the text tower takes " +
                                  std::to_string(m->clip_->text()->context_length()));
    }
  }
  // The checkpoint (and its mapped files) goes out of scope here: the towers
  // hold packed copies of everything they need.
  return m;
}

ScoreRule LoadedModel::score_rule() const {
  return clip_->logit_bias().has_value() ? ScoreRule::kSigmoid : ScoreRule::kSoftmax;
}

Provenance LoadedModel::BaseProvenance() const {
  Provenance p;
  p.library = CurrentLibraryInfo(precision_name_, threads());
  p.model = identity_;
  return p;
}

std::string LoadedModel::InfoJson() const {
  std::string s = "{\"model\": " + ToJson(BaseProvenance()) + ",\n";
  s += "\"config\": " + io::ModelConfigToJson(config()) + ",\n";
  s += "\"architecture\": " + io::JsonQuote(clip_->Describe()) + ",\n";
  s += "\"towers\": {\"vision\": " + std::string(has_vision() ? "true" : "false") +
       ", \"text\": " + (has_text() ? "true" : "false") + "},\n";
  s += "\"embed_dim\": " + std::to_string(embed_dim()) + ",\n";
  s += "\"logit_scale\": " + FormatFloat(clip_->logit_scale()) + ",\n";
  s += "\"logit_bias\": " + (clip_->logit_bias() ? FormatFloat(*clip_->logit_bias()) : std::string("null")) + ",\n";
  s += "\"score_rule\": \"" + std::string(ScoreRuleName(score_rule())) + "\",\n";
  if (has_vision()) {
    Provenance pre;
    pre.preprocess = MakePreprocessProvenance(preprocess_);
    s += "\"preprocess\": " + ToJson(pre) + ",\n";
    s += "\"preprocess_reason\": " + io::JsonQuote(preprocess_reason_) + ",\n";
  }
  if (has_text()) {
    s += "\"tokenizer\": " + io::JsonQuote(tokenizer_->info().ToString()) + ",\n";
  }
  s += "\"threads\": " + std::to_string(threads()) + ", \"precision\": \"" + precision_name_ + "\"}\n";
  return s;
}

Status LoadedModel::Normalize(EmbeddingResult* r) const {
  if (r->rows > 0) {
    RETURN_IF_ERROR(model::NormalizeRows(r->rows, r->dim, r->values.data(), r->dim, r->values.data(), r->dim,
                                         pool_.get()));
  }
  r->normalized = true;
  return Status::Ok();
}

// ---- images ----

StatusOr<std::vector<float>> LoadedModel::PreprocessImages(std::span<const EncodedImage> images,
                                                           std::vector<image::PreprocessRecord>* records) const {
  if (!has_vision()) return FailedPreconditionError("the vision tower was not loaded (towers = text)");
  const int64_t n = static_cast<int64_t>(images.size());
  const size_t per = size_t{3} * preprocess_.out_height * preprocess_.out_width;
  std::vector<float> pixels(per * images.size());
  std::vector<image::PreprocessRecord> recs(images.size());
  std::vector<Status> status(images.size());
  image::DecodeOptions decode;
  decode.apply_exif_orientation = preprocess_.apply_exif_orientation;
  pool_->ParallelFor(n, [&](int64_t begin, int64_t end, int) {
    for (int64_t i = begin; i < end; ++i) {
      const EncodedImage& img = images[static_cast<size_t>(i)];
      Status s = image::PreprocessEncodedInto(img.data, img.size, decode, preprocess_,
                                              pixels.data() + per * static_cast<size_t>(i), per,
                                              &recs[static_cast<size_t>(i)]);
      if (!s.ok()) status[static_cast<size_t>(i)] = s.WithContext("image \"" + img.name + "\"");
    }
  });
  for (const Status& s : status) RETURN_IF_ERROR(s);
  if (records) *records = std::move(recs);
  return pixels;
}

StatusOr<EmbeddingResult> LoadedModel::EncodePixels(const float* pixels, int64_t n, int64_t height, int64_t width,
                                                    bool normalize) const {
  if (!has_vision()) return FailedPreconditionError("the vision tower was not loaded (towers = text)");
  const int64_t s = clip_->vision()->image_size();
  if (!pixels || n < 1 || height != s || width != s) {
    return InvalidArgumentError("pixels must be [n >= 1, 3, " + std::to_string(s) + ", " + std::to_string(s) +
                                "], got n=" + std::to_string(n) + " " + std::to_string(height) + "x" +
                                std::to_string(width));
  }
  EmbeddingResult r;
  r.modality = "image";
  r.rows = n;
  r.dim = embed_dim();
  r.values.resize(static_cast<size_t>(n * r.dim));
  auto lease = arenas_.Borrow();
  model::RunContext ctx{pool_.get(), lease.get()};
  for (int64_t begin = 0; begin < n; begin += kImageChunk) {
    const int64_t count = std::min(kImageChunk, n - begin);
    RETURN_IF_ERROR(clip_->EncodeImages(pixels + begin * 3 * s * s, count, r.values.data() + begin * r.dim, r.dim,
                                        ctx));
    lease.get()->Reset();
  }
  r.provenance = BaseProvenance();
  PreprocessProvenance pre = MakePreprocessProvenance(preprocess_);
  pre.preset = "pixels supplied by the caller (" + pre.preset + " expected)";
  r.provenance.preprocess = pre;
  if (normalize) RETURN_IF_ERROR(Normalize(&r));
  return r;
}

StatusOr<EmbeddingResult> LoadedModel::EncodePreprocessedChunks(std::span<const EncodedImage> images,
                                                                bool normalize) const {
  const int64_t n = static_cast<int64_t>(images.size());
  const int64_t s = clip_->vision()->image_size();
  EmbeddingResult r;
  r.modality = "image";
  r.rows = n;
  r.dim = embed_dim();
  r.values.resize(static_cast<size_t>(n * r.dim));
  std::vector<image::PreprocessRecord> records(images.size());
  auto lease = arenas_.Borrow();
  model::RunContext ctx{pool_.get(), lease.get()};

  // Chunk 0 is preprocessed on the whole pool; while the pool encodes chunk
  // i, one extra thread decodes chunk i+1 (decoding is a fraction of the
  // encoder's time, so one thread keeps ahead of it).
  std::vector<image::PreprocessRecord> chunk_records;
  const int64_t first = std::min(kImageChunk, n);
  ASSIGN_OR_RETURN(std::vector<float> current,
                   PreprocessImages(images.subspan(0, static_cast<size_t>(first)), &chunk_records));
  std::move(chunk_records.begin(), chunk_records.end(), records.begin());
  const size_t per = size_t{3} * static_cast<size_t>(s * s);
  image::DecodeOptions decode;
  decode.apply_exif_orientation = preprocess_.apply_exif_orientation;
  for (int64_t begin = 0; begin < n; begin += kImageChunk) {
    const int64_t count = std::min(kImageChunk, n - begin);
    const int64_t next_begin = begin + count;
    const int64_t next_count = std::min(kImageChunk, n - next_begin);
    std::vector<float> next(per * static_cast<size_t>(std::max<int64_t>(next_count, 0)));
    Status next_status;
    std::thread worker;
    if (next_count > 0) {
      worker = std::thread([&] {
        for (int64_t i = 0; i < next_count && next_status.ok(); ++i) {
          const EncodedImage& img = images[static_cast<size_t>(next_begin + i)];
          Status st = image::PreprocessEncodedInto(img.data, img.size, decode, preprocess_,
                                                   next.data() + per * static_cast<size_t>(i), per,
                                                   &records[static_cast<size_t>(next_begin + i)]);
          if (!st.ok()) next_status = st.WithContext("image \"" + img.name + "\"");
        }
      });
    }
    Status encoded = clip_->EncodeImages(current.data(), count, r.values.data() + begin * r.dim, r.dim, ctx);
    lease.get()->Reset();
    if (worker.joinable()) worker.join();
    RETURN_IF_ERROR(encoded);
    RETURN_IF_ERROR(next_status);
    current = std::move(next);
  }
  r.provenance = BaseProvenance();
  ASSIGN_OR_RETURN(r.provenance.preprocess, MakePreprocessProvenance(records));
  if (normalize) RETURN_IF_ERROR(Normalize(&r));
  return r;
}

StatusOr<EmbeddingResult> LoadedModel::EncodeImages(std::span<const EncodedImage> images, bool normalize) const {
  if (!has_vision()) return FailedPreconditionError("the vision tower was not loaded (towers = text)");
  if (images.empty()) return InvalidArgumentError("no images given");
  for (size_t i = 0; i < images.size(); ++i) {
    if (!images[i].data || images[i].size == 0) {
      return InvalidArgumentError("image " + std::to_string(i) + " (\"" + images[i].name + "\") is empty");
    }
  }
  return EncodePreprocessedChunks(images, normalize);
}

StatusOr<std::vector<std::vector<uint8_t>>> LoadedModel::ReadImageFiles(std::span<const std::string> paths) const {
  const int64_t count = static_cast<int64_t>(paths.size());
  std::vector<std::vector<uint8_t>> bytes(paths.size());
  std::vector<Status> status(paths.size());
  pool_->ParallelFor(count, [&](int64_t b, int64_t e, int) {
    for (int64_t i = b; i < e; ++i) {
      auto read = ReadFileBytes(paths[static_cast<size_t>(i)]);
      if (read.ok()) {
        bytes[static_cast<size_t>(i)] = std::move(read).value();
      } else {
        status[static_cast<size_t>(i)] = read.status();
      }
    }
  });
  for (const Status& s : status) RETURN_IF_ERROR(s);
  for (size_t i = 0; i < paths.size(); ++i) {
    if (bytes[i].empty()) return InvalidArgumentError("image file \"" + paths[i] + "\" is empty");
  }
  return bytes;
}

StatusOr<std::vector<float>> LoadedModel::PreprocessImageFiles(std::span<const std::string> paths,
                                                               std::vector<image::PreprocessRecord>* records) const {
  if (paths.empty()) return InvalidArgumentError("no image files given");
  ASSIGN_OR_RETURN(std::vector<std::vector<uint8_t>> bytes, ReadImageFiles(paths));
  std::vector<EncodedImage> images(paths.size());
  for (size_t i = 0; i < paths.size(); ++i) images[i] = {bytes[i].data(), bytes[i].size(), paths[i]};
  return PreprocessImages(images, records);
}

StatusOr<EmbeddingResult> LoadedModel::EncodeImageFiles(std::span<const std::string> paths, bool normalize) const {
  if (!has_vision()) return FailedPreconditionError("the vision tower was not loaded (towers = text)");
  if (paths.empty()) return InvalidArgumentError("no image files given");
  // Files are read in batches so a photo library is never held in memory at once.
  EmbeddingResult all;
  const int64_t n = static_cast<int64_t>(paths.size());
  constexpr int64_t kFileBatch = 256;
  for (int64_t begin = 0; begin < n; begin += kFileBatch) {
    const auto batch = paths.subspan(static_cast<size_t>(begin), static_cast<size_t>(std::min(kFileBatch, n - begin)));
    ASSIGN_OR_RETURN(std::vector<std::vector<uint8_t>> bytes, ReadImageFiles(batch));
    std::vector<EncodedImage> images(batch.size());
    for (size_t i = 0; i < batch.size(); ++i) images[i] = {bytes[i].data(), bytes[i].size(), batch[i]};
    ASSIGN_OR_RETURN(EmbeddingResult part, EncodePreprocessedChunks(images, false));
    if (begin == 0) {
      all = std::move(part);
    } else {
      all.values.insert(all.values.end(), part.values.begin(), part.values.end());
      all.rows += part.rows;
      all.provenance.preprocess->images.insert(all.provenance.preprocess->images.end(),
                                               part.provenance.preprocess->images.begin(),
                                               part.provenance.preprocess->images.end());
    }
  }
  if (normalize) RETURN_IF_ERROR(Normalize(&all));
  return all;
}

// ---- texts ----

StatusOr<TokenizedBatch> LoadedModel::Tokenize(std::span<const std::string> texts) const {
  if (!tokenizer_) return FailedPreconditionError("the text tower was not loaded (towers = vision)");
  std::vector<std::string_view> views(texts.begin(), texts.end());
  return tokenizer_->Encode(std::span<const std::string_view>(views));
}

StatusOr<EmbeddingResult> LoadedModel::EncodeTexts(std::span<const std::string> texts, bool normalize) const {
  if (!has_text()) return FailedPreconditionError("the text tower was not loaded (towers = vision)");
  if (texts.empty()) return InvalidArgumentError("no texts given");
  ASSIGN_OR_RETURN(TokenizedBatch batch, Tokenize(texts));
  const int64_t n = static_cast<int64_t>(texts.size());
  const int64_t ctx_len = tokenizer_->context_length();
  EmbeddingResult r;
  r.modality = "text";
  r.rows = n;
  r.dim = embed_dim();
  r.values.resize(static_cast<size_t>(n * r.dim));
  auto lease = arenas_.Borrow();
  model::RunContext ctx{pool_.get(), lease.get()};
  const int64_t* ids = batch.ids.data_as<int64_t>();
  for (int64_t begin = 0; begin < n; begin += kTextChunk) {
    const int64_t count = std::min(kTextChunk, n - begin);
    RETURN_IF_ERROR(clip_->EncodeTexts(ids + begin * ctx_len, count, r.values.data() + begin * r.dim, r.dim, ctx));
    lease.get()->Reset();
  }
  r.provenance = BaseProvenance();
  r.provenance.tokenizer = MakeTokenizerProvenance(tokenizer_->info(), batch);
  if (normalize) RETURN_IF_ERROR(Normalize(&r));
  return r;
}

// ---- scoring ----

StatusOr<ZeroShotClassifier> LoadedModel::BuildClassifier(std::vector<std::string> labels,
                                                          std::vector<std::string> templates) const {
  ASSIGN_OR_RETURN(std::vector<std::string> prompts, ExpandPrompts(labels, templates));
  ASSIGN_OR_RETURN(EmbeddingResult text, EncodeTexts(prompts, false));
  return ZeroShotClassifier::Build(std::move(labels), std::move(templates), text.values, text.dim, score_rule(),
                                   clip_->logit_scale(), clip_->logit_bias());
}

StatusOr<ClassificationResult> LoadedModel::Classify(const ZeroShotClassifier& classifier,
                                                     const EmbeddingResult& images,
                                                     const ClassifyOptions& options) const {
  if (images.modality != "image") return InvalidArgumentError("Classify needs image embeddings");
  if (images.dim != classifier.dim()) {
    return InvalidArgumentError("image embeddings have " + std::to_string(images.dim) +
                                " dimensions, the classifier " + std::to_string(classifier.dim()));
  }
  ClassificationResult result;
  result.labels = classifier.labels();
  ASSIGN_OR_RETURN(result.images, classifier.Classify(images.values, images.rows, options, pool_.get()));
  result.provenance = images.provenance;
  result.provenance.classification = classifier.Info(options, result.images);
  ASSIGN_OR_RETURN(std::vector<std::string> prompts, ExpandPrompts(classifier.labels(), classifier.templates()));
  ASSIGN_OR_RETURN(TokenizedBatch batch, Tokenize(prompts));
  result.provenance.tokenizer = MakeTokenizerProvenance(tokenizer_->info(), batch);
  return result;
}

double LoadedModel::ImageFlops() const { return has_vision() ? model::VisionFlops(config()) : 0.0; }

double LoadedModel::TextFlops(int64_t text_tokens) const {
  return has_text() ? model::TextFlops(config(), text_tokens) : 0.0;
}

StatusOr<SimilarityResult> LoadedModel::Similarity(const EmbeddingResult& images, const EmbeddingResult& texts) const {
  if (images.modality != "image" || texts.modality != "text") {
    return InvalidArgumentError("Similarity needs image embeddings and text embeddings");
  }
  if (images.dim != embed_dim() || texts.dim != embed_dim()) {
    return InvalidArgumentError("embeddings of dimension " + std::to_string(images.dim) + " / " +
                                std::to_string(texts.dim) + " do not match the model's " +
                                std::to_string(embed_dim()));
  }
  std::vector<float> img = images.values, txt = texts.values;
  RETURN_IF_ERROR(model::NormalizeRows(images.rows, images.dim, img.data(), images.dim, img.data(), images.dim,
                                       pool_.get()));
  RETURN_IF_ERROR(model::NormalizeRows(texts.rows, texts.dim, txt.data(), texts.dim, txt.data(), texts.dim,
                                       pool_.get()));
  SimilarityResult r;
  r.images = images.rows;
  r.texts = texts.rows;
  r.logits.resize(static_cast<size_t>(r.images * r.texts));
  r.probabilities.resize(r.logits.size());
  RETURN_IF_ERROR(model::ImageTextLogits(r.images, r.texts, images.dim, img.data(), images.dim, txt.data(),
                                         texts.dim, clip_->logit_scale(), clip_->logit_bias(), r.logits.data(),
                                         r.texts, pool_.get()));
  RETURN_IF_ERROR(model::LogitsToProbabilities(score_rule(), r.images, r.texts, r.logits.data(), r.texts,
                                               r.probabilities.data(), r.texts));
  r.provenance = images.provenance;
  r.provenance.tokenizer = texts.provenance.tokenizer;
  ClassificationInfo how;
  how.score_rule = ScoreRuleName(score_rule());
  how.logit_scale = clip_->logit_scale();
  how.logit_bias = clip_->logit_bias();
  r.provenance.classification = how;
  return r;
}

}  // namespace cliprt::api
