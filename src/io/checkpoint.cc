#include "io/checkpoint.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <thread>

#include "core/log.h"
#include "io/mapped_file.h"
#include "io/safetensors.h"
#include "io/sha256.h"
#include "io/torch_archive.h"
#include "io/zip_reader.h"

namespace cliprt::io {

namespace fs = std::filesystem;

const char* TowersName(Towers t) {
  switch (t) {
    case Towers::kBoth: return "both";
    case Towers::kVision: return "vision";
    case Towers::kText: return "text";
  }
  return "?";
}

const char* PrecisionName(Precision p) {
  switch (p) {
    case Precision::kF32: return "f32";
    case Precision::kBF16: return "bf16";
    case Precision::kInt8: return "int8";
  }
  return "?";
}

TensorTower TowerOfTensor(std::string_view name) {
  auto starts = [&](std::string_view p) { return name.substr(0, p.size()) == p; };
  if (starts("visual.") || starts("vision_model.") || starts("visual_projection.")) {
    return TensorTower::kVision;
  }
  if (starts("text.") || starts("text_model.") || starts("text_projection") ||
      starts("token_embedding.") || name == "positional_embedding" || starts("transformer.") ||
      starts("ln_final.") || name == "attn_mask") {
    return TensorTower::kText;
  }
  return TensorTower::kShared;
}

const Tensor* Checkpoint::Find(std::string_view name) const {
  auto it = tensors.find(name);
  return it == tensors.end() ? nullptr : &it->second;
}

bool Checkpoint::ReleasePages(const Tensor& t) const {
  if (t.owns_storage() || t.empty() || !t.is_contiguous()) return false;
  const size_t bytes = static_cast<size_t>(t.numel()) * DTypeSize(t.dtype());
  for (const auto& m : mappings) {
    if (m->DropPages(t.data(), bytes)) return true;
  }
  return false;
}

std::string Checkpoint::IdentityString() const {
  if (!manifest_name.empty()) return manifest_name;
  std::string s = "unrecognized";
  for (const FileIdentity& f : files) {
    if (f.format != "json" && !f.sha256.empty()) s += " (sha256 " + f.sha256 + ")";
  }
  return s;
}

namespace {

// Hashes mapped files on one background thread while parsing proceeds; the
// destructor always joins, so an early error return cannot leak the thread.
class BackgroundHasher {
 public:
  BackgroundHasher(std::vector<std::shared_ptr<const MappedFile>> files, bool concurrent)
      : files_(std::move(files)),
        results_(files_.size(), StatusOr<std::string>(InternalError("SHA-256 not computed"))) {
    if (concurrent) {
      // std::thread reports failure by throwing; fall back to hashing inline.
      try {
        thread_ = std::thread([this] { Run(); });
      } catch (...) {
        thread_ = std::thread();
      }
    }
  }
  ~BackgroundHasher() {
    if (thread_.joinable()) thread_.join();
  }
  StatusOr<std::vector<std::string>> Wait() {
    if (thread_.joinable()) thread_.join();
    else if (!ran_) Run();
    std::vector<std::string> out;
    for (auto& r : results_) {
      if (!r.ok()) return r.status();
      out.push_back(*r);
    }
    return out;
  }

 private:
  void Run() {
    ran_ = true;
    for (size_t i = 0; i < files_.size(); ++i) results_[i] = Sha256Hex(files_[i]->data(), files_[i]->size());
  }
  std::vector<std::shared_ptr<const MappedFile>> files_;
  std::vector<StatusOr<std::string>> results_;
  std::thread thread_;
  bool ran_ = false;
};

std::string DetectFormatName(const MappedFile& f) {
  if (LooksLikeZip(f.data(), f.size())) return "zip";
  if (LooksLikeLegacyTorch(f.data(), f.size())) return "legacy-torch";
  if (LooksLikeSafetensors(f.data(), f.size())) return "safetensors";
  return "";
}

struct LoadedFile {
  std::shared_ptr<const MappedFile> file;
  std::string format;
  TensorSet set;
};

StatusOr<LoadedFile> LoadWeightsFile(const std::string& path, const TensorFilter& filter) {
  LoadedFile lf;
  ASSIGN_OR_RETURN(lf.file, MappedFile::Open(path));
  const ByteSource src = MappedFile::AsSource(lf.file);
  std::string kind = DetectFormatName(*lf.file);
  // A .safetensors name is trusted when the content is not a zip, so a
  // damaged header gets the safetensors reader's precise error.
  if (kind.empty() && path.size() > 12 && path.compare(path.size() - 12, 12, ".safetensors") == 0) {
    kind = "safetensors";
  }
  if (kind == "safetensors") {
    lf.format = "safetensors";
    ASSIGN_OR_RETURN(lf.set, ReadSafetensors(src, filter));
  } else if (kind == "zip" || kind == "legacy-torch") {
    TorchArchiveInfo info;
    ASSIGN_OR_RETURN(lf.set, ReadTorchArchive(src, filter, &info));
    lf.format = info.torchscript ? "torchscript" : "torch-zip";
  } else {
    return UnsupportedError("unrecognized checkpoint format: " + path +
                            " is not safetensors, a torch zip archive or a TorchScript archive");
  }
  return lf;
}

StatusOr<JsonValue> ReadJsonFile(const std::string& path, std::shared_ptr<const MappedFile>* keep) {
  ASSIGN_OR_RETURN(auto f, MappedFile::Open(path));
  *keep = f;
  return ParseJson(std::string_view(reinterpret_cast<const char*>(f->data()), f->size()), path);
}

std::string IfExists(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) ? p.string() : std::string();
}

// Shard file names come from an index file: plain names in the same folder.
Status CheckShardName(const std::string& name, const std::string& index) {
  if (name.empty() || name.find('/') != std::string::npos || name.find('\\') != std::string::npos ||
      name == "." || name == "..") {
    return CorruptDataError(index + ": shard name \"" + name + "\" is not a plain file name");
  }
  return Status::Ok();
}

}  // namespace

// The manifests shipped with cliprt: installed under <prefix>/share/cliprt,
// else (running from a build tree) the source tree's models/manifests.
static std::string BuiltinManifestDir() {
  for (const char* dir : {CLIPRT_INSTALLED_MANIFEST_DIR, CLIPRT_SOURCE_MANIFEST_DIR}) {
    std::error_code ec;
    if (std::filesystem::is_directory(dir, ec)) return dir;
  }
  return "";
}

StatusOr<Checkpoint> LoadCheckpoint(const std::string& path, const LoadOptions& options) {
  Checkpoint ck;
  ck.towers = options.towers;
  ck.precision = options.precision;
  const TensorFilter filter = [towers = options.towers](std::string_view name) {
    const TensorTower t = TowerOfTensor(name);
    if (towers == Towers::kVision) return t != TensorTower::kText;
    if (towers == Towers::kText) return t != TensorTower::kVision;
    return true;
  };

  // 1. Resolve which files hold the weights and the config.
  std::vector<std::string> weight_paths;
  std::string config_path;
  std::string index_path;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    const fs::path dir(path);
    ck.located.tokenizer_json = IfExists(dir / "tokenizer.json");
    ck.located.tokenizer_config = IfExists(dir / "tokenizer_config.json");
    ck.located.vocab_json = IfExists(dir / "vocab.json");
    ck.located.merges_txt = IfExists(dir / "merges.txt");
    ck.located.spiece_model = IfExists(dir / "spiece.model");
    ck.located.special_tokens_map = IfExists(dir / "special_tokens_map.json");
    ck.located.preprocessor_config = IfExists(dir / "preprocessor_config.json");
    if (std::string oc = IfExists(dir / "open_clip_config.json"); !oc.empty()) {
      ck.layout = "open_clip-folder";
      config_path = oc;
      for (const char* name : {"open_clip_model.safetensors", "open_clip_pytorch_model.bin"}) {
        if (std::string w = IfExists(dir / name); !w.empty()) {
          weight_paths.push_back(w);
          break;
        }
      }
    } else if (std::string hc = IfExists(dir / "config.json"); !hc.empty()) {
      ck.layout = "hf-folder";
      config_path = hc;
      for (const char* name : {"model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
                               "pytorch_model.bin.index.json"}) {
        std::string w = IfExists(dir / name);
        if (w.empty()) continue;
        if (w.size() > 11 && w.compare(w.size() - 11, 11, ".index.json") == 0) index_path = w;
        else weight_paths.push_back(w);
        break;
      }
    } else {
      return NotFoundError("folder " + path + " has neither config.json (Hugging Face) nor "
                           "open_clip_config.json (open_clip)");
    }
    if (weight_paths.empty() && index_path.empty()) {
      return NotFoundError("folder " + path + " has a config but no weights file (looked for " +
                           (ck.layout == "open_clip-folder"
                                ? std::string("open_clip_model.safetensors, open_clip_pytorch_model.bin")
                                : std::string("model.safetensors[.index.json], pytorch_model.bin[.index.json]")) +
                           ")");
    }
    ck.located.config = config_path;
  } else {
    ck.layout = "file";
    weight_paths.push_back(path);
  }

  std::vector<std::shared_ptr<const MappedFile>> keep;
  std::map<std::string, std::string> expected_shard;  // tensor → shard (from the index)
  if (!index_path.empty()) {
    std::shared_ptr<const MappedFile> index_file;
    ASSIGN_OR_RETURN(JsonValue index, ReadJsonFile(index_path, &index_file));
    const JsonValue* map = index.Find("weight_map");
    if (map == nullptr || !map->is_object()) {
      return CorruptDataError(index_path + ": no \"weight_map\" object");
    }
    std::set<std::string> shards;
    for (const auto& [tensor, shard] : map->object()) {
      if (!shard.is_string()) return CorruptDataError(index_path + ": shard of \"" + tensor + "\" is not a string");
      RETURN_IF_ERROR(CheckShardName(shard.string(), index_path));
      expected_shard[tensor] = shard.string();
      if (shards.insert(shard.string()).second) {
        const fs::path p = fs::path(path) / shard.string();
        if (!fs::is_regular_file(p, ec)) {
          return NotFoundError(index_path + ": shard " + shard.string() + " (holding \"" + tensor +
                               "\") is missing from " + path);
        }
        weight_paths.push_back(p.string());
      }
    }
    if (weight_paths.empty()) return CorruptDataError(index_path + ": weight_map is empty");
  }

  // 2. Map every weights file, start hashing, parse.
  std::vector<LoadedFile> loaded;
  for (const std::string& w : weight_paths) {
    ASSIGN_OR_RETURN(LoadedFile lf, LoadWeightsFile(w, filter));
    loaded.push_back(std::move(lf));
  }
  std::vector<std::shared_ptr<const MappedFile>> to_hash;
  for (const LoadedFile& lf : loaded) to_hash.push_back(lf.file);
  std::unique_ptr<BackgroundHasher> hasher;
  if (options.compute_sha256) {
    hasher = std::make_unique<BackgroundHasher>(to_hash, options.threads > 1);
  }
  ck.format = loaded.front().format;
  if (!index_path.empty()) ck.format += "-sharded";
  for (LoadedFile& lf : loaded) {
    ck.mappings.push_back(lf.file);
    FileIdentity id;
    id.path = lf.file->path();
    id.size = lf.file->size();
    id.format = lf.format;
    for (const TensorInfo& t : lf.set.all) ++id.dtype_counts[DTypeName(t.dtype)];
    ck.files.push_back(std::move(id));
    const std::string shard_name = fs::path(lf.file->path()).filename().string();
    for (const TensorInfo& t : lf.set.all) {
      if (!expected_shard.empty()) {
        auto it = expected_shard.find(t.name);
        if (it == expected_shard.end() || it->second != shard_name) {
          return CorruptDataError(lf.file->path() + ": tensor \"" + t.name +
                                  "\" is not assigned to this shard by " + index_path);
        }
      }
      ck.all_tensors.push_back(t);
    }
    for (auto& [name, tensor] : lf.set.tensors) {
      if (!ck.tensors.emplace(name, std::move(tensor)).second) {
        return CorruptDataError(lf.file->path() + ": tensor \"" + name + "\" appears in more than one file");
      }
    }
  }
  if (!expected_shard.empty()) {
    std::set<std::string> present;
    for (const TensorInfo& t : ck.all_tensors) present.insert(t.name);
    for (const auto& [tensor, shard] : expected_shard) {
      if (!present.count(tensor)) {
        return NotFoundError(index_path + ": tensor \"" + tensor + "\" is not in shard " + shard);
      }
    }
  }

  // 3. Resolve the config.
  const ShapeMap shapes = ShapesOf(ck.all_tensors);
  if (!options.resolve_config) {
    // Tensors and identity only.
  } else if (!config_path.empty()) {
    std::shared_ptr<const MappedFile> cfg_file;
    ASSIGN_OR_RETURN(JsonValue cfg, ReadJsonFile(config_path, &cfg_file));
    if (ck.layout == "hf-folder") {
      ASSIGN_OR_RETURN(ck.config, ConfigFromHfJson(cfg, config_path));
      if (!ck.located.preprocessor_config.empty()) {
        std::shared_ptr<const MappedFile> pp_file;
        ASSIGN_OR_RETURN(JsonValue pp, ReadJsonFile(ck.located.preprocessor_config, &pp_file));
        RETURN_IF_ERROR(ApplyHfPreprocessorJson(pp, ck.located.preprocessor_config, &ck.config));
      }
    } else {
      ASSIGN_OR_RETURN(ck.config, ConfigFromOpenClipJson(cfg, shapes, config_path));
    }
    keep.push_back(cfg_file);
  } else {
    const bool hf_names = shapes.count("text_model.embeddings.token_embedding.weight") ||
                          shapes.count("vision_model.embeddings.patch_embedding.weight");
    if (hf_names) {
      return UnsupportedError(path + ": Hugging Face tensor names but no config.json; load the "
                              "model folder instead of the weights file");
    }
    if (shapes.count("visual.trunk.patch_embed.proj.weight")) {
      return UnsupportedError(path + ": open_clip timm vision tower but no open_clip_config.json; "
                              "load the model folder instead of the weights file");
    }
    ASSIGN_OR_RETURN(ck.config, ConfigFromOpenAiShapes(shapes, path));
  }

  // 4. Identity: hashes, then the manifest they match.
  if (hasher) {
    ASSIGN_OR_RETURN(std::vector<std::string> hashes, hasher->Wait());
    for (size_t i = 0; i < hashes.size(); ++i) ck.files[i].sha256 = hashes[i];
  }
  if (!config_path.empty() && !keep.empty()) {
    FileIdentity id;
    id.path = config_path;
    id.format = "json";
    id.size = keep.back()->size();
    if (options.compute_sha256) {
      ASSIGN_OR_RETURN(id.sha256, Sha256Hex(keep.back()->data(), keep.back()->size()));
    }
    ck.files.push_back(std::move(id));
  }
  std::string manifest_dir = options.manifest_dir;
  if (manifest_dir.empty()) {
    if (const char* env = std::getenv("CLIPRT_MANIFEST_DIR")) manifest_dir = env;
  }
  const bool builtin_manifests = manifest_dir.empty();
  if (builtin_manifests) manifest_dir = BuiltinManifestDir();
  if (!manifest_dir.empty() && options.compute_sha256) {
    auto loaded = LoadManifests(manifest_dir);
    if (!loaded.ok() && builtin_manifests) {
      // A damaged shipped manifest must not stop every checkpoint from
      // loading: warn and match nothing. A directory the caller named is
      // their input, and its errors are errors.
      Log(LogLevel::kWarning, "shipped manifests not used: " + loaded.status().ToString());
      loaded = std::vector<Manifest>();
    }
    ASSIGN_OR_RETURN(std::vector<Manifest> manifests, std::move(loaded));
    for (const FileIdentity& f : ck.files) {
      if (f.format == "json") continue;
      if (const Manifest* m = FindManifestBySha256(manifests, f.sha256)) {
        ck.manifest = *m;
        ck.manifest_name = m->name;
        break;
      }
    }
  }
  if (ck.manifest && !ck.manifest->activation.empty()) {
    ASSIGN_OR_RETURN(Activation act, ParseActivation(ck.manifest->activation));
    for (const char* tower : {"vision", "text"}) {
      const std::string field = std::string(tower) + ".act";
      const Decision* d = ck.config.FindDecision(field);
      if (d == nullptr || d->source != DecisionSource::kConfig) {
        (std::string_view(tower) == "vision" ? ck.config.vision.act : ck.config.text.act) = act;
        ck.config.Decide(field, ActivationName(act), DecisionSource::kManifest,
                         "known checkpoint " + ck.manifest->name + " (" + ck.manifest->path + ")");
      }
    }
  }
  if (options.activation_override) {
    ck.config.vision.act = ck.config.text.act = *options.activation_override;
    for (const char* field : {"vision.act", "text.act"}) {
      ck.config.Decide(field, ActivationName(*options.activation_override), DecisionSource::kOverride,
                       "LoadOptions.activation_override");
    }
  }
  ck.config.Decide("towers", TowersName(options.towers), DecisionSource::kOverride, "LoadOptions.towers");
  ck.config.Decide("precision", PrecisionName(options.precision),
                   options.precision == Precision::kF32 ? DecisionSource::kDefault : DecisionSource::kOverride,
                   "LoadOptions.precision");
  return ck;
}

}  // namespace cliprt::io
