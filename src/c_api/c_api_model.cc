// C API: loading a model, its description, encoding images and texts, the
// embeddings handle, and image-text similarity.
#include <string>
#include <vector>

#include "api/provenance_json.h"
#include "api/results_json.h"
#include "c_api/handles.h"

using cliprt::Status;
using cliprt::c_api::RequireNonNull;
using cliprt::c_api::Run;

namespace {

cliprt::StatusOr<cliprt::io::Towers> ToTowers(cliprt_towers t) {
  switch (t) {
    case CLIPRT_TOWERS_BOTH: return cliprt::io::Towers::kBoth;
    case CLIPRT_TOWERS_VISION: return cliprt::io::Towers::kVision;
    case CLIPRT_TOWERS_TEXT: return cliprt::io::Towers::kText;
  }
  return cliprt::InvalidArgumentError("params->towers is " + std::to_string(static_cast<int>(t)) +
                                      ", not a cliprt_towers value");
}

cliprt::StatusOr<cliprt::io::Precision> ToPrecision(cliprt_precision p) {
  switch (p) {
    case CLIPRT_PRECISION_F32: return cliprt::io::Precision::kF32;
    case CLIPRT_PRECISION_BF16: return cliprt::io::Precision::kBF16;
    case CLIPRT_PRECISION_INT8: return cliprt::io::Precision::kInt8;
  }
  return cliprt::InvalidArgumentError("params->precision is " + std::to_string(static_cast<int>(p)) +
                                      ", not a cliprt_precision value");
}

Status RequireModel(const cliprt_model* model) {
  if (model == nullptr || !model->model) return cliprt::InvalidArgumentError("model is NULL");
  return Status::Ok();
}

// Hands a new embeddings handle to the caller.
Status Emit(cliprt::StatusOr<cliprt::api::EmbeddingResult> result, cliprt_embeddings** out) {
  if (!result.ok()) return result.status();
  *out = cliprt::c_api::WrapEmbeddings(std::move(result).value()).release();
  return Status::Ok();
}

}  // namespace

extern "C" {

cliprt_model_params cliprt_model_default_params(void) {
  cliprt_model_params p;
  p.struct_size = sizeof(cliprt_model_params);
  p.tokenizer_path = nullptr;
  p.towers = CLIPRT_TOWERS_BOTH;
  p.precision = CLIPRT_PRECISION_F32;
  p.num_threads = 0;
  p.preprocess_preset = nullptr;
  p.manifest_dir = nullptr;
  p.strict_truncation = 0;
  p.compute_sha256 = 1;
  p.thread_spin_us = -1;
  return p;
}

cliprt_status cliprt_model_load(const char* path, const cliprt_model_params* params,
                                cliprt_model** model_out) {
  return Run("cliprt_model_load", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(model_out, "model_out"));
    RETURN_IF_ERROR(RequireNonNull(path, "path"));
    if (path[0] == '\0') return cliprt::InvalidArgumentError("path is empty");
    cliprt_model_params p = cliprt_model_default_params();
    RETURN_IF_ERROR(cliprt::c_api::ReadParams(params, "params", &p));
    cliprt::api::ModelLoadOptions options;
    options.path = path;
    options.tokenizer_path = p.tokenizer_path ? p.tokenizer_path : "";
    ASSIGN_OR_RETURN(options.towers, ToTowers(p.towers));
    ASSIGN_OR_RETURN(options.precision, ToPrecision(p.precision));
    if (p.num_threads < 0 || p.num_threads > 1024) {
      return cliprt::InvalidArgumentError("params->num_threads is " + std::to_string(p.num_threads) +
                                          ", expected 0 (all hardware threads) or 1..1024");
    }
    options.threads = p.num_threads;
    if (p.thread_spin_us < -1 || p.thread_spin_us > 1000000) {
      return cliprt::InvalidArgumentError("params->thread_spin_us is " +
                                          std::to_string(p.thread_spin_us) +
                                          ", expected -1 (automatic), 0 (never spin) or 1..1000000");
    }
    options.spin_micros = p.thread_spin_us;
    options.preset = p.preprocess_preset ? p.preprocess_preset : "";
    options.manifest_dir = p.manifest_dir ? p.manifest_dir : "";
    options.truncation = p.strict_truncation ? cliprt::TruncationPolicy::kStrict
                                             : cliprt::TruncationPolicy::kTruncate;
    options.compute_sha256 = p.compute_sha256 != 0;

    auto handle = std::make_unique<cliprt_model>();
    ASSIGN_OR_RETURN(handle->model, cliprt::api::LoadedModel::Load(options));
    const cliprt::api::LoadedModel& m = *handle->model;
    handle->info_json = m.InfoJson();
    handle->family = m.identity().family;
    handle->name = m.identity().name;
    handle->precision = m.precision_name();
    handle->score_rule = cliprt::api::ScoreRuleName(m.score_rule());
    handle->architecture = m.identity().architecture;
    handle->checkpoint_sha256 = cliprt::api::CheckpointSha256(m.identity());
    *model_out = handle.release();
    return Status::Ok();
  });
}

void cliprt_model_free(cliprt_model* model) { delete model; }

cliprt_status cliprt_model_info_get(const cliprt_model* model, cliprt_model_info* info_out) {
  return Run("cliprt_model_info_get", [&]() -> Status {
    RETURN_IF_ERROR(RequireModel(model));
    RETURN_IF_ERROR(cliprt::c_api::CheckOutStructSize(info_out, "info_out"));
    const cliprt::api::LoadedModel& m = *model->model;
    cliprt_model_info info;
    info.struct_size = sizeof(cliprt_model_info);
    info.embed_dim = m.embed_dim();
    info.has_vision = m.has_vision() ? 1 : 0;
    info.has_text = m.has_text() ? 1 : 0;
    info.image_size = m.has_vision() ? static_cast<int32_t>(m.clip().vision()->image_size()) : 0;
    info.context_length = m.has_text() ? static_cast<int32_t>(m.clip().text()->context_length()) : 0;
    info.num_threads = m.threads();
    info.has_logit_bias = m.clip().logit_bias().has_value() ? 1 : 0;
    info.logit_scale = m.clip().logit_scale();
    info.logit_bias = m.clip().logit_bias().value_or(0.0f);
    info.family = model->family.c_str();
    info.name = model->name.c_str();
    info.precision = model->precision.c_str();
    info.score_rule = model->score_rule.c_str();
    info.architecture = model->architecture.c_str();
    cliprt::c_api::CopyOut(info, info_out);
    return Status::Ok();
  });
}

cliprt_status cliprt_model_info_json(const cliprt_model* model, const char** json_out) {
  return Run("cliprt_model_info_json", [&]() -> Status {
    RETURN_IF_ERROR(RequireModel(model));
    RETURN_IF_ERROR(RequireNonNull(json_out, "json_out"));
    *json_out = model->info_json.c_str();
    return Status::Ok();
  });
}

cliprt_status cliprt_model_encode_image_files(const cliprt_model* model, const char* const* paths,
                                              size_t count, int normalize,
                                              cliprt_embeddings** embeddings_out) {
  return Run("cliprt_model_encode_image_files", [&]() -> Status {
    RETURN_IF_ERROR(RequireModel(model));
    RETURN_IF_ERROR(RequireNonNull(embeddings_out, "embeddings_out"));
    ASSIGN_OR_RETURN(std::vector<std::string> files, cliprt::c_api::CopyStrings(paths, count, "paths"));
    return Emit(model->model->EncodeImageFiles(files, normalize != 0), embeddings_out);
  });
}

cliprt_status cliprt_model_encode_image_buffers(const cliprt_model* model, const void* const* data,
                                                const size_t* sizes, size_t count, int normalize,
                                                cliprt_embeddings** embeddings_out) {
  return Run("cliprt_model_encode_image_buffers", [&]() -> Status {
    RETURN_IF_ERROR(RequireModel(model));
    RETURN_IF_ERROR(RequireNonNull(embeddings_out, "embeddings_out"));
    if (count == 0) return cliprt::InvalidArgumentError("no images given (count is 0)");
    RETURN_IF_ERROR(RequireNonNull(data, "data"));
    RETURN_IF_ERROR(RequireNonNull(sizes, "sizes"));
    std::vector<cliprt::api::EncodedImage> images(count);
    for (size_t i = 0; i < count; ++i) {
      if (data[i] == nullptr || sizes[i] == 0) {
        return cliprt::InvalidArgumentError("image buffer " + std::to_string(i) +
                                            (data[i] == nullptr ? " is NULL" : " has size 0"));
      }
      images[i].data = static_cast<const uint8_t*>(data[i]);
      images[i].size = sizes[i];
      images[i].name = "buffer " + std::to_string(i);
    }
    return Emit(model->model->EncodeImages(images, normalize != 0), embeddings_out);
  });
}

cliprt_status cliprt_model_encode_pixels(const cliprt_model* model, const float* pixels, size_t count,
                                         size_t height, size_t width, int normalize,
                                         cliprt_embeddings** embeddings_out) {
  return Run("cliprt_model_encode_pixels", [&]() -> Status {
    RETURN_IF_ERROR(RequireModel(model));
    RETURN_IF_ERROR(RequireNonNull(embeddings_out, "embeddings_out"));
    RETURN_IF_ERROR(RequireNonNull(pixels, "pixels"));
    if (count == 0) return cliprt::InvalidArgumentError("no images given (count is 0)");
    constexpr size_t kMaxSide = 1 << 16;
    constexpr size_t kMaxCount = size_t{1} << 32;
    if (count > kMaxCount || height > kMaxSide || width > kMaxSide) {
      return cliprt::InvalidArgumentError("pixels shape [" + std::to_string(count) + ", 3, " +
                                          std::to_string(height) + ", " + std::to_string(width) +
                                          "] is out of range");
    }
    return Emit(model->model->EncodePixels(pixels, static_cast<int64_t>(count), static_cast<int64_t>(height),
                                           static_cast<int64_t>(width), normalize != 0),
                embeddings_out);
  });
}

cliprt_status cliprt_model_encode_texts(const cliprt_model* model, const char* const* texts, size_t count,
                                        int normalize, cliprt_embeddings** embeddings_out) {
  return Run("cliprt_model_encode_texts", [&]() -> Status {
    RETURN_IF_ERROR(RequireModel(model));
    RETURN_IF_ERROR(RequireNonNull(embeddings_out, "embeddings_out"));
    ASSIGN_OR_RETURN(std::vector<std::string> strings, cliprt::c_api::CopyStrings(texts, count, "texts"));
    return Emit(model->model->EncodeTexts(strings, normalize != 0), embeddings_out);
  });
}

// ---- embeddings ----

cliprt_status cliprt_embeddings_values(const cliprt_embeddings* embeddings, const float** values_out,
                                       size_t* rows_out, size_t* dim_out) {
  return Run("cliprt_embeddings_values", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(embeddings, "embeddings"));
    if (values_out) *values_out = embeddings->result.values.data();
    if (rows_out) *rows_out = static_cast<size_t>(embeddings->result.rows);
    if (dim_out) *dim_out = static_cast<size_t>(embeddings->result.dim);
    return Status::Ok();
  });
}

cliprt_status cliprt_embeddings_modality(const cliprt_embeddings* embeddings, const char** modality_out) {
  return Run("cliprt_embeddings_modality", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(embeddings, "embeddings"));
    RETURN_IF_ERROR(RequireNonNull(modality_out, "modality_out"));
    *modality_out = embeddings->result.modality.c_str();
    return Status::Ok();
  });
}

cliprt_status cliprt_embeddings_normalized(const cliprt_embeddings* embeddings, int* normalized_out) {
  return Run("cliprt_embeddings_normalized", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(embeddings, "embeddings"));
    RETURN_IF_ERROR(RequireNonNull(normalized_out, "normalized_out"));
    *normalized_out = embeddings->result.normalized ? 1 : 0;
    return Status::Ok();
  });
}

cliprt_status cliprt_embeddings_provenance_json(const cliprt_embeddings* embeddings, const char** json_out) {
  return Run("cliprt_embeddings_provenance_json", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(embeddings, "embeddings"));
    RETURN_IF_ERROR(RequireNonNull(json_out, "json_out"));
    *json_out = embeddings->provenance_json.Get([&] { return cliprt::api::ToJson(embeddings->result.provenance); });
    return Status::Ok();
  });
}

cliprt_status cliprt_embeddings_to_json(const cliprt_embeddings* embeddings, const char** json_out) {
  return Run("cliprt_embeddings_to_json", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(embeddings, "embeddings"));
    RETURN_IF_ERROR(RequireNonNull(json_out, "json_out"));
    *json_out = embeddings->json.Get([&] { return cliprt::api::ToJson(embeddings->result); });
    return Status::Ok();
  });
}

cliprt_status cliprt_embeddings_from_json(const char* json, size_t size, cliprt_embeddings** embeddings_out) {
  return Run("cliprt_embeddings_from_json", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(json, "json"));
    RETURN_IF_ERROR(RequireNonNull(embeddings_out, "embeddings_out"));
    return Emit(cliprt::api::ParseEmbeddingResultJson(std::string_view(json, size)), embeddings_out);
  });
}

void cliprt_embeddings_free(cliprt_embeddings* embeddings) { delete embeddings; }

// ---- similarity ----

cliprt_status cliprt_model_similarity(const cliprt_model* model, const cliprt_embeddings* images,
                                      const cliprt_embeddings* texts, cliprt_similarity** similarity_out) {
  return Run("cliprt_model_similarity", [&]() -> Status {
    RETURN_IF_ERROR(RequireModel(model));
    RETURN_IF_ERROR(RequireNonNull(images, "images"));
    RETURN_IF_ERROR(RequireNonNull(texts, "texts"));
    RETURN_IF_ERROR(RequireNonNull(similarity_out, "similarity_out"));
    RETURN_IF_ERROR(cliprt::c_api::CheckSameCheckpoint(model->checkpoint_sha256, images->result.provenance,
                                                       "the image embeddings"));
    RETURN_IF_ERROR(cliprt::c_api::CheckSameCheckpoint(model->checkpoint_sha256, texts->result.provenance,
                                                       "the text embeddings"));
    ASSIGN_OR_RETURN(cliprt::api::SimilarityResult r, model->model->Similarity(images->result, texts->result));
    auto h = std::make_unique<cliprt_similarity>();
    h->result = std::move(r);
    *similarity_out = h.release();
    return Status::Ok();
  });
}

cliprt_status cliprt_similarity_values(const cliprt_similarity* similarity, const float** logits_out,
                                       const float** probabilities_out, size_t* images_out, size_t* texts_out) {
  return Run("cliprt_similarity_values", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(similarity, "similarity"));
    if (logits_out) *logits_out = similarity->result.logits.data();
    if (probabilities_out) *probabilities_out = similarity->result.probabilities.data();
    if (images_out) *images_out = static_cast<size_t>(similarity->result.images);
    if (texts_out) *texts_out = static_cast<size_t>(similarity->result.texts);
    return Status::Ok();
  });
}

cliprt_status cliprt_similarity_provenance_json(const cliprt_similarity* similarity, const char** json_out) {
  return Run("cliprt_similarity_provenance_json", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(similarity, "similarity"));
    RETURN_IF_ERROR(RequireNonNull(json_out, "json_out"));
    *json_out = similarity->provenance_json.Get([&] { return cliprt::api::ToJson(similarity->result.provenance); });
    return Status::Ok();
  });
}

cliprt_status cliprt_similarity_to_json(const cliprt_similarity* similarity, const char** json_out) {
  return Run("cliprt_similarity_to_json", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(similarity, "similarity"));
    RETURN_IF_ERROR(RequireNonNull(json_out, "json_out"));
    *json_out = similarity->json.Get([&] { return cliprt::api::ToJson(similarity->result); });
    return Status::Ok();
  });
}

void cliprt_similarity_free(cliprt_similarity* similarity) { delete similarity; }

}  // extern "C"
