#include "model_options.h"

#include <cstdlib>
#include <cstring>
#include <string_view>

#include "cli_error.h"
#include "progress.h"

namespace cliprt_cli {
namespace {
bool IsIsaName(std::string_view v) { return v == "scalar" || v == "avx2" || v == "avx512"; }
}  // namespace

void ApplyIsaOption(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") break;
    std::string_view value;
    if (arg == "--isa" && i + 1 < argc) {
      value = argv[i + 1];
    } else if (arg.rfind("--isa=", 0) == 0) {
      value = arg.substr(6);
    } else {
      continue;
    }
    if (IsIsaName(value)) setenv("CLIPRT_ISA", std::string(value).c_str(), 1);
  }
}

void ValidateIsa(const Args& args) {
  if (const auto isa = args.GetOptional("isa"); isa && !IsIsaName(*isa)) {
    UsageError("--isa wants scalar, avx2 or avx512, got '" + *isa + "'");
  }
}

cliprt_precision ParsePrecision(const std::string& text) {
  if (text == "fp32" || text == "f32") return CLIPRT_PRECISION_F32;
  if (text == "bf16") return CLIPRT_PRECISION_BF16;
  if (text == "int8") return CLIPRT_PRECISION_INT8;
  UsageError("--precision wants fp32, bf16 or int8, got '" + text + "'");
}

std::string PresetLibraryName(const std::string& text) {
  if (text == "openai") return "openai";
  if (text == "openclip" || text == "open_clip") return "open_clip";
  if (text == "hf-clip" || text == "hf_clip") return "hf_clip";
  if (text == "siglip" || text == "hf-siglip" || text == "hf_siglip") return "hf_siglip";
  UsageError("--preset wants openai, openclip, hf-clip or siglip, got '" + text + "'");
}

cliprt::ModelOptions ModelOptionsFrom(const Args& args, cliprt_towers towers) {
  ValidateIsa(args);
  cliprt::ModelOptions options;
  options.tokenizer_path = args.Get("tokenizer");
  options.towers = towers;
  options.precision = ParsePrecision(args.Get("precision", "fp32"));
  options.threads = static_cast<int>(args.GetInt("threads", 0, 0, 1024));
  if (const auto preset = args.GetOptional("preset")) options.preset = PresetLibraryName(*preset);
  return options;
}

cliprt::Model LoadModel(const Args& args, const std::string& path, cliprt_towers towers) {
  const cliprt::ModelOptions options = ModelOptionsFrom(args, towers);
  Spinner spinner("loading " + path);
  return cliprt::Model::Load(path, options);
}

}  // namespace cliprt_cli
