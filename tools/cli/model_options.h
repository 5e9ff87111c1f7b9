// The options every model-loading command shares, and loading with them.
//
//   --tokenizer PATH   vocab.json+merges.txt folder, bpe_simple_vocab_16e6.txt[.gz]
//                      or a SentencePiece model (default: files beside the checkpoint)
//   --preset NAME      openai | openclip | hf-clip | siglip (library names
//                      open_clip / hf_clip / hf_siglip also accepted)
//   --threads N        0 = all hardware threads (default)
//   --precision P      fp32 (default) | bf16 | int8
//   --isa L            scalar | avx2 | avx512: sets CLIPRT_ISA before the first
//                      library call (ApplyIsaOption does this in main)
#ifndef CLIPRT_TOOLS_CLI_MODEL_OPTIONS_H_
#define CLIPRT_TOOLS_CLI_MODEL_OPTIONS_H_

#include <string>

#include "args.h"
#include "cliprt/cliprt.hpp"

namespace cliprt_cli {

// Scans argv for --isa before anything touches the library (CPU dispatch is
// fixed at the first call). Returns false and prints nothing; a bad value is
// reported later by the command's own parse (ValidateIsa).
void ApplyIsaOption(int argc, char** argv);
void ValidateIsa(const Args& args);

cliprt::ModelOptions ModelOptionsFrom(const Args& args, cliprt_towers towers);
// Loads `path` with the common options; shows a progress indicator.
cliprt::Model LoadModel(const Args& args, const std::string& path, cliprt_towers towers);

// "fp32"/"f32" → F32, "bf16" → BF16, "int8" → INT8; usage error otherwise.
cliprt_precision ParsePrecision(const std::string& text);
std::string PresetLibraryName(const std::string& text);

}  // namespace cliprt_cli

#endif  // CLIPRT_TOOLS_CLI_MODEL_OPTIONS_H_
