// Writing what embed-image / embed-text / classify produce: the values
// (.npy), the provenance (--provenance) and the saved result (--save-result)
// that `cliprt replay` takes.
//
// A saved result is the library's result document (docs/provenance.md) with
// one extra top-level key the library ignores when reading it:
//   "cli_inputs": {"model": MODEL, "kind": "images" | "texts" | "pixels",
//                  "items": [...]}
// — the MODEL argument as an absolute path, and the absolute image paths, the
// texts themselves, or the absolute path of the pixels .npy — so that
// `cliprt replay R.json` can recompute without being told the inputs again.
#ifndef CLIPRT_TOOLS_CLI_RESULT_FILES_H_
#define CLIPRT_TOOLS_CLI_RESULT_FILES_H_

#include <string>
#include <string_view>
#include <vector>

#include "args.h"
#include "cliprt/cliprt.hpp"

namespace cliprt_cli {

std::string AttachInputs(std::string_view document, const std::string& model_path,
                         std::string_view kind, const std::vector<std::string>& items);
// Absolute forms of file paths, for recording.
std::vector<std::string> AbsolutePaths(const std::vector<std::string>& paths);

// Handles --out (npy [rows, dim]), --provenance and --save-result.
void WriteEmbeddingOutputs(const Args& args, const cliprt::Embeddings& embeddings,
                           const std::string& model_path, std::string_view input_kind, const std::vector<std::string>& inputs);

}  // namespace cliprt_cli

#endif  // CLIPRT_TOOLS_CLI_RESULT_FILES_H_
