// Loading a checkpoint as downloaded: one entry point for a file or a folder.
//
//   file   : safetensors, torch.save zip, TorchScript archive (OpenAI .pt)
//   folder : HF (config.json + model.safetensors | sharded index |
//            pytorch_model.bin) or open_clip (open_clip_config.json +
//            open_clip_model.safetensors | open_clip_pytorch_model.bin)
//
// The result holds the tensors (zero-copy views into the mapped files when
// dtype and layout allow), the identity of every file read (path, size,
// format, SHA-256, per-dtype tensor counts), the resolved model config with
// the reason for every decision, the matching manifest (or "unrecognized"),
// and the paths of tokenizer/preprocessor files found beside the weights.
// See docs/checkpoint-formats.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "io/manifest.h"
#include "io/mapped_file.h"
#include "io/model_config.h"
#include "io/tensor_set.h"

namespace cliprt::io {

enum class Towers { kBoth, kVision, kText };
enum class Precision { kF32, kBF16, kInt8 };
const char* TowersName(Towers t);
const char* PrecisionName(Precision p);

enum class TensorTower { kVision, kText, kShared };
// Which tower a tensor belongs to, by name (OpenAI, open_clip and HF names).
// logit_scale/logit_bias and unknown names are shared.
TensorTower TowerOfTensor(std::string_view name);

struct LoadOptions {
  // Tensors of a tower that is not chosen are neither read nor mapped into
  // the result (a text-search server does not pay for the vision tower).
  Towers towers = Towers::kBoth;
  // Compute precision requested; recorded here, acted on by the kernels.
  Precision precision = Precision::kF32;
  // Threads the caller grants to loading (hashing runs on one extra thread
  // when > 1, else inline after parsing).
  int threads = 2;
  bool compute_sha256 = true;
  // Directory of manifests; empty → $CLIPRT_MANIFEST_DIR, else the manifests
  // shipped with cliprt (<prefix>/share/cliprt/manifests when installed, the
  // source tree's models/manifests in a build tree).
  std::string manifest_dir;
  // false: load tensors and identity only (no model config), e.g. for tools
  // that inspect arbitrary state dicts.
  bool resolve_config = true;
  // Forces the activation of both towers (recorded as an override).
  std::optional<Activation> activation_override;
};

struct FileIdentity {
  std::string path;
  uint64_t size = 0;
  std::string format;   // "safetensors" | "torch-zip" | "torchscript" | "json"
  std::string sha256;   // lower-case hex; empty when hashing was disabled
  std::map<std::string, int64_t> dtype_counts;  // tensors per dtype ("f16": 123)
};

struct LocatedFiles {  // paths found beside the weights ("" = absent)
  std::string config;               // config.json or open_clip_config.json
  std::string tokenizer_json;
  std::string tokenizer_config;
  std::string vocab_json;
  std::string merges_txt;
  std::string spiece_model;
  std::string special_tokens_map;
  std::string preprocessor_config;
};

struct Checkpoint {
  std::map<std::string, Tensor, std::less<>> tensors;  // names as stored (prefix-stripped)
  std::vector<TensorInfo> all_tensors;  // every tensor of every file, loaded or not
  std::vector<FileIdentity> files;      // weights files, then config
  std::string format;                   // format of the weights
  std::string layout;                   // "file" | "hf-folder" | "open_clip-folder"
  ModelConfig config;
  std::string manifest_name;            // "" → unrecognized
  std::optional<Manifest> manifest;
  LocatedFiles located;
  Towers towers = Towers::kBoth;
  Precision precision = Precision::kF32;

  // The mapped weights files the borrowed tensors point into.
  std::vector<std::shared_ptr<const MappedFile>> mappings;

  const Tensor* Find(std::string_view name) const;
  // After a consumer has converted or packed `t` (a view into a mapping),
  // drops its resident pages so the mapped copy stops counting towards RSS.
  // No effect on owned tensors. Returns true if pages were released.
  bool ReleasePages(const Tensor& t) const;
  // "openai/ViT-B-32" or "unrecognized (sha256 <hex>)".
  std::string IdentityString() const;
};

StatusOr<Checkpoint> LoadCheckpoint(const std::string& path, const LoadOptions& options = LoadOptions());

}  // namespace cliprt::io
