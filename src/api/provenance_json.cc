// Provenance ⇄ JSON (schema: docs/provenance.md).
#include "api/provenance_json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "api/json_fields.h"

namespace cliprt::api {
namespace {

using json::ObjectWriter;

std::string FileJson(const FileRecord& f) {
  return ObjectWriter().Str("path", f.path).UInt("size", f.size).Str("format", f.format).Str("sha256", f.sha256).Done();
}

std::string DecisionJson(const ConfigDecision& d) {
  return ObjectWriter().Str("field", d.field).Str("value", d.value).Str("source", d.source).Str("reason", d.reason).Done();
}

template <typename T, typename F>
std::string ArrayOf(const std::vector<T>& items, F&& one) {
  std::string a = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) a += ',';
    a += one(items[i]);
  }
  a += ']';
  return a;
}

std::string LibraryJson(const LibraryInfo& l) {
  return ObjectWriter()
      .Str("version", l.version)
      .Str("git_revision", l.git_revision)
      .Str("compiler", l.compiler)
      .Str("build_type", l.build_type)
      .Str("isa", l.isa)
      .Str("precision", l.precision)
      .Int("threads", l.threads)
      .Done();
}

std::string ModelJson(const ModelIdentity& m) {
  return ObjectWriter()
      .Str("name", m.name)
      .Str("family", m.family)
      .Raw("files", ArrayOf(m.files, FileJson))
      .Str("architecture", m.architecture)
      .Str("vision_activation", m.vision_activation)
      .Str("vision_activation_source", m.vision_activation_source)
      .Str("text_activation", m.text_activation)
      .Str("text_activation_source", m.text_activation_source)
      .Raw("decisions", ArrayOf(m.decisions, DecisionJson))
      .Done();
}

std::string ImageJson(const ImageRecord& r) {
  return ObjectWriter()
      .Int("source_width", r.source_width)
      .Int("source_height", r.source_height)
      .Str("source_mode", r.source_mode)
      .Int("resized_width", r.resized_width)
      .Int("resized_height", r.resized_height)
      .Int("crop_top", r.crop_top)
      .Int("crop_left", r.crop_left)
      .Done();
}

std::string PreprocessJson(const PreprocessProvenance& p) {
  return ObjectWriter()
      .Str("preset", p.preset)
      .Int("out_height", p.out_height)
      .Int("out_width", p.out_width)
      .Int("shortest_edge", p.shortest_edge)
      .Str("resize_mode", p.resize_mode)
      .Str("interpolation", p.interpolation)
      .Str("crop_rule", p.crop_rule)
      .Str("rgb_conversion", p.rgb_conversion)
      .Str("rescale", p.rescale)
      .Double("rescale_factor", p.rescale_factor)
      .Bool("do_resize", p.do_resize)
      .Bool("do_normalize", p.do_normalize)
      .Int("fill_color", p.fill_color)
      .Floats("mean", p.mean.data(), 3)
      .Floats("std", p.std.data(), 3)
      .Str("exif_policy", p.exif_policy)
      .Raw("images", ArrayOf(p.images, ImageJson))
      .Done();
}

std::string TextJson(const TextRecord& r) {
  return ObjectWriter()
      .Int("length", r.length)
      .Int("dropped_tokens", r.dropped_tokens)
      .Int("invalid_utf8_replaced", r.invalid_utf8_replaced)
      .Done();
}

std::string TokenizerJson(const TokenizerProvenance& t) {
  return ObjectWriter()
      .Str("kind", t.kind)
      .Str("variant", t.variant)
      .Str("vocabulary_format", t.vocabulary_format)
      .Strings("vocabulary_files", t.vocabulary_files)
      .Str("vocabulary_sha256", t.vocabulary_sha256)
      .Int("vocabulary_size", t.vocabulary_size)
      .Int("context_length", t.context_length)
      .Int("bos_id", t.bos_id)
      .Int("eos_id", t.eos_id)
      .Int("pad_id", t.pad_id)
      .Str("truncation", t.truncation)
      .Str("text_cleaning", t.text_cleaning)
      .Str("unicode_version", t.unicode_version)
      .Str("selection_reason", t.selection_reason)
      .Int("truncated_texts", t.truncated_texts)
      .Raw("texts", ArrayOf(t.texts, TextJson))
      .Done();
}

std::string ClassificationJson(const ClassificationInfo& c) {
  std::string abstained = "[";
  for (size_t i = 0; i < c.abstained.size(); ++i) {
    if (i) abstained += ',';
    abstained += c.abstained[i] ? "true" : "false";
  }
  abstained += ']';
  return ObjectWriter()
      .Strings("labels", c.labels)
      .Strings("templates", c.templates)
      .Str("aggregation", c.aggregation)
      .Str("score_rule", c.score_rule)
      .Float("logit_scale", c.logit_scale)
      .OptFloat("logit_bias", c.logit_bias)
      .OptFloat("threshold", c.threshold)
      .Int("top_k", c.top_k)
      .Bool("prompt_sensitivity", c.prompt_sensitivity)
      .Raw("abstained", abstained)
      .Done();
}

std::string RetrievalJson(const RetrievalInfo& r) {
  return ObjectWriter()
      .Str("metric", r.metric)
      .Int("index_entries", r.index_entries)
      .Int("dim", r.dim)
      .Int("top_k", r.top_k)
      .Str("tie_break", r.tie_break)
      .Str("index_checkpoint_sha256", r.index_checkpoint_sha256)
      .Done();
}

// ---- parsing ----

Status ParseLibrary(const io::JsonValue& o, const std::string& w, LibraryInfo* l) {
  RETURN_IF_ERROR(json::ExpectObject(o, w));
  RETURN_IF_ERROR(json::ReadStr(o, "version", w, &l->version));
  RETURN_IF_ERROR(json::ReadStr(o, "git_revision", w, &l->git_revision));
  RETURN_IF_ERROR(json::ReadStr(o, "compiler", w, &l->compiler));
  RETURN_IF_ERROR(json::ReadStr(o, "build_type", w, &l->build_type));
  RETURN_IF_ERROR(json::ReadStr(o, "isa", w, &l->isa));
  RETURN_IF_ERROR(json::ReadStr(o, "precision", w, &l->precision));
  int32_t threads = 0;
  RETURN_IF_ERROR(json::ReadInt32(o, "threads", w, &threads));
  l->threads = threads;
  return Status::Ok();
}

Status ParseModel(const io::JsonValue& o, const std::string& w, ModelIdentity* m) {
  RETURN_IF_ERROR(json::ExpectObject(o, w));
  RETURN_IF_ERROR(json::ReadStr(o, "name", w, &m->name));
  RETURN_IF_ERROR(json::ReadStr(o, "family", w, &m->family));
  ASSIGN_OR_RETURN(const auto* files, json::ReadArray(o, "files", w));
  m->files.clear();
  for (size_t i = 0; i < files->size(); ++i) {
    const std::string fw = json::Path(json::Path(w, "files"), i);
    const io::JsonValue& f = (*files)[i];
    RETURN_IF_ERROR(json::ExpectObject(f, fw));
    FileRecord r;
    RETURN_IF_ERROR(json::ReadStr(f, "path", fw, &r.path));
    RETURN_IF_ERROR(json::ReadUInt(f, "size", fw, &r.size));
    RETURN_IF_ERROR(json::ReadStr(f, "format", fw, &r.format));
    RETURN_IF_ERROR(json::ReadStr(f, "sha256", fw, &r.sha256));
    m->files.push_back(std::move(r));
  }
  RETURN_IF_ERROR(json::ReadStr(o, "architecture", w, &m->architecture));
  RETURN_IF_ERROR(json::ReadStr(o, "vision_activation", w, &m->vision_activation));
  RETURN_IF_ERROR(json::ReadStr(o, "vision_activation_source", w, &m->vision_activation_source));
  RETURN_IF_ERROR(json::ReadStr(o, "text_activation", w, &m->text_activation));
  RETURN_IF_ERROR(json::ReadStr(o, "text_activation_source", w, &m->text_activation_source));
  ASSIGN_OR_RETURN(const auto* decisions, json::ReadArray(o, "decisions", w));
  m->decisions.clear();
  for (size_t i = 0; i < decisions->size(); ++i) {
    const std::string dw = json::Path(json::Path(w, "decisions"), i);
    const io::JsonValue& d = (*decisions)[i];
    RETURN_IF_ERROR(json::ExpectObject(d, dw));
    ConfigDecision r;
    RETURN_IF_ERROR(json::ReadStr(d, "field", dw, &r.field));
    RETURN_IF_ERROR(json::ReadStr(d, "value", dw, &r.value));
    RETURN_IF_ERROR(json::ReadStr(d, "source", dw, &r.source));
    RETURN_IF_ERROR(json::ReadStr(d, "reason", dw, &r.reason));
    m->decisions.push_back(std::move(r));
  }
  return Status::Ok();
}

Status ParseInt(const io::JsonValue& o, std::string_view key, const std::string& w, int* out) {
  int32_t v = 0;
  RETURN_IF_ERROR(json::ReadInt32(o, key, w, &v));
  *out = v;
  return Status::Ok();
}

Status ParseTriple(const io::JsonValue& o, std::string_view key, const std::string& w, std::array<float, 3>* out) {
  std::vector<float> v;
  RETURN_IF_ERROR(json::ReadFloats(o, key, w, &v));
  if (v.size() != 3) {
    return InvalidArgumentError(json::Path(w, key) + ": expected 3 numbers, found " + std::to_string(v.size()));
  }
  *out = {v[0], v[1], v[2]};
  return Status::Ok();
}

Status ParsePreprocess(const io::JsonValue& o, const std::string& w, PreprocessProvenance* p) {
  RETURN_IF_ERROR(json::ExpectObject(o, w));
  RETURN_IF_ERROR(json::ReadStr(o, "preset", w, &p->preset));
  RETURN_IF_ERROR(ParseInt(o, "out_height", w, &p->out_height));
  RETURN_IF_ERROR(ParseInt(o, "out_width", w, &p->out_width));
  RETURN_IF_ERROR(ParseInt(o, "shortest_edge", w, &p->shortest_edge));
  RETURN_IF_ERROR(json::ReadStr(o, "resize_mode", w, &p->resize_mode));
  RETURN_IF_ERROR(json::ReadStr(o, "interpolation", w, &p->interpolation));
  RETURN_IF_ERROR(json::ReadStr(o, "crop_rule", w, &p->crop_rule));
  RETURN_IF_ERROR(json::ReadStr(o, "rgb_conversion", w, &p->rgb_conversion));
  RETURN_IF_ERROR(json::ReadStr(o, "rescale", w, &p->rescale));
  RETURN_IF_ERROR(json::ReadDouble(o, "rescale_factor", w, &p->rescale_factor));
  RETURN_IF_ERROR(json::ReadBool(o, "do_resize", w, &p->do_resize));
  RETURN_IF_ERROR(json::ReadBool(o, "do_normalize", w, &p->do_normalize));
  RETURN_IF_ERROR(ParseInt(o, "fill_color", w, &p->fill_color));
  RETURN_IF_ERROR(ParseTriple(o, "mean", w, &p->mean));
  RETURN_IF_ERROR(ParseTriple(o, "std", w, &p->std));
  RETURN_IF_ERROR(json::ReadStr(o, "exif_policy", w, &p->exif_policy));
  ASSIGN_OR_RETURN(const auto* images, json::ReadArray(o, "images", w));
  p->images.clear();
  for (size_t i = 0; i < images->size(); ++i) {
    const std::string iw = json::Path(json::Path(w, "images"), i);
    const io::JsonValue& im = (*images)[i];
    RETURN_IF_ERROR(json::ExpectObject(im, iw));
    ImageRecord r;
    RETURN_IF_ERROR(ParseInt(im, "source_width", iw, &r.source_width));
    RETURN_IF_ERROR(ParseInt(im, "source_height", iw, &r.source_height));
    RETURN_IF_ERROR(json::ReadStr(im, "source_mode", iw, &r.source_mode));
    RETURN_IF_ERROR(ParseInt(im, "resized_width", iw, &r.resized_width));
    RETURN_IF_ERROR(ParseInt(im, "resized_height", iw, &r.resized_height));
    RETURN_IF_ERROR(ParseInt(im, "crop_top", iw, &r.crop_top));
    RETURN_IF_ERROR(ParseInt(im, "crop_left", iw, &r.crop_left));
    p->images.push_back(std::move(r));
  }
  return Status::Ok();
}

Status ParseTokenizer(const io::JsonValue& o, const std::string& w, TokenizerProvenance* t) {
  RETURN_IF_ERROR(json::ExpectObject(o, w));
  RETURN_IF_ERROR(json::ReadStr(o, "kind", w, &t->kind));
  RETURN_IF_ERROR(json::ReadStr(o, "variant", w, &t->variant));
  RETURN_IF_ERROR(json::ReadStr(o, "vocabulary_format", w, &t->vocabulary_format));
  RETURN_IF_ERROR(json::ReadStrings(o, "vocabulary_files", w, &t->vocabulary_files));
  RETURN_IF_ERROR(json::ReadStr(o, "vocabulary_sha256", w, &t->vocabulary_sha256));
  RETURN_IF_ERROR(json::ReadInt32(o, "vocabulary_size", w, &t->vocabulary_size));
  RETURN_IF_ERROR(ParseInt(o, "context_length", w, &t->context_length));
  RETURN_IF_ERROR(json::ReadInt(o, "bos_id", w, &t->bos_id));
  RETURN_IF_ERROR(json::ReadInt(o, "eos_id", w, &t->eos_id));
  RETURN_IF_ERROR(json::ReadInt(o, "pad_id", w, &t->pad_id));
  RETURN_IF_ERROR(json::ReadStr(o, "truncation", w, &t->truncation));
  RETURN_IF_ERROR(json::ReadStr(o, "text_cleaning", w, &t->text_cleaning));
  RETURN_IF_ERROR(json::ReadStr(o, "unicode_version", w, &t->unicode_version));
  RETURN_IF_ERROR(json::ReadStr(o, "selection_reason", w, &t->selection_reason));
  RETURN_IF_ERROR(json::ReadInt(o, "truncated_texts", w, &t->truncated_texts));
  ASSIGN_OR_RETURN(const auto* texts, json::ReadArray(o, "texts", w));
  t->texts.clear();
  for (size_t i = 0; i < texts->size(); ++i) {
    const std::string tw = json::Path(json::Path(w, "texts"), i);
    const io::JsonValue& x = (*texts)[i];
    RETURN_IF_ERROR(json::ExpectObject(x, tw));
    TextRecord r;
    RETURN_IF_ERROR(json::ReadInt32(x, "length", tw, &r.length));
    RETURN_IF_ERROR(json::ReadInt(x, "dropped_tokens", tw, &r.dropped_tokens));
    RETURN_IF_ERROR(json::ReadInt(x, "invalid_utf8_replaced", tw, &r.invalid_utf8_replaced));
    t->texts.push_back(r);
  }
  return Status::Ok();
}

Status ParseClassification(const io::JsonValue& o, const std::string& w, ClassificationInfo* c) {
  RETURN_IF_ERROR(json::ExpectObject(o, w));
  RETURN_IF_ERROR(json::ReadStrings(o, "labels", w, &c->labels));
  RETURN_IF_ERROR(json::ReadStrings(o, "templates", w, &c->templates));
  RETURN_IF_ERROR(json::ReadStr(o, "aggregation", w, &c->aggregation));
  RETURN_IF_ERROR(json::ReadStr(o, "score_rule", w, &c->score_rule));
  RETURN_IF_ERROR(json::ReadFloat(o, "logit_scale", w, &c->logit_scale));
  RETURN_IF_ERROR(json::ReadOptFloat(o, "logit_bias", w, &c->logit_bias));
  RETURN_IF_ERROR(json::ReadOptFloat(o, "threshold", w, &c->threshold));
  RETURN_IF_ERROR(ParseInt(o, "top_k", w, &c->top_k));
  RETURN_IF_ERROR(json::ReadBool(o, "prompt_sensitivity", w, &c->prompt_sensitivity));
  ASSIGN_OR_RETURN(const auto* abstained, json::ReadArray(o, "abstained", w));
  c->abstained.clear();
  for (size_t i = 0; i < abstained->size(); ++i) {
    if (!(*abstained)[i].is_bool()) {
      return InvalidArgumentError(json::Path(json::Path(w, "abstained"), i) + ": expected true or false");
    }
    c->abstained.push_back((*abstained)[i].bool_value());
  }
  return Status::Ok();
}

Status ParseRetrieval(const io::JsonValue& o, const std::string& w, RetrievalInfo* r) {
  RETURN_IF_ERROR(json::ExpectObject(o, w));
  RETURN_IF_ERROR(json::ReadStr(o, "metric", w, &r->metric));
  RETURN_IF_ERROR(json::ReadInt(o, "index_entries", w, &r->index_entries));
  RETURN_IF_ERROR(json::ReadInt(o, "dim", w, &r->dim));
  RETURN_IF_ERROR(ParseInt(o, "top_k", w, &r->top_k));
  RETURN_IF_ERROR(json::ReadStr(o, "tie_break", w, &r->tie_break));
  RETURN_IF_ERROR(json::ReadStr(o, "index_checkpoint_sha256", w, &r->index_checkpoint_sha256));
  return Status::Ok();
}

// Optional block: absent or null → empty.
template <typename T, typename F>
Status ParseOptional(const io::JsonValue& root, std::string_view key, std::string_view where, F&& parse,
                     std::optional<T>* out) {
  const io::JsonValue* v = root.Find(key);
  if (v == nullptr || v->is_null()) {
    out->reset();
    return Status::Ok();
  }
  T value;
  RETURN_IF_ERROR(parse(*v, json::Path(where, key), &value));
  *out = std::move(value);
  return Status::Ok();
}

}  // namespace

std::string FormatFloat(float v) {
  if (std::isnan(v)) return "\"nan\"";
  if (std::isinf(v)) return v > 0 ? "\"inf\"" : "\"-inf\"";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", static_cast<double>(v));
  return buf;
}

std::string FormatDouble(double v) {
  if (std::isnan(v)) return "\"nan\"";
  if (std::isinf(v)) return v > 0 ? "\"inf\"" : "\"-inf\"";
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

namespace {
StatusOr<double> NonFinite(const io::JsonValue& v, std::string_view where) {
  if (v.is_string()) {
    if (v.string() == "nan") return std::nan("");
    if (v.string() == "inf") return HUGE_VAL;
    if (v.string() == "-inf") return -HUGE_VAL;
  }
  return InvalidArgumentError(std::string(where) + ": expected a number (or \"nan\", \"inf\", \"-inf\"), found " +
                              io::JsonValue::TypeName(v.type()));
}
}  // namespace

StatusOr<float> ParseFloatValue(const io::JsonValue& v, std::string_view where) {
  if (v.is_number()) {
    // From the source text: one rounding to float (via double could round twice).
    const float f = std::strtof(v.number_text().c_str(), nullptr);
    if (!std::isfinite(f)) {
      return InvalidArgumentError(std::string(where) + ": " + v.number_text() + " is out of the float range");
    }
    return f;
  }
  ASSIGN_OR_RETURN(double d, NonFinite(v, where));
  return static_cast<float>(d);
}

StatusOr<double> ParseDoubleValue(const io::JsonValue& v, std::string_view where) {
  if (v.is_number()) {
    if (!std::isfinite(v.number())) {
      return InvalidArgumentError(std::string(where) + ": " + v.number_text() + " is out of the double range");
    }
    return v.number();
  }
  return NonFinite(v, where);
}

std::string ToJson(const Provenance& p) {
  return ObjectWriter()
      .Int("schema_version", p.schema_version)
      .Raw("library", LibraryJson(p.library))
      .Raw("model", ModelJson(p.model))
      .Raw("preprocess", p.preprocess ? PreprocessJson(*p.preprocess) : "null")
      .Raw("tokenizer", p.tokenizer ? TokenizerJson(*p.tokenizer) : "null")
      .Raw("classification", p.classification ? ClassificationJson(*p.classification) : "null")
      .Raw("retrieval", p.retrieval ? RetrievalJson(*p.retrieval) : "null")
      .Done();
}

StatusOr<Provenance> ProvenanceFromJsonValue(const io::JsonValue& root, std::string_view where_sv) {
  const std::string where(where_sv);
  RETURN_IF_ERROR(json::ExpectObject(root, where));
  Provenance p;
  int64_t version = 0;
  RETURN_IF_ERROR(json::ReadInt(root, "schema_version", where, &version));
  if (version < 1 || version > kProvenanceSchemaVersion) {
    return UnsupportedError(json::Path(where, "schema_version") + ": " + std::to_string(version) +
                            " is not supported; this build of cliprt reads provenance schema versions 1.." +
                            std::to_string(kProvenanceSchemaVersion) + " (a newer cliprt wrote it?)");
  }
  p.schema_version = static_cast<int>(version);
  ASSIGN_OR_RETURN(const io::JsonValue* lib, json::Member(root, "library", where));
  RETURN_IF_ERROR(ParseLibrary(*lib, json::Path(where, "library"), &p.library));
  ASSIGN_OR_RETURN(const io::JsonValue* model, json::Member(root, "model", where));
  RETURN_IF_ERROR(ParseModel(*model, json::Path(where, "model"), &p.model));
  RETURN_IF_ERROR(ParseOptional(root, "preprocess", where, ParsePreprocess, &p.preprocess));
  RETURN_IF_ERROR(ParseOptional(root, "tokenizer", where, ParseTokenizer, &p.tokenizer));
  RETURN_IF_ERROR(ParseOptional(root, "classification", where, ParseClassification, &p.classification));
  RETURN_IF_ERROR(ParseOptional(root, "retrieval", where, ParseRetrieval, &p.retrieval));
  return p;
}

StatusOr<Provenance> ParseProvenanceJson(std::string_view text) {
  ASSIGN_OR_RETURN(io::JsonValue root, io::ParseJson(text, "provenance JSON"));
  return ProvenanceFromJsonValue(root, "provenance");
}

}  // namespace cliprt::api
