#include "api/preprocess_choice.h"

#include <fstream>
#include <iterator>

#include "io/json.h"

namespace cliprt::api {
namespace {

using io::ArchFamily;
using io::JsonValue;

StatusOr<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot open \"" + path + "\"");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.size() > (size_t{16} << 20)) return InvalidArgumentError("\"" + path + "\" is larger than 16 MiB");
  return text;
}

StatusOr<std::optional<int>> OptInt(const JsonValue& obj, const char* key, const std::string& where) {
  const JsonValue* v = obj.Find(key);
  if (!v || v->is_null()) return std::optional<int>();
  if (!v->is_int() || v->int_value() < 0 || v->int_value() > 1'000'000) {
    return InvalidArgumentError(where + ": \"" + key + "\" must be a non-negative integer");
  }
  return std::optional<int>(static_cast<int>(v->int_value()));
}

StatusOr<std::optional<bool>> OptBool(const JsonValue& obj, const char* key, const std::string& where) {
  const JsonValue* v = obj.Find(key);
  if (!v || v->is_null()) return std::optional<bool>();
  if (!v->is_bool()) return InvalidArgumentError(where + ": \"" + key + "\" must be true or false");
  return std::optional<bool>(v->bool_value());
}

StatusOr<std::optional<std::array<double, 3>>> OptTriple(const JsonValue& obj, const char* key,
                                                        const std::string& where) {
  const JsonValue* v = obj.Find(key);
  if (!v || v->is_null()) return std::optional<std::array<double, 3>>();
  std::array<double, 3> out{};
  if (v->is_number()) {
    out.fill(v->number());
  } else if (v->is_array() && v->array().size() == 3) {
    for (size_t i = 0; i < 3; ++i) {
      if (!v->array()[i].is_number()) return InvalidArgumentError(where + ": \"" + key + "\" must hold numbers");
      out[i] = v->array()[i].number();
    }
  } else {
    return InvalidArgumentError(where + ": \"" + key + "\" must be a number or 3 numbers");
  }
  return std::optional<std::array<double, 3>>(out);
}

// preprocessor_config.json → the fields HfImageProcessorPreset takes.
StatusOr<image::HfImageProcessorFields> ParseHfProcessor(const std::string& path, ArchFamily family) {
  ASSIGN_OR_RETURN(std::string text, ReadText(path));
  ASSIGN_OR_RETURN(JsonValue root, io::ParseJson(text, path));
  if (!root.is_object()) return InvalidArgumentError(path + ": not a JSON object");
  image::HfImageProcessorFields f;
  const JsonValue* type = root.Find("image_processor_type");
  if (!type) type = root.Find("feature_extractor_type");
  if (type && type->is_string()) {
    f.image_processor_type = type->string();
    // The feature-extractor spelling of old repos names the same processor.
    const std::string suffix = "FeatureExtractor";
    if (f.image_processor_type.size() > suffix.size() &&
        f.image_processor_type.compare(f.image_processor_type.size() - suffix.size(), suffix.size(), suffix) == 0) {
      f.image_processor_type.replace(f.image_processor_type.size() - suffix.size(), suffix.size(), "ImageProcessor");
    }
  } else {
    f.image_processor_type = family == ArchFamily::kHfSiglip ? "SiglipImageProcessor" : "CLIPImageProcessor";
  }
  for (const char* key : {"size", "crop_size"}) {
    const JsonValue* v = root.Find(key);
    if (!v || v->is_null()) continue;
    const bool crop = std::string_view(key) == "crop_size";
    if (v->is_int()) {
      (crop ? f.crop_size_int : f.size_int) = static_cast<int>(v->int_value());
      continue;
    }
    if (!v->is_object()) return InvalidArgumentError(path + ": \"" + key + "\" must be an integer or an object");
    if (crop) {
      ASSIGN_OR_RETURN(f.crop_height, OptInt(*v, "height", path + " crop_size"));
      ASSIGN_OR_RETURN(f.crop_width, OptInt(*v, "width", path + " crop_size"));
    } else {
      ASSIGN_OR_RETURN(f.size_shortest_edge, OptInt(*v, "shortest_edge", path + " size"));
      ASSIGN_OR_RETURN(f.size_height, OptInt(*v, "height", path + " size"));
      ASSIGN_OR_RETURN(f.size_width, OptInt(*v, "width", path + " size"));
    }
  }
  ASSIGN_OR_RETURN(f.resample, OptInt(root, "resample", path));
  ASSIGN_OR_RETURN(f.do_resize, OptBool(root, "do_resize", path));
  ASSIGN_OR_RETURN(f.do_center_crop, OptBool(root, "do_center_crop", path));
  ASSIGN_OR_RETURN(f.do_rescale, OptBool(root, "do_rescale", path));
  ASSIGN_OR_RETURN(f.do_normalize, OptBool(root, "do_normalize", path));
  ASSIGN_OR_RETURN(f.do_convert_rgb, OptBool(root, "do_convert_rgb", path));
  if (const JsonValue* v = root.Find("rescale_factor"); v && v->is_number()) f.rescale_factor = v->number();
  ASSIGN_OR_RETURN(f.image_mean, OptTriple(root, "image_mean", path));
  ASSIGN_OR_RETURN(f.image_std, OptTriple(root, "image_std", path));
  return f;
}

// The class defaults of the HF processor at the model's resolution.
image::HfImageProcessorFields HfDefaults(ArchFamily family, int size) {
  image::HfImageProcessorFields f;
  if (family == ArchFamily::kHfSiglip) {
    f.image_processor_type = "SiglipImageProcessor";
    f.size_height = f.size_width = size;
  } else {
    f.image_processor_type = "CLIPImageProcessor";
    f.size_shortest_edge = size;
    f.crop_height = f.crop_width = size;
  }
  return f;
}

StatusOr<image::PreprocessConfig> OpenClipFromConfig(const io::ModelConfig& config) {
  image::OpenClipPreprocessFields f;
  f.image_size = {static_cast<int>(config.preprocess.image_size)};
  f.mean = config.preprocess.mean;
  f.std = config.preprocess.std;
  f.interpolation = config.preprocess.interpolation;
  f.resize_mode = config.preprocess.resize_mode;
  return image::OpenClipPreset(f);
}

}  // namespace

StatusOr<PreprocessChoice> ChoosePreprocessing(const io::Checkpoint& checkpoint, const std::string& preset_override) {
  const io::ModelConfig& config = checkpoint.config;
  const int size = static_cast<int>(config.preprocess.image_size > 0 ? config.preprocess.image_size
                                                                      : config.vision.image_size);
  if (size <= 0) return FailedPreconditionError("the model config has no image size");
  PreprocessChoice choice;
  const std::string preset = preset_override;
  if (!preset.empty()) {
    if (preset == "openai") {
      choice.config = image::OpenAIPreset(size);
    } else if (preset == "open_clip" || preset == "openclip") {
      ASSIGN_OR_RETURN(choice.config, OpenClipFromConfig(config));
    } else if (preset == "hf_clip" || preset == "hf-clip") {
      ASSIGN_OR_RETURN(choice.config, image::HfImageProcessorPreset(HfDefaults(ArchFamily::kHfClip, size)));
    } else if (preset == "hf_siglip" || preset == "siglip") {
      ASSIGN_OR_RETURN(choice.config, image::HfImageProcessorPreset(HfDefaults(ArchFamily::kHfSiglip, size)));
    } else {
      return InvalidArgumentError("unknown preprocessing preset \"" + preset +
                                  "\" (expected openai, open_clip, hf_clip or hf_siglip)");
    }
    choice.reason = "override: preset \"" + preset + "\" requested at " + std::to_string(size) + " px";
    return choice;
  }
  switch (config.family) {
    case ArchFamily::kOpenAiVit:
    case ArchFamily::kOpenAiResNet:
      choice.config = image::OpenAIPreset(size);
      choice.reason = "OpenAI checkpoint: clip.load's _transform(" + std::to_string(size) + ")";
      return choice;
    case ArchFamily::kOpenClip:
    case ArchFamily::kOpenClipSiglip: {
      ASSIGN_OR_RETURN(choice.config, OpenClipFromConfig(config));
      choice.reason = "open_clip checkpoint: image_transform from the resolved preprocess_cfg";
      return choice;
    }
    case ArchFamily::kHfClip:
    case ArchFamily::kHfSiglip: {
      image::HfImageProcessorFields fields;
      if (!checkpoint.located.preprocessor_config.empty()) {
        ASSIGN_OR_RETURN(fields, ParseHfProcessor(checkpoint.located.preprocessor_config, config.family));
        choice.reason = "HF checkpoint: " + fields.image_processor_type + " from " +
                        checkpoint.located.preprocessor_config;
      } else {
        fields = HfDefaults(config.family, size);
        choice.reason = "HF checkpoint without preprocessor_config.json: " + fields.image_processor_type +
                        " class defaults at " + std::to_string(size) + " px";
      }
      ASSIGN_OR_RETURN(choice.config, image::HfImageProcessorPreset(fields));
      return choice;
    }
    case ArchFamily::kUnknown:
      break;
  }
  return FailedPreconditionError("no preprocessing is known for an unresolved model family");
}

}  // namespace cliprt::api
