#include "api/replay.h"

#include <filesystem>

#include "api/loaded_model.h"
#include "api/results_json.h"

namespace cliprt::api {
namespace {

namespace fs = std::filesystem;

// The path to load: the weights file, or its folder when the folder is an
// HF / open_clip checkpoint (the config sits beside the weights).
std::string ModelPathFrom(const Provenance& p) {
  for (const FileRecord& f : p.model.files) {
    if (f.format == "json") continue;
    const fs::path dir = fs::path(f.path).parent_path();
    for (const char* config : {"config.json", "open_clip_config.json"}) {
      if (!dir.empty() && fs::exists(dir / config)) return dir.string();
    }
    return f.path;
  }
  return "";
}

StatusOr<io::Precision> PrecisionFrom(const std::string& name) {
  if (name == "f32" || name.empty()) return io::Precision::kF32;
  if (name == "bf16") return io::Precision::kBF16;
  if (name == "int8") return io::Precision::kInt8;
  return InvalidArgumentError("saved precision \"" + name + "\" is not one cliprt knows");
}

StatusOr<std::unique_ptr<LoadedModel>> Reload(const Provenance& p, const ReplayOptions& options, bool need_text,
                                              bool need_vision, std::string* model_path) {
  ModelLoadOptions load;
  load.path = options.model_path.empty() ? ModelPathFrom(p) : options.model_path;
  if (load.path.empty()) return InvalidArgumentError("the saved provenance names no checkpoint file; pass the model path");
  *model_path = load.path;
  load.towers = need_text && need_vision ? io::Towers::kBoth : need_text ? io::Towers::kText : io::Towers::kVision;
  ASSIGN_OR_RETURN(load.precision, PrecisionFrom(p.library.precision));
  load.threads = options.threads > 0 ? options.threads : std::max(1, p.library.threads);
  if (need_text) {
    load.tokenizer_path = options.tokenizer_path;
    if (load.tokenizer_path.empty() && p.tokenizer && !p.tokenizer->vocabulary_files.empty()) {
      load.tokenizer_path = p.tokenizer->vocabulary_files.front();
    }
    if (p.tokenizer && p.tokenizer->truncation == "strict") load.truncation = TruncationPolicy::kStrict;
  }
  if (need_vision && p.preprocess) {
    const std::string& preset = p.preprocess->preset;
    if (preset == "openai" || preset == "open_clip" || preset == "hf_clip" || preset == "hf_siglip") load.preset = preset;
  }
  return LoadedModel::Load(load);
}

}  // namespace

StatusOr<ReplayOutcome> Replay(const std::string& saved_json, const std::vector<std::string>& inputs,
                               const ReplayOptions& options) {
  ReplayOutcome out;
  ASSIGN_OR_RETURN(out.kind, ResultKindOfJson(saved_json));
  if (inputs.empty()) return InvalidArgumentError("replay needs the inputs the result was computed from");
  if (out.kind == "embedding") {
    ASSIGN_OR_RETURN(EmbeddingResult saved, ParseEmbeddingResultJson(saved_json));
    const bool text = saved.modality == "text";
    ASSIGN_OR_RETURN(auto model, Reload(saved.provenance, options, text, !text, &out.model_path));
    StatusOr<EmbeddingResult> again = text ? model->EncodeTexts(inputs, saved.normalized)
                                           : model->EncodeImageFiles(inputs, saved.normalized);
    RETURN_IF_ERROR(again.status());
    out.report = DiffResults(saved, *again);
    return out;
  }
  if (out.kind == "classification") {
    ASSIGN_OR_RETURN(ClassificationResult saved, ParseClassificationResultJson(saved_json));
    if (!saved.provenance.classification) return CorruptDataError("saved classification has no classification block");
    const ClassificationInfo& how = *saved.provenance.classification;
    ASSIGN_OR_RETURN(auto model, Reload(saved.provenance, options, true, true, &out.model_path));
    ASSIGN_OR_RETURN(ZeroShotClassifier classifier, model->BuildClassifier(how.labels, how.templates));
    ASSIGN_OR_RETURN(EmbeddingResult images, model->EncodeImageFiles(inputs, false));
    ClassifyOptions classify;
    classify.top_k = how.top_k;
    classify.threshold = how.threshold;
    ASSIGN_OR_RETURN(ClassificationResult again, model->Classify(classifier, images, classify));
    out.report = DiffResults(saved, again);
    return out;
  }
  return UnsupportedError("replay of a saved \"" + out.kind +
                          "\" result is not supported (embeddings and classifications are)");
}

}  // namespace cliprt::api
