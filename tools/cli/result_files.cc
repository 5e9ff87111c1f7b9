#include "result_files.h"

#include <filesystem>

#include "inputs.h"
#include "json_writer.h"
#include "npy_file.h"

namespace cliprt_cli {

std::string AttachInputs(std::string_view document, const std::string& model_path,
                         std::string_view kind, const std::vector<std::string>& items) {
  const size_t brace = document.find('{');
  std::string out(document.substr(0, brace + 1));
  out += "\n\"cli_inputs\": {\"model\": ";
  out += JsonQuote(AbsolutePaths({model_path})[0]);
  out += ", \"kind\": ";
  out += JsonQuote(kind);
  out += ", \"items\": [";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += JsonQuote(items[i]);
  }
  out += "]},";
  out += document.substr(brace + 1);
  if (out.empty() || out.back() != '\n') out += '\n';
  return out;
}

std::vector<std::string> AbsolutePaths(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  out.reserve(paths.size());
  for (const std::string& p : paths) {
    std::error_code ec;
    const std::filesystem::path abs = std::filesystem::absolute(p, ec);
    out.push_back(ec ? p : abs.lexically_normal().string());
  }
  return out;
}

void WriteEmbeddingOutputs(const Args& args, const cliprt::Embeddings& embeddings,
                           const std::string& model_path, std::string_view input_kind, const std::vector<std::string>& inputs) {
  if (const auto out = args.GetOptional("out")) {
    const int64_t shape[2] = {static_cast<int64_t>(embeddings.rows()),
                              static_cast<int64_t>(embeddings.dim())};
    WriteNpyF32(*out, embeddings.values(), shape);
  }
  if (const auto prov = args.GetOptional("provenance")) {
    std::string json(embeddings.provenance_json());
    if (json.empty() || json.back() != '\n') json += '\n';
    WriteWholeFile(*prov, json);
  }
  if (const auto saved = args.GetOptional("save-result")) {
    WriteWholeFile(*saved, AttachInputs(embeddings.to_json(), model_path, input_kind, inputs));
  }
}

}  // namespace cliprt_cli
