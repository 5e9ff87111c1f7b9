/* The model / result part of the C API driven from strict C99, as a C
 * program would: load a golden fixture checkpoint, encode images (files,
 * buffers, pixels) and texts, similarity, zero-shot classification, the
 * retrieval index, result JSON and replay comparison — plus every error
 * path (NULL, zero sizes, bad params, missing tower, wrong dimension,
 * another checkpoint) and _free(NULL). Leak-checked under ASan.
 *
 * usage: c_api_model_test <tests/data dir> <default assets dir> <scratch dir>
 * Text parts need OpenAI's BPE vocabulary (never committed): taken from
 * $CLIPRT_TEST_ASSETS or the default assets dir; without it they are
 * reported as skipped and the vision parts still run. */
#include "cliprt/cliprt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

static int g_failures = 0;
static int g_checks = 0;

#define CHECK(cond)                                                              \
  do {                                                                           \
    ++g_checks;                                                                  \
    if (!(cond)) {                                                               \
      ++g_failures;                                                              \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
    }                                                                            \
  } while (0)

/* Expects CLIPRT_OK; prints the library's message otherwise. */
#define CHECK_OK(expr)                                                           \
  do {                                                                           \
    cliprt_status s_ = (expr);                                                   \
    ++g_checks;                                                                  \
    if (s_ != CLIPRT_OK) {                                                       \
      ++g_failures;                                                              \
      fprintf(stderr, "%s:%d: %s failed: %s: %s\n", __FILE__, __LINE__, #expr,   \
              cliprt_status_string(s_), cliprt_last_error_message());            \
    }                                                                            \
  } while (0)

/* Expects status `code` and a message containing `needle`. */
#define CHECK_ERROR(expr, code, needle) CheckError((expr), (code), (needle), #expr, __LINE__)

static void CheckError(cliprt_status got, cliprt_status want, const char* needle, const char* expr,
                       int line) {
  ++g_checks;
  if (got != want || strstr(cliprt_last_error_message(), needle) == NULL) {
    ++g_failures;
    fprintf(stderr, "%s:%d: %s: got %s \"%s\", want %s containing \"%s\"\n", __FILE__, line, expr,
            cliprt_status_string(got), cliprt_last_error_message(), cliprt_status_string(want),
            needle);
  }
}

static char g_path[8][1024];

static const char* Join(int slot, const char* dir, const char* name) {
  snprintf(g_path[slot], sizeof(g_path[slot]), "%s/%s", dir, name);
  return g_path[slot];
}

static int FileExists(const char* path) {
  FILE* f = fopen(path, "rb");
  if (f == NULL) return 0;
  fclose(f);
  return 1;
}

/* Reads a whole file into a malloc'd buffer (caller frees). */
static unsigned char* ReadFile(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  unsigned char* data;
  long n;
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  data = (unsigned char*)malloc((size_t)n);
  if (data != NULL && fread(data, 1, (size_t)n, f) != (size_t)n) {
    free(data);
    data = NULL;
  }
  fclose(f);
  *size = (size_t)n;
  return data;
}

static void FreeEverythingNull(void) {
  cliprt_model_free(NULL);
  cliprt_embeddings_free(NULL);
  cliprt_similarity_free(NULL);
  cliprt_classifier_free(NULL);
  cliprt_classification_free(NULL);
  cliprt_index_free(NULL);
  cliprt_search_result_free(NULL);
  cliprt_replay_report_free(NULL);
}

static void TestLoadErrors(const char* model_path) {
  cliprt_model* model = (cliprt_model*)0x1;
  cliprt_model_params params = cliprt_model_default_params();
  CHECK(params.struct_size == sizeof(params));
  CHECK(params.towers == CLIPRT_TOWERS_BOTH && params.precision == CLIPRT_PRECISION_F32);
  CHECK(params.compute_sha256 == 1 && params.num_threads == 0 && params.thread_spin_us == -1);
  CHECK_ERROR(cliprt_model_load(NULL, NULL, &model), CLIPRT_INVALID_ARGUMENT, "path is NULL");
  CHECK_ERROR(cliprt_model_load("", NULL, &model), CLIPRT_INVALID_ARGUMENT, "path is empty");
  CHECK_ERROR(cliprt_model_load(model_path, NULL, NULL), CLIPRT_INVALID_ARGUMENT, "model_out is NULL");
  CHECK(cliprt_model_load("/nonexistent/model.pt", NULL, &model) != CLIPRT_OK);
  CHECK(strstr(cliprt_last_error_message(), "/nonexistent/model.pt") != NULL);
  params.struct_size = 3;
  CHECK_ERROR(cliprt_model_load(model_path, &params, &model), CLIPRT_INVALID_ARGUMENT, "struct_size");
  params = cliprt_model_default_params();
  params.towers = (cliprt_towers)7;
  CHECK_ERROR(cliprt_model_load(model_path, &params, &model), CLIPRT_INVALID_ARGUMENT, "towers");
  params = cliprt_model_default_params();
  params.precision = (cliprt_precision)9;
  CHECK_ERROR(cliprt_model_load(model_path, &params, &model), CLIPRT_INVALID_ARGUMENT, "precision");
  params = cliprt_model_default_params();
  params.num_threads = -1;
  CHECK_ERROR(cliprt_model_load(model_path, &params, &model), CLIPRT_INVALID_ARGUMENT, "num_threads");
  params = cliprt_model_default_params();
  params.thread_spin_us = -2;
  CHECK_ERROR(cliprt_model_load(model_path, &params, &model), CLIPRT_INVALID_ARGUMENT, "thread_spin_us");
  params.thread_spin_us = 1000001;
  CHECK_ERROR(cliprt_model_load(model_path, &params, &model), CLIPRT_INVALID_ARGUMENT, "thread_spin_us");
  params = cliprt_model_default_params();
  params.preprocess_preset = "no_such_preset";
  CHECK(cliprt_model_load(model_path, &params, &model) != CLIPRT_OK);
  CHECK(strstr(cliprt_last_error_message(), "no_such_preset") != NULL);
  CHECK(model == (cliprt_model*)0x1); /* never written on failure */

  /* A caller built against the header before thread_spin_us existed passes
   * the smaller struct: it loads, with the default for the missing field. */
  params = cliprt_model_default_params();
  params.struct_size = (uint32_t)offsetof(cliprt_model_params, thread_spin_us);
  params.towers = CLIPRT_TOWERS_VISION;
  params.thread_spin_us = -77; /* beyond the caller's struct: never read */
  model = NULL;
  CHECK_OK(cliprt_model_load(model_path, &params, &model));
  cliprt_model_free(model);
}

/* A vision-only model: images encode, everything needing text fails cleanly. */
static void TestVisionOnly(const char* model_path, const char* const* images, size_t num_images) {
  cliprt_model_params params = cliprt_model_default_params();
  cliprt_model* model = NULL;
  cliprt_model_info info;
  cliprt_embeddings* files = NULL;
  cliprt_embeddings* buffers = NULL;
  cliprt_embeddings* texts = (cliprt_embeddings*)0x1;
  cliprt_classifier* classifier = (cliprt_classifier*)0x1;
  const char* text = "a cat";
  const char* label = "cat";
  const void* data[3];
  size_t sizes[3];
  unsigned char* bytes[3];
  size_t i;
  params.towers = CLIPRT_TOWERS_VISION;
  params.num_threads = 2;
  params.thread_spin_us = 0; /* workers sleep between steps: same results */
  CHECK_OK(cliprt_model_load(model_path, &params, &model));
  if (model == NULL) return;

  memset(&info, 0, sizeof(info));
  info.struct_size = 8;
  CHECK_ERROR(cliprt_model_info_get(model, &info), CLIPRT_INVALID_ARGUMENT, "struct_size");
  info.struct_size = sizeof(info);
  CHECK_ERROR(cliprt_model_info_get(NULL, &info), CLIPRT_INVALID_ARGUMENT, "model is NULL");
  CHECK_OK(cliprt_model_info_get(model, &info));
  CHECK(info.has_vision == 1 && info.has_text == 0);
  CHECK(info.image_size == 224 && info.context_length == 0);
  CHECK(info.embed_dim > 0 && info.num_threads == 2);
  CHECK(strcmp(info.family, "openai-vit") == 0);
  CHECK(strcmp(info.precision, "f32") == 0 && strcmp(info.score_rule, "softmax") == 0);
  CHECK(info.has_logit_bias == 0 && info.logit_scale > 1.0f);
  {
    const char* json = NULL;
    CHECK_OK(cliprt_model_info_json(model, &json));
    CHECK(json != NULL && strstr(json, "\"embed_dim\"") != NULL && strstr(json, "openai-vit") != NULL);
  }

  /* Files and the same bytes from memory give bit-identical rows. */
  CHECK_OK(cliprt_model_encode_image_files(model, images, num_images, 0, &files));
  for (i = 0; i < num_images; ++i) {
    bytes[i] = ReadFile(images[i], &sizes[i]);
    data[i] = bytes[i];
  }
  CHECK_OK(cliprt_model_encode_image_buffers(model, data, sizes, num_images, 0, &buffers));
  if (files != NULL && buffers != NULL) {
    const float* a = NULL;
    const float* b = NULL;
    size_t rows = 0, dim = 0;
    const char* modality = NULL;
    int normalized = -1;
    CHECK_OK(cliprt_embeddings_values(files, &a, &rows, &dim));
    CHECK(rows == num_images && dim == (size_t)info.embed_dim);
    CHECK_OK(cliprt_embeddings_values(buffers, &b, NULL, NULL));
    CHECK(a != NULL && b != NULL && memcmp(a, b, rows * dim * sizeof(float)) == 0);
    CHECK_OK(cliprt_embeddings_modality(files, &modality));
    CHECK(strcmp(modality, "image") == 0);
    CHECK_OK(cliprt_embeddings_normalized(files, &normalized));
    CHECK(normalized == 0);
  }
  /* Normalized rows have unit length. */
  {
    cliprt_embeddings* unit = NULL;
    CHECK_OK(cliprt_model_encode_image_files(model, images, 1, 1, &unit));
    if (unit != NULL) {
      const float* v = NULL;
      size_t dim = 0, j;
      double norm = 0;
      int normalized = 0;
      CHECK_OK(cliprt_embeddings_values(unit, &v, NULL, &dim));
      for (j = 0; j < dim; ++j) norm += (double)v[j] * v[j];
      CHECK(fabs(sqrt(norm) - 1.0) < 1e-5);
      CHECK_OK(cliprt_embeddings_normalized(unit, &normalized));
      CHECK(normalized == 1);
    }
    cliprt_embeddings_free(unit);
  }

  /* Bad image arguments. */
  {
    cliprt_embeddings* e = (cliprt_embeddings*)0x1;
    const char* missing[1];
    const char* null_path[1];
    const void* null_data[1];
    size_t zero_size[1];
    static const unsigned char garbage[16] = {0x89, 'P', 'N', 'G', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    const void* garbage_data[1];
    size_t garbage_size[1];
    float pixels[3 * 4 * 4];
    missing[0] = "/nonexistent/cat.png";
    null_path[0] = NULL;
    null_data[0] = NULL;
    zero_size[0] = 0;
    garbage_data[0] = garbage;
    garbage_size[0] = sizeof(garbage);
    memset(pixels, 0, sizeof(pixels));
    CHECK_ERROR(cliprt_model_encode_image_files(model, images, 0, 0, &e), CLIPRT_INVALID_ARGUMENT, "count is 0");
    CHECK_ERROR(cliprt_model_encode_image_files(model, NULL, 1, 0, &e), CLIPRT_INVALID_ARGUMENT, "paths is NULL");
    CHECK_ERROR(cliprt_model_encode_image_files(model, null_path, 1, 0, &e), CLIPRT_INVALID_ARGUMENT,
                "paths[0] is NULL");
    CHECK_ERROR(cliprt_model_encode_image_files(NULL, images, 1, 0, &e), CLIPRT_INVALID_ARGUMENT, "model is NULL");
    CHECK_ERROR(cliprt_model_encode_image_files(model, images, 1, 0, NULL), CLIPRT_INVALID_ARGUMENT,
                "embeddings_out is NULL");
    CHECK(cliprt_model_encode_image_files(model, missing, 1, 0, &e) != CLIPRT_OK);
    CHECK(strstr(cliprt_last_error_message(), "/nonexistent/cat.png") != NULL);
    CHECK_ERROR(cliprt_model_encode_image_buffers(model, null_data, sizes, 1, 0, &e), CLIPRT_INVALID_ARGUMENT,
                "buffer 0 is NULL");
    CHECK_ERROR(cliprt_model_encode_image_buffers(model, data, zero_size, 1, 0, &e), CLIPRT_INVALID_ARGUMENT,
                "size 0");
    CHECK(cliprt_model_encode_image_buffers(model, garbage_data, garbage_size, 1, 0, &e) != CLIPRT_OK);
    CHECK(strstr(cliprt_last_error_message(), "buffer 0") != NULL);
    CHECK_ERROR(cliprt_model_encode_pixels(model, pixels, 1, 4, 4, 0, &e), CLIPRT_INVALID_ARGUMENT, "224");
    CHECK_ERROR(cliprt_model_encode_pixels(model, NULL, 1, 224, 224, 0, &e), CLIPRT_INVALID_ARGUMENT,
                "pixels is NULL");
    CHECK_ERROR(cliprt_model_encode_pixels(model, pixels, 0, 224, 224, 0, &e), CLIPRT_INVALID_ARGUMENT,
                "count is 0");
    CHECK(e == (cliprt_embeddings*)0x1);
  }

  /* No text tower: a precondition error, not a crash. */
  CHECK_ERROR(cliprt_model_encode_texts(model, &text, 1, 0, &texts), CLIPRT_FAILED_PRECONDITION, "text tower");
  CHECK_ERROR(cliprt_classifier_create(model, &label, 1, NULL, &classifier), CLIPRT_FAILED_PRECONDITION,
              "text tower");
  CHECK(texts == (cliprt_embeddings*)0x1 && classifier == (cliprt_classifier*)0x1);

  for (i = 0; i < num_images; ++i) free(bytes[i]);
  cliprt_embeddings_free(files);
  cliprt_embeddings_free(buffers);
  cliprt_model_free(model);
}

/* The row-sum of each probability row of a softmax similarity is 1. */
static void CheckSimilarity(const cliprt_model* model, const cliprt_embeddings* images,
                            const cliprt_embeddings* texts, size_t num_images, size_t num_texts) {
  cliprt_similarity* sim = NULL;
  const float* logits = NULL;
  const float* probs = NULL;
  size_t rows = 0, cols = 0, i, j;
  CHECK_OK(cliprt_model_similarity(model, images, texts, &sim));
  if (sim == NULL) return;
  CHECK_OK(cliprt_similarity_values(sim, &logits, &probs, &rows, &cols));
  CHECK(rows == num_images && cols == num_texts);
  for (i = 0; i < rows; ++i) {
    double sum = 0;
    for (j = 0; j < cols; ++j) {
      sum += probs[i * cols + j];
      CHECK(isfinite(logits[i * cols + j]));
    }
    CHECK(fabs(sum - 1.0) < 1e-5);
  }
  {
    const char* p = NULL;
    const char* j2 = NULL;
    CHECK_OK(cliprt_similarity_provenance_json(sim, &p));
    CHECK(strstr(p, "softmax") != NULL);
    CHECK_OK(cliprt_similarity_to_json(sim, &j2));
    CHECK(strstr(j2, "similarity") != NULL);
  }
  /* Arguments swapped: modality is checked. */
  {
    cliprt_similarity* bad = (cliprt_similarity*)0x1;
    CHECK(cliprt_model_similarity(model, texts, images, &bad) == CLIPRT_INVALID_ARGUMENT);
    CHECK(bad == (cliprt_similarity*)0x1);
    CHECK_ERROR(cliprt_model_similarity(model, NULL, texts, &bad), CLIPRT_INVALID_ARGUMENT, "images is NULL");
  }
  cliprt_similarity_free(sim);
}

static void TestClassifierErrors(const cliprt_model* model) {
  const char* labels[2];
  const char* bad_template[1];
  cliprt_classifier* c = (cliprt_classifier*)0x1;
  cliprt_classifier_params p = cliprt_classifier_default_params();
  labels[0] = "cat";
  labels[1] = "dog";
  bad_template[0] = "a photo";
  CHECK(strcmp(p.template_set, "openclip7") == 0 && p.templates == NULL && p.template_file == NULL);
  CHECK_ERROR(cliprt_classifier_create(model, NULL, 2, NULL, &c), CLIPRT_INVALID_ARGUMENT, "labels is NULL");
  CHECK_ERROR(cliprt_classifier_create(model, labels, 0, NULL, &c), CLIPRT_INVALID_ARGUMENT, "count is 0");
  p.template_file = "/tmp/templates.txt";
  CHECK_ERROR(cliprt_classifier_create(model, labels, 2, &p, &c), CLIPRT_INVALID_ARGUMENT, "exactly one");
  p = cliprt_classifier_default_params();
  p.template_set = "imagenet1000";
  CHECK(cliprt_classifier_create(model, labels, 2, &p, &c) == CLIPRT_INVALID_ARGUMENT);
  CHECK(strstr(cliprt_last_error_message(), "imagenet1000") != NULL);
  p = cliprt_classifier_default_params();
  p.template_set = NULL;
  p.templates = bad_template;
  p.num_templates = 1;
  CHECK(cliprt_classifier_create(model, labels, 2, &p, &c) == CLIPRT_INVALID_ARGUMENT);
  CHECK(strstr(cliprt_last_error_message(), "{}") != NULL);
  p = cliprt_classifier_default_params();
  p.template_set = NULL;
  p.template_file = "/nonexistent/templates.txt";
  CHECK(cliprt_classifier_create(model, labels, 2, &p, &c) != CLIPRT_OK);
  CHECK(strstr(cliprt_last_error_message(), "/nonexistent/templates.txt") != NULL);
  CHECK(c == (cliprt_classifier*)0x1);
}

static cliprt_classification* Classify(const cliprt_model* model, const cliprt_classifier* classifier,
                                       const cliprt_embeddings* images, int top_k, int use_threshold,
                                       float threshold) {
  cliprt_classification* out = NULL;
  cliprt_classify_params p = cliprt_classify_default_params();
  p.top_k = top_k;
  p.use_threshold = use_threshold;
  p.threshold = threshold;
  CHECK_OK(cliprt_model_classify(model, classifier, images, &p, &out));
  return out;
}

static void TestClassification(const cliprt_model* model, const cliprt_embeddings* images,
                               const char* const* image_paths, size_t num_images) {
  const char* labels[3];
  const char* templates[2];
  cliprt_classifier* seven = NULL;
  cliprt_classifier* two = NULL;
  cliprt_classifier_params p = cliprt_classifier_default_params();
  size_t num_labels = 0, num_templates = 0, i;
  labels[0] = "cat";
  labels[1] = "dog";
  labels[2] = "diagram";
  templates[0] = "a photo of a {}.";
  templates[1] = "a drawing of a {}.";
  CHECK_OK(cliprt_classifier_create(model, labels, 3, NULL, &seven));
  p.template_set = NULL;
  p.templates = templates;
  p.num_templates = 2;
  CHECK_OK(cliprt_classifier_create(model, labels, 3, &p, &two));
  if (seven == NULL || two == NULL) goto done;
  CHECK_OK(cliprt_classifier_counts(seven, &num_labels, &num_templates));
  CHECK(num_labels == 3 && num_templates == 7);
  {
    const char* s = NULL;
    CHECK_OK(cliprt_classifier_label(seven, 2, &s));
    CHECK(strcmp(s, "diagram") == 0);
    CHECK_OK(cliprt_classifier_template(two, 1, &s));
    CHECK(strcmp(s, "a drawing of a {}.") == 0);
    CHECK_ERROR(cliprt_classifier_label(seven, 3, &s), CLIPRT_OUT_OF_RANGE, "3");
  }
  {
    cliprt_classification* a = Classify(model, seven, images, 2, 0, 0.0f);
    cliprt_classification* never = Classify(model, seven, images, 10, 1, 1.0f);
    cliprt_classification* from_files = NULL;
    cliprt_classify_params cp = cliprt_classify_default_params();
    cp.top_k = 2;
    CHECK_OK(cliprt_model_classify_image_files(model, seven, image_paths, num_images, &cp, &from_files));
    if (a == NULL || never == NULL || from_files == NULL) goto free_results;
    {
      size_t n = 0, l = 0;
      CHECK_OK(cliprt_classification_counts(a, &n, &l));
      CHECK(n == num_images && l == 3);
    }
    for (i = 0; i < num_images; ++i) {
      const float* logits = NULL;
      const float* probs = NULL;
      const float* file_probs = NULL;
      const cliprt_label_score* top = NULL;
      size_t top_count = 0;
      int abstained = -1;
      double sum = 0;
      size_t j;
      cliprt_prompt_sensitivity s;
      CHECK_OK(cliprt_classification_image(a, i, &logits, &probs, &top, &top_count, &abstained));
      CHECK(top_count == 2 && abstained == 0);
      for (j = 0; j < 3; ++j) sum += probs[j];
      CHECK(fabs(sum - 1.0) < 1e-5);
      CHECK(top[0].logit >= top[1].logit && top[0].probability == probs[top[0].label]);
      for (j = 0; j < 3; ++j) CHECK(logits[j] <= top[0].logit);
      /* Classifying files = encoding them, then classifying: same bits. */
      CHECK_OK(cliprt_classification_image(from_files, i, NULL, &file_probs, NULL, NULL, NULL));
      CHECK(memcmp(probs, file_probs, 3 * sizeof(float)) == 0);
      /* top_k is clamped to the labels; threshold 1.0 abstains. */
      CHECK_OK(cliprt_classification_image(never, i, NULL, NULL, NULL, &top_count, &abstained));
      CHECK(top_count == 3 && abstained == 1);
      memset(&s, 0, sizeof(s));
      s.struct_size = sizeof(s);
      CHECK_OK(cliprt_classification_prompt_sensitivity(a, i, &s));
      CHECK(s.computed == 1 && s.num_templates == 7);
      CHECK(s.agreement_rate >= 0.0f && s.agreement_rate <= 1.0f);
      CHECK(s.spread == s.top_class_prob_max - s.top_class_prob_min);
      CHECK(s.distinct_top1 >= 1 && s.distinct_top1 <= 3);
      for (j = 0; j < 7; ++j) CHECK(s.template_top1[j] >= 0 && s.template_top1[j] < 3);
    }
    CHECK_ERROR(cliprt_classification_image(a, num_images, NULL, NULL, NULL, NULL, NULL), CLIPRT_OUT_OF_RANGE,
                "image");
    /* Provenance names labels, templates and the scoring rule; the saved
     * document parses back to the same document. */
    {
      const char* prov = NULL;
      const char* json = NULL;
      const char* again = NULL;
      cliprt_classification* parsed = NULL;
      CHECK_OK(cliprt_classification_provenance_json(a, &prov));
      CHECK(strstr(prov, "\"diagram\"") != NULL && strstr(prov, "softmax") != NULL);
      CHECK(strstr(prov, "itap of a {}.") != NULL || strstr(prov, "{}") != NULL);
      CHECK_OK(cliprt_classification_to_json(a, &json));
      CHECK_OK(cliprt_classification_from_json(json, strlen(json), &parsed));
      if (parsed != NULL) {
        CHECK_OK(cliprt_classification_to_json(parsed, &again));
        CHECK(again != NULL && strcmp(json, again) == 0);
      }
      CHECK(cliprt_classification_from_json(json, strlen(json) / 2, &parsed) != CLIPRT_OK);
      cliprt_classification_free(parsed);
    }
    /* Replay comparison: identical with itself; another template set shows
     * up as a substantive classification.templates difference. */
    {
      const char* j1 = NULL;
      const char* j2 = NULL;
      cliprt_classification* other = Classify(model, two, images, 2, 0, 0.0f);
      cliprt_replay_report* same = NULL;
      cliprt_replay_report* diff = NULL;
      cliprt_replay_summary summary;
      CHECK_OK(cliprt_classification_to_json(a, &j1));
      CHECK_OK(cliprt_replay_compare(j1, strlen(j1), j1, strlen(j1), &same));
      memset(&summary, 0, sizeof(summary));
      summary.struct_size = sizeof(summary);
      CHECK_OK(cliprt_replay_report_summary(same, &summary));
      CHECK(summary.identical == 1 && summary.num_differences == 0 && summary.values_differing == 0);
      if (other != NULL) {
        size_t k;
        int found = 0;
        CHECK_OK(cliprt_classification_to_json(other, &j2));
        CHECK_OK(cliprt_replay_compare(j1, strlen(j1), j2, strlen(j2), &diff));
        CHECK_OK(cliprt_replay_report_summary(diff, &summary));
        CHECK(summary.identical == 0 && summary.substantively_identical == 0 && summary.num_differences > 0);
        CHECK(summary.text != NULL && strlen(summary.text) > 0);
        for (k = 0; k < summary.num_differences; ++k) {
          cliprt_difference d;
          memset(&d, 0, sizeof(d));
          d.struct_size = sizeof(d);
          CHECK_OK(cliprt_replay_report_difference(diff, k, &d));
          if (strstr(d.field, "templates") != NULL && d.substantive) found = 1;
        }
        CHECK(found);
        {
          cliprt_difference d;
          d.struct_size = sizeof(d);
          CHECK_ERROR(cliprt_replay_report_difference(diff, summary.num_differences, &d), CLIPRT_OUT_OF_RANGE,
                      "difference");
        }
      }
      {
        const char* emb = NULL;
        cliprt_replay_report* r = (cliprt_replay_report*)0x1;
        CHECK_OK(cliprt_embeddings_to_json(images, &emb));
        CHECK_ERROR(cliprt_replay_compare(j1, strlen(j1), emb, strlen(emb), &r), CLIPRT_INVALID_ARGUMENT,
                    "embedding");
        CHECK(cliprt_replay_compare("{", 1, j1, strlen(j1), &r) != CLIPRT_OK);
        CHECK(strstr(cliprt_last_error_message(), "saved") != NULL);
        CHECK(r == (cliprt_replay_report*)0x1);
      }
      cliprt_replay_report_free(same);
      cliprt_replay_report_free(diff);
      cliprt_classification_free(other);
    }
    /* Replay: the model reloaded from the provenance, the files encoded and
     * classified again, compared field by field. */
    {
      const char* saved = NULL;
      cliprt_replay_report* replay = NULL;
      cliprt_replay_report* bad = (cliprt_replay_report*)0x1;
      cliprt_replay_params rp = cliprt_replay_default_params();
      cliprt_replay_summary summary;
      CHECK(rp.struct_size == sizeof(rp) && rp.model_path == NULL && rp.num_threads == 0);
      rp.num_threads = 1; /* results do not depend on the thread count */
      CHECK_OK(cliprt_classification_to_json(from_files, &saved));
      CHECK_OK(cliprt_replay_run(saved, strlen(saved), image_paths, num_images, &rp, &replay));
      if (replay != NULL) {
        memset(&summary, 0, sizeof(summary));
        summary.struct_size = sizeof(summary);
        CHECK_OK(cliprt_replay_report_summary(replay, &summary));
        CHECK(summary.substantively_identical == 1 && summary.values_differing == 0);
        if (!summary.substantively_identical) fprintf(stderr, "replay: %s\n", summary.text);
      }
      CHECK_ERROR(cliprt_replay_run(saved, strlen(saved), NULL, 1, NULL, &bad), CLIPRT_INVALID_ARGUMENT,
                  "inputs is NULL");
      rp.num_threads = -3;
      CHECK_ERROR(cliprt_replay_run(saved, strlen(saved), image_paths, num_images, &rp, &bad),
                  CLIPRT_INVALID_ARGUMENT, "num_threads");
      CHECK(bad == (cliprt_replay_report*)0x1);
      cliprt_replay_report_free(replay);
    }
    /* Bad classify params. */
    {
      cliprt_classification* r = (cliprt_classification*)0x1;
      cliprt_classify_params bad = cliprt_classify_default_params();
      bad.top_k = 0;
      CHECK_ERROR(cliprt_model_classify(model, seven, images, &bad, &r), CLIPRT_INVALID_ARGUMENT, "top_k");
      bad = cliprt_classify_default_params();
      bad.use_threshold = 1;
      bad.threshold = 2.0f;
      CHECK_ERROR(cliprt_model_classify(model, seven, images, &bad, &r), CLIPRT_INVALID_ARGUMENT, "threshold");
      CHECK_ERROR(cliprt_model_classify(model, NULL, images, NULL, &r), CLIPRT_INVALID_ARGUMENT,
                  "classifier is NULL");
      CHECK(r == (cliprt_classification*)0x1);
    }
  free_results:
    cliprt_classification_free(a);
    cliprt_classification_free(never);
    cliprt_classification_free(from_files);
  }
done:
  cliprt_classifier_free(seven);
  cliprt_classifier_free(two);
}

static void TestIndex(const cliprt_model* model, const cliprt_embeddings* images,
                      const cliprt_embeddings* texts, size_t num_images, const char* scratch) {
  cliprt_index* index = NULL;
  cliprt_index* loaded = NULL;
  cliprt_search_result* by_image = NULL;
  cliprt_search_result* by_text = NULL;
  uint64_t ids[8] = {1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000};
  size_t size = 0, dim = 0, q;
  int contains = -1;
  const char* index_path = Join(5, scratch, "c_api_model_test.cliprt-index");
  CHECK_OK(cliprt_index_create(model, 0, &index));
  if (index == NULL) return;
  CHECK_OK(cliprt_index_add(index, ids, num_images, images));
  CHECK_OK(cliprt_index_size(index, &size, &dim));
  CHECK(size == num_images && dim > 0);
  CHECK_ERROR(cliprt_index_add(index, ids, num_images, images), CLIPRT_INVALID_ARGUMENT, "1000");
  CHECK_ERROR(cliprt_index_add(index, ids, num_images + 1, images), CLIPRT_INVALID_ARGUMENT, "ids for");
  CHECK_OK(cliprt_index_contains(index, 2000, &contains));
  CHECK(contains == 1);

  /* The identity names the model's checkpoint and width; the snprintf-style
   * buffer contract holds for NULL, short and exact buffers. */
  {
    size_t length = 0, again = 0;
    char small[8];
    char* full;
    const char* info_json = NULL;
    const char* key = "\"checkpoint_sha256\":\"";
    const char* sha;
    char dim_field[48];
    CHECK_OK(cliprt_index_identity_json(index, NULL, 0, &length));
    CHECK(length > 0);
    CHECK_ERROR(cliprt_index_identity_json(index, NULL, 5, &length), CLIPRT_INVALID_ARGUMENT, "buffer");
    CHECK_ERROR(cliprt_index_identity_json(index, small, sizeof(small), NULL), CLIPRT_INVALID_ARGUMENT,
                "length_out");
    CHECK_OK(cliprt_index_identity_json(index, small, sizeof(small), &again));
    CHECK(again == length && strlen(small) == sizeof(small) - 1 && small[0] == '{');
    full = (char*)malloc(length + 1);
    CHECK_OK(cliprt_index_identity_json(index, full, length + 1, &again));
    CHECK(again == length && strlen(full) == length);
    /* The SHA-256 it names (64 hex digits) is the one the model reports. */
    sha = strstr(full, key);
    CHECK(sha != NULL);
    CHECK_OK(cliprt_model_info_json(model, &info_json));
    if (sha != NULL && info_json != NULL) {
      char digest[65];
      sha += strlen(key);
      memcpy(digest, sha, 64);
      digest[64] = '\0';
      CHECK(strlen(digest) == 64 && sha[64] == '"' && strstr(info_json, digest) != NULL);
    }
    snprintf(dim_field, sizeof(dim_field), "\"dim\":%lu", (unsigned long)dim);
    CHECK(strstr(full, dim_field) != NULL);
    CHECK(strstr(full, "\"preprocessing\"") != NULL && strstr(full, "\"normalization\":\"l2\"") != NULL);
    free(full);
  }

  /* Each image finds itself first with cosine 1. */
  CHECK_OK(cliprt_index_search(index, images, 2, &by_image));
  if (by_image != NULL) {
    size_t n = 0;
    CHECK_OK(cliprt_search_result_num_queries(by_image, &n));
    CHECK(n == num_images);
    for (q = 0; q < n; ++q) {
      const cliprt_search_hit* hits = NULL;
      size_t count = 0;
      CHECK_OK(cliprt_search_result_hits(by_image, q, &hits, &count));
      CHECK(count == 2 && hits[0].id == ids[q] && fabs(hits[0].score - 1.0f) < 1e-5f);
      CHECK(hits[0].score >= hits[1].score);
    }
    {
      const char* prov = NULL;
      CHECK_OK(cliprt_search_result_provenance_json(by_image, &prov));
      CHECK(strstr(prov, "cosine") != NULL);
    }
  }
  /* Text queries search the image index. */
  CHECK_OK(cliprt_index_search(index, texts, 100, &by_text));
  if (by_text != NULL) {
    const cliprt_search_hit* hits = NULL;
    size_t count = 0;
    CHECK_OK(cliprt_search_result_hits(by_text, 0, &hits, &count));
    CHECK(count == num_images);
  }
  CHECK(cliprt_index_search(index, images, 0, &by_text) == CLIPRT_INVALID_ARGUMENT);

  /* Save, load, same answers. */
  CHECK_OK(cliprt_index_save(index, index_path));
  CHECK_OK(cliprt_index_load(index_path, &loaded));
  if (loaded != NULL && by_image != NULL) {
    cliprt_search_result* again = NULL;
    CHECK_OK(cliprt_index_search(loaded, images, 2, &again));
    if (again != NULL) {
      for (q = 0; q < num_images; ++q) {
        const cliprt_search_hit* a = NULL;
        const cliprt_search_hit* b = NULL;
        size_t na = 0, nb = 0;
        CHECK_OK(cliprt_search_result_hits(by_image, q, &a, &na));
        CHECK_OK(cliprt_search_result_hits(again, q, &b, &nb));
        size_t k;
        CHECK(na == nb);
        for (k = 0; k < na && k < nb; ++k) {
          /* Field by field: the struct has padding bytes. */
          CHECK(a[k].id == b[k].id && memcmp(&a[k].score, &b[k].score, sizeof(float)) == 0);
        }
      }
    }
    cliprt_search_result_free(again);
  }

  /* Remove. */
  CHECK_OK(cliprt_index_remove(index, 2000));
  CHECK_ERROR(cliprt_index_remove(index, 2000), CLIPRT_NOT_FOUND, "2000");
  CHECK_OK(cliprt_index_contains(index, 2000, &contains));
  CHECK(contains == 0);

  /* Raw values: wrong width refused; an index without model identity. */
  {
    cliprt_index* small = NULL;
    cliprt_index* bad = (cliprt_index*)0x1;
    float row[3] = {1.0f, 0.0f, 0.0f};
    float zero[3] = {0.0f, 0.0f, 0.0f};
    cliprt_search_result* r = NULL;
    CHECK_ERROR(cliprt_index_create(NULL, 0, &bad), CLIPRT_INVALID_ARGUMENT, "dim");
    CHECK_ERROR(cliprt_index_create(model, 3, &bad), CLIPRT_INVALID_ARGUMENT, "dim is 3");
    CHECK(bad == (cliprt_index*)0x1);
    CHECK_OK(cliprt_index_create(NULL, 3, &small));
    CHECK_OK(cliprt_index_add_values(small, ids, 1, row, 3));
    CHECK_ERROR(cliprt_index_add_values(small, ids + 1, 1, row, 4), CLIPRT_INVALID_ARGUMENT, "dimension 4");
    CHECK(cliprt_index_add_values(small, ids + 1, 1, zero, 3) == CLIPRT_INVALID_ARGUMENT);
    CHECK(strstr(cliprt_last_error_message(), "2000") != NULL);
    CHECK_ERROR(cliprt_index_add(small, ids + 2, num_images, images), CLIPRT_INVALID_ARGUMENT, "dim");
    CHECK_OK(cliprt_index_search_values(small, row, 1, 3, 1, &r));
    if (r != NULL) {
      const cliprt_search_hit* hits = NULL;
      size_t count = 0;
      CHECK_OK(cliprt_search_result_hits(r, 0, &hits, &count));
      CHECK(count == 1 && hits[0].id == 1000 && hits[0].score == 1.0f);
      CHECK_ERROR(cliprt_search_result_hits(r, 1, &hits, &count), CLIPRT_OUT_OF_RANGE, "query 1");
    }
    CHECK_ERROR(cliprt_index_search_values(small, row, 1, 2, 1, &r), CLIPRT_INVALID_ARGUMENT, "dimension 2");
    cliprt_search_result_free(r);
    cliprt_index_free(small);
  }

  /* A corrupt index file is an error, not a crash. */
  {
    const char* corrupt = Join(6, scratch, "c_api_model_test_corrupt.cliprt-index");
    FILE* f = fopen(corrupt, "wb");
    cliprt_index* bad = (cliprt_index*)0x1;
    if (f != NULL) {
      fputs("CLIPRTIX not really an index", f);
      fclose(f);
    }
    CHECK(cliprt_index_load(corrupt, &bad) == CLIPRT_CORRUPT_DATA);
    CHECK(cliprt_index_load("/nonexistent/x.cliprt-index", &bad) != CLIPRT_OK);
    CHECK(bad == (cliprt_index*)0x1);
    remove(corrupt);
  }
  remove(index_path);
  cliprt_search_result_free(by_image);
  cliprt_search_result_free(by_text);
  cliprt_index_free(loaded);
  cliprt_index_free(index);
}

/* Embeddings and classifiers of another checkpoint are refused. */
static void TestMixingCheckpoints(const cliprt_model* model, const cliprt_embeddings* images,
                                  const char* other_path, const char* vocab,
                                  const char* const* image_paths) {
  cliprt_model_params p = cliprt_model_default_params();
  cliprt_model* other = NULL;
  cliprt_embeddings* other_images = NULL;
  cliprt_classifier* classifier = NULL;
  cliprt_index* index = NULL;
  const char* label = "cat";
  p.tokenizer_path = vocab;
  p.num_threads = 1;
  CHECK_OK(cliprt_model_load(other_path, &p, &other));
  if (other == NULL) return;
  CHECK_OK(cliprt_model_encode_image_files(other, image_paths, 1, 0, &other_images));
  CHECK_OK(cliprt_classifier_create(other, &label, 1, NULL, &classifier));
  CHECK_OK(cliprt_index_create(model, 0, &index));
  if (other_images != NULL && classifier != NULL && index != NULL) {
    uint64_t id = 1;
    cliprt_classification* c = (cliprt_classification*)0x1;
    cliprt_similarity* s = (cliprt_similarity*)0x1;
    CHECK_ERROR(cliprt_index_add(index, &id, 1, other_images), CLIPRT_FAILED_PRECONDITION, "checkpoint");
    CHECK_ERROR(cliprt_model_classify(model, classifier, images, NULL, &c), CLIPRT_FAILED_PRECONDITION,
                "rebuild the classifier");
    CHECK_ERROR(cliprt_model_similarity(model, other_images, other_images, &s), CLIPRT_FAILED_PRECONDITION,
                "checkpoint");
    CHECK(c == (cliprt_classification*)0x1 && s == (cliprt_similarity*)0x1);
  }
  cliprt_index_free(index);
  cliprt_classifier_free(classifier);
  cliprt_embeddings_free(other_images);
  cliprt_model_free(other);
}

static void TestFullModel(const char* model_path, const char* other_path, const char* vocab,
                          const char* const* images, size_t num_images, const char* scratch) {
  cliprt_model_params params = cliprt_model_default_params();
  cliprt_model* model = NULL;
  cliprt_embeddings* image_emb = NULL;
  cliprt_embeddings* text_emb = NULL;
  const char* texts[3];
  texts[0] = "a photo of a cat";
  texts[1] = "";
  texts[2] = "\xff\xfe not UTF-8";
  params.tokenizer_path = vocab;
  params.num_threads = 2;
  CHECK_OK(cliprt_model_load(model_path, &params, &model));
  if (model == NULL) return;
  CHECK_OK(cliprt_model_encode_image_files(model, images, num_images, 0, &image_emb));
  CHECK_OK(cliprt_model_encode_texts(model, texts, 3, 0, &text_emb));
  if (image_emb != NULL && text_emb != NULL) {
    const char* prov = NULL;
    const char* json = NULL;
    const char* again = NULL;
    cliprt_embeddings* parsed = NULL;
    CHECK_OK(cliprt_embeddings_provenance_json(text_emb, &prov));
    CHECK(strstr(prov, "\"invalid_utf8_replaced\"") != NULL && strstr(prov, "sha256") != NULL);
    CHECK_OK(cliprt_embeddings_provenance_json(image_emb, &prov));
    CHECK(strstr(prov, "bicubic") != NULL);
    /* Round trip: values bit-identical, document identical. */
    CHECK_OK(cliprt_embeddings_to_json(image_emb, &json));
    CHECK_OK(cliprt_embeddings_from_json(json, strlen(json), &parsed));
    if (parsed != NULL) {
      const float* a = NULL;
      const float* b = NULL;
      size_t rows = 0, dim = 0;
      CHECK_OK(cliprt_embeddings_values(image_emb, &a, &rows, &dim));
      CHECK_OK(cliprt_embeddings_values(parsed, &b, NULL, NULL));
      CHECK(memcmp(a, b, rows * dim * sizeof(float)) == 0);
      CHECK_OK(cliprt_embeddings_to_json(parsed, &again));
      CHECK(strcmp(json, again) == 0);
    }
    cliprt_embeddings_free(parsed);
    parsed = (cliprt_embeddings*)0x1;
    CHECK(cliprt_embeddings_from_json("{\"kind\": 3}", 11, &parsed) != CLIPRT_OK);
    CHECK_ERROR(cliprt_embeddings_from_json(NULL, 0, &parsed), CLIPRT_INVALID_ARGUMENT, "json is NULL");
    CHECK(parsed == (cliprt_embeddings*)0x1);

    CheckSimilarity(model, image_emb, text_emb, num_images, 3);
    TestClassifierErrors(model);
    TestClassification(model, image_emb, images, num_images);
    TestIndex(model, image_emb, text_emb, num_images, scratch);
    TestMixingCheckpoints(model, image_emb, other_path, vocab, images);
  }
  /* Text argument errors. */
  {
    cliprt_embeddings* e = (cliprt_embeddings*)0x1;
    const char* null_text[1];
    null_text[0] = NULL;
    CHECK_ERROR(cliprt_model_encode_texts(model, texts, 0, 0, &e), CLIPRT_INVALID_ARGUMENT, "count is 0");
    CHECK_ERROR(cliprt_model_encode_texts(model, null_text, 1, 0, &e), CLIPRT_INVALID_ARGUMENT, "texts[0]");
    CHECK(e == (cliprt_embeddings*)0x1);
  }
  cliprt_embeddings_free(image_emb);
  cliprt_embeddings_free(text_emb);
  cliprt_model_free(model);
}

/* Strict truncation: a text longer than the context is an error naming it. */
static void TestStrictTruncation(const char* model_path, const char* vocab) {
  cliprt_model_params params = cliprt_model_default_params();
  cliprt_model* model = NULL;
  cliprt_embeddings* e = (cliprt_embeddings*)0x1;
  char long_text[2000];
  const char* texts[2];
  size_t i;
  for (i = 0; i + 4 < sizeof(long_text); i += 4) memcpy(long_text + i, "cat ", 4);
  long_text[i] = '\0';
  texts[0] = "short";
  texts[1] = long_text;
  params.tokenizer_path = vocab;
  params.towers = CLIPRT_TOWERS_TEXT;
  params.strict_truncation = 1;
  params.num_threads = 1;
  CHECK_OK(cliprt_model_load(model_path, &params, &model));
  if (model == NULL) return;
  CHECK(cliprt_model_encode_texts(model, texts, 2, 0, &e) != CLIPRT_OK);
  CHECK(strstr(cliprt_last_error_message(), "1") != NULL);
  CHECK(e == (cliprt_embeddings*)0x1);
  {
    cliprt_model_info info;
    info.struct_size = sizeof(info);
    CHECK_OK(cliprt_model_info_get(model, &info));
    CHECK(info.has_vision == 0 && info.has_text == 1 && info.context_length == 77 && info.image_size == 0);
  }
  {
    float pixels[1] = {0.0f};
    CHECK_ERROR(cliprt_model_encode_pixels(model, pixels, 1, 224, 224, 0, &e), CLIPRT_FAILED_PRECONDITION,
                "vision tower");
  }
  cliprt_model_free(model);
}

int main(int argc, char** argv) {
  const char* data_dir;
  const char* assets_dir;
  const char* scratch;
  const char* model_path;
  const char* other_path;
  const char* vocab;
  const char* images[3];
  if (argc != 4) {
    fprintf(stderr, "usage: %s <tests/data> <assets dir> <scratch dir>\n", argv[0]);
    return 2;
  }
  data_dir = argv[1];
  assets_dir = getenv("CLIPRT_TEST_ASSETS") != NULL ? getenv("CLIPRT_TEST_ASSETS") : argv[2];
  scratch = argv[3];
  model_path = Join(0, data_dir, "golden/openai_vit_b32/model.pt");
  other_path = Join(1, data_dir, "golden/openai_vit_b16/model.pt");
  vocab = Join(2, assets_dir, "bpe_simple_vocab_16e6.txt.gz");
  images[0] = Join(3, data_dir, "image/inputs/rgb_203x157.png");
  images[1] = Join(4, data_dir, "image/inputs/jpeg_gray_131x97.jpg");
  images[2] = Join(7, data_dir, "image/inputs/p_97x71.png");

  FreeEverythingNull();
  TestLoadErrors(model_path);
  TestVisionOnly(model_path, images, 3);
  if (FileExists(vocab)) {
    TestFullModel(model_path, other_path, vocab, images, 3, scratch);
    TestStrictTruncation(model_path, vocab);
  } else {
    printf("SKIPPED text, similarity, classification, index and replay parts: %s not found "
           "(set CLIPRT_TEST_ASSETS)\n", vocab);
  }
  printf("%d passed, %d failed\n", g_checks - g_failures, g_failures);
  return g_failures == 0 ? 0 : 1;
}
