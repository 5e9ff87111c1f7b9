/*
 * cliprt.h — the C API of cliprt (C99).
 *
 * cliprt runs CLIP-family models (OpenAI CLIP, OpenCLIP, SigLIP) on CPUs with
 * the same tokens, pixels and embeddings as the reference PyTorch code.
 *
 * Rules every declaration in this header follows
 * -----------------------------------------------
 * 1. Status: every call that can fail returns cliprt_status. CLIPRT_OK (0)
 *    means success; any other value is an error whose human-readable
 *    explanation (what was wrong and where: file, tensor, byte offset, text
 *    index, argument) is available from cliprt_last_error_message() on the
 *    same thread until that thread's next failing cliprt call.
 * 2. Out-parameters come last, are named *_out, and are written only on
 *    success. On failure they are left untouched.
 * 3. Objects are opaque handles created by cliprt_<object>_create (or a call
 *    that returns one through an _out parameter) and released by
 *    cliprt_<object>_free. Every _free accepts NULL and does nothing.
 * 4. Parameter structs come from cliprt_<object>_default_params() and begin
 *    with `uint32_t struct_size`, which the caller leaves as set (it is
 *    sizeof the struct the caller compiled against). New fields are only ever
 *    appended, so a program built against an older header keeps working with
 *    a newer library.
 * 5. No exception, abort or exit() crosses this boundary, and bad input
 *    (files, images, text, arguments) never crashes: it returns an error.
 * 6. The library never prints. Diagnostics go to the callback installed with
 *    cliprt_log_set(); without one they are dropped.
 * 7. Strings passed in are UTF-8 and NUL-terminated unless a length is given.
 *    Strings returned are owned by the object they come from (or are static)
 *    and stay valid as stated per function; never free them.
 * 8. Thread-safety is stated per function. Functions without such a note are
 *    safe to call from any thread at any time.
 */
#ifndef CLIPRT_CLIPRT_H_
#define CLIPRT_CLIPRT_H_

#include <stddef.h>
#include <stdint.h>

#include "cliprt/version.h"

#if defined(_WIN32) && defined(CLIPRT_BUILDING_LIBRARY)
#define CLIPRT_API __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#define CLIPRT_API __attribute__((visibility("default")))
#else
#define CLIPRT_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Status and errors                                                        */
/* ------------------------------------------------------------------------ */

typedef enum cliprt_status {
  CLIPRT_OK = 0,
  CLIPRT_INVALID_ARGUMENT = 1,    /* an argument is NULL, out of range or inconsistent */
  CLIPRT_NOT_FOUND = 2,           /* a file, tensor or key that must exist does not */
  CLIPRT_IO_ERROR = 3,            /* the OS refused a read, open or mmap */
  CLIPRT_CORRUPT_DATA = 4,        /* a file or buffer violates its format */
  CLIPRT_UNSUPPORTED = 5,         /* valid input this build does not handle */
  CLIPRT_OUT_OF_RANGE = 6,        /* an index or size is past a limit */
  CLIPRT_RESOURCE_EXHAUSTED = 7,  /* out of memory, or a configured limit was exceeded */
  CLIPRT_FAILED_PRECONDITION = 8, /* the object is not in a state that allows the call */
  CLIPRT_INTERNAL = 9             /* a bug in cliprt; please report it */
} cliprt_status;

/* Stable upper-case name of a status, e.g. "INVALID_ARGUMENT". Never NULL;
 * unknown values give "UNKNOWN". The string is static. */
CLIPRT_API const char* cliprt_status_string(cliprt_status status);

/* Message of the most recent failing cliprt call on the calling thread, or
 * "" if none has failed. Thread-local: valid until the calling thread's next
 * failing cliprt call. Never NULL. */
CLIPRT_API const char* cliprt_last_error_message(void);

/* ------------------------------------------------------------------------ */
/* Version and build                                                        */
/* ------------------------------------------------------------------------ */

/* Library version, e.g. "0.1.0" (static string). The header's
 * CLIPRT_VERSION_STRING is the version a program was compiled against. */
CLIPRT_API const char* cliprt_version(void);

/* Git revision the library was built from, or "unknown" (static string). */
CLIPRT_API const char* cliprt_build_revision(void);

/* ------------------------------------------------------------------------ */
/* Logging                                                                  */
/* ------------------------------------------------------------------------ */

typedef enum cliprt_log_level {
  CLIPRT_LOG_DEBUG = 0,
  CLIPRT_LOG_INFO = 1,
  CLIPRT_LOG_WARNING = 2,
  CLIPRT_LOG_ERROR = 3
} cliprt_log_level;

/* Receives one diagnostic. `message` is valid only during the call. May be
 * called from any thread, concurrently; it must not call back into cliprt. */
typedef void (*cliprt_log_callback)(cliprt_log_level level, const char* message,
                                    void* user_data);

/* Installs the process-wide log callback (NULL removes it). `user_data` is
 * passed through untouched. Thread-safe. */
CLIPRT_API void cliprt_log_set(cliprt_log_callback callback, void* user_data);

/* ------------------------------------------------------------------------ */
/* CPU and kernel dispatch                                                  */
/* ------------------------------------------------------------------------ */

typedef enum cliprt_isa {
  CLIPRT_ISA_SCALAR = 0, /* portable C++ (the reference) */
  CLIPRT_ISA_AVX2 = 1,   /* AVX2 + FMA + F16C */
  CLIPRT_ISA_AVX512 = 2  /* AVX-512 F/BW/VL/DQ */
} cliprt_isa;

typedef struct cliprt_cpu_info {
  uint32_t struct_size;     /* set by the caller to sizeof(cliprt_cpu_info) */
  cliprt_isa detected_isa;  /* highest level this CPU and OS support */
  cliprt_isa active_isa;    /* level kernels use (CLIPRT_ISA may lower it) */
  int32_t hardware_threads; /* std::thread::hardware_concurrency(), >= 1 */
  const char* features;     /* e.g. "avx2 fma f16c avx512f ..." (static) */
  const char* vendor;       /* CPUID vendor, "" off x86 (static) */
  const char* brand;        /* CPUID brand string, "" off x86 (static) */
  const char* isa_note;     /* why active_isa has its value (static) */
} cliprt_cpu_info;

/* Fills *info_out. The caller sets info_out->struct_size first; fields past
 * that size are not written. CLIPRT_INVALID_ARGUMENT if info_out is NULL or
 * struct_size is smaller than the first version of the struct. */
CLIPRT_API cliprt_status cliprt_cpu_info_get(cliprt_cpu_info* info_out);

/* Name of an ISA level: "scalar", "avx2" or "avx512" (static string). */
CLIPRT_API const char* cliprt_isa_name(cliprt_isa isa);

/* ------------------------------------------------------------------------ */
/* Kernel self-test                                                         */
/* ------------------------------------------------------------------------ */

typedef struct cliprt_self_test_params {
  uint32_t struct_size; /* sizeof(cliprt_self_test_params); set by default_params */
  int32_t num_threads;  /* threads for the multi-threaded checks; <= 0: hardware threads */
  uint32_t seed;        /* seed of the random test data */
} cliprt_self_test_params;

/* Defaults: struct_size set, num_threads 0 (hardware), seed 1. */
CLIPRT_API cliprt_self_test_params cliprt_self_test_default_params(void);

/* Opaque result of a self-test run. */
typedef struct cliprt_self_test_report cliprt_self_test_report;

/* Runs every kernel at every ISA level this CPU supports against the scalar
 * reference kernels and records each comparison. A kernel that disagrees is a
 * *result* (see cliprt_self_test_report_passed), not an error status; errors
 * are for bad params or exhausted resources. `params` may be NULL (defaults).
 * On success *report_out owns a new report; free it with
 * cliprt_self_test_report_free. Thread-safe. */
CLIPRT_API cliprt_status cliprt_self_test_run(const cliprt_self_test_params* params,
                                              cliprt_self_test_report** report_out);

/* 1 if every check in the report passed, else 0. `report` must not be NULL. */
CLIPRT_API int cliprt_self_test_report_passed(const cliprt_self_test_report* report);

/* Number of checks in the report. */
CLIPRT_API size_t cliprt_self_test_report_count(const cliprt_self_test_report* report);

/* One human-readable line per check, e.g.
 * "pass f32_gemm avx512 M=7 N=33 K=65: max rel err 1.2e-07 (bound 1e-05)".
 * CLIPRT_OUT_OF_RANGE if index >= count. The string lives as long as the
 * report. */
CLIPRT_API cliprt_status cliprt_self_test_report_line(const cliprt_self_test_report* report,
                                                      size_t index, const char** line_out);

/* Frees a report. NULL is a no-op. */
CLIPRT_API void cliprt_self_test_report_free(cliprt_self_test_report* report);

/* ======================================================================== */
/* Models, embeddings and results                                           */
/* ======================================================================== */
/*
 * Object overview (all opaque handles, each released with its _free):
 *   cliprt_model           a loaded checkpoint: towers, tokenizer, preprocessing,
 *                          thread pool. Immutable; share it across threads.
 *   cliprt_embeddings      rows x dim floats + provenance (image or text).
 *   cliprt_similarity      logits_per_image [images x texts] + probabilities.
 *   cliprt_classifier      zero-shot class weights from labels x templates.
 *   cliprt_classification  per-image probabilities, top-k, abstention,
 *                          prompt sensitivity + provenance.
 *   cliprt_index           retrieval index of embeddings by uint64 id.
 *   cliprt_search_result   per-query hits + provenance.
 *   cliprt_replay_report   what differs between a saved and a recomputed result.
 *
 * Results (embeddings, similarity, classification, search result, replay
 * report) are immutable once returned: every accessor may be called from
 * any number of threads at once. Pointers an accessor returns (values,
 * strings) stay valid until the result is freed. A result does not
 * reference the model that produced it: it may outlive the model.
 */

typedef struct cliprt_model cliprt_model;
typedef struct cliprt_embeddings cliprt_embeddings;
typedef struct cliprt_similarity cliprt_similarity;
typedef struct cliprt_classifier cliprt_classifier;
typedef struct cliprt_classification cliprt_classification;
typedef struct cliprt_index cliprt_index;
typedef struct cliprt_search_result cliprt_search_result;
typedef struct cliprt_replay_report cliprt_replay_report;

/* ------------------------------------------------------------------------ */
/* Loading a model                                                          */
/* ------------------------------------------------------------------------ */

typedef enum cliprt_towers {
  CLIPRT_TOWERS_BOTH = 0,   /* vision and text */
  CLIPRT_TOWERS_VISION = 1, /* image encoder only (no tokenizer needed) */
  CLIPRT_TOWERS_TEXT = 2    /* text encoder only */
} cliprt_towers;

typedef enum cliprt_precision {
  CLIPRT_PRECISION_F32 = 0,  /* fp32 GEMMs: matches the fp32 reference */
  CLIPRT_PRECISION_BF16 = 1, /* bf16 weights and activations in GEMMs, fp32 accumulation */
  CLIPRT_PRECISION_INT8 = 2  /* int8 weights (per-channel), dynamic int8 activations */
} cliprt_precision;

typedef struct cliprt_model_params {
  uint32_t struct_size;         /* sizeof(cliprt_model_params); set by default_params */
  const char* tokenizer_path;   /* NULL or "": tokenizer files beside the checkpoint;
                                   else a vocabulary file (bpe_simple_vocab_16e6.txt.gz,
                                   spiece.model, ...) or a folder holding one */
  cliprt_towers towers;         /* which encoders to build (default BOTH) */
  cliprt_precision precision;   /* GEMM precision (default F32) */
  int32_t num_threads;          /* 0: all hardware threads; else 1..1024 */
  const char* preprocess_preset; /* NULL or "": the checkpoint's reference preprocessing;
                                    else "openai" | "open_clip" | "hf_clip" | "hf_siglip" */
  const char* manifest_dir;     /* NULL or "": $CLIPRT_MANIFEST_DIR, else the built-in
                                   search for known-checkpoint manifests */
  int32_t strict_truncation;    /* 0: texts longer than the context are truncated (as the
                                   references do) and counted in the provenance;
                                   1: such a text is an error naming its index */
  int32_t compute_sha256;       /* 1 (default): hash every weights file for provenance and
                                   index identity; 0: skip (faster load, hashes "") */
  int32_t thread_spin_us;       /* how long idle pool threads spin-wait for the next
                                   parallel step before sleeping (waking a sleeping thread
                                   costs tens of microseconds per step):
                                   -1 (default): 200 when num_threads <= the CPUs this
                                   process may use, else 0; 0: never spin (cores shared
                                   with other busy work); or 1..1000000 */
} cliprt_model_params;

/* Defaults: struct_size set, tokenizer_path NULL, towers BOTH, precision F32,
 * num_threads 0, preprocess_preset NULL, manifest_dir NULL,
 * strict_truncation 0, compute_sha256 1, thread_spin_us -1. A caller built
 * against an older header (smaller struct_size) gets the defaults for the
 * fields it does not have. */
CLIPRT_API cliprt_model_params cliprt_model_default_params(void);

/* Loads a checkpoint as downloaded: a file (OpenAI .pt, open_clip .bin /
 * .safetensors, ...) or a folder (Hugging Face save_pretrained, open_clip
 * hub folder). Reads the config, packs the weights, chooses the tokenizer
 * and preprocessing, then releases the mapped files. `path` must be a
 * non-empty NUL-terminated string; `params` may be NULL (defaults). On
 * success *model_out owns a new model; free it with cliprt_model_free after
 * every call using it has returned. Errors name the file and what was wrong
 * (missing tensor, unsupported variant, missing tokenizer file, ...).
 * Thread-safe. */
CLIPRT_API cliprt_status cliprt_model_load(const char* path, const cliprt_model_params* params,
                                           cliprt_model** model_out);

/* Frees a model. NULL is a no-op. Must not run concurrently with another call
 * on the same model. Results, classifiers and indexes made from it stay
 * valid. */
CLIPRT_API void cliprt_model_free(cliprt_model* model);

typedef struct cliprt_model_info {
  uint32_t struct_size;     /* set by the caller to sizeof(cliprt_model_info) */
  int64_t embed_dim;        /* width of image and text embeddings */
  int32_t has_vision;       /* 1 if the image encoder was loaded */
  int32_t has_text;         /* 1 if the text encoder was loaded */
  int32_t image_size;       /* input side in pixels (0 without vision) */
  int32_t context_length;   /* token ids per text (0 without text) */
  int32_t num_threads;      /* threads of the model's pool */
  int32_t has_logit_bias;   /* 1 for SigLIP (sigmoid scoring) */
  float logit_scale;        /* exp(stored logit_scale) */
  float logit_bias;         /* SigLIP's bias; 0 when has_logit_bias is 0 */
  const char* family;       /* "openai-vit" | "openai-resnet" | "open_clip" | "hf-clip" |
                               "hf-siglip" | "open_clip-siglip" */
  const char* name;         /* known-checkpoint manifest name, or "unrecognized" */
  const char* precision;    /* "f32" | "bf16" | "int8" */
  const char* score_rule;   /* "softmax" (CLIP) | "sigmoid" (SigLIP) */
  const char* architecture; /* one-line summary of both towers */
} cliprt_model_info;

/* Fills *info_out (the caller sets info_out->struct_size first). Strings
 * are owned by the model and live as long as it. CLIPRT_INVALID_ARGUMENT if
 * model or info_out is NULL or struct_size is smaller than this struct.
 * Thread-safe. */
CLIPRT_API cliprt_status cliprt_model_info_get(const cliprt_model* model, cliprt_model_info* info_out);

/* The model's full description as a JSON object: identity (files, SHA-256,
 * config decisions), config, towers, preprocessing and tokenizer. The string
 * is owned by the model and lives as long as it. Thread-safe. */
CLIPRT_API cliprt_status cliprt_model_info_json(const cliprt_model* model, const char** json_out);

/* ------------------------------------------------------------------------ */
/* Encoding                                                                 */
/* ------------------------------------------------------------------------ */
/* Every encode call is thread-safe: any number of threads may encode with one
 * model at once, and each gets exactly the result a serial call would give.
 * `normalize` 0 returns the embeddings as the reference's encode_image /
 * get_image_features return them; 1 L2-normalizes each row. Batches of any
 * size are split internally; rows come back in input order. Without the
 * needed tower a call fails with CLIPRT_FAILED_PRECONDITION. */

/* Decodes (JPEG, PNG, BMP, GIF, ...), preprocesses and encodes image files.
 * `paths` holds `count` (>= 1) non-NULL paths. An unreadable or undecodable
 * file fails the whole call and is named in the message. */
CLIPRT_API cliprt_status cliprt_model_encode_image_files(const cliprt_model* model,
                                                         const char* const* paths, size_t count,
                                                         int normalize,
                                                         cliprt_embeddings** embeddings_out);

/* Same for encoded images in memory: data[i] points at sizes[i] (> 0) bytes
 * of an image file; the buffers are only read during the call. */
CLIPRT_API cliprt_status cliprt_model_encode_image_buffers(const cliprt_model* model,
                                                           const void* const* data,
                                                           const size_t* sizes, size_t count,
                                                           int normalize,
                                                           cliprt_embeddings** embeddings_out);

/* Encodes already-preprocessed pixels: float32 [count, 3, height, width]
 * row-major, height = width = the model's image_size. Nothing is resized
 * or normalized. */
CLIPRT_API cliprt_status cliprt_model_encode_pixels(const cliprt_model* model, const float* pixels,
                                                    size_t count, size_t height, size_t width,
                                                    int normalize,
                                                    cliprt_embeddings** embeddings_out);

/* Tokenizes (exactly as the checkpoint's reference tokenizer) and encodes
 * `count` (>= 1) NUL-terminated UTF-8 texts. Ill-formed UTF-8 is replaced
 * by U+FFFD and counted in the provenance; with strict_truncation a text
 * longer than the context is an error naming its index. */
CLIPRT_API cliprt_status cliprt_model_encode_texts(const cliprt_model* model,
                                                   const char* const* texts, size_t count,
                                                   int normalize,
                                                   cliprt_embeddings** embeddings_out);

/* ------------------------------------------------------------------------ */
/* Embeddings                                                               */
/* ------------------------------------------------------------------------ */

/* The values: *values_out points at rows x dim floats, row-major, owned by
 * the embeddings. Any out pointer may be NULL if not wanted. */
CLIPRT_API cliprt_status cliprt_embeddings_values(const cliprt_embeddings* embeddings,
                                                  const float** values_out, size_t* rows_out,
                                                  size_t* dim_out);

/* "image" or "text" (owned by the embeddings). */
CLIPRT_API cliprt_status cliprt_embeddings_modality(const cliprt_embeddings* embeddings,
                                                    const char** modality_out);

/* 1 if the rows are L2-normalized, else 0. */
CLIPRT_API cliprt_status cliprt_embeddings_normalized(const cliprt_embeddings* embeddings,
                                                      int* normalized_out);

/* Provenance (docs/provenance.md) as JSON; the whole result (values +
 * provenance) as a JSON document that cliprt_embeddings_from_json reads
 * back bit for bit. Strings owned by the embeddings. */
CLIPRT_API cliprt_status cliprt_embeddings_provenance_json(const cliprt_embeddings* embeddings,
                                                           const char** json_out);
CLIPRT_API cliprt_status cliprt_embeddings_to_json(const cliprt_embeddings* embeddings,
                                                   const char** json_out);

/* Parses a document written by cliprt_embeddings_to_json (`size` bytes at
 * `json`, no NUL needed). Errors name the key that is missing or wrong. */
CLIPRT_API cliprt_status cliprt_embeddings_from_json(const char* json, size_t size,
                                                     cliprt_embeddings** embeddings_out);

/* Frees embeddings. NULL is a no-op. */
CLIPRT_API void cliprt_embeddings_free(cliprt_embeddings* embeddings);

/* ------------------------------------------------------------------------ */
/* Similarity                                                               */
/* ------------------------------------------------------------------------ */

/* The model's logits_per_image between image and text embeddings (both
 * produced by this model; normalized or not): scale * cos (+ bias for
 * SigLIP), and probabilities by the model's rule — softmax over the texts
 * of each image (CLIP) or a sigmoid per pair (SigLIP). Embeddings of another
 * checkpoint are refused (CLIPRT_FAILED_PRECONDITION), of another width or
 * modality too (CLIPRT_INVALID_ARGUMENT), with a message naming both
 * values. Thread-safe. */
CLIPRT_API cliprt_status cliprt_model_similarity(const cliprt_model* model,
                                                 const cliprt_embeddings* images,
                                                 const cliprt_embeddings* texts,
                                                 cliprt_similarity** similarity_out);

/* Shape and values: logits and probabilities are [images, texts] row-major,
 * owned by the similarity. Any out pointer may be NULL if not wanted. */
CLIPRT_API cliprt_status cliprt_similarity_values(const cliprt_similarity* similarity,
                                                  const float** logits_out,
                                                  const float** probabilities_out,
                                                  size_t* images_out, size_t* texts_out);
CLIPRT_API cliprt_status cliprt_similarity_provenance_json(const cliprt_similarity* similarity,
                                                           const char** json_out);
CLIPRT_API cliprt_status cliprt_similarity_to_json(const cliprt_similarity* similarity,
                                                   const char** json_out);
CLIPRT_API void cliprt_similarity_free(cliprt_similarity* similarity);

/* ------------------------------------------------------------------------ */
/* Zero-shot classification                                                 */
/* ------------------------------------------------------------------------ */

typedef struct cliprt_classifier_params {
  uint32_t struct_size;             /* sizeof(cliprt_classifier_params) */
  /* Exactly one source of prompt templates (a template contains "{}",
   * formatted like Python's str.format with the label):
   *  - template_set: built-in "imagenet80" (CLIP paper's 80), "openclip7"
   *    (open_clip's 7) or "single" ("a photo of a {}.");
   *  - template_file: a UTF-8 file, one template per line;
   *  - templates / num_templates: explicit templates.
   * Defaults: template_set "openclip7", the others NULL / 0. Setting
   * template_file or templates requires template_set = NULL. */
  const char* template_set;
  const char* template_file;
  const char* const* templates;
  size_t num_templates;
} cliprt_classifier_params;

CLIPRT_API cliprt_classifier_params cliprt_classifier_default_params(void);

/* Builds a zero-shot classifier: every label x template prompt is encoded by
 * the model's text tower; class weight = normalize(mean over templates of
 * the normalized prompt embeddings). `labels` holds num_labels (>= 1)
 * non-empty strings. Needs the text tower (CLIPRT_FAILED_PRECONDITION
 * otherwise). The classifier keeps no reference to the model but remembers
 * its identity: classifying with another checkpoint is refused
 * (CLIPRT_FAILED_PRECONDITION).
 * Thread-safe; the classifier is immutable and shareable across threads. */
CLIPRT_API cliprt_status cliprt_classifier_create(const cliprt_model* model,
                                                  const char* const* labels, size_t num_labels,
                                                  const cliprt_classifier_params* params,
                                                  cliprt_classifier** classifier_out);

/* Counts, and the label / template at an index (strings owned by the
 * classifier; CLIPRT_OUT_OF_RANGE past the end). */
CLIPRT_API cliprt_status cliprt_classifier_counts(const cliprt_classifier* classifier,
                                                  size_t* num_labels_out,
                                                  size_t* num_templates_out);
CLIPRT_API cliprt_status cliprt_classifier_label(const cliprt_classifier* classifier, size_t index,
                                                 const char** label_out);
CLIPRT_API cliprt_status cliprt_classifier_template(const cliprt_classifier* classifier,
                                                    size_t index, const char** template_out);
CLIPRT_API void cliprt_classifier_free(cliprt_classifier* classifier);

typedef struct cliprt_classify_params {
  uint32_t struct_size;       /* sizeof(cliprt_classify_params) */
  int32_t top_k;              /* >= 1, clamped to the number of labels (default 5) */
  int32_t use_threshold;      /* 1: abstain when the top-1 probability < threshold */
  float threshold;            /* used when use_threshold is 1 (default 0) */
  int32_t prompt_sensitivity; /* 1 (default): also score each template on its own */
} cliprt_classify_params;

CLIPRT_API cliprt_classify_params cliprt_classify_default_params(void);

/* Classifies image embeddings (from this model: modality "image") with a
 * classifier built on this model. `params` may be NULL (defaults).
 * Thread-safe. */
CLIPRT_API cliprt_status cliprt_model_classify(const cliprt_model* model,
                                               const cliprt_classifier* classifier,
                                               const cliprt_embeddings* images,
                                               const cliprt_classify_params* params,
                                               cliprt_classification** classification_out);

/* Encodes the image files (as cliprt_model_encode_image_files) and
 * classifies them. Thread-safe. */
CLIPRT_API cliprt_status cliprt_model_classify_image_files(const cliprt_model* model,
                                                           const cliprt_classifier* classifier,
                                                           const char* const* paths, size_t count,
                                                           const cliprt_classify_params* params,
                                                           cliprt_classification** classification_out);

typedef struct cliprt_label_score {
  int32_t label;     /* index into the labels */
  float probability; /* softmax over labels (CLIP) or sigmoid (SigLIP) */
  float logit;
} cliprt_label_score;

/* Number of images and labels. Any out pointer may be NULL. */
CLIPRT_API cliprt_status cliprt_classification_counts(const cliprt_classification* classification,
                                                      size_t* num_images_out,
                                                      size_t* num_labels_out);
CLIPRT_API cliprt_status cliprt_classification_label(const cliprt_classification* classification,
                                                     size_t index, const char** label_out);

/* One image's scores: logits and probabilities per label (num_labels
 * floats each), the top-k best first (equal logits: lower label first), and
 * whether it abstained. Pointers owned by the classification; any out
 * pointer may be NULL. CLIPRT_OUT_OF_RANGE if image >= num_images. */
CLIPRT_API cliprt_status cliprt_classification_image(const cliprt_classification* classification,
                                                     size_t image, const float** logits_out,
                                                     const float** probabilities_out,
                                                     const cliprt_label_score** top_k_out,
                                                     size_t* top_k_count_out, int* abstained_out);

typedef struct cliprt_prompt_sensitivity {
  uint32_t struct_size;   /* set by the caller to sizeof(cliprt_prompt_sensitivity) */
  int32_t computed;       /* 0 when prompt_sensitivity was off (other fields zero) */
  size_t num_templates;
  const int32_t* template_top1;          /* per template: its own top-1 label */
  const float* template_top_class_prob;  /* per template: probability of the overall top-1 */
  float agreement_rate;   /* fraction of templates whose top-1 is the overall top-1 */
  float top_class_prob_min;
  float top_class_prob_max;
  float spread;           /* max - min of template_top_class_prob */
  int32_t distinct_top1;  /* how many labels some template ranks first */
} cliprt_prompt_sensitivity;

/* How much one image's answer depends on the prompt wording. Arrays owned
 * by the classification. */
CLIPRT_API cliprt_status cliprt_classification_prompt_sensitivity(
    const cliprt_classification* classification, size_t image,
    cliprt_prompt_sensitivity* sensitivity_out);

CLIPRT_API cliprt_status cliprt_classification_provenance_json(
    const cliprt_classification* classification, const char** json_out);
CLIPRT_API cliprt_status cliprt_classification_to_json(const cliprt_classification* classification,
                                                       const char** json_out);
/* Reads a document written by cliprt_classification_to_json. */
CLIPRT_API cliprt_status cliprt_classification_from_json(const char* json, size_t size,
                                                         cliprt_classification** classification_out);
CLIPRT_API void cliprt_classification_free(cliprt_classification* classification);

/* ------------------------------------------------------------------------ */
/* Retrieval index                                                          */
/* ------------------------------------------------------------------------ */
/* Embeddings by caller-chosen uint64 id, searched by cosine similarity
 * (rows stored L2-normalized). Equal scores: the entry added earlier first.
 * An index remembers the identity of its embeddings (checkpoint SHA-256,
 * width, preprocessing, tokenizer) and refuses embeddings of another one
 * with a message naming both values: CLIPRT_FAILED_PRECONDITION for another
 * checkpoint, preprocessing or tokenizer, CLIPRT_INVALID_ARGUMENT for
 * another width. All index functions are thread-safe:
 * searches and saves run concurrently, add and remove take the index
 * exclusively. */

/* A new empty index. With a model: for its embeddings (dim 0 or its
 * embed_dim) and its identity. Without (model NULL): for embeddings of width
 * `dim` (1..65536) with no checkpoint identity. */
CLIPRT_API cliprt_status cliprt_index_create(const cliprt_model* model, size_t dim,
                                             cliprt_index** index_out);

/* Adds the rows of `embeddings` under ids[0..rows) (a row count mismatch is
 * an error). Refused as a whole — nothing added — on another identity, a
 * duplicate id, or a zero / non-finite row (named by its id). */
CLIPRT_API cliprt_status cliprt_index_add(cliprt_index* index, const uint64_t* ids, size_t count,
                                          const cliprt_embeddings* embeddings);

/* Adds raw rows: values [count, dim] row-major, dim = the index's. The
 * caller vouches that they come from the index's model. */
CLIPRT_API cliprt_status cliprt_index_add_values(cliprt_index* index, const uint64_t* ids,
                                                 size_t count, const float* values, size_t dim);

/* Removes one entry; CLIPRT_NOT_FOUND naming the id if absent. */
CLIPRT_API cliprt_status cliprt_index_remove(cliprt_index* index, uint64_t id);

/* Entries and width. Any out pointer may be NULL. */
CLIPRT_API cliprt_status cliprt_index_size(const cliprt_index* index, size_t* size_out,
                                           size_t* dim_out);

/* The identity of the index's embeddings as a JSON object (as index files
 * store it): {"dim", "checkpoint_sha256", "model_name", "preprocessing",
 * "tokenizer", "normalization"}; preprocessing / tokenizer are "" until image
 * / text embeddings were added. snprintf-style, because an add may change
 * it: writes at most buffer_size - 1 bytes plus a NUL into buffer (which may
 * be NULL when buffer_size is 0) and sets *length_out (not NULL) to the full
 * length without the NUL, so a second call with length + 1 bytes gets it all. */
CLIPRT_API cliprt_status cliprt_index_identity_json(const cliprt_index* index, char* buffer,
                                                    size_t buffer_size, size_t* length_out);

/* 1 if `id` is in the index, else 0. */
CLIPRT_API cliprt_status cliprt_index_contains(const cliprt_index* index, uint64_t id,
                                               int* contains_out);

/* Top-k entries for each row of `queries` (k >= 1, clamped to the size;
 * image or text embeddings of the index's checkpoint and width). */
CLIPRT_API cliprt_status cliprt_index_search(const cliprt_index* index,
                                             const cliprt_embeddings* queries, size_t k,
                                             cliprt_search_result** result_out);

/* Same for raw query rows [rows, dim], dim = the index's. */
CLIPRT_API cliprt_status cliprt_index_search_values(const cliprt_index* index,
                                                    const float* queries, size_t rows, size_t dim,
                                                    size_t k, cliprt_search_result** result_out);

/* Writes the index (entries + identity) to a file (.cliprt-index); loads one
 * back. A corrupt or truncated file is CLIPRT_CORRUPT_DATA naming the byte
 * offset, never a crash. */
CLIPRT_API cliprt_status cliprt_index_save(const cliprt_index* index, const char* path);
CLIPRT_API cliprt_status cliprt_index_load(const char* path, cliprt_index** index_out);
CLIPRT_API void cliprt_index_free(cliprt_index* index);

typedef struct cliprt_search_hit {
  uint64_t id;
  float score; /* cosine similarity */
} cliprt_search_hit;

CLIPRT_API cliprt_status cliprt_search_result_num_queries(const cliprt_search_result* result,
                                                          size_t* num_queries_out);
/* The hits of one query, best first (owned by the result). */
CLIPRT_API cliprt_status cliprt_search_result_hits(const cliprt_search_result* result, size_t query,
                                                   const cliprt_search_hit** hits_out,
                                                   size_t* count_out);
CLIPRT_API cliprt_status cliprt_search_result_provenance_json(const cliprt_search_result* result,
                                                              const char** json_out);
CLIPRT_API cliprt_status cliprt_search_result_to_json(const cliprt_search_result* result,
                                                      const char** json_out);
CLIPRT_API void cliprt_search_result_free(cliprt_search_result* result);

/* ------------------------------------------------------------------------ */
/* Replay                                                                   */
/* ------------------------------------------------------------------------ */

/* Compares a saved result document with a recomputed one (both as written by
 * a cliprt_*_to_json of the same kind: embedding, similarity,
 * classification or search): every provenance field by path with both
 * values, result fields, and how far the float values moved. The typical use
 * is: parse the saved provenance, rerun the same call on the same inputs,
 * compare. Sizes in bytes (no NUL needed). Thread-safe. */
CLIPRT_API cliprt_status cliprt_replay_compare(const char* saved_json, size_t saved_size,
                                               const char* recomputed_json, size_t recomputed_size,
                                               cliprt_replay_report** report_out);

typedef struct cliprt_replay_params {
  uint32_t struct_size;       /* sizeof(cliprt_replay_params); set by default_params */
  const char* model_path;     /* NULL or "": the checkpoint path recorded in the provenance */
  const char* tokenizer_path; /* NULL or "": the vocabulary recorded in the provenance */
  int32_t num_threads;        /* 0: the recorded thread count (results do not depend on it) */
} cliprt_replay_params;

CLIPRT_API cliprt_replay_params cliprt_replay_default_params(void);

/* Replays a saved result: reloads the model as its provenance describes it
 * (paths, tokenizer, precision, preprocessing preset, truncation; any of it
 * overridable in `params`, which may be NULL), recomputes the result from
 * `inputs` — the image files (image embeddings, classifications) or the
 * texts (text embeddings) it was computed from, in the same order — and
 * compares, as cliprt_replay_compare does. A moved or changed checkpoint
 * shows up as a differing SHA-256 in the report, not as an error.
 * CLIPRT_UNSUPPORTED in builds without replay. Thread-safe. */
CLIPRT_API cliprt_status cliprt_replay_run(const char* saved_json, size_t saved_size,
                                           const char* const* inputs, size_t num_inputs,
                                           const cliprt_replay_params* params,
                                           cliprt_replay_report** report_out);

typedef struct cliprt_replay_summary {
  uint32_t struct_size;          /* set by the caller to sizeof(cliprt_replay_summary) */
  int32_t identical;             /* nothing differs and every value has the same bits */
  int32_t substantively_identical; /* only informational fields differ (paths, threads, ...) */
  size_t num_differences;        /* provenance + result field differences */
  int64_t values_compared;
  int64_t values_differing;      /* values whose bits differ */
  double max_abs_diff;
  double max_abs_saved;
  const char* text;              /* human-readable summary, one line per difference */
} cliprt_replay_summary;

CLIPRT_API cliprt_status cliprt_replay_report_summary(const cliprt_replay_report* report,
                                                      cliprt_replay_summary* summary_out);

typedef struct cliprt_difference {
  uint32_t struct_size;   /* set by the caller to sizeof(cliprt_difference) */
  const char* field;      /* path, e.g. "model.files[0].sha256" or "labels[2]" */
  const char* saved;      /* JSON text of the saved value ("<absent>" if missing) */
  const char* recomputed; /* JSON text of the new value */
  int32_t substantive;    /* 1 if the difference may change result values */
} cliprt_difference;

/* Difference `index` (< num_differences); strings owned by the report. */
CLIPRT_API cliprt_status cliprt_replay_report_difference(const cliprt_replay_report* report,
                                                         size_t index,
                                                         cliprt_difference* difference_out);
CLIPRT_API void cliprt_replay_report_free(cliprt_replay_report* report);

/* ------------------------------------------------------------------------ */
/* Inputs exactly as the encoders see them                                  */
/* ------------------------------------------------------------------------ */

/* Token ids of `count` texts exactly as the text tower receives them:
 * ids_out must hold count * context_length int64 values (context_length
 * from cliprt_model_info_get), written row by row. dropped_out, if not NULL,
 * receives per text the number of ids truncation removed (count values).
 * Nothing is written on failure. CLIPRT_FAILED_PRECONDITION without a text
 * tower. Thread-safe. */
CLIPRT_API cliprt_status cliprt_model_tokenize(const cliprt_model* model, const char* const* texts,
                                               size_t count, int64_t* ids_out, int64_t* dropped_out);

/* Pixels of `count` image files exactly as the vision tower receives them:
 * pixels_out must hold count * 3 * image_size * image_size floats ([N, 3,
 * S, S], C order). Errors name the file that could not be read or decoded;
 * nothing is written then. CLIPRT_FAILED_PRECONDITION without a vision
 * tower. Thread-safe. */
CLIPRT_API cliprt_status cliprt_model_preprocess_image_files(const cliprt_model* model,
                                                             const char* const* paths, size_t count,
                                                             float* pixels_out);

/* Floating-point operations (2 per multiply-add of the matrix products and
 * attention) of one image, and of one text of `text_tokens` positions
 * (1..context_length), for "effective GFLOP/s". 0 for a tower that is not
 * loaded. Thread-safe. */
CLIPRT_API cliprt_status cliprt_model_flops(const cliprt_model* model, int32_t text_tokens,
                                            double* image_flops_out, double* text_flops_out);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CLIPRT_CLIPRT_H_ */
