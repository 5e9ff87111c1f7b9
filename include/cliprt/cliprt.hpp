// cliprt.hpp — the C++ API of cliprt: RAII types over the C API in cliprt.h.
//
// Header-only and built purely on the C ABI, so it works with the shared
// library across compiler versions. Errors are reported as cliprt::Error
// exceptions carrying the cliprt_status and the library's message (the C++
// API is the one place exceptions are used; they never cross the C boundary).
// Handles own their C objects (std::unique_ptr with the matching _free); no
// raw owning pointers are exposed.
#ifndef CLIPRT_CLIPRT_HPP_
#define CLIPRT_CLIPRT_HPP_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cliprt/cliprt.h"

namespace cliprt {

// A failed cliprt call: status() is the C status, what() the message.
class Error : public std::runtime_error {
 public:
  Error(cliprt_status status, const std::string& message)
      : std::runtime_error(std::string(cliprt_status_string(status)) + ": " + message),
        status_(status) {}
  cliprt_status status() const noexcept { return status_; }

 private:
  cliprt_status status_;
};

// Throws cliprt::Error if `status` is not CLIPRT_OK.
inline void Check(cliprt_status status) {
  if (status != CLIPRT_OK) throw Error(status, cliprt_last_error_message());
}

inline std::string_view Version() { return cliprt_version(); }
inline std::string_view BuildRevision() { return cliprt_build_revision(); }

struct CpuInfo {
  cliprt_isa detected_isa;
  cliprt_isa active_isa;
  int hardware_threads;
  std::string features;
  std::string vendor;
  std::string brand;
  std::string isa_note;
};

inline CpuInfo GetCpuInfo() {
  cliprt_cpu_info info{};
  info.struct_size = sizeof(info);
  Check(cliprt_cpu_info_get(&info));
  return CpuInfo{info.detected_isa, info.active_isa, info.hardware_threads, info.features,
                 info.vendor,       info.brand,      info.isa_note};
}

inline std::string_view IsaName(cliprt_isa isa) { return cliprt_isa_name(isa); }

namespace detail {
template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const noexcept { Free(p); }
};
}  // namespace detail

// Result of RunSelfTest(): whether every kernel matched its reference, and a
// line per check.
class SelfTestReport {
 public:
  bool passed() const { return cliprt_self_test_report_passed(handle_.get()) != 0; }
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    const size_t n = cliprt_self_test_report_count(handle_.get());
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      const char* line = nullptr;
      Check(cliprt_self_test_report_line(handle_.get(), i, &line));
      out.emplace_back(line);
    }
    return out;
  }

 private:
  friend SelfTestReport RunSelfTest(int, unsigned);
  explicit SelfTestReport(cliprt_self_test_report* handle) : handle_(handle) {}
  std::unique_ptr<cliprt_self_test_report,
                  detail::Deleter<cliprt_self_test_report, cliprt_self_test_report_free>>
      handle_;
};

// Runs the kernel self-test (see cliprt_self_test_run).
inline SelfTestReport RunSelfTest(int num_threads = 0, unsigned seed = 1) {
  cliprt_self_test_params params = cliprt_self_test_default_params();
  params.num_threads = num_threads;
  params.seed = seed;
  cliprt_self_test_report* report = nullptr;
  Check(cliprt_self_test_run(&params, &report));
  return SelfTestReport(report);
}


// ---------------------------------------------------------------------------
// Models and results. Every class owns its C handle (move-only; a moved-from
// object is empty and may only be destroyed or assigned). Views returned by
// accessors (std::span, std::string_view) live as long as the object.
// Results are immutable and may be read from any number of threads; a Model
// may be used by any number of threads at once.
// ---------------------------------------------------------------------------

namespace detail {
template <typename T, void (*Free)(T*)>
using Handle = std::unique_ptr<T, Deleter<T, Free>>;

// NUL-terminated copies for the C API.
inline std::vector<const char*> CStrings(std::span<const std::string> strings) {
  std::vector<const char*> out;
  out.reserve(strings.size());
  for (const std::string& s : strings) out.push_back(s.c_str());
  return out;
}
}  // namespace detail

class Model;

// Embeddings [rows, dim] with their provenance.
class Embeddings {
 public:
  // Reads a document written by to_json().
  static Embeddings FromJson(std::string_view json) {
    cliprt_embeddings* h = nullptr;
    Check(cliprt_embeddings_from_json(json.data(), json.size(), &h));
    return Embeddings(h);
  }
  size_t rows() const { return Shape().first; }
  size_t dim() const { return Shape().second; }
  // All values, row-major.
  std::span<const float> values() const {
    const float* v = nullptr;
    size_t rows = 0, dim = 0;
    Check(cliprt_embeddings_values(handle_.get(), &v, &rows, &dim));
    return {v, rows * dim};
  }
  std::span<const float> row(size_t i) const {
    if (i >= rows()) throw Error(CLIPRT_OUT_OF_RANGE, "row " + std::to_string(i) + " >= rows " + std::to_string(rows()));
    return values().subspan(i * dim(), dim());
  }
  std::string_view modality() const {
    const char* m = nullptr;
    Check(cliprt_embeddings_modality(handle_.get(), &m));
    return m;
  }
  bool normalized() const {
    int n = 0;
    Check(cliprt_embeddings_normalized(handle_.get(), &n));
    return n != 0;
  }
  std::string_view provenance_json() const {
    const char* j = nullptr;
    Check(cliprt_embeddings_provenance_json(handle_.get(), &j));
    return j;
  }
  std::string_view to_json() const {
    const char* j = nullptr;
    Check(cliprt_embeddings_to_json(handle_.get(), &j));
    return j;
  }
  const cliprt_embeddings* get() const noexcept { return handle_.get(); }

 private:
  friend class Model;
  explicit Embeddings(cliprt_embeddings* h) : handle_(h) {}
  std::pair<size_t, size_t> Shape() const {
    size_t rows = 0, dim = 0;
    Check(cliprt_embeddings_values(handle_.get(), nullptr, &rows, &dim));
    return {rows, dim};
  }
  detail::Handle<cliprt_embeddings, cliprt_embeddings_free> handle_;
};

// logits_per_image [images, texts] and probabilities by the model's rule.
class Similarity {
 public:
  size_t images() const { return Get().images; }
  size_t texts() const { return Get().texts; }
  std::span<const float> logits() const { const View v = Get(); return {v.logits, v.images * v.texts}; }
  std::span<const float> probabilities() const {
    const View v = Get();
    return {v.probabilities, v.images * v.texts};
  }
  std::string_view provenance_json() const {
    const char* j = nullptr;
    Check(cliprt_similarity_provenance_json(handle_.get(), &j));
    return j;
  }
  std::string_view to_json() const {
    const char* j = nullptr;
    Check(cliprt_similarity_to_json(handle_.get(), &j));
    return j;
  }
  const cliprt_similarity* get() const noexcept { return handle_.get(); }

 private:
  friend class Model;
  struct View {
    const float* logits = nullptr;
    const float* probabilities = nullptr;
    size_t images = 0, texts = 0;
  };
  explicit Similarity(cliprt_similarity* h) : handle_(h) {}
  View Get() const {
    View v;
    Check(cliprt_similarity_values(handle_.get(), &v.logits, &v.probabilities, &v.images, &v.texts));
    return v;
  }
  detail::Handle<cliprt_similarity, cliprt_similarity_free> handle_;
};

// Where a classifier's prompt templates come from (exactly one).
struct Templates {
  // Built-in set: "imagenet80" | "openclip7" | "single".
  static Templates Builtin(std::string name) { Templates t; t.set_ = std::move(name); return t; }
  // A UTF-8 file, one template per line.
  static Templates File(std::string path) { Templates t; t.file_ = std::move(path); return t; }
  // Explicit templates, each containing "{}".
  static Templates List(std::vector<std::string> templates) { Templates t; t.list_ = std::move(templates); return t; }

 private:
  friend class Model;
  std::optional<std::string> set_;
  std::optional<std::string> file_;
  std::vector<std::string> list_;
};

// A zero-shot classifier (labels x templates); immutable, shareable.
class Classifier {
 public:
  size_t num_labels() const { size_t n = 0; Check(cliprt_classifier_counts(handle_.get(), &n, nullptr)); return n; }
  size_t num_templates() const {
    size_t n = 0;
    Check(cliprt_classifier_counts(handle_.get(), nullptr, &n));
    return n;
  }
  std::string_view label(size_t i) const {
    const char* s = nullptr;
    Check(cliprt_classifier_label(handle_.get(), i, &s));
    return s;
  }
  std::string_view template_text(size_t i) const {
    const char* s = nullptr;
    Check(cliprt_classifier_template(handle_.get(), i, &s));
    return s;
  }
  const cliprt_classifier* get() const noexcept { return handle_.get(); }

 private:
  friend class Model;
  explicit Classifier(cliprt_classifier* h) : handle_(h) {}
  detail::Handle<cliprt_classifier, cliprt_classifier_free> handle_;
};

struct ClassifyOptions {
  int top_k = 5;                   // >= 1, clamped to the number of labels
  std::optional<float> threshold;  // abstain when the top-1 probability is below it
  bool prompt_sensitivity = true;  // also score each template on its own

  cliprt_classify_params ToC() const {
    cliprt_classify_params p = cliprt_classify_default_params();
    p.top_k = top_k;
    p.use_threshold = threshold.has_value() ? 1 : 0;
    p.threshold = threshold.value_or(0.0f);
    p.prompt_sensitivity = prompt_sensitivity ? 1 : 0;
    return p;
  }
};

using LabelScore = cliprt_label_score;

// How much one image's answer depends on the template wording.
struct PromptSensitivity {
  bool computed = false;
  std::span<const int32_t> template_top1;          // per template: its own top-1 label
  std::span<const float> template_top_class_prob;  // per template: probability of the overall top-1
  float agreement_rate = 0;
  float top_class_prob_min = 0;
  float top_class_prob_max = 0;
  float spread = 0;
  int distinct_top1 = 0;
};

class Classification {
 public:
  static Classification FromJson(std::string_view json) {
    cliprt_classification* h = nullptr;
    Check(cliprt_classification_from_json(json.data(), json.size(), &h));
    return Classification(h);
  }
  size_t num_images() const { size_t n = 0; Check(cliprt_classification_counts(handle_.get(), &n, nullptr)); return n; }
  size_t num_labels() const { size_t n = 0; Check(cliprt_classification_counts(handle_.get(), nullptr, &n)); return n; }
  std::string_view label(size_t i) const {
    const char* s = nullptr;
    Check(cliprt_classification_label(handle_.get(), i, &s));
    return s;
  }
  std::span<const float> logits(size_t image) const {
    const float* v = nullptr;
    Check(cliprt_classification_image(handle_.get(), image, &v, nullptr, nullptr, nullptr, nullptr));
    return {v, num_labels()};
  }
  std::span<const float> probabilities(size_t image) const {
    const float* v = nullptr;
    Check(cliprt_classification_image(handle_.get(), image, nullptr, &v, nullptr, nullptr, nullptr));
    return {v, num_labels()};
  }
  // Best first; equal logits: lower label first.
  std::span<const LabelScore> top_k(size_t image) const {
    const cliprt_label_score* v = nullptr;
    size_t n = 0;
    Check(cliprt_classification_image(handle_.get(), image, nullptr, nullptr, &v, &n, nullptr));
    return {v, n};
  }
  bool abstained(size_t image) const {
    int a = 0;
    Check(cliprt_classification_image(handle_.get(), image, nullptr, nullptr, nullptr, nullptr, &a));
    return a != 0;
  }
  PromptSensitivity sensitivity(size_t image) const {
    cliprt_prompt_sensitivity s{};
    s.struct_size = sizeof(s);
    Check(cliprt_classification_prompt_sensitivity(handle_.get(), image, &s));
    PromptSensitivity out;
    out.computed = s.computed != 0;
    out.template_top1 = {s.template_top1, s.template_top1 ? s.num_templates : 0};
    out.template_top_class_prob = {s.template_top_class_prob, s.template_top_class_prob ? s.num_templates : 0};
    out.agreement_rate = s.agreement_rate;
    out.top_class_prob_min = s.top_class_prob_min;
    out.top_class_prob_max = s.top_class_prob_max;
    out.spread = s.spread;
    out.distinct_top1 = s.distinct_top1;
    return out;
  }
  std::string_view provenance_json() const {
    const char* j = nullptr;
    Check(cliprt_classification_provenance_json(handle_.get(), &j));
    return j;
  }
  std::string_view to_json() const {
    const char* j = nullptr;
    Check(cliprt_classification_to_json(handle_.get(), &j));
    return j;
  }
  const cliprt_classification* get() const noexcept { return handle_.get(); }

 private:
  friend class Model;
  explicit Classification(cliprt_classification* h) : handle_(h) {}
  detail::Handle<cliprt_classification, cliprt_classification_free> handle_;
};

using SearchHit = cliprt_search_hit;

class SearchResult {
 public:
  size_t num_queries() const {
    size_t n = 0;
    Check(cliprt_search_result_num_queries(handle_.get(), &n));
    return n;
  }
  // Best first; equal scores: the entry added earlier first.
  std::span<const SearchHit> hits(size_t query) const {
    const cliprt_search_hit* h = nullptr;
    size_t n = 0;
    Check(cliprt_search_result_hits(handle_.get(), query, &h, &n));
    return {h, n};
  }
  std::string_view provenance_json() const {
    const char* j = nullptr;
    Check(cliprt_search_result_provenance_json(handle_.get(), &j));
    return j;
  }
  std::string_view to_json() const {
    const char* j = nullptr;
    Check(cliprt_search_result_to_json(handle_.get(), &j));
    return j;
  }

 private:
  friend class Index;
  explicit SearchResult(cliprt_search_result* h) : handle_(h) {}
  detail::Handle<cliprt_search_result, cliprt_search_result_free> handle_;
};

struct ModelOptions {
  std::string tokenizer_path;  // "" → files beside the checkpoint
  cliprt_towers towers = CLIPRT_TOWERS_BOTH;
  cliprt_precision precision = CLIPRT_PRECISION_F32;
  int threads = 0;             // 0 → all hardware threads
  std::string preset;          // "" → the checkpoint's reference preprocessing
  std::string manifest_dir;    // "" → $CLIPRT_MANIFEST_DIR / built-in search
  bool strict_truncation = false;
  bool compute_sha256 = true;
  int thread_spin_us = -1;     // -1 → automatic; 0 → never spin (see cliprt_model_params)
};

struct ModelInfo {
  int64_t embed_dim = 0;
  bool has_vision = false;
  bool has_text = false;
  int image_size = 0;
  int context_length = 0;
  int threads = 0;
  float logit_scale = 0;
  std::optional<float> logit_bias;
  std::string family;
  std::string name;
  std::string precision;
  std::string score_rule;
  std::string architecture;
};

// A loaded checkpoint. Immutable: every method may run from many threads.
class Model {
 public:
  static Model Load(const std::string& path, const ModelOptions& options = {}) {
    cliprt_model_params p = cliprt_model_default_params();
    p.tokenizer_path = options.tokenizer_path.empty() ? nullptr : options.tokenizer_path.c_str();
    p.towers = options.towers;
    p.precision = options.precision;
    p.num_threads = options.threads;
    p.preprocess_preset = options.preset.empty() ? nullptr : options.preset.c_str();
    p.manifest_dir = options.manifest_dir.empty() ? nullptr : options.manifest_dir.c_str();
    p.strict_truncation = options.strict_truncation ? 1 : 0;
    p.compute_sha256 = options.compute_sha256 ? 1 : 0;
    p.thread_spin_us = options.thread_spin_us;
    cliprt_model* h = nullptr;
    Check(cliprt_model_load(path.c_str(), &p, &h));
    return Model(h);
  }

  ModelInfo info() const {
    cliprt_model_info i{};
    i.struct_size = sizeof(i);
    Check(cliprt_model_info_get(handle_.get(), &i));
    ModelInfo out;
    out.embed_dim = i.embed_dim;
    out.has_vision = i.has_vision != 0;
    out.has_text = i.has_text != 0;
    out.image_size = i.image_size;
    out.context_length = i.context_length;
    out.threads = i.num_threads;
    out.logit_scale = i.logit_scale;
    if (i.has_logit_bias) out.logit_bias = i.logit_bias;
    out.family = i.family;
    out.name = i.name;
    out.precision = i.precision;
    out.score_rule = i.score_rule;
    out.architecture = i.architecture;
    return out;
  }
  std::string_view info_json() const {
    const char* j = nullptr;
    Check(cliprt_model_info_json(handle_.get(), &j));
    return j;
  }

  Embeddings EncodeImageFiles(std::span<const std::string> paths, bool normalize = false) const {
    const std::vector<const char*> c = detail::CStrings(paths);
    cliprt_embeddings* h = nullptr;
    Check(cliprt_model_encode_image_files(handle_.get(), c.data(), c.size(), normalize ? 1 : 0, &h));
    return Embeddings(h);
  }
  // Encoded image files in memory (JPEG, PNG, ...), one span per image.
  Embeddings EncodeImageBuffers(std::span<const std::span<const uint8_t>> images, bool normalize = false) const {
    std::vector<const void*> data;
    std::vector<size_t> sizes;
    for (const auto& image : images) {
      data.push_back(image.data());
      sizes.push_back(image.size());
    }
    cliprt_embeddings* h = nullptr;
    Check(cliprt_model_encode_image_buffers(handle_.get(), data.data(), sizes.data(), data.size(),
                                            normalize ? 1 : 0, &h));
    return Embeddings(h);
  }
  // Preprocessed pixels [count, 3, size, size] (size = info().image_size).
  Embeddings EncodePixels(std::span<const float> pixels, size_t count, size_t size, bool normalize = false) const {
    if (pixels.size() != count * 3 * size * size) {
      throw Error(CLIPRT_INVALID_ARGUMENT, "EncodePixels: " + std::to_string(pixels.size()) +
                                               " floats is not [" + std::to_string(count) + ", 3, " +
                                               std::to_string(size) + ", " + std::to_string(size) + "]");
    }
    cliprt_embeddings* h = nullptr;
    Check(cliprt_model_encode_pixels(handle_.get(), pixels.data(), count, size, size, normalize ? 1 : 0, &h));
    return Embeddings(h);
  }
  Embeddings EncodeTexts(std::span<const std::string> texts, bool normalize = false) const {
    const std::vector<const char*> c = detail::CStrings(texts);
    cliprt_embeddings* h = nullptr;
    Check(cliprt_model_encode_texts(handle_.get(), c.data(), c.size(), normalize ? 1 : 0, &h));
    return Embeddings(h);
  }

  cliprt::Similarity Similarity(const Embeddings& images, const Embeddings& texts) const {
    cliprt_similarity* h = nullptr;
    Check(cliprt_model_similarity(handle_.get(), images.get(), texts.get(), &h));
    return cliprt::Similarity(h);
  }

  Classifier CreateClassifier(std::span<const std::string> labels,
                              const Templates& templates = Templates::Builtin("openclip7")) const {
    const std::vector<const char*> c = detail::CStrings(labels);
    std::vector<const char*> list;
    cliprt_classifier_params p = cliprt_classifier_default_params();
    p.template_set = templates.set_ ? templates.set_->c_str() : nullptr;
    p.template_file = templates.file_ ? templates.file_->c_str() : nullptr;
    if (!templates.set_ && !templates.file_) {
      list = detail::CStrings(templates.list_);
      p.templates = list.data();
      p.num_templates = list.size();
    }
    cliprt_classifier* h = nullptr;
    Check(cliprt_classifier_create(handle_.get(), c.data(), c.size(), &p, &h));
    return Classifier(h);
  }

  Classification Classify(const Classifier& classifier, const Embeddings& images,
                          const ClassifyOptions& options = {}) const {
    const cliprt_classify_params p = options.ToC();
    cliprt_classification* h = nullptr;
    Check(cliprt_model_classify(handle_.get(), classifier.get(), images.get(), &p, &h));
    return Classification(h);
  }
  Classification ClassifyImageFiles(const Classifier& classifier, std::span<const std::string> paths,
                                    const ClassifyOptions& options = {}) const {
    const std::vector<const char*> c = detail::CStrings(paths);
    const cliprt_classify_params p = options.ToC();
    cliprt_classification* h = nullptr;
    Check(cliprt_model_classify_image_files(handle_.get(), classifier.get(), c.data(), c.size(), &p, &h));
    return Classification(h);
  }

  const cliprt_model* get() const noexcept { return handle_.get(); }

 private:
  explicit Model(cliprt_model* h) : handle_(h) {}
  detail::Handle<cliprt_model, cliprt_model_free> handle_;
};

// Retrieval index: embeddings by uint64 id, cosine top-k. Thread-safe.
class Index {
 public:
  // For the embeddings of `model` (its width and checkpoint identity).
  static Index Create(const Model& model) { return Make(model.get(), 0); }
  // For embeddings of width `dim` without checkpoint identity.
  static Index Create(size_t dim) { return Make(nullptr, dim); }
  static Index Load(const std::string& path) {
    cliprt_index* h = nullptr;
    Check(cliprt_index_load(path.c_str(), &h));
    return Index(h);
  }

  void Add(std::span<const uint64_t> ids, const Embeddings& embeddings) {
    Check(cliprt_index_add(handle_.get(), ids.data(), ids.size(), embeddings.get()));
  }
  // Raw rows [ids.size(), dim()].
  void AddValues(std::span<const uint64_t> ids, std::span<const float> values) {
    const size_t d = dim();
    if (values.size() != ids.size() * d) {
      throw Error(CLIPRT_INVALID_ARGUMENT, "AddValues: " + std::to_string(values.size()) + " floats for " +
                                               std::to_string(ids.size()) + " ids of dimension " + std::to_string(d));
    }
    Check(cliprt_index_add_values(handle_.get(), ids.data(), ids.size(), values.data(), d));
  }
  void Remove(uint64_t id) { Check(cliprt_index_remove(handle_.get(), id)); }
  bool Contains(uint64_t id) const {
    int c = 0;
    Check(cliprt_index_contains(handle_.get(), id, &c));
    return c != 0;
  }
  size_t size() const { size_t n = 0; Check(cliprt_index_size(handle_.get(), &n, nullptr)); return n; }
  size_t dim() const { size_t d = 0; Check(cliprt_index_size(handle_.get(), nullptr, &d)); return d; }
  // The identity of its embeddings as JSON (cliprt_index_identity_json).
  std::string identity_json() const {
    for (;;) {  // an add between the two calls may lengthen it: retry
      size_t length = 0;
      Check(cliprt_index_identity_json(handle_.get(), nullptr, 0, &length));
      std::string out(length + 1, '\0');
      size_t again = 0;
      Check(cliprt_index_identity_json(handle_.get(), out.data(), out.size(), &again));
      if (again <= length) {
        out.resize(again);
        return out;
      }
    }
  }

  SearchResult Search(const Embeddings& queries, size_t k) const {
    cliprt_search_result* h = nullptr;
    Check(cliprt_index_search(handle_.get(), queries.get(), k, &h));
    return SearchResult(h);
  }
  // Raw query rows [values.size() / dim(), dim()].
  SearchResult SearchValues(std::span<const float> queries, size_t k) const {
    const size_t d = dim();
    if (d == 0 || queries.size() % d != 0) {
      throw Error(CLIPRT_INVALID_ARGUMENT, "SearchValues: " + std::to_string(queries.size()) +
                                               " floats is not a whole number of rows of dimension " +
                                               std::to_string(d));
    }
    cliprt_search_result* h = nullptr;
    Check(cliprt_index_search_values(handle_.get(), queries.data(), queries.size() / d, d, k, &h));
    return SearchResult(h);
  }
  void Save(const std::string& path) const { Check(cliprt_index_save(handle_.get(), path.c_str())); }

 private:
  explicit Index(cliprt_index* h) : handle_(h) {}
  static Index Make(const cliprt_model* model, size_t dim) {
    cliprt_index* h = nullptr;
    Check(cliprt_index_create(model, dim, &h));
    return Index(h);
  }
  detail::Handle<cliprt_index, cliprt_index_free> handle_;
};

struct Difference {
  std::string field;
  std::string saved;
  std::string recomputed;
  bool substantive = true;
};

// What differs between a saved result and a recomputed one.
class ReplayReport {
 public:
  // Compares two result documents of the same kind (see cliprt_replay_compare).
  static ReplayReport Compare(std::string_view saved_json, std::string_view recomputed_json) {
    cliprt_replay_report* h = nullptr;
    Check(cliprt_replay_compare(saved_json.data(), saved_json.size(), recomputed_json.data(),
                                recomputed_json.size(), &h));
    return ReplayReport(h);
  }
  // Reloads the model the saved result names and recomputes it from `inputs`
  // (image files or texts, in the saved order); see cliprt_replay_run.
  static ReplayReport Run(std::string_view saved_json, std::span<const std::string> inputs,
                          const std::string& model_path = "", const std::string& tokenizer_path = "",
                          int threads = 0) {
    const std::vector<const char*> c = detail::CStrings(inputs);
    cliprt_replay_params p = cliprt_replay_default_params();
    p.model_path = model_path.empty() ? nullptr : model_path.c_str();
    p.tokenizer_path = tokenizer_path.empty() ? nullptr : tokenizer_path.c_str();
    p.num_threads = threads;
    cliprt_replay_report* h = nullptr;
    Check(cliprt_replay_run(saved_json.data(), saved_json.size(), c.data(), c.size(), &p, &h));
    return ReplayReport(h);
  }

  bool identical() const { return Summary().identical != 0; }
  bool substantively_identical() const { return Summary().substantively_identical != 0; }
  double max_abs_diff() const { return Summary().max_abs_diff; }
  int64_t values_differing() const { return Summary().values_differing; }
  std::string_view text() const { return Summary().text; }
  std::vector<Difference> differences() const {
    const size_t n = Summary().num_differences;
    std::vector<Difference> out;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      cliprt_difference d{};
      d.struct_size = sizeof(d);
      Check(cliprt_replay_report_difference(handle_.get(), i, &d));
      out.push_back({d.field, d.saved, d.recomputed, d.substantive != 0});
    }
    return out;
  }

 private:
  explicit ReplayReport(cliprt_replay_report* h) : handle_(h) {}
  cliprt_replay_summary Summary() const {
    cliprt_replay_summary s{};
    s.struct_size = sizeof(s);
    Check(cliprt_replay_report_summary(handle_.get(), &s));
    return s;
  }
  detail::Handle<cliprt_replay_report, cliprt_replay_report_free> handle_;
};

// ---- Inputs exactly as the encoders see them ----

// Token ids [rows, cols] (cols = the model's context length), row-major, and
// per text the ids truncation removed.
struct TokenIds {
  size_t rows = 0;
  size_t cols = 0;
  std::vector<int64_t> ids;
  std::vector<int64_t> dropped;
};

inline TokenIds Tokenize(const Model& model, std::span<const std::string> texts) {
  TokenIds out;
  out.rows = texts.size();
  out.cols = static_cast<size_t>(model.info().context_length);
  out.ids.resize(out.rows * out.cols);
  out.dropped.resize(out.rows);
  const std::vector<const char*> c = detail::CStrings(texts);
  Check(cliprt_model_tokenize(model.get(), c.data(), c.size(), out.ids.data(), out.dropped.data()));
  return out;
}

// Pixels [n, 3, S, S] (S = the model's image size), C order.
inline std::vector<float> PreprocessImageFiles(const Model& model, std::span<const std::string> paths) {
  const size_t side = static_cast<size_t>(model.info().image_size);
  std::vector<float> pixels(paths.size() * 3 * side * side);
  const std::vector<const char*> c = detail::CStrings(paths);
  Check(cliprt_model_preprocess_image_files(model.get(), c.data(), c.size(), pixels.data()));
  return pixels;
}

struct Flops {
  double per_image = 0;  // one image through the vision tower
  double per_text = 0;   // one text of the requested number of positions
};

inline Flops ModelFlops(const Model& model, int text_tokens) {
  Flops f;
  Check(cliprt_model_flops(model.get(), text_tokens, &f.per_image, &f.per_text));
  return f;
}
}  // namespace cliprt

#endif  // CLIPRT_CLIPRT_HPP_
