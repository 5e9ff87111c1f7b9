// Known-checkpoint manifests (models/manifests/*.json): official releases with
// their file hashes, license, architecture, activation, preprocessing,
// tokenizer, source URL and the model card's out-of-scope uses. A loaded file
// whose SHA-256 matches a manifest file entry is named by that manifest.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "io/json.h"

namespace cliprt::io {

struct ManifestFile {
  std::string name;
  int64_t size = -1;     // -1: unknown
  std::string sha256;    // empty: unknown (manifest says null)
};

struct Manifest {
  std::string path;          // the manifest file
  std::string name;          // e.g. "openai/ViT-B-32"
  std::string architecture;  // an ArchFamily name
  std::string activation;    // "quick_gelu" | "gelu" | "gelu_pytorch_tanh"
  std::string license;
  std::string source_url;
  std::string preprocessing;
  std::string tokenizer;
  std::vector<std::string> out_of_scope_uses;
  std::vector<ManifestFile> files;
};

// Parses one manifest document; `source` names it in errors.
StatusOr<Manifest> ParseManifest(const JsonValue& root, const std::string& source);

// Every *.json manifest in `dir` (sorted by file name). A malformed manifest
// is an error naming the file.
StatusOr<std::vector<Manifest>> LoadManifests(const std::string& dir);

// The manifest that lists a file with this SHA-256, if any.
const Manifest* FindManifestBySha256(const std::vector<Manifest>& manifests,
                                     const std::string& sha256);

}  // namespace cliprt::io
