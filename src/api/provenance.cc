// Converters from the pipeline stages' own records to provenance values.
#include "api/provenance.h"

#include <cstdio>
#include <sstream>

#include "cliprt/version.h"
#include "core/build_info.h"
#include "core/cpu_features.h"
#include "image/preprocess.h"
#include "io/checkpoint.h"
#include "io/model_config.h"
#include "tokenizer/tokenizer.h"

namespace cliprt::api {
namespace {

std::string CropRuleName(const image::PreprocessConfig& c) {
  if (!c.do_center_crop) return "none";
  return c.crop_rule == image::CropRule::kTorchvision ? "center_half_even" : "center_floor";
}

std::string Float9(float v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", static_cast<double>(v));
  return buf;
}

std::string Double17(double v) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

std::string ArchitectureSummary(const io::ModelConfig& c) {
  std::ostringstream s;
  s << "embed_dim=" << c.embed_dim << "; vision=" << c.vision.kind << " width=" << c.vision.width;
  if (c.vision.kind == "resnet") {
    s << " layers=" << c.vision.resnet_layers[0] << "," << c.vision.resnet_layers[1] << ","
      << c.vision.resnet_layers[2] << "," << c.vision.resnet_layers[3];
  } else {
    s << " layers=" << c.vision.layers << " patch=" << c.vision.patch_size;
  }
  s << " heads=" << c.vision.heads << " image=" << c.vision.image_size << " pool=" << c.vision.pool
    << "; text width=" << c.text.width << " layers=" << c.text.layers << " heads=" << c.text.heads
    << " ctx=" << c.text.context_length << " vocab=" << c.text.vocab_size << " pool=" << c.text.pool
    << (c.text.causal_mask ? " causal" : " bidirectional") << "; logit_bias=" << (c.has_logit_bias ? "yes" : "no");
  return s.str();
}

// "config: <reason>" for the last decision on `field`, or "default".
std::string DecisionSourceOf(const io::ModelConfig& c, std::string_view field) {
  const io::Decision* d = c.FindDecision(field);
  if (d == nullptr) return "default (no decision recorded)";
  std::string out = io::DecisionSourceName(d->source);
  if (!d->reason.empty()) out += ": " + d->reason;
  return out;
}

}  // namespace

LibraryInfo CurrentLibraryInfo(std::string precision, int threads) {
  LibraryInfo info;
  info.version = CLIPRT_VERSION_STRING;
  info.git_revision = BuildGitRevision();
  info.compiler = BuildCompiler();
  info.build_type = BuildType();
  info.isa = IsaLevelName(ActiveIsaLevel());
  info.precision = std::move(precision);
  info.threads = threads;
  return info;
}

ModelIdentity ProvenanceFromCheckpoint(const io::Checkpoint& ck) {
  ModelIdentity m;
  m.name = ck.manifest_name.empty() ? "unrecognized" : ck.manifest_name;
  m.family = io::ArchFamilyName(ck.config.family);
  for (const auto& f : ck.files) m.files.push_back({f.path, f.size, f.format, f.sha256});
  m.architecture = ArchitectureSummary(ck.config);
  m.vision_activation = io::ActivationName(ck.config.vision.act);
  m.vision_activation_source = DecisionSourceOf(ck.config, "vision.act");
  m.text_activation = io::ActivationName(ck.config.text.act);
  m.text_activation_source = DecisionSourceOf(ck.config, "text.act");
  for (const auto& d : ck.config.decisions) {
    m.decisions.push_back({d.field, d.value, io::DecisionSourceName(d.source), d.reason});
  }
  return m;
}

PreprocessProvenance MakePreprocessProvenance(const image::PreprocessConfig& c) {
  PreprocessProvenance p;
  p.preset = c.preset;
  p.out_height = c.out_height;
  p.out_width = c.out_width;
  p.shortest_edge = c.shortest_edge;
  p.resize_mode = std::string(image::ResizeModeName(c.resize_mode));
  p.interpolation = std::string(image::ResampleFilterName(c.interpolation));
  p.crop_rule = CropRuleName(c);
  p.rgb_conversion = c.rgb_conversion == image::RgbConversion::kAfterResize ? "after_resize" : "before_resize";
  p.rescale = c.rescale == image::Rescale::kTorchvision ? "f32_div_255" : "f64_mul";
  p.rescale_factor = c.rescale_factor;
  p.do_resize = c.do_resize;
  p.do_normalize = c.do_normalize;
  p.fill_color = c.fill_color;
  p.mean = c.mean;
  p.std = c.std;
  p.exif_policy = c.apply_exif_orientation ? "applied" : "ignored";
  return p;
}

ImageRecord MakeImageRecord(const image::PreprocessRecord& r) {
  return {r.source_width, r.source_height, r.source_mode, r.resized_width,
          r.resized_height, r.crop_top,    r.crop_left};
}

StatusOr<PreprocessProvenance> MakePreprocessProvenance(
    std::span<const image::PreprocessRecord> records) {
  if (records.empty()) return InvalidArgumentError("preprocess provenance: no image records");
  PreprocessProvenance p = MakePreprocessProvenance(records[0].config);
  const std::string key = PreprocessingKey(p);
  for (size_t i = 0; i < records.size(); ++i) {
    const std::string key_i = PreprocessingKey(MakePreprocessProvenance(records[i].config));
    if (key_i != key) {
      return InvalidArgumentError("preprocess provenance: image " + std::to_string(i) +
                                  " was preprocessed with \"" + key_i + "\", image 0 with \"" + key + "\"");
    }
    p.images.push_back(MakeImageRecord(records[i]));
  }
  return p;
}

TokenizerProvenance MakeTokenizerProvenance(const TokenizerInfo& info, const TokenizedBatch& batch) {
  TokenizerProvenance t;
  t.kind = TokenizerKindName(info.kind);
  t.variant = TokenizerVariantName(info.variant);
  t.vocabulary_format = info.vocabulary_format;
  t.vocabulary_files = info.vocabulary_files;
  t.vocabulary_sha256 = info.vocabulary_sha256;
  t.vocabulary_size = info.vocabulary_size;
  t.context_length = info.context_length;
  t.bos_id = info.bos_id;
  t.eos_id = info.eos_id;
  t.pad_id = info.pad_id;
  t.truncation = info.truncation == TruncationPolicy::kTruncate ? "truncate" : "strict";
  t.text_cleaning = info.text_cleaning;
  t.unicode_version = info.unicode_version;
  t.selection_reason = info.selection_reason;
  const size_t n = batch.dropped_tokens.size();
  for (size_t i = 0; i < n; ++i) {
    TextRecord r;
    r.dropped_tokens = batch.dropped_tokens[i];
    r.length = i < batch.lengths.size() ? batch.lengths[i] : 0;
    r.invalid_utf8_replaced = i < batch.invalid_utf8_replaced.size() ? batch.invalid_utf8_replaced[i] : 0;
    t.truncated_texts += r.dropped_tokens > 0;
    t.texts.push_back(r);
  }
  return t;
}

std::string CheckpointSha256(const ModelIdentity& model) {
  std::string out;
  for (const auto& f : model.files) {
    if (f.format == "json" || f.sha256.empty()) continue;  // configs do not change the weights
    if (!out.empty()) out += '+';
    out += f.sha256;
  }
  return out;
}

std::string PreprocessingKey(const PreprocessProvenance& p) {
  std::ostringstream s;
  s << "preset=" << p.preset << " size=" << p.out_height << "x" << p.out_width << " resize=" << p.resize_mode;
  if (p.resize_mode == "shortest") s << ":" << p.shortest_edge;
  s << " do_resize=" << p.do_resize << " interpolation=" << p.interpolation << " crop=" << p.crop_rule
    << " fill=" << p.fill_color << " rgb=" << p.rgb_conversion << " rescale=" << p.rescale << ":"
    << Double17(p.rescale_factor) << " normalize=" << p.do_normalize << " mean=" << Float9(p.mean[0]) << ","
    << Float9(p.mean[1]) << "," << Float9(p.mean[2]) << " std=" << Float9(p.std[0]) << "," << Float9(p.std[1])
    << "," << Float9(p.std[2]) << " exif=" << p.exif_policy;
  return s.str();
}

std::string TokenizerKey(const TokenizerProvenance& t) {
  std::ostringstream s;
  s << "kind=" << t.kind << " variant=" << t.variant << " vocabulary=" << t.vocabulary_format
    << " sha256=" << t.vocabulary_sha256 << " context_length=" << t.context_length << " bos=" << t.bos_id
    << " eos=" << t.eos_id << " pad=" << t.pad_id << " truncation=" << t.truncation
    << " cleaning=" << t.text_cleaning;
  return s.str();
}

}  // namespace cliprt::api
