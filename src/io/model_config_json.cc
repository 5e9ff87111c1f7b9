// JSON rendering of ModelConfig for provenance records.
#include <cstdio>

#include "io/json.h"
#include "io/model_config.h"

namespace cliprt::io {
namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

class ObjectWriter {
 public:
  void Key(const char* k) {
    out_ += first_ ? "" : ",";
    first_ = false;
    out_ += JsonQuote(k);
    out_ += ':';
  }
  void Int(const char* k, int64_t v) { Key(k); out_ += std::to_string(v); }
  void Double(const char* k, double v) { Key(k); out_ += Num(v); }
  void Bool(const char* k, bool v) { Key(k); out_ += v ? "true" : "false"; }
  void Str(const char* k, const std::string& v) { Key(k); out_ += JsonQuote(v); }
  void Raw(const char* k, const std::string& json) { Key(k); out_ += json; }
  std::string Done() { return "{" + out_ + "}"; }

 private:
  std::string out_;
  bool first_ = true;
};

std::string Triple(const std::array<double, 3>& v) {
  // Appended piecewise: `"literal" + std::string` trips a GCC 12 -Wrestrict false positive.
  std::string out = "[";
  out += Num(v[0]);
  out += ',';
  out += Num(v[1]);
  out += ',';
  out += Num(v[2]);
  out += ']';
  return out;
}

}  // namespace

std::string ModelConfigToJson(const ModelConfig& c) {
  ObjectWriter v;
  v.Str("kind", c.vision.kind);
  v.Int("width", c.vision.width);
  v.Int("layers", c.vision.layers);
  v.Raw("resnet_layers", "[" + std::to_string(c.vision.resnet_layers[0]) + "," +
                             std::to_string(c.vision.resnet_layers[1]) + "," +
                             std::to_string(c.vision.resnet_layers[2]) + "," +
                             std::to_string(c.vision.resnet_layers[3]) + "]");
  v.Int("heads", c.vision.heads);
  v.Int("patch_size", c.vision.patch_size);
  v.Int("image_size", c.vision.image_size);
  v.Int("mlp_hidden", c.vision.mlp_hidden);
  v.Str("act", ActivationName(c.vision.act));
  v.Double("ln_eps", c.vision.ln_eps);
  v.Bool("class_token", c.vision.class_token);
  v.Bool("ln_pre", c.vision.ln_pre);
  v.Bool("patch_bias", c.vision.patch_bias);
  v.Str("pool", c.vision.pool);
  ObjectWriter t;
  t.Int("width", c.text.width);
  t.Int("layers", c.text.layers);
  t.Int("heads", c.text.heads);
  t.Int("context_length", c.text.context_length);
  t.Int("vocab_size", c.text.vocab_size);
  t.Int("mlp_hidden", c.text.mlp_hidden);
  t.Str("act", ActivationName(c.text.act));
  t.Double("ln_eps", c.text.ln_eps);
  t.Bool("causal_mask", c.text.causal_mask);
  t.Str("pool", c.text.pool);
  t.Int("pad_id", c.text.pad_id);
  t.Int("bos_id", c.text.bos_id);
  t.Int("eos_id", c.text.eos_id);
  t.Bool("proj_bias", c.text.proj_bias);
  t.Str("proj_type", c.text.proj_type);
  t.Str("tokenizer", c.text.tokenizer);
  t.Str("tokenizer_clean", c.text.tokenizer_clean);
  ObjectWriter p;
  p.Int("image_size", c.preprocess.image_size);
  p.Raw("mean", Triple(c.preprocess.mean));
  p.Raw("std", Triple(c.preprocess.std));
  p.Str("interpolation", c.preprocess.interpolation);
  p.Str("resize_mode", c.preprocess.resize_mode);
  p.Str("crop_rounding", c.preprocess.crop_rounding);
  std::string decisions = "[";
  for (size_t i = 0; i < c.decisions.size(); ++i) {
    const Decision& d = c.decisions[i];
    ObjectWriter o;
    o.Str("field", d.field);
    o.Str("value", d.value);
    o.Str("source", DecisionSourceName(d.source));
    o.Str("reason", d.reason);
    decisions += (i ? "," : "");
    decisions += o.Done();
  }
  decisions += "]";
  ObjectWriter root;
  root.Str("family", ArchFamilyName(c.family));
  root.Int("embed_dim", c.embed_dim);
  root.Bool("has_logit_bias", c.has_logit_bias);
  root.Raw("vision", v.Done());
  root.Raw("text", t.Done());
  root.Raw("preprocess", p.Done());
  root.Raw("decisions", decisions);
  return root.Done();
}

namespace {
Status ReadTriple(const JsonValue& root, const char* key, const std::string& source,
                  std::array<double, 3>* out, bool* found) {
  const JsonValue* v = root.Find(key);
  *found = v != nullptr && !v->is_null();
  if (!*found) return Status::Ok();
  if (!v->is_array() || v->array().size() != 3) {
    return CorruptDataError(source + ": " + key + " must be 3 numbers");
  }
  for (int i = 0; i < 3; ++i) {
    if (!v->array()[i].is_number()) return CorruptDataError(source + ": " + key + " must be 3 numbers");
    (*out)[i] = v->array()[i].number();
  }
  return Status::Ok();
}

// size / crop_size: an int (legacy hub files) or {"shortest_edge"} or
// {"height", "width"} (square sizes only).
Status ReadSize(const JsonValue* v, const std::string& source, const char* key, int64_t* out,
                bool* shortest) {
  if (v->is_int()) {
    *out = v->int_value();
    *shortest = true;
  } else if (const JsonValue* se = v->Find("shortest_edge"); se && se->is_int()) {
    *out = se->int_value();
    *shortest = true;
  } else if (const JsonValue* h = v->Find("height"); h && h->is_int()) {
    const JsonValue* w = v->Find("width");
    if (w == nullptr || !w->is_int() || w->int_value() != h->int_value()) {
      return UnsupportedError(source + ": non-square " + key + " is not supported");
    }
    *out = h->int_value();
    *shortest = false;
  } else {
    return CorruptDataError(source + ": unrecognized " + key);
  }
  if (*out <= 0 || *out > (1 << 16)) return CorruptDataError(source + ": " + key + " out of range");
  return Status::Ok();
}
}  // namespace

Status ApplyHfPreprocessorJson(const JsonValue& root, const std::string& source, ModelConfig* c) {
  if (!root.is_object()) return CorruptDataError(source + ": not a JSON object");
  PreprocessConfig& p = c->preprocess;
  bool found = false;
  RETURN_IF_ERROR(ReadTriple(root, "image_mean", source, &p.mean, &found));
  if (found) c->Decide("preprocess.mean", Num(p.mean[0]) + "," + Num(p.mean[1]) + "," + Num(p.mean[2]),
                       DecisionSource::kConfig, source + " image_mean");
  RETURN_IF_ERROR(ReadTriple(root, "image_std", source, &p.std, &found));
  if (found) c->Decide("preprocess.std", Num(p.std[0]) + "," + Num(p.std[1]) + "," + Num(p.std[2]),
                       DecisionSource::kConfig, source + " image_std");
  if (const JsonValue* r = root.Find("resample"); r && r->is_int()) {
    if (r->int_value() == 3) p.interpolation = "bicubic";
    else if (r->int_value() == 2) p.interpolation = "bilinear";
    else return UnsupportedError(source + ": resample " + std::to_string(r->int_value()) + " is not supported");
    c->Decide("preprocess.interpolation", p.interpolation, DecisionSource::kConfig, source + " resample");
  }
  const JsonValue* crop_flag = root.Find("do_center_crop");
  const bool crop = crop_flag != nullptr && crop_flag->is_bool() && crop_flag->bool_value();
  if (const JsonValue* size = root.Find("size"); size && !size->is_null()) {
    int64_t n = 0;
    bool shortest = false;
    RETURN_IF_ERROR(ReadSize(size, source, "size", &n, &shortest));
    p.resize_mode = shortest ? "shortest" : "squash";
    p.image_size = n;
    c->Decide("preprocess.resize_mode", p.resize_mode, DecisionSource::kConfig, source + " size");
  }
  if (const JsonValue* cs = root.Find("crop_size"); crop && cs && !cs->is_null()) {
    int64_t n = 0;
    bool unused = false;
    RETURN_IF_ERROR(ReadSize(cs, source, "crop_size", &n, &unused));
    p.image_size = n;
    p.crop_rounding = "hf";
  } else if (!crop) {
    p.crop_rounding = "none";
  }
  c->Decide("preprocess.image_size", std::to_string(p.image_size), DecisionSource::kConfig,
            source + (crop ? " crop_size" : " size"));
  return Status::Ok();
}

}  // namespace cliprt::io
