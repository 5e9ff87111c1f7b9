// Which preprocessing a checkpoint's reference pipeline applies, as an
// image::PreprocessConfig: OpenAI `_transform` for OpenAI files, open_clip's
// image_transform from open_clip_config.json's preprocess_cfg, and HF's
// CLIPImageProcessor / SiglipImageProcessor from preprocessor_config.json
// (its class defaults when the file is absent). A preset name overrides the
// choice ("openai", "open_clip", "hf_clip", "hf_siglip"), at the model's
// image size.
#pragma once

#include <string>

#include "core/status.h"
#include "image/preprocess.h"
#include "io/checkpoint.h"

namespace cliprt::api {

struct PreprocessChoice {
  image::PreprocessConfig config;
  std::string reason;  // where the preset and its parameters came from
};

StatusOr<PreprocessChoice> ChoosePreprocessing(const io::Checkpoint& checkpoint,
                                               const std::string& preset_override = "");

}  // namespace cliprt::api
