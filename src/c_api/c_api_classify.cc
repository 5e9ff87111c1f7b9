// C API: zero-shot classifiers (labels x prompt templates) and their
// classification results.
#include <string>
#include <vector>

#include "api/provenance_json.h"
#include "api/results_json.h"
#include "api/templates.h"
#include "c_api/handles.h"

using cliprt::Status;
using cliprt::StatusOr;
using cliprt::c_api::RequireNonNull;
using cliprt::c_api::Run;

namespace {

Status RequireModel(const cliprt_model* model) {
  if (model == nullptr || !model->model) return cliprt::InvalidArgumentError("model is NULL");
  return Status::Ok();
}

Status RequireClassifier(const cliprt_classifier* classifier) {
  if (classifier == nullptr || !classifier->classifier) {
    return cliprt::InvalidArgumentError("classifier is NULL");
  }
  return Status::Ok();
}

// The one template source the params name.
StatusOr<std::vector<std::string>> ResolveTemplates(const cliprt_classifier_params& p) {
  const bool from_set = p.template_set != nullptr;
  const bool from_file = p.template_file != nullptr;
  const bool explicit_list = p.templates != nullptr || p.num_templates != 0;
  if (int{from_set} + int{from_file} + int{explicit_list} != 1) {
    return cliprt::InvalidArgumentError(
        "give exactly one template source: params->template_set, params->template_file or "
        "params->templates (set template_set to NULL when using one of the others)");
  }
  if (from_set) {
    ASSIGN_OR_RETURN(cliprt::api::BuiltinTemplateSet set, cliprt::api::ParseBuiltinTemplateSet(p.template_set));
    return cliprt::api::BuiltinTemplates(set);
  }
  if (from_file) return cliprt::api::LoadTemplatesFile(p.template_file);
  return cliprt::c_api::CopyStrings(p.templates, p.num_templates, "params->templates");
}

StatusOr<cliprt::api::ClassifyOptions> ToOptions(const cliprt_classify_params* params) {
  cliprt_classify_params p = cliprt_classify_default_params();
  RETURN_IF_ERROR(cliprt::c_api::ReadParams(params, "params", &p));
  if (p.top_k < 1) {
    return cliprt::InvalidArgumentError("params->top_k is " + std::to_string(p.top_k) + ", must be >= 1");
  }
  cliprt::api::ClassifyOptions options;
  options.top_k = p.top_k;
  if (p.use_threshold) {
    if (!(p.threshold >= 0.0f && p.threshold <= 1.0f)) {
      return cliprt::InvalidArgumentError("params->threshold is " + std::to_string(p.threshold) +
                                          ", must be a probability in [0, 1]");
    }
    options.threshold = p.threshold;
  }
  options.prompt_sensitivity = p.prompt_sensitivity != 0;
  return options;
}

// Refuses a classifier built by another checkpoint's text tower.
Status CheckClassifierModel(const cliprt_model* model, const cliprt_classifier* classifier) {
  const std::string& a = classifier->checkpoint_sha256;
  const std::string& b = model->checkpoint_sha256;
  if (a.empty() || b.empty() || a == b) return Status::Ok();
  return cliprt::FailedPreconditionError("the classifier was built with checkpoint sha256 " + a + " (" +
                                      classifier->model_name + "), the model is checkpoint sha256 " + b +
                                      ": rebuild the classifier with this model");
}

Status Classify(const cliprt_model* model, const cliprt_classifier* classifier,
                const cliprt::api::EmbeddingResult& images, const cliprt_classify_params* params,
                cliprt_classification** out) {
  RETURN_IF_ERROR(CheckClassifierModel(model, classifier));
  RETURN_IF_ERROR(cliprt::c_api::CheckSameCheckpoint(model->checkpoint_sha256, images.provenance,
                                                     "the image embeddings"));
  ASSIGN_OR_RETURN(cliprt::api::ClassifyOptions options, ToOptions(params));
  ASSIGN_OR_RETURN(cliprt::api::ClassificationResult r,
                   model->model->Classify(*classifier->classifier, images, options));
  *out = cliprt::c_api::WrapClassification(std::move(r)).release();
  return Status::Ok();
}

Status RequireImage(const cliprt_classification* c, size_t image) {
  RETURN_IF_ERROR(RequireNonNull(c, "classification"));
  if (image >= c->result.images.size()) {
    return cliprt::OutOfRangeError("image " + std::to_string(image) + " >= number of images " +
                                   std::to_string(c->result.images.size()));
  }
  return Status::Ok();
}

}  // namespace

extern "C" {

cliprt_classifier_params cliprt_classifier_default_params(void) {
  cliprt_classifier_params p;
  p.struct_size = sizeof(cliprt_classifier_params);
  p.template_set = "openclip7";
  p.template_file = nullptr;
  p.templates = nullptr;
  p.num_templates = 0;
  return p;
}

cliprt_status cliprt_classifier_create(const cliprt_model* model, const char* const* labels, size_t num_labels,
                                       const cliprt_classifier_params* params,
                                       cliprt_classifier** classifier_out) {
  return Run("cliprt_classifier_create", [&]() -> Status {
    RETURN_IF_ERROR(RequireModel(model));
    RETURN_IF_ERROR(RequireNonNull(classifier_out, "classifier_out"));
    ASSIGN_OR_RETURN(std::vector<std::string> label_list,
                     cliprt::c_api::CopyStrings(labels, num_labels, "labels"));
    cliprt_classifier_params p = cliprt_classifier_default_params();
    RETURN_IF_ERROR(cliprt::c_api::ReadParams(params, "params", &p));
    ASSIGN_OR_RETURN(std::vector<std::string> templates, ResolveTemplates(p));
    auto h = std::make_unique<cliprt_classifier>();
    ASSIGN_OR_RETURN(h->classifier, model->model->BuildClassifier(std::move(label_list), std::move(templates)));
    h->checkpoint_sha256 = model->checkpoint_sha256;
    h->model_name = model->name;
    *classifier_out = h.release();
    return Status::Ok();
  });
}

cliprt_status cliprt_classifier_counts(const cliprt_classifier* classifier, size_t* num_labels_out,
                                       size_t* num_templates_out) {
  return Run("cliprt_classifier_counts", [&]() -> Status {
    RETURN_IF_ERROR(RequireClassifier(classifier));
    if (num_labels_out) *num_labels_out = static_cast<size_t>(classifier->classifier->num_labels());
    if (num_templates_out) *num_templates_out = static_cast<size_t>(classifier->classifier->num_templates());
    return Status::Ok();
  });
}

cliprt_status cliprt_classifier_label(const cliprt_classifier* classifier, size_t index, const char** label_out) {
  return Run("cliprt_classifier_label", [&]() -> Status {
    RETURN_IF_ERROR(RequireClassifier(classifier));
    RETURN_IF_ERROR(RequireNonNull(label_out, "label_out"));
    const auto& labels = classifier->classifier->labels();
    if (index >= labels.size()) {
      return cliprt::OutOfRangeError("label index " + std::to_string(index) + " >= number of labels " +
                                     std::to_string(labels.size()));
    }
    *label_out = labels[index].c_str();
    return Status::Ok();
  });
}

cliprt_status cliprt_classifier_template(const cliprt_classifier* classifier, size_t index,
                                         const char** template_out) {
  return Run("cliprt_classifier_template", [&]() -> Status {
    RETURN_IF_ERROR(RequireClassifier(classifier));
    RETURN_IF_ERROR(RequireNonNull(template_out, "template_out"));
    const auto& templates = classifier->classifier->templates();
    if (index >= templates.size()) {
      return cliprt::OutOfRangeError("template index " + std::to_string(index) + " >= number of templates " +
                                     std::to_string(templates.size()));
    }
    *template_out = templates[index].c_str();
    return Status::Ok();
  });
}

void cliprt_classifier_free(cliprt_classifier* classifier) { delete classifier; }

cliprt_classify_params cliprt_classify_default_params(void) {
  cliprt_classify_params p;
  p.struct_size = sizeof(cliprt_classify_params);
  p.top_k = 5;
  p.use_threshold = 0;
  p.threshold = 0.0f;
  p.prompt_sensitivity = 1;
  return p;
}

cliprt_status cliprt_model_classify(const cliprt_model* model, const cliprt_classifier* classifier,
                                    const cliprt_embeddings* images, const cliprt_classify_params* params,
                                    cliprt_classification** classification_out) {
  return Run("cliprt_model_classify", [&]() -> Status {
    RETURN_IF_ERROR(RequireModel(model));
    RETURN_IF_ERROR(RequireClassifier(classifier));
    RETURN_IF_ERROR(RequireNonNull(images, "images"));
    RETURN_IF_ERROR(RequireNonNull(classification_out, "classification_out"));
    return Classify(model, classifier, images->result, params, classification_out);
  });
}

cliprt_status cliprt_model_classify_image_files(const cliprt_model* model, const cliprt_classifier* classifier,
                                                const char* const* paths, size_t count,
                                                const cliprt_classify_params* params,
                                                cliprt_classification** classification_out) {
  return Run("cliprt_model_classify_image_files", [&]() -> Status {
    RETURN_IF_ERROR(RequireModel(model));
    RETURN_IF_ERROR(RequireClassifier(classifier));
    RETURN_IF_ERROR(RequireNonNull(classification_out, "classification_out"));
    RETURN_IF_ERROR(CheckClassifierModel(model, classifier));
    ASSIGN_OR_RETURN(auto options, ToOptions(params));  // bad params fail before any decoding
    (void)options;
    ASSIGN_OR_RETURN(std::vector<std::string> files, cliprt::c_api::CopyStrings(paths, count, "paths"));
    ASSIGN_OR_RETURN(cliprt::api::EmbeddingResult images, model->model->EncodeImageFiles(files, false));
    return Classify(model, classifier, images, params, classification_out);
  });
}

cliprt_status cliprt_classification_counts(const cliprt_classification* classification, size_t* num_images_out,
                                           size_t* num_labels_out) {
  return Run("cliprt_classification_counts", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(classification, "classification"));
    if (num_images_out) *num_images_out = classification->result.images.size();
    if (num_labels_out) *num_labels_out = classification->result.labels.size();
    return Status::Ok();
  });
}

cliprt_status cliprt_classification_label(const cliprt_classification* classification, size_t index,
                                          const char** label_out) {
  return Run("cliprt_classification_label", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(classification, "classification"));
    RETURN_IF_ERROR(RequireNonNull(label_out, "label_out"));
    const auto& labels = classification->result.labels;
    if (index >= labels.size()) {
      return cliprt::OutOfRangeError("label index " + std::to_string(index) + " >= number of labels " +
                                     std::to_string(labels.size()));
    }
    *label_out = labels[index].c_str();
    return Status::Ok();
  });
}

cliprt_status cliprt_classification_image(const cliprt_classification* classification, size_t image,
                                          const float** logits_out, const float** probabilities_out,
                                          const cliprt_label_score** top_k_out, size_t* top_k_count_out,
                                          int* abstained_out) {
  return Run("cliprt_classification_image", [&]() -> Status {
    RETURN_IF_ERROR(RequireImage(classification, image));
    const cliprt::api::ImageClassification& c = classification->result.images[image];
    if (logits_out) *logits_out = c.logits.data();
    if (probabilities_out) *probabilities_out = c.probabilities.data();
    if (top_k_out) *top_k_out = classification->top_k[image].data();
    if (top_k_count_out) *top_k_count_out = classification->top_k[image].size();
    if (abstained_out) *abstained_out = c.abstained ? 1 : 0;
    return Status::Ok();
  });
}

cliprt_status cliprt_classification_prompt_sensitivity(const cliprt_classification* classification, size_t image,
                                                       cliprt_prompt_sensitivity* sensitivity_out) {
  return Run("cliprt_classification_prompt_sensitivity", [&]() -> Status {
    RETURN_IF_ERROR(RequireImage(classification, image));
    RETURN_IF_ERROR(cliprt::c_api::CheckOutStructSize(sensitivity_out, "sensitivity_out"));
    const cliprt::api::PromptSensitivity& s = classification->result.images[image].sensitivity;
    cliprt_prompt_sensitivity out;
    out.struct_size = sizeof(cliprt_prompt_sensitivity);
    out.computed = s.template_top1.empty() ? 0 : 1;
    out.num_templates = s.template_top1.size();
    out.template_top1 = s.template_top1.empty() ? nullptr : s.template_top1.data();
    out.template_top_class_prob = s.template_top_class_prob.empty() ? nullptr : s.template_top_class_prob.data();
    out.agreement_rate = s.agreement_rate;
    out.top_class_prob_min = s.top_class_prob_min;
    out.top_class_prob_max = s.top_class_prob_max;
    out.spread = s.spread;
    out.distinct_top1 = s.distinct_top1;
    cliprt::c_api::CopyOut(out, sensitivity_out);
    return Status::Ok();
  });
}

cliprt_status cliprt_classification_provenance_json(const cliprt_classification* classification,
                                                    const char** json_out) {
  return Run("cliprt_classification_provenance_json", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(classification, "classification"));
    RETURN_IF_ERROR(RequireNonNull(json_out, "json_out"));
    *json_out = classification->provenance_json.Get(
        [&] { return cliprt::api::ToJson(classification->result.provenance); });
    return Status::Ok();
  });
}

cliprt_status cliprt_classification_to_json(const cliprt_classification* classification, const char** json_out) {
  return Run("cliprt_classification_to_json", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(classification, "classification"));
    RETURN_IF_ERROR(RequireNonNull(json_out, "json_out"));
    *json_out = classification->json.Get([&] { return cliprt::api::ToJson(classification->result); });
    return Status::Ok();
  });
}

cliprt_status cliprt_classification_from_json(const char* json, size_t size,
                                              cliprt_classification** classification_out) {
  return Run("cliprt_classification_from_json", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(json, "json"));
    RETURN_IF_ERROR(RequireNonNull(classification_out, "classification_out"));
    ASSIGN_OR_RETURN(cliprt::api::ClassificationResult r,
                     cliprt::api::ParseClassificationResultJson(std::string_view(json, size)));
    *classification_out = cliprt::c_api::WrapClassification(std::move(r)).release();
    return Status::Ok();
  });
}

void cliprt_classification_free(cliprt_classification* classification) { delete classification; }

}  // extern "C"
