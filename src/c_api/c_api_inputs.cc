// The C functions that expose the encoders' inputs (token ids, pixels) and
// the model's FLOP counts: what `cliprt tokenize`, `cliprt preprocess` and
// `cliprt bench` print.
#include <algorithm>
#include <cstring>

#include "api/loaded_model.h"
#include "c_api/c_api_util.h"
#include "c_api/handles.h"
#include "cliprt/cliprt.h"

using cliprt::Status;
using cliprt::c_api::RequireNonNull;
using cliprt::c_api::Run;

cliprt_status cliprt_model_tokenize(const cliprt_model* model, const char* const* texts, size_t count,
                                    int64_t* ids_out, int64_t* dropped_out) {
  return Run("cliprt_model_tokenize", [&]() -> Status {
    if (model == nullptr || !model->model) return cliprt::InvalidArgumentError("model is NULL");
    RETURN_IF_ERROR(RequireNonNull(ids_out, "ids_out"));
    ASSIGN_OR_RETURN(std::vector<std::string> strings, cliprt::c_api::CopyStrings(texts, count, "texts"));
    ASSIGN_OR_RETURN(cliprt::TokenizedBatch batch, model->model->Tokenize(strings));
    std::memcpy(ids_out, batch.ids.data(), static_cast<size_t>(batch.ids.numel()) * sizeof(int64_t));
    if (dropped_out) std::copy(batch.dropped_tokens.begin(), batch.dropped_tokens.end(), dropped_out);
    return Status::Ok();
  });
}

cliprt_status cliprt_model_preprocess_image_files(const cliprt_model* model, const char* const* paths,
                                                  size_t count, float* pixels_out) {
  return Run("cliprt_model_preprocess_image_files", [&]() -> Status {
    if (model == nullptr || !model->model) return cliprt::InvalidArgumentError("model is NULL");
    RETURN_IF_ERROR(RequireNonNull(pixels_out, "pixels_out"));
    if (!model->model->has_vision()) {
      return cliprt::FailedPreconditionError("the vision tower was not loaded (towers = text)");
    }
    ASSIGN_OR_RETURN(std::vector<std::string> files, cliprt::c_api::CopyStrings(paths, count, "paths"));
    ASSIGN_OR_RETURN(std::vector<float> pixels, model->model->PreprocessImageFiles(files, nullptr));
    std::memcpy(pixels_out, pixels.data(), pixels.size() * sizeof(float));
    return Status::Ok();
  });
}

cliprt_status cliprt_model_flops(const cliprt_model* model, int32_t text_tokens, double* image_flops_out,
                                 double* text_flops_out) {
  return Run("cliprt_model_flops", [&]() -> Status {
    if (model == nullptr || !model->model) return cliprt::InvalidArgumentError("model is NULL");
    RETURN_IF_ERROR(RequireNonNull(image_flops_out, "image_flops_out"));
    RETURN_IF_ERROR(RequireNonNull(text_flops_out, "text_flops_out"));
    const cliprt::api::LoadedModel& m = *model->model;
    const int64_t context = m.has_text() ? m.tokenizer()->context_length() : 0;
    if (m.has_text() && (text_tokens < 1 || text_tokens > context)) {
      return cliprt::InvalidArgumentError("text_tokens is " + std::to_string(text_tokens) + ", expected 1.." +
                                          std::to_string(context));
    }
    *image_flops_out = m.ImageFlops();
    *text_flops_out = m.TextFlops(text_tokens);
    return Status::Ok();
  });
}
